"""The layout: a lesson is one folder of course/, the grader's machinery imports in one direction only.

What a new maintainer relies on (CONTRIBUTING.md, "Add a lesson"): every graded notebook has its
folder course/<lesson>/ with the five pieces, nothing lists the lessons by hand, a folder that
misses a piece is named at once, and the import graph of the shipped code has no circle.
"""
import ast
import shutil
import sys

import nbformat
import pytest
from conftest import ASSIGNMENTS, ROOT, notebook_path

import course

SHIPPED = ("autograder", "backprop_lab", "course", "tools")
KERNEL_SIDE = ("autograder.records", "autograder.grading", "autograder.guard")  # plus course.<lesson>.cases
GRADER_ONLY = ("autograder.verdicts", "autograder.compare", "autograder.mistakes", "autograder.judge",
               "autograder.submissions", "autograder.grade")


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for package in SHIPPED for p in sorted((ROOT / package).rglob("*.py"))}


def imports(name, top_level_only=False):
    """The shipped modules `name` imports (anywhere in its code, or only at module level)."""
    tree = ast.parse(MODULES[name].read_text())
    nodes = tree.body if top_level_only else ast.walk(tree)
    found = set()
    for node in nodes:
        targets = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            targets = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def test_every_graded_notebook_has_a_complete_lesson_folder():
    graded = []
    for assignment in ASSIGNMENTS:
        nb = nbformat.read(notebook_path(assignment), as_version=4)
        if any(c.metadata.get("nbgrader", {}).get("grade") for c in nb.cells):
            graded.append(assignment.split("_", 1)[1])
    assert sorted(graded) == sorted(course.lessons())
    for lesson in course.lessons():
        assert course.problems(lesson) == [], lesson


@pytest.fixture
def new_lesson(tmp_path, monkeypatch):
    """A lesson folder `newlesson` beside the real ones, copied from sigmoid's pieces, for breaking."""
    folder = tmp_path / "newlesson"
    folder.mkdir()
    (folder / "__init__.py").write_text('"""A new lesson."""\n')
    for piece in course.PIECES:
        text = (ROOT / "course" / "sigmoid" / f"{piece}.py").read_text()
        (folder / f"{piece}.py").write_text(text.replace('LESSON = "sigmoid"', 'LESSON = "newlesson"'))
    monkeypatch.setattr(course, "__path__", [*course.__path__, str(tmp_path)])
    yield folder
    for name in [m for m in sys.modules if m.startswith("course.newlesson")]:
        del sys.modules[name]


def test_a_new_lesson_missing_a_piece_is_named_at_once(new_lesson):
    assert course.problems("newlesson") == [
        "lesson 'newlesson' has no notebook solutions/NN_newlesson/newlesson.ipynb"]
    for piece in course.PIECES:
        broken = new_lesson.parent / f"without_{piece}"
        shutil.move(new_lesson / f"{piece}.py", broken)
        for name in [m for m in sys.modules if m.startswith("course.newlesson")]:
            del sys.modules[name]
        assert f"lesson 'newlesson' has no {piece}.py: add course/newlesson/{piece}.py" in " ".join(course.problems("newlesson"))
        shutil.move(broken, new_lesson / f"{piece}.py")


def test_a_lesson_whose_pieces_do_not_fit_is_named(new_lesson):
    (new_lesson / "cases.py").write_text((new_lesson / "cases.py").read_text().replace('"sigmoid_derivative", lambda', '"sigmoid_slope", lambda'))
    (new_lesson / "mistakes.py").write_text((new_lesson / "mistakes.py").read_text() + "VARIANTS['sigmod'] = []\n")
    (new_lesson / "samples.py").write_text("WRONG = {'x': {'code': {}}}\n")
    found = course.problems("newlesson")
    assert "course/newlesson/reference.py has no function 'sigmoid_slope' (named by check 'sigmoid_derivative')" in found
    assert "course/newlesson/mistakes.py names 'sigmod', which no check of the lesson judges" in found
    assert "course/newlesson/samples.py: 'x' needs exactly the keys 'code' and 'zero'" in found


def test_an_unknown_or_odd_lesson_name_is_refused():
    for name in ("nosuchlesson", "../tests", "Sigmoid", "sigmoid.reference", ""):
        with pytest.raises(course.LessonError):
            course.piece(name, "cases")
    with pytest.raises(course.LessonError):
        course.piece("sigmoid", "solutions")


def test_the_import_graph_of_the_shipped_code_has_no_circle():
    graph = {name: imports(name) for name in MODULES}
    state, path = {}, []

    def visit(name):
        state[name] = "open"
        path.append(name)
        for target in sorted(graph[name]):
            assert state.get(target) != "open", "import circle: " + " -> ".join(path[path.index(target):] + [target])
            if target not in state:
                visit(target)
        path.pop()
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name)


def test_the_students_package_never_imports_the_grader_and_nothing_shipped_imports_the_tests():
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text())
        names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        roots = {n.split(".")[0] for n in names}
        assert not roots & {"tests", "conftest", "gallery", "samples"}, name
        if name.startswith("backprop_lab"):
            assert not roots & {"autograder", "course"}, name


def test_what_a_grading_kernel_loads_never_reaches_a_reference_or_the_judge():
    """Module-level imports from the kernel side stay on the kernel side (the sandbox copies only those files)."""
    start = list(KERNEL_SIDE) + [f"course.{lesson}.cases" for lesson in course.lessons()]
    seen, todo = set(), list(start)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += imports(name, top_level_only=True)
    assert not {n for n in seen if n.endswith((".reference", ".mistakes", ".samples"))} | (seen & set(GRADER_ONLY)), seen
    copied = {module_name(p) for pattern in __import__("autograder.sandbox").sandbox.KERNEL_FILES
              for p in ROOT.glob(pattern) if p.suffix == ".py"}
    assert seen - {"backprop_lab", "backprop_lab.selfcheck"} <= copied, seen - copied
