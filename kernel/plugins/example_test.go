package plugins_test

import (
	"fmt"

	"github.com/plasticnb/plasticnb/kernel/plugins"
)

// A "%%compile" cell's declarations become a plugin's main package and a
// table of its names.
func ExampleCellPackage() {
	c, err := plugins.CellPackage("func sq(x float64) float64 { return x * x }\n\ntype Acc struct{ N int }", 2)
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Names)
	// Output: [sq Acc]
}

func ExampleParseSpec() {
	s, err := plugins.ParseSpec("github.com/google/uuid@v1.6.0")
	fmt.Println(s.Path, s.Version, err)
	// Output: github.com/google/uuid v1.6.0 <nil>
}

// Conflicts names each module whose version a "%go get" would move.
func ExampleConflicts() {
	kernel := map[string]string{"golang.org/x/text": "v0.28.0"}
	after := map[string]string{"golang.org/x/text": "v0.30.0", "example.com/m": "v1.2.0"}
	fmt.Printf("%+v\n", plugins.Conflicts(kernel, nil, after))
	// Output: [{Module:golang.org/x/text Have:v0.28.0 Want:v0.30.0 Earlier:false}]
}
