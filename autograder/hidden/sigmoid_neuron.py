"""Hidden tests of lesson 4: one sigmoid neuron, its gradients and the two update rules.

Every check draws its own random neurons (weights, bias, inputs, desired output and
learning rate), so only a function that works for any neuron passes.
"""
import numpy as np

from autograder import reference as ref
from autograder.grading import check_function


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


def check_neuron_forward(neuron_forward):
    """neuron_forward(p, x1, x2) returns {"s": x1*w1 + x2*w2 + b, "y": σ(s)}."""
    check_function("neuron_forward", neuron_forward, ref.neuron_forward, cases(401, with_d=False))


def check_neuron_error(neuron_error):
    """neuron_error(p, x1, x2, d) returns 1/2 (d - y)^2."""
    check_function("neuron_error", neuron_error, ref.neuron_error, cases(402))


def check_neuron_gradients(neuron_gradients):
    """neuron_gradients(p, x1, x2, d) returns dE/dw1, dE/dw2, dE/db by the chain rule."""
    check_function("neuron_gradients", neuron_gradients, ref.neuron_gradients, cases(403))


def check_neuron_update(neuron_update):
    """neuron_update(p, x1, x2, d, eta) returns p - eta * dE/dp for every parameter."""
    check_function("neuron_update", neuron_update, ref.neuron_update, cases(404, with_eta=True))


def check_delta_rule_update(delta_rule_update):
    """delta_rule_update(p, x1, x2, d, eta) returns the source's rule W + eta (d - y) X, X = (x1, x2, +1)."""
    check_function("delta_rule_update", delta_rule_update, ref.delta_rule_update, cases(405, with_eta=True))
