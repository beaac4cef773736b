"""Reference of lesson 1, the sigmoid: σ(x) and its slope, the home of `sigmoid` for every later lesson.

Grader side only: a grading kernel never sees this module. The hidden checks (cases.py) name
these functions; the judge computes them on the same cases and compares.
"""
import numpy as np


def sigmoid(x):
    """The logistic function 1 / (1 + exp(-x)), elementwise, without overflow."""
    x = np.asarray(x, dtype=float)
    with np.errstate(under="ignore"):
        z = np.exp(-np.abs(x))
    out = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))
    return out[()] if out.ndim == 0 else out


def sigmoid_derivative(x):
    """dσ/dx at x, written through the sigmoid itself: σ(x) (1 - σ(x))."""
    s = sigmoid(x)
    return s * (1.0 - s)
