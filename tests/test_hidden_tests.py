"""Every graded function of every lesson has hidden tests that accept correct work and reject mistakes.

For every hidden check called from a solution notebook: at least 20 random cases; the
reference passes (also with its float arithmetic perturbed at rounding level, as a different
but correct order of operations would); a relative error of 1e-4 fails; returning the first
case's answer for every case (hard-coding one example) fails.
"""
import copy
import importlib
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
from conftest import ASSIGNMENTS, notebook_path

import course
from autograder import grading, records, verdicts
from autograder.judge import hidden_checks


def graded_checks():
    """[(lesson, check)] called from the hidden regions of every solution notebook."""
    found = []
    for assignment in ASSIGNMENTS:
        nb = nbformat.read(notebook_path(assignment), as_version=4)
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade"):
                checks, _ = hidden_checks(cell.source)
                assert checks, f"{assignment}: {cell.metadata.nbgrader.grade_id} has no hidden check"
                found += checks
    return found


CHECKS = graded_checks()


def scale(value, factor):
    """value with every float multiplied by factor (dicts, sequences, arrays)."""
    if isinstance(value, dict):
        return {k: scale(v, factor) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(scale(v, factor) for v in value)
    if isinstance(value, np.ndarray):
        return value * factor
    if isinstance(value, (float, np.floating)):
        return float(value) * factor
    return value


def outputs(check, function):
    return {"cases": [grading.call(function, args) for args in check.cases()]}


def test_every_lesson_has_hidden_checks():
    """Every lesson folder of course/ is called from its notebook's hidden regions, and only those."""
    assert {lesson for lesson, _ in CHECKS} == set(course.lessons())
    assert sorted(course.assignment(lesson) for lesson in course.lessons()) == ASSIGNMENTS


@pytest.mark.parametrize("lesson, name", CHECKS, ids=[f"{lesson}.{n}" for lesson, n in CHECKS])
def test_hidden_check(lesson, name):
    check = course.checks(lesson)[name]
    cases = check.cases()
    assert len(cases) >= 20, f"{lesson}.{name} has {len(cases)} hidden cases"
    assert repr(cases[0]) != repr(cases[1]), "cases are random, not one example repeated"
    assert records.plain(check.cases()[3]) == records.plain(cases[3]), "cases are deterministic"
    reference = check.reference_function()
    assert verdicts.judge(lesson, name, outputs(check, reference)) is None
    # a correct implementation with another order of float arithmetic differs at rounding level
    rounded = lambda *args: scale(reference(*args), 1 + 3e-15)  # noqa: E731
    assert verdicts.judge(lesson, name, outputs(check, rounded)) is None
    # a real mistake (1e-4 relative) fails
    off = lambda *args: scale(reference(*args), 1 + 1e-4)  # noqa: E731
    assert verdicts.judge(lesson, name, outputs(check, off)), "a 1e-4 relative error passes"
    # hard-coding one answer fails
    first = reference(*copy.deepcopy(cases[0]))
    assert verdicts.judge(lesson, name, outputs(check, lambda *args: copy.deepcopy(first))), "a constant answer passes"


def test_random_sizes_where_the_function_allows():
    capstone = importlib.import_module("course.capstone.cases")
    shapes = {tuple(W.shape for W, _ in layers) for layers, *_ in capstone.backward_cases(704)}
    assert len(shapes) >= 15
    linear = importlib.import_module("course.linear_network.cases")
    assert len({(W1.shape, W2.shape) for W1, W2, *_ in linear.matrix_cases(505)}) >= 8
    mazur = importlib.import_module("course.mazur_network.cases")
    etas = {round(args[2], 6) for args in mazur.update_cases()}
    assert len(etas) >= 20, "random learning rates"


def test_hidden_modules_never_import_the_reference():
    """In the grading kernel only case generators are loaded; the reference stays in the judge."""
    for path in sorted((Path(course.__file__).parent).glob("*/cases.py")):
        text = path.read_text()
        assert not re.search(r"^\s*(from|import)\s+(course\.\w+\.(reference|mistakes|samples)|course\.\w+ import (reference|mistakes)|autograder\.(verdicts|mistakes|judge))",
                             text, re.M), path
