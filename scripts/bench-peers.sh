#!/usr/bin/env bash
# bench-peers.sh: times plasticlib against its speed peers in one run and
# prints ratios (issue 15's targets). The machine is shared, so every ratio
# compares figures taken in the same round; the rounds are repeated and the
# median of each figure and each ratio is printed.
#
# In each round, one after the other:
#   - the C++/Eigen trial peer (../shared/peers/reftrial.cpp, or $PEERS)
#   - the serial limit in Eigen (test/bench/serial_limit.cpp): 1000 steps of
#     the bare recurrence at N = 200, float64 and float32
#   - the Go benchmarks: a learning trial (overlapped and serial; float64
#     and, as an option, float32: learn.Config.Precision), the bare
#     recurrence on linalg.MatVec, 2 seeds one after the other and in
#     parallel (also with every trial serial, and two bare recurrences:
#     what the machine itself loses side by side), the meta-gradient per episode (N = 100, P = 16)
#   - the PyTorch peer's meta-gradient (torch_peer.py --n100: forward and
#     reverse mode), unless --no-torch
#
# Usage: scripts/bench-peers.sh [--rounds R] [--no-torch] [--help]
# Needs g++ and Debian's libeigen3-dev; python3-torch for the PyTorch peer
# (apt-get install libeigen3-dev python3-torch).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
peers=${PEERS:-$here/../shared/peers}
[ -d "$peers" ] || peers=/work/shared/peers
rounds=3
torch=1
while [ $# -gt 0 ]; do
	case "$1" in
	--rounds) rounds=$2; shift 2 ;;
	--no-torch) torch=0; shift ;;
	-h | --help) sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
	*) echo "bench-peers.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -f /usr/include/eigen3/Eigen/Dense ] || { echo "bench-peers.sh: needs libeigen3-dev (apt-get install libeigen3-dev)" >&2; exit 1; }
if [ "$torch" = 1 ] && ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
	echo "bench-peers.sh: no python3-torch: skipping the PyTorch peer (apt-get install python3-torch)" >&2
	torch=0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tags=$("$here/scripts/buildtags.sh")
cxx="g++ -O3 -march=native -std=c++11 -I/usr/include/eigen3"
$cxx -o "$tmp/reftrial" "$peers/reftrial.cpp"
$cxx -o "$tmp/serial_limit" "$here/test/bench/serial_limit.cpp"
(cd "$here" && go test -tags "$tags" -c -o "$tmp/learn.test" ./plasticlib/learn &&
	go test -tags "$tags" -c -o "$tmp/meta.test" ./plasticlib/meta)
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores;" \
	"BLAS: ${tags:-gonum}, OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}; load average $(cut -d' ' -f1-3 /proc/loadavg)"

# bench BIN PATTERN: one go benchmark run, "name ns/op [metric value]..." lines.
bench() {
	"$1" -test.run '^$' -test.bench "$2" -test.count 1 -test.benchtime "${3:-1s}" 2>/dev/null |
		awk '/^Benchmark/ { sub(/-[0-9]+$/, "", $1); printf "%s", $1; for (i = 3; i < NF; i += 2) printf " %s=%s", $(i+1), $i; print "" }'
}

out=$tmp/rounds.txt
: >"$out"
for r in $(seq "$rounds"); do
	echo "round $r of $rounds..." >&2
	echo "round $r cpp_trial_ms $("$tmp/reftrial" | cut -d' ' -f1)" >>"$out"
	read -r d f dc fc < <("$tmp/serial_limit" 2>/dev/null)
	echo "round $r eigen_limit_ms $d" >>"$out"
	echo "round $r eigen_limit32_ms $f" >>"$out"
	echo "round $r eigen_limit_cpu_ms $dc" >>"$out"
	echo "round $r eigen_limit32_cpu_ms $fc" >>"$out"
	bench "$tmp/learn.test" 'TrialDNMS200(F32)?(Serial)?$|Recurrence200$' | sed "s/^/round $r go /" >>"$out"
	bench "$tmp/learn.test" 'SeedsParallel2(Serial)?$|Recurrence200Parallel2$' 1x | sed "s/^/round $r go /" >>"$out"
	bench "$tmp/meta.test" 'MetaGradientDNMS100$' | sed "s/^/round $r go /" >>"$out"
	if [ "$torch" = 1 ]; then
		read -r fw rv < <(cd "$tmp" && /usr/bin/python3 "$peers/torch_peer.py" --n100)
		echo "round $r torch_forward_ms $fw" >>"$out"
		echo "round $r torch_reverse_ms $rv" >>"$out"
	fi
done

/usr/bin/python3 - "$out" <<'EOF'
import statistics, sys
rounds = {}
for line in open(sys.argv[1]):
    f = line.split()
    r = rounds.setdefault(int(f[1]), {})
    if f[2] == "go":
        name = f[3]
        for kv in f[4:]:
            k, v = kv.split("=")
            if k == "ns/op":
                r[name + "_ms"] = float(v) / 1e6
            elif k in ("parallel/serial", "cpu-ms/op", "cores-used", "cpu-parallel/serial"):
                r[name + "_" + k] = float(v)
    else:
        r[f[2]] = float(f[3])

def med(key):
    v = [r[key] for r in rounds.values() if key in r]
    return statistics.median(v) if v else float("nan")

def ratio(a, b):
    v = [r[a] / r[b] for r in rounds.values() if a in r and b in r]
    return statistics.median(v) if v else float("nan")

def faster(a, b):  # how many times faster a is than the faster of the b's
    v = [min(r[x] for x in b) / r[a] for r in rounds.values() if a in r and all(x in r for x in b)]
    return statistics.median(v) if v else float("nan")

print("\nmedians over %d rounds (ms)" % len(rounds))
for k in ["BenchmarkTrialDNMS200_ms", "BenchmarkTrialDNMS200Serial_ms", "BenchmarkTrialDNMS200F32_ms",
          "BenchmarkTrialDNMS200F32Serial_ms", "BenchmarkRecurrence200_ms",
          "eigen_limit_ms", "eigen_limit32_ms", "cpp_trial_ms", "BenchmarkMetaGradientDNMS100_ms",
          "BenchmarkMetaGradientDNMS100_cpu-ms/op", "torch_forward_ms", "torch_reverse_ms"]:
    print("  %-40s %8.3f" % (k, med(k)))
print("\nratios (median of the per-round ratios)")
T = "BenchmarkTrialDNMS200_ms"
print("  trial / serial limit (Eigen)           %6.2f   target <= 1.5" % ratio(T, "eigen_limit_ms"))
print("  trial / bare recurrence (Go, MatVec)   %6.2f" % ratio(T, "BenchmarkRecurrence200_ms"))
print("  serial trial / serial limit (Eigen)    %6.2f" % ratio("BenchmarkTrialDNMS200Serial_ms", "eigen_limit_ms"))
print("  C++ trial / trial                      %6.2f   target >= 2" % ratio("cpp_trial_ms", T))
print("  float32 trial / float64 trial          %6.2f" % ratio("BenchmarkTrialDNMS200F32_ms", T))
print("  float32 trial / float32 limit (Eigen)  %6.2f" % ratio("BenchmarkTrialDNMS200F32_ms", "eigen_limit32_ms"))
print("  2 seeds parallel / one after the other %6.2f   target <= 0.55 (cores used %.2f)" % (
    med("BenchmarkSeedsParallel2_parallel/serial"), med("BenchmarkSeedsParallel2_cores-used")))
print("  the same, every trial serial           %6.2f   (cores used %.2f, CPU time side by side / one after the other %.2f)" % (
    med("BenchmarkSeedsParallel2Serial_parallel/serial"), med("BenchmarkSeedsParallel2Serial_cores-used"),
    med("BenchmarkSeedsParallel2Serial_cpu-parallel/serial")))
print("  the machine's own: 2 bare recurrences   %6.2f   (cores used %.2f, CPU time side by side / one after the other %.2f)" % (
    med("BenchmarkRecurrence200Parallel2_parallel/serial"), med("BenchmarkRecurrence200Parallel2_cores-used"),
    med("BenchmarkRecurrence200Parallel2_cpu-parallel/serial")))
print("  PyTorch's faster mode / meta-gradient  %6.2f   target >= 5" % faster(
    "BenchmarkMetaGradientDNMS100_ms", ["torch_forward_ms", "torch_reverse_ms"]))
print("\nCPU time (less sensitive to other processes; serial ways only, whose CPU time is their time)")
for k in ["BenchmarkTrialDNMS200Serial_cpu-ms/op", "BenchmarkTrialDNMS200F32Serial_cpu-ms/op",
          "BenchmarkRecurrence200_cpu-ms/op", "eigen_limit_cpu_ms", "eigen_limit32_cpu_ms"]:
    print("  %-40s %8.3f" % (k, med(k)))
print("  serial trial / serial limit (Eigen)    %6.2f" % ratio("BenchmarkTrialDNMS200Serial_cpu-ms/op", "eigen_limit_cpu_ms"))
print("  bare recurrence Go / Eigen             %6.2f" % ratio("BenchmarkRecurrence200_cpu-ms/op", "eigen_limit_cpu_ms"))
print("  serial trial / bare recurrence (Go)    %6.2f   (the tighter limit when Go's is the faster: Eigen 3.4's double tanh is scalar)" % ratio(
    "BenchmarkTrialDNMS200Serial_cpu-ms/op", "BenchmarkRecurrence200_cpu-ms/op"))
print("  float32 serial trial / float64's       %6.2f" % ratio("BenchmarkTrialDNMS200F32Serial_cpu-ms/op", "BenchmarkTrialDNMS200Serial_cpu-ms/op"))
print("  float32 serial trial / float32 limit   %6.2f" % ratio("BenchmarkTrialDNMS200F32Serial_cpu-ms/op", "eigen_limit32_cpu_ms"))
EOF
