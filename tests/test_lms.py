"""Grades into the LMS: `make lms-export` writes Canvas's and Moodle's grade-import CSVs from the gradebook."""
import csv
import subprocess

import pytest
from conftest import ROOT

DUE = "2026-03-02 12:00:00 UTC"
# nbgrader id, LMS ids; the ids test CSV quoting and formula injection (=, +, -, @ at the start of a cell)
ROSTER = [
    {"student": "alice", "name": "Liddell, Alice", "canvas_id": "101", "sis_user_id": "S-1",
     "sis_login_id": "alice", "section": "Section 1", "email": "alice@example.edu", "username": "alice"},
    {"student": "bob", "name": 'Bob "the late" Jones', "canvas_id": "102", "sis_user_id": "=HYPERLINK(\"http://x\")",
     "sis_login_id": "+bob", "section": "Section 1, evening", "email": "bob@example.edu", "username": "@bob"},
    {"student": "carol", "name": "Carol", "canvas_id": "103", "sis_user_id": "-3",
     "sis_login_id": "carol", "section": "Section 2", "email": "carol@example.edu", "username": "carol"},
    {"student": "=cmd|' /C calc'!A0", "name": "Mallory, \"M\"", "canvas_id": "104", "sis_user_id": "S-4",
     "sis_login_id": "mallory", "section": "Section 2", "email": "=1+1@example.edu", "username": "mallory"},
]


def make_gradebook(path):
    """Two assignments (5 and 4 points); alice on time, bob 2 h late with a 1-point penalty on the first,
    carol submitted nothing, mallory (an id like a formula) only the second."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{path}") as gb:
        for name, cells in (("06_mazur_network", {"test_deltas": 2, "test_update": 3}), ("07_capstone", {"test_backward": 4})):
            gb.add_assignment(name, duedate=DUE)
            notebook = name.split("_", 1)[1]
            gb.add_notebook(notebook, name)
            for cell, worth in cells.items():
                gb.add_grade_cell(cell, notebook, name, max_score=worth, cell_type="code")
        for row in ROSTER:
            gb.add_student(row["student"])

        def submit(assignment, student, when, scores, penalty=0.0):
            submission = gb.add_submission(assignment, student, timestamp=when)
            (notebook,) = submission.notebooks
            notebook.late_submission_penalty = penalty
            for grade in notebook.grades:
                grade.auto_score = scores[grade.name]
            gb.db.commit()

        submit("06_mazur_network", "alice", "2026-03-01 09:00:00 UTC", {"test_deltas": 2, "test_update": 3})
        submit("07_capstone", "alice", "2026-03-01 09:30:00 UTC", {"test_backward": 2.5})
        submit("06_mazur_network", "bob", "2026-03-02 14:00:00 UTC", {"test_deltas": 2, "test_update": 2}, penalty=1.0)
        submit("07_capstone", "bob", "2026-03-02 11:00:00 UTC", {"test_backward": 4})
        submit("07_capstone", "=cmd|' /C calc'!A0", "2026-03-02 10:00:00 UTC", {"test_backward": 1})


@pytest.fixture
def course(tmp_path):
    db = tmp_path / "gradebook.db"
    make_gradebook(db)
    roster = tmp_path / "roster.csv"
    with open(roster, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(ROSTER[0]))
        writer.writeheader()
        writer.writerows(ROSTER)
    return tmp_path, db, roster


def export(tmp_path, db, roster, lms, *args):
    out = tmp_path / f"{lms}.csv"
    proc = subprocess.run(
        ["make", "--no-print-directory", "lms-export", f"LMS={lms}", f"ROSTER={roster}", f"OUT={out}",
         f"LMS_ARGS=--CourseDirectory.db_url=sqlite:///{db} " + " ".join(args)],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    return proc, out


def read(path):
    raw = path.read_bytes()
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle)), raw


def test_canvas_gradebook_csv(course):
    tmp_path, db, roster = course
    proc, out = export(tmp_path, db, roster, "canvas")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows, raw = read(out)
    assert rows == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "06_mazur_network", "07_capstone"],
        ["Points Possible", "", "", "", "", "5", "4"],
        ["Liddell, Alice", "101", "S-1", "alice", "Section 1", "5", "2.5"],
        ['Bob "the late" Jones', "102", "'=HYPERLINK(\"http://x\")", "'+bob", "Section 1, evening", "3", "4"],
        ["Carol", "103", "'-3", "carol", "Section 2", "0", "0"],
        ['Mallory, "M"', "104", "S-4", "mallory", "Section 2", "0", "1"],
    ]
    # commas and quotes are quoted as RFC 4180 says, so Canvas reads the same cells
    assert b'"Liddell, Alice"' in raw and b'"Bob ""the late"" Jones"' in raw and raw.count(b"\r\n") == 6
    assert not [cell for row in rows for cell in row if cell.startswith(("=", "+", "-", "@"))]
    log = proc.stdout + proc.stderr
    assert "late: bob, 06_mazur_network, 2.0 h after the due date, penalty 1" in log
    assert "late: alice" not in log and "late: bob, 07_capstone" not in log
    assert "starts like a formula" in log


def test_moodle_csv_by_email_and_by_username(course):
    tmp_path, db, roster = course
    proc, out = export(tmp_path, db, roster, "moodle", "--LmsExport.missing=blank")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert read(out)[0] == [
        ["Email address", "06_mazur_network", "07_capstone"],
        ["alice@example.edu", "5", "2.5"],
        ["bob@example.edu", "3", "4"],
        ["carol@example.edu", "", ""],          # no submission: left to the LMS
        ["'=1+1@example.edu", "", "1"],
    ]
    proc, out = export(tmp_path, db, roster, "moodle", "--MoodleExport.identifier=username")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert [row[:2] for row in read(out)[0]] == [["Username", "06_mazur_network"], ["alice", "5"], ["'@bob", "3"],
                                                 ["carol", "0"], ["mallory", "0"]]


def test_a_student_missing_from_the_roster_stops_the_export(course):
    tmp_path, db, roster = course
    lines = roster.read_text().splitlines()
    roster.write_text("\n".join(line for line in lines if not line.startswith("carol")) + "\n")
    proc, out = export(tmp_path, db, roster, "canvas")
    assert proc.returncode != 0
    assert "1 student(s) of the gradebook are not in" in proc.stdout + proc.stderr and "carol" in proc.stdout + proc.stderr
    assert not out.exists()
