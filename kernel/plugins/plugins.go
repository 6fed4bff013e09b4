package plugins

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/traefik/yaegi/interp"
)

// Config sets up a Builder.
type Config struct {
	// SourceDir is the directory of the source the kernel was built
	// from (it holds go.mod of module github.com/plasticnb/plasticnb).
	SourceDir string
	// CacheDir holds the plugins; "" means PLASTICNB_PLUGIN_CACHE, or
	// os.UserCacheDir()/plasticnb/plugins.
	CacheDir string
	// Disabled, if not empty, is why plugins are off (every call fails
	// with it).
	Disabled string
}

// DefaultCacheDir is where plugins are cached unless Config.CacheDir or
// PLASTICNB_PLUGIN_CACHE says otherwise.
func DefaultCacheDir() string {
	if d := os.Getenv("PLASTICNB_PLUGIN_CACHE"); d != "" {
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		d = os.TempDir()
	}
	return filepath.Join(d, "plasticnb", "plugins")
}

// Builder builds, caches and loads plugins. Its methods are safe for
// concurrent use (one build at a time).
type Builder struct {
	cfg Config

	once   sync.Once // checks and sets up the module, on first use
	err    error     // why plugins cannot work here, after once
	bi     *debug.BuildInfo
	goBin  string // the go command
	dir    string // CacheDir/<kernel id>
	flags  []string
	env    []string
	kernel map[string]string // the kernel's module versions

	mu     sync.Mutex
	loaded map[string]interp.Exports // plugin file -> its tables
}

// New returns a Builder; it checks nothing until first used.
func New(cfg Config) *Builder {
	if cfg.CacheDir == "" {
		cfg.CacheDir = DefaultCacheDir()
	}
	return &Builder{cfg: cfg, loaded: map[string]interp.Exports{}}
}

// Dir returns the cache directory of this kernel's plugins (it may not
// exist yet).
func (b *Builder) Dir() string {
	b.setup()
	if b.dir != "" {
		return b.dir
	}
	return b.cfg.CacheDir
}

// Available returns nil if plugins can be built and loaded here, or the
// reason why not, as one sentence.
func (b *Builder) Available() error {
	b.setup()
	return b.err
}

func (b *Builder) setup() {
	b.once.Do(func() { b.err = b.check() })
}

// check finds out whether plugins work here and prepares the plugin
// module.
func (b *Builder) check() error {
	if b.cfg.Disabled != "" {
		return errors.New(b.cfg.Disabled)
	}
	if !pluginsSupported {
		switch runtime.GOOS {
		case "linux", "darwin", "freebsd":
			return errors.New("plugins are unavailable: this kernel was built without cgo (CGO_ENABLED=0), which Go plugins need; rebuild it with install.sh with a C compiler installed")
		}
		return fmt.Errorf("plugins are unavailable: Go plugins do not work on %s", runtime.GOOS)
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return errors.New("plugins are unavailable: the kernel binary carries no build information")
	}
	b.bi = bi
	if setting(bi, "CGO_ENABLED") != "1" {
		return errors.New("plugins are unavailable: the kernel was built without cgo (CGO_ENABLED=0); rebuild it with install.sh with a C compiler installed")
	}
	src := b.cfg.SourceDir
	if src == "" {
		return errors.New("plugins are unavailable: the kernel does not know the source directory it was built from (build it with install.sh)")
	}
	if data, err := os.ReadFile(filepath.Join(src, "go.mod")); err != nil || !bytes.Contains(data, []byte("module "+ProjectModule+"\n")) {
		return fmt.Errorf("plugins are unavailable: the kernel was built from %s, which no longer holds the plasticnb source; rebuild the kernel with install.sh", src)
	}
	goBin, err := findGo(bi.GoVersion)
	if err != nil {
		return err
	}
	b.goBin = goBin
	cc, _ := b.goEnv("CC")
	if cc == "" {
		cc = "gcc"
	}
	if _, err := exec.LookPath(strings.Fields(cc)[0]); err != nil {
		return fmt.Errorf("plugins are unavailable: no C compiler (%s) is installed, and building a Go plugin needs one", cc)
	}
	id, err := kernelID()
	if err != nil {
		return fmt.Errorf("plugins are unavailable: reading the kernel binary: %v", err)
	}
	b.dir = filepath.Join(b.cfg.CacheDir, id)
	b.flags, b.env = buildFlags(bi)
	b.kernel = kernelVersions(bi)
	return b.prepareModule()
}

// findGo returns the go command of the toolchain version that built the
// kernel: GOROOT's, or the one on PATH.
func findGo(version string) (string, error) {
	var tried []string
	cands := []string{filepath.Join(runtime.GOROOT(), "bin", "go")}
	if p, err := exec.LookPath("go"); err == nil {
		cands = append(cands, p)
	}
	for _, c := range cands {
		out, err := exec.Command(c, "env", "GOVERSION").Output()
		if err != nil {
			continue
		}
		v := strings.TrimSpace(string(out))
		if v == version {
			return c, nil
		}
		tried = append(tried, c+" is "+v)
	}
	if len(tried) == 0 {
		return "", fmt.Errorf("plugins are unavailable: no go command is installed (the kernel was built with %s, and plugins need that toolchain)", version)
	}
	return "", fmt.Errorf("plugins are unavailable: the kernel was built with %s, but %s; rebuild the kernel with install.sh", version, strings.Join(tried, ", "))
}

// kernelID is the SHA-256 of the running binary (its first 16 hex
// digits): plugins built for one kernel binary are never loaded by another.
func kernelID() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	f, err := os.Open(exe)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return "kernel-" + hex.EncodeToString(h.Sum(nil))[:16], nil
}

// modDir is the plugin module's directory.
func (b *Builder) modDir() string { return filepath.Join(b.dir, "mod") }

// prepareModule writes the plugin module's go.mod and go.sum unless they
// exist (they then hold the modules fetched earlier).
func (b *Builder) prepareModule() error {
	dir := b.modDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("plugins are unavailable: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
		return nil
	}
	goVersion := strings.TrimPrefix(b.bi.GoVersion, "go")
	if mf, err := os.ReadFile(filepath.Join(b.cfg.SourceDir, "go.mod")); err == nil {
		if m := regexp.MustCompile(`(?m)^go (\S+)`).FindSubmatch(mf); m != nil {
			goVersion = string(m[1])
		}
	}
	sum, err := os.ReadFile(filepath.Join(b.cfg.SourceDir, "go.sum"))
	if err != nil {
		return fmt.Errorf("plugins are unavailable: the kernel's source has no go.sum: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
		return fmt.Errorf("plugins are unavailable: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(modFile(b.bi, goVersion, b.cfg.SourceDir)), 0o644); err != nil {
		return fmt.Errorf("plugins are unavailable: %v", err)
	}
	return nil
}

// goCmd returns a go command run in the plugin module with the kernel's
// settings (the toolchain pinned: GOTOOLCHAIN=local).
func (b *Builder) goCmd(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, b.goBin, args...)
	cmd.Dir = b.modDir()
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local", "GOWORK=off", "GOFLAGS=-mod=mod")
	cmd.Env = append(cmd.Env, b.env...)
	return cmd
}

func (b *Builder) goEnv(key string) (string, error) {
	out, err := exec.Command(b.goBin, "env", key).Output()
	return strings.TrimSpace(string(out)), err
}

// run runs a go command and returns its combined output.
func (b *Builder) run(ctx context.Context, args ...string) (string, error) {
	var out bytes.Buffer
	cmd := b.goCmd(ctx, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ctx.Err() != nil {
		return out.String(), ctx.Err()
	}
	return out.String(), err
}

// snapshot saves the plugin module's go.mod and go.sum and returns the
// function that puts them back.
func (b *Builder) snapshot() (restore func()) {
	mod, _ := os.ReadFile(filepath.Join(b.modDir(), "go.mod"))
	sum, _ := os.ReadFile(filepath.Join(b.modDir(), "go.sum"))
	return func() {
		os.WriteFile(filepath.Join(b.modDir(), "go.mod"), mod, 0o644)
		os.WriteFile(filepath.Join(b.modDir(), "go.sum"), sum, 0o644)
	}
}

// buildList returns the plugin module's build list, path to version.
func (b *Builder) buildList(ctx context.Context) (map[string]string, error) {
	out, err := b.run(ctx, "list", "-m", "-f", "{{.Path}} {{if .Replace}}{{.Replace.Version}}{{else}}{{.Version}}{{end}}", "all")
	if err != nil {
		return nil, fmt.Errorf("go list -m all: %v\n%s", err, out)
	}
	m := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 2 {
			m[f[0]] = f[1]
		} else if len(f) == 1 && f[0] != pluginModule {
			m[f[0]] = ""
		}
	}
	return m, nil
}

// Loaded is what a plugin brought into the kernel.
type Loaded struct {
	// Symbols are its export tables, for interp.Use.
	Symbols interp.Exports
	// Packages are the import paths of its packages.
	Packages []string
	// Cached: the plugin was built by an earlier run.
	Cached bool
	// Version is the module version fetched (GoGet).
	Version string
}

// lock takes an exclusive lock on the cache directory for this kernel's
// plugins, which kernels running at once share.
func (b *Builder) lock() (unlock func(), err error) {
	b.mu.Lock()
	fl, err := lockFile(filepath.Join(b.dir, "lock"))
	if err != nil {
		b.mu.Unlock()
		return nil, err
	}
	return func() { fl(); b.mu.Unlock() }, nil
}

// begin starts a build: it checks that plugins work, takes the lock, and
// returns the directory of the plugin files.
func (b *Builder) begin() (soDir string, unlock func(), err error) {
	if err := b.Available(); err != nil {
		return "", nil, err
	}
	if unlock, err = b.lock(); err != nil {
		return "", nil, err
	}
	soDir = filepath.Join(b.dir, "so")
	if err := os.MkdirAll(soDir, 0o755); err != nil {
		unlock()
		return "", nil, err
	}
	return soDir, unlock, nil
}

// GoGet fetches the module (or package) of spec, builds the plugin of its
// packages and loads it. Progress lines go to progress.
func (b *Builder) GoGet(ctx context.Context, spec Spec, progress io.Writer) (*Loaded, error) {
	soDir, unlock, err := b.begin()
	if err != nil {
		return nil, err
	}
	defer unlock()
	// A pinned version built earlier: load it without the go command.
	if spec.Version != "" && !strings.Contains(spec.Version, "latest") {
		so := filepath.Join(soDir, CacheName(spec.Path, spec.Version)+".so")
		if _, err := os.Stat(so); err == nil {
			l, err := b.open(so)
			if err == nil {
				l.Cached, l.Version = true, spec.Version
			}
			return l, err
		}
	}
	before, err := b.buildList(ctx)
	if err != nil {
		return nil, err
	}
	restore := b.snapshot()
	fmt.Fprintf(progress, "go get %s\n", spec)
	if out, err := b.run(ctx, "get", spec.String()); err != nil {
		restore()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%%go get %s failed:\n%s", spec, strings.TrimSpace(out))
	}
	after, err := b.buildList(ctx)
	if err != nil {
		restore()
		return nil, err
	}
	if cs := Conflicts(b.kernel, before, after); len(cs) > 0 {
		restore()
		return nil, conflictError("%go get "+spec.String(), spec.Path, cs, b.cfg.SourceDir, b.dir)
	}
	pkgs, modPath, version, err := b.packages(ctx, spec)
	if err != nil {
		return nil, err
	}
	if version == "" {
		version = after[modPath]
	}
	so := filepath.Join(soDir, CacheName(spec.Path, version)+".so")
	if _, err := os.Stat(so); err != nil {
		if err := b.buildGet(ctx, spec, pkgs, so, progress); err != nil {
			return nil, err
		}
	}
	l, err := b.open(so)
	if err == nil {
		l.Version = version
		// Cached under the pinned name too, for a rerun without the go command.
		if spec.Version != version {
			alias := filepath.Join(soDir, CacheName(spec.Path, spec.Version)+".so")
			if spec.Version != "" && !strings.Contains(spec.Version, "latest") {
				os.Symlink(filepath.Base(so), alias)
			}
		}
	}
	return l, err
}

// packages returns the packages of spec to put in its plugin: the package
// of that path if there is one, else every package of the module below it
// that is not internal, a command or a test helper; and the module's path
// and version.
func (b *Builder) packages(ctx context.Context, spec Spec) (pkgs []string, modPath, version string, err error) {
	format := "{{.ImportPath}}\t{{.Name}}\t{{if .Module}}{{.Module.Path}}\t{{.Module.Version}}{{end}}\t{{if .Error}}{{.Error.Err}}{{end}}"
	out, err := b.run(ctx, "list", "-e", "-f", format, spec.Path, spec.Path+"/...")
	if err != nil {
		return nil, "", "", fmt.Errorf("%%go get %s: listing its packages: %v\n%s", spec, err, out)
	}
	var direct []string
	for _, line := range strings.Split(out, "\n") {
		f := strings.Split(line, "\t")
		if len(f) < 5 || f[4] != "" || f[1] == "main" || f[1] == "" {
			continue
		}
		p := f[0]
		if modPath == "" {
			modPath, version = f[2], f[3]
		}
		if p == spec.Path {
			direct = []string{p}
			modPath, version = f[2], f[3]
			break
		}
		if strings.Contains("/"+p+"/", "/internal/") || strings.Contains("/"+p+"/", "/testdata/") ||
			strings.Contains("/"+p+"/", "/cmd/") || strings.HasSuffix(p, "test") {
			continue
		}
		pkgs = append(pkgs, p)
	}
	if direct != nil {
		pkgs = direct
	}
	if len(pkgs) == 0 {
		return nil, "", "", fmt.Errorf("%%go get %s: the module holds no importable package at %s", spec, spec.Path)
	}
	return pkgs, modPath, version, nil
}

// buildGet generates the export tables of pkgs and builds their plugin
// into so.
func (b *Builder) buildGet(ctx context.Context, spec Spec, pkgs []string, so string, progress io.Writer) error {
	dir := filepath.Join(b.modDir(), "p", strings.TrimSuffix(filepath.Base(so), ".so"))
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	main := fmt.Sprintf("// Code generated by plasticnb for %%go get %s. DO NOT EDIT.\n\npackage main\n\nimport \"reflect\"\n\n// %s holds the export tables of the packages, filled by the init functions of the other files.\nvar %s = map[string]map[string]reflect.Value{}\n\n// Symbols is the name yaegi's extracted files fill.\nvar Symbols = %s\n", spec, SymbolsVar, SymbolsVar, SymbolsVar)
	if err := os.WriteFile(filepath.Join(dir, "plugin.go"), []byte(main), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(progress, "generating the export tables of %s\n", strings.Join(pkgs, ", "))
	if err := b.extract(ctx, dir, pkgs); err != nil {
		return fmt.Errorf("%%go get %s: generating the export tables: %v", spec, err)
	}
	fmt.Fprintln(progress, "building the plugin (the first plugin on a machine can take a minute: the go command compiles the standard library for plugins once)")
	if err := b.build(ctx, dir, so); err != nil {
		return fmt.Errorf("%%go get %s: building the plugin: %v", spec, err)
	}
	return nil
}

// extract runs the kernel binary as "plasticnb extract-symbols DIR PKG..."
// in the plugin module: yaegi's extractor type-checks from source in the
// current directory, which the kernel process must not change.
func (b *Builder) extract(ctx context.Context, dir string, pkgs []string) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, exe, append([]string{ExtractCommand, dir}, pkgs...)...)
	cmd.Dir = b.modDir()
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local", "GOWORK=off", "GOFLAGS=-mod=mod", "PATH="+filepath.Dir(b.goBin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	cmd.Env = append(cmd.Env, b.env...)
	if tags := setting(b.bi, "-tags"); tags != "" {
		cmd.Env = append(cmd.Env, extractTagsEnv+"="+tags)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%v\n%s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

// build builds the plugin of the package in dir into so (through a
// temporary file, so that a cached plugin is always whole).
func (b *Builder) build(ctx context.Context, dir, so string) error {
	tmp := so + ".tmp"
	args := append([]string{"build", "-buildmode=plugin"}, b.flags...)
	args = append(args, "-o", tmp, "./"+filepath.ToSlash(mustRel(b.modDir(), dir)))
	out, err := b.run(ctx, args...)
	if err != nil {
		os.Remove(tmp)
		return &BuildError{Output: compilerLines(out), Err: err}
	}
	return os.Rename(tmp, so)
}

func mustRel(base, p string) string {
	r, err := filepath.Rel(base, p)
	if err != nil {
		return p
	}
	return r
}

// BuildError is a failed plugin build: the compiler's lines.
type BuildError struct {
	Output string
	Err    error
}

func (e *BuildError) Error() string {
	if e.Output == "" {
		return e.Err.Error()
	}
	return e.Output
}

// compilerLines drops the go command's "# package" headers from its output.
func compilerLines(out string) string {
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.HasPrefix(l, "# ") {
			continue
		}
		lines = append(lines, l)
	}
	return strings.Join(lines, "\n")
}

// Compile builds the plugin of a "%%compile" cell (CellPackage) and loads
// it.
func (b *Builder) Compile(ctx context.Context, c *Cell, progress io.Writer) (*Loaded, error) {
	soDir, unlock, err := b.begin()
	if err != nil {
		return nil, err
	}
	defer unlock()
	// The cell's plugin depends on the modules fetched so far too.
	mod, _ := os.ReadFile(filepath.Join(b.modDir(), "go.mod"))
	sum := sha256.Sum256(append([]byte(c.Hash), mod...))
	name := "cell-" + c.Hash + "-" + hex.EncodeToString(sum[:4])
	so := filepath.Join(soDir, name+".so")
	cached := true
	if _, err := os.Stat(so); err != nil {
		cached = false
		dir := filepath.Join(b.modDir(), "p", name)
		os.RemoveAll(dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(dir, "cell.go"), []byte(c.Source), 0o644); err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(dir, "zz_plasticnb_symbols.go"), []byte(c.Symbols), 0o644); err != nil {
			return nil, err
		}
		fmt.Fprintln(progress, "compiling the cell into a plugin (the first plugin on a machine can take a minute: the go command compiles the standard library for plugins once)")
		// The go command fetches a module the cell imports that the
		// plugin module lacks (-mod=mod): refuse it if it moves a version.
		before, err := b.buildList(ctx)
		if err != nil {
			return nil, err
		}
		restore := b.snapshot()
		if err := b.build(ctx, dir, so); err != nil {
			restore()
			return nil, err
		}
		after, err := b.buildList(ctx)
		if err != nil {
			return nil, err
		}
		if cs := Conflicts(b.kernel, before, after); len(cs) > 0 {
			restore()
			os.Remove(so)
			return nil, conflictError("%%compile", "the modules the cell imports", cs, b.cfg.SourceDir, b.dir)
		}
	}
	l, err := b.open(so)
	if err == nil {
		l.Cached = cached
	}
	return l, err
}

// open loads a plugin (once per process) and returns its tables.
func (b *Builder) open(so string) (*Loaded, error) {
	if t, ok := b.loaded[so]; ok {
		return loadedOf(t), nil
	}
	t, err := openPlugin(so)
	if err != nil {
		if m := regexp.MustCompile(`different version of package (\S+)`).FindStringSubmatch(err.Error()); m != nil {
			return nil, fmt.Errorf("the plugin does not fit this kernel: package %s differs from the kernel's, most likely because the source in %s changed since the kernel was built; rebuild the kernel with install.sh and restart it", m[1], b.cfg.SourceDir)
		}
		return nil, fmt.Errorf("loading the plugin %s: %v", so, err)
	}
	b.loaded[so] = t
	return loadedOf(t), nil
}

func loadedOf(t interp.Exports) *Loaded {
	l := &Loaded{Symbols: t}
	for k := range t {
		l.Packages = append(l.Packages, k[:strings.LastIndexByte(k, '/')])
	}
	return l
}
