package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// WriteFileAtomic writes data to path with permissions perm atomically:
// to a temporary file in the same directory, synced, then renamed over
// path, so that a reader, or a process killed at any moment, sees the old
// file or the new one, never a torn one. On error no temporary file is
// left behind.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), perm)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// SaveCheckpoint writes v as JSON to path atomically (WriteFileAtomic).
// plasticlib/meta and plasticlib/evolve checkpoint their training runs
// with it.
func SaveCheckpoint(path string, v any) error {
	b, err := json.Marshal(v)
	if err == nil {
		err = WriteFileAtomic(path, b, 0o644)
	}
	if err != nil {
		return fmt.Errorf("store: checkpoint %s: %w", path, err)
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
