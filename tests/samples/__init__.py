"""Sample submissions for the end-to-end grading tests, with the exact scores they earn.

Every lesson gets two students for free: "correct" (the solution's code) and
"untouched" (the release as is: zero points). Each module s<NN>_<name>.py here adds
the wrong ones for one assignment:

    ASSIGNMENT = "06_mazur_network"
    WRONG = {"student_name": {"code": {grade_id: new cell source}, "scores": {test grade_id: points}}}

A wrong student starts from the correct code and replaces whole solution cells named
by grade_id; "scores" gives the exact points every test cell of the notebook must get.
"""
import importlib
import pkgutil
from pathlib import Path

import course

WRONG = {}
for _info in pkgutil.iter_modules(__path__):
    _module = importlib.import_module(f"{__name__}.{_info.name}")
    WRONG[_module.ASSIGNMENT] = _module.WRONG

# lessons in the per-lesson layout keep their samples in course/<lesson>/samples.py
_ROOT = Path(__file__).resolve().parents[2]
for _lesson in course.lessons():
    if (_ROOT / "course" / _lesson / "samples.py").is_file():
        (_solution,) = (_ROOT / "solutions").glob(f"[0-9][0-9]_{_lesson}")
        WRONG[_solution.name] = importlib.import_module(f"course.{_lesson}.samples").WRONG
