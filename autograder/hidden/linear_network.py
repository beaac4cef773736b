"""Hidden tests of lesson 5: the hmkcode linear 2-2-1 network, and its matrix form at any size.

Every check draws its own random weights, inputs, targets and learning rates, so only
a function that works for any network passes.
"""
import numpy as np

from autograder import reference as ref
from autograder.grading import check_function

NAMES = ("w1", "w2", "w3", "w4", "w5", "w6")


def cases(seed, with_target=True, with_eta=False, count=24):
    """count argument tuples (w, i1, i2[, target][, eta]): weights ~ N(0, 1), inputs in [-3, 3]."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        w = {name: float(v) for name, v in zip(NAMES, rng.standard_normal(6))}
        i1, i2 = (float(v) for v in rng.uniform(-3, 3, size=2))
        args = (w, i1, i2)
        if with_target:
            args += (float(rng.uniform(-2, 2)),)
        if with_eta:
            args += (float(rng.uniform(0.001, 0.2)),)
        out.append(args)
    return out


def matrix_cases(seed, count=24):
    """(W1, W2, x, target) with 1-4 inputs, 1-4 hidden and 1-3 outputs; half the
    one-output cases pass the target as a plain number, the rest as an array."""
    rng = np.random.default_rng(seed)
    out = [(np.array([[0.19, 0.41], [0.23, 0.14]]), np.array([[0.32, 0.78]]), np.array([2.0, 3.0]), 1.0)]
    for k in range(count - 1):
        n_in, n_hidden, n_out = (int(v) for v in rng.integers(1, [5, 5, 4]))
        if k < 10:
            n_out = 1
        W1 = rng.standard_normal((n_hidden, n_in))
        W2 = rng.standard_normal((n_out, n_hidden))
        x = rng.uniform(-3, 3, size=n_in)
        target = rng.uniform(-2, 2, size=n_out)
        out.append((W1, W2, x, float(target[0]) if n_out == 1 and k % 2 == 0 else target))
    return out


def check_linear_forward(linear_forward):
    """linear_forward(w, i1, i2) returns {"h1", "h2", "out"} with no activation."""
    check_function("linear_forward", linear_forward, ref.linear_forward, cases(501, with_target=False))


def check_linear_error(linear_error):
    """linear_error(w, i1, i2, target) returns 1/2 (out - target)^2."""
    check_function("linear_error", linear_error, ref.linear_error, cases(502))


def check_linear_gradients(linear_gradients):
    """linear_gradients(w, i1, i2, target) returns the six dE/dw1..dE/dw6."""
    check_function("linear_gradients", linear_gradients, ref.linear_gradients, cases(503))


def check_linear_update(linear_update):
    """linear_update(w, i1, i2, target, eta) returns w - eta * dE/dw, every gradient taken at the old w."""
    check_function("linear_update", linear_update, ref.linear_update, cases(504, with_eta=True))


def check_linear_gradients_matrix(linear_gradients_matrix):
    """linear_gradients_matrix(W1, W2, x, target) returns (dE/dW1, dE/dW2) with the shapes of W1, W2."""
    check_function(
        "linear_gradients_matrix", linear_gradients_matrix, ref.linear_gradients_matrix, matrix_cases(505)
    )
