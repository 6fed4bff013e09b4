"""Writes a notebook from a compact Python description (used to author notebooks).

Usage in a generator script:
    from mknb import notebook, md, code
    notebook("notebooks/01-quickstart.ipynb", [md("# Title"), code("x := 1", expect={"result": "1"})])
Notebooks are saved without outputs, with the plasticnb kernelspec.
"""
import nbformat


def md(text):
    return nbformat.v4.new_markdown_cell(text.strip("\n"))


def code(src, expect=None, tags=None):
    c = nbformat.v4.new_code_cell(src.strip("\n"))
    if expect:
        c.metadata["expect"] = expect
    if tags:
        c.metadata["tags"] = list(tags)
    return c


def notebook(path, cells, min_images=0):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "plasticnb", "display_name": "Go (plasticnb)", "language": "go"}
    nb.metadata["language_info"] = {"name": "go", "file_extension": ".go", "mimetype": "text/x-go"}
    if min_images:
        nb.metadata["plasticnb"] = {"min_images": min_images}
    nb.cells = cells
    for i, c in enumerate(nb.cells):
        c["id"] = "c%02d" % i
    nbformat.validate(nb)
    nbformat.write(nb, path)
