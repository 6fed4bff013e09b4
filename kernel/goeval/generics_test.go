package goeval

import (
	"strings"
	"testing"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// TestCanaryGenericSort runs slices.Sort and maps.Keys on bare yaegi. It
// fails once yaegi defines them itself: then delete generics.go, whose
// source the kernel compiles in their place.
func TestCanaryGenericSort(t *testing.T) {
	for _, src := range []string{
		"package main\nimport \"slices\"\nfunc f() { x := []int{2, 1}; slices.Sort(x) }",
		"package main\nimport \"maps\"\nfunc g() { _ = maps.Keys(map[int]int{}) }",
	} {
		yi := interp.New(interp.Options{})
		if err := yi.Use(stdlib.Symbols); err != nil {
			t.Fatal(err)
		}
		_, err := yi.Eval(src)
		if err == nil || !strings.Contains(err.Error(), "undefined selector") {
			t.Errorf("bare yaegi on %q: error %v; want \"undefined selector\" (if yaegi fixed it, delete generics.go)", src, err)
		}
	}
}
