// Package plugins builds Go plugins (-buildmode=plugin) for the kernel's
// two plugin magics and loads them into the running kernel, so that
// interpreted cells call their code at native speed:
//
//   - GoGet: "%go get MODULE[@VERSION]" fetches a module through the module
//     proxy (the go command and its module cache), builds a plugin holding
//     the module's packages and their yaegi export tables, generated with
//     yaegi's own extract machinery (github.com/traefik/yaegi/extract, as
//     kernel/symbols), and returns those tables for interp.Use.
//   - Compile: "%%compile" builds a plugin from a cell's declarations
//     (functions, types with their methods, variables, constants) and
//     returns a table of those names (CellPackage).
//
// A plugin loads only if every package it shares with the kernel was
// compiled exactly as the kernel's was. The kernel is built from source
// by install.sh, so the package builds its plugins in a module of its own
// that requires every module the kernel was built with at the kernel's
// version (runtime/debug.ReadBuildInfo), with the project's module
// replaced by the kernel's source directory, and with the kernel's
// toolchain, build tags and compiler settings. A module whose
// requirements would change a version the kernel uses is refused with an
// error naming the module and both versions (Conflicts).
//
// Built plugins are cached under CacheDir (by default
// os.UserCacheDir()/plasticnb/plugins, PLASTICNB_PLUGIN_CACHE overrides
// it), in a directory named after the kernel binary's SHA-256, so that a
// rebuilt kernel never loads a stale plugin; fetched modules stay in the
// go command's module cache. Restarting the kernel and running a cell
// again loads the cached plugin without running the go command (for a
// pinned version).
//
// When plugins cannot work here (a kernel built without cgo, no C
// compiler, no Go toolchain of the kernel's version, the kernel's source
// directory gone, PLASTICNB_PLUGINS=off), New returns a Builder whose
// methods all fail with one sentence saying why.
package plugins
