//go:build cgo && (linux || darwin || freebsd)

package plugins

import (
	"fmt"
	"os"
	"plugin"
	"reflect"
	"syscall"

	"github.com/traefik/yaegi/interp"
)

// pluginsSupported: this kernel can load Go plugins.
const pluginsSupported = true

// openPlugin loads a plugin and returns its export tables.
func openPlugin(so string) (interp.Exports, error) {
	p, err := plugin.Open(so)
	if err != nil {
		return nil, err
	}
	s, err := p.Lookup(SymbolsVar)
	if err != nil {
		return nil, err
	}
	t, ok := s.(*map[string]map[string]reflect.Value)
	if !ok {
		return nil, fmt.Errorf("%s is a %T, not an export table", SymbolsVar, s)
	}
	return interp.Exports(*t), nil
}

// lockFile takes an exclusive lock on the file path.
func lockFile(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() { syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
}
