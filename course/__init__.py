"""The course's content, one folder per graded lesson: course/<lesson>/ for solutions/NN_<lesson>/<lesson>.ipynb.

Each folder holds everything that lesson adds to the grader (CONTRIBUTING.md, "Add a lesson"):

    __init__.py    what the lesson is, in one docstring; it imports nothing (a grading kernel imports the package)
    reference.py   the reference functions, in lesson order (grader side only)
    cases.py       the hidden checks: LESSON, CHECKS = {name: Check(...)}, define_checks(globals())
                   (kernel side: the only module of the folder a grading kernel can see)
    mistakes.py    VARIANTS = {function: [(words, variant), ...]}: the classic mistakes, named in feedback
    samples.py     WRONG = {student: {"code": {grade_id: cell source replacing the solution's},
                                      "zero": [test cells scoring 0], optional "says"/"never": {cell: [words]}}}:
                   sample submissions, the cells they lose and what their feedback must (not) say
                   (optionally "says"/"never": {grade_id: [words]}, what a cell's feedback must and must not say)

Lessons are found by scanning this package: nothing lists them. Code shared by several lessons
has one home in the lesson that teaches it (the sigmoid in course/sigmoid/, the MLP in
course/capstone/), which the later lessons import.
"""
import importlib
import pkgutil
import re
from pathlib import Path
from types import ModuleType

PIECES = ("reference", "cases", "mistakes", "samples")
SAMPLE_KEYS = {"code", "zero", "says", "never"}  # a wrong sample: its cells, the cells it loses, what its feedback says
_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")


class LessonError(LookupError):
    """A lesson that is unknown, or misses one of its pieces."""


def lessons() -> list[str]:
    """The names of the graded lessons: every subpackage of course/, in lesson order (their notebooks' numbers
    where the notebooks are present, else by name)."""
    names = [info.name for info in pkgutil.iter_modules(__path__) if info.ispkg]
    folders = {name: assignment(name, missing_ok=True) for name in names}
    return sorted(names, key=lambda name: (folders[name] or "~", name))


def piece(lesson: str, name: str) -> ModuleType:
    """The module course/<lesson>/<name>.py, or LessonError naming the missing piece."""
    if not (isinstance(lesson, str) and _NAME.match(lesson)) or name not in PIECES:
        raise LessonError(f"no such lesson piece: {lesson!r}, {name!r}")
    if lesson not in {info.name for info in pkgutil.iter_modules(__path__) if info.ispkg}:
        raise LessonError(f"{lesson!r} is not a lesson: there is no folder course/{lesson}/")
    try:
        return importlib.import_module(f"{__name__}.{lesson}.{name}")
    except ModuleNotFoundError as error:
        if error.name != f"{__name__}.{lesson}.{name}":
            raise
        raise LessonError(f"lesson {lesson!r} has no {name}.py: add course/{lesson}/{name}.py "
                          f"(CONTRIBUTING.md, \"Add a lesson\")") from None


def checks(lesson: str) -> dict:
    """{check name: Check} of a lesson's hidden tests."""
    return piece(lesson, "cases").CHECKS


def variants(lesson: str, function: str) -> list:
    """[(words, variant)] of the classic mistakes a lesson's function can make."""
    return piece(lesson, "mistakes").VARIANTS.get(function, [])


def assignment(lesson: str, missing_ok: bool = False) -> str | None:
    """The notebook folder of a lesson, e.g. "06_mazur_network" (grader side: needs the repository's solutions/)."""
    found = sorted(p.parent.name for p in (Path(__file__).resolve().parent.parent / "solutions").glob(f"[0-9]*_{lesson}/{lesson}.ipynb"))
    if len(found) == 1:
        return found[0]
    if missing_ok:
        return None
    raise LessonError(f"lesson {lesson!r} has no notebook solutions/NN_{lesson}/{lesson}.ipynb" if not found
                      else f"lesson {lesson!r} has several notebooks: {found}")


def problems(lesson: str) -> list[str]:
    """What a lesson folder lacks, in words naming the missing piece ([] when it is complete)."""
    found = []
    modules = {}
    for name in PIECES:
        try:
            modules[name] = piece(lesson, name)
        except LessonError as error:
            found.append(str(error))
    try:
        assignment(lesson)
    except LessonError as error:
        found.append(str(error))
    cases, reference = modules.get("cases"), modules.get("reference")
    if cases is not None:
        if getattr(cases, "LESSON", None) != lesson:
            found.append(f"course/{lesson}/cases.py must say LESSON = {lesson!r}")
        if not isinstance(getattr(cases, "CHECKS", None), dict) or not cases.CHECKS:
            found.append(f"course/{lesson}/cases.py has no CHECKS (a dict of Check)")
        elif not hasattr(cases, f"check_{next(iter(cases.CHECKS))}"):
            found.append(f"course/{lesson}/cases.py does not end with define_checks(globals())")
        elif reference is not None:
            found += [f"course/{lesson}/reference.py has no function {check.reference!r} (named by check {name!r})"
                      for name, check in cases.CHECKS.items()
                      if isinstance(check.reference, str) and not callable(getattr(reference, check.reference, None))]
    mistakes = modules.get("mistakes")
    if mistakes is not None and not isinstance(getattr(mistakes, "VARIANTS", None), dict):
        found.append(f"course/{lesson}/mistakes.py has no VARIANTS (a dict: function -> [(words, variant)])")
    elif mistakes is not None and cases is not None and isinstance(getattr(cases, "CHECKS", None), dict):
        functions = {check.function or name for name, check in cases.CHECKS.items()}
        found += [f"course/{lesson}/mistakes.py names {function!r}, which no check of the lesson judges"
                  for function in mistakes.VARIANTS if function not in functions]
    samples = modules.get("samples")
    if samples is not None:
        wrong = getattr(samples, "WRONG", None)
        if not isinstance(wrong, dict) or not wrong:
            found.append(f"course/{lesson}/samples.py has no WRONG samples (at least one wrong student)")
        else:
            for student, sample in wrong.items():
                keys = set(sample) if isinstance(sample, dict) else set()
                if not {"code", "zero"} <= keys:
                    found.append(f"course/{lesson}/samples.py: {student!r} needs exactly the keys 'code' and 'zero'")
                elif not keys <= SAMPLE_KEYS:
                    found.append(f"course/{lesson}/samples.py: {student!r} has keys other than 'code', 'zero' and the "
                                 f"optional 'says', 'never': {sorted(keys - SAMPLE_KEYS)}")
    return found
