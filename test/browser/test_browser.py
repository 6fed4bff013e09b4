"""The kernel in a real browser: Jupyter Notebook's page runs a notebook and shows its figures.

Starts Debian's Jupyter Notebook (6.4, the classic UI) on 127.0.0.1 with a
fresh token and a temporary notebook directory holding a copy of
notebooks/01-quickstart.ipynb, opens it in headless Chromium through
chromedriver (Debian's python3-selenium), waits for the kernel
"Go (plasticnb)" to be idle, runs all cells from the page and checks what the
page shows: every code cell executed, no error output, and at least as many
rendered PNG figures (<img src="data:image/png..."> with a non-zero natural
width, inside an output area) as the notebook's metadata plasticnb.min_images
asks for. A screenshot of the page and the browser's console log go to
build/browser/ for humans to look at. PLASTICNB_BROWSER_NOTEBOOK=path runs
another notebook instead.

The kernel is the one Jupyter finds under the name "plasticnb": test.sh
registers one built from the tree in a temporary JUPYTER_PATH (and sets
PLASTICNB_TEST_BUILD, which this test then checks the kernelspec lives in).

Needs the Debian packages jupyter-notebook, chromium, chromium-driver and
python3-selenium (./install.sh installs them). Without them the test fails and
names the package; PLASTICNB_SKIP_BROWSER=1 skips it instead.

Run: /usr/bin/python3 -m unittest discover -s test/browser -v
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
NOTEBOOK = os.path.abspath(os.environ.get("PLASTICNB_BROWSER_NOTEBOOK",
                                          os.path.join(REPO, "notebooks", "01-quickstart.ipynb")))
OUT_DIR = os.path.join(REPO, "build", "browser")
KERNEL = os.environ.get("PLASTICNB_KERNEL", "plasticnb")
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

SERVER_TIMEOUT = 60  # seconds for the notebook server to answer
KERNEL_TIMEOUT = 60  # seconds for the page to load and the kernel to be idle
RUN_TIMEOUT = 120  # seconds for all cells to finish (the quick start takes ~5 s)

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1400,1100",
]


def missing_requirements():
    """Returns (what is missing, the Debian package that provides it) pairs."""
    missing = []
    for module, package in (("selenium", "python3-selenium"), ("notebook", "jupyter-notebook")):
        try:
            __import__(module)
        except ImportError:
            missing.append(("the Python module %s for %s" % (module, sys.executable), package))
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not os.access(path, os.X_OK):
            missing.append((path, package))
    return missing


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tail(path, lines=40):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError as e:
        return "(cannot read %s: %s)" % (path, e)


class NotebookServer:
    """Debian's Jupyter Notebook on 127.0.0.1, a free port and a fresh token."""

    def __init__(self, notebook_dir, work):
        self.port = free_port()
        self.token = uuid.uuid4().hex
        self.base = "http://127.0.0.1:%d" % self.port
        self.log_path = os.path.join(work, "server.log")
        self.runtime = os.path.join(work, "runtime")
        env = dict(os.environ)
        # The user's Jupyter config must not change the server; JUPYTER_PATH
        # (where test.sh registers the kernel under test) is kept.
        env["JUPYTER_CONFIG_DIR"] = os.path.join(work, "config")
        env["JUPYTER_RUNTIME_DIR"] = self.runtime
        cmd = [sys.executable, "-m", "notebook",
               "--no-browser", "--ip=127.0.0.1", "--port=%d" % self.port, "--port-retries=0",
               "--NotebookApp.token=%s" % self.token, "--NotebookApp.password=",
               "--notebook-dir=%s" % notebook_dir]
        if os.geteuid() == 0:
            cmd.append("--allow-root")  # CI runs as root; the server refuses root without it
        self.log = open(self.log_path, "wb")
        # Its own session, so that a failed shutdown can end the server and its kernels together.
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, env=env,
                                     cwd=notebook_dir, start_new_session=True)

    def api(self, path, method="GET"):
        req = urllib.request.Request(self.base + path, method=method,
                                     headers={"Authorization": "token " + self.token})
        with urllib.request.urlopen(req, timeout=10) as r:
            body = r.read()
        return json.loads(body) if body else None

    def wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("jupyter notebook exited with status %d before answering; its log:\n%s"
                                     % (self.proc.returncode, tail(self.log_path)))
            try:
                return self.api("/api/status")
            except (urllib.error.URLError, OSError, ValueError) as e:
                last = e
            time.sleep(0.3)
        raise AssertionError("jupyter notebook did not answer on %s within %ds (last error: %s); its log:\n%s"
                             % (self.base, timeout, last, tail(self.log_path)))

    def kernel_pids(self):
        """Processes whose command line names this server's runtime dir: its kernels (-f runtime/kernel-*.json)."""
        pids = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit() or int(entry) == self.proc.pid:
                continue
            try:
                with open("/proc/%s/cmdline" % entry, "rb") as f:
                    if (self.runtime + os.sep).encode() in f.read():
                        pids.append(int(entry))
            except OSError:
                pass
        return pids

    def stop(self):
        """Asks the server to shut down (it ends its kernels), then signals what is left.

        Kernels run in sessions of their own (jupyter_client starts them so), so
        a server that had to be killed may leave one: those are found by the
        runtime dir named in their command line and ended too."""
        if self.proc.poll() is None:
            try:
                self.api("/api/shutdown", method="POST")
            except (urllib.error.URLError, OSError, ValueError):
                pass
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                pass
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.proc.pid, sig)  # the server is gone; this reaches kernels left in its session
            except (ProcessLookupError, PermissionError):
                break
            if self.proc.poll() is None:
                try:
                    self.proc.wait(timeout=wait)
                except subprocess.TimeoutExpired:
                    continue
            if sig == signal.SIGTERM:
                time.sleep(0.5)
        for sig in (signal.SIGTERM, signal.SIGKILL):
            pids = self.kernel_pids()
            for pid in pids:
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
            if pids:
                time.sleep(1)
        self.log.close()


# JavaScript run in the page. The classic notebook exposes its model as window.Jupyter.
JS_KERNEL_STATE = """
const nb = window.Jupyter && Jupyter.notebook;
const modal = Array.from(document.querySelectorAll('.modal-dialog')).map(m => m.innerText).join(' | ');
if (!nb || !nb.kernel) return {ready: false, modal: modal};
const icon = document.getElementById('kernel_indicator_icon');
const name = document.querySelector('.kernel_indicator_name');
return {ready: true, name: nb.kernel.name, connected: nb.kernel.is_connected(),
        idle: !!(icon && icon.classList.contains('kernel_idle_icon')),
        display: name ? name.innerText : '', modal: modal};
"""

JS_RUN_STATE = """
const cells = Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code');
const errors = Array.from(document.querySelectorAll('.output_area .output_error')).map(e => e.innerText.slice(0, 600));
return {cells: cells.length,
        done: cells.filter(c => typeof c.input_prompt_number === 'number').length,
        running: cells.filter(c => c.input_prompt_number === '*').length,
        errors: errors};
"""

JS_IMAGES = """
return Array.from(document.querySelectorAll('img')).map(img => ({
    png: (img.getAttribute('src') || '').startsWith('data:image/png'),
    inOutput: !!img.closest('.output_area'),
    complete: img.complete,
    width: img.naturalWidth,
    height: img.naturalHeight}));
"""


class BrowserTest(unittest.TestCase):
    """A notebook run from Jupyter Notebook's page in headless Chromium."""

    def setUp(self):
        if os.environ.get("PLASTICNB_SKIP_BROWSER") == "1":
            self.skipTest("PLASTICNB_SKIP_BROWSER=1")
        missing = missing_requirements()
        if missing:
            self.fail("the browser test needs what is missing here:\n" +
                      "".join("  %s (Debian package %s)\n" % m for m in missing) +
                      "Install it with ./install.sh, or: apt-get install %s\n"
                      "or set PLASTICNB_SKIP_BROWSER=1 to skip this test." % " ".join(p for _, p in missing))
        self.work = tempfile.mkdtemp(prefix="plasticnb-browser-")
        self.addCleanup(shutil.rmtree, self.work, ignore_errors=True)
        os.makedirs(OUT_DIR, exist_ok=True)

    def start_server(self):
        nbdir = os.path.join(self.work, "notebooks")
        os.makedirs(nbdir)
        shutil.copy(NOTEBOOK, nbdir)
        server = NotebookServer(nbdir, self.work)
        self.addCleanup(server.stop)
        server.wait_ready(SERVER_TIMEOUT)
        specs = server.api("/api/kernelspecs")["kernelspecs"]
        self.assertIn(KERNEL, specs, "the notebook server does not know the kernel %r (it knows %s): run ./install.sh"
                      % (KERNEL, sorted(specs)))
        build = os.environ.get("PLASTICNB_TEST_BUILD")
        if build:
            # Under test.sh the kernel must be the one built from the tree, not an installed one.
            spec_file = os.path.join(build, "share", "jupyter", "kernels", KERNEL, "kernel.json")
            with open(spec_file) as f:
                argv0 = json.load(f)["argv"][0]
            self.assertEqual(specs[KERNEL]["spec"]["argv"][0], argv0,
                             "the server would start another kernel than the one in PLASTICNB_TEST_BUILD")
        return server

    def start_browser(self):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM
        for flag in CHROMIUM_FLAGS:
            opts.add_argument(flag)
        opts.add_argument("--user-data-dir=" + os.path.join(self.work, "chromium-profile"))
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        service = Service(executable_path=CHROMEDRIVER, log_path=os.path.join(self.work, "chromedriver.log"))
        try:
            driver = webdriver.Chrome(service=service, options=opts)
        except Exception as e:  # selenium raises several types here; all mean the browser did not start
            self.fail("headless Chromium did not start through %s: %s\nchromedriver log:\n%s"
                      % (CHROMEDRIVER, e, tail(os.path.join(self.work, "chromedriver.log"))))
        self.addCleanup(driver.quit)
        driver.set_script_timeout(30)
        return driver

    def poll(self, driver, script, done, timeout, what):
        """Runs script in the page until done(result) is true; fails after timeout naming what it waited for."""
        deadline = time.monotonic() + timeout
        state = None
        while time.monotonic() < deadline:
            state = driver.execute_script(script)
            if done(state):
                return state
            time.sleep(0.25)
        self.save_page(driver, "timeout")
        self.fail("timed out after %ds waiting for %s; last state seen in the page: %s" % (timeout, what, state))

    def save_page(self, driver, suffix=""):
        """Screenshot and console log into build/browser/, for humans."""
        stem = os.path.splitext(os.path.basename(NOTEBOOK))[0] + (("-" + suffix) if suffix else "")
        shot = os.path.join(OUT_DIR, stem + ".png")
        driver.save_screenshot(shot)
        try:
            logs = driver.get_log("browser")
        except Exception:  # a driver without logs; the screenshot is what matters
            logs = []
        with open(os.path.join(OUT_DIR, stem + "-console.log"), "w") as f:
            for entry in logs:
                f.write("%s %s\n" % (entry.get("level"), entry.get("message")))
        print("\nscreenshot: %s" % os.path.relpath(shot, REPO), file=sys.stderr)
        return shot

    def test_run_all_cells_renders_figures(self):
        with open(NOTEBOOK) as f:
            min_images = json.load(f).get("metadata", {}).get("plasticnb", {}).get("min_images", 1)
        t0 = time.monotonic()
        server = self.start_server()
        driver = self.start_browser()
        driver.get("%s/notebooks/%s?token=%s" % (server.base, os.path.basename(NOTEBOOK), server.token))

        k = self.poll(driver, JS_KERNEL_STATE, lambda s: s["ready"] and s["connected"] and s["idle"],
                      KERNEL_TIMEOUT, "the page to load and its kernel to be idle")
        self.assertEqual(k["name"], KERNEL)
        self.assertEqual(k["display"], "Go (plasticnb)")
        t_idle = time.monotonic()

        driver.execute_script("Jupyter.notebook.execute_all_cells();")
        run = self.poll(driver, JS_RUN_STATE, lambda s: s["errors"] or (s["done"] == s["cells"] and s["running"] == 0),
                        RUN_TIMEOUT, "all code cells to finish")
        t_run = time.monotonic()

        # Bring the last figure into view for the screenshot.
        driver.execute_script("""
            const imgs = document.querySelectorAll('.output_area img');
            if (imgs.length) imgs[imgs.length - 1].scrollIntoView({block: 'center'});""")
        time.sleep(0.5)
        images = driver.execute_script(JS_IMAGES)
        self.save_page(driver)

        self.assertEqual(run["errors"], [], "the page shows error outputs")
        self.assertGreater(run["cells"], 0, "the page shows no code cells")
        self.assertEqual(run["done"], run["cells"], "not every code cell ran")
        rendered = [i for i in images if i["png"] and i["inOutput"] and i["complete"] and i["width"] > 0]
        self.assertGreaterEqual(len(rendered), max(1, min_images),
                                "too few rendered PNG figures in output areas; all <img> on the page: %s" % images)
        print("\n%d code cells ran, %d PNG figures rendered (%s); page ready in %.1fs, cells ran in %.1fs"
              % (run["cells"], len(rendered), ", ".join("%dx%d" % (i["width"], i["height"]) for i in rendered),
                 t_idle - t0, t_run - t_idle), file=sys.stderr)


if __name__ == "__main__":
    unittest.main()
