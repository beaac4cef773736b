"""`make grade`: autograde every submission of the course, concurrently, in the grading sandbox.

    python -m autograder.grade [--assignment 06_mazur_network] [--workers 3] [--deadline 300] [--unsafe-no-sandbox]

Grades every submitted/<student>/<assignment>/ folder of the course (the repository root)
through nbgrader's own API (the same Autograde and GenerateFeedback converters the CLI runs,
with --force and --create), several submissions at once, each notebook run in the operating
system's sandbox (autograder/sandbox.py; grading refuses to start where it is unavailable,
unless --unsafe-no-sandbox). Then it writes
    grades/scores.csv   student, assignment, notebook, exercise (grade cell), score, max_score
    grades/totals.csv   student, assignment, score, max_score, status, cause, sandbox
and HTML feedback per student under feedback/ (nbgrader generate_feedback).
A submission that cannot be graded (malformed JSON, missing notebook, a symlink or other
non-regular file, a crash, its notebooks running longer than the deadline) gets zero, is named
with its cause, and the others are still graded. A student or assignment folder whose name is
not plain (autograder/names.py) is refused and never enters the gradebook. Running it again gives
the same files. What a killed run (kill -9) left behind, kernel folders, cgroups and kernels, is
removed when the next run starts.

With no submissions of the instructor's own it grades the bundled sample submissions in a
throwaway course, .samples-course/ (see autograder/sample_course.py).
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import nbformat

from autograder import names, sample_course, sandbox
from autograder.reports import UNSAFE, Result, Results, Submission, integrity_ok, plural, progress_line, summary, write_reports
from autograder.settings import GradingSettings

if TYPE_CHECKING:  # nbgrader is imported where it is used (the workers load it once)
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

REPO = Path(__file__).resolve().parent.parent
SAMPLES_ROOT = REPO / ".samples-course"
DB_RETRIES = 3
Job = tuple[str, str, tuple[str, ...], bool]  # (assignment, student, its notebooks' names, feedback or not)


# ---------------------------------------------------------------- command line

def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line (see the module docstring)."""
    parser = argparse.ArgumentParser(prog="python -m autograder.grade", description=__doc__.split("\n")[0])
    parser.add_argument("--course", type=Path, default=REPO, help="course root (default: the repository)")
    parser.add_argument("--assignment", default=os.environ.get("ASSIGNMENT") or None,
                        help="grade only this assignment (default: every assignment submitted)")
    parser.add_argument("--workers", type=int, default=None,
                        help="submissions graded at once (default: the course's GradingSettings.workers, "
                             "else 1.5 per core)")
    parser.add_argument("--deadline", type=float, default=None,
                        help="seconds one submission's notebooks may run in all, then its kernel is killed and it "
                             "gets zero (default: the course's GradingSettings.deadline, 300; 0: no limit)")
    parser.add_argument("--unsafe-no-sandbox", action="store_true",
                        help="run student code in the plain python3 kernel with the grader's rights (said on every "
                             "progress line and in totals.csv); only where the sandbox cannot run")
    parser.add_argument("--samples", action="store_true", help="grade the bundled samples even if there are submissions")
    parser.add_argument("--samples-course", type=Path, default=SAMPLES_ROOT,
                        help="where to build the throwaway course of the bundled samples")
    parser.add_argument("--no-feedback", action="store_true", help="skip nbgrader generate_feedback")
    return parser.parse_args(argv)


def default_workers() -> int:
    """Kernels wait on each other half of the time: one and a half workers per core."""
    return max(2, (3 * (os.cpu_count() or 1) + 1) // 2)


# ---------------------------------------------------------------- the course and its submissions

def find_submissions(root: str | Path, assignment: str | None = None) -> tuple[list[Submission], list[tuple[str, str, str]]]:
    """([(assignment, student)] of every submitted/<student>/<assignment>/ folder, sorted; [refused]).

    refused: (shown assignment, shown student, cause) of folders whose names are not plain or that are
    symbolic links; they are never graded and never enter the gradebook."""
    submitted = Path(root) / "submitted"
    if not submitted.is_dir():
        return [], []
    jobs: list[Submission] = []
    refused: list[tuple[str, str, str]] = []
    for student in sorted(submitted.iterdir()):
        if student.name.startswith(".") or not (student.is_dir() or student.is_symlink()):
            continue
        if student.is_symlink():
            refused.append(("", names.shown(student.name), "the student folder is a symbolic link: only real folders "
                                                           "of regular files are accepted"))
            continue
        for folder in sorted(student.iterdir()):
            if folder.name.startswith(".") or not (folder.is_dir() or folder.is_symlink()) or \
                    assignment not in (None, folder.name):
                continue
            cause = None
            if folder.is_symlink():
                cause = "the folder is a symbolic link: only real folders of regular files are accepted"
            elif not (names.valid(student.name) and names.valid(folder.name)):
                cause = f"not a plain name ({names.RULE})"
            if cause:
                refused.append((names.shown(folder.name), names.shown(student.name), cause))
            else:
                jobs.append((folder.name, student.name))
    return jobs, refused


def set_environment() -> None:
    """What nbgrader and the hidden tests need: this venv's bin on PATH (nbgrader runs `alembic`),
    the repository on PYTHONPATH (hidden tests import autograder), a headless matplotlib."""
    bin_dir = str(Path(sys.executable).parent)
    for var, first in (("PATH", bin_dir), ("PYTHONPATH", str(REPO))):
        parts = [p for p in os.environ.get(var, "").split(os.pathsep) if p and p != first]
        os.environ[var] = os.pathsep.join([first, *parts])
    os.environ.setdefault("MPLBACKEND", "Agg")


def load_config(root: str | Path) -> Config:
    """The course's nbgrader configuration, loaded as the nbgrader command loads it."""
    from nbgrader.apps.nbgraderapp import NbGraderApp

    os.chdir(root)
    app = NbGraderApp()
    app.initialize([])
    return app.config


def nbgrader_api(root: str | Path, config: Config | None = None) -> NbGraderAPI:
    """nbgrader's API for the course at root: its configuration, then config on top, warnings only."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    merged = Config(load_config(root))
    merged.merge(config or Config())
    merged.NbGraderAPI.log_level = "WARN"
    return NbGraderAPI(config=merged)


def generate_assignment(root: str | Path, assignment: str, release_directory: str | Path | None = None) -> None:
    """nbgrader generate_assignment --force (into release_directory when given): records it in the gradebook."""
    from traitlets.config import Config

    config = Config()
    if release_directory:
        config.CourseDirectory.release_directory = str(release_directory)
    result = nbgrader_api(root, config).generate_assignment(assignment, force=True, create=True)
    if not result["success"]:
        raise SystemExit(f"nbgrader generate_assignment {assignment} failed:\n{result.get('log', '')}{result.get('error', '')}")


def expected_notebooks(api: NbGraderAPI, assignment: str) -> list[str] | None:
    """The notebook names of an assignment, as the gradebook knows them (None: not in the gradebook)."""
    from nbgrader.api import MissingEntry

    with api.gradebook as gb:
        try:
            return sorted(nb.name for nb in gb.find_assignment(assignment).notebooks)
        except MissingEntry:
            return None


def ensure_assignments(root: str | Path, assignments: Iterable[str]) -> dict[str, list[str] | None]:
    """Every assignment graded is in the gradebook (on a fresh clone it is not): generate it aside."""
    api = nbgrader_api(root)
    missing = [a for a in assignments if not expected_notebooks(api, a)]
    with tempfile.TemporaryDirectory(prefix="release-") as scratch:
        for assignment in missing:
            print(f"adding {assignment} to the gradebook (nbgrader generate_assignment)", flush=True)
            generate_assignment(root, assignment, Path(scratch))
    notebooks = {a: expected_notebooks(api, a) for a in assignments}
    unknown = sorted(a for a, names_ in notebooks.items() if names_ is None)
    if unknown:
        raise SystemExit(f"nbgrader could not add {', '.join(unknown)} to the gradebook: see its messages above")
    return notebooks


def make_samples_course(course: Path, folder: Path, assignment: str | None = None) -> Path:
    """Build the throwaway course of the bundled samples in folder (every lesson, or assignment only); its root."""
    assignments = [assignment] if assignment else sorted(
        p.name for p in (REPO / "solutions").iterdir() if p.is_dir() and p.name[:2].isdigit())
    print(f"No submissions under {course / 'submitted'}: grading the bundled sample submissions "
          f"in {folder}/ (your gradebook is not touched)", flush=True)
    return sample_course.create(folder, assignments, generate_assignment)


# ---------------------------------------------------------------- checks before nbgrader

def precheck(root: str | Path, assignment: str, student: str, notebooks: Iterable[str]) -> str | None:
    """None when the submission can go to nbgrader, else why it cannot (in words)."""
    folder = Path(root) / "submitted" / student / assignment
    problem = names.submission_problem(folder)
    if problem:
        return problem
    for name in notebooks:
        path = folder / f"{name}.ipynb"
        if not path.exists():
            found = ", ".join(names.shown(p.name) for p in sorted(folder.glob("*.ipynb"))) or "no notebook"
            return f"missing notebook: {name}.ipynb not submitted (found {found})"
        try:
            nbformat.read(str(path), as_version=4)
        except Exception as error:  # noqa: BLE001 - any reading problem is the cause to report
            return f"malformed notebook {name}.ipynb: {first_line(error)}"
    return None


def first_line(error: BaseException) -> str:
    """An exception in one line: its type and the first line of its message."""
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}".strip()


# ---------------------------------------------------------------- the worker processes

_WORKER: dict[str, Any] = {}  # root, deadline, api: what init_worker loaded in this worker process


def init_worker(root: str, unsafe: bool, deadline: float) -> None:
    """Each worker loads nbgrader once; its kernels run in the sandbox unless unsafe."""
    import warnings

    from sqlalchemy.exc import SAWarning
    from traitlets.config import Config

    warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader's own session use, harmless
    config = Config()
    config.SandboxedExecute.unsafe_no_sandbox = unsafe
    config.CourseDirectory.db_url = load_config(root).CourseDirectory.db_url + "?timeout=60"
    _WORKER.update(root=root, deadline=deadline, api=nbgrader_api(root, config))


def grade_one(job: Job) -> Result:
    """Autograde one submission and generate its feedback; return what happened (never raises)."""
    assignment, student, notebooks, feedback = job
    started = time.monotonic()
    try:
        cause = grade_steps(_WORKER["api"], assignment, student, notebooks, feedback)
    except Exception as error:  # noqa: BLE001 - one submission's trouble must not stop the others
        cause = f"the grader failed: {first_line(error)}"
    score, max_score = safe_score(_WORKER["api"], assignment, student)
    return dict(assignment=assignment, student=student, score=score, max_score=max_score,
                cause=cause, seconds=time.monotonic() - started)


def grade_steps(api: NbGraderAPI, assignment: str, student: str, notebooks: Iterable[str], feedback: bool) -> str | None:
    """Check and autograde (a failure: zero in the gradebook), then feedback. None or the cause."""
    cause = precheck(_WORKER["root"], assignment, student, notebooks)
    if cause is None:
        with Deadline(_WORKER["deadline"], kill_kernels) as deadline:
            cause = autograde(api, assignment, student)
        if deadline.expired:
            cause = f"ran longer than the {_WORKER['deadline']:g}-second limit for one submission"
    if cause is not None:
        remove_outputs(_WORKER["root"], assignment, student)
        record_zero(api, assignment, student)
        return cause
    return generate_feedback(api, assignment, student) if feedback else None


class Deadline:
    """A watchdog thread: once a submission's notebooks have run `seconds`, it calls kill (this worker's
    kernels) and goes on calling it every half second (a kernel nbgrader starts after) until the
    submission is over. nbgrader then sees a dead kernel and fails the submission; the gradebook is
    written by this worker's own thread only, never interrupted."""

    def __init__(self, seconds: float, kill: Callable[[], object]) -> None:
        self.seconds, self.kill, self.expired = seconds, kill, False
        self._over = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="deadline", daemon=True)

    def __enter__(self) -> Self:
        if self.seconds and self.seconds > 0:
            self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._over.set()
        if self._thread.is_alive():
            self._thread.join()

    def _watch(self) -> None:
        if self._over.wait(self.seconds):
            return
        self.expired = True
        while True:
            try:
                self.kill()
            except Exception:  # noqa: BLE001 - try again in half a second
                pass
            if self._over.wait(0.5):
                return


def kill_kernels() -> None:
    """SIGKILL this worker's kernels with everything they started: jupyter_client starts each kernel's
    launcher as the leader of a process group of its own, a child of ours; what it started in the
    sandbox dies with it (PID namespace), and its folder and cgroup go too."""
    me = os.getpid()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state_ppid_pgrp = stat.read_text().rpartition(")")[2].split()[:3]
            pid, ppid, pgrp = int(stat.parent.name), int(state_ppid_pgrp[1]), int(state_ppid_pgrp[2])
            if ppid == me and pgrp == pid:
                os.killpg(pid, signal.SIGKILL)
        except (OSError, ValueError, IndexError):
            pass
    sandbox.remove_kernels_of(me)


def safe_score(api: NbGraderAPI, assignment: str, student: str) -> tuple[float, float]:
    """(score, max score) of a submission in the gradebook; (0, 0) where the gradebook cannot say."""
    try:
        return submission_score(api, assignment, student)
    except Exception:  # noqa: BLE001 - reported by the cause; the CSV reads the gradebook again
        return 0.0, 0.0


def autograde(api: NbGraderAPI, assignment: str, student: str) -> str | None:
    """nbgrader autograde ASSIGNMENT --student=STUDENT --force --create; None or the cause."""
    for _ in range(DB_RETRIES):
        result = api.autograde(assignment, student, force=True, create=True)
        if result["success"]:
            return None
        cause = failure_cause(result)
        if "database" not in cause:
            return cause
    return cause


def generate_feedback(api: NbGraderAPI, assignment: str, student: str) -> str | None:
    """nbgrader generate_feedback ASSIGNMENT --student=STUDENT --force; None or the cause ("feedback: ...")."""
    result = api.generate_feedback(assignment, student, force=True)
    return None if result["success"] else "feedback: " + failure_cause(result)


def failure_cause(result: Mapping[str, Any]) -> str:
    """The most telling line of a failed nbgrader run's log and traceback."""
    generic = ("There was an error processing", "Please see", "Traceback", "NbGraderException")
    lines = [line.strip() for line in (result.get("log", "") + "\n" + result.get("error", "")).splitlines()]
    errors = [line for line in lines if line.startswith("[ERROR]") or line.endswith("Error") or "Error:" in line]
    telling = [line.removeprefix("[ERROR] ") for line in errors if not any(g in line for g in generic)]
    return (telling or [line for line in lines if line] or ["nbgrader failed without a message"])[-1][:300]


def record_zero(api: NbGraderAPI, assignment: str, student: str) -> None:
    """A submission nbgrader could not grade is in the gradebook with zero, never lost."""
    with api.gradebook as gb:
        gb.update_or_create_student(student)
        submission = gb.update_or_create_submission(assignment, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:  # an earlier run's automatic scores do not survive
                grade.auto_score, grade.needs_manual_grade = 0, False
        gb.db.commit()


def remove_outputs(root: str | Path, assignment: str, student: str) -> None:
    """No stale autograded notebook or feedback of an earlier run survives a failure."""
    for folder in ("autograded", "feedback"):
        path = Path(root) / folder / student / assignment
        if path.exists():
            shutil.rmtree(path, ignore_errors=True)


def submission_score(api: NbGraderAPI, assignment: str, student: str) -> tuple[float, float]:
    """(score, max score) of a submission, from the gradebook (MissingEntry where it is not there)."""
    with api.gradebook as gb:
        submission = gb.find_submission(assignment, student)
        return submission.score, submission.max_score


# ---------------------------------------------------------------- running the pool

def grade_all(root: str | Path, jobs: Iterable[Job], workers: int, unsafe: bool, on_result: Callable[[Result], None],
              deadline: float = 0) -> None:
    """Grade jobs in a pool of worker processes; a crashed pool is restarted for the rest."""
    pending = list(jobs)
    for _attempt in range(3):
        if not pending:
            return
        pending = run_pool(root, pending, workers, unsafe, on_result, deadline)
    for assignment, student, *_ in pending:
        record_zero(nbgrader_api(root), assignment, student)
        score, max_score = submission_score(nbgrader_api(root), assignment, student)
        on_result(dict(assignment=assignment, student=student, score=score, max_score=max_score, seconds=0.0,
                       cause="the grading worker crashed three times on this submission"))


def run_pool(root: str | Path, jobs: Sequence[Job], workers: int, unsafe: bool, on_result: Callable[[Result], None],
             deadline: float = 0) -> list[Job]:
    """Run jobs; return the jobs left unfinished when a worker process died."""
    context = multiprocessing.get_context("fork")
    done: set[Job] = set()
    try:
        with ProcessPoolExecutor(workers, mp_context=context, initializer=init_worker,
                                 initargs=(str(root), unsafe, deadline)) as pool:
            futures = {pool.submit(grade_one, job): job for job in jobs}
            for future in as_completed(futures):
                on_result(future.result())  # grade_one never raises; a dead worker raises BrokenProcessPool
                done.add(futures[future])
    except BrokenProcessPool:
        print("a grading worker died; restarting the pool for the submissions left", flush=True)
    finally:
        sandbox.remove_stale()  # the kernels of a worker that died
    return [job for job in jobs if job not in done]


# ---------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> Results:
    """`make grade` (see the module docstring): the results per (assignment, student)."""
    set_environment()
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if not args.unsafe_no_sandbox:
        try:
            sandbox.require()
        except sandbox.SandboxUnavailable as error:
            raise SystemExit(str(error)) from None
    root = Path(args.course).resolve()
    if args.samples or not find_submissions(root)[0]:
        root = make_samples_course(root, Path(args.samples_course).resolve(), args.assignment)
    jobs, refused = find_submissions(root, args.assignment)
    settings = GradingSettings(config=load_config(root))  # the course's own settings, then the flags
    args.workers = args.workers or settings.workers or default_workers()
    args.deadline = settings.deadline if args.deadline is None else args.deadline
    for assignment, student, cause in refused:
        print(f"REFUSED {student} {assignment}: {cause}", flush=True)
    if not jobs:
        raise SystemExit(f"nothing to grade under {root / 'submitted'}")
    started = time.monotonic()
    notebooks = ensure_assignments(root, sorted({a for a, _ in jobs}))
    results = grade(root, jobs, notebooks, args)
    for assignment, student, cause in refused:
        results[(assignment, student)] = dict(assignment=assignment, student=student, score=0.0, max_score=0.0,
                                              cause=f"refused: {cause}", seconds=0.0)
    out = write_reports(nbgrader_api(root), Path(root) / "grades", jobs, results, args.unsafe_no_sandbox)
    summary(results, time.monotonic() - started, out)
    if not integrity_ok(load_config(root).CourseDirectory.db_url):
        raise SystemExit("the gradebook failed SQLite's integrity check")
    return results


def remove_leftovers() -> list[Path]:
    """What killed grading runs left: kernel folders and cgroups, with what still runs in them."""
    removed = sandbox.remove_stale()
    if removed:
        print(f"removed {plural(len(removed), 'leftover')} of killed grading runs: "
              + ", ".join(str(path) for path in removed), flush=True)
    return removed


def grade(root: str | Path, jobs: Sequence[Submission], notebooks: Mapping[str, Sequence[str] | None],
          args: argparse.Namespace) -> Results:
    """Grade every job, printing one line per submission as it finishes."""
    unsafe = args.unsafe_no_sandbox
    remove_leftovers()
    print(f"{UNSAFE}: student code runs with the grader's rights" if unsafe else sandbox.describe(), flush=True)
    workers = max(1, min(args.workers, len(jobs)))
    limit = f", at most {args.deadline:g} s each" if args.deadline > 0 else ""
    print(f"grading {plural(len(jobs), 'submission')}, {workers} at a time{limit}", flush=True)
    results: Results = {}

    def on_result(result: Result) -> None:
        """Keep a finished submission's result and print its progress line."""
        results[(result["assignment"], result["student"])] = result
        print(progress_line(result, len(results), len(jobs), unsafe), flush=True)

    full_jobs = [(a, s, tuple(notebooks[a]), not args.no_feedback) for a, s in jobs]
    grade_all(root, full_jobs, workers, unsafe, on_result, args.deadline)
    return results




if __name__ == "__main__":
    main()
