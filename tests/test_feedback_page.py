"""The feedback page a student opens: the judge's long explanations wrap instead of running off the page.

One lesson-4 student whose neuron_gradients has its sign flipped is graded with `python -m
autograder.grade` (autograde and feedback, as `make grade` does); Chromium opens the feedback page
at a laptop's width. Every output block fits its box (nothing is cut off or needs sideways
scrolling), the explanation is all there (the mistake named on neuron_gradients, the correct
neuron_update told which function to fix), and without the page's wrapping style the same lines
would overflow (so the check can fail).
"""
import os
import subprocess
import sys

import pytest
from conftest import ROOT, Course
from test_browser import CHROMIUM, CHROMIUM_ARGS, needs_chromium

from autograder import submissions

pytestmark = pytest.mark.slow

ASSIGNMENT, STUDENT = "04_sigmoid_neuron", "gradients_sign_flipped"
OVERFLOWING = """() => [...document.querySelectorAll('div.output_area pre')]
    .filter(pre => pre.scrollWidth > pre.clientWidth + 1).map(pre => pre.innerText.slice(0, 80))"""


@pytest.fixture
def feedback_page(tmp_path):
    needs_chromium()
    course = Course(tmp_path / "course", [ASSIGNMENT])
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    release = course.release_path(ASSIGNMENT)
    code = submissions.sample_students(ASSIGNMENT, ROOT / "solutions" / ASSIGNMENT / release.name)[STUDENT]
    course.submit(STUDENT, ASSIGNMENT, submissions.submission(release, code))
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "autograder.grade", "--course", str(course.root)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    (page,) = (course.root / "feedback" / STUDENT / ASSIGNMENT).glob("*.html")
    return page


def test_long_explanations_wrap_in_the_feedback_page(feedback_page):
    from playwright import sync_api

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 900, "height": 800})
            page.goto(feedback_page.as_uri())
            text = page.inner_text("body")
            assert "This is a classic mistake: the sign is flipped" in text
            assert "this uses your `neuron_gradients`, which fails its hidden tests: fix that first" in text
            assert page.evaluate(OVERFLOWING) == [], "an output runs off its box: its lines do not wrap"
            # the same page without its wrapping style: the explanations' lines are longer than the box
            page.add_style_tag(content="div.output_area pre { white-space: pre !important; }")
            assert page.evaluate(OVERFLOWING), "no output line is long enough to test the wrapping"
        finally:
            browser.close()
