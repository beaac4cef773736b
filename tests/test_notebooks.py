"""Every notebook is clean, executes headless, and its self-check agrees with nbgrader's points."""
import ast
import re
import shutil
import subprocess

import nbformat
import pytest
from conftest import ASSIGNMENTS, BIN, LESSONS, ROOT, SOLUTIONS, execute, executed_solution, notebook_path

ALL_NOTEBOOKS = sorted(SOLUTIONS.glob("*/*.ipynb")) + sorted(LESSONS.glob("*.ipynb")) + sorted(LESSONS.glob("*/*.ipynb"))
NOTEBOOK_METADATA = {"kernelspec", "language_info"}


def ids(paths):
    return [str(p.relative_to(ROOT)) for p in paths]


def grade_cells(nb):
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=ids(ALL_NOTEBOOKS))
def test_notebook_is_committed_clean(path):
    """No outputs, no execution counts, only kernelspec and language_info as notebook metadata."""
    raw = path.read_text(encoding="utf-8")
    nb = nbformat.reads(raw, as_version=4)
    nbformat.validate(nb)
    assert set(nb.metadata) == NOTEBOOK_METADATA, f"unexpected notebook metadata: {sorted(nb.metadata)}"
    assert nb.metadata.kernelspec.name == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {cell.id} has outputs"
            assert cell.execution_count is None, f"cell {cell.id} has an execution count"
        assert not {"collapsed", "scrolled", "ExecuteTime", "execution"} & set(cell.metadata), cell.id
    assert raw == nbformat.writes(nb) + "\n", "not in nbformat's canonical layout: run `make strip`"


def test_make_strip_runs_and_leaves_committed_notebooks_unchanged(tmp_path):
    """`make strip`'s nbstripout command, run on copies of every notebook, accepts its flags and changes nothing."""
    recipe = re.search(r"^strip:.*\n\t(?P<cmd>.*nbstripout.*)$", (ROOT / "Makefile").read_text(), re.M)["cmd"]
    flags = [word for word in recipe.split() if word.startswith("--")]
    copies = []
    for k, path in enumerate(ALL_NOTEBOOKS):
        copies.append(tmp_path / f"{k}.ipynb")
        shutil.copyfile(path, copies[-1])
    proc = subprocess.run([str(BIN / "nbstripout"), *flags, *map(str, copies)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    for path, copy in zip(ALL_NOTEBOOKS, copies):
        assert copy.read_bytes() == path.read_bytes(), f"`make strip` would change {path.relative_to(ROOT)}"


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_notebook_executes_with_every_test_passing(assignment):
    """The solution runs top to bottom with no error: every visible and hidden test passes."""
    nb, _ = executed_solution(assignment)
    tests = grade_cells(nb)
    assert tests, "an assignment needs graded test cells"
    for cell in tests:
        errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
        assert not errors, f"{cell.metadata.nbgrader.grade_id}: {errors}"
    report = nb.cells[-1]
    text = "".join(o.get("text", "") for o in report.outputs)
    assert "Visible tests pass for" in text
    points = sum(c.metadata.nbgrader.points for c in tests)
    assert f"Visible tests pass for {points} of {points} points." in text


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_untouched_release_runs_and_reports_not_written(assignment):
    """A student's fresh notebook runs to the end; its only errors come from exercises not yet written."""
    nb, _ = execute(notebook_path(assignment, LESSONS), allow_errors=True)
    for cell in nb.cells:
        errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
        meta = cell.metadata.get("nbgrader", {})
        if errors and not meta.get("grade") and errors[0].ename != "NotImplementedError":
            # given cells may stop at an unwritten exercise, but must not fail for any other reason
            pytest.fail(f"cell {cell.id} failed in the untouched release: {errors[0].ename}: {errors[0].evalue}")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_self_check_lists_every_exercise_with_nbgrader_points(assignment):
    """The last cell's report({...}) names each graded exercise with the points of its test cell."""
    nb = nbformat.read(notebook_path(assignment), as_version=4)
    call = ast.parse(nb.cells[-1].source).body[-1].value
    assert call.func.id == "report"
    declared = ast.literal_eval(call.args[0])
    tests = {c.metadata.nbgrader.grade_id: c.metadata.nbgrader.points for c in grade_cells(nb)}
    assert {f"test_{name}": points for name, points in declared.items()} == tests


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_each_graded_cell_opens_with_a_docstring_and_has_hidden_tests(assignment):
    """Test cells say what they check, use the self-check, and grade against the reference."""
    nb = nbformat.read(notebook_path(assignment), as_version=4)
    for cell in grade_cells(nb):
        grade_id = cell.metadata.nbgrader.grade_id
        assert cell.source.startswith('"""'), f"{grade_id} should open with a docstring"
        assert f'with visible("{grade_id[len("test_"):]}")' in cell.source, grade_id
        assert "### BEGIN HIDDEN TESTS" in cell.source and "from course." in cell.source, grade_id


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_regions_sit_inside_function_bodies(assignment):
    """Each solution cell keeps its signature and docstring for the student."""
    nb = nbformat.read(notebook_path(assignment), as_version=4)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            tree = ast.parse(cell.source)
            functions = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
            assert functions, f"{meta['grade_id']} defines no function"
            assert all(ast.get_docstring(f) for f in functions), f"{meta['grade_id']} lacks a docstring"
            first = cell.source.index("### BEGIN SOLUTION")
            assert cell.source.index("def ") < first, f"{meta['grade_id']}: solution region before the signature"


def test_index_lists_every_assignment():
    """The start page links every lesson folder of lessons/."""
    index = nbformat.read(LESSONS / "index.ipynb", as_version=4)
    text = "\n".join(c.source for c in index.cells)
    for assignment in ASSIGNMENTS:
        assert f"{assignment}/{notebook_path(assignment).name}" in text, assignment


@pytest.mark.slow
def test_index_executes():
    execute(LESSONS / "index.ipynb")
