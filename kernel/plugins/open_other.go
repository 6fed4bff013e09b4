//go:build !cgo || !(linux || darwin || freebsd)

package plugins

import (
	"errors"

	"github.com/traefik/yaegi/interp"
)

// pluginsSupported: this kernel cannot load Go plugins (no cgo, or a system
// without them).
const pluginsSupported = false

var errUnsupported = errors.New("plugins are not supported by this kernel")

func openPlugin(string) (interp.Exports, error) { return nil, errUnsupported }

func lockFile(string) (func(), error) { return nil, errUnsupported }
