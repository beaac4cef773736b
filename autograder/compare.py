"""How a recorded result differs from the reference's, in words (grader side; used by the judge and mistakes).

Both sides are plain values (autograder/records.py: `plain`) that the judge has already checked
against the record schema (autograder/records.py: `valid_value`). The comparison is strict on
structure (exactly the reference's keys, lengths and shapes) and lenient on classes and on the
order of float arithmetic (each check's rtol and atol, autograder/grading.py).
"""
import math


def describe(value):
    """A short, value-free description of a plain value."""
    if isinstance(value, dict):
        if "__dict__" in value:
            return "a dict with keys " + ", ".join(sorted(value["__dict__"]))
        if "__array__" in value:
            return f"an array of shape {tuple(value['shape'])}"
        return f"a {value.get('__type__', 'value of an unknown kind')}"
    if isinstance(value, list):
        return f"a sequence of {len(value)} items"
    return "a number"


def numbers(value):
    """(shape, flat list of floats) of a plain value that np.asarray would read as numbers, else None."""
    if isinstance(value, float):
        return (), [value]
    if isinstance(value, dict):
        if "__array__" in value and len(value["__array__"]) == math.prod(value["shape"]):
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


def difference(got, expected, rtol: float, atol: float) -> str | None:
    """None when the plain value got matches expected, else a sentence that says how it differs."""
    if isinstance(expected, dict) and "__dict__" in expected:
        want = expected["__dict__"]
        if not (isinstance(got, dict) and "__dict__" in got):
            return f"returned {describe(got)}; expected a dict with keys {', '.join(sorted(want))}"
        missing = sorted(set(want) - set(got["__dict__"]))
        if missing:
            return f"the returned dict lacks the key(s) {', '.join(missing)}"
        extra = sorted(set(got["__dict__"]) - set(want))
        if extra:
            return f"the returned dict has key(s) the exercise does not ask for: {', '.join(extra)}"
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
    if have[0] != want[0] or len(have[1]) != len(want[1]):
        return f"returned shape {have[0]}; expected shape {want[0]}"
    worst, bad_finite = 0.0, False
    for h, w in zip(have[1], want[1], strict=True):
        if math.isnan(h) and math.isnan(w):
            continue
        if not (math.isfinite(h) or not math.isfinite(w)):
            bad_finite = True
            continue
        if h == w:
            continue
        if not math.isfinite(w) or abs(h - w) > atol + rtol * abs(w):
            worst = max(worst, abs(h - w) / max(abs(w), atol) if math.isfinite(w) else float("inf"))
    if bad_finite:
        return "returned nan or inf where the reference is finite"
    if worst:
        return f"differs from the reference (largest relative difference {worst:.1e})"
    return None
