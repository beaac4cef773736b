"""Compare a student's function with the reference on hidden cases, with clear messages.

A failure raises AssertionError that says which function, which hidden case (by
number, never by value) and what kind of difference was found, so the feedback
teaches without giving the hidden inputs away.
"""
import copy
import math

import numpy as np

RTOL = 1e-7  # accepts any order of correct float arithmetic
ATOL = 1e-10


class HiddenTestFailure(AssertionError):
    """A student's function disagreed with the reference on a hidden case."""


def describe(value):
    """A short, value-free description of what a function returned."""
    if isinstance(value, dict):
        return "a dict with keys " + ", ".join(sorted(map(str, value)))
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    return f"a {type(value).__name__}"


def as_number_array(value):
    """value as a float array, or None when it is not numeric."""
    if isinstance(value, (bool, np.bool_)) or value is None:
        return None
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return array


def difference(got, expected, rtol=RTOL, atol=ATOL):
    """None when got matches expected, else a sentence that says how it differs."""
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return f"returned {describe(got)}; expected a dict with keys {', '.join(sorted(expected))}"
        missing = sorted(set(expected) - set(got))
        if missing:
            return f"the returned dict lacks the key(s) {', '.join(missing)}"
        for key in sorted(expected):
            problem = difference(got[key], expected[key], rtol, atol)
            if problem:
                return f"[{key!r}] {problem}"
        return None
    if isinstance(expected, (list, tuple)) and any(isinstance(e, (dict, list, tuple, np.ndarray)) for e in expected):
        if not isinstance(got, (list, tuple)) or len(got) != len(expected):
            return f"returned {describe(got)}; expected a sequence of {len(expected)} items"
        for k, (g, e) in enumerate(zip(got, expected)):
            problem = difference(g, e, rtol, atol)
            if problem:
                return f"item {k}: {problem}"
        return None
    want = np.asarray(expected, dtype=float)
    have = as_number_array(got)
    if have is None:
        return f"returned {describe(got)}; expected a number" + ("" if want.ndim == 0 else f" array of shape {want.shape}")
    if have.shape != want.shape:
        return f"returned shape {have.shape}; expected shape {want.shape}"
    if not np.all(np.isfinite(have)) and np.all(np.isfinite(want)):
        return "returned nan or inf where the reference is finite"
    if not np.allclose(have, want, rtol=rtol, atol=atol):
        scale = np.maximum(np.abs(want), atol)
        worst = float(np.max(np.abs(have - want) / scale))
        return f"differs from the reference (largest relative difference {worst:.1e})"
    return None


def call_student(name, function, args):
    """Call the student's function on a private copy of args; turn exceptions into a message."""
    if not callable(function):
        raise HiddenTestFailure(f"{name} is not a function (it is {describe(function)})")
    try:
        return function(*copy.deepcopy(args))
    except NotImplementedError:
        raise HiddenTestFailure(f"{name} is not written yet (it raises NotImplementedError)") from None
    except Exception as err:  # noqa: BLE001 - any error in student code is reported, not crashed on
        raise HiddenTestFailure(f"{name} raised {type(err).__name__}: {err}") from None


def check_function(name, function, reference, cases, rtol=RTOL, atol=ATOL):
    """Run function and reference on every case (a tuple of arguments); fail on the first difference.

    Returns None on purpose: nbgrader reads a number left as a test cell's output as partial credit.
    """
    cases = list(cases)
    for number, args in enumerate(cases, 1):
        expected = reference(*copy.deepcopy(args))
        got = call_student(name, function, args)
        problem = difference(got, expected, rtol, atol)
        if problem:
            raise HiddenTestFailure(f"{name}: hidden test {number} of {len(cases)} failed: {problem}.")


def is_close(a, b, rtol=RTOL, atol=ATOL):
    """math.isclose with the grading tolerances (kept here so students cannot patch it)."""
    return math.isclose(a, b, rel_tol=rtol, abs_tol=atol)
