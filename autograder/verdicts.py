"""The judge's verdict on one hidden check (grader side only: the grading kernel never sees this module).

The record (autograder/records.py) says what a student's function returned on the hidden cases;
`read_record` has already checked its schema and size. `judge` draws the cases itself, computes
the reference (course/<lesson>/reference.py), and compares (autograder/compare.py): exactly the
reference's structure, keys, lengths and shapes, values within tolerance. A forged record is
therefore worth exactly what the values in it are worth. Messages say which function, which
hidden case (by number, never by value), what kind of difference was found and, when the result
matches a classic mistake (autograder/mistakes.py), which one.
"""
import copy

import numpy as np

import course
from autograder import mistakes
from autograder.compare import difference
from autograder.records import plain


def failure(summary: str, explanation: str | None = None) -> dict:
    return {"summary": summary, "explanation": explanation or summary}


def judge(lesson: str, name: str, outputs: dict) -> dict | None:
    """None when every case matches the reference, else {"summary": one line, "explanation": text}.

    outputs is what the kernel recorded, already read by `read_record` (at grading) or made by
    grading.run in this process (a maintainer's session)."""
    check = course.checks(lesson)[name]
    function, title = check.function or name, check.title(name)
    if "not_callable" in outputs:
        return failure(f"{function} is not a function (it is a {outputs['not_callable']})")
    cases = check.cases()
    got = outputs.get("cases")
    if not isinstance(got, list) or len(got) != len(cases):
        return failure(f"{title}: the hidden tests did not run to the end")
    reference = check.reference_function()
    problem = None
    for number, (args, result) in enumerate(zip(cases, got), 1):
        if result.get("not_written"):
            return failure(f"{function} is not written yet (it raises NotImplementedError)")
        if "error" in result:
            problem = (number, f"{function} raised {result['error']}")
            break
        with np.errstate(all="ignore"):
            want = check.part(plain(reference(*copy.deepcopy(args))))
        text = difference(check.part(result["result"]), want, check.rtol, check.atol)
        if text is None and check.unchanged:
            before, after = plain(list(args)), result["after"]
            for index in check.unchanged:
                if len(after) <= index or difference(after[index], before[index], 0, 0):
                    text = check.mutated_message
                    break
        if text:
            problem = (number, text)
            break
    if not problem:
        return None
    number, text = problem
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
