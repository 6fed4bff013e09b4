"""Comms and widgets of the plasticnb kernel, through jupyter_client.

Plays the frontend of ipywidgets 6 (the widget JavaScript Debian ships,
jupyter-js-widgets 2.1.4): reads a widget's state from its comm_open, sends
value changes and clicks as the JavaScript does, and checks the callbacks'
effects (a display handle updated in place from a callback), the comm_info
reply, the version handshake, Poll between a cell's statements, and that bad input and
a panicking callback leave the kernel alive with its state.

Run: /usr/bin/python3 -m unittest discover -s test/protocol -p test_comms.py -v
"""

import os
import queue
import unittest
import uuid

from jupyter_client.manager import start_new_kernel

KERNEL = os.environ.get("PLASTICNB_KERNEL", "plasticnb")
TIMEOUT = 30

SLIDER_CELL = """import "fmt"
ui := widget.New(display.CellContext())
n := ui.IntSlider("n", 0, 10, 1, 3)
seen := 0
n.OnChange(func(v int) {
	seen = v
	fmt.Println("changed to", v)
})
n
"""


class CommTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name=KERNEL)
        reply, _ = cls.execute(cls, 'import "github.com/plasticnb/plasticnb/kernel/widget"')
        assert reply["content"]["status"] == "ok", reply["content"]

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

    def drain(self, parent_id):
        """Returns the iopub messages whose parent is parent_id, up to its idle."""
        out = []
        while True:
            msg = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if msg["parent_header"].get("msg_id") != parent_id:
                continue
            out.append(msg)
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return out

    def execute(self, code):
        msg_id = self.kc.execute(code)
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        return reply, CommTests.drain(self, msg_id)

    def send(self, msg_type, content):
        """Sends a comm message on shell as the frontend does; returns what it caused on iopub."""
        msg = self.kc.session.msg(msg_type, content)
        self.kc.shell_channel.send(msg)
        return self.drain(msg["header"]["msg_id"])

    def value(self, expr):
        reply, iopub = self.execute(expr)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        results = [m for m in iopub if m["msg_type"] == "execute_result"]
        self.assertEqual(len(results), 1, [m["msg_type"] for m in iopub])
        return results[0]["content"]["data"]["text/plain"]

    def open_slider(self):
        reply, iopub = self.execute(SLIDER_CELL)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        opens = [m["content"] for m in iopub if m["msg_type"] == "comm_open"]
        self.assertEqual(len(opens), 1, [m["msg_type"] for m in iopub])
        return opens[0], iopub

    def test_widget_state(self):
        o, iopub = self.open_slider()
        self.assertEqual(o["target_name"], "jupyter.widget")
        state = o["data"]
        for key, want in [("_model_name", "IntSliderModel"), ("_view_name", "IntSliderView"),
                          ("_model_module", "jupyter-js-widgets"), ("_model_module_version", "~2.1.4"),
                          ("value", 3), ("min", 0), ("max", 10), ("step", 1), ("description", "n")]:
            self.assertEqual(state.get(key), want, key)
        # No widget frontend has shaken hands: the static text form.
        result = [m for m in iopub if m["msg_type"] == "execute_result"][0]["content"]["data"]
        self.assertEqual(result["text/plain"], 'IntSlider(description="n", value=3, min=0, max=10, step=1)')
        self.assertEqual(result["application/vnd.jupyter.widget-view+json"], {"model_id": o["comm_id"]})

    def test_comm_info(self):
        o, _ = self.open_slider()
        msg_id = self.kc.comm_info(target_name="jupyter.widget")
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertEqual(reply["content"]["comms"].get(o["comm_id"]), {"target_name": "jupyter.widget"})

    def test_value_change_runs_callback(self):
        o, _ = self.open_slider()
        iopub = self.send("comm_msg", {"comm_id": o["comm_id"],
                                       "data": {"method": "backbone", "sync_data": {"value": 7}}})
        text = "".join(m["content"]["text"] for m in iopub if m["msg_type"] == "stream")
        self.assertEqual(text, "changed to 7\n")
        self.assertEqual(self.value("seen"), "7")
        self.assertEqual(self.value("n.Value()"), "7")

    def test_callback_updates_display_in_place(self):
        reply, iopub = self.execute('ui := widget.New(display.CellContext())\n'
                                    'pick := ui.Dropdown("task", []string{"dnms", "context"}, "dnms")\n'
                                    'shown := display.Show(display.Markdown("task: dnms"))\n'
                                    'pick.OnChange(func(v string) { shown.Update(display.Markdown("task: " + v)) })\n'
                                    'pick')
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        cid = [m["content"]["comm_id"] for m in iopub if m["msg_type"] == "comm_open"][0]
        shown = [m["content"] for m in iopub if m["msg_type"] == "display_data"
                 and "text/markdown" in m["content"]["data"]][0]
        iopub = self.send("comm_msg", {"comm_id": cid, "data": {"method": "backbone", "sync_data": {"value": "context"}}})
        updates = [m["content"] for m in iopub if m["msg_type"] == "update_display_data"]
        self.assertEqual(len(updates), 1, [m["msg_type"] for m in iopub])
        self.assertEqual(updates[0]["transient"]["display_id"], shown["transient"]["display_id"])
        self.assertEqual(updates[0]["data"]["text/markdown"], "task: context")
        iopub = self.send("comm_msg", {"comm_id": cid, "data": {"method": "backbone", "sync_data": {"value": "xor"}}})
        self.assertEqual([m["msg_type"] for m in iopub if m["msg_type"] == "update_display_data"], [])
        self.assertEqual(self.value("pick.Value()"), "context")

    def test_request_state(self):
        o, _ = self.open_slider()
        iopub = self.send("comm_msg", {"comm_id": o["comm_id"], "data": {"method": "request_state"}})
        updates = [m["content"]["data"] for m in iopub if m["msg_type"] == "comm_msg"]
        self.assertEqual(len(updates), 1)
        self.assertEqual(updates[0]["method"], "update")
        self.assertEqual(updates[0]["state"]["value"], 3)

    def test_bad_input_is_answered(self):
        o, _ = self.open_slider()
        cid = o["comm_id"]
        for name, content, want in [
            ("out of range", {"comm_id": cid, "data": {"method": "backbone", "sync_data": {"value": 70}}},
             "out of range"),
            ("wrong type", {"comm_id": cid, "data": {"method": "backbone", "sync_data": {"value": "x"}}},
             "not a number"),
            ("not an integer", {"comm_id": cid, "data": {"method": "backbone", "sync_data": {"value": 2.5}}},
             "not an integer"),
            ("unknown key", {"comm_id": cid, "data": {"method": "backbone", "sync_data": {"max": 1}}},
             "cannot be set"),
            ("malformed state", {"comm_id": cid, "data": {"method": "backbone", "sync_data": [1, 2]}},
             "malformed"),
            ("unknown method", {"comm_id": cid, "data": {"method": "frobnicate"}}, "unknown method"),
        ]:
            with self.subTest(name):
                iopub = self.send("comm_msg", content)
                err = "".join(m["content"]["text"] for m in iopub
                              if m["msg_type"] == "stream" and m["content"]["name"] == "stderr")
                self.assertIn(want, err)
        # The refused values were sent back, and the value is unchanged.
        self.assertEqual(self.value("n.Value()"), "3")
        iopub = self.send("comm_msg", {"comm_id": "no-such-comm", "data": {}})
        closes = [m["content"]["comm_id"] for m in iopub if m["msg_type"] == "comm_close"]
        self.assertEqual(closes, ["no-such-comm"])
        self.assertEqual(self.value("1 + 1"), "2")

    def test_panicking_callback(self):
        reply, iopub = self.execute(
            'ui := widget.New(display.CellContext())\nb := ui.Button("boom")\nclicks := 0\n'
            'b.OnClick(func() {\n\tclicks++\n\tif clicks == 1 {\n\t\tpanic("callback boom")\n\t}\n})\nb')
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        cid = [m["content"]["comm_id"] for m in iopub if m["msg_type"] == "comm_open"][0]
        click = {"comm_id": cid, "data": {"method": "custom", "content": {"event": "click"}}}
        iopub = self.send("comm_msg", click)
        errors = [m["content"] for m in iopub if m["msg_type"] == "error"]
        self.assertEqual(len(errors), 1, [m["msg_type"] for m in iopub])
        self.assertIn("callback boom", errors[0]["evalue"])
        # The kernel is alive, keeps its state, and the button still works.
        self.assertEqual(self.value("clicks"), "1")
        self.send("comm_msg", click)
        self.assertEqual(self.value("clicks"), "2")

    def test_poll_between_statements(self):
        """A running cell that calls ui.Poll() sees a change sent while it runs."""
        reply, iopub = self.execute('ui := widget.New(display.CellContext())\nstop := ui.Checkbox("stop", false)\nstop')
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        cid = [m["content"]["comm_id"] for m in iopub if m["msg_type"] == "comm_open"][0]
        msg_id = self.kc.execute('import (\n\t"fmt"\n\t"time"\n)\n'
                                 'i := 0\n'
                                 'for ; i < 3000 && !stop.Value(); i++ {\n'
                                 '\ttime.Sleep(10 * time.Millisecond)\n'
                                 '\tui.Poll()\n'
                                 '}\n'
                                 'fmt.Println("stopped:", stop.Value(), i < 3000)')
        while True:  # the cell runs once its execute_input is out
            m = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "execute_input":
                break
        change = self.kc.session.msg("comm_msg", {"comm_id": cid, "data": {
            "method": "backbone", "sync_data": {"value": True}}})
        self.kc.shell_channel.send(change)
        out = self.drain(msg_id)
        text = "".join(m["content"]["text"] for m in out if m["msg_type"] == "stream")
        self.assertEqual(text, "stopped: true true\n")
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])

    def test_version_handshake(self):
        """A widget frontend opens jupyter.widget.version; widgets then display as views."""
        cid = uuid.uuid4().hex
        iopub = self.send("comm_open", {"comm_id": cid, "target_name": "jupyter.widget.version", "data": {}})
        answers = [m["content"]["data"] for m in iopub if m["msg_type"] == "comm_msg"]
        self.assertEqual(answers, [{"version": "~2.1.4"}])
        self.send("comm_msg", {"comm_id": cid, "data": {"validated": True, "frontend_version": "2.1.4"}})
        reply, iopub = self.execute('ui := widget.New(display.CellContext())\nui.Checkbox("on", true)')
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        types = [m["msg_type"] for m in iopub]
        self.assertEqual(types, ["status", "execute_input", "comm_open", "comm_msg", "execute_result", "status"])
        display = [m["content"]["data"] for m in iopub if m["msg_type"] == "comm_msg"][0]
        self.assertEqual(display, {"method": "display"})
        data = [m["content"]["data"] for m in iopub if m["msg_type"] == "execute_result"][0]
        self.assertEqual(list(data), ["application/vnd.jupyter.widget-view+json"])
        # A frontend without widgets again: back to the text form.
        self.send("comm_msg", {"comm_id": cid, "data": {"validated": False, "frontend_version": "1.0.0"}})
        self.assertIn("Checkbox(", self.value('ui.Checkbox("off", false)'))


if __name__ == "__main__":
    unittest.main()
