"""`make grade` (python -m autograder.grade): exact scores in the CSV, failures named, re-runs identical."""
import csv
import re
import sqlite3
import subprocess
import sys

import nbformat
import pytest
from conftest import ROOT, run

from autograder import sample_course, submissions

ASSIGNMENT = "01_sigmoid"
WRONG_STUDENT = sorted(submissions.wrong_samples(ASSIGNMENT))[0]


def grade(course_root, *args):
    """Run the grading command the Makefile runs; return its output."""
    return run([sys.executable, "-m", "autograder.grade", "--course", str(course_root), *args], cwd=ROOT).stdout


def read_csv(path):
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def cell_scores(root):
    """{student: {exercise: score}} from grades/scores.csv."""
    scores = {}
    for row in read_csv(root / "grades" / "scores.csv"):
        scores.setdefault(row["student"], {})[row["exercise"]] = float(row["score"])
    return scores


def grade_points(release):
    nb = nbformat.read(str(release), as_version=4)
    return {c.metadata.nbgrader.grade_id: c.metadata.nbgrader.points
            for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")}


@pytest.fixture
def graded_course(course):
    """A course with correct, untouched, one wrong, one malformed and one missing submission."""
    c = course([ASSIGNMENT])
    c.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    release = c.release_path(ASSIGNMENT)
    students = submissions.sample_students(ASSIGNMENT, sorted((c.root / "source" / ASSIGNMENT).glob("*.ipynb"))[0])
    for student in ("correct", "untouched", WRONG_STUDENT):
        c.submit(student, ASSIGNMENT, submissions.submission(release, students[student]))
    c.submit("malformed", ASSIGNMENT, '{"cells": [ {"cell_type": "code", ')
    (c.root / "submitted" / "missing" / ASSIGNMENT).mkdir(parents=True)
    (c.root / "submitted" / "missing" / ASSIGNMENT / "my answers.ipynb").write_text("{}")
    return c, grade_points(release)


@pytest.mark.slow
def test_grade_gives_exact_scores_names_failures_and_reruns_identically(graded_course):
    c, points = graded_course
    output = grade(c.root)
    expected = submissions.expected_scores(ASSIGNMENT, points)
    zero = {cell: 0 for cell in points}
    want = {s: expected[s] for s in ("correct", "untouched", WRONG_STUDENT)} | {"malformed": zero, "missing": zero}
    assert cell_scores(c.root) == want

    totals = {row["student"]: row for row in read_csv(c.root / "grades" / "totals.csv")}
    assert {s: float(r["score"]) for s, r in totals.items()} == {s: sum(v.values()) for s, v in want.items()}
    assert totals["malformed"]["status"] == "failed" and "malformed notebook" in totals["malformed"]["cause"]
    assert totals["missing"]["status"] == "failed" and "missing notebook" in totals["missing"]["cause"]
    assert "my answers.ipynb" in totals["missing"]["cause"]
    assert {s for s, r in totals.items() if r["status"] == "graded"} == {"correct", "untouched", WRONG_STUDENT}
    assert "FAILED malformed" in output and "FAILED missing" in output and "2 could not be graded" in output

    for student in ("correct", "untouched", WRONG_STUDENT):
        assert list((c.root / "feedback" / student / ASSIGNMENT).glob("*.html")), f"no feedback for {student}"
    with sqlite3.connect(c.root / "gradebook.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    first = {name: (c.root / "grades" / name).read_bytes() for name in ("scores.csv", "totals.csv")}
    grade(c.root)
    assert {name: (c.root / "grades" / name).read_bytes() for name in first} == first


@pytest.mark.slow
def test_with_no_submissions_it_grades_the_bundled_samples(course, tmp_path):
    c = course([ASSIGNMENT])
    samples = tmp_path / "samples-course"
    output = grade(c.root, "--assignment", ASSIGNMENT, "--samples-course", str(samples))
    assert "grading the bundled sample submissions" in output
    assert not (c.root / "gradebook.db").exists(), "the instructor's gradebook was touched"
    points = grade_points(sorted((samples / "release" / ASSIGNMENT).glob("*.ipynb"))[0])
    assert cell_scores(samples) == submissions.expected_scores(ASSIGNMENT, points)


def test_grade_refuses_to_wipe_a_folder_that_is_not_a_samples_course(tmp_path):
    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(SystemExit):
        sample_course.create(tmp_path, [ASSIGNMENT], generate=None)
    assert (tmp_path / "precious.txt").exists()


def test_make_grade_runs_the_command_after_install():
    dry = subprocess.run(["make", "-n", "grade", "ASSIGNMENT=01_sigmoid", "DEADLINE=600", "WORKERS=4"], cwd=ROOT,
                         capture_output=True, text=True)
    assert dry.returncode == 0, dry.stderr
    assert "-m autograder.grade --assignment 01_sigmoid" in dry.stdout
    assert "--deadline 600 --workers 4" in " ".join(dry.stdout.split())


@pytest.mark.slow
def test_a_submission_over_the_deadline_is_stopped_and_gets_zero_the_others_are_intact(course):
    """Cells that each stay under the per-cell timeout (60 s) but together exceed --deadline."""
    c = course([ASSIGNMENT])
    c.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    release = c.release_path(ASSIGNMENT)
    code = submissions.sample_students(ASSIGNMENT, sorted((c.root / "source" / ASSIGNMENT).glob("*.ipynb"))[0])["correct"]
    c.submit("correct", ASSIGNMENT, submissions.submission(release, code))
    slow = submissions.submission(release, code)
    slow.cells[1:1] = [nbformat.v4.new_code_cell("import time\ntime.sleep(8)") for _ in range(4)]  # 32 s
    c.submit("slow", ASSIGNMENT, slow)

    output = grade(c.root, "--deadline", "20", "--workers", "2")
    cause = "ran longer than the 20-second limit for one submission"
    assert f"FAILED slow {ASSIGNMENT}: {cause}" in output, output
    seconds = float(re.search(r"\bslow\s+\S+\s+\S+\s+([\d.]+) s", output)[1])
    assert 20 <= seconds < 30, f"the slow submission ran {seconds} s (its cells sleep 32 s)\n{output}"
    print(f"the over-deadline submission was stopped after {seconds} s")

    points = grade_points(release)
    assert cell_scores(c.root) == {"correct": dict(points), "slow": {cell: 0 for cell in points}}
    totals = {row["student"]: row for row in read_csv(c.root / "grades" / "totals.csv")}
    assert (totals["slow"]["score"], totals["slow"]["status"], totals["slow"]["cause"]) == ("0", "failed", cause)
    assert (float(totals["correct"]["score"]), totals["correct"]["status"]) == (sum(points.values()), "graded")
    assert not (c.root / "autograded" / "slow").exists() or not any((c.root / "autograded" / "slow").rglob("*.ipynb"))
    with sqlite3.connect(c.root / "gradebook.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    first = {name: (c.root / "grades" / name).read_bytes() for name in ("scores.csv", "totals.csv")}
    with open(c.root / "nbgrader_config.py", "a") as config:  # the course's one configuration, not a flag
        config.write("c.GradingSettings.deadline = 20\n")
    assert cause in grade(c.root, "--workers", "2")
    assert {name: (c.root / "grades" / name).read_bytes() for name in first} == first


REACH_OTHER_COURSE = '''
import glob, os
for _pattern in ["{other}/submitted/*/*/*.ipynb", "{other}/gradebook.db", "{other}/nbgrader_config.py",
                 "/tmp/backprop-lab-sandbox-*/*/home/work/*.ipynb", "/tmp/backprop-lab-sandbox-*/*/spool/*/home/work/*.ipynb"]:
    for _path in glob.glob(_pattern) or [_pattern.replace("*", "x")]:
        try:
            open(_path, "a").write("# changed by another course\\n")
        except OSError:
            pass
'''


@pytest.mark.slow
def test_two_concurrent_runs_on_two_courses_cannot_reach_each_other(tmp_path):
    """Course A holds a student who tries to write course B's files and B's kernels' copies while both grade."""
    from conftest import Course

    courses = {name: Course(tmp_path / name, [ASSIGNMENT]) for name in "AB"}
    for c in courses.values():
        c.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    release = courses["A"].release_path(ASSIGNMENT)
    students = submissions.sample_students(ASSIGNMENT, sorted((courses["A"].root / "source" / ASSIGNMENT).glob("*.ipynb"))[0])
    first = sorted(students["correct"])[0]
    attack = dict(students["correct"], **{first: REACH_OTHER_COURSE.format(other=courses["B"].root) + students["correct"][first]})
    courses["A"].submit("attacker", ASSIGNMENT, submissions.submission(release, attack))
    for name, c in courses.items():
        for k in range(2):
            c.submit(f"correct{k}", ASSIGNMENT, submissions.submission(c.release_path(ASSIGNMENT), students["correct"]))
    before = {p: p.read_bytes() for p in (courses["B"].root / "submitted").rglob("*.ipynb")}
    runs = [subprocess.Popen([sys.executable, "-m", "autograder.grade", "--course", str(c.root), "--workers", "2"],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for c in courses.values()]
    outputs = [run.communicate(timeout=900)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    points = sum(grade_points(release).values())
    for name, c in courses.items():
        totals = {row["student"]: float(row["score"]) for row in read_csv(c.root / "grades" / "totals.csv")}
        assert totals == {**{f"correct{k}": points for k in range(2)}, **({"attacker": points} if name == "A" else {})}
    assert {p: p.read_bytes() for p in (courses["B"].root / "submitted").rglob("*.ipynb")} == before
    assert "changed by another course" not in (courses["B"].root / "nbgrader_config.py").read_text()
