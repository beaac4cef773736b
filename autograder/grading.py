"""Compare a student's function with the reference on hidden cases, and say what went wrong.

Every hidden check of a lesson is a `Check` in `autograder/hidden/<lesson>.py`: the name of the
reference function, a function that draws the (deterministic, random) cases, and what the
function should do in words. `run(lesson, name, student_function)` calls the student's
function on every case in the notebook's kernel. What happens next depends on where it runs:

* at grading (`autograder/judge.py` sets BACKPROP_JUDGE for the kernel), the kernel only records
  what the student's function returned, as a data blob in the test cell's output; the judge,
  in the nbgrader process the student's code never touches, regenerates the cases, computes
  the reference, compares, names the mistake and decides the cell's score. Nothing the
  student's code patches in the kernel (numpy.testing, np.allclose, builtins, an object
  whose == is always true) can change that verdict;
* anywhere else (a solution notebook run by the tests, a maintainer's session), the same
  judgement runs in-process and a failure raises HiddenTestFailure after printing the
  explanation to stdout.

Messages say which function, which hidden case (by number, never by value), what kind of
difference was found and, when the result matches a classic mistake (autograder/mistakes.py),
which one, in words, without giving the hidden inputs away.
"""
import builtins as _builtins
import copy
import importlib
import json
import math
import os
import warnings

import numpy as np

# Pristine builtins: a student's cell that replaces builtins.abs or builtins.isinstance before the
# hidden tests run does not change how this module compares (the guard imports it before any cell).
globals().update({k: v for k, v in vars(_builtins).items() if not k.startswith("_")})
_isclose, _isnan, _isfinite = math.isclose, math.isnan, math.isfinite
_deepcopy = copy.deepcopy
_ndarray, _generic, _errstate = np.ndarray, np.generic, np.errstate
_catch_warnings, _simplefilter = warnings.catch_warnings, warnings.simplefilter
_dumps, _loads = json.dumps, json.loads
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
    """

    def __init__(self, reference, cases, expect, unchanged=(), rtol=RTOL, atol=ATOL, mutated_message=None,
                 function=None, part=None, label=None):
        self.reference, self.cases, self.expect = reference, cases, expect
        self.unchanged, self.rtol, self.atol = tuple(unchanged), rtol, atol
        self.mutated_message = mutated_message or "it changed an argument it was given; build and return new values instead"
        self.function, self.part = function, part or (lambda value: value)
        self.label = label  # the part in words, e.g. "output-layer weights w5..w8"

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


# ------------------------------------------------------------------ exact-type extraction

def plain(value, depth=0):
    """value as JSON-able data built only from exact types: floats, lists, dicts and tagged arrays.

    Anything else (an object whose == is always true, a subclass with tricks, a string) becomes
    {"__type__": name}, which never equals a number.
    """
    kind = type(value)
    if depth > 12:
        return {"__type__": "deeply nested value"}
    if kind is bool or kind is np.bool_ or value is None:
        return {"__type__": kind.__name__}
    if kind is float or kind is int:
        return float(value)
    if isinstance(value, _generic) and kind.__module__ == "numpy":
        item = value.item()
        return float(item) if type(item) in (float, int) else {"__type__": kind.__name__}
    if kind is _ndarray:
        if value.dtype.kind not in "fiu":
            return {"__type__": f"array of {value.dtype}"}
        return {"__array__": value.astype(float).ravel().tolist(), "shape": list(value.shape)}
    if kind is dict:
        return {"__dict__": {str(k): plain(v, depth + 1) for k, v in value.items()}}
    if kind is list or kind is tuple:
        return [plain(v, depth + 1) for v in value]
    return {"__type__": kind.__name__}


def describe(value):
    """A short, value-free description of a plain value."""
    if isinstance(value, dict):
        if "__dict__" in value:
            return "a dict with keys " + ", ".join(sorted(value["__dict__"]))
        if "__array__" in value:
            return f"an array of shape {tuple(value['shape'])}"
        return f"a {value['__type__']}"
    if isinstance(value, list):
        return f"a sequence of {len(value)} items"
    return "a number"


def numbers(value):
    """(shape, flat list of floats) of a plain value that np.asarray would read as numbers, else None."""
    if isinstance(value, float):
        return (), [value]
    if isinstance(value, dict):
        if "__array__" in value:
            return tuple(value["shape"]), value["__array__"]
        return None
    if isinstance(value, list):
        parts = [numbers(v) for v in value]
        if any(p is None for p in parts) or len({p[0] for p in parts}) > 1:
            return None
        inner = parts[0][0] if parts else ()
        return (len(parts),) + inner, [x for _, flat in parts for x in flat]
    return None


def _is_container(value):
    return isinstance(value, list) or (isinstance(value, dict) and ("__dict__" in value or "__array__" in value))


def difference(got, expected, rtol=RTOL, atol=ATOL):
    """None when the plain value got matches expected, else a sentence that says how it differs."""
    if isinstance(expected, dict) and "__dict__" in expected:
        want = expected["__dict__"]
        if not (isinstance(got, dict) and "__dict__" in got):
            return f"returned {describe(got)}; expected a dict with keys {', '.join(sorted(want))}"
        missing = sorted(set(want) - set(got["__dict__"]))
        if missing:
            return f"the returned dict lacks the key(s) {', '.join(missing)}"
        for key in sorted(want):
            problem = difference(got["__dict__"][key], want[key], rtol, atol)
            if problem:
                return f"[{key!r}] {problem}"
        return None
    if isinstance(expected, list) and any(_is_container(e) for e in expected):
        if not isinstance(got, list) or len(got) != len(expected):
            return f"returned {describe(got)}; expected a sequence of {len(expected)} items"
        for k, (g, e) in enumerate(zip(got, expected)):
            problem = difference(g, e, rtol, atol)
            if problem:
                return f"item {k}: {problem}"
        return None
    want = numbers(expected)
    have = numbers(got)
    if have is None:
        return f"returned {describe(got)}; expected a number" + ("" if want[0] == () else f" array of shape {want[0]}")
    if have[0] != want[0]:
        return f"returned shape {have[0]}; expected shape {want[0]}"
    worst, bad_finite = 0.0, False
    for h, w in zip(have[1], want[1]):
        if _isnan(h) and _isnan(w):
            continue
        if not (_isfinite(h) or not _isfinite(w)):
            bad_finite = True
            continue
        if h == w:
            continue
        if not _isfinite(w) or abs(h - w) > atol + rtol * abs(w):
            worst = max(worst, abs(h - w) / max(abs(w), atol) if _isfinite(w) else float("inf"))
    if bad_finite:
        return "returned nan or inf where the reference is finite"
    if worst:
        return f"differs from the reference (largest relative difference {worst:.1e})"
    return None


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
        outputs = {"cases": [call(function, args) for args in check.cases()]}
    token = _environ_get(JUDGE_ENV)
    if token:
        from IPython.display import display

        blob = {"token": token, "lesson": lesson, "check": name, "outputs": outputs}
        display({BLOB_MIME: _dumps(blob), "text/plain": f"[hidden tests of {name}: results recorded for grading]"}, raw=True)
        return None
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

# ------------------------------------------------------------------ the judgement

def judge(lesson, name, outputs):
    """None when every case matches the reference, else {"summary": one line, "explanation": text}."""
    check = lesson_checks(lesson)[name]
    function, title = check.function or name, check.title(name)
    if "not_callable" in outputs:
        summary = f"{function} is not a function (it is a {outputs['not_callable']})"
        return {"summary": summary, "explanation": summary}
    cases = check.cases()
    got = outputs.get("cases", [])
    if not isinstance(got, list) or len(got) != len(cases):
        summary = f"{title}: the hidden tests did not run to the end"
        return {"summary": summary, "explanation": summary}
    reference = check.reference_function()
    problem = None
    for number, (args, result) in enumerate(zip(cases, got), 1):
        if problem:
            break
        if not isinstance(result, dict):
            problem = (number, "its result was not recorded")
        elif result.get("not_written"):
            summary = f"{function} is not written yet (it raises NotImplementedError)"
            return {"summary": summary, "explanation": summary}
        elif "error" in result:
            problem = (number, f"{function} raised {result['error']}")
        else:
            with np.errstate(all="ignore"):
                want = check.part(plain(reference(*_deepcopy(args))))
            text = difference(check.part(result.get("result")), want, check.rtol, check.atol)
            if text is None and check.unchanged:
                before = plain(list(args))
                after = result.get("after")
                for index in check.unchanged:
                    if not isinstance(after, list) or len(after) <= index or difference(after[index], before[index], 0, 0):
                        text = check.mutated_message
                        break
            if text:
                problem = (number, text)
    if not problem:
        return None
    number, text = problem
    summary = f"{title}: hidden test {number} of {len(cases)} failed: {text}."
    lines = [summary]
    from autograder import mistakes

    named = mistakes.identify(lesson, name, cases, got, check)
    if named:
        lines.append(f"This is a classic mistake: {named}")
    lines.append(f"What {title} should do: {check.expect}")
    lines.append(
        "The hidden tests run your function on many random inputs (not the worked example) "
        "and compare it with a reference implementation."
    )
    return {"summary": summary, "explanation": "\n".join(lines)}


def decode(text):
    """A recorded blob back as a dict (None when it is not one)."""
    try:
        blob = _loads(text)
    except (TypeError, ValueError):
        return None
    return blob if isinstance(blob, dict) else None


# ------------------------------------------------------------------ kept for older callers

def check_function(name, function, reference, cases, rtol=RTOL, atol=ATOL):
    """Compare function with reference on the given cases in-process; raise HiddenTestFailure on a difference."""
    cases = list(cases)
    if not callable(function):
        raise HiddenTestFailure(f"{name} is not a function")
    for number, args in enumerate(cases, 1):
        result = call(function, args)
        if result.get("not_written"):
            raise HiddenTestFailure(f"{name} is not written yet (it raises NotImplementedError)")
        if "error" in result:
            raise HiddenTestFailure(f"{name}: hidden test {number} of {len(cases)} failed: {name} raised {result['error']}.")
        problem = difference(result["result"], plain(reference(*_deepcopy(args))), rtol, atol)
        if problem:
            raise HiddenTestFailure(f"{name}: hidden test {number} of {len(cases)} failed: {problem}.")


def is_close(a, b, rtol=RTOL, atol=ATOL):
    """math.isclose with the grading tolerances (captured before any student code runs)."""
    return _isclose(a, b, rel_tol=rtol, abs_tol=atol)
