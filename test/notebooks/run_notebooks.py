"""Executes notebooks headless with the plasticnb kernel and checks them.

Usage: /usr/bin/python3 test/notebooks/run_notebooks.py [--out DIR] [--timeout S] NB.ipynb...

Each notebook runs through nbclient (as `jupyter nbconvert --execute` and
Jupyter itself do) with the kernel named in its metadata. A notebook fails if
  - any cell produces an error output, unless the cell is tagged
    "raises-exception" (then it must produce one, and later cells still run);
  - a cell's metadata "expect" is not met. "expect" may hold:
      "stdout": text that the cell's stdout must contain,
      "mime": a list of MIME types the cell must output (e.g. ["image/png"]),
      "result": the exact text/plain of the cell's execute_result,
      "error": text that the cell's error name or value must contain,
      "numbers": a list of checks of numbers the cell prints on stdout, each
          {"pattern": REGEX, "gt"/"ge"/"lt"/"le": BOUND, ...}: REGEX (Python
          syntax) must match the stdout and have a group named "value" (the
          first match counts), which must parse as a float and satisfy every
          bound given; e.g. {"pattern": "gain = (?P<value>\\S+)", "gt": 0}
          checks that a printed gain is positive;
  - the notebook's metadata "plasticnb" has "min_images": N and fewer than N
    image/png outputs were produced.
The executed notebooks are written to --out as .ipynb and .html.
"""

import argparse
import operator
import os
import re
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def outputs_text(cell, name):
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream" and o.get("name") == name)


def cell_mimes(cell):
    mimes = set()
    for o in cell.get("outputs", []):
        mimes.update(o.get("data", {}).keys())
    return mimes


BOUNDS = {"gt": (operator.gt, ">"), "ge": (operator.ge, ">="), "lt": (operator.lt, "<"), "le": (operator.le, "<=")}


def check_numbers(where, stdout, checks):
    """Returns the problems with the "numbers" expectations of one cell."""
    problems = []
    for check in checks:
        pattern = check.get("pattern", "")
        bounds = [(k, v) for k, v in check.items() if k in BOUNDS]
        try:
            groups = re.compile(pattern).groupindex
        except re.error as e:
            problems.append("%s: numbers check %r: %s" % (where, pattern, e))
            continue
        if "value" not in groups or not bounds:
            problems.append("%s: numbers check %r needs a group (?P<value>...) and a bound (%s)" % (where, check, "/".join(BOUNDS)))
            continue
        m = re.search(pattern, stdout)
        if not m:
            problems.append("%s: stdout does not match %r" % (where, pattern))
            continue
        try:
            value = float(m.group("value"))
        except ValueError:
            problems.append("%s: %r is not a number (pattern %r)" % (where, m.group("value"), pattern))
            continue
        for key, bound in bounds:
            op, sym = BOUNDS[key]
            if not op(value, bound):
                problems.append("%s: %s: %g, want %s %g" % (where, m.group(0).strip(), value, sym, bound))
    return problems


def check_cell(index, cell):
    """Returns a list of problems with one executed code cell."""
    problems = []
    where = "cell %d (%s)" % (index, cell.source.strip().splitlines()[0][:60] if cell.source.strip() else "empty")
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    tags = cell.get("metadata", {}).get("tags", [])
    expect = cell.get("metadata", {}).get("expect", {})
    if "raises-exception" in tags:
        if not errors:
            problems.append("%s: expected an error, got none" % where)
    elif errors:
        e = errors[0]
        problems.append("%s: %s: %s\n%s" % (where, e.get("ename"), e.get("evalue"), "\n".join(e.get("traceback", []))))
    if "stdout" in expect and expect["stdout"] not in outputs_text(cell, "stdout"):
        problems.append("%s: stdout %r does not contain %r" % (where, outputs_text(cell, "stdout")[:200], expect["stdout"]))
    for mime in expect.get("mime", []):
        if mime not in cell_mimes(cell):
            problems.append("%s: no %s output (got %s)" % (where, mime, sorted(cell_mimes(cell))))
    if "result" in expect:
        results = [o for o in cell.get("outputs", []) if o.get("output_type") == "execute_result"]
        got = results[0]["data"].get("text/plain") if results else None
        if got != expect["result"]:
            problems.append("%s: execute_result %r, want %r" % (where, got, expect["result"]))
    problems += check_numbers(where, outputs_text(cell, "stdout"), expect.get("numbers", []))
    if "error" in expect:
        text = " ".join("%s %s" % (e.get("ename"), e.get("evalue")) for e in errors)
        if expect["error"] not in text:
            problems.append("%s: error %r does not contain %r" % (where, text, expect["error"]))
    return problems


def run(path, out_dir, timeout):
    nb = nbformat.read(path, as_version=4)
    kernel = nb.metadata.get("kernelspec", {}).get("name", "plasticnb")
    client = NotebookClient(nb, kernel_name=kernel, timeout=timeout, allow_errors=True,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    t0 = time.monotonic()
    problems = []
    try:
        client.execute()
    except CellExecutionError as e:  # only raised with allow_errors=False; kept for safety
        problems.append(str(e))
    except Exception as e:  # kernel died, timeout: report, do not hide
        problems.append("execution stopped: %s: %s" % (type(e).__name__, e))
    elapsed = time.monotonic() - t0
    images = 0
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        problems += check_cell(i, cell)
        images += sum(1 for o in cell.get("outputs", []) if "image/png" in o.get("data", {}))
    want_images = nb.metadata.get("plasticnb", {}).get("min_images", 0)
    if images < want_images:
        problems.append("%d image/png outputs, want at least %d" % (images, want_images))
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
        base = os.path.join(out_dir, os.path.splitext(os.path.basename(path))[0])
        nbformat.write(nb, base + ".ipynb")
        try:
            from nbconvert import HTMLExporter
            html, _ = HTMLExporter().from_notebook_node(nb)
            with open(base + ".html", "w") as f:
                f.write(html)
        except Exception as e:  # rendering is a convenience, not the test
            print("  (could not render HTML: %s)" % e)
    return problems, elapsed, images


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="")
    ap.add_argument("--timeout", type=int, default=900, help="seconds a cell may run")
    ap.add_argument("notebooks", nargs="+")
    args = ap.parse_args()
    paths = [p for p in args.notebooks if os.path.exists(p)]
    if not paths:
        print("no notebooks found in: %s" % " ".join(args.notebooks))
        return 1
    failed = 0
    total = time.monotonic()
    for path in paths:
        problems, elapsed, images = run(path, args.out, args.timeout)
        status = "ok" if not problems else "FAILED"
        print("%-50s %s  %6.1fs  %d images" % (path, status, elapsed, images), flush=True)
        for p in problems:
            print("    " + p.replace("\n", "\n    "))
        failed += bool(problems)
    print("notebooks: %d passed, %d failed (%.0fs)" % (len(paths) - failed, failed, time.monotonic() - total))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
