package kernelspec_test

import (
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/plasticnb/plasticnb/kernel/kernelspec"
)

func TestInstall(t *testing.T) {
	data := kernelspec.PrefixDataDir(t.TempDir())
	dir, err := kernelspec.Install(data, kernelspec.Spec{Binary: "/opt/bin/plasticnb"})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(data, "kernels", "plasticnb"); dir != want {
		t.Errorf("Install dir = %s; want %s", dir, want)
	}
	b, err := os.ReadFile(filepath.Join(dir, "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"argv":           []any{"/opt/bin/plasticnb", "kernel", "-f", "{connection_file}"},
		"display_name":   "Go (plasticnb)",
		"language":       "go",
		"interrupt_mode": "message",
		"metadata":       map[string]any{"debugger": false},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("kernel.json = %v; want %v", got, want)
	}
	for _, size := range []int{32, 64} {
		f, err := os.Open(filepath.Join(dir, fmt.Sprintf("logo-%dx%d.png", size, size)))
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil || cfg.Width != size || cfg.Height != size {
			t.Errorf("logo %d: %dx%d, %v; want %dx%d", size, cfg.Width, cfg.Height, err, size, size)
		}
	}
}

func TestSpecErrors(t *testing.T) {
	for _, s := range []kernelspec.Spec{
		{Binary: "relative/plasticnb"},
		{Binary: "/bin/x", Name: "has space"},
		{Binary: "/bin/x", Name: "../escape"},
	} {
		if _, err := s.JSON(); err == nil {
			t.Errorf("Spec%+v.JSON() = nil error; want one", s)
		}
	}
}

func TestUserDataDir(t *testing.T) {
	t.Setenv("JUPYTER_DATA_DIR", "/tmp/jd")
	if d, err := kernelspec.UserDataDir(); err != nil || d != "/tmp/jd" {
		t.Errorf("UserDataDir() with JUPYTER_DATA_DIR = %q, %v; want /tmp/jd", d, err)
	}
	t.Setenv("JUPYTER_DATA_DIR", "")
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "/home/ada")
	if d, err := kernelspec.UserDataDir(); err != nil || d != "/home/ada/.local/share/jupyter" {
		t.Errorf("UserDataDir() = %q, %v; want /home/ada/.local/share/jupyter", d, err)
	}
	t.Setenv("XDG_DATA_HOME", "/xdg")
	if d, err := kernelspec.UserDataDir(); err != nil || d != "/xdg/jupyter" {
		t.Errorf("UserDataDir() with XDG_DATA_HOME = %q, %v; want /xdg/jupyter", d, err)
	}
}

func ExampleSpec_JSON() {
	b, _ := kernelspec.Spec{Binary: "/usr/local/bin/plasticnb"}.JSON()
	fmt.Print(string(b))
	// Output:
	// {
	//   "argv": [
	//     "/usr/local/bin/plasticnb",
	//     "kernel",
	//     "-f",
	//     "{connection_file}"
	//   ],
	//   "display_name": "Go (plasticnb)",
	//   "language": "go",
	//   "interrupt_mode": "message",
	//   "metadata": {
	//     "debugger": false
	//   }
	// }
}
