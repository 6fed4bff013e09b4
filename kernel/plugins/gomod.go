package plugins

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
)

// ProjectModule is the module path of the kernel's own source, replaced in
// the plugin module by the kernel's source directory.
const ProjectModule = "github.com/plasticnb/plasticnb"

// Spec is what "%go get" asks for: a module or package path and a version
// ("" for the go command's default, the latest).
type Spec struct {
	Path, Version string
}

// ParseSpec parses the argument of "%go get": PATH or PATH@VERSION.
func ParseSpec(arg string) (Spec, error) {
	arg = strings.TrimSpace(arg)
	if arg == "" {
		return Spec{}, fmt.Errorf("%%go get: give a module, as in %%go get github.com/google/uuid@v1.6.0")
	}
	if strings.ContainsAny(arg, " \t") {
		return Spec{}, fmt.Errorf("%%go get %s: give one module per line", arg)
	}
	p, v, _ := strings.Cut(arg, "@")
	if p == "" || strings.HasPrefix(p, "-") || strings.HasPrefix(p, ".") || strings.HasPrefix(p, "/") {
		return Spec{}, fmt.Errorf("%%go get %s: %q is not a module path (as in github.com/google/uuid)", arg, p)
	}
	if strings.Contains(arg, "@") && v == "" {
		return Spec{}, fmt.Errorf("%%go get %s: the version after @ is empty", arg)
	}
	return Spec{Path: p, Version: v}, nil
}

// String is the spec as "%go get" takes it.
func (s Spec) String() string {
	if s.Version == "" {
		return s.Path
	}
	return s.Path + "@" + s.Version
}

// CacheName is the file name (without extension) of the plugin of the
// packages of path at version: readable, and unique for each pair.
func CacheName(path, version string) string {
	sum := sha256.Sum256([]byte(path + "@" + version))
	clean := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-':
			return r
		}
		return '_'
	}, path+"@"+version)
	if len(clean) > 80 {
		clean = clean[:80]
	}
	return clean + "-" + hex.EncodeToString(sum[:6])
}

// Conflict is a module the kernel (or a module fetched earlier) uses at
// one version and a "%go get" would move to another.
type Conflict struct {
	Module string
	// Have is the version the kernel was built with (or, with Earlier,
	// the one fetched earlier); Want the one the fetched module needs
	// ("" if it would drop the module).
	Have, Want string
	// Earlier: the module was fetched by an earlier "%go get", not built
	// into the kernel.
	Earlier bool
}

// Conflicts compares the build lists (module path to version) of the
// plugin module before and after a "%go get": every module of kernel (the
// modules the kernel was built with) whose version after differs, and
// every other module of before whose version changed (fetching a new
// version of an earlier fetched module is a conflict too: its plugin is
// built at the old one). The result is sorted by module path.
func Conflicts(kernel, before, after map[string]string) []Conflict {
	var cs []Conflict
	for m, have := range kernel {
		if want := after[m]; want != have {
			cs = append(cs, Conflict{Module: m, Have: have, Want: want})
		}
	}
	for m, have := range before {
		if _, ok := kernel[m]; ok {
			continue
		}
		if want, ok := after[m]; ok && want != have {
			cs = append(cs, Conflict{Module: m, Have: have, Want: want, Earlier: true})
		}
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].Module < cs[j].Module })
	return cs
}

// conflictError words the conflicts of what ("%go get PATH@VERSION", or
// "%%compile"), whose modules are mods ("github.com/x/y", or "the modules
// the cell imports"): what conflicts and what to do.
func conflictError(what, mods string, cs []Conflict, srcDir, pluginDir string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: ", what)
	var kernel []string
	earlier := false
	for i, c := range cs {
		if i > 0 {
			b.WriteString("; ")
		}
		switch {
		case c.Earlier:
			earlier = true
			fmt.Fprintf(&b, "it needs %s %s, but %s was fetched earlier and its plugin is built at %s", c.Module, c.Want, c.Module, c.Have)
		case c.Want == "":
			fmt.Fprintf(&b, "it would remove %s, which the kernel is built with at %s", c.Module, c.Have)
		default:
			kernel = append(kernel, c.Module+"@"+c.Want)
			fmt.Fprintf(&b, "it needs %s %s, but the kernel is built with %s %s", c.Module, c.Want, c.Module, c.Have)
		}
	}
	b.WriteString(". Plugins must use the versions of the modules that the kernel and the plugins loaded before use.")
	switch {
	case len(kernel) > 0:
		fmt.Fprintf(&b, " Fetch an older version of %s that works with the kernel's, or rebuild the kernel with the newer ones: in %s run `go get %s && ./install.sh`, then restart the kernel.", mods, srcDir, strings.Join(kernel, " "))
	case !earlier:
		fmt.Fprintf(&b, " Fetch another version of %s.", mods)
	}
	if earlier {
		fmt.Fprintf(&b, " To start over with other versions of the modules fetched earlier, delete %s and restart the kernel.", pluginDir)
	}
	return errors.New(b.String())
}

// kernelVersions returns the modules the kernel was built with, by path,
// at the version the build used (a replacement's, if replaced); the
// project's own module is left out.
func kernelVersions(bi *debug.BuildInfo) map[string]string {
	m := map[string]string{}
	for _, d := range bi.Deps {
		if d.Path == ProjectModule {
			continue
		}
		v := d.Version
		if d.Replace != nil {
			v = d.Replace.Version
		}
		m[d.Path] = v
	}
	return m
}

// modFile returns the go.mod of the plugin module: module plasticnb.plugins,
// requiring every module of the kernel's build at the kernel's version,
// with the project's module replaced by srcDir (and each replacement of
// the kernel's build kept).
func modFile(bi *debug.BuildInfo, goVersion, srcDir string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "module %s\n\ngo %s\n\nrequire (\n\t%s v0.0.0\n", pluginModule, goVersion, ProjectModule)
	deps := slices.Clone(bi.Deps)
	sort.Slice(deps, func(i, j int) bool { return deps[i].Path < deps[j].Path })
	var replaces []string
	for _, d := range deps {
		if d.Path == ProjectModule {
			continue
		}
		fmt.Fprintf(&b, "\t%s %s\n", d.Path, d.Version)
		if r := d.Replace; r != nil {
			if r.Version == "" {
				replaces = append(replaces, fmt.Sprintf("%s => %s", d.Path, r.Path))
			} else {
				replaces = append(replaces, fmt.Sprintf("%s => %s %s", d.Path, r.Path, r.Version))
			}
		}
	}
	b.WriteString(")\n\nreplace (\n")
	fmt.Fprintf(&b, "\t%s => %s\n", ProjectModule, quoteModPath(srcDir))
	for _, r := range replaces {
		fmt.Fprintf(&b, "\t%s\n", r)
	}
	b.WriteString(")\n")
	return b.String()
}

// quoteModPath quotes a directory for go.mod if it needs it.
func quoteModPath(dir string) string {
	if strings.ContainsAny(dir, " \t\"'`") {
		return fmt.Sprintf("%q", dir)
	}
	return dir
}

// pluginModule is the module path of the module plugins are built in.
const pluginModule = "plasticnb.plugins"

// buildFlags returns the go build flags and the environment that repeat
// the kernel's build: its tags, -trimpath, -race/-msan/-asan, -gcflags and
// -asmflags, and its cgo, GOOS, GOARCH and GOAMD64-style settings.
func buildFlags(bi *debug.BuildInfo) (flags, env []string) {
	for _, s := range bi.Settings {
		switch k, v := s.Key, s.Value; {
		case k == "-tags" && v != "":
			flags = append(flags, "-tags="+v)
		case (k == "-trimpath" || k == "-race" || k == "-msan" || k == "-asan") && v == "true":
			flags = append(flags, k)
		case k == "-gcflags" || k == "-asmflags":
			if v != "" {
				flags = append(flags, k+"="+v)
			}
		case k == "CGO_ENABLED" || k == "GOOS" || k == "GOARCH" || strings.HasPrefix(k, "CGO_") ||
			k == "GOAMD64" || k == "GOARM" || k == "GOARM64" || k == "GO386" || k == "GOMIPS" || k == "GOPPC64" || k == "GORISCV64" || k == "GOEXPERIMENT":
			env = append(env, k+"="+v)
		}
	}
	return flags, env
}

// setting returns a build setting of bi, "" if absent.
func setting(bi *debug.BuildInfo, key string) string {
	for _, s := range bi.Settings {
		if s.Key == key {
			return s.Value
		}
	}
	return ""
}
