"""Hidden checks, kernel side: run a student's function on the hidden cases and record what it returns.

Every hidden check of a lesson is a `Check` in `autograder/hidden/<lesson>.py`: the name of the
reference function, a function that draws the (deterministic, random) cases, and what the
function should do in words. `run(lesson, name, student_function)` calls the student's
function on every case in the notebook's kernel. What happens next depends on where it runs:

* at grading (the sandbox kernel has BACKPROP_JUDGE set), the kernel only records what the
  student's function returned, as a data blob in the test cell's output. That record is
  untrusted student output: the judge (autograder/verdicts.py), in the nbgrader process, checks
  it against a strict schema, regenerates the cases, computes the reference and decides the
  cell's score. A forged record is worth exactly what the values in it are worth. This module
  and autograder/hidden/ are all of autograder/ that the grading kernel can see;
* anywhere else (a solution notebook run by the tests, a maintainer's session), the same
  judgement runs in-process and a failure raises HiddenTestFailure after printing the
  explanation to stdout.
"""
import builtins as _builtins
import copy
import importlib
import json
import os
import warnings

import numpy as np

# Pristine builtins: an honest submission that rebinds builtins (abs, isinstance) for its own reasons
# does not change what is recorded. (A hostile one can change anything here: nothing is decided here.)
globals().update({k: v for k, v in vars(_builtins).items() if not k.startswith("_")})
_deepcopy = copy.deepcopy
_ndarray, _errstate, _asarray = np.ndarray, np.errstate, np.asarray
_bool_, _integer, _floating = np.bool_, np.integer, np.floating
_catch_warnings, _simplefilter = warnings.catch_warnings, warnings.simplefilter
_dumps = json.dumps
_environ_get = os.environ.get

RTOL = 1e-7  # accepts any order of correct float arithmetic
ATOL = 1e-10
BLOB_MIME = "application/x-backprop-lab-hidden+json"  # the kernel's record of a hidden check, for the judge
JUDGE_ENV = "BACKPROP_JUDGE"


class HiddenTestFailure(AssertionError):
    """A student's function disagreed with the reference on a hidden case."""


class Check:
    """One hidden check: reference (a name in autograder.reference, or a function), cases() -> [args],
    what the function should do (words for the student), and the argument positions it must not change.

    A check may judge one part of a function's result, for partial credit: `function` names the
    student's function (default: the check's own name) and `part` picks the part from a result
    (a plain value, see `plain`), e.g. `keys("w5", "w6")` for some entries of a dict.

    A check may `adapt` the student's function before it runs on the cases: adapt(function) -> a
    function of the case that returns plain data (lesson 8 drives a student's Value class from a plain
    description of a graph). The reference is then a function of the case returning that same data.
    """

    def __init__(self, reference, cases, expect, unchanged=(), rtol=RTOL, atol=ATOL, mutated_message=None,
                 function=None, part=None, label=None, adapt=None):
        self.reference, self.cases, self.expect = reference, cases, expect
        self.unchanged, self.rtol, self.atol = tuple(unchanged), rtol, atol
        self.mutated_message = mutated_message or "it changed an argument it was given; build and return new values instead"
        self.function, self.part = function, part or (lambda value: value)
        self.label = label  # the part in words, e.g. "output-layer weights w5..w8"
        self.adapt = adapt

    def title(self, name):
        """How messages name this check: the function, and the part when it judges one."""
        function = self.function or name
        return f"{function} ({self.label})" if self.label else function

    def reference_function(self):
        if callable(self.reference):
            return self.reference
        return getattr(importlib.import_module("autograder.reference"), self.reference)


def keys(*names):
    """A part (see Check) that keeps only the entries `names` of a returned dict (all of it when one is missing)."""
    def part(value):
        if isinstance(value, dict) and "__dict__" in value and set(names) <= set(value["__dict__"]):
            return {"__dict__": {k: v for k, v in value["__dict__"].items() if k in names}}
        return value
    return part


def items(select):
    """A part (see Check) that keeps select(list) of a returned list of [dW, db] pairs, when it is one."""
    def part(value):
        if isinstance(value, list) and all(isinstance(v, list) and len(v) == 2 for v in value):
            return select(value)
        return value
    return part


# ------------------------------------------------------------------ results as plain data

def plain(value, depth=0):
    """value as JSON-able data: floats, lists, {"__dict__": ...} and {"__array__": ..., "shape": ...}.

    Values are kept, classes are not: any real or integer number (Python, NumPy of any width, a
    0-d array), any dict (OrderedDict, defaultdict), any list or tuple (a namedtuple) and any
    numeric array. Anything else (a string, None, a bool, an object whose == is always true)
    becomes {"__type__": name}, which never equals a number.
    """
    kind = type(value)
    if depth > 12:
        return {"__type__": "deeply nested value"}
    if isinstance(value, (bool, _bool_)) or value is None:
        return {"__type__": kind.__name__}
    if isinstance(value, (int, float, _integer, _floating)):
        return float(value)
    if isinstance(value, _ndarray):
        if value.dtype.kind not in "fiu":
            return {"__type__": f"array of {value.dtype}"}
        return {"__array__": _asarray(value, dtype=float).ravel().tolist(), "shape": list(value.shape)}
    if isinstance(value, dict):
        return {"__dict__": {str(k): plain(v, depth + 1) for k, v in dict.items(value)}}
    if isinstance(value, (list, tuple)):
        return [plain(v, depth + 1) for v in value]
    return {"__type__": kind.__name__}


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


def lesson_checks(lesson):
    return importlib.import_module(f"autograder.hidden.{lesson}").CHECKS


def run(lesson, name, function):
    """The hidden check `name` of `lesson` on the student's function (called from a test cell).

    Returns None on purpose: nbgrader reads a number left as a test cell's output as partial credit.
    """
    check = lesson_checks(lesson)[name]
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


def define_checks(namespace):
    """Give a hidden module one check_<name>(function) per entry of its CHECKS: what hidden regions call."""
    for name, check in namespace["CHECKS"].items():
        namespace[f"check_{name}"] = checker(namespace["LESSON"], name, check.expect)


def checker(lesson, name, expect):
    """check_<name>(function): runs the hidden check `name` of `lesson` on the student's function."""
    def check(function):
        run(lesson, name, function)

    check.__name__ = check.__qualname__ = f"check_{name}"
    check.__doc__ = f"Hidden tests of {name}: {expect}"
    return check
