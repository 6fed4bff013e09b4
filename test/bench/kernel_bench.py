"""Times the plasticnb kernel against ipykernel in the same run.

Usage: /usr/bin/python3 test/bench/kernel_bench.py [--kernel plasticnb] [--peer python3] [--reps 200]

Measures, for each kernel, through jupyter_client as a frontend does:
  startup   seconds from launching the process to the first kernel_info_reply
            (median of 5 launches)
  roundtrip milliseconds from execute_request to execute_reply of a trivial
            assignment, median and 90th percentile over --reps cells, through
            jupyter_client, and again with bare pyzmq sockets (whose figure
            leaves out most of jupyter_client's own Python overhead)
  plot      milliseconds from execute_request to the image/png on iopub for a
            cell whose last expression is an 800x600 plot (plasticnb only;
            the peer draws with matplotlib if it has it)
  idle      percent of one core the kernel process uses while idle (10 s)
and prints the ratios plasticnb / peer. Nothing here passes or fails: the
targets of issue 2 are printed beside the numbers.
"""

import argparse
import os
import statistics
import time

from jupyter_client.manager import KernelManager

CELLS = {
    "plasticnb": {
        "trivial": "x := 1",
        "plot": """import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)
bp := plot.New()
bl, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}, {X: 2, Y: 0}})
bp.Add(bl)
bp""",
    },
    "python3": {
        "trivial": "x = 1",
        "plot": None,
    },
}


def start(kernel):
    """Launches a kernel; returns it, a client, and the seconds from launch
    to the first kernel_info_reply (not wait_for_ready, which adds a fixed
    0.2 s wait for iopub silence whatever the kernel)."""
    km = KernelManager(kernel_name=kernel)
    t0 = time.monotonic()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.kernel_info()
    kc.get_shell_msg(timeout=60)
    t = time.monotonic() - t0
    kc.wait_for_ready(timeout=60)
    return km, kc, t


def startup(kernel, n=5):
    times = []
    for _ in range(n):
        km, kc, t = start(kernel)
        times.append(t)
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return statistics.median(times)


def execute_wait(kc, code, want_mime=None):
    """Returns (seconds to reply, seconds to the first output with want_mime)."""
    t0 = time.monotonic()
    msg_id = kc.execute(code)
    t_mime = None
    while True:
        msg = kc.get_iopub_msg(timeout=60)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if want_mime and t_mime is None and want_mime in msg["content"].get("data", {}):
            t_mime = time.monotonic() - t0
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    while True:
        reply = kc.get_shell_msg(timeout=60)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    return time.monotonic() - t0, t_mime


def raw_roundtrip(km, code, reps):
    """Median ms from execute_request to execute_reply, measured with bare
    pyzmq sockets (no jupyter_client channel threads), so that the figure
    is mostly the kernel's own time."""
    import zmq
    from jupyter_client.session import Session

    info = km.get_connection_info()
    sess = Session(key=info["key"], signature_scheme=info.get("signature_scheme", "hmac-sha256"))
    ctx = zmq.Context.instance()
    shell = ctx.socket(zmq.DEALER)
    shell.linger = 0
    shell.connect("%s://%s:%d" % (info["transport"], info["ip"], info["shell_port"]))
    content = {"code": code, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False}
    times = []
    for i in range(reps + 10):
        t0 = time.perf_counter()
        sess.send(shell, "execute_request", content)
        sess.recv(shell, mode=0)
        if i >= 10:
            times.append((time.perf_counter() - t0) * 1000)
    shell.close()
    return statistics.median(times)


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def kernel_pid(km):
    prov = getattr(km, "provisioner", None)
    proc = getattr(prov, "process", None) if prov else getattr(km, "kernel", None)
    return proc.pid


def measure(kernel, reps, idle_seconds):
    res = {"startup": startup(kernel)}
    km, kc, _ = start(kernel)
    cells = CELLS.get(kernel, CELLS["python3"])
    for _ in range(10):  # warm up
        execute_wait(kc, cells["trivial"])
    rt = sorted(execute_wait(kc, cells["trivial"])[0] * 1000 for _ in range(reps))
    res["roundtrip"] = statistics.median(rt)
    res["roundtrip_p90"] = rt[int(0.9 * len(rt))]
    res["roundtrip_raw"] = raw_roundtrip(km, cells["trivial"], reps)
    if cells["plot"]:
        execute_wait(kc, cells["plot"], "image/png")  # first plot loads fonts
        res["plot"] = statistics.median(execute_wait(kc, cells["plot"], "image/png")[1] * 1000 for _ in range(5))
    pid = kernel_pid(km)
    c0 = cpu_seconds(pid)
    time.sleep(idle_seconds)
    res["idle"] = 100 * (cpu_seconds(pid) - c0) / idle_seconds
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kernel", default="plasticnb")
    ap.add_argument("--peer", default="python3")
    ap.add_argument("--reps", type=int, default=200)
    ap.add_argument("--idle", type=float, default=10.0)
    args = ap.parse_args()
    ours = measure(args.kernel, args.reps, args.idle)
    peer = measure(args.peer, args.reps, args.idle)
    rows = [
        ("startup to kernel_info_reply (s)", "startup", "<= 0.3 s and <= 1/3 of peer"),
        ("trivial cell round trip, median (ms)", "roundtrip", "<= 1 ms and <= 1/2 of peer"),
        ("trivial cell round trip, p90 (ms)", "roundtrip_p90", ""),
        ("same, bare pyzmq client, median (ms)", "roundtrip_raw", "(the kernel's share)"),
        ("plot cell to image/png (ms)", "plot", "<= 100 ms"),
        ("idle CPU (% of a core)", "idle", "< 1%"),
    ]
    print("%-40s %12s %12s %8s   %s" % ("", args.kernel, args.peer, "ratio", "target"))
    for label, key, target in rows:
        a, b = ours.get(key), peer.get(key)
        ratio = "%.2f" % (a / b) if a is not None and b else "-"
        fmt = lambda v: "-" if v is None else "%.3f" % v
        print("%-40s %12s %12s %8s   %s" % (label, fmt(a), fmt(b), ratio, target))


if __name__ == "__main__":
    main()
