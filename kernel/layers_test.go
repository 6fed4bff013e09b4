package kernel_test

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The module's import path, and the layer rules the import graph must keep
// (see the package documentation and the README's layout).
const module = "github.com/plasticnb/plasticnb"

// TestLayers checks the import direction with `go list -deps`: the
// dispatcher never reaches gonum/plot; the contract packages (cell, comm)
// import only the standard library; plasticlib never reaches the kernel or
// plots; plots never reaches the kernel.
func TestLayers(t *testing.T) {
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := exec.LookPath(goBin); err != nil {
		if goBin, err = exec.LookPath("go"); err != nil {
			t.Skip("no go command to list the packages' dependencies")
		}
	}
	for _, tc := range []struct {
		pkgs      string // a package pattern, relative to the module
		forbidden []string
		stdOnly   bool // only standard library packages besides itself
	}{
		{pkgs: "kernel", forbidden: []string{"gonum.org/v1/plot", module + "/plots", module + "/plasticlib", module + "/kernel/display"}},
		{pkgs: "kernel/wire", forbidden: []string{"gonum.org/", module + "/kernel/cell"}},
		{pkgs: "kernel/cell", stdOnly: true},
		{pkgs: "kernel/comm", stdOnly: true},
		{pkgs: "kernel/widget", forbidden: []string{"gonum.org/", module + "/kernel/display", module + "/kernel/wire", module + "/plasticlib"}},
		{pkgs: "kernel/capture", forbidden: []string{"gonum.org/v1/plot", module + "/kernel/display"}},
		{pkgs: "plasticlib/...", forbidden: []string{module + "/kernel", module + "/plots", "gonum.org/v1/plot"}},
		{pkgs: "plots/...", forbidden: []string{module + "/kernel"}},
		{pkgs: "kernel/goeval", forbidden: []string{module + "/kernel/symbols", module + "/plasticlib", module + "/plots"}},
		{pkgs: "plasticlib/optim", stdOnly: true},
		{pkgs: "plasticlib/field", stdOnly: true},
	} {
		cmd := exec.Command(goBin, "list", "-deps", "-f", "{{.ImportPath}} {{.Standard}}", "./"+tc.pkgs)
		cmd.Dir = ".." // the module root, from kernel/
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps ./%s: %v\n%s", tc.pkgs, err, out)
		}
		self := module + "/" + strings.TrimSuffix(tc.pkgs, "/...")
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			path, std, _ := strings.Cut(line, " ")
			if tc.stdOnly && std != "true" && path != self {
				t.Errorf("./%s imports %s; it must import only the standard library", tc.pkgs, path)
			}
			for _, f := range tc.forbidden {
				if path == f || strings.HasPrefix(path, f+"/") || (strings.HasSuffix(f, "/") && strings.HasPrefix(path, f)) {
					t.Errorf("./%s reaches %s; the layers forbid %s", tc.pkgs, path, f)
				}
			}
		}
	}
}
