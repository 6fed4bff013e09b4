package plugins

import (
	"go/parser"
	"go/token"
	"reflect"
	"runtime/debug"
	"strings"
	"testing"
)

func TestParseSpec(t *testing.T) {
	for _, tc := range []struct {
		arg, path, version, err string
	}{
		{arg: " github.com/google/uuid@v1.6.0 ", path: "github.com/google/uuid", version: "v1.6.0"},
		{arg: "golang.org/x/exp/constraints", path: "golang.org/x/exp/constraints"},
		{arg: "", err: "give a module"},
		{arg: "a b", err: "one module per line"},
		{arg: "-u", err: "is not a module path"},
		{arg: "./local", err: "is not a module path"},
		{arg: "github.com/google/uuid@", err: "the version after @ is empty"},
	} {
		s, err := ParseSpec(tc.arg)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseSpec(%q) = %v, want an error with %q", tc.arg, err, tc.err)
			}
			continue
		}
		if err != nil || s.Path != tc.path || s.Version != tc.version {
			t.Errorf("ParseSpec(%q) = %+v, %v, want %s %s", tc.arg, s, err, tc.path, tc.version)
		}
	}
}

func TestCacheName(t *testing.T) {
	a := CacheName("github.com/google/uuid", "v1.6.0")
	if !strings.HasPrefix(a, "github.com_google_uuid_v1.6.0-") {
		t.Errorf("CacheName = %q, want it readable", a)
	}
	for _, other := range []string{CacheName("github.com/google/uuid", "v1.5.0"), CacheName("github.com/google_uuid", "v1.6.0")} {
		if other == a {
			t.Errorf("CacheName gives %q to two modules", a)
		}
	}
	if long := CacheName(strings.Repeat("x/", 100), "v1"); len(long) > 100 {
		t.Errorf("CacheName of a long path is %d bytes long", len(long))
	}
}

func TestConflicts(t *testing.T) {
	kernel := map[string]string{"gonum.org/v1/gonum": "v0.17.0", "golang.org/x/text": "v0.28.0"}
	for _, tc := range []struct {
		name          string
		before, after map[string]string
		want          []Conflict
	}{
		{name: "new module, nothing moved",
			before: map[string]string{"gonum.org/v1/gonum": "v0.17.0", "golang.org/x/text": "v0.28.0"},
			after:  map[string]string{"gonum.org/v1/gonum": "v0.17.0", "golang.org/x/text": "v0.28.0", "github.com/google/uuid": "v1.6.0"}},
		{name: "kernel module upgraded",
			after: map[string]string{"gonum.org/v1/gonum": "v0.17.0", "golang.org/x/text": "v0.30.0", "example.com/m": "v1.0.0"},
			want:  []Conflict{{Module: "golang.org/x/text", Have: "v0.28.0", Want: "v0.30.0"}}},
		{name: "kernel module dropped",
			after: map[string]string{"golang.org/x/text": "v0.28.0"},
			want:  []Conflict{{Module: "gonum.org/v1/gonum", Have: "v0.17.0"}}},
		{name: "earlier module moved",
			before: map[string]string{"github.com/google/uuid": "v1.5.0"},
			after:  map[string]string{"gonum.org/v1/gonum": "v0.17.0", "golang.org/x/text": "v0.28.0", "github.com/google/uuid": "v1.6.0"},
			want:   []Conflict{{Module: "github.com/google/uuid", Have: "v1.5.0", Want: "v1.6.0", Earlier: true}}},
	} {
		if got := Conflicts(kernel, tc.before, tc.after); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: Conflicts = %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestConflictError(t *testing.T) {
	spec := Spec{Path: "example.com/m", Version: "v1.2.0"}
	for _, tc := range []struct {
		cs   []Conflict
		want []string
	}{
		{cs: []Conflict{{Module: "golang.org/x/text", Have: "v0.28.0", Want: "v0.30.0"}},
			want: []string{"%go get example.com/m@v1.2.0: it needs golang.org/x/text v0.30.0, but the kernel is built with golang.org/x/text v0.28.0",
				"Fetch an older version of example.com/m", "in /src run `go get golang.org/x/text@v0.30.0 && ./install.sh`"}},
		{cs: []Conflict{{Module: "example.com/m", Have: "v1.1.0", Want: "v1.2.0", Earlier: true}},
			want: []string{"example.com/m was fetched earlier and its plugin is built at v1.1.0", "delete /cache and restart the kernel"}},
	} {
		msg := conflictError("%go get "+spec.String(), spec.Path, tc.cs, "/src", "/cache").Error()
		for _, w := range tc.want {
			if !strings.Contains(msg, w) {
				t.Errorf("conflictError = %q\nwant it to contain %q", msg, w)
			}
		}
	}
}

func testBuildInfo() *debug.BuildInfo {
	return &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Deps: []*debug.Module{
			{Path: "gonum.org/v1/gonum", Version: "v0.17.0"},
			{Path: "example.com/fork", Version: "v1.0.0", Replace: &debug.Module{Path: "example.com/fork2", Version: "v1.0.1"}},
		},
		Settings: []debug.BuildSetting{
			{Key: "-buildmode", Value: "exe"}, {Key: "-tags", Value: "openblas"}, {Key: "-ldflags", Value: "-X main.sourceDir=/src"},
			{Key: "-trimpath", Value: "true"}, {Key: "CGO_ENABLED", Value: "1"}, {Key: "CGO_CFLAGS", Value: "-O2"},
			{Key: "GOARCH", Value: "amd64"}, {Key: "GOAMD64", Value: "v1"}, {Key: "vcs.revision", Value: "abc"},
		},
	}
}

func TestModFile(t *testing.T) {
	got := modFile(testBuildInfo(), "1.26", "/work/my src")
	want := `module plasticnb.plugins

go 1.26

require (
	github.com/plasticnb/plasticnb v0.0.0
	example.com/fork v1.0.0
	gonum.org/v1/gonum v0.17.0
)

replace (
	github.com/plasticnb/plasticnb => "/work/my src"
	example.com/fork => example.com/fork2 v1.0.1
)
`
	if got != want {
		t.Errorf("modFile =\n%s\nwant\n%s", got, want)
	}
	if v := kernelVersions(testBuildInfo()); !reflect.DeepEqual(v, map[string]string{"gonum.org/v1/gonum": "v0.17.0", "example.com/fork": "v1.0.1"}) {
		t.Errorf("kernelVersions = %v", v)
	}
}

func TestBuildFlags(t *testing.T) {
	flags, env := buildFlags(testBuildInfo())
	if want := []string{"-tags=openblas", "-trimpath"}; !reflect.DeepEqual(flags, want) {
		t.Errorf("flags = %q, want %q (no -ldflags: they are the kernel's main package's)", flags, want)
	}
	if want := []string{"CGO_ENABLED=1", "CGO_CFLAGS=-O2", "GOARCH=amd64", "GOAMD64=v1"}; !reflect.DeepEqual(env, want) {
		t.Errorf("env = %q, want %q", env, want)
	}
}

func TestCellPackage(t *testing.T) {
	code := `import "math"

func sq(x float64) float64 { return math.Sqrt(x) }

type Acc struct{ N int }

func (a *Acc) Add(k int) { a.N += k }

var hits, _ = 0, 1
const Two = 2
func init() {}
`
	c, err := CellPackage(code, 2)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"sq", "Acc", "hits", "Two"}; !reflect.DeepEqual(c.Names, want) {
		t.Errorf("Names = %q, want %q", c.Names, want)
	}
	for _, w := range []string{`"sq": plasticnbReflect.ValueOf(sq)`, `"Acc": plasticnbReflect.ValueOf((*Acc)(nil))`,
		`"hits": plasticnbReflect.ValueOf(&hits).Elem()`, `"Two": plasticnbReflect.ValueOf(Two)`, `"` + c.ImportPath + "/" + c.Name + `": {`} {
		if !strings.Contains(c.Symbols, w) {
			t.Errorf("the symbols file lacks %s:\n%s", w, c.Symbols)
		}
	}
	// Both files parse as one package, and the cell's lines keep their numbers.
	fset := token.NewFileSet()
	if _, err := parser.ParseFile(fset, "s.go", c.Symbols, 0); err != nil {
		t.Errorf("the symbols file does not parse: %v", err)
	}
	f, err := parser.ParseFile(fset, "cell.go", c.Source, 0)
	if err != nil {
		t.Fatal(err)
	}
	if p := fset.Position(f.Decls[1].Pos()); p.Filename != CellFile || p.Line != 4 {
		t.Errorf("func sq is at %v, want cell:4", p)
	}
	if c2, _ := CellPackage(code+"\n", 2); c2.ImportPath == c.ImportPath {
		t.Errorf("two different cells share the import path %s", c.ImportPath)
	}
	if c3, _ := CellPackage(code, 2); c3.ImportPath != c.ImportPath {
		t.Errorf("the same cell has two import paths")
	}

	for _, tc := range []struct{ code, err string }{
		{"func f() {}\nx := 1", "cell:3:1: expected declaration"},
		{"\nfunc Max[T int | float64](a, b T) T { return a }", "cell:3:1: Max is generic"},
		{"type Box[T any] struct{ v T }", "cell:2:6: Box is generic"},
		{"import \"fmt\"", "cell:2:1: the %%compile cell declares nothing"},
	} {
		if _, err := CellPackage(tc.code, 2); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("CellPackage(%q) = %v, want an error with %q", tc.code, err, tc.err)
		}
	}
}

func TestUnavailable(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{Disabled: "plugins are disabled in this kernel (PLASTICNB_PLUGINS=off)"}, "PLASTICNB_PLUGINS=off"},
		{Config{SourceDir: t.TempDir()}, "which no longer holds the plasticnb source"},
	} {
		b := New(tc.cfg)
		err := b.Available()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Available() = %v, want %q", err, tc.want)
			continue
		}
		if _, err2 := b.Compile(t.Context(), &Cell{}, nil); err2 == nil || err2.Error() != err.Error() {
			t.Errorf("Compile fails with %v, want %v", err2, err)
		}
		if _, err2 := b.GoGet(t.Context(), Spec{Path: "example.com/m"}, nil); err2 == nil || err2.Error() != err.Error() {
			t.Errorf("GoGet fails with %v, want %v", err2, err)
		}
	}
}
