#!/usr/bin/env bash
# Prints the Go build tags for this machine: "openblas" when Debian's
# libopenblas-dev and a working cgo toolchain are present (plasticlib then
# binds OpenBLAS, single-threaded, through gonum.org/v1/netlib), nothing
# otherwise (gonum's pure-Go BLAS). Used by install.sh and test.sh.
set -u
have_lib=0
for f in /usr/lib/*/libopenblas.so /usr/lib/libopenblas.so /usr/local/lib/libopenblas.so; do
	[ -e "$f" ] && have_lib=1 && break
done
if [ "$have_lib" = 1 ] && [ "$(go env CGO_ENABLED)" = 1 ] && command -v "$(go env CC)" >/dev/null 2>&1; then
	echo openblas
fi
