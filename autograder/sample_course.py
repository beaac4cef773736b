"""The bundled sample submissions as a throwaway nbgrader course (.samples-course/).

`make grade` with no submissions of the instructor's own grades these, so a new instructor
sees grading work at once without touching the real gradebook. The submissions are the
sample students of autograder/submissions.py: per lesson the correct solution, the untouched
release and every wrong sample of course/<lesson>/samples.py.
"""
import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

import nbformat

from autograder.submissions import sample_students, submission

REPO = Path(__file__).resolve().parent.parent

CONFIG = '''"""Throwaway course of the bundled sample submissions (made by `make grade`; safe to delete)."""
import os
c = get_config()  # noqa: F821
load_subconfig({main_config!r})  # noqa: F821 - the course's own settings, then this folder
here = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "backprop-lab-samples"
c.CourseDirectory.root = here
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(here, "gradebook.db")
c.Exchange.root = os.path.join(here, ".exchange")
'''


def create(root: str | Path, assignments: Iterable[str], generate: Callable[[Path, str], object]) -> Path:
    """Make root a fresh course: config, source -> solutions/, release, submissions.

    generate(root, assignment) must run nbgrader generate_assignment in that course
    (it also records the assignment in the course's gradebook).
    """
    root = Path(root)
    config = root / "nbgrader_config.py"
    if root.exists() and any(root.iterdir()) and "Throwaway course" not in (config.read_text() if config.exists() else ""):
        raise SystemExit(f"{root} is not empty and not a samples course made by make grade: not touching it")
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    (root / "nbgrader_config.py").write_text(CONFIG.format(main_config=str(REPO / "nbgrader_config.py")))
    (root / "source").mkdir()
    for assignment in assignments:
        os.symlink(REPO / "solutions" / assignment, root / "source" / assignment)
        generate(root, assignment)
        (release,) = sorted((root / "release" / assignment).glob("*.ipynb"))
        (source,) = sorted((root / "source" / assignment).glob("*.ipynb"))
        for student, code in sample_students(assignment, source).items():
            folder = root / "submitted" / student / assignment
            folder.mkdir(parents=True, exist_ok=True)
            nbformat.write(submission(release, code), str(folder / release.name))
    return root
