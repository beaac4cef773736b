"""Reference of lesson 4, one sigmoid neuron (Ahmadi's lesson): inputs x1, x2, weights w1, w2, bias b,
desired output d; s = x1*w1 + x2*w2 + b, y = σ(s), E = 1/2 (d - y)^2.

Grader side only: a grading kernel never sees this module. The hidden checks (cases.py) name
these functions; the judge computes them on the same cases and compares.
"""
from course.chain_rule.reference import squared_error
from course.sigmoid.reference import sigmoid
from course.steepest_descent.reference import gradient_step


def neuron_forward(p, x1, x2):
    """s = x1*w1 + x2*w2 + b and the output y = σ(s); p holds w1, w2, b."""
    s = x1 * p["w1"] + x2 * p["w2"] + p["b"]
    return {"s": s, "y": sigmoid(s)}


def neuron_error(p, x1, x2, d):
    """E = 1/2 (d - y)^2 for one neuron."""
    return squared_error(d, neuron_forward(p, x1, x2)["y"])


def neuron_gradients(p, x1, x2, d):
    """dE/dw1, dE/dw2, dE/db by the chain rule: dE/dy * dy/ds * ds/dparam."""
    y = neuron_forward(p, x1, x2)["y"]
    delta = -(d - y) * y * (1.0 - y)
    return {"w1": delta * x1, "w2": delta * x2, "b": delta}


def neuron_update(p, x1, x2, d, eta):
    """One gradient-descent step on E = 1/2 (d - y)^2 of the single neuron: p - eta * dE/dp."""
    return gradient_step(p, neuron_gradients(p, x1, x2, d), eta)


def delta_rule_update(p, x1, x2, d, eta):
    """The update Ahmadi prints: W + eta (d - Y) X, with X = (x1, x2, +1).

    It omits σ'(s) = y (1 - y), so it is not a gradient step on E = 1/2 (d - y)^2.
    """
    y = neuron_forward(p, x1, x2)["y"]
    step = eta * (d - y)
    return {"w1": p["w1"] + step * x1, "w2": p["w2"] + step * x2, "b": p["b"] + step}
