"""Check your work: visible tests record whether they passed; report() sums them up.

Each visible test cell of a lesson wraps its asserts in ``with visible("name"):``.
A failing assert still fails the cell (so nbgrader sees it); the result is also kept
here so the last cell of the lesson can list what passed and what is left to do.
"""
from contextlib import contextmanager

_results = {}


@contextmanager
def visible(exercise):
    """Record whether the visible tests of one exercise pass, then re-raise any failure."""
    try:
        yield
    except BaseException as err:
        _results[exercise] = f"failed: {type(err).__name__}: {err}".strip().rstrip(":")
        raise
    _results[exercise] = "passed"


def report(points):
    """Print, for each exercise {name: points}, how its visible tests did."""
    lines = [f"{'exercise':<24}{'points':>6}   visible tests"]
    for exercise, worth in points.items():
        status = _results.get(exercise, "not run yet: run its test cell (or Run > Run All Cells)")
        lines.append(f"{exercise:<24}{worth:>6}   {status}")
    passed = sum(worth for name, worth in points.items() if _results.get(name) == "passed")
    lines.append("")
    lines.append(f"Visible tests pass for {passed} of {sum(points.values())} points.")
    lines.append(
        "Passing them is necessary, not sufficient: when your instructor grades the lesson, "
        "hidden tests run every function on many other inputs as well."
    )
    print("\n".join(lines))
