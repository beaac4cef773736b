"""Test cells do not share mutable state: no graded function's visible test can change a global a later cell reads.

Every solution notebook is executed with one change: while a graded test cell runs, every graded
function (the functions of the solution cells) is replaced by a version that computes the right
answer and then changes every argument it was given in place (each number in a dict or list, each
array) — what a student's function that edits its inputs does. After the cell, every global that
existed before it and is still the same object must hold the same value; otherwise a later cell
(another exercise's test, the explorer, the lesson's own prose) would read a value that the student's
mistake changed, and correct work below could lose its points.
"""
import ast
import json
import re

import nbformat
import pytest
from conftest import ASSIGNMENTS, notebook_path
from nbclient import NotebookClient

SETUP = r'''
import copy as _copy
import numpy as _np


def _scramble(value, depth=0):
    """Change value in place: +1 on every number of a dict or list, and on every writeable float array."""
    if depth > 6:
        return
    if isinstance(value, _np.ndarray):
        if value.dtype.kind == "f" and value.flags.writeable:
            value += 1.0
    elif isinstance(value, dict):
        for key in list(value):
            item = value[key]
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                value[key] = item + 1.0
            else:
                _scramble(item, depth + 1)
    elif isinstance(value, list):
        for k, item in enumerate(value):
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                value[k] = item + 1.0
            else:
                _scramble(item, depth + 1)
    elif isinstance(value, tuple):
        for item in value:
            _scramble(item, depth + 1)


def _mutating(function):
    """function's answer, from private copies of its arguments; then every argument it was given is changed."""
    def wrapper(*args, **kwargs):
        result = function(*_copy.deepcopy(args), **_copy.deepcopy(kwargs))
        for argument in (*args, *kwargs.values()):
            _scramble(argument)
        return result
    wrapper.__name__ = function.__name__
    return wrapper


def _same(a, b):
    if isinstance(a, _np.ndarray) or isinstance(b, _np.ndarray):
        return isinstance(a, _np.ndarray) and isinstance(b, _np.ndarray) and a.shape == b.shape and bool(
            _np.array_equal(a, b, equal_nan=a.dtype.kind == "f" and b.dtype.kind == "f"))
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b or (a != a and b != b)


def _data(value, depth=0):
    """Whether value is data a test could change (numbers, arrays, dicts, lists, tuples of them)."""
    if depth > 6:
        return False
    if isinstance(value, _np.ndarray):
        return True
    if isinstance(value, dict):
        return all(_data(v, depth + 1) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(_data(v, depth + 1) for v in value)
    return isinstance(value, (int, float, str, bool, type(None)))


_CHANGED = []
'''

BEFORE = r'''
_BEFORE = {_k: (_v, _copy.deepcopy(_v)) for _k, _v in list(globals().items())
           if not _k.startswith("_") and _k not in ("In", "Out") and isinstance(_v, (dict, list, tuple, _np.ndarray)) and _data(_v)}
_ORIGINAL = {_k: globals()[_k] for _k in NAMES if _k in globals()}
globals().update({_k: _mutating(_v) for _k, _v in _ORIGINAL.items() if callable(_v)})
'''

AFTER = r'''
globals().update(_ORIGINAL)
_CHANGED += [(CELL, _k) for _k, (_v, _copy_v) in _BEFORE.items() if globals().get(_k) is _v and not _same(_v, _copy_v)]
'''

REPORT = 'import json as _json\nprint("__CHANGED__" + _json.dumps(sorted(set(map(tuple, _CHANGED)))))'


def graded_functions(nb):
    """The names of the functions the solution cells define (what students write)."""
    names = []
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution"):
            source = re.sub(r"^\s*### (BEGIN|END) SOLUTION\s*$", "", cell.source, flags=re.M)
            names += [node.name for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)]
    return names


def changed_globals(path):
    """[(test cell, global)] that a test cell changed in place when the graded functions change their inputs."""
    nb = nbformat.read(path, as_version=4)
    names = graded_functions(nb)
    assert names, f"{path}: no graded functions found"
    cells = [nbformat.v4.new_code_cell(SETUP)]
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        test = cell.cell_type == "code" and meta.get("grade") and not meta.get("solution")
        if test:
            cells.append(nbformat.v4.new_code_cell(BEFORE.replace("NAMES", repr(names))))
        cells.append(cell)
        if test:
            cells.append(nbformat.v4.new_code_cell(AFTER.replace("CELL", repr(meta["grade_id"]))))
    cells.append(nbformat.v4.new_code_cell(REPORT))
    nb.cells = cells
    client = NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("output_type") == "stream")
    assert "__CHANGED__" in text, f"{path}: the notebook did not run to its end"
    return [tuple(item) for item in json.loads(text.split("__CHANGED__", 1)[1])]


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_test_cell_lets_a_function_change_a_global(assignment):
    changed = changed_globals(notebook_path(assignment))
    assert not changed, (f"{assignment}: these test cells pass globals to the student's functions, which may change "
                         f"them in place for every later cell; give the functions copies (copy.deepcopy): {changed}")


def test_the_wrapper_changes_what_it_is_given():
    """The check can fail: the wrapped function returns the right answer and changes its arguments."""
    namespace = {}
    exec(SETUP, namespace)
    p, arrays = {"w1": 0.5}, [(namespace["_np"].zeros(2), namespace["_np"].ones(1))]
    wrapped = namespace["_mutating"](lambda p, layers: p["w1"] * 2)
    assert wrapped(p, arrays) == 1.0
    assert p == {"w1": 1.5} and arrays[0][0].tolist() == [1.0, 1.0] and arrays[0][1].tolist() == [2.0]
    assert not namespace["_same"]({"w1": 0.5}, p) and namespace["_same"](arrays, _copy_of(arrays))


def _copy_of(value):
    import copy

    return copy.deepcopy(value)
