"""The class cycle on a course JupyterHub (deploy/jupyterhub/), end to end, and nbgitpuller's course updates.

test_the_nbgrader_cycle_on_jupyterhub (root only) sets the course up with deploy/jupyterhub/setup_course.py,
creates an instructor and three students (real unix users with passwords), starts the hub with
deploy/jupyterhub/jupyterhub_config.py (PAM, LocalProcessSpawner, the formgrader service) and runs a class:
the grader account releases lesson 6; two students fetch and submit with nbgrader as themselves (the
solution; the classic mistake of a hidden delta that takes only o1's error); the due date is set (now); the
third logs in with Chromium, fetches through the Assignment List and submits untouched, late, then opens
nbgitpuller's link twice (the course served by git daemon): a clone, then an update of a lesson they had
edited. The grader collects, grades with `make grade`'s command (python -m autograder.grade --course) and
releases feedback; each student fetches their own. Asserted: every exercise's exact score, the late flag,
what one student can see of the others' work, each feedback page the student's own, the formgrader
(through the hub's login for the instructor, 403 for a student) listing all three with their scores and
showing in its JupyterLab panel (its iframe), the students' servers without the instructors' tools, and the
update merged with the student's edits. Users, processes, the hub's state and the course's exchange folder
are removed afterwards, also those left by an earlier run that was killed.

The hub's venv (deploy/jupyterhub/requirements.txt, about a minute to build) is kept in the temp folder
between runs, keyed by its pins.
"""
import csv
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote

import nbformat
import pytest
from conftest import ROOT, notebook_path
from hub_machine import (
    COURSE_ID,
    DEPLOY,
    EXCHANGE,
    GRADER,
    INSTRUCTORS,
    STUDENTS,
    SYSTEM_PYTHON,
    Hub,
    add_user,
    hub_venv,
    remove_users,
    run,
    set_up_course,
)
from test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS
from test_launch import free_port

from autograder import submissions

ASSIGNMENT = "06_mazur_network"
MISTAKE = "hidden_error_from_one_output"  # a hidden neuron's error taken from o1 only
INSTRUCTOR = "bpl-ci-teacher"
CORRECT, WRONG_ONE, BROWSER = "bpl-ci-ada", "bpl-ci-bob", "bpl-ci-cy"
ALL = submissions.points(notebook_path(ASSIGNMENT))
WRONG = submissions.wrong_samples(ASSIGNMENT)


def pins(path):
    return dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", Path(path).read_text(), re.MULTILINE))


def test_the_hub_install_pins_what_the_course_pins():
    """deploy/jupyterhub/requirements.txt: nbgrader and nbgitpuller at requirements.txt's versions."""
    hub, main = pins(DEPLOY / "requirements.txt"), pins(ROOT / "requirements.txt")
    assert {"jupyterhub", "nbgrader", "nbgitpuller"} <= hub.keys()
    for name in ("nbgrader", "nbgitpuller"):
        assert hub[name] == main[name], name


# ---------------------------------------------------------------- nbgitpuller: a course update meets a student's edits

def git(*args, cwd):
    return subprocess.run(["git", "-c", "user.name=Course", "-c", "user.email=course@example.org", *args],
                          cwd=cwd, check=True, capture_output=True, text=True).stdout


LESSON = Path("lessons") / ASSIGNMENT / notebook_path(ASSIGNMENT, ROOT / "lessons").name
MY_CODE = "def forward(p, i1, i2):\n    # my own attempt\n    return {}\n"
UPDATE = "\n\n*Updated: a clearer explanation.*"


def pull(upstream, target):
    from nbgitpuller.pull import GitPuller

    for line in GitPuller(f"file://{upstream}", str(target), branch="main", depth=1).pull():
        pass


def make_course_repo(upstream):
    """A course repository with lesson 6's release, on branch main."""
    (upstream / LESSON.parent).mkdir(parents=True)
    shutil.copy(ROOT / LESSON, upstream / LESSON)
    git("init", "--quiet", "--initial-branch=main", cwd=upstream)
    git("add", ".", cwd=upstream)
    git("commit", "--quiet", "-m", "lesson 6", cwd=upstream)


def student_edits(checkout):
    """The student writes forward() and JupyterLab's save adds metadata of its own."""
    nb = nbformat.read(checkout / LESSON, as_version=4)
    next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "forward").source = MY_CODE
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2,
                                                                            "version_minor": 0}}
    nbformat.write(nb, checkout / LESSON)


def course_update(upstream):
    """The instructor fixes an explanation (the first markdown cell) and adds a lesson."""
    nb = nbformat.read(upstream / LESSON, as_version=4)
    next(c for c in nb.cells if c.cell_type == "markdown").source += UPDATE
    nbformat.write(nb, upstream / LESSON)
    (upstream / "lessons" / "08_new").mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Lesson 8")]),
                   upstream / "lessons" / "08_new" / "new.ipynb")
    git("add", ".", cwd=upstream)
    git("commit", "--quiet", "-m", "lesson 6 clearer, lesson 8", cwd=upstream)


def assert_merged(checkout):
    """Both: the student's code and metadata, the course's fix and new lesson, as a valid notebook, no merge left open."""
    merged = nbformat.read(checkout / LESSON, as_version=4)
    nbformat.validate(merged)
    assert next(c for c in merged.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "forward").source == MY_CODE
    assert next(c for c in merged.cells if c.cell_type == "markdown").source.endswith(UPDATE)
    assert "widgets" in merged.metadata  # the student's save kept
    assert (checkout / "lessons" / "08_new" / "new.ipynb").exists()
    status = subprocess.run(["git", "-c", f"safe.directory={checkout}", "status", "--porcelain"], cwd=checkout,
                            check=True, capture_output=True, text=True).stdout
    assert not status.strip(), f"the pull left the student's folder mid-merge:\n{status}"


def test_nbgitpuller_brings_a_lesson_update_to_a_student_who_edited_it(tmp_path):
    """The course's lesson changes upstream (a fixed explanation, a new lesson) after a student wrote code in
    it and JupyterLab rewrote its metadata: the next pull has both, as a valid notebook."""
    pytest.importorskip("nbgitpuller", reason="pip install -r requirements.txt (nbgitpuller)")
    upstream, student = tmp_path / "course", tmp_path / "home" / "course"
    make_course_repo(upstream)
    pull(upstream, student)
    student_edits(student)
    course_update(upstream)
    pull(upstream, student)
    assert_merged(student)


# ---------------------------------------------------------------- the nbgrader cycle on JupyterHub

NEEDS = [
    pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                       reason="the hub test creates unix users and starts a hub as root (CI runs as root)"),
    pytest.mark.skipif(not SYSTEM_PYTHON.is_file(), reason=f"no {SYSTEM_PYTHON} for the hub's venv (users must run it)"),
    pytest.mark.skipif(not shutil.which("npm") and not shutil.which("configurable-http-proxy"),
                       reason="no npm to install configurable-http-proxy (.ci/run installs it)"),
    pytest.mark.skipif(not shutil.which("useradd"), reason="no useradd"),
]


def needs_root(test):
    for mark in NEEDS:
        test = mark(test)
    return test


@pytest.fixture
def hub_course(tmp_path):
    """The course set up as the README says, its users, the hub running; everything removed afterwards."""
    if not CHROMIUM.exists():
        pytest.skip(f"the hub test needs Chromium at {CHROMIUM} (apt-get install chromium, as .ci/run does)")
    pytest.importorskip("playwright.sync_api", reason="pip install -r requirements.txt (playwright)")
    remove_users()  # leftovers of a killed run
    shutil.rmtree(EXCHANGE / COURSE_ID, ignore_errors=True)
    exchange_existed = EXCHANGE.exists()
    venv = hub_venv()
    state = Path(tempfile.mkdtemp(prefix="backprop-lab-hub-state-"))
    hub = None
    try:
        set_up_course(venv)
        passwords = {INSTRUCTOR: add_user(INSTRUCTOR, INSTRUCTORS)}
        for student in (CORRECT, WRONG_ONE, BROWSER):
            passwords[student] = add_user(student, STUDENTS)
        hub = Hub(venv, state, [free_port() for _ in range(4)])
        hub.wait_until_up()
        yield {"hub": hub, "venv": venv, "passwords": passwords,
               "course": Path(pwd.getpwnam(GRADER).pw_dir) / "course",
               "repo": Path(pwd.getpwnam(GRADER).pw_dir) / "backprop-lab"}
    finally:
        if hub:
            hub.stop()
            shutil.copy(hub.log_path, tmp_path / "jupyterhub.log")
        remove_users()
        shutil.rmtree(state, ignore_errors=True)
        shutil.rmtree(EXCHANGE / COURSE_ID, ignore_errors=True)
        if not exchange_existed:
            shutil.rmtree(EXCHANGE, ignore_errors=True)
            if EXCHANGE.parent.is_dir() and not any(EXCHANGE.parent.iterdir()):
                EXCHANGE.parent.rmdir()


@pytest.fixture
def git_daemon(tmp_path):
    """`git daemon` serving the course's repository (git://), as a course would serve it over the network:
    the student's server clones it as the student (a local path owned by root is refused as dubious by git)."""
    base = tmp_path / "served"
    base.mkdir()
    port = free_port()
    daemon = subprocess.Popen(["git", "daemon", "--reuseaddr", "--listen=127.0.0.1", f"--port={port}", "--export-all",
                               f"--base-path={base}", str(base)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=2).close()
                break
            except OSError:
                assert daemon.poll() is None and time.monotonic() < deadline, "git daemon did not start"
                time.sleep(0.2)
        yield base, f"git://127.0.0.1:{port}"
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)


def open_pull_link(page, hub, user, repo, folder):
    """nbgitpuller's link, as an instructor hands it out: the hub sends the student to their server, which
    pulls (the first time: clones) and then opens the lesson."""
    link = (f"{hub.url}/hub/user-redirect/git-pull?repo={quote(repo)}&branch=main"
            f"&urlpath={quote(f'lab/tree/{folder}/{LESSON}')}")
    page.goto(link)
    page.wait_for_url(re.compile(rf"/user/{user}/lab/tree/{folder}/"), timeout=120_000)


@pytest.fixture
def pages():
    """Two Chromium pages with cookies of their own: a student's and the instructor's; a screenshot on failure."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        opened = {who: browser.new_context().new_page() for who in ("student", "instructor")}
        try:
            yield opened
        finally:
            for who, page in opened.items():
                try:
                    page.screenshot(path=str(ARTIFACTS / f"hub_last_{who}.png"))
                except Exception:  # noqa: BLE001 - a page that never opened has nothing to show
                    pass
            browser.close()


def nbgrader(venv, *args, user, cwd=None):
    return run(venv / "bin" / "nbgrader", *args, user=user, cwd=cwd)


def fill_in(user, code):
    """The student's fetched notebook with solution cells replaced (as sample submissions are made), saved as theirs."""
    path = Path(pwd.getpwnam(user).pw_dir) / ASSIGNMENT / notebook_path(ASSIGNMENT, ROOT / "lessons").name
    nbformat.write(submissions.submission(path, code), str(path))
    info = pwd.getpwnam(user)
    os.chown(path, info.pw_uid, info.pw_gid)


def as_user(user, code):
    """Python run as that user: what it prints."""
    return run(SYSTEM_PYTHON, "-c", code, user=user).stdout


def log_in(session, hub, user, password):
    """The hub's login form (PAM); the session keeps the cookie. Does not start the user's server."""
    session.get(f"{hub.url}/hub/login")
    response = session.post(f"{hub.url}/hub/login?next=/hub/home", allow_redirects=False,
                            data={"username": user, "password": password, "_xsrf": session.cookies.get("_xsrf")})
    assert response.status_code == 302 and "login" not in response.headers["Location"], response.text[:500]


def browser_fetch_and_submit(page, hub, user, password, due):
    """The student in Chromium: log in, open Nbgrader > Assignment List, Fetch; after the due date, Submit."""
    page.goto(f"{hub.url}/hub/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(re.compile(rf"/user/{user}/lab"), timeout=120_000)
    page.wait_for_selector(".lm-MenuBar-itemLabel", timeout=120_000)
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    page.locator(".lm-Menu-itemLabel", has_text="Assignment List").wait_for()
    menu = page.locator(".lm-Menu-itemLabel").all_inner_texts()
    page.locator(".lm-Menu-itemLabel", has_text="Assignment List").click()
    fetch = page.locator("#released_assignments_list button", has_text="Fetch")
    fetch.wait_for(timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "hub_assignment_list_released.png"))
    fetch.click()
    submit = page.locator("#fetched_assignments_list button", has_text="Submit")
    submit.wait_for(timeout=60_000)
    csp = page.request.get(f"{hub.url}/user/{user}/lab").headers.get("content-security-policy", "")
    time.sleep(max(0.0, (due - datetime.now(timezone.utc)).total_seconds() + 1))
    submit.click()
    page.locator("#submitted_assignments_list .item_course", has_text=COURSE_ID).first.wait_for(timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "hub_assignment_list_submitted.png"))
    return csp, menu


def formgrader_panel(page, hub, user, password):
    """The instructor in Chromium: log in, straight to the formgrader service's JupyterLab, open
    Nbgrader > Formgrader (an iframe); what the iframe shows of the assignments."""
    page.goto(f"{hub.url}/hub/login?next=/services/{COURSE_ID}/lab")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(re.compile(rf"/services/{COURSE_ID}/lab"), timeout=120_000)
    page.wait_for_selector(".lm-MenuBar-itemLabel", timeout=120_000)
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    page.locator(".lm-Menu-itemLabel", has_text="Formgrader").first.click()
    row = page.frame_locator("iframe").locator("td", has_text=ASSIGNMENT).first
    row.wait_for(timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "hub_formgrader_panel.png"))
    return page.frame_locator("iframe").locator("body").inner_text()


def read_totals(course):
    with open(course / "grades" / "totals.csv") as f:
        return {row["student"]: row for row in csv.DictReader(f) if row["assignment"] == ASSIGNMENT}


def read_scores(course):
    with open(course / "grades" / "scores.csv") as f:
        return {(row["student"], row["exercise"]): float(row["score"]) for row in csv.DictReader(f)
                if row["assignment"] == ASSIGNMENT}


@needs_root
@pytest.mark.slow
@pytest.mark.timeout(900)
def test_the_nbgrader_cycle_on_jupyterhub(hub_course, pages, git_daemon):
    import requests

    started = time.monotonic()
    hub, venv, course, passwords = hub_course["hub"], hub_course["venv"], hub_course["course"], hub_course["passwords"]

    # the layout setup_course.py made: the exchange nbgrader's docs ask for (+ sticky), the course the grader's
    assert EXCHANGE.stat().st_mode & 0o7777 == 0o1777
    assert course.stat().st_uid == pwd.getpwnam(GRADER).pw_uid

    # release
    nbgrader(venv, "generate_assignment", ASSIGNMENT, "--force", user=GRADER, cwd=course)
    nbgrader(venv, "release_assignment", ASSIGNMENT, user=GRADER, cwd=course)
    outbound = EXCHANGE / COURSE_ID / "outbound" / ASSIGNMENT
    release = notebook_path(ASSIGNMENT, ROOT / "lessons")
    assert sorted(p.name for p in outbound.iterdir()) == [release.name]

    # two students through nbgrader, as themselves
    correct_code = submissions.solution_code(notebook_path(ASSIGNMENT))
    for student, code in ((CORRECT, correct_code), (WRONG_ONE, {**correct_code, **WRONG[MISTAKE]["code"]})):
        nbgrader(venv, "fetch_assignment", ASSIGNMENT, user=student)
        fill_in(student, code)
        nbgrader(venv, "submit", ASSIGNMENT, user=student)
    # the deadline: now (the gradebook's due date, which nbgrader compares each submission's time with when
    # grading; set here rather than guessed ahead, so a slow machine cannot make the on-time ones late)
    due = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(seconds=1)
    nbgrader(venv, "db", "assignment", "add", ASSIGNMENT, f"--duedate={due.isoformat()}", user=GRADER, cwd=course)

    # the third in Chromium, through the Assignment List, submitting late and untouched
    student_csp, student_menu = browser_fetch_and_submit(pages["student"], hub, BROWSER, passwords[BROWSER], due)
    assert "frame-ancestors 'none'" in student_csp  # students' servers keep JupyterHub's default
    assert "Assignment List" in student_menu and not {"Formgrader", "Create Assignment"} & set(student_menu), student_menu
    refused = pages["student"].request.get(f"{hub.url}/services/{COURSE_ID}/formgrader/api/students")
    assert refused.status == 403, (refused.status, refused.url)  # a student cannot open the formgrader
    assert (Path(pwd.getpwnam(BROWSER).pw_dir) / ASSIGNMENT / release.name).exists()

    # the lessons through nbgitpuller's link: the first visit clones, the next brings an update of a lesson
    # the student has edited, without losing the edits
    served, daemon_url = git_daemon
    make_course_repo(served / "course")
    open_pull_link(pages["student"], hub, BROWSER, f"{daemon_url}/course", "course")
    checkout = Path(pwd.getpwnam(BROWSER).pw_dir) / "course"
    assert (checkout / LESSON).stat().st_uid == pwd.getpwnam(BROWSER).pw_uid  # pulled by the student's own server
    student_edits(checkout)
    course_update(served / "course")
    open_pull_link(pages["student"], hub, BROWSER, f"{daemon_url}/course", "course")
    assert_merged(checkout)

    # what one student can see of the others' work in the exchange
    inbound, feedback_out = EXCHANGE / COURSE_ID / "inbound", EXCHANGE / COURSE_ID / "feedback"
    submitted = sorted(p.name for p in inbound.iterdir())
    assert [name.split("+")[0] for name in submitted] == sorted([CORRECT, WRONG_ONE, BROWSER])
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{12,}", name.split("+")[-1]) for name in submitted), submitted  # 64**12 names: unguessable
    probe = ("import os\n"
             "for path in %r:\n"
             "    try:\n        os.listdir(path); print('listed')\n"
             "    except PermissionError:\n        print('denied')\n")
    assert as_user(WRONG_ONE, probe % ([str(inbound), f"/home/{CORRECT}"],)).split() == ["denied", "denied"]

    # collect, grade with make grade's command, feedback
    nbgrader(venv, "collect", ASSIGNMENT, user=GRADER, cwd=course)
    grading = run(venv / "bin" / "python", "-m", "autograder.grade", "--course", course, "--assignment", ASSIGNMENT,
                  user=GRADER, cwd=hub_course["repo"], env={"PYTHONPATH": str(hub_course["repo"])}, timeout=600)
    print(grading.stdout)
    nbgrader(venv, "release_feedback", ASSIGNMENT, user=GRADER, cwd=course)
    assert as_user(WRONG_ONE, probe % ([str(feedback_out)],)).split() == ["denied"]

    # exact scores, per exercise and in total
    mistake_scores = submissions.expected_scores(ASSIGNMENT, ALL)[MISTAKE]
    totals, scores = read_totals(course), read_scores(course)
    expected = {CORRECT: ALL, WRONG_ONE: mistake_scores, BROWSER: {cell: 0 for cell in ALL}}
    for student, cells in expected.items():
        assert float(totals[student]["score"]) == sum(cells.values()), (student, totals[student], grading.stdout)
        assert float(totals[student]["max_score"]) == sum(ALL.values())
        for cell, points in cells.items():
            assert scores[(student, cell)] == points, (student, cell)

    # the late flag: only the browser student's submission is late
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        late = {s: gb.find_submission(ASSIGNMENT, s).total_seconds_late for s in expected}
    assert late[BROWSER] > 0 and late[CORRECT] == 0 and late[WRONG_ONE] == 0, late

    # each student fetches their own feedback, and only that
    for student, cells in expected.items():
        nbgrader(venv, "fetch_feedback", ASSIGNMENT, user=student)
        html = list((Path(pwd.getpwnam(student).pw_dir) / ASSIGNMENT / "feedback").glob("*/*.html"))
        assert len(html) == 1, (student, html)
        text = html[0].read_text()
        total = sum(cells.values())
        assert re.search(rf"Score: {total:g}(\.0)? / {sum(ALL.values()):g}", text), (student, re.findall(r"Score: [^<]*", text))
        for other in expected.keys() - {student}:
            assert other not in text

    # the formgrader, as the hub service, for the instructor: it lists all three, and may be framed by its own lab
    with requests.Session() as session:
        log_in(session, hub, INSTRUCTOR, passwords[INSTRUCTOR])
        response = session.get(f"{hub.url}/services/{COURSE_ID}/formgrader/api/submissions/{ASSIGNMENT}", timeout=60)
        assert response.status_code == 200, (response.status_code, response.url, response.text[:500])
        listed = {row["student"]: row for row in response.json()}
        assert listed.keys() == expected.keys()
        assert {s: row["score"] for s, row in listed.items()} == {s: sum(c.values()) for s, c in expected.items()}
        page = session.get(f"{hub.url}/services/{COURSE_ID}/formgrader", timeout=60)
        assert page.status_code == 200
        assert page.headers.get("Content-Security-Policy") == "frame-ancestors 'self'"
    # ... and its JupyterLab panel (the iframe JupyterHub's default policy would leave blank) shows the assignment
    panel = formgrader_panel(pages["instructor"], hub, INSTRUCTOR, passwords[INSTRUCTOR])
    assert ASSIGNMENT in panel and "Manage Assignments" in panel, panel[:1000]
    print(f"the hub cycle took {time.monotonic() - started:.0f} s after setup")
