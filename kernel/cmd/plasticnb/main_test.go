package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	badJSON := filepath.Join(dir, "bad.json")
	os.WriteFile(badJSON, []byte("{"), 0o600)
	for _, tc := range []struct {
		args        []string
		code        int
		out, errOut string // substrings of stdout and stderr
	}{
		{nil, 2, "", "usage:"},
		{[]string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{[]string{"version"}, 0, "plasticnb ", ""},
		{[]string{"help"}, 0, "usage:", ""},
		{[]string{"kernel"}, 2, "", "give the connection file with -f FILE"},
		{[]string{"kernel", "-f", filepath.Join(dir, "none.json")}, 1, "", "does not exist"},
		{[]string{"kernel", "-f", badJSON}, 1, "", "is not valid JSON"},
		{[]string{"kernel", "-x"}, 2, "", "flag provided but not defined: -x"},
		{[]string{"install", "--user", "--prefix", dir}, 2, "", "at most one of"},
		{[]string{"install", "--prefix", dir, "--name", "bad name"}, 1, "", "may hold only letters"},
		{[]string{"install", "--prefix", dir, "extra"}, 2, "", `unexpected argument "extra"`},
		{[]string{"install", "--prefix", dir}, 0, "installed kernelspec plasticnb in " + filepath.Join(dir, "share", "jupyter", "kernels", "plasticnb"), ""},
	} {
		var out, errOut bytes.Buffer
		code := run(tc.args, &out, &errOut)
		if code != tc.code || !strings.Contains(out.String(), tc.out) || !strings.Contains(errOut.String(), tc.errOut) {
			t.Errorf("run(%q) = %d, stdout %q, stderr %q; want %d, %q, %q", tc.args, code, out.String(), errOut.String(), tc.code, tc.out, tc.errOut)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "share", "jupyter", "kernels", "plasticnb", "logo-64x64.png")); err != nil {
		t.Errorf("install wrote no logo: %v", err)
	}
}
