package goeval

import (
	"context"
	"fmt"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/plasticnb/plasticnb/kernel/cell"
	"github.com/plasticnb/plasticnb/kernel/symbols"
)

// TestImportEveryPackage imports each package of the symbol tables in a
// cell and uses one of its exported names.
func TestImportEveryPackage(t *testing.T) {
	ip := newInterp(t)
	var keys []string
	for k := range symbols.Symbols {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for i, k := range keys {
		p := path.Dir(k)
		var member string
		for name := range symbols.Symbols[k] {
			if !strings.HasPrefix(name, "_") && (member == "" || name < member) {
				member = name
			}
		}
		code := fmt.Sprintf("import p%d %q", i, p)
		if member != "" {
			code += fmt.Sprintf("\n_ = p%d.%s", i, member)
		}
		if res := ip.Execute(context.Background(), cell.Request{Code: code}, &recorder{}); res.Err != nil {
			// A type name cannot be a value: declare a variable of it.
			code = fmt.Sprintf("var v%d p%d.%s", i, i, member)
			if res2 := ip.Execute(context.Background(), cell.Request{Code: code}, &recorder{}); res2.Err != nil {
				t.Errorf("package %s: %v; then %v", p, res.Err, res2.Err)
			}
		}
	}
}
