"""The judge's verdict on one hidden check (grader side only: the grading kernel never sees this module).

The record (autograder/records.py) says what a student's function returned on the hidden cases;
`read_record` has already checked its schema and size. `judge` draws the cases itself, computes
the reference (course/<lesson>/reference.py), and compares (autograder/compare.py): exactly the
reference's structure, keys, lengths and shapes, values within tolerance. A forged record is
therefore worth exactly what the values in it are worth. Messages say which function, which
hidden case (by number, never by value), what kind of difference was found (the place that differs
most, by name) and, when the result matches a classic mistake (autograder/mistakes.py), which one. A
function that uses another of the student's functions (Check.uses) which failed its own checks
earlier in the notebook is told so instead, and no mistake is named on it: the mistake is named
where it is made.
"""
import copy

import numpy as np

import course
from autograder import mistakes
from autograder.compare import difference
from autograder.records import plain

# an argument the function must not change is compared up to rounding: a central difference that nudges an
# entry by +h, -2h, +h and so puts it back within an ulp has not changed it; a step of any size it keeps has
UNCHANGED_RTOL, UNCHANGED_ATOL = 1e-12, 1e-15


def failure(summary: str, explanation: str | None = None) -> dict:
    return {"summary": summary, "explanation": explanation or summary}


def function_of(lesson: str, name: str) -> str:
    """The student's function that the check `name` of `lesson` judges (a part check names its function)."""
    check = course.checks(lesson)[name]
    return check.function or name


def upstream(failing) -> str:
    """The words for a function judged through the student's other functions that fail their own checks."""
    names = sorted(failing)
    listed = ", ".join(f"`{n}`" for n in names[:-1]) + (" and " if len(names) > 1 else "") + f"`{names[-1]}`"
    return (f"this uses your {listed}, which fail{'s' if len(names) == 1 else ''} "
            f"{'its' if len(names) == 1 else 'their'} hidden tests: fix that first")


def judge(lesson: str, name: str, outputs: dict, failing=frozenset()) -> dict | None:
    """None when every case matches the reference, else {"summary": one line, "explanation": text}.

    outputs is what the kernel recorded, already read by `read_record` (at grading) or made by
    grading.run in this process (a maintainer's session). failing names the student's functions
    that failed their own checks earlier in the notebook: when this check's function uses one of
    them (Check.uses) and fails, the verdict says so and names no mistake of its own."""
    check = course.checks(lesson)[name]
    function, title = check.function or name, check.title(name)
    if "not_callable" in outputs:
        return failure(f"{function} is not a function (it is a {outputs['not_callable']})")
    cases = check.cases()
    got = outputs.get("cases")
    if not isinstance(got, list) or len(got) != len(cases):
        return failure(f"{title}: the hidden tests did not run to the end")
    reference = check.reference_function()
    blamed = set(check.uses) & set(failing)
    problem = None
    for number, (args, result) in enumerate(zip(cases, got), 1):
        if result.get("not_written"):
            if blamed:
                summary = f"{title}: {upstream(blamed)} (it raises NotImplementedError)."
                return failure(summary)
            return failure(f"{function} is not written yet (it raises NotImplementedError)")
        if "error" in result:
            problem = (number, f"{function} raised {result['error']}")
            break
        with np.errstate(all="ignore"):
            want = check.part(plain(reference(*copy.deepcopy(args))))
        text = difference(check.part(result["result"]), want, check.rtol, check.atol, check.names)
        if text is None and check.unchanged:
            before, after = plain(list(args)), result["after"]
            for index in check.unchanged:
                if len(after) <= index or difference(after[index], before[index], UNCHANGED_RTOL, UNCHANGED_ATOL):
                    text = check.mutated_message
                    break
        if text:
            problem = (number, text)
            break
    if not problem:
        return None
    number, text = problem
    if blamed:
        summary = f"{title}: hidden test {number} of {len(cases)} failed; {upstream(blamed)}."
        return failure(summary, "\n".join([summary, f"On that case {text}.", f"What {title} should do: {check.expect}"]))
    summary = f"{title}: hidden test {number} of {len(cases)} failed: {text}."
    lines = [summary]
    named = mistakes.identify(check, cases, got)
    if named:
        lines.append(f"This is a classic mistake: {named}")
    lines.append(f"What {title} should do: {check.expect}")
    lines.append(
        "The hidden tests run your function on many random inputs (not the worked example) "
        "and compare it with a reference implementation."
    )
    return failure(summary, "\n".join(lines))
