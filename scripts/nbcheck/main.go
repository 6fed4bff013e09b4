// Command nbcheck checks that notebooks are source: saved without outputs,
// execution counts or metadata other than what the kernel and the notebook
// runner read, and with every Go cell gofmt-clean. It names the notebook and
// the cell (index and id) of each problem and exits with status 1 if there
// is one it did not repair.
//
// Usage:
//
//	go run ./scripts/nbcheck [-strip] [-fix] [-print] NB.ipynb...
//
//	-strip  removes saved outputs, execution counts and the metadata Jupyter
//	        adds (language_info's version, "execution", "collapsed"...), in place
//	-fix    gofmt's the Go cells in place
//	-print  prints the gofmt'd source of each Go cell that is not gofmt-clean
//
// Kept: the notebook's kernelspec, language_info (name, file_extension,
// mimetype) and plasticnb.min_images, and a cell's "tags" and "expect" (the
// expectations test/notebooks/run_notebooks.py checks: stdout, mime, result,
// error, numbers). An unknown expectation is reported, never removed: it was
// meant as a test. A cell is formatted as gofmt formats each of its imports,
// declarations and statements in place (see formatCell); lines starting with
// % are left as they are. A cell tagged raises-exception may fail to parse.
//
// nbcheck writes a notebook the way Jupyter saves one (nbformat's JSON
// layout), so a notebook saved by Jupyter changes only where it was repaired.
// Editing a notebook: edit and run it in Jupyter, save, then
// `go run ./scripts/nbcheck -strip -fix notebooks/NAME.ipynb` before committing.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("nbcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var opt options
	fs.BoolVar(&opt.strip, "strip", false, "remove saved outputs, execution counts and unknown Jupyter metadata, in place")
	fs.BoolVar(&opt.fix, "fix", false, "gofmt the Go cells, in place")
	fs.BoolVar(&opt.print, "print", false, "print the gofmt'd source of each Go cell that is not gofmt-clean")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: nbcheck [-strip] [-fix] [-print] NB.ipynb...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	bad := 0
	for _, path := range fs.Args() {
		ok, err := checkFile(path, opt, stdout)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", path, err)
			bad++
		} else if !ok {
			bad++
		}
	}
	if bad > 0 {
		fmt.Fprintf(stdout, "nbcheck: %d of %d notebooks need work (-strip removes outputs and Jupyter's metadata, -fix gofmt's cells)\n", bad, fs.NArg())
		return 1
	}
	return 0
}

// checkFile checks one notebook, rewrites it when opt asks for a repair, and
// reports whether nothing is left to do.
func checkFile(path string, opt options, w io.Writer) (bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	r, err := check(data, opt)
	if err != nil {
		return false, err
	}
	ok := true
	for _, p := range r.problems {
		if p.fixed {
			fmt.Fprintf(w, "%s: %s (repaired)\n", path, p)
		} else {
			fmt.Fprintf(w, "%s: %s\n", path, p)
			ok = false
		}
	}
	for _, f := range r.formatted {
		fmt.Fprintf(w, "%s: %s\n", path, f)
	}
	if r.out != nil {
		if err := os.WriteFile(path, r.out, 0o644); err != nil {
			return false, err
		}
	}
	return ok, nil
}
