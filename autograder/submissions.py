"""Sample submissions built from the solution notebooks: one home for the bundled samples, the tests and the gallery.

A sample student is the release notebook with some solution cells filled in: `correct` with
every solution (markers removed), `untouched` with none, and each wrong student of a lesson
(course/<lesson>/samples.py: WRONG) with the solution's code except the cells it replaces. The
exact scores a student must get are read from the notebook: every test cell its full points,
except the cells a wrong student lists in "zero".
"""
import re
from pathlib import Path

import nbformat

import course

SOLUTION_REGION = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n", re.MULTILINE)


def _nbgrader(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def solution_code(notebook: Path | str) -> dict[str, str]:
    """{grade_id: source} of every solution cell of a source notebook, with the solution markers removed."""
    nb = nbformat.read(str(notebook), as_version=4)
    return {_nbgrader(c)["grade_id"]: SOLUTION_REGION.sub("", c.source) for c in nb.cells if _nbgrader(c).get("solution")}


def points(notebook: Path | str) -> dict[str, float]:
    """{grade_id: points} of every graded test cell of a notebook (source or release): the one place points live."""
    nb = nbformat.read(str(notebook), as_version=4)
    return {_nbgrader(c)["grade_id"]: _nbgrader(c)["points"] for c in nb.cells
            if _nbgrader(c).get("grade") and not _nbgrader(c).get("solution")}


def submission(release: Path | str, code: dict[str, str]) -> nbformat.NotebookNode:
    """The release notebook with the solution cells named in code replaced by its sources."""
    nb = nbformat.read(str(release), as_version=4)
    for cell in nb.cells:
        if _nbgrader(cell).get("grade_id") in code:
            cell.source = code[_nbgrader(cell)["grade_id"]]
    return nb


def wrong_samples(assignment: str) -> dict[str, dict]:
    """{student: {"code": ..., "zero": [...]}} of an assignment (e.g. "06_mazur_network"), from its lesson's samples."""
    lesson = assignment.split("_", 1)[1]
    return course.piece(lesson, "samples").WRONG


def sample_students(assignment: str, source_notebook: Path | str) -> dict[str, dict[str, str]]:
    """{student: solution code} for one lesson: correct, untouched and the wrong samples."""
    correct = solution_code(source_notebook)
    students = {"correct": correct, "untouched": {}}
    for student, sample in wrong_samples(assignment).items():
        students[student] = {**correct, **sample["code"]}
    return students


def expected_scores(assignment: str, cell_points: dict[str, float]) -> dict[str, dict[str, float]]:
    """{student: {test cell: points}} the sample students must get; cell_points from `points`."""
    expected = {"correct": dict(cell_points), "untouched": dict.fromkeys(cell_points, 0)}
    for student, sample in wrong_samples(assignment).items():
        unknown = set(sample["zero"]) - set(cell_points)
        if unknown:
            raise ValueError(f"{assignment} sample {student!r} zeroes cells the notebook does not have: {sorted(unknown)}")
        expected[student] = {cell: 0 if cell in sample["zero"] else p for cell, p in cell_points.items()}
    return expected
