"""Hidden tests of lesson 4: one sigmoid neuron, its gradients and the two update rules.

Every check draws its own random neurons (weights, bias, inputs, desired output and
learning rate), so only a function that works for any neuron passes.
"""
import numpy as np

from autograder.grading import Check, define_checks, keys

LESSON = "sigmoid_neuron"


def random_neuron(rng):
    """Parameters w1, w2, b and inputs x1, x2 in [-2, 2], a desired output d in [0, 1]."""
    p = {name: float(rng.uniform(-2, 2)) for name in ("w1", "w2", "b")}
    x1, x2 = (float(v) for v in rng.uniform(-2, 2, size=2))
    return p, x1, x2, float(rng.uniform(0, 1))


def cases(seed, with_d=True, with_eta=False, count=24):
    """count argument tuples (p, x1, x2[, d][, eta]); eta is drawn from [0.001, 2]."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        p, x1, x2, d = random_neuron(rng)
        args = (p, x1, x2) + ((d,) if with_d else ())
        if with_eta:
            args += (float(rng.uniform(0.001, 2.0)),)
        out.append(args)
    return out


CHECKS = {
    "neuron_forward": Check("neuron_forward", lambda: cases(401, with_d=False),
                 "return {\"s\": x1·w1 + x2·w2 + b, \"y\": σ(s)} for any parameters and inputs."),
    "neuron_error": Check("neuron_error", lambda: cases(402),
                 "return E = 1/2 (d - y)² for the neuron's output y.", uses=("neuron_forward",)),
    "neuron_gradients_weights": Check("neuron_gradients", lambda: cases(403),
                 "return dE/dw1 and dE/dw2 by the chain rule: delta · x1 and delta · x2, with delta = (y - d) · y (1 - y).",
                 function="neuron_gradients", part=keys("w1", "w2"), label="weights w1, w2", uses=("neuron_forward",)),
    "neuron_gradients_bias": Check("neuron_gradients", lambda: cases(403),
                 "return dE/db = delta = (y - d) · y (1 - y): the bias multiplies the constant input 1.",
                 function="neuron_gradients", part=keys("b"), label="bias b", uses=("neuron_forward",)),
    "neuron_update": Check("neuron_update", lambda: cases(404, with_eta=True),
                 "return a new dict with every parameter p - eta · dE/dp.", uses=("neuron_gradients",),
                 unchanged=(0,), mutated_message="it changed the dict p it was given; return a new dict instead"),
    "delta_rule_update": Check("delta_rule_update", lambda: cases(405, with_eta=True),
                 "return the source's rule W + eta (d - y) X with X = (x1, x2, +1), as a new dict.", uses=("neuron_forward",),
                 unchanged=(0,), mutated_message="it changed the dict p it was given; return a new dict instead"),
}


define_checks(globals())
