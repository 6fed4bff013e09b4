#!/usr/bin/env bash
# test.sh: every test of plasticnb.
#
#   1. gofmt and go vet; the notebooks are source: saved without outputs,
#      execution counts or unknown metadata, every Go cell gofmt-clean
#      (go run ./scripts/nbcheck; -strip and -fix repair a notebook)
#   2. Go unit tests, examples and the long reproduction tests (go test ./...),
#      with OpenBLAS when install.sh found it; plasticlib's short tests again
#      on gonum's pure-Go BLAS, the fallback, and the packages that run work
#      on goroutines (learn, eval, setting, evolve, sweep, meta) under -race
#   3. the kernel's protocol conformance suite (jupyter_kernel_test) and
#      end-to-end tests through jupyter_client and nbclient, against a kernel
#      built from this tree and registered in a temporary Jupyter path
#   4. every notebook in notebooks/, executed headless, outputs checked
#   5. the browser test: Jupyter Notebook on 127.0.0.1 opens the quick-start
#      notebook in headless Chromium, runs all cells from the page and checks
#      that its figures render (screenshot in build/browser/)
#   6. the Slurm test: a throw-away single-node Slurm cluster on 127.0.0.1
#      (munged, slurmctld, slurmd as the test's own processes) runs a sweep as
#      a job array, with one task scancelled and one result deleted, and checks
#      it against the local executor, and meta-trains (evolve -executor slurm,
#      one array per iteration, one task scancelled, resumed) against the
#      in-process training (test/slurm)
#
# Usage: ./test.sh [--short] [--help]
#   --short   skip the long tests (go test -short; notebooks still run)
# Run ./install.sh first: it installs what these tests need (the browser test
# needs chromium, chromium-driver, python3-selenium; PLASTICNB_SKIP_BROWSER=1
# skips it; the Slurm test needs slurmctld, slurmd, slurm-client, munge and root,
# PLASTICNB_SKIP_SLURM=1 skips it).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here"

short=""
while [ $# -gt 0 ]; do
	case "$1" in
	--short) short="-short"; shift ;;
	-h | --help) sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
	*) echo "test.sh: unknown option $1 (see ./test.sh --help)" >&2; exit 2 ;;
	esac
done

need() {
	command -v "$1" >/dev/null 2>&1 || { echo "test.sh: $1 is missing: $2" >&2; exit 1; }
}
need go "install Go 1.26 or newer, then run ./install.sh"
need jupyter "run ./install.sh (it installs Jupyter from Debian's packages)"
/usr/bin/python3 -c 'import jupyter_kernel_test, nbclient, jupyter_client' 2>/dev/null ||
	{ echo "test.sh: /usr/bin/python3 lacks jupyter_kernel_test, nbclient or jupyter_client: run ./install.sh" >&2; exit 1; }

tags=$(scripts/buildtags.sh)
passed=0
failed=0
failures=()
stage() {
	local name=$1
	shift
	printf '\n==> %s\n' "$name"
	local t0=$SECONDS
	if "$@"; then
		passed=$((passed + 1))
		printf '==> %s: ok (%ds)\n' "$name" $((SECONDS - t0))
	else
		failed=$((failed + 1))
		failures+=("$name")
		printf '==> %s: FAILED (%ds)\n' "$name" $((SECONDS - t0))
	fi
}

check_format() {
	local files
	files=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
	[ -z "$files" ] || { echo "gofmt would change:"; echo "$files"; return 1; }
	go vet -tags "$tags" ./...
}

notebooks_are_source() {
	go run ./scripts/nbcheck notebooks/*.ipynb test/notebooks/*.ipynb
}

go_tests() {
	echo "build tags: ${tags:-(none: pure-Go BLAS)}"
	go test -tags "$tags" $short -timeout 40m ./...
}

# The packages whose work runs on goroutines, under the race detector.
race_tests() {
	go test -race -short -count=1 ./plasticlib/learn ./plasticlib/eval ./plasticlib/setting ./plasticlib/evolve ./plasticlib/sweep ./plasticlib/meta
}

go_tests_fallback() {
	[ -n "$tags" ] || { echo "already ran on the pure-Go BLAS"; return 0; }
	go test -short -count=1 ./plasticlib/...
}

# A kernel built from this tree, registered in a temporary Jupyter path, so
# the protocol and notebook tests never run a stale installed binary.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
build_kernel() {
	go build -tags "$tags" -o "$work/bin/plasticnb" ./kernel/cmd/plasticnb &&
		"$work/bin/plasticnb" install --prefix "$work" >/dev/null &&
		test -f "$work/share/jupyter/kernels/plasticnb/kernel.json"
}
export JUPYTER_PATH="$work/share/jupyter"
export PLASTICNB_TEST_BUILD="$work"

protocol_tests() {
	/usr/bin/python3 -m unittest discover -s test/protocol -p 'test_*.py' -v
}

notebook_tests() {
	/usr/bin/python3 test/notebooks/run_notebooks.py --out "$here/build/test-notebooks" notebooks/*.ipynb test/notebooks/*.ipynb
}

browser_tests() {
	/usr/bin/python3 -m unittest discover -s test/browser -p 'test_*.py' -v
}

slurm_tests() {
	/usr/bin/python3 -m unittest discover -s test/slurm -p 'test_*.py' -v
}

stage "gofmt and go vet" check_format
stage "notebooks are source" notebooks_are_source
stage "Go tests" go_tests
stage "Go tests on the pure-Go BLAS fallback" go_tests_fallback
stage "Go tests under the race detector" race_tests
stage "build and register the kernel" build_kernel
if [ -x "$work/bin/plasticnb" ]; then
	stage "kernel protocol conformance" protocol_tests
	stage "notebooks" notebook_tests
	stage "browser" browser_tests
fi
stage "Slurm" slurm_tests

echo
if [ "$failed" -gt 0 ]; then
	echo "failed stages: ${failures[*]}"
fi
echo "stages: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
