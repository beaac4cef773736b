"""Hidden tests of lesson 5: the hmkcode linear 2-2-1 network, and its matrix form at any size.

Every check draws its own random weights, inputs, targets and learning rates, so only
a function that works for any network passes.
"""
import numpy as np

from autograder.grading import Check, define_checks, keys

LESSON = "linear_network"

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


CHECKS = {
    "linear_forward": Check("linear_forward", lambda: cases(501, with_target=False),
                            "return {\"h1\": i1·w1 + i2·w2, \"h2\": i1·w3 + i2·w4, \"out\": h1·w5 + h2·w6}, "
                            "with no activation, for any weights and inputs."),
    "linear_error": Check("linear_error", lambda: cases(502), "return E = 1/2 (out - target)² of the forward pass."),
    "linear_gradients_output": Check("linear_gradients", lambda: cases(503),
                                     "return dE/dw5 = delta · h1 and dE/dw6 = delta · h2, with delta = out - target.",
                                     function="linear_gradients", part=keys("w5", "w6"),
                                     label="output-layer weights w5, w6"),
    "linear_gradients_hidden": Check("linear_gradients", lambda: cases(503),
                                     "return dE/dw1..dE/dw4 by the chain rule through the output weight of the hidden "
                                     "neuron: dE/dw1 = delta · w5 · i1, dE/dw3 = delta · w6 · i1, and so on.",
                                     function="linear_gradients", part=keys("w1", "w2", "w3", "w4"),
                                     label="hidden-layer weights w1..w4"),
    "linear_update": Check("linear_update", lambda: cases(504, with_eta=True),
                           "return a new dict with every weight w - eta · dE/dw, all six gradients taken at the old weights.",
                           unchanged=(0,), mutated_message="it changed the dict w it was given; return a new dict instead"),
    "linear_gradients_matrix": Check("linear_gradients_matrix", lambda: matrix_cases(505),
                                     "return (dE/dW1, dE/dW2) with the shapes of W1 and W2 for any number of "
                                     "inputs, hidden neurons and outputs: dE/dW2 = delta hᵀ, dE/dW1 = (W2ᵀ delta) xᵀ."),
}


define_checks(globals())
