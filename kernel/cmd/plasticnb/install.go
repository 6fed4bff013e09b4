package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/plasticnb/plasticnb/kernel/kernelspec"
)

// runInstall registers the kernelspec.
func runInstall(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("plasticnb install", flag.ContinueOnError)
	fs.SetOutput(stderr)
	user := fs.Bool("user", false, "install for the current user (the default): the Jupyter user data dir")
	prefix := fs.String("prefix", "", "install under `DIR`/share/jupyter/kernels")
	sysPrefix := fs.Bool("sys-prefix", false, "install under the Python sys.prefix (a virtualenv or conda env)")
	name := fs.String("name", "plasticnb", "kernelspec `name`")
	display := fs.String("display-name", "Go (plasticnb)", "display `name` shown by Jupyter")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "plasticnb install: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	n := 0
	for _, set := range []bool{*user, *prefix != "", *sysPrefix} {
		if set {
			n++
		}
	}
	if n > 1 {
		fmt.Fprintln(stderr, "plasticnb install: give at most one of --user, --prefix and --sys-prefix")
		return 2
	}

	var dataDir string
	var err error
	switch {
	case *prefix != "":
		var abs string
		abs, err = filepath.Abs(*prefix)
		dataDir = kernelspec.PrefixDataDir(abs)
	case *sysPrefix:
		var p string
		if p, err = pythonPrefix(); err == nil {
			dataDir = kernelspec.PrefixDataDir(p)
		}
	default:
		dataDir, err = kernelspec.UserDataDir()
	}
	if err != nil {
		fmt.Fprintf(stderr, "plasticnb install: %v\n", err)
		return 1
	}
	bin, err := os.Executable()
	if err == nil {
		bin, err = filepath.EvalSymlinks(bin)
	}
	if err != nil {
		fmt.Fprintf(stderr, "plasticnb install: cannot find this binary's path: %v\n", err)
		return 1
	}
	dir, err := kernelspec.Install(dataDir, kernelspec.Spec{Name: *name, DisplayName: *display, Binary: bin})
	if err != nil {
		fmt.Fprintf(stderr, "plasticnb install: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "installed kernelspec %s in %s\n", *name, dir)
	return 0
}

// pythonPrefix returns the active Python environment's sys.prefix:
// $VIRTUAL_ENV or $CONDA_PREFIX if set, else what python3 reports.
func pythonPrefix() (string, error) {
	for _, v := range []string{"VIRTUAL_ENV", "CONDA_PREFIX"} {
		if p := os.Getenv(v); p != "" {
			return p, nil
		}
	}
	var out, errOut bytes.Buffer
	cmd := exec.Command("python3", "-c", "import sys; print(sys.prefix)")
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("--sys-prefix needs python3 to find sys.prefix: %v %s", err, strings.TrimSpace(errOut.String()))
	}
	return strings.TrimSpace(out.String()), nil
}
