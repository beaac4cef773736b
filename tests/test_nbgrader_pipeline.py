"""lessons/ is what nbgrader makes of solutions/, and grading through the real CLI gives exact scores."""
import json
import sqlite3

import pytest
from conftest import ASSIGNMENTS, LESSONS, notebook_path
from nbgrader.api import Gradebook

from autograder import submissions


def canonical(path):
    """A notebook as comparable JSON (cell order, sources, metadata, checksums)."""
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_lessons_are_exactly_what_nbgrader_generates(assignment, course):
    """Regenerate the release from solutions/ and compare every file with lessons/."""
    c = course([assignment])
    c.nbgrader("generate_assignment", assignment, "--force")
    released = sorted(p.relative_to(c.root / "release" / assignment) for p in (c.root / "release" / assignment).rglob("*") if p.is_file())
    committed = sorted(p.relative_to(LESSONS / assignment) for p in (LESSONS / assignment).rglob("*") if p.is_file())
    assert released == committed, "lessons/ has other files than nbgrader releases: run `make lessons`"
    for name in released:
        fresh, ours = c.root / "release" / assignment / name, LESSONS / assignment / name
        if name.suffix == ".ipynb":
            assert canonical(fresh) == canonical(ours), f"lessons/{assignment}/{name} is stale: run `make lessons`"
        else:
            assert fresh.read_bytes() == ours.read_bytes(), name


def test_release_never_contains_solutions_hidden_tests_or_the_reference():
    for path in LESSONS.rglob("*"):
        assert "autograder" not in path.parts and path.suffix in {".ipynb", ""}, path
        if path.suffix == ".ipynb":
            text = path.read_text(encoding="utf-8")
            for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "from autograder"):
                assert marker not in text, f"{path} contains {marker!r}"


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_autograde_gives_each_sample_student_its_exact_score(assignment, course):
    """generate -> submit (correct, untouched, each wrong sample) -> autograde -> scores in the gradebook."""
    c = course([assignment])
    c.nbgrader("generate_assignment", assignment, "--force")
    release = c.release_path(assignment)
    points = submissions.points(release)
    expected = submissions.expected_scores(assignment, points)
    for student, code in submissions.sample_students(assignment, notebook_path(assignment)).items():
        c.submit(student, assignment, submissions.submission(release, code))
    assert len(expected) >= 3, f"{assignment} needs at least one wrong sample submission in its course/<lesson>/samples.py"
    c.nbgrader("autograde", assignment, "--create")

    notebook = release.stem
    with Gradebook(f"sqlite:///{c.root}/gradebook.db") as gb:
        for student, scores in expected.items():
            got = {g: gb.find_grade(g, notebook, assignment, student).score for g in points}
            assert got == scores, f"{student}: got {got}, expected {scores}"
            total = gb.find_submission(assignment, student).score
            assert total == sum(scores.values()), student
    with sqlite3.connect(c.root / "gradebook.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
