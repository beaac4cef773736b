"""Hidden checks, kernel side: run a student's function on the hidden cases and record what it returns.

Every hidden check of a lesson is a `Check` in `course/<lesson>/cases.py`: the name of the
reference function (in `course/<lesson>/reference.py`), a function that draws the
(deterministic, random) cases, and what the function should do in words. `define_checks`
gives the cases module one `check_<name>(function)` per check, which the notebook's hidden
test region calls; it runs the student's function on every case in the notebook's kernel.
What happens next depends on where it runs:

* at grading (the sandbox kernel has BACKPROP_JUDGE set), the kernel only records what the
  student's function returned (autograder/records.py) in the test cell's output. That record
  is untrusted student output: the judge (autograder/verdicts.py), in the nbgrader process,
  checks it against a strict schema, regenerates the cases, computes the reference and decides
  the cell's score. A forged record is worth exactly what the values in it are worth. This
  module, records.py and the lessons' cases modules are all the grading kernel can see of the
  grader;
* anywhere else (a solution notebook run by the tests, a maintainer's session), the same
  judgement runs in-process and a failure raises HiddenTestFailure after printing the
  explanation to stdout.
"""
import copy
import importlib
import json
import os
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from autograder.records import BLOB_MIME, JUDGE_ENV, plain

_deepcopy = copy.deepcopy
_errstate = np.errstate
_catch_warnings, _simplefilter = warnings.catch_warnings, warnings.simplefilter
_dumps = json.dumps
_environ_get = os.environ.get

RTOL = 1e-7  # accepts any order of correct float arithmetic
ATOL = 1e-10
REGISTRY: dict[tuple[str, str], "Check"] = {}  # (lesson, check name) -> Check, filled by define_checks


class HiddenTestFailure(AssertionError):
    """A student's function disagreed with the reference on a hidden case."""


class Check:
    """One hidden check: reference (a function name in course/<lesson>/reference.py, or a function), cases() -> [args],
    what the function should do (words for the student), and the argument positions it must not change.

    A check may judge one part of a function's result, for partial credit: `function` names the
    student's function (default: the check's own name) and `part` picks the part from a result
    (a plain value, see `plain`), e.g. `keys("w5", "w6")` for some entries of a dict.
    `uses` names the student's other graded functions this one calls (as the lesson asks: `train`
    calls `gradients` and `update`): when one of them fails its own checks in the same notebook,
    the feedback says so instead of naming a mistake this function did not make. `names(path)`
    gives the words for a place in the judged result (a tuple of list indices and dict keys), e.g.
    "layer 1 dW", for the messages; None falls back to "item 0 ['w5']".
    `define_checks` sets `lesson` and `name`.

    A check may `adapt` the student's function before it runs on the cases: adapt(function) is a function
    of one case that returns plain data (lesson 8 drives a student's Value class from a plain description
    of a graph and records the numbers). The reference is then a function of the case returning that data.
    """

    def __init__(self, reference: str | Callable, cases: Callable[[], list], expect: str, unchanged=(),
                 rtol: float = RTOL, atol: float = ATOL, mutated_message: str | None = None,
                 function: str | None = None, part: Callable | None = None, label: str | None = None,
                 adapt: Callable | None = None, uses: tuple[str, ...] = (),
                 names: Callable[[tuple], str | None] | None = None):
        self.reference, self.cases, self.expect = reference, cases, expect
        self.unchanged, self.rtol, self.atol = tuple(unchanged), rtol, atol
        self.mutated_message = mutated_message or "it changed an argument it was given; build and return new values instead"
        self.function, self.part = function, part or (lambda value: value)
        self.label = label  # the part in words, e.g. "output-layer weights w5..w8"
        self.adapt = adapt  # adapt(student's function) -> a function of one case, returning plain data
        self.uses, self.names = tuple(uses), names
        self.lesson = self.name = ""

    def title(self, name: str | None = None) -> str:
        """How messages name this check: the function, and the part when it judges one."""
        function = self.function or name or self.name
        return f"{function} ({self.label})" if self.label else function

    def reference_function(self) -> Callable:
        """The reference function (grader side: the grading kernel cannot import it)."""
        if callable(self.reference):
            return self.reference
        return getattr(importlib.import_module(f"course.{self.lesson}.reference"), self.reference)


def keys(*names):
    """A part (see Check) that keeps only the entries `names` of a returned dict (all of it when one is missing)."""
    def part(value):
        if isinstance(value, dict) and "__dict__" in value and set(names) <= set(value["__dict__"]):
            return {"__dict__": {k: v for k, v in value["__dict__"].items() if k in names}}
        return value
    return part


def layer_names(*kinds, top=None, offset=1):
    """names (see Check) for a list of per-layer tuples: (k, j) -> "layer k+1 <kinds[j]>", e.g. "layer 1 dW"
    (a list of single arrays, one kind: (k,) -> "layer k+1 <kind>").

    top, when given, names the items of a returned tuple first, e.g. ("layers", "errors") for train's
    (layers, errors): (0, k, j) -> "layer k+1 W", (1,) -> "errors"; only top[0] holds the layers."""
    def name(path):
        if top is not None:
            if not path:
                return None
            head, path = path[0], path[1:]
            if head != 0:
                return top[head] if isinstance(head, int) and head < len(top) else None
        if len(path) >= 1 and isinstance(path[0], int):
            words = f"layer {path[0] + offset}"
            if len(path) >= 2 and isinstance(path[1], int) and path[1] < len(kinds):
                words += f" {kinds[path[1]]}"
            elif len(kinds) == 1:
                words += f" {kinds[0]}"
            return words
        return None
    return name


def entry_names(*top):
    """names (see Check) for a returned tuple whose items are named: (0, "w2") -> "params['w2']", (1,) -> "errors"."""
    def name(path):
        if not path or not isinstance(path[0], int) or path[0] >= len(top):
            return None
        return top[path[0]] + "".join(f"[{step!r}]" if isinstance(step, str) else f"[{step}]" for step in path[1:])
    return name


def items(select):
    """A part (see Check) that keeps select(list) of a returned list of [dW, db] pairs, when it is one."""
    def part(value):
        if isinstance(value, list) and all(isinstance(v, list) and len(v) == 2 for v in value):
            return select(value)
        return value
    return part


# ------------------------------------------------------------------ running the student's code

def call(function, args):
    """{"result": plain} or {"error": text} or {"not_written": True}, plus {"after": plain args}.

    The student's function gets a private copy of args and runs with warnings silenced and
    numpy's floating-point errors ignored: a correct but naive formula that overflows on the
    way (exp of a large number) is judged on what it returns, not on the noise it makes.
    """
    given = _deepcopy(args)
    try:
        with _catch_warnings(), _errstate(all="ignore"):
            _simplefilter("ignore")
            result = function(*given)
    except NotImplementedError:
        return {"not_written": True}
    except Exception as err:  # noqa: BLE001 - any error in student code is reported, not crashed on
        return {"error": f"{type(err).__name__}: {err}"[:300]}
    try:
        return {"result": plain(result), "after": plain(list(given))}
    except Exception as err:  # noqa: BLE001 - a result that cannot even be inspected
        return {"error": f"its result could not be read ({type(err).__name__})"}


def run(lesson: str, name: str, function: Any) -> None:
    """The hidden check `name` of `lesson` on the student's function (called from a test cell).

    Returns None on purpose: nbgrader reads a number left as a test cell's output as partial credit.
    """
    check = REGISTRY[lesson, name]
    if not callable(function):
        outputs = {"not_callable": type(function).__name__}
    else:
        adapted = check.adapt(function) if check.adapt else function
        outputs = {"cases": [call(adapted, args) for args in check.cases()]}
    if _environ_get(JUDGE_ENV):
        from IPython.display import display

        blob = {"lesson": lesson, "check": name, "outputs": outputs}
        display({BLOB_MIME: _dumps(blob), "text/plain": f"[hidden tests of {name}: results recorded for grading]"}, raw=True)
        return None
    from autograder.verdicts import judge  # a maintainer's session: judged here, at once

    verdict = judge(lesson, name, outputs)
    if verdict:
        print(verdict["explanation"])
        raise HiddenTestFailure(verdict["summary"])
    return None


def define_checks(namespace: dict) -> None:
    """Give a cases module one check_<name>(function) per entry of its CHECKS: what hidden regions call."""
    for name, check in namespace["CHECKS"].items():
        check.lesson, check.name = namespace["LESSON"], name
        REGISTRY[check.lesson, name] = check
        namespace[f"check_{name}"] = checker(check.lesson, name, check.expect)


def checker(lesson: str, name: str, expect: str) -> Callable[[Any], None]:
    """check_<name>(function): runs the hidden check `name` of `lesson` on the student's function."""
    def check(function):
        run(lesson, name, function)

    check.__name__ = check.__qualname__ = f"check_{name}"
    check.__doc__ = f"Hidden tests of {name}: {expect}"
    return check


def record_failed_visible(exercise: str, namespace: dict) -> None:
    """At grading only: run the hidden check of a function whose visible tests failed, so the
    grader's feedback can still name the mistake. The judge decides the cell from this record alone (the
    visible error becomes text): whatever a visible test requires, the hidden check must judge too (e.g. its
    `unchanged` arguments)."""
    for (lesson, name), check in list(REGISTRY.items()):
        function = namespace.get(check.function or name) if name == exercise else None
        if function is not None:
            try:
                run(lesson, name, function)
            except Exception:  # noqa: BLE001 - never hide the visible test's own failure
                pass


if _environ_get(JUDGE_ENV):  # the grader hooks into the lessons' self-check, never the other way round
    from backprop_lab import selfcheck as _selfcheck

    _selfcheck.on_visible_failure(record_failed_visible)
