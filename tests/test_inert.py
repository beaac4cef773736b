"""autograder/inert.py: what a student wrote comes out of grading as text, never as script."""
import nbformat
import pytest
from nbconvert import HTMLExporter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from test_gallery import live_payloads

from autograder.inert import MakeInert, inert_markdown, is_base64

TITLE = "document.title='PWNED'"
MARKDOWN = [
    f"<script>{TITLE}</script>", f"<img src=x onerror=\"{TITLE}\">", f"[a](javascript:{TITLE})",
    f"[b](java\tscript:{TITLE})", f"[c](JavaScript :{TITLE})", f"<a href='javascript:{TITLE}'>d</a>",
    f"[e](vbscript:{TITLE})", "![f](data:text/html;base64,PHNjcmlwdD4=)", f"$\\href{{javascript:{TITLE}}}{{g}}$",
    f"<svg onload=\"{TITLE}\"></svg>", f"<iframe srcdoc=\"<script>parent.{TITLE}</script>\"></iframe>",
    f"&lt;script&gt;{TITLE}&lt;/script&gt;", f"[h](&#106;avascript:{TITLE})", f"[i](&amp;#106;avascript:{TITLE})",
    f"```\n</code></pre><script>{TITLE}</script>\n```", f"~~~~\n<script>{TITLE}</script>",
]


@pytest.mark.parametrize("source", MARKDOWN)
def test_student_markdown_renders_without_live_script(source):
    nb = new_notebook(cells=[new_markdown_cell(source)])
    MakeInert().preprocess(nb, {})
    body, _ = HTMLExporter().from_notebook_node(nb)
    assert not live_payloads(body), live_payloads(body)
    assert "language-text" in body or "<pre" in body  # shown as text (MathJax skips pre and code)


def test_student_markdown_is_shown_verbatim_and_the_instructors_rendered():
    text = "The *error* is $E$ ```, see [Mazur](https://mattmazur.com) <b>"
    assert inert_markdown(text) == "````text\n" + text + "\n````"
    mine = new_markdown_cell("# Lesson 6", metadata={"nbgrader": {"locked": True, "grade_id": "intro"}})
    forged = new_markdown_cell("# Lesson 6 <script>x</script>", metadata={"nbgrader": {"locked": True, "grade_id": "intro"}})
    nb = new_notebook(cells=[mine, forged])
    inert = MakeInert()
    inert.instructor_markdown = lambda resources: {"intro": "# Lesson 6"}
    inert.preprocess(nb, {})
    assert nb.cells[0].source == "# Lesson 6" and nb.cells[1].source.startswith("```text")


def test_outputs_keep_text_and_real_images_only():
    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    outputs = [
        new_output("display_data", data={"text/html": f"<script>{TITLE}</script>", "text/plain": "<HTML>"}),
        new_output("display_data", data={"application/javascript": TITLE}),
        new_output("display_data", data={"image/svg+xml": f"<svg onload=\"{TITLE}\"/>", "text/plain": "svg"}),
        new_output("display_data", data={"image/png": f"x\" onerror=\"{TITLE}"}, metadata={"width": f"1\" onload=\"{TITLE}"}),
        new_output("display_data", data={"image/png": png, "text/plain": "fine"}),
        new_output("execute_result", data={"text/latex": f"$\\href{{javascript:{TITLE}}}{{x}}$", "text/plain": "tex"},
                   execution_count=1),
    ]
    nb = new_notebook(cells=[new_code_cell("x", outputs=outputs)])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nb.metadata["language_info"] = {"name": f"python\"><script>{TITLE}</script>"}
    MakeInert().preprocess(nb, {})
    data = [o["data"] for o in nb.cells[0].outputs]
    assert data == [{"text/plain": "<HTML>"}, {"text/plain": "[output not shown: only text and images are kept at grading]"},
                    {"text/plain": "svg"}, {"text/plain": "[output not shown: only text and images are kept at grading]"},
                    {"image/png": png, "text/plain": "fine"}, {"text/plain": "tex"}]
    assert all(o["metadata"] == {} for o in nb.cells[0].outputs)
    assert set(nb.metadata) == {"kernelspec", "language_info"} and nb.metadata.language_info == {"name": "python"}
    body, _ = HTMLExporter().from_notebook_node(nb)
    assert not live_payloads(body)
    nbformat.validate(nb)


def test_base64_is_checked_strictly():
    assert is_base64("aGVsbG8=") and not is_base64('aGVsbG8=" onerror="x') and not is_base64(None)


def test_odd_cell_ids_and_attachments_are_replaced_or_removed():
    cell = new_markdown_cell("x")
    cell.id = "ok-id"
    other = new_markdown_cell("y")
    other.id = "placeholder"
    other["attachments"] = {"a.svg": {"image/svg+xml": "<svg onload='x'/>"}}
    nb = new_notebook(cells=[cell, other])
    nb.cells[1]["id"] = "\"><script>x</script>"  # as a hostile notebook's JSON can hold it
    MakeInert().preprocess(nb, {})
    assert [c.id for c in nb.cells] == ["ok-id", "cell-1"] and "attachments" not in nb.cells[1]
