"""Grades into the LMS: nbgrader's gradebook as Canvas's or Moodle's grade-import CSV.

Two nbgrader export plugins, run by `make lms-export` (or nbgrader itself):

    make lms-export LMS=canvas ROSTER=roster.csv               # -> grades/canvas.csv
    make lms-export LMS=moodle ROSTER=roster.csv LMS_ARGS=--MoodleExport.identifier=username
    nbgrader export --exporter=autograder.lms.CanvasExport --LmsExport.roster=roster.csv --to=canvas.csv

The roster maps nbgrader's student ids to the LMS's: a CSV with a header row and one row per student.
Column `student` is the nbgrader id (required); Canvas reads `name` ("Last, First"), `canvas_id` (Canvas's
numeric user ID), `sis_user_id`, `sis_login_id`, `section`; Moodle reads `email` or `username`. A student
of the gradebook missing from the roster stops the export (no grade is dropped silently); a student of the
roster with no submission gets 0 (`--LmsExport.missing=blank` leaves the cell empty: "no change" for the LMS).

Canvas (its Gradebook import): columns Student, ID, SIS User ID, SIS Login ID, Section, then one column per
assignment (named as in nbgrader: Canvas matches an existing assignment of that name or creates one), and
a second row "Points Possible" giving each assignment's maximum. Moodle (Grades > Import > CSV file): the
identifying column ("Email address" or "Username", to map to useremail or username at import), then one
column per assignment. Scores are nbgrader's, less its late penalty (never below 0); late submissions are
listed in the log. Text cells that a spreadsheet would run as a formula (starting with = + - @ or a tab or
carriage return) are written with a leading apostrophe, and the log says so.
"""
import csv
from collections.abc import Iterator
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import ExportPlugin
from traitlets import Enum, Unicode

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CANVAS_COLUMNS = [("Student", "name"), ("ID", "canvas_id"), ("SIS User ID", "sis_user_id"),
                  ("SIS Login ID", "sis_login_id"), ("Section", "section")]
MOODLE_COLUMNS = {"email": "Email address", "username": "Username"}
Roster = dict[str, dict[str, str]]  # {nbgrader id: {roster column: value}}
Scores = dict[str, dict[str, str]]  # {nbgrader id: {assignment: score as written, or ""}}
Assignments = list[tuple[str, float]]  # [(name, max score)]


def read_roster(path: str | Path) -> Roster:
    """{nbgrader id: {column: value}} of a roster CSV (column `student` required)."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if "student" not in (reader.fieldnames or []):
            raise ValueError(f"{path}: the roster needs a column `student` (the nbgrader student id)")
        roster: Roster = {}
        for row in reader:
            student = row["student"]
            if student in roster:
                raise ValueError(f"{path}: student {student!r} is listed twice")
            roster[student] = {k: (v or "").strip() for k, v in row.items() if k}
        return roster


def points(value: float) -> str:
    """A score as the LMS reads it: a plain number, at most two decimals."""
    return f"{round(value, 2):g}"


class LmsExport(ExportPlugin):
    """Common part of the Canvas and Moodle exports: the gradebook read once, per roster student."""

    roster = Unicode("", help="CSV mapping nbgrader student ids to LMS ids (column `student` plus the LMS's)").tag(config=True)
    missing = Enum(["zero", "blank"], default_value="zero",
                   help="what a student with no submission gets: 0, or an empty cell").tag(config=True)
    default_to = ""

    def safe(self, text: object) -> str:
        """text as a CSV cell that no spreadsheet runs as a formula."""
        text = "" if text is None else str(text)
        if text.startswith(FORMULA_START):
            self.log.warning("cell %r starts like a formula: written as %r", text, "'" + text)
            return "'" + text
        return text

    def table(self, gradebook: Gradebook) -> tuple[Assignments, Roster, Scores]:
        """(assignments [(name, max score)], the roster, {student: {assignment: score or ''}}) for the roster's students."""
        if not self.roster:
            raise ValueError("no roster: set LmsExport.roster (make lms-export ROSTER=roster.csv)")
        roster = read_roster(self.roster)
        known = {s.id for s in gradebook.students}
        unmapped = sorted(known - set(roster))
        if unmapped:
            raise ValueError(f"{len(unmapped)} student(s) of the gradebook are not in {self.roster}: {', '.join(unmapped)}")
        assignments = [a for a in gradebook.assignments if not self.assignment or a.name in self.assignment]
        scores: Scores = {}
        for student in roster:
            scores[student] = {}
            for assignment in assignments:
                try:
                    submission = gradebook.find_submission(assignment.name, student)
                except MissingEntry:
                    scores[student][assignment.name] = "0" if self.missing == "zero" else ""
                    continue
                penalty = submission.late_submission_penalty or 0.0
                if submission.total_seconds_late > 0:
                    self.log.info("late: %s, %s, %.1f h after the due date, penalty %s", student, assignment.name,
                                  submission.total_seconds_late / 3600, points(penalty))
                scores[student][assignment.name] = points(max(0.0, submission.score - penalty))
        return [(a.name, a.max_score) for a in assignments], roster, scores

    def export(self, gradebook: Gradebook) -> None:
        """Write the LMS's CSV to --to (default_to when not given), after every check has passed."""
        assignments, roster, scores = self.table(gradebook)
        rows = list(self.rows(assignments, roster, scores))  # every check before the file is opened
        dest = Path(self.to or self.default_to)
        dest.parent.mkdir(parents=True, exist_ok=True)
        with open(dest, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n").writerows(rows)
        self.log.info("%d students, %d assignments: %s", len(roster), len(assignments), dest)


class CanvasExport(LmsExport):
    """Canvas's gradebook import CSV."""

    default_to = "grades/canvas.csv"

    def rows(self, assignments: Assignments, roster: Roster, scores: Scores) -> Iterator[list[str]]:
        """The CSV's rows: header, "Points Possible", then one row per roster student."""
        names = [name for name, _ in assignments]
        yield [title for title, _ in CANVAS_COLUMNS] + [self.safe(n) for n in names]
        yield ["Points Possible"] + [""] * (len(CANVAS_COLUMNS) - 1) + [points(m) for _, m in assignments]
        for student, ids in roster.items():
            yield [self.safe(ids.get(key, "")) for _, key in CANVAS_COLUMNS] + [scores[student][n] for n in names]


class MoodleExport(LmsExport):
    """Moodle's CSV grade import, students identified by email address or username."""

    identifier = Enum(["email", "username"], default_value="email",
                      help="the roster column that identifies a student in Moodle").tag(config=True)
    default_to = "grades/moodle.csv"

    def rows(self, assignments: Assignments, roster: Roster, scores: Scores) -> Iterator[list[str]]:
        """The CSV's rows: header, then one row per roster student."""
        names = [name for name, _ in assignments]
        lacking = sorted(s for s, ids in roster.items() if not ids.get(self.identifier))
        if lacking:
            raise ValueError(f"the roster gives no {self.identifier} for: {', '.join(lacking)}")
        yield [MOODLE_COLUMNS[self.identifier]] + [self.safe(n) for n in names]
        for student, ids in roster.items():
            yield [self.safe(ids[self.identifier])] + [scores[student][n] for n in names]
