package sweep

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/plasticnb/plasticnb/plasticlib/store"
)

// ManifestFile is the sweep's manifest in its directory.
const ManifestFile = "sweep.json"

const manifestFormat = "plasticnb-sweep/1"

// Manifest is sweep.json: the spec and every job.
type Manifest struct {
	Format string `json:"format"`
	Spec   Spec   `json:"spec"`
	Jobs   []Job  `json:"jobs"`
}

// ReadManifest reads dir/sweep.json.
func ReadManifest(dir string) (*Manifest, error) {
	path := filepath.Join(dir, ManifestFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("sweep: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("sweep: %s: %w", path, err)
	}
	if m.Format != manifestFormat {
		return nil, fmt.Errorf("sweep: %s: format %q, want %q", path, m.Format, manifestFormat)
	}
	return &m, nil
}

// claim makes dir the directory of the sweep (spec, jobs): it writes the
// manifest when dir holds no sweep, and refuses a directory holding
// another sweep's, naming the spec fields that differ.
func claim(dir string, spec Spec, jobs []Job) error {
	old, err := ReadManifest(dir)
	switch {
	case err == nil:
		return sameSweep(dir, old, spec, jobs)
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	if _, err := os.Stat(filepath.Join(dir, "runs")); err == nil {
		return fmt.Errorf("sweep: -out %s holds results (runs/) but no %s: another sweep's; choose another directory", dir, ManifestFile)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	b, err := json.MarshalIndent(Manifest{Format: manifestFormat, Spec: spec, Jobs: jobs}, "", " ")
	if err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	if err := store.WriteFileAtomic(filepath.Join(dir, ManifestFile), append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	return nil
}

func sameSweep(dir string, old *Manifest, spec Spec, jobs []Job) error {
	var fields []string
	ov, nv := reflect.ValueOf(old.Spec), reflect.ValueOf(spec)
	for i := range ov.NumField() {
		a, _ := json.Marshal(ov.Field(i).Interface())
		b, _ := json.Marshal(nv.Field(i).Interface())
		if string(a) != string(b) {
			fields = append(fields, ov.Type().Field(i).Name)
		}
	}
	if len(fields) > 0 {
		return fmt.Errorf("sweep: -out %s holds another sweep's results (its spec differs in %s); choose another directory", dir, strings.Join(fields, ", "))
	}
	if !slices.EqualFunc(old.Jobs, jobs, func(a, b Job) bool { return a.ID() == b.ID() }) {
		return fmt.Errorf("sweep: -out %s holds another sweep's results (same spec, other jobs: a rule file or a named setting changed since); choose another directory", dir)
	}
	return nil
}
