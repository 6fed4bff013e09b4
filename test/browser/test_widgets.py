"""Widgets in a real browser: a slider moved on the page redraws a figure.

Starts Jupyter Notebook (6.4) on 127.0.0.1 as test_browser.py does, opens
notebooks/07-interactive.ipynb in headless Chromium, waits for the kernel
and the widget JavaScript (Debian's jupyter-nbextension-jupyter-js-widgets,
ipywidgets 6, enabled system-wide in /etc/jupyter/nbconfig), runs all cells
from the page, checks that the controls render as widgets (sliders, a
dropdown, a button), drags the eta slider's handle with the mouse
(selenium), and checks that the learning-curve figure the callback redraws
in place changed and the status line names the new eta. Screenshot and
console log in build/browser/.

Needs what test_browser.py needs plus jupyter-nbextension-jupyter-js-widgets
(./install.sh installs it); PLASTICNB_SKIP_BROWSER=1 skips it.

Run: /usr/bin/python3 -m unittest discover -s test/browser -p test_widgets.py -v
"""

import os
import shutil
import sys
import time
import unittest

import test_browser as tb

NOTEBOOK = os.path.join(tb.REPO, "notebooks", "07-interactive.ipynb")
WIDGET_JS = "/usr/share/jupyter/nbextensions/jupyter-js-widgets/extension.js"
RUN_TIMEOUT = 120  # seconds for all cells (about 3 s of kernel time)
REDRAW_TIMEOUT = 60  # seconds for a slider's re-run and redraw (about 1 s)

JS_WIDGETS = """
const mgr = window.Jupyter && Jupyter.WidgetManager && Jupyter.WidgetManager._managers[0];
const area = Array.from(document.querySelectorAll('.widget-area')).filter(a => a.style.display !== 'none');
const sliders = Array.from(document.querySelectorAll('.widget-hslider'));
return {manager: !!mgr,
        areas: area.length,
        sliders: sliders.map(s => (s.querySelector('.widget-label') || {}).innerText),
        dropdowns: document.querySelectorAll('.widget-dropdown, .widget-inline-hbox select, .dropdown-toggle').length,
        buttons: Array.from(document.querySelectorAll('.widget-area button')).map(b => b.innerText),
        labels: Array.from(document.querySelectorAll('.widget-area .widget-label')).map(l => l.innerText)};
"""

# The text outputs of the page, line by line (the status line is one).
JS_STATUS = """
return Array.from(document.querySelectorAll('.output_area pre')).flatMap(p => p.innerText.split('\\n'));
"""

# The learning curve is the first figure of the notebook: a short digest of
# its data URI tells one drawing from another.
JS_FIRST_FIGURE = """
const img = document.querySelector('.output_area img[src^="data:image/png"]');
if (!img) return null;
const s = img.getAttribute('src');
let h = 0;
for (let i = 0; i < s.length; i += 7) h = (h * 31 + s.charCodeAt(i)) | 0;
return {length: s.length, hash: h, width: img.naturalWidth};
"""


class WidgetBrowserTest(unittest.TestCase):
    # The page driving of test_browser.BrowserTest, without its test.
    setUp = tb.BrowserTest.setUp
    start_browser = tb.BrowserTest.start_browser
    poll = tb.BrowserTest.poll

    def save_page(self, driver, suffix=""):
        stem = "07-interactive" + (("-" + suffix) if suffix else "")
        shot = os.path.join(tb.OUT_DIR, stem + ".png")
        driver.save_screenshot(shot)
        try:
            logs = driver.get_log("browser")
        except Exception:  # a driver without logs; the screenshot is what matters
            logs = []
        with open(os.path.join(tb.OUT_DIR, stem + "-console.log"), "w") as f:
            for entry in logs:
                f.write("%s %s\n" % (entry.get("level"), entry.get("message")))
        print("\nscreenshot: %s" % os.path.relpath(shot, tb.REPO), file=sys.stderr)

    def test_slider_redraws_figure(self):
        if not os.path.exists(WIDGET_JS):
            self.fail("the widget JavaScript %s is missing: apt-get install jupyter-nbextension-jupyter-js-widgets "
                      "(./install.sh installs it)" % WIDGET_JS)
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.by import By

        nbdir = os.path.join(self.work, "notebooks")
        os.makedirs(nbdir)
        shutil.copy(NOTEBOOK, nbdir)
        server = tb.NotebookServer(nbdir, self.work)
        self.addCleanup(server.stop)
        server.wait_ready(tb.SERVER_TIMEOUT)
        driver = self.start_browser()
        driver.get("%s/notebooks/%s?token=%s" % (server.base, os.path.basename(NOTEBOOK), server.token))
        self.poll(driver, tb.JS_KERNEL_STATE, lambda s: s["ready"] and s["connected"] and s["idle"],
                  tb.KERNEL_TIMEOUT, "the page to load and its kernel to be idle")
        self.poll(driver, JS_WIDGETS, lambda s: s["manager"], tb.KERNEL_TIMEOUT,
                  "the widget manager of jupyter-js-widgets to load")
        time.sleep(1)  # the manager's version handshake with the kernel

        driver.execute_script("Jupyter.notebook.execute_all_cells();")
        run = self.poll(driver, tb.JS_RUN_STATE,
                        lambda s: s["errors"] or (s["done"] == s["cells"] and s["running"] == 0),
                        RUN_TIMEOUT, "all code cells to finish")
        self.assertEqual(run["errors"], [], "the page shows error outputs")
        w = self.poll(driver, JS_WIDGETS, lambda s: len(s["sliders"]) >= 7, 30, "the sliders to render")
        self.assertIn("eta", w["sliders"])
        self.assertIn("meta-train one step", w["buttons"])

        before = driver.execute_script(JS_FIRST_FIGURE)
        self.assertIsNotNone(before, "no figure on the page")
        handle = driver.find_element(By.CSS_SELECTOR, ".widget-hslider .ui-slider-handle")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", handle)
        ActionChains(driver).click_and_hold(handle).move_by_offset(60, 0).release().perform()

        after = self.poll(driver, JS_FIRST_FIGURE, lambda s: s and s["hash"] != before["hash"],
                          REDRAW_TIMEOUT, "the learning curve to be redrawn after the eta slider moved")
        status = self.poll(driver, JS_STATUS,
                           lambda s: any(l.startswith("context, eta") and "eta 0.2," not in l for l in s),
                           REDRAW_TIMEOUT, "the status line to report the new eta")
        self.save_page(driver)
        self.assertGreater(after["width"], 0)
        print("\nfigure redrawn (%d -> %d bytes of data URI); status: %s"
              % (before["length"], after["length"], [l for l in status if "MaxDW" in l]), file=sys.stderr)


if __name__ == "__main__":
    unittest.main()
