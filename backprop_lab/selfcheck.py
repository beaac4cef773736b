"""Check your work: visible tests record whether they passed; report() runs them all and sums up.

Each visible test cell of a lesson wraps its asserts in ``with visible("name"):``.
A failing assert still fails the cell (so nbgrader sees it); the result is also kept
here, with the code of the block, so the last cell of the lesson can run every visible
test again and list what passed, what failed and what is left to do.
"""
import ast
import os
import sys
import textwrap
from contextlib import contextmanager
from pathlib import Path

_results = {}
_blocks = {}  # exercise -> source of its `with visible(...)` block, as last run
_failure_hooks = []  # see on_visible_failure


def _block_source(frame):
    """The dedented body of the `with visible(...)` statement running in frame (None if unknown)."""
    import linecache

    lines = linecache.getlines(frame.f_code.co_filename)
    if not lines:
        return None
    try:
        tree = ast.parse("".join(lines))
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.With) and node.lineno <= frame.f_lineno <= node.end_lineno:
            for item in node.items:
                call = item.context_expr
                if isinstance(call, ast.Call) and getattr(call.func, "id", None) == "visible":
                    body = lines[node.body[0].lineno - 1:node.end_lineno]
                    return textwrap.dedent("".join(body))
    return None


def on_visible_failure(hook):
    """Call hook(exercise, the notebook's globals) whenever the visible tests of an exercise fail.

    The grader registers one in its grading kernel (autograder/grading.py), so its feedback can still
    name the mistake of a function whose visible tests failed; this module never looks for the grader."""
    _failure_hooks.append(hook)


def unwritten_function(err):
    """The name of the function that raised err: the innermost frame of its traceback."""
    tb = err.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    name = tb.tb_frame.f_code.co_name if tb is not None else ""
    return name if name.isidentifier() else None


def not_written_message(exercise, err):
    """Plain words for a visible test that stopped because a function is not written yet."""
    name = unwritten_function(err)
    where = (f"{name}() is not written yet: it still raises NotImplementedError. Write it in the cell above "
             f"that defines {name}(...), in place of the line `raise NotImplementedError()` under "
             "YOUR CODE HERE, run that cell, then run this test cell again."
             if name else "a function these tests call is not written yet (it raises NotImplementedError): "
             "write it where its cell says YOUR CODE HERE, run that cell, then run this test cell again.")
    return f"Not written yet ({exercise}): {where}"


@contextmanager
def visible(exercise):
    """Record whether the visible tests of one exercise pass, then re-raise any failure."""
    frame = sys._getframe(2)
    source = _block_source(frame)
    if source:
        _blocks[exercise] = (source, frame.f_globals)
    try:
        yield
    except BaseException as err:
        if isinstance(err, NotImplementedError):
            print(not_written_message(exercise, err), flush=True)
        _results[exercise] = f"failed: {type(err).__name__}: {err}".strip().rstrip(":")
        if isinstance(err, Exception):  # not after a timeout's interrupt, nor sys.exit
            for hook in _failure_hooks:
                hook(exercise, frame.f_globals)
        raise
    _results[exercise] = "passed"


def _notebook_blocks(names):
    """{exercise: source} of the visible blocks in the notebook of the current folder (if there is one)."""
    candidates = [Path(p) for p in (os.environ.get("JPY_SESSION_NAME", ""),) if p.endswith(".ipynb")]
    candidates += sorted(Path.cwd().glob("*.ipynb"))
    for path in candidates:
        try:
            import nbformat

            nb = nbformat.read(str(path), as_version=4)
        except Exception:  # noqa: BLE001 - not readable: fall back to what ran
            continue
        found = {}
        for cell in nb.cells:
            if cell.cell_type != "code" or "visible(" not in cell.source:
                continue
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                continue
            lines = cell.source.splitlines(keepends=True)
            for node in tree.body:
                if isinstance(node, ast.With):
                    for item in node.items:
                        call = item.context_expr
                        if (isinstance(call, ast.Call) and getattr(call.func, "id", None) == "visible"
                                and call.args and isinstance(call.args[0], ast.Constant)):
                            found[call.args[0].value] = textwrap.dedent("".join(lines[node.body[0].lineno - 1:node.end_lineno]))
        if set(names) <= set(found):
            return found
    return {}


def _rerun(exercise, source, namespace):
    """Run one visible block again in the notebook's namespace; its status."""
    try:
        exec(compile(source, f"<visible tests of {exercise}>", "exec"), namespace)  # noqa: S102
    except NotImplementedError:
        return "failed: not written yet (NotImplementedError)"
    except Exception as err:  # noqa: BLE001 - report every kind of failure
        return f"failed: {type(err).__name__}: {err}".strip().rstrip(":")
    return "passed"


def report(points):
    """Run the visible tests of every exercise {name: points} again and print how they did.

    The tests of a cell you have run are run again as they are now; those of cells you have not
    run yet are read from this notebook's file (if it is in the current folder) and run too.
    """
    namespace = sys._getframe(1).f_globals
    missing = [name for name in points if name not in _blocks]
    from_file = _notebook_blocks(missing) if missing else {}
    for exercise in points:
        source = _blocks[exercise][0] if exercise in _blocks else from_file.get(exercise)
        if source:
            _results[exercise] = _rerun(exercise, source, namespace)
    width = max(len("exercise"), *map(len, points)) + 2
    lines = [f"{'exercise':<{width}}{'points':>6}   visible tests"]
    for exercise, worth in points.items():
        status = _results.get(exercise, "not run yet: run its test cell (or Run > Run All Cells)")
        lines.append(f"{exercise:<{width}}{worth:>6}   {status}")
    passed = sum(worth for name, worth in points.items() if _results.get(name) == "passed")
    lines.append("")
    lines.append(f"Visible tests pass for {passed} of {sum(points.values())} points.")
    lines.append(
        "Passing them is necessary, not sufficient: when your instructor grades the lesson, "
        "hidden tests run every function on many other inputs as well."
    )
    print("\n".join(lines))
