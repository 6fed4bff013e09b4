package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"syscall"

	"github.com/plasticnb/plasticnb/kernel"
	"github.com/plasticnb/plasticnb/kernel/capture"
	"github.com/plasticnb/plasticnb/kernel/cell"
	"github.com/plasticnb/plasticnb/kernel/goeval"
	"github.com/plasticnb/plasticnb/kernel/plugins"
	"github.com/plasticnb/plasticnb/kernel/symbols"
	"github.com/plasticnb/plasticnb/kernel/transport"
	"github.com/plasticnb/plasticnb/kernel/widget"
)

// runKernel runs the kernel on a connection file until it is shut down.
// The sockets are bound before anything slow happens; the interpreter
// loads concurrently (kernel.Lazy).
func runKernel(args []string, stderr io.Writer) int {
	parent := parentOf() // first: the parent may die at any moment
	fs := flag.NewFlagSet("plasticnb kernel", flag.ContinueOnError)
	fs.SetOutput(stderr)
	connFile := fs.String("f", "", "Jupyter connection `file` (required)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *connFile == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "plasticnb kernel: give the connection file with -f FILE (Jupyter passes it)")
		return 2
	}
	info, err := transport.ReadConnectionFile(*connFile)
	if err != nil {
		fmt.Fprintf(stderr, "plasticnb: %v\n", err)
		return 1
	}

	// Capture fds 1 and 2 so that compiled code's output reaches cells;
	// the kernel's own logs go to the original standard error.
	logOut := stderr
	stdio, err := capture.Start()
	if err != nil {
		fmt.Fprintf(stderr, "plasticnb: output of compiled code will not reach notebooks: %v\n", err)
		stdio = nil
	} else {
		logOut = stdio.Stderr()
		defer stdio.Close()
		// The runtime's last words on a fatal error reach the front end's
		// log through a relay process (kernel/capture/relay.go).
		if exe, err := os.Executable(); err != nil {
			fmt.Fprintf(logOut, "plasticnb: no stderr relay: %v\n", err)
		} else if err := stdio.RelayStderr(exec.Command(exe, capture.RelayCommand)); err != nil {
			fmt.Fprintf(logOut, "plasticnb: no stderr relay: %v\n", err)
		}
	}
	lg := log.New(logOut, "plasticnb: ", log.Ltime|log.Lmicroseconds)

	sockets, err := transport.Bind(info, transport.Config{Log: log.New(logOut, "plasticnb: zmq4: ", 0)})
	if err != nil {
		lg.Print(err)
		return 1
	}
	defer sockets.Close()

	setMemoryLimit(lg)
	maxDepth, err := envInt("PLASTICNB_MAX_DEPTH")
	if err != nil {
		lg.Print(err)
		return 1
	}
	ip := kernel.Lazy(kernel.DefaultLanguage(), func() (cell.Interpreter, error) {
		ip, err := goeval.New(goeval.Options{Stdio: stdio, MaxDepth: maxDepth, Symbols: symbols.Symbols, Plugins: newPlugins()})
		if err != nil {
			lg.Printf("the interpreter failed to start: %v", err)
			return nil, err
		}
		return ip, nil
	})
	cfg := kernel.Config{Interpreter: ip, Key: []byte(info.Key), Log: lg, Version: version(), CommTargets: widget.Targets()}
	if stdio != nil {
		cfg.FlushOutput = stdio.Flush
	}
	k, err := kernel.New(cfg)
	if err != nil {
		lg.Print(err)
		return 1
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)
	go func() {
		for s := range sigs {
			if s == syscall.SIGTERM {
				lg.Print("SIGTERM: shutting down")
				cancel()
				return
			}
			k.Interrupt()
		}
	}()

	go watchParent(ctx, parent, cancel, lg)

	// For developers: PLASTICNB_CPUPROFILE=file profiles the kernel until
	// it shuts down (go tool pprof file).
	if path := os.Getenv("PLASTICNB_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err != nil {
			lg.Printf("PLASTICNB_CPUPROFILE: %v", err)
		} else if err := pprof.StartCPUProfile(f); err != nil {
			lg.Printf("PLASTICNB_CPUPROFILE: %v", err)
		} else {
			defer f.Close()
			defer pprof.StopCPUProfile()
		}
	}

	restart, err := k.Serve(ctx, sockets)
	switch {
	case errors.Is(err, context.Canceled):
		return 0
	case err != nil:
		lg.Print(err)
		return 1
	}
	if restart {
		lg.Print("shutting down for a restart")
	}
	return 0
}

// newPlugins returns the builder of the plugin magics' plugins
// (kernel/plugins). PLASTICNB_PLUGINS=off turns them off.
func newPlugins() *plugins.Builder {
	cfg := plugins.Config{SourceDir: sourceDirOf()}
	if v := os.Getenv("PLASTICNB_PLUGINS"); v == "off" || v == "0" {
		cfg.Disabled = "plugins are disabled in this kernel (PLASTICNB_PLUGINS=" + v + ")"
	}
	return plugins.New(cfg)
}

// setMemoryLimit sets the Go runtime's soft memory limit to 90% of the
// memory available (goeval.SoftMemoryLimit), so that the collector works
// harder before the machine swaps, unless GOMEMLIMIT sets it already.
func setMemoryLimit(lg *log.Logger) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if limit, ok := goeval.SoftMemoryLimit(ms.Sys); ok {
		debug.SetMemoryLimit(limit)
	} else {
		lg.Print("the memory available cannot be read: no soft memory limit")
	}
}

// envInt reads an optional integer setting from the environment (0 if
// unset).
func envInt(name string) (int, error) {
	v := os.Getenv(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s=%q: want a number of nested calls > 0", name, v)
	}
	return n, nil
}
