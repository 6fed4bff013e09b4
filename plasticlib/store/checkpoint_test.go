package store_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/store"
)

func TestCheckpoint(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ck.json")
	type state struct {
		Iteration int
		Phi       []float64
	}
	var got state
	if ok, err := store.LoadCheckpoint(path, &got); ok || err != nil {
		t.Fatalf("LoadCheckpoint(missing) = %v, %v; want false, nil", ok, err)
	}
	for it := 1; it <= 2; it++ {
		if err := store.SaveCheckpoint(path, state{Iteration: it, Phi: []float64{0.5, -1}}); err != nil {
			t.Fatal(err)
		}
	}
	if ok, err := store.LoadCheckpoint(path, &got); !ok || err != nil || got.Iteration != 2 || got.Phi[1] != -1 {
		t.Fatalf("LoadCheckpoint = %v, %v, %+v; want the second save", ok, err, got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%d files in the directory after two saves; want only the checkpoint", len(entries))
	}
	if err := os.WriteFile(path, []byte("{torn"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := store.LoadCheckpoint(path, &got); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("LoadCheckpoint(torn) = %v; want an error naming the file", err)
	}
	if err := store.SaveCheckpoint(filepath.Join(dir, "no", "such", "dir.json"), state{}); err == nil {
		t.Error("SaveCheckpoint into a missing directory succeeded")
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.json")
	if err := store.WriteFileAtomic(path, []byte("one\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := store.WriteFileAtomic(path, []byte("two\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	fi, _ := os.Stat(path)
	if err != nil || string(b) != "two\n" || fi.Mode().Perm() != 0o640 {
		t.Errorf("after two writes: %q, %v, mode %v; want \"two\\n\", 0640", b, err, fi.Mode().Perm())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files in the directory; want only the written one", len(entries))
	}
}
