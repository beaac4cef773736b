"""Naming the classic mistake a student made (grader side; used by the judge).

Each lesson lists its classic mistakes in course/<lesson>/mistakes.py: VARIANTS[function] is a
list of (what the student did, in words; a function with the reference's signature that makes
that mistake). When a student's function fails a hidden check, `identify` runs every variant
of that function on the same hidden cases; if one agrees with the student's results on all of
them, the feedback names it.
"""
import copy

import numpy as np

import course
from autograder.compare import difference
from autograder.records import plain


def identify(check, cases: list, got: list) -> str | None:
    """The words for the first classic mistake whose results agree with the student's on every case, or None.

    Only the part of the result that the check judges is compared (see grading.Check). A case on
    which the student's function raised agrees only with a variant that raises there too, so a
    mistake is never named from just the cases that happened to run."""
    if not all(isinstance(result, dict) and ("result" in result or "error" in result) for result in got):
        return None
    if not any("result" in result for result in got):
        return None
    for words, variant in course.variants(check.lesson, check.function or check.name):
        if all(_agrees(variant, args, result, check) for args, result in zip(cases, got)):
            return words
    return None


def _agrees(variant, args, result, check):
    """Whether the variant does on args what the student's function did (same part of the result, or an error)."""
    try:
        with np.errstate(all="ignore"):
            expected = check.part(plain(variant(*copy.deepcopy(args))))
    except Exception:  # noqa: BLE001 - the variant fails here: it agrees with a student who failed too
        return "error" in result
    return "result" in result and not difference(check.part(result["result"]), expected, check.rtol, check.atol)
