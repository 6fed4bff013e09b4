"""Protocol conformance of the plasticnb kernel.

Runs Debian's jupyter_kernel_test (0.4.5) suite against the kernel named
"plasticnb" (test.sh registers a freshly built one in a temporary
JUPYTER_PATH), then checks what that suite does not: interrupts, stdin,
state across cells, recovery from panics, kernel_info on the control
channel, and that a message with a wrong signature is never acted on.

Run: /usr/bin/python3 -m unittest discover -s test/protocol -v
"""

import hashlib
import hmac
import json
import os
import queue
import time
import unittest
import uuid
from datetime import datetime, timezone

import jupyter_kernel_test as jkt
import zmq
from jupyter_client.manager import start_new_kernel

KERNEL = os.environ.get("PLASTICNB_KERNEL", "plasticnb")
TIMEOUT = 30

PLOT_CELL = """import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)
p := plot.New()
p.Title.Text = "conformance"
l, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}})
p.Add(l)
display.Show(p)
"""


class PlasticnbKernelTests(jkt.KernelTests):
    """The jupyter_kernel_test samples, every one the kernel supports."""

    kernel_name = KERNEL
    language_name = "go"
    file_extension = ".go"

    code_hello_world = 'import "fmt"\nfmt.Println("hello, world")'
    code_stderr = 'import (\n\t"fmt"\n\t"os"\n)\nfmt.Fprintln(os.Stderr, "to stderr")'

    completion_samples = [
        {"text": "import \"strings\"\nstrings.ToUpp", "matches": {"ToUpper", "ToUpperSpecial"}},
        {"text": "import \"strings\"\nstrings.TrimPre", "matches": {"TrimPrefix"}},
    ]
    complete_code_samples = ["x := 1", "func f() int { return 1 }", "fmt.Println(1)", ""]
    incomplete_code_samples = ["func f() {", "for i := 0; i < 3; i++ {\n\tx := i", "y := []int{1,\n2,"]
    invalid_code_samples = ["x := )", "func func", "1 +* 2"]

    code_generate_error = 'panic("conformance error")'
    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": "a := 6\na * 7", "result": "42"},
    ]
    code_display_data = [
        {"code": 'display.Show(display.Markdown("**bold**"))', "mime": "text/markdown"},
        {"code": 'display.Show(display.HTML("<b>bold</b>"))', "mime": "text/html"},
        {"code": PLOT_CELL, "mime": "image/png"},
    ]
    supported_history_operations = ("tail", "range", "search")
    code_history_pattern = "1 +*"
    code_inspect_sample = "import \"strings\"\nstrings.ToUpper"
    code_clear_output = "display.Clear(false)"


class KernelBehaviourTests(unittest.TestCase):
    """What a notebook user relies on beyond the sample suite."""

    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name=KERNEL)

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel()

    def run_cell(self, code, allow_stdin=False, stdin_reply=None, interrupt_after=None):
        """Executes code; returns (reply content, list of iopub messages for it)."""
        msg_id = self.kc.execute(code, allow_stdin=allow_stdin)
        if stdin_reply is not None:
            req = self.kc.get_stdin_msg(timeout=TIMEOUT)
            self.assertEqual(req["msg_type"], "input_request")
            self.assertEqual(req["parent_header"]["msg_id"], msg_id)
            self.kc.input(stdin_reply)
        if interrupt_after is not None:
            time.sleep(interrupt_after)
            t0 = time.monotonic()
            self.km.interrupt_kernel()
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        if interrupt_after is not None:
            self.interrupt_latency = time.monotonic() - t0
        self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
        outputs = []
        while True:
            msg = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
            outputs.append(msg)
        return reply["content"], outputs

    @staticmethod
    def text_of(outputs, name="stdout"):
        return "".join(
            m["content"]["text"] for m in outputs if m["msg_type"] == "stream" and m["content"]["name"] == name
        )

    @staticmethod
    def result_of(outputs):
        for m in outputs:
            if m["msg_type"] == "execute_result":
                return m["content"]["data"]["text/plain"]
        return None

    def test_state_persists_and_redefinition(self):
        self.run_cell("counter := 41\nfunc next() int { counter++; return counter }")
        _, out = self.run_cell("next()")
        self.assertEqual(self.result_of(out), "42")
        self.run_cell("func next() int { return -1 }")
        _, out = self.run_cell("next()")
        self.assertEqual(self.result_of(out), "-1")

    def test_iopub_choreography(self):
        msg_id = self.kc.execute("1 + 1")
        seen = []
        while True:
            msg = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            state = msg["content"].get("execution_state", "")
            seen.append(msg["msg_type"] + (":" + state if state else ""))
            if state == "idle":
                break
        self.assertEqual(seen, ["status:busy", "execute_input", "execute_result", "status:idle"])
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        self.assertEqual(reply["header"]["version"], "5.3")
        self.assertIn("execution_count", reply["content"])

    def test_panic_keeps_state(self):
        self.run_cell("kept := 7")
        for code in ['var m map[string]int\nm["a"] = 1', "var s []int\n_ = s[3]", "var p *struct{ X int }\n_ = p.X"]:
            with self.subTest(code=code):
                reply, out = self.run_cell(code)
                self.assertEqual(reply["status"], "error")
                errors = [m for m in out if m["msg_type"] == "error"]
                self.assertEqual(len(errors), 1)
                self.assertTrue(errors[0]["content"]["traceback"])
        _, out = self.run_cell("kept")
        self.assertEqual(self.result_of(out), "7")

    def test_goroutine_panic_does_not_kill_kernel(self):
        self.run_cell('import "time"\ngo func() { panic("in a goroutine") }()\ntime.Sleep(200 * time.Millisecond)')
        _, out = self.run_cell("2 * 21")
        self.assertEqual(self.result_of(out), "42")
        self.assertTrue(self.km.is_alive())

    def test_compile_error_names_line(self):
        reply, out = self.run_cell("x1 := 1\ny1 := x1 +\n\nundefinedThing")
        self.assertEqual(reply["status"], "error")
        reply, out = self.run_cell('a2 := 1\n_ = a2\nb2 := "s" + 1')
        self.assertEqual(reply["status"], "error")
        text = reply["evalue"] + "\n".join(reply["traceback"])
        self.assertIn("3:", text, "the error should name cell line 3: " + text)

    def test_interrupt_endless_loop(self):
        self.run_cell("survivor := 5")
        reply, out = self.run_cell("for {}", interrupt_after=0.5)
        self.assertEqual(reply["status"], "error")
        self.assertLess(self.interrupt_latency, 1.0)
        _, out = self.run_cell("survivor")
        self.assertEqual(self.result_of(out), "5")

    def test_stdin(self):
        reply, out = self.run_cell(
            'import "fmt"\nvar name string\nfmt.Scanln(&name)\nfmt.Println("hello", name)',
            allow_stdin=True,
            stdin_reply="plasticity",
        )
        self.assertEqual(reply["status"], "ok")
        self.assertIn("hello plasticity", self.text_of(out))

    def test_stdin_not_allowed(self):
        reply, out = self.run_cell('import "fmt"\nvar word string\n_, err := fmt.Scanln(&word)\nfmt.Println(err != nil)')
        self.assertEqual(reply["status"], "ok")
        self.assertIn("true", self.text_of(out))

    def test_streaming_while_running(self):
        """Output printed before a sleep arrives before the cell finishes."""
        msg_id = self.kc.execute('import ("fmt"; "time")\nfmt.Println("early")\ntime.Sleep(1500 * time.Millisecond)\nfmt.Println("late")')
        t0 = time.monotonic()
        while True:
            msg = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream":
                break
        early = time.monotonic() - t0
        self.assertIn("early", msg["content"]["text"])
        self.assertLess(early, 1.2)
        self.kc.get_shell_msg(timeout=TIMEOUT)

    def test_kernel_info_on_control(self):
        msg = self.kc.session.msg("kernel_info_request", {})
        self.kc.control_channel.send(msg)
        reply = self.kc.get_control_msg(timeout=TIMEOUT)
        self.assertEqual(reply["msg_type"], "kernel_info_reply")
        self.assertEqual(reply["parent_header"]["msg_id"], msg["header"]["msg_id"])
        self.assertEqual(reply["content"]["status"], "ok")

    def test_wrong_signature_is_dropped(self):
        """A message signed with another key is never executed."""
        self.run_cell("victim := 1")
        info = self.km.get_connection_info()
        ctx = zmq.Context.instance()
        sock = ctx.socket(zmq.DEALER)
        sock.linger = 0
        sock.connect("%s://%s:%d" % (info["transport"], info["ip"], info["shell_port"]))
        header = {
            "msg_id": uuid.uuid4().hex,
            "session": uuid.uuid4().hex,
            "username": "attacker",
            "date": datetime.now(timezone.utc).isoformat(),
            "msg_type": "execute_request",
            "version": "5.3",
        }
        content = {"code": "victim = 666", "silent": False, "store_history": True,
                   "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}
        parts = [json.dumps(p).encode() for p in (header, {}, {}, content)]
        bad = hmac.new(b"not-the-key", digestmod=hashlib.sha256)
        for p in parts:
            bad.update(p)
        for signature in (bad.hexdigest().encode(), b""):
            sock.send_multipart([b"<IDS|MSG>", signature] + parts)
        self.assertEqual(sock.poll(1000), 0, "the kernel answered a badly signed message")
        sock.close()
        _, out = self.run_cell("victim")
        self.assertEqual(self.result_of(out), "1")
        self.assertTrue(self.km.is_alive())


if __name__ == "__main__":
    unittest.main()
