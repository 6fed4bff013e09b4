"""Measures the plugin magics through the installed kernel (issue 13).

Not a test (test.sh does not run it): it times, in one kernel and back to
back, a learning run (N = 100, 1000 trials, MiconiCubic) on a cell-defined
DNMS-like task interpreted (through task.Func) and compiled by %compile,
two runs each, alternating; and the generation of 1000 trials of each.

Run: /usr/bin/python3 test/protocol/measure_plugins.py   (note `uptime` too)
"""

import os
import shutil
import sys
import tempfile

from jupyter_client.manager import start_new_kernel

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_conformance as conf  # noqa: E402

CELLS = ['import (\n\t"fmt"\n\t"math/rand/v2"\n\t"time"\n\n\t"github.com/plasticnb/plasticnb/plasticlib/learn"\n\t"github.com/plasticnb/plasticnb/plasticlib/meta"\n\t"github.com/plasticnb/plasticnb/plasticlib/network"\n\t"github.com/plasticnb/plasticnb/plasticlib/rule"\n\t"github.com/plasticnb/plasticnb/plasticlib/task"\n)', '%%compile\nimport (\n\t"math/rand/v2"\n\n\t"github.com/plasticnb/plasticnb/plasticlib/task"\n)\n\n// DNMSC: delayed non-match to sample, two stimuli on two channels, noisy inputs.\ntype DNMSC struct {\n\tDt, Noise float64\n}\n\nfunc (d DNMSC) NumTypes() int  { return 4 }\nfunc (d DNMSC) NumInputs() int { return 2 }\nfunc (d DNMSC) Steps() int     { return int(1000 / d.Dt) }\nfunc (d DNMSC) String() string { return "DNMS (compiled)" }\n\nfunc (d DNMSC) Trial(dst *task.Trial, typ int, rng *rand.Rand) {\n\tstep := func(ms float64) int { return int(ms / d.Dt) }\n\tch1, ch2 := typ/2, typ%2\n\tdst.Set(step(200), step(400), ch1, 1)\n\tdst.Set(step(600), step(800), ch2, 1)\n\tfor i := range dst.Inputs {\n\t\tdst.Inputs[i] += d.Noise * rng.NormFloat64()\n\t}\n\tv := 0.98\n\tif ch1 == ch2 {\n\t\tv = -v\n\t}\n\tfor t := range dst.Target {\n\t\tdst.Target[t] = v\n\t}\n\tdst.EvalStart, dst.EvalEnd = step(800), step(1000)\n}', '// DNMSI: the same task, interpreted.\ntype DNMSI struct {\n\tDt, Noise float64\n}\n\nfunc (d DNMSI) NumTypes() int  { return 4 }\nfunc (d DNMSI) NumInputs() int { return 2 }\nfunc (d DNMSI) Steps() int     { return int(1000 / d.Dt) }\nfunc (d DNMSI) String() string { return "DNMS (interpreted)" }\n\nfunc (d DNMSI) Trial(dst *task.Trial, typ int, rng *rand.Rand) {\n\tstep := func(ms float64) int { return int(ms / d.Dt) }\n\tch1, ch2 := typ/2, typ%2\n\tdst.Set(step(200), step(400), ch1, 1)\n\tdst.Set(step(600), step(800), ch2, 1)\n\tfor i := range dst.Inputs {\n\t\tdst.Inputs[i] += d.Noise * rng.NormFloat64()\n\t}\n\tv := 0.98\n\tif ch1 == ch2 {\n\t\tv = -v\n\t}\n\tfor t := range dst.Target {\n\t\tdst.Target[t] = v\n\t}\n\tdst.EvalStart, dst.EvalEnd = step(800), step(1000)\n}', 'netCfg := network.DefaultConfig()\nnetCfg.N = 100\nnetCfg.Dt = 5\nnetCfg.NumInputs = 2\ncfg := learn.DefaultConfig()\ncfg.Episodes = 1000\ncfg.Seed = 1\nnetCfg.Seed = 1\nti := DNMSI{Dt: 5, Noise: 0.1}\ntiF := task.Func{Name: "DNMS (interpreted)", Types: 4, Inputs: 2, Length: ti.Steps(), Fill: ti.Trial}\ntc := DNMSC{Dt: 5, Noise: 0.1}\nfmt.Println(task.Validate(tc), task.Validate(tiF))', 'var dI, dC time.Duration\nvar hI, hC *learn.History\nfor rep := 0; rep < 2; rep++ {\n\tt0 := time.Now()\n\thC, _ = learn.Run(display.CellContext(), netCfg, tc, rule.MiconiCubic(), cfg)\n\tdC += time.Since(t0)\n\tt0 = time.Now()\n\thI, _ = learn.Run(display.CellContext(), netCfg, tiF, rule.MiconiCubic(), cfg)\n\tdI += time.Since(t0)\n}\nfmt.Println(len(hI.Errors), len(hC.Errors), hI.Errors[999] == hC.Errors[999])\nfmt.Printf("learning run N=100, 1000 trials, 2 runs each alternating: interpreted task %v, compiled task %v, ratio %.2f\\n", dI/2, dC/2, float64(dI)/float64(dC))', 'var tr task.Trial\nrng := rand.New(rand.NewPCG(1, 2))\nt0 := time.Now()\nfor i := 0; i < 1000; i++ {\n\ttask.Generate(tiF, &tr, i%4, rng)\n}\ngI := time.Since(t0)\nt0 = time.Now()\nfor i := 0; i < 1000; i++ {\n\ttask.Generate(tc, &tr, i%4, rng)\n}\ngC := time.Since(t0)\nfmt.Printf("1000 trials generated: interpreted %v, compiled %v, ratio %.1f\\n", gI, gC, float64(gI)/float64(gC))', 'problem := meta.Problem{Net: netCfg, Task: tc, Rule: rule.MiconiCubic(), Learn: cfg}\nfmt.Printf("%T %v\\n", problem.Task, problem.Task)\n']


def main():
    env = dict(os.environ)
    made = None
    if "PLASTICNB_PLUGIN_CACHE" not in env:
        made = env["PLASTICNB_PLUGIN_CACHE"] = tempfile.mkdtemp(prefix="plasticnb-plugins-")
    km, kc = start_new_kernel(kernel_name=conf.KERNEL, env=env)
    try:
        for code in CELLS:
            msg_id = kc.execute(code)
            reply = kc.get_shell_msg(timeout=600)["content"]
            while True:
                m = kc.get_iopub_msg(timeout=600)
                if m["parent_header"].get("msg_id") != msg_id:
                    continue
                if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                    break
                if m["msg_type"] == "stream":
                    sys.stdout.write(m["content"]["text"])
            if reply["status"] != "ok":
                sys.exit("cell failed: %s\n%s" % (reply.get("evalue"), code))
    finally:
        kc.stop_channels()
        km.shutdown_kernel()
        if made:
            shutil.rmtree(made, ignore_errors=True)


if __name__ == "__main__":
    main()
