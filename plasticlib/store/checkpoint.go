package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// SaveCheckpoint writes v as JSON to path atomically: to a temporary file
// in the same directory, synced, then renamed over path, so that a run
// killed at any moment leaves either the old checkpoint or the new one,
// never a torn file. plasticlib/meta and plasticlib/evolve checkpoint
// their training runs with it.
func SaveCheckpoint(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("store: checkpoint %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("store: checkpoint %s: %w", path, err)
	}
	_, werr := tmp.Write(b)
	if werr == nil {
		werr = tmp.Sync()
	}
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("store: checkpoint %s: %w", path, werr)
	}
	return nil
}

// LoadCheckpoint reads the JSON checkpoint at path into v. It returns
// false and no error when no file is there (a run starting afresh).
func LoadCheckpoint(path string, v any) (bool, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: checkpoint %s: %w", path, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("store: checkpoint %s: %w", path, err)
	}
	return true, nil
}
