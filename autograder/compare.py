"""How a recorded result differs from the reference's, in words (grader side; used by the judge and mistakes).

Both sides are plain values (autograder/records.py: `plain`) that the judge has already checked
against the record schema (autograder/records.py: `valid_value`). The comparison is strict on
structure (exactly the reference's keys, lengths and shapes) and lenient on classes and on the
order of float arithmetic (each check's rtol and atol, autograder/grading.py). A message names the
place that differs most (by the check's own names where it gives them: "layer 1 dW", "params['w2']").
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


def where(path) -> str:
    """The default words for a place in a result: ['w5'] for a dict's entry, item k for a sequence's."""
    return " ".join(f"[{step!r}]" if isinstance(step, str) else f"item {step}" for step in path)


def difference(got, expected, rtol: float, atol: float, name=None) -> str | None:
    """None when the plain value got matches expected, else a sentence that says how it differs.

    Structure comes first: a missing key, a wrong length or shape is reported before any number.
    Otherwise the place with the LARGEST relative difference is reported (not the first in order),
    named by name(path) when the check gives one (e.g. "layer 1 dW"), else by `where`."""
    found = []
    _walk(got, expected, rtol, atol, (), found)
    if not found:
        return None
    severity, path, text = max(found, key=lambda item: item[0])
    others = sum(1 for item in found if item[1] != path)
    if others and severity[0] == 0:  # "... (largest relative difference 3.3e-03; 10 other places differ too)"
        text = text[:-1] + f"; {others} other place{'s differ' if others != 1 else ' differs'} too)"
    place = (name(path) if name else None) or where(path)
    if not place:
        return text
    return f"{place}: {text}" if text.startswith(("returned", "the returned")) else f"{place} {text}"


def _walk(got, expected, rtol, atol, path, found):
    """Append (severity, path, words) for every place where got differs from expected."""
    if isinstance(expected, dict) and "__dict__" in expected:
        want = expected["__dict__"]
        if not (isinstance(got, dict) and "__dict__" in got):
            found.append(((2,), path, f"returned {describe(got)}; expected a dict with keys {', '.join(sorted(want))}"))
            return
        missing = sorted(set(want) - set(got["__dict__"]))
        if missing:
            found.append(((2,), path, f"the returned dict lacks the key(s) {', '.join(missing)}"))
            return
        extra = sorted(set(got["__dict__"]) - set(want))
        if extra:
            found.append(((2,), path, f"the returned dict has key(s) the exercise does not ask for: {', '.join(extra)}"))
            return
        for key in sorted(want):
            _walk(got["__dict__"][key], want[key], rtol, atol, path + (key,), found)
        return
    if isinstance(expected, list) and any(_is_container(e) for e in expected):
        if not isinstance(got, list) or len(got) != len(expected):
            found.append(((2,), path, f"returned {describe(got)}; expected a sequence of {len(expected)} items"))
            return
        for k, (g, e) in enumerate(zip(got, expected)):
            _walk(g, e, rtol, atol, path + (k,), found)
        return
    want = numbers(expected)
    have = numbers(got)
    if have is None:
        found.append(((2,), path, f"returned {describe(got)}; expected a number"
                      + ("" if want[0] == () else f" array of shape {want[0]}")))
        return
    if have[0] != want[0] or len(have[1]) != len(want[1]):
        found.append(((2,), path, f"returned shape {have[0]}; expected shape {want[0]}"))
        return
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
        found.append(((1,), path, "returned nan or inf where the reference is finite"))
    elif worst:
        found.append(((0, worst), path, f"differs from the reference (largest relative difference {worst:.1e})"))
