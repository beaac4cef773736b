"""The gallery (tests/gallery/): every attack and classic mistake graded in one batch through the real CLI.

One course holds the Mazur lesson and the linear-network lesson; every gallery member is
submitted, with a correct submission between every two attacks, and `python -m autograder.grade`
(nbgrader autograde, concurrent, in the grading sandbox) grades them all, twice.
"""
import csv
import hashlib
import html
import html.parser
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, Course, notebook_path
from gallery import GALLERY as FULL_GALLERY
from gallery import LINEAR, MAZUR, POINTS, REFUSED
from gallery.hostile import MARKER
from nbgrader.api import Gradebook

from autograder import submissions

# GALLERY_ONLY=regex grades only the matching members (to work on one attack); the suite grades all
GALLERY = {s: m for s, m in FULL_GALLERY.items() if re.search(os.environ.get("GALLERY_ONLY", ""), s)}

# what would show the hidden tests (their source, a traceback line in autograder/, a recorded blob);
# a student's own code may name "autograder" (the attacks do), so the word alone is not a trace
HIDDEN_TRACES = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "course.", "course/", "autograder/", "check_forward(",
                 "check_output_deltas(", "check_train(", "check_linear_forward(", "check_linear_gradients_matrix(",
                 "x-backprop-lab-hidden")


def build(member, release, solution):
    """The submission of a gallery member: a notebook, raw text, or None (no notebook)."""
    if member.missing:
        return None
    if member.raw is not None:
        return member.raw
    code = {**solution, **member.code}
    code.update({name: before + "\n" + code[name] for name, before in member.prefix.items()})
    nb = submissions.submission(release, {} if member.untouched else code)
    if member.transform:
        member.transform(nb)
    return nb


def grade(course, *flags):
    """Run `python -m autograder.grade` on the course; its stdout."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), WORKERS="2")
    proc = subprocess.run([sys.executable, "-m", "autograder.grade", "--course", str(course.root), "--workers", "2", *flags],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout


def scores(course):
    got = {}
    with Gradebook(f"sqlite:///{course.root}/gradebook.db") as gb:
        for student, member in GALLERY.items():
            submission = gb.find_submission(member.assignment, student)
            got[student] = {g.name: g.score for nb in submission.notebooks for g in nb.grades}
    return got


def grade_gallery(root):
    course = Course(root, [MAZUR, LINEAR])
    with open(course.root / "nbgrader_config.py", "a") as config:
        config.write("from autograder.judge import configure\nconfigure(c)\n"
                     "c.Execute.timeout = 10  # the gallery's infinite loop: 10 s, not the course's 60\n")
    releases, solutions = {}, {}
    for assignment in (MAZUR, LINEAR):
        course.nbgrader("generate_assignment", assignment, "--force")
        releases[assignment] = course.release_path(assignment)
        solutions[assignment] = submissions.solution_code(notebook_path(assignment))
    for student, member in GALLERY.items():
        submission = build(member, releases[member.assignment], solutions[member.assignment])
        folder = course.root / "submitted" / student / member.assignment
        folder.mkdir(parents=True, exist_ok=True)
        if submission is None:
            (folder / "README.txt").write_text("I forgot to upload my notebook\n")
        else:
            course.submit(student, member.assignment, submission)
    for student, member in GALLERY.items():
        if member.files:
            member.files(course.root / "submitted" / student / member.assignment, course.root)
    for student in REFUSED:
        if "link" in student:
            (course.root / "submitted" / student).symlink_to(course.root / "submitted" / "m00_correct")
        else:
            folder = course.root / "submitted" / student / MAZUR
            folder.mkdir(parents=True)
            course.submit(student, MAZUR, build(GALLERY["m00_correct"], releases[MAZUR], solutions[MAZUR]))
    before = fingerprint(course.root)
    started = time.monotonic()
    first = grade(course)
    first_scores = scores(course)
    seconds = time.monotonic() - started
    second = grade(course, "--no-feedback")
    return course, first, first_scores, second, scores(course), seconds, before, fingerprint(course.root)


def digest(paths, content=True):
    """One hash of files: their paths, kinds, sizes and (content=True) bytes; symlinks by their target."""
    h = hashlib.sha256()
    for path in sorted(paths):
        h.update(str(path).encode())
        if path.is_symlink():
            h.update(os.readlink(path).encode())
        elif path.is_file():
            h.update(path.read_bytes() if content else str(path.stat().st_size).encode())
    return h.hexdigest()


def fingerprint(course_root):
    """What no student may change: every submission, the repository, the venv, the kernelspecs, /tmp/owned."""
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    venv = Path(sys.prefix)
    return {
        "submitted": digest((course_root / "submitted").rglob("*")),
        "source": digest((course_root / "source").rglob("*")),
        "repository": digest(ROOT / name for name in tracked),
        "venv": digest([p for p in venv.rglob("*") if "__pycache__" not in p.parts], content=False),
        "kernelspecs": digest(p for root in (venv / "share" / "jupyter", Path.home() / ".local" / "share" / "jupyter",
                                              Path("/usr/local/share/jupyter")) for p in root.rglob("kernel*")),
        "owned": Path("/tmp/owned").exists(),
    }


class LivePayloads(html.parser.HTMLParser):
    """Every place where an attack's script could run in a page: script text, event handlers and
    javascript: URLs that carry the marker, and SVG or iframe elements the student put there."""

    def __init__(self):
        super().__init__()
        self.found, self._in_script = [], False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag == "script"
        for name, value in attrs:
            value = value or ""
            scheme = "".join(ch for ch in value.split(":", 1)[0] if ch.isalpha()).lower() if ":" in value else ""
            if (MARKER in value and (name.startswith("on") or name == "srcdoc")) or \
                    (name in ("href", "src", "xlink:href", "action", "formaction") and
                     scheme in ("javascript", "vbscript", "data") and not value.startswith("data:image/png;base64,")):
                self.found.append(f"<{tag} {name}={value[:60]}>")
        if tag in ("iframe", "svg", "object", "embed"):
            self.found.append(f"<{tag}>")

    def handle_data(self, data):
        if self._in_script and MARKER in data:
            self.found.append(f"<script>{data[:60]}")

    def handle_endtag(self, tag):
        self._in_script = False


def live_payloads(text):
    parser = LivePayloads()
    parser.feed(text)
    return parser.found


def feedback_text(course, student, assignment):
    files = sorted((course.root / "feedback" / student / assignment).glob("*.html"))
    return html.unescape("\n".join(f.read_text(encoding="utf-8") for f in files))


@pytest.mark.slow
@pytest.mark.timeout(2400)
def test_gallery(tmp_path):
    """One test (one batch, graded twice), so that pytest-xdist never grades the gallery on two workers."""
    course, first, got, _, again, seconds, before, after = grade_gallery(tmp_path / "course")
    print(f"gallery: {len(GALLERY)} submissions graded in {seconds:.0f} s (first run, with feedback)")

    # every member gets its exact scores; correct students keep full marks; no attack beats honest work
    wrong = {s: (got[s], m.scores()) for s, m in GALLERY.items() if got[s] != m.scores()}
    assert not wrong, "\n".join(f"{s}: got {g}, expected {e}" for s, (g, e) in wrong.items())
    for student, member in GALLERY.items():
        full = POINTS[member.assignment]
        if student.endswith("_correct"):
            assert got[student] == full, student
        assert sum(got[student].values()) <= sum(full.values()), student

    # a second run gives the same scores; the gradebook is sound; nothing outside the students' private
    # copies changed: submissions, the repository, the venv, kernelspecs (a hostile batch touched none)
    assert again == got
    assert before == after, {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    assert after["owned"] is False

    # refused folders: never graded, never in the gradebook, named (escaped) in the run and in totals.csv
    with Gradebook(f"sqlite:///{course.root}/gradebook.db") as gb:
        assert {s.id for s in gb.students} == set(GALLERY)
    refused_lines = [line for line in first.splitlines() if line.startswith("REFUSED")]
    assert len(refused_lines) == len(REFUSED) and not any("<" in line for line in refused_lines), refused_lines
    for student, cause in REFUSED.items():
        assert any(cause in line for line in refused_lines), (student, refused_lines)
    totals_text = (course.root / "grades" / "totals.csv").read_text()
    assert "<img" not in totals_text and totals_text.count("refused:") == len(REFUSED)
    with sqlite3.connect(course.root / "gradebook.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    # the run names each student it could not grade, and the cause; feedback names every other cause
    totals = {(r["student"], r["assignment"]): r for r in csv.DictReader(open(course.root / "grades" / "totals.csv"))}
    for student, member in GALLERY.items():
        if member.ungradable:
            line = [line for line in first.splitlines() if "FAILED" in line and student in line]
            assert line, f"the run does not name {student}:\n{first}"
            assert member.cause in line[0] and member.cause in totals[(student, member.assignment)]["cause"], line[0]
        elif member.cause:
            text = feedback_text(course, student, member.assignment)
            assert member.cause in text, f"{student}: {member.cause!r} is not in the feedback"

    # the feedback never shows the hidden tests: not their source, not a traceback line
    pages = sorted((course.root / "feedback").rglob("*.html"))
    assert len(pages) == sum(1 for m in GALLERY.values() if not m.ungradable)
    for page in pages:
        assert not live_payloads(page.read_text(encoding="utf-8")), (page, live_payloads(page.read_text(encoding="utf-8")))
    for notebook in (course.root / "autograded").rglob("*.ipynb"):  # what the formgrader shows
        text = notebook.read_text(encoding="utf-8")
        assert "text/html" not in text and "image/svg+xml" not in text and "application/javascript" not in text, notebook
    for page in pages:
        student, assignment = page.relative_to(course.root / "feedback").parts[:2]
        own = "".join(p.read_text() for p in (course.root / "submitted" / student / assignment).glob("*.ipynb"))
        text = html.unescape(page.read_text(encoding="utf-8"))
        for trace in HIDDEN_TRACES:
            if trace not in json.dumps(own) and trace not in own:  # (the attacks' own code may name these paths)
                assert trace not in text, f"{page.relative_to(course.root)} shows {trace!r}"
