// Package kernelspec writes the Jupyter kernelspec of plasticnb: the
// kernel.json that tells Jupyter how to start the kernel, and its logos,
// into a Jupyter data directory's kernels/NAME folder.
//
// It is used by the install command of kernel/cmd/plasticnb and knows
// nothing of the protocol; it imports only the standard library.
package kernelspec

import (
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
)

// Spec is a kernelspec. Its zero value is not valid: Argv needs the
// kernel binary.
type Spec struct {
	// Name is the kernelspec's folder name (letters, digits, '.', '_',
	// '-'); "" means "plasticnb".
	Name string
	// DisplayName is what frontends show; "" means "Go (plasticnb)".
	DisplayName string
	// Binary is the absolute path of the kernel binary.
	Binary string
}

// kernelJSON is the kernel.json file.
type kernelJSON struct {
	Argv          []string       `json:"argv"`
	DisplayName   string         `json:"display_name"`
	Language      string         `json:"language"`
	InterruptMode string         `json:"interrupt_mode"`
	Metadata      map[string]any `json:"metadata"`
}

var validName = regexp.MustCompile(`^[a-zA-Z0-9._-]+$`)

func (s *Spec) normalize() error {
	if s.Name == "" {
		s.Name = "plasticnb"
	}
	if s.DisplayName == "" {
		s.DisplayName = "Go (plasticnb)"
	}
	if !validName.MatchString(s.Name) {
		return fmt.Errorf("kernelspec: Name %q may hold only letters, digits, '.', '_' and '-'", s.Name)
	}
	if !filepath.IsAbs(s.Binary) {
		return fmt.Errorf("kernelspec: Binary %q is not an absolute path", s.Binary)
	}
	return nil
}

// JSON returns the content of kernel.json for s.
func (s Spec) JSON() ([]byte, error) {
	if err := s.normalize(); err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(kernelJSON{
		Argv:          []string{s.Binary, "kernel", "-f", "{connection_file}"},
		DisplayName:   s.DisplayName,
		Language:      "go",
		InterruptMode: "message",
		Metadata:      map[string]any{"debugger": false},
	}, "", "  ")
	return append(b, '\n'), err
}

// Install writes kernel.json, logo-32x32.png and logo-64x64.png into
// dataDir/kernels/NAME, creating the folders, and returns that folder.
// dataDir is a Jupyter data directory (see UserDataDir and PrefixDataDir).
func Install(dataDir string, s Spec) (string, error) {
	js, err := s.JSON()
	if err != nil {
		return "", err
	}
	s.normalize()
	dir := filepath.Join(dataDir, "kernels", s.Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("kernelspec: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "kernel.json"), js, 0o644); err != nil {
		return "", fmt.Errorf("kernelspec: %w", err)
	}
	for _, size := range []int{32, 64} {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("logo-%dx%d.png", size, size)))
		if err != nil {
			return "", fmt.Errorf("kernelspec: %w", err)
		}
		err = png.Encode(f, Logo(size))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return "", fmt.Errorf("kernelspec: writing the %dx%d logo: %w", size, size, err)
		}
	}
	return dir, nil
}

// UserDataDir returns the user's Jupyter data directory, as `jupyter
// --data-dir` computes it: $JUPYTER_DATA_DIR if set; otherwise
// $XDG_DATA_HOME/jupyter or ~/.local/share/jupyter on Linux and other
// Unixes, ~/Library/Jupyter on macOS, %APPDATA%\jupyter on Windows.
func UserDataDir() (string, error) {
	if d := os.Getenv("JUPYTER_DATA_DIR"); d != "" {
		return d, nil
	}
	home, err := os.UserHomeDir()
	switch runtime.GOOS {
	case "windows":
		if d := os.Getenv("APPDATA"); d != "" {
			return filepath.Join(d, "jupyter"), nil
		}
	case "darwin":
		if err == nil {
			return filepath.Join(home, "Library", "Jupyter"), nil
		}
	default:
		if d := os.Getenv("XDG_DATA_HOME"); d != "" {
			return filepath.Join(d, "jupyter"), nil
		}
	}
	if err != nil {
		return "", errors.New("kernelspec: no home directory (set HOME or JUPYTER_DATA_DIR)")
	}
	return filepath.Join(home, ".local", "share", "jupyter"), nil
}

// PrefixDataDir returns the Jupyter data directory of an installation
// prefix: PREFIX/share/jupyter.
func PrefixDataDir(prefix string) string {
	return filepath.Join(prefix, "share", "jupyter")
}

// Logo draws the kernel's logo, size by size pixels: a neuron (a white
// ring with three dendrites) on a Go-blue disc.
func Logo(size int) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	blue := color.NRGBA{0x00, 0xAD, 0xD8, 0xFF}
	white := color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF}
	c := float64(size) / 2
	for y := range size {
		for x := range size {
			dx, dy := float64(x)+0.5-c, float64(y)+0.5-c
			r := math.Hypot(dx, dy) / c // 0 at the centre, 1 at the edge
			switch {
			case r > 1:
				continue
			case r > 0.30 && r < 0.45:
				img.SetNRGBA(x, y, white)
			case r >= 0.45 && r < 0.9 && onSpoke(dx, dy, size):
				img.SetNRGBA(x, y, white)
			default:
				img.SetNRGBA(x, y, blue)
			}
		}
	}
	return img
}

// onSpoke reports whether (dx, dy) lies on one of three dendrites at 90°,
// 210° and 330°.
func onSpoke(dx, dy float64, size int) bool {
	width := math.Max(1, float64(size)/16)
	for _, a := range []float64{math.Pi / 2, 7 * math.Pi / 6, 11 * math.Pi / 6} {
		ux, uy := math.Cos(a), -math.Sin(a)
		along := dx*ux + dy*uy
		across := math.Abs(-dx*uy + dy*ux)
		if along > 0 && across < width {
			return true
		}
	}
	return false
}
