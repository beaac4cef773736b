"""No student script runs for anyone: hostile notebooks graded, then opened in Chromium as a student and as the instructor.

A course with the Mazur lesson gets two hostile submissions (script in markdown cells, HTML, SVG,
JavaScript, LaTeX, widget and broken-image outputs, widget state, attachments, metadata; see
tests/gallery/hostile.py) and one correct one. `python -m autograder.grade` grades them with
feedback. Then Chromium opens every feedback page (as the student would), and JupyterLab runs on
the course with nbgrader's formgrader: logged in as the instructor, Chromium opens each
submission in the formgrader. No page may run the students' script: the title never becomes the
marker, no request is made to Jupyter's /api (where a script in the instructor's session could
start a kernel), and no dialog opens.
"""
import os
import re
import subprocess
import sys

import pytest
from conftest import ROOT, Course, notebook_path
from gallery import GALLERY, MAZUR
from gallery.hostile import MARKER
from nbgrader.api import Gradebook
from test_browser import CHROMIUM_ARGS, Lab, needs_chromium
from test_gallery import build, live_payloads

from autograder import submissions

pytestmark = pytest.mark.slow


def hostile_students():
    found = {s: m for s, m in GALLERY.items() if s.endswith(("_script_outputs", "_script_markdown"))}
    assert len(found) == 2, found
    return found


@pytest.fixture
def graded(tmp_path):
    needs_chromium()
    course = Course(tmp_path / "course", [MAZUR])
    course.nbgrader("generate_assignment", MAZUR, "--force")
    release, solution = course.release_path(MAZUR), submissions.solution_code(notebook_path(MAZUR))
    students = {**hostile_students(), "correct": GALLERY["m00_correct"]}
    for student, member in students.items():
        course.submit(student, MAZUR, build(member, release, solution))
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "autograder.grade", "--course", str(course.root)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return course, students


def watch(page):
    """Record what a page's scripts do: requests to /api, dialogs, title changes."""
    seen = {"api": [], "dialogs": []}
    page.on("request", lambda request: seen["api"].append(request.url) if "/api/" in request.url
            and "/formgrader/api/" not in request.url else None)
    page.on("dialog", lambda dialog: (seen["dialogs"].append(dialog.message), dialog.dismiss()))
    return seen


def test_no_student_script_runs_in_feedback_or_in_the_formgrader(graded, tmp_path):
    sync_api = needs_chromium()
    course, students = graded
    pages = sorted((course.root / "feedback").rglob("*.html"))
    assert len(pages) == len(students)
    for page_file in pages:
        text = page_file.read_text(encoding="utf-8")
        assert not live_payloads(text), page_file
        assert re.search(r"<h1[^>]*>Lesson 6", text), f"{page_file}: the lesson's own markdown is not rendered"
    with Gradebook(f"sqlite:///{course.root}/gradebook.db") as gb:
        ids = {s: gb.find_submission_notebook("mazur_network", MAZUR, s).id for s in students}
        scores = {s: gb.find_submission(MAZUR, s).score for s in students}
    assert set(scores.values()) == {13.0}, scores  # the payloads cost honest work nothing

    lab = Lab(course.root, tmp_path / "jupyter")
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                seen = watch(page)
                for page_file in pages:  # the student opens their feedback
                    page.goto(page_file.as_uri())
                    page.wait_for_timeout(500)
                    assert MARKER not in page.title(), page_file
                for view in ("formgrader", "formgrader/manage_students", f"formgrader/gradebook/{MAZUR}/mazur_network"):
                    page.goto(lab.url(view))  # the instructor, logged in with the token
                    page.wait_for_load_state("networkidle")
                    assert MARKER not in page.title(), view
                for student, notebook_id in ids.items():
                    page.goto(lab.url(f"formgrader/submissions/{notebook_id}"))
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(1000)
                    assert MARKER not in page.title(), student
                    for frame in page.frames:
                        assert MARKER not in frame.title(), (student, frame.url)
                    assert "def forward" in page.inner_text("body"), f"the formgrader did not show {student}'s notebook"
                assert seen["api"] == [] and seen["dialogs"] == [], seen
            finally:
                browser.close()
    finally:
        lab.stop()
