"""The bundled sample submissions as a throwaway nbgrader course (.samples-course/).

`make grade` with no submissions of the instructor's own grades these, so a new instructor
sees grading work at once without touching the real gradebook. The submissions are made from
tests/samples/*.py: per lesson the correct solution, the untouched release and every wrong
sample (see tests/samples/__init__.py).
"""
import importlib
import os
import re
import shutil
import sys
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent
SOLUTION_REGION = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n", re.MULTILINE)

CONFIG = '''"""Throwaway course of the bundled sample submissions (made by `make grade`; safe to delete)."""
import os
c = get_config()  # noqa: F821
load_subconfig({main_config!r})  # noqa: F821 - the course's own settings, then this folder
here = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "backprop-lab-samples"
c.CourseDirectory.root = here
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(here, "gradebook.db")
c.Exchange.root = os.path.join(here, ".exchange")
'''


def wrong_samples():
    """{assignment: {student: {"code": ..., "scores": ...}}} from tests/samples."""
    sys.path.insert(0, str(REPO / "tests"))
    try:
        return importlib.import_module("samples").WRONG
    finally:
        sys.path.remove(str(REPO / "tests"))


def solution_code(source_notebook):
    """{grade_id: source} of every solution cell, with the solution markers removed."""
    nb = nbformat.read(str(source_notebook), as_version=4)
    return {c.metadata.nbgrader.grade_id: SOLUTION_REGION.sub("", c.source)
            for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")}


def submission(release_notebook, code):
    """The released notebook with the named solution cells replaced."""
    nb = nbformat.read(str(release_notebook), as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") in code:
            cell.source = code[cell.metadata.nbgrader.grade_id]
    return nb


def sample_students(assignment, source_notebook):
    """{student: solution code} for one lesson: correct, untouched and the wrong samples."""
    correct = solution_code(source_notebook)
    students = {"correct": correct, "untouched": {}}
    for student, sample in wrong_samples().get(assignment, {}).items():
        students[student] = {**correct, **sample["code"]}
    return students


def expected_scores(assignment, points):
    """{student: {grade cell: points}} the samples must get (points: the release's grade cells)."""
    expected = {"correct": dict(points), "untouched": {cell: 0 for cell in points}}
    for student, sample in wrong_samples().get(assignment, {}).items():
        expected[student] = dict(sample["scores"])
    return expected


def create(root, assignments, generate):
    """Make root a fresh course: config, source -> solutions/, release, submissions.

    generate(root, assignment) must run nbgrader generate_assignment in that course
    (it also records the assignment in the course's gradebook).
    """
    root = Path(root)
    config = root / "nbgrader_config.py"
    if root.exists() and any(root.iterdir()) and "Throwaway course" not in (config.read_text() if config.exists() else ""):
        raise SystemExit(f"{root} is not empty and not a samples course made by make grade: not touching it")
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    (root / "nbgrader_config.py").write_text(CONFIG.format(main_config=str(REPO / "nbgrader_config.py")))
    (root / "source").mkdir()
    for assignment in assignments:
        os.symlink(REPO / "solutions" / assignment, root / "source" / assignment)
        generate(root, assignment)
        (release,) = sorted((root / "release" / assignment).glob("*.ipynb"))
        (source,) = sorted((root / "source" / assignment).glob("*.ipynb"))
        for student, code in sample_students(assignment, source).items():
            folder = root / "submitted" / student / assignment
            folder.mkdir(parents=True, exist_ok=True)
            nbformat.write(submission(release, code), str(folder / release.name))
    return root
