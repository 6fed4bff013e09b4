#!/usr/bin/env bash
# install.sh: set up plasticnb on a Debian machine that has Go.
#
# Installs what is missing (Jupyter from Debian's packages, OpenBLAS, headless
# Chromium with chromedriver and Selenium for test.sh's browser test, Slurm and
# munge for its Slurm test, the Go modules), builds the kernel, registers the
# Jupyter kernelspec "plasticnb", then runs the quick-start notebook headless
# and says where its rendered output is. Safe to run again: every step checks
# before it acts.
#
# Usage: ./install.sh [--prefix DIR] [--no-apt] [--no-notebook] [--help]
#   --prefix DIR   register the kernelspec under DIR/share/jupyter instead of
#                  the user's Jupyter data dir (the binary goes to DIR/bin)
#   --no-apt       never call apt-get; fail with the list of what is missing
#   --no-notebook  skip running the quick-start notebook
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here"

prefix=""
use_apt=1
run_notebook=1
while [ $# -gt 0 ]; do
	case "$1" in
	--prefix) [ $# -ge 2 ] || { echo "install.sh: --prefix needs a directory" >&2; exit 2; }; prefix=$(mkdir -p "$2" && cd "$2" && pwd); shift 2 ;;
	--prefix=*) prefix=$(mkdir -p "${1#--prefix=}" && cd "${1#--prefix=}" && pwd); shift ;;
	--no-apt) use_apt=0; shift ;;
	--no-notebook) run_notebook=0; shift ;;
	-h | --help) sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
	*) echo "install.sh: unknown option $1 (see ./install.sh --help)" >&2; exit 2 ;;
	esac
done

step() { printf '\n==> %s\n' "$*"; }
die() {
	printf '\ninstall.sh: %s\n' "$1" >&2
	shift
	for line in "$@"; do printf '  %s\n' "$line" >&2; done
	exit 1
}

# --- Go -------------------------------------------------------------------
step "Checking Go"
command -v go >/dev/null 2>&1 || die "Go is not on PATH." \
	"Install Go 1.26 or newer (https://go.dev/doc/install), add it to PATH, and run ./install.sh again."
gover=$(go env GOVERSION | sed 's/^go//')
major=${gover%%.*}
rest=${gover#*.}
minor=${rest%%.*}
if [ "$major" -lt 1 ] || { [ "$major" -eq 1 ] && [ "$minor" -lt 26 ]; }; then
	die "Go $gover is too old: plasticnb needs Go 1.26 or newer." "Install a newer Go and run ./install.sh again."
fi
echo "go $gover at $(command -v go)"

# --- Debian packages --------------------------------------------------------
# Jupyter and its test tools come from Debian (no PyPI); OpenBLAS makes the
# matrix products fast (without it the library falls back to gonum's Go BLAS);
# Chromium, its chromedriver and Selenium run test/browser (a notebook run from
# Jupyter Notebook's page in a headless browser; no browser download at test time).
# jupyter-nbextension-jupyter-js-widgets is the widget JavaScript (ipywidgets 6,
# jupyter-js-widgets 2.1.4) that the kernel's widgets speak to (notebook 07).
# slurmctld, slurmd, slurm-client and munge run test/slurm (a throw-away
# single-node cluster that test starts and stops itself; installing them starts
# no service in a container whose policy-rc.d forbids it).
step "Checking Debian packages"
packages=(jupyter-notebook jupyter-nbconvert python3-nbclient jupyter-client
	jupyter-console python3-jupyter-kernel-test python3-ipykernel libopenblas-dev
	chromium chromium-driver python3-selenium jupyter-nbextension-jupyter-js-widgets
	slurmctld slurmd slurm-client munge)
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
	for p in "${packages[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
else
	echo "dpkg-query not found: not a Debian system; checking the commands directly."
	command -v jupyter >/dev/null 2>&1 || missing+=(jupyter-notebook jupyter-nbconvert jupyter-client)
	command -v chromium >/dev/null 2>&1 || missing+=(chromium)
	command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
	command -v sbatch >/dev/null 2>&1 || missing+=(slurm-client)
	command -v slurmctld >/dev/null 2>&1 || missing+=(slurmctld)
	command -v slurmd >/dev/null 2>&1 || missing+=(slurmd)
	command -v munged >/dev/null 2>&1 || missing+=(munge)
fi
if [ ${#missing[@]} -eq 0 ]; then
	echo "all present: ${packages[*]}"
else
	echo "missing: ${missing[*]}"
	[ "$use_apt" = 1 ] || die "Debian packages are missing and --no-apt was given." \
		"Install them with: sudo apt-get install ${missing[*]}"
	command -v apt-get >/dev/null 2>&1 || die "apt-get is not available to install: ${missing[*]}" \
		"Install the equivalent packages with your system's package manager."
	sudo=""
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null 2>&1 || die "Need root to install: ${missing[*]}" \
			"Run as root, or: sudo apt-get install ${missing[*]}"
		sudo="sudo"
	fi
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq || die "apt-get update failed." "Check the network and /etc/apt/sources.list, then run ./install.sh again."
	$sudo apt-get install -y -qq "${missing[@]}" || die "apt-get install failed for: ${missing[*]}" \
		"Try it by hand: sudo apt-get install ${missing[*]}"
fi
command -v jupyter >/dev/null 2>&1 || die "the jupyter command is still not on PATH after installing." \
	"Check that /usr/bin is on PATH."
/usr/bin/python3 -c 'import nbclient, jupyter_client' 2>/dev/null || die "/usr/bin/python3 cannot import nbclient and jupyter_client." \
	"Install them: sudo apt-get install python3-nbclient jupyter-client"
# Debian enables the widget extension system-wide (/etc/jupyter/nbconfig);
# enable it for the user where that is not so (idempotent).
widgets_js=/usr/share/jupyter/nbextensions/jupyter-js-widgets/extension.js
if [ -f "$widgets_js" ]; then
	if ! jupyter nbextension list 2>&1 | grep -q 'jupyter-js-widgets/extension.*enabled'; then
		jupyter nbextension enable --user jupyter-js-widgets/extension >/dev/null 2>&1 ||
			die "could not enable the widget extension jupyter-js-widgets/extension." \
				"Try it by hand: jupyter nbextension enable --user jupyter-js-widgets/extension"
	fi
	echo "widget extension: jupyter-js-widgets/extension enabled"
else
	echo "no widget JavaScript at $widgets_js: widgets (notebook 07) show as text in Jupyter Notebook."
fi

# --- Build ------------------------------------------------------------------
step "Downloading Go modules"
go mod download || die "go mod download failed." "Check that the Go module proxy is reachable (go env GOPROXY)."

tags=$(scripts/buildtags.sh)
if [ -n "$tags" ]; then
	echo "BLAS: OpenBLAS (build tag openblas, single-threaded)"
else
	echo "BLAS: gonum's pure-Go BLAS (OpenBLAS or cgo not available; matrix products will be slower)"
fi

step "Building the kernel"
if [ -n "$prefix" ]; then
	bindir="$prefix/bin"
else
	bindir="$(go env GOPATH)/bin"
fi
mkdir -p "$bindir"
# main.sourceDir: the source the plugins of %go get and %%compile are built against.
go build -tags "$tags" -ldflags "-X 'main.sourceDir=$here'" -o "$bindir/plasticnb" ./kernel/cmd/plasticnb || die "building the kernel failed (see the compiler output above)."
echo "kernel binary: $bindir/plasticnb"

step "Registering the Jupyter kernel 'plasticnb'"
if [ -n "$prefix" ]; then
	"$bindir/plasticnb" install --prefix "$prefix"
	echo "Jupyter finds it when JUPYTER_PATH includes $prefix/share/jupyter"
else
	"$bindir/plasticnb" install --user
fi
if [ -z "$prefix" ]; then
	# Read the whole list before matching: grep -q stops reading at its match,
	# and with pipefail jupyter's broken pipe then failed this check now and then.
	specs=$(jupyter kernelspec list 2>/dev/null) || specs=""
	grep '^ *plasticnb ' <<<"$specs" || die "jupyter kernelspec list does not show plasticnb after registering it."
fi

# --- Quick-start notebook -----------------------------------------------------
if [ "$run_notebook" = 1 ]; then
	step "Running the quick-start notebook headless"
	out="$here/build/notebooks"
	mkdir -p "$out"
	if [ -n "$prefix" ]; then export JUPYTER_PATH="$prefix/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"; fi
	jupyter nbconvert --to html --execute --ExecutePreprocessor.kernel_name=plasticnb \
		--ExecutePreprocessor.timeout=600 --output-dir "$out" notebooks/01-quickstart.ipynb ||
		die "the quick-start notebook failed to run (its error is printed above)."
	echo
	echo "Quick-start notebook rendered to: $out/01-quickstart.html"
fi

step "Done"
echo "Start Jupyter with:  jupyter notebook notebooks/   (choose the kernel \"Go (plasticnb)\")"
echo "Run every test with: ./test.sh"
echo "Plugins built by %go get and %%compile are cached in ${PLASTICNB_PLUGIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/plasticnb/plugins} (delete it to rebuild them; PLASTICNB_PLUGIN_CACHE moves it)"
