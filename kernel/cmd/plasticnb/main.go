// Command plasticnb is the plasticnb Jupyter kernel: Go notebooks whose
// cells are interpreted by yaegi, with gonum, gonum/plot and plasticlib
// compiled in.
//
//	plasticnb kernel -f CONNECTION_FILE    run the kernel (Jupyter starts it so)
//	plasticnb install [--user | --prefix DIR | --sys-prefix] [--name NAME] [--display-name NAME]
//	plasticnb version
//
// It is wiring only: flags, the kernelspec, and the assembly of transport
// (kernel/transport), dispatcher (kernel) and interpreter (kernel/goeval).
// In the kernel, SIGINT interrupts the running cell and SIGTERM shuts the
// kernel down; the kernel logs to its original standard error with the
// prefix "plasticnb:".
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"

	"github.com/plasticnb/plasticnb/kernel/capture"
	"github.com/plasticnb/plasticnb/kernel/plugins"
)

// sourceDir is the directory of the source the kernel was built from, for
// the plugin magics (%go get, %%compile): install.sh sets it with
// -ldflags "-X main.sourceDir=DIR". If unset, sourceDirOf finds it from
// this file's path as the compiler recorded it (absent with -trimpath).
var sourceDir string

// sourceDirOf returns the source directory the kernel was built from, or
// "" if unknown.
func sourceDirOf() string {
	if sourceDir != "" {
		return sourceDir
	}
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return ""
	}
	return filepath.Dir(filepath.Dir(filepath.Dir(filepath.Dir(file))))
}

const usage = `usage:
  plasticnb kernel -f CONNECTION_FILE
  plasticnb install [--user | --prefix DIR | --sys-prefix] [--name NAME] [--display-name NAME]
  plasticnb version
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line args and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "kernel":
		return runKernel(args[1:], stderr)
	case "install":
		return runInstall(args[1:], stdout, stderr)
	case capture.RelayCommand:
		capture.IgnoreSignals()
		return capture.RelayMain(os.Stdin, stdout, stderr)
	case plugins.ExtractCommand:
		return plugins.ExtractMain(args[1:], stderr)
	case "version", "--version", "-version":
		fmt.Fprintf(stdout, "plasticnb %s (%s)\n", version(), runtime.Version())
		return 0
	case "help", "-h", "--help", "-help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "plasticnb: unknown command %q\n%s", args[0], usage)
	return 2
}

// version is the module version, with the VCS revision when the binary was
// built from a checkout.
func version() string {
	v := "0.1.0"
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	if mv := bi.Main.Version; mv != "" && mv != "(devel)" {
		v = mv
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += "+" + s.Value[:12]
		}
	}
	return v
}
