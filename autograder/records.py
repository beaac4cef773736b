"""The record of a hidden check: what a grading kernel writes and what the grader accepts.

The kernel (autograder/grading.py: `run`) turns what a student's function returned into plain
data (`plain`) and displays it as one output of mime type BLOB_MIME. The grader reads it back
with `read_record`, which accepts only this exact schema and size; anything else raises
InvalidRecord, and its check scores 0 with a plain message:

    {"lesson": str, "check": str, "outputs": OUTPUTS}            at most GradingSettings.record_kb of JSON
    OUTPUTS = {"not_callable": str} | {"cases": [CASE, ...]}      one CASE per hidden case (the judge counts them)
    CASE    = {"not_written": true} | {"error": str} | {"result": VALUE, "after": [VALUE, ...]}
    VALUE   = number | [VALUE, ...] | {"__dict__": {str: VALUE}} | {"__type__": str}
            | {"__array__": [number, ...], "shape": [int, ...]}   with exactly prod(shape) numbers

Both sides import this module, and nothing else of autograder: a record is plain data, never code.
"""
import builtins as _builtins
import json
import math

import numpy as np

# Pristine builtins: an honest submission that rebinds builtins (abs, isinstance) for its own reasons
# does not change what is recorded. (A hostile one can change anything in the kernel: nothing is decided there.)
globals().update({k: v for k, v in vars(_builtins).items() if not k.startswith("_")})
_ndarray, _asarray = np.ndarray, np.asarray
_bool_, _integer, _floating = np.bool_, np.integer, np.floating

BLOB_MIME = "application/x-backprop-lab-hidden+json"  # the kernel's record of a hidden check, for the judge
JUDGE_ENV = "BACKPROP_JUDGE"  # set in a grading kernel: record, do not judge

# ------------------------------------------------------------------ written by the kernel

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



# ------------------------------------------------------------------ read by the grader

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


def read_record(text: str, limit_kb: int) -> tuple[str, str, dict]:
    """(lesson, check, outputs) of a record's JSON text of at most limit_kb; raises InvalidRecord for anything else."""
    if not isinstance(text, str) or len(text.encode("utf-8", "replace")) > limit_kb * 1000:
        raise InvalidRecord(f"the record is larger than {limit_kb} kB")
    try:
        record = json.loads(text)
    except RecursionError as error:  # deeper than any result: refused like any other bad record, not a crash
        raise InvalidRecord("a result is too large or too deeply nested") from error
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
