"""Usability of the plasticnb kernel for a new user (issue 13).

Through jupyter_client against the kernel "plasticnb" (test.sh registers a
freshly built one): a package used without its import names the import to
add; no interpreter log line reaches a cell's output; a cell asking for
32 GiB, network.New with N = 100000, and an endless recursion each fail
with their message while the session's variables stay; slices.Sort works;
a Go runtime fatal error (concurrent map writes from a cell's goroutines)
ends the kernel, and its standard error, the front end's log, names the
cause.

Run: /usr/bin/python3 -m unittest discover -s test/protocol -p test_usability.py -v
"""

import tempfile
import time
import unittest

from jupyter_client.manager import start_new_kernel

import test_conformance as conf


class UsabilityTests(unittest.TestCase):
    """Errors a user can act on, and no cell that kills the kernel."""

    run_cell = conf.KernelBehaviourTests.run_cell
    text_of = staticmethod(conf.KernelBehaviourTests.text_of)
    result_of = staticmethod(conf.KernelBehaviourTests.result_of)

    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name=conf.KERNEL)

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel()

    def fails_with(self, code, message):
        """Runs code; asserts an error whose value contains message."""
        reply, out = self.run_cell(code)
        self.assertEqual(reply["status"], "error", code)
        self.assertIn(message, reply["evalue"])
        errors = [m for m in out if m["msg_type"] == "error"]
        self.assertEqual(len(errors), 1)
        self.assertNotIn("yaegi", reply["evalue"])
        self.assertNotIn("GOPATH", reply["evalue"])
        return reply

    def assert_state_kept(self):
        _, out = self.run_cell("session")
        self.assertEqual(self.result_of(out), "[1 2 3]")
        self.assertTrue(self.km.is_alive())

    def setUp(self):
        self.run_cell("session := []int{1, 2, 3}")

    def test_missing_import_names_the_import(self):
        # (rule: a package no other test of this kernel imports)
        self.fails_with(
            "r := rule.MiconiCubic()",
            'undefined: rule (add import "github.com/plasticnb/plasticnb/plasticlib/rule")',
        )
        self.fails_with('s := strings.Repeat("x", 10)', 'undefined: strings (add import "strings")')
        self.fails_with('import "github.com/google/uuid"', 'cannot import "github.com/google/uuid"')
        self.assert_state_kept()

    def test_no_log_lines_in_outputs(self):
        reply, out = self.run_cell("func sum(n int) int {\n\ts := 0\n\tfor i := range n {\n\t\ts += i\n\t}\n\treturn s\n}\nsum(4)")
        self.assertEqual(reply["status"], "ok")
        self.assertEqual(self.result_of(out), "6")
        streams = self.text_of(out, "stdout") + self.text_of(out, "stderr")
        self.assertEqual(streams, "", "a cell's output must hold no interpreter log line")

    def test_32_gib_make_fails_and_state_survives(self):
        self.fails_with("big := make([]float64, 4<<30)", "out of memory: make([]float64, 4294967296) asks for 32.0 GiB, and ")
        self.assert_state_kept()

    def test_huge_network_fails_and_state_survives(self):
        self.fails_with(
            'import "github.com/plasticnb/plasticnb/plasticlib/network"\n'
            "cfg := network.DefaultConfig()\ncfg.N = 100000\n_, err := network.New(cfg)\nif err != nil {\n\tpanic(err)\n}",
            "network.Config.N: 100000 units need 74.5 GiB",
        )
        self.assert_state_kept()

    def test_endless_recursion_fails_and_state_survives(self):
        reply = self.fails_with(
            "func rec(n int) int {\n\treturn rec(n+1) + 1\n}\nrec(0)",
            "recursion too deep: 100001 nested calls, in rec at cell:1:1",
        )
        self.assertEqual(reply["ename"], "panic")
        self.assert_state_kept()

    def test_interrupt_stops_deep_recursion(self):
        self.run_cell("func deep(n int) int {\n\tif n == 0 {\n\t\treturn 0\n\t}\n\treturn deep(n-1) + 1\n}")
        reply, _ = self.run_cell("for {\n\tdeep(20000)\n}", interrupt_after=0.5)
        self.assertEqual(reply["status"], "error")
        self.assertLess(self.interrupt_latency, 5.0)
        self.assert_state_kept()

    def test_slices_sort(self):
        reply, out = self.run_cell('import "slices"\nxs := []float64{3, 1, 2}\nslices.Sort(xs)\nxs')
        self.assertEqual(reply["status"], "ok", reply.get("evalue"))
        self.assertEqual(self.result_of(out), "[1 2 3]")
        _, out = self.run_cell('import "maps"\nslices.Sorted(maps.Keys(map[string]int{"b": 1, "a": 2}))')
        self.assertEqual(self.result_of(out), "[a b]")


class LastWordsTests(unittest.TestCase):
    """A fatal error ends the kernel; its last words name the cause."""

    def test_concurrent_map_writes_named_in_the_log(self):
        with tempfile.TemporaryFile(mode="w+") as log:
            km, kc = start_new_kernel(kernel_name=conf.KERNEL, stderr=log)
            try:
                kc.execute(
                    'import "sync"\nm := map[int]int{}\nvar wg sync.WaitGroup\n'
                    "for g := 0; g < 4; g++ {\n\twg.Add(1)\n\tgo func() {\n\t\tdefer wg.Done()\n"
                    "\t\tfor i := 0; i < 1000000; i++ {\n\t\t\tm[i] = i\n\t\t}\n\t}()\n}\nwg.Wait()"
                )
                deadline = time.monotonic() + conf.TIMEOUT
                while km.is_alive() and time.monotonic() < deadline:
                    time.sleep(0.2)
                self.assertFalse(km.is_alive(), "concurrent map writes should end the kernel")
                time.sleep(0.5)  # the relay's last write
                log.seek(0)
                text = log.read()
            finally:
                kc.stop_channels()
                km.shutdown_kernel(now=True)
        self.assertIn("fatal error: concurrent map writes", text)
        self.assertIn("goroutine", text)


if __name__ == "__main__":
    unittest.main()
