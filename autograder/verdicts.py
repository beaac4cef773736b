"""The judge's verdict on one hidden check (grader side only: the grading kernel never sees this module).

A record is what the grading kernel says a student's function returned on the hidden cases
(autograder/grading.py: `run`). It is untrusted student output, so `read_record` accepts only
this exact schema and size, and anything else scores 0 for its check with a plain message:

    {"lesson": str, "check": str, "outputs": OUTPUTS}            at most RECORD_LIMIT bytes of JSON
    OUTPUTS = {"not_callable": str} | {"cases": [CASE, ...]}      one CASE per hidden case, no more, no fewer
    CASE    = {"not_written": true} | {"error": str} | {"result": VALUE, "after": [VALUE, ...]}
    VALUE   = number | [VALUE, ...] | {"__dict__": {str: VALUE}} | {"__type__": str}
            | {"__array__": [number, ...], "shape": [int, ...]}   with exactly prod(shape) numbers

`judge` then draws the cases itself, computes the reference, and compares (autograder/compare.py):
exactly the reference's structure, keys, lengths and shapes, values within tolerance. A forged
record is therefore worth exactly what the values in it are worth. Messages say which function,
which hidden case (by number, never by value), what kind of difference was found and, when the
result matches a classic mistake (autograder/mistakes.py), which one.
"""
import copy
import json
import math

import numpy as np

from autograder import mistakes
from autograder.compare import difference
from autograder.grading import lesson_checks, plain

RECORD_LIMIT = 1_000_000  # bytes of one record's JSON (PrairieLearn caps a result at 1 MB too)
MAX_DEPTH = 12
MAX_ITEMS = 100_000  # numbers and containers in one record
TEXT_LIMIT = 300  # characters of an error message or a type name


class InvalidRecord(ValueError):
    """A record that does not follow the schema: its check scores 0."""


def _text(value, what):
    if not isinstance(value, str) or len(value) > TEXT_LIMIT:
        raise InvalidRecord(f"{what} is not a short text")
    return "".join(ch if ch.isprintable() else " " for ch in value)


def valid_value(value, budget, depth=0):
    """value itself when it is a plain value of the schema (counting its items against budget[0]), else raise."""
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_DEPTH:
        raise InvalidRecord("a result is too large or too deeply nested")
    if type(value) is int:
        return float(value)
    if type(value) is float:
        return value
    if type(value) is list:
        return [valid_value(v, budget, depth + 1) for v in value]
    if type(value) is not dict:
        raise InvalidRecord("a result holds something that is not a number, list or dict")
    keys = set(value)
    if keys == {"__dict__"} and type(value["__dict__"]) is dict:
        return {"__dict__": {_text(k, "a key"): valid_value(v, budget, depth + 1) for k, v in value["__dict__"].items()}}
    if keys == {"__type__"}:
        return {"__type__": _text(value["__type__"], "a type name")}
    if keys == {"__array__", "shape"}:
        flat, shape = value["__array__"], value["shape"]
        if type(shape) is not list or len(shape) > 8 or any(type(n) is not int or n < 0 for n in shape):
            raise InvalidRecord("an array's shape is not a list of sizes")
        if type(flat) is not list or len(flat) != math.prod(shape):
            raise InvalidRecord("an array does not hold as many numbers as its shape says")
        budget[0] -= len(flat)
        if budget[0] < 0 or any(type(x) not in (int, float) for x in flat):
            raise InvalidRecord("an array holds something that is not a number")
        return {"__array__": [float(x) for x in flat], "shape": shape}
    raise InvalidRecord("a result is a dict of an unknown form")


def valid_case(case, budget):
    if type(case) is not dict:
        raise InvalidRecord("a case is not a dict")
    keys = set(case)
    if keys == {"not_written"} and case["not_written"] is True:
        return {"not_written": True}
    if keys == {"error"}:
        return {"error": _text(case["error"], "an error message")}
    if keys == {"result", "after"} and type(case["after"]) is list:
        return {"result": valid_value(case["result"], budget), "after": valid_value(case["after"], budget)}
    raise InvalidRecord("a case is not a result, an error or 'not written'")


def read_record(text):
    """(lesson, check, outputs) of a record's JSON text; raises InvalidRecord for anything else."""
    if not isinstance(text, str) or len(text.encode("utf-8", "replace")) > RECORD_LIMIT:
        raise InvalidRecord(f"the record is larger than {RECORD_LIMIT // 1000} kB")
    try:
        record = json.loads(text)
    except ValueError as error:
        raise InvalidRecord("the record is not JSON") from error
    if type(record) is not dict or set(record) != {"lesson", "check", "outputs"}:
        raise InvalidRecord("the record does not have exactly the keys lesson, check, outputs")
    lesson, check, outputs = _text(record["lesson"], "the lesson"), _text(record["check"], "the check"), record["outputs"]
    if type(outputs) is not dict:
        raise InvalidRecord("the outputs are not a dict")
    if set(outputs) == {"not_callable"}:
        return lesson, check, {"not_callable": _text(outputs["not_callable"], "a type name")}
    if set(outputs) != {"cases"} or type(outputs["cases"]) is not list:
        raise InvalidRecord("the outputs are neither cases nor 'not callable'")
    budget = [MAX_ITEMS]
    return lesson, check, {"cases": [valid_case(case, budget) for case in outputs["cases"]]}


def failure(summary, explanation=None):
    return {"summary": summary, "explanation": explanation or summary}


def judge(lesson, name, outputs):
    """None when every case matches the reference, else {"summary": one line, "explanation": text}.

    outputs is what the kernel recorded, already read by `read_record` (at grading) or made by
    grading.run in this process (a maintainer's session)."""
    check = lesson_checks(lesson)[name]
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
    named = mistakes.identify(lesson, name, cases, got, check)
    if named:
        lines.append(f"This is a classic mistake: {named}")
    lines.append(f"What {title} should do: {check.expect}")
    lines.append(
        "The hidden tests run your function on many random inputs (not the worked example) "
        "and compare it with a reference implementation."
    )
    return failure(summary, "\n".join(lines))
