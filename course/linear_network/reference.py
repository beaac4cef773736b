"""Reference of lesson 5, the hmkcode linear 2-2-1 network: weights w1..w6, inputs i1, i2,
h1 = i1*w1 + i2*w2, h2 = i1*w3 + i2*w4, out = h1*w5 + h2*w6.

Grader side only: a grading kernel never sees this module. The hidden checks (cases.py) name
these functions; the judge computes them on the same cases and compares.
"""
import numpy as np

from course.chain_rule.reference import squared_error
from course.steepest_descent.reference import gradient_step


def linear_forward(w, i1, i2):
    """Hidden values h1, h2 and the prediction out; no activation anywhere."""
    h1 = i1 * w["w1"] + i2 * w["w2"]
    h2 = i1 * w["w3"] + i2 * w["w4"]
    return {"h1": h1, "h2": h2, "out": h1 * w["w5"] + h2 * w["w6"]}


def linear_error(w, i1, i2, target):
    """E = 1/2 (target - out)^2."""
    return squared_error(target, linear_forward(w, i1, i2)["out"])


def linear_gradients(w, i1, i2, target):
    """The six dE/dw in closed form; delta = out - target."""
    f = linear_forward(w, i1, i2)
    delta = f["out"] - target
    return {
        "w1": delta * w["w5"] * i1,
        "w2": delta * w["w5"] * i2,
        "w3": delta * w["w6"] * i1,
        "w4": delta * w["w6"] * i2,
        "w5": delta * f["h1"],
        "w6": delta * f["h2"],
    }


def linear_update(w, i1, i2, target, eta):
    """One gradient-descent step of the linear 2-2-1 network; all six gradients use the old weights."""
    return gradient_step(w, linear_gradients(w, i1, i2, target), eta)


def linear_gradients_matrix(W1, W2, x, target):
    """Matrix form for one sample: (dE/dW1, dE/dW2) = ((W2^T delta) x^T, delta h^T)."""
    x = np.asarray(x, dtype=float)
    h = W1 @ x
    delta = W2 @ h - target
    return np.outer(W2.T @ delta, x), np.outer(delta, h)
