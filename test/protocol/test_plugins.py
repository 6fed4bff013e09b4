"""The plugin magics of the plasticnb kernel (issue 13), through jupyter_client.

%go get of a small real module at a pinned version, then an import and a
call, also after a kernel restart (the plugin then comes from the cache);
a %go get whose requirements would move a module the kernel is built with
is refused naming both versions; a %%compile cell whose function a later
cell calls and times against an interpreted copy (at least 10x faster), a
compiled type passed as a task.Task, compile errors at the cell's lines;
and, in a kernel with plugins turned off (PLASTICNB_PLUGINS=off), both
magics fail with one sentence while everything else works.

The plugins go to a temporary cache shared by the tests of this module
(PLASTICNB_PLUGIN_CACHE); the first plugin build of a kernel takes 20 s or
more (it compiles the standard library and the kernel's packages for
dynamic linking, into the go command's build cache), later ones a second
or two. The tests need the module proxy (github.com/google/uuid v1.6.0,
golang.org/x/sync v0.17.0).

Run: /usr/bin/python3 -m unittest discover -s test/protocol -p test_plugins.py -v
"""

import os
import shutil
import tempfile
import time
import unittest

from jupyter_client.manager import start_new_kernel

import test_conformance as conf

# A plugin build can take a minute on a loaded 2-core machine.
BUILD_TIMEOUT = 600

cache = None


def setUpModule():
    global cache
    cache = tempfile.mkdtemp(prefix="plasticnb-plugins-")


def tearDownModule():
    shutil.rmtree(cache, ignore_errors=True)


def kernel_env(**extra):
    env = dict(os.environ, PLASTICNB_PLUGIN_CACHE=cache)
    env.update(extra)
    return env


def run(test, code, timeout=BUILD_TIMEOUT):
    """Executes code; returns (reply content, iopub messages for it)."""
    msg_id = test.kc.execute(code)
    reply = test.kc.get_shell_msg(timeout=timeout)
    test.assertEqual(reply["parent_header"]["msg_id"], msg_id)
    outputs = []
    while True:
        msg = test.kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
        outputs.append(msg)
    return reply["content"], outputs


text_of = staticmethod(conf.KernelBehaviourTests.text_of)
result_of = staticmethod(conf.KernelBehaviourTests.result_of)


class PluginTests(unittest.TestCase):
    """%go get and %%compile in a kernel that can build plugins."""

    text_of = text_of
    result_of = result_of

    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name=conf.KERNEL, env=kernel_env())

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel()

    def ok(self, code):
        reply, out = run(self, code)
        self.assertEqual(reply["status"], "ok", (code, reply.get("evalue")))
        return out

    def fails(self, code, *messages):
        reply, _ = run(self, code)
        self.assertEqual(reply["status"], "error", code)
        for m in messages:
            self.assertIn(m, reply["evalue"])
        return reply["evalue"]

    def go_get_uuid(self):
        out = self.ok("%go get github.com/google/uuid@v1.6.0")
        text = self.text_of(out)
        self.assertIn('github.com/google/uuid v1.6.0: import "github.com/google/uuid"', text)
        return text

    def test_go_get_then_import_and_restart(self):
        t0 = time.monotonic()
        self.go_get_uuid()
        first = time.monotonic() - t0
        self.ok("kept := 7")
        out = self.ok('import "github.com/google/uuid"\nuuid.NewSHA1(uuid.NameSpaceURL, []byte("x")).String()')
        self.assertEqual(self.result_of(out), "4cd605e7-afa2-5360-b5b9-c5e9fb5c76f4")
        out = self.ok("kept")
        self.assertEqual(self.result_of(out), "7")

        # A restarted kernel loads the cached plugin without the go command.
        self.km.restart_kernel()
        self.kc.wait_for_ready(timeout=60)
        t0 = time.monotonic()
        text = self.go_get_uuid()
        cached = time.monotonic() - t0
        self.assertIn("plugin cached", text)
        self.assertLess(cached, 5, "a cached %go get must be fast")
        out = self.ok('import "github.com/google/uuid"\nuuid.MustParse("4cd605e7-afa2-5360-b5b9-c5e9fb5c76f4").Version()')
        self.assertEqual(self.result_of(out), "VERSION_5")
        print(f"\n%go get github.com/google/uuid@v1.6.0: {first:.2f} s in this kernel, {cached:.2f} s cached after a restart")

    def test_go_get_conflict_names_both_versions(self):
        self.fails(
            "%go get golang.org/x/sync@v0.17.0",
            "it needs golang.org/x/sync v0.17.0, but the kernel is built with golang.org/x/sync v0.16.0",
            "go get golang.org/x/sync@v0.17.0 && ./install.sh",
        )
        out = self.ok("1 + 1")
        self.assertEqual(self.result_of(out), "2")

    def test_compile_runs_natively(self):
        out = self.ok(
            "%%compile\n"
            'import (\n\t"math"\n\t"math/rand/v2"\n\n\t"github.com/plasticnb/plasticnb/plasticlib/task"\n)\n\n'
            "func sumSqrt(n int) float64 {\n\ts := 0.0\n\tfor i := 0; i < n; i++ {\n\t\ts += math.Sqrt(float64(i))\n\t}\n\treturn s\n}\n\n"
            "// Hold: two trial types, one input, a constant target.\n"
            "type Hold struct{ Len int }\n\n"
            "func (h Hold) NumTypes() int  { return 2 }\n"
            "func (h Hold) NumInputs() int { return 1 }\n"
            "func (h Hold) Steps() int     { return h.Len }\n"
            "func (h Hold) Trial(dst *task.Trial, typ int, rng *rand.Rand) {\n"
            "\tdst.Set(0, 1, 0, float64(2*typ-1))\n\tdst.SetTarget(0, h.Len, float64(2*typ-1))\n\tdst.EvalStart, dst.EvalEnd = h.Len/2, h.Len\n}\n\n"
            "var calls int\n\n"
            "func bump() int {\n\tcalls++\n\treturn calls\n}\n"
        )
        self.assertIn("compiled sumSqrt, Hold, calls, bump", self.text_of(out))
        self.ok(
            'import (\n\t"math"\n\t"time"\n)\n'
            "func sumSqrtI(n int) float64 {\n\ts := 0.0\n\tfor i := 0; i < n; i++ {\n\t\ts += math.Sqrt(float64(i))\n\t}\n\treturn s\n}\n"
            "t0 := time.Now()\nc := sumSqrt(2000000)\ncompiled := time.Since(t0)\n"
            "t0 = time.Now()\ni := sumSqrtI(2000000)\ninterpreted := time.Since(t0)"
        )
        out = self.ok("c == i")
        self.assertEqual(self.result_of(out), "true")
        out = self.ok("float64(interpreted) / float64(compiled)")
        ratio = float(self.result_of(out))
        print(f"\n%%compile: a loop of 2e6 square roots {ratio:.0f}x faster than interpreted")
        self.assertGreaterEqual(ratio, 10)

        # A compiled type is a task.Task itself: no task.Func wrapper.
        out = self.ok(
            'import (\n\t"fmt"\n\n\t"github.com/plasticnb/plasticnb/plasticlib/meta"\n\t"github.com/plasticnb/plasticnb/plasticlib/task"\n)\n'
            "p := meta.Problem{Task: Hold{Len: 10}}\n"
            'fmt.Printf("%T %v\\n", p.Task, task.Validate(p.Task))'
        )
        self.assertEqual(self.text_of(out), "main.Hold <nil>\n")
        # The compiled variable is shared: interpreted cells set and read it.
        self.ok("calls = 5")
        out = self.ok("bump()")
        self.assertEqual(self.result_of(out), "6")
        out = self.ok("calls")
        self.assertEqual(self.result_of(out), "6")

    def test_compile_errors_name_the_cell_lines(self):
        self.ok("interpretedScale := 2.0")
        self.fails(
            "%%compile\nfunc scale(x float64) float64 {\n\treturn x * interpretedScale\n}",
            "cell:3:13: undefined: interpretedScale (interpretedScale is a variable of an interpreted cell, which a %%compile cell cannot see",
        )
        self.fails("%%compile\nfunc f() int {\n\treturn \"s\"\n}", "cell:3:9: cannot use \"s\"")
        self.fails("%%compile\nx := 1", "cell:2:1: expected declaration")


class PluginsOffTests(unittest.TestCase):
    """A kernel whose plugins are off: the magics say why, the rest works."""

    text_of = text_of
    result_of = result_of

    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name=conf.KERNEL, env=kernel_env(PLASTICNB_PLUGINS="off"))

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel()

    def test_magics_fail_with_one_sentence(self):
        run(self, "x := 40")
        for code in ("%go get github.com/google/uuid@v1.6.0", "%%compile\nfunc f() int { return 1 }"):
            reply, _ = run(self, code, timeout=30)
            self.assertEqual(reply["status"], "error")
            self.assertEqual(reply["evalue"], "plugins are disabled in this kernel (PLASTICNB_PLUGINS=off)")
        _, out = run(self, "x + 2", timeout=30)
        self.assertEqual(self.result_of(out), "42")


if __name__ == "__main__":
    unittest.main()
