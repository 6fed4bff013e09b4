package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFormatCell(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"clean", "x := 1\nfmt.Println(x)", "x := 1\nfmt.Println(x)"},
		{"statements", "x:=1\nif x>0{\nfmt.Println( x )\n}", "x := 1\nif x > 0 {\n\tfmt.Println(x)\n}"},
		{"imports sorted", "import (\n\t\"os\"\n\t\"fmt\"\n)\nfmt.Println(os.Args)", "import (\n\t\"fmt\"\n\t\"os\"\n)\nfmt.Println(os.Args)"},
		{"mixed runs", "import \"fmt\"\n\nfunc sq(x int) int {\nreturn x*x\n}\ny := sq(3)\ntype T struct{A int\nBB string}\nfmt.Println(y)",
			"import \"fmt\"\n\nfunc sq(x int) int {\n\treturn x * x\n}\ny := sq(3)\ntype T struct {\n\tA  int\n\tBB string\n}\nfmt.Println(y)"},
		{"method, then a literal called", "func (t T) M() int { return 1 }\nfunc() {\nfmt.Println(1)\n}()",
			"func (t T) M() int { return 1 }\nfunc() {\n\tfmt.Println(1)\n}()"},
		{"literal with a result", "f := 1\nfunc(a int) int {\nreturn a\n}(f)", "f := 1\nfunc(a int) int {\n\treturn a\n}(f)"},
		{"generic function", "func Max[T int|float64](a, b T) T {\nif a > b { return a }\nreturn b\n}\nMax(1, 2)",
			"func Max[T int | float64](a, b T) T {\n\tif a > b {\n\t\treturn a\n\t}\n\treturn b\n}\nMax(1, 2)"},
		{"raw string kept", "s := `\n  two\n\tthree\n`\nif true {\nt := `a\n\tb`\n_ = t\n}",
			"s := `\n  two\n\tthree\n`\nif true {\n\tt := `a\n\tb`\n\t_ = t\n}"},
		{"comments stay", "// top\nx := 1 // trailing\n\n\n// doc\nfunc f() {} // after\n// end",
			"// top\nx := 1 // trailing\n\n// doc\nfunc f() {} // after\n// end"},
		{"comments only", "// nothing to run\n", "// nothing to run"},
		{"blank lines trimmed", "\n\nx := 1\n\n\n\ny := 2\n\n", "x := 1\n\ny := 2"},
		{"label", "outer:\nfor i := 0; i < 2; i++ {\nbreak outer\n}", "outer:\nfor i := 0; i < 2; i++ {\n\tbreak outer\n}"},
		{"magic lines kept", "%env A=1\nx:=1\n  %% time  \ny:=2", "%env A=1\nx := 1\n  %% time\ny := 2"},
		{"magic inside a raw string is text", "s := `\n%not a magic\n`", "s := `\n%not a magic\n`"},
		{"two statements on a line", "a := 1; b := 2", "a := 1\nb := 2"},
		{"number literal case", "x := 0X1F + 1E3", "x := 0x1F + 1e3"},
		{"var and const", "var ( a = 1\nbb = 2 )\nconst c=3", "var (\n\ta  = 1\n\tbb = 2\n)\n\nconst c = 3"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		got, err := formatCell(tt.src)
		if err != nil {
			t.Errorf("%s: formatCell(%q): %v", tt.name, tt.src, err)
			continue
		}
		if got != tt.want {
			t.Errorf("%s: formatCell(%q) = %q; want %q", tt.name, tt.src, got, tt.want)
			continue
		}
		again, err := formatCell(got)
		if err != nil || again != got {
			t.Errorf("%s: formatCell(%q) = %q, %v; want it unchanged", tt.name, got, again, err)
		}
	}
}

func TestFormatCellErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"syntax error", "x := 1\ny := (2", "line 2:"},
		{"statement error position", "import \"fmt\"\n\nfmt.Println(\"a\" \"b\")", "line 3:"},
		{"declaration error position", "x := 1\nfunc f( {\n}", "line 2:"},
		{"unterminated string", "x := \"abc", "line 1:"},
		{"declaration and statement on one line", "x := 1; func f() {}", "on one line"},
	}
	for _, tt := range tests {
		got, err := formatCell(tt.src)
		if err == nil {
			t.Errorf("%s: formatCell(%q) = %q; want an error with %q", tt.name, tt.src, got, tt.want)
		} else if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: formatCell(%q) error %q; want it to contain %q", tt.name, tt.src, err, tt.want)
		}
	}
}

// The repository's cells come back unchanged from a second formatting.
func TestFormatCellIdempotentOnNotebooks(t *testing.T) {
	paths, _ := filepath.Glob("../../notebooks/*.ipynb")
	more, _ := filepath.Glob("../../test/notebooks/*.ipynb")
	paths = append(paths, more...)
	if len(paths) == 0 {
		t.Fatal("no notebooks found")
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		nb, err := decode(data)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for i, c := range nb["cells"].([]any) {
			cell := c.(map[string]any)
			if cell["cell_type"] != "code" {
				continue
			}
			src, _ := source(cell["source"])
			once, err := formatCell(src)
			if err != nil {
				continue // a cell that must fail to compile
			}
			twice, err := formatCell(once)
			if err != nil || twice != once {
				t.Errorf("%s cell %d: formatting twice gives %q, %v; want %q", p, i, twice, err, once)
			}
		}
	}
}
