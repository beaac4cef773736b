"""Make a graded notebook inert: nothing a student wrote can run script where an instructor or student opens it.

The last step of autograde (see autograder/judge.py: `configure`). The autograded notebook is
what the formgrader shows an instructor and what feedback is made from, so after this step:

* outputs keep only text/plain and images whose data is strict base64 (png, jpeg); text/html,
  image/svg+xml, application/javascript, markdown and LaTeX outputs, widget views and every
  output's metadata are dropped (the text/plain beside them stays);
* a markdown cell a student wrote (any but the instructor's own locked cells, unchanged) is shown as
  its plain text, in a fenced code block: no HTML, link, image or TeX of it is rendered (Markdown's
  link parsing decodes entities in ways no escaping of the source can foresee, so none is attempted);
* cell attachments, widget state, cell metadata other than nbgrader's, and any notebook metadata
  but a fixed Python kernelspec are removed; ids that are not plain names are replaced.

Error names, values and tracebacks, streams and code are escaped by nbconvert's templates
(checked in tests/test_inert.py, and in Chromium by tests/test_hostile_html.py). The feedback page
gets one style more (`WrapOutputs`): long output lines wrap (tests/test_feedback_page.py).
"""
import base64
import binascii
import re

from nbgrader.preprocessors import NbGraderPreprocessor

KEEP_MIME = ("text/plain", "image/png", "image/jpeg")
SAFE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def is_base64(text):
    if not isinstance(text, str) or not re.fullmatch(r"[A-Za-z0-9+/=\s]*", text):
        return False
    try:
        base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def inert_output(output):
    """The output with only inert data (see the module docstring)."""
    if output.get("output_type") in ("display_data", "execute_result", "update_display_data"):
        data = output.get("data", {})
        kept = {}
        for mime in KEEP_MIME:
            value = data.get(mime)
            if mime == "text/plain" and isinstance(value, (str, list)):
                kept[mime] = value if isinstance(value, str) else "".join(str(v) for v in value)
            elif mime != "text/plain" and is_base64(value):
                kept[mime] = value
        if not kept:
            kept["text/plain"] = "[output not shown: only text and images are kept at grading]"
        output["data"] = kept
        output["metadata"] = {}
        output.pop("transient", None)
    return output


def inert_markdown(source):
    """Markdown a student wrote, shown as its plain text: one fenced code block, which Markdown renders
    verbatim (no HTML, no links, no images, no TeX), whatever the source holds."""
    longest = max((len(run) for run in re.findall(r"`+|~+", source)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{source}\n{fence}"


def trusted_markdown(cell, sources):
    """True for a markdown cell that is exactly the instructor's (same grade id and source, after nbgrader
    restored the locked cells): it may keep its markup."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("locked")) and sources.get(meta.get("grade_id")) == cell.source


class MakeInert(NbGraderPreprocessor):
    """Render everything a student wrote inert (see the module docstring)."""

    def preprocess(self, nb, resources):
        sources = self.instructor_markdown(resources)
        for index, cell in enumerate(nb.cells):
            if not (isinstance(cell.get("id"), str) and SAFE_ID.fullmatch(cell["id"])):
                cell["id"] = f"cell-{index}"
            cell.pop("attachments", None)
            meta = cell.get("metadata", {})
            cell["metadata"] = {"nbgrader": meta["nbgrader"]} if isinstance(meta.get("nbgrader"), dict) else {}
            if cell.cell_type == "markdown" and not trusted_markdown(cell, sources):
                cell.source = inert_markdown(cell.source)
            elif cell.cell_type == "raw":
                cell.cell_type, cell.source = "markdown", inert_markdown(cell.source)
                cell.pop("outputs", None), cell.pop("execution_count", None)
            elif cell.cell_type == "code":
                cell.outputs = [inert_output(o) for o in cell.outputs]
        nb.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}}
        return nb, resources

    def instructor_markdown(self, resources):
        """{grade_id: source} of the locked markdown cells of the assignment's source notebook, from the gradebook."""
        try:
            from nbgrader.api import Gradebook
            from nbgrader.coursedir import CourseDirectory

            info = resources["nbgrader"]
            with Gradebook(info["db_url"], CourseDirectory(config=self.config).course_id) as gb:
                notebook = gb.find_notebook(info["notebook"], info["assignment"])
                return {cell.name: cell.source for cell in notebook.source_cells if cell.cell_type == "markdown"}
        except Exception:  # noqa: BLE001 - no gradebook entry: no markdown is trusted, all of it is escaped
            return {}


WRAP_CSS = "div.output_area pre, div.output_subarea pre { white-space: pre-wrap; overflow-wrap: anywhere; word-break: normal; }"


class WrapOutputs(NbGraderPreprocessor):
    """Feedback only, after nbconvert's CSS header (it resets resources["inlining"]): one style more on the page,
    so that long lines of output (the judge's explanations) wrap instead of running off it."""

    def preprocess(self, nb, resources):
        resources.setdefault("inlining", {}).setdefault("css", []).append(WRAP_CSS)
        return nb, resources
