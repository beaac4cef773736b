"""Reference of lesson 3, steepest descent (Pahwa's slides): the steepest move, the bowl, descent steps,
and `gradient_step` (p - eta * dE/dp for a dict of parameters) that lessons 4 to 6 use.

Grader side only: a grading kernel never sees this module. The hidden checks (cases.py) name
these functions; the judge computes them on the same cases and compares.
"""
import numpy as np


def steepest_move(gradient, distance):
    """The move of the given length along the gradient: distance * g / |g| (steepest ascent)."""
    g = np.asarray(gradient, dtype=float)
    return distance * g / np.linalg.norm(g)


def revenue_slope(x, pay_east, pay_north, max_miles):
    """dr/dx of r(x) = pay_east*x + pay_north*sqrt(max_miles^2 - x^2), the full distance driven."""
    return pay_east - pay_north * x / np.sqrt(max_miles**2 - x**2)


def bowl_error(w, a, b):
    """The elongated bowl E(w1, w2) = 1/2 (a w1^2 + b w2^2)."""
    return 0.5 * (a * w[0] ** 2 + b * w[1] ** 2)


def bowl_gradient(w, a, b):
    """(dE/dw1, dE/dw2) = (a w1, b w2) of the bowl, as an array."""
    return np.array([a * w[0], b * w[1]], dtype=float)


def descent_step(w, grad, eta):
    """One step downhill on an array of parameters: w - eta * grad (a new array)."""
    return np.asarray(w, dtype=float) - eta * np.asarray(grad, dtype=float)


def gradient_descent(gradient, w0, eta, steps):
    """The path [w0, w1, ..., w_steps] as an array of shape (steps + 1, len(w0))."""
    w = np.asarray(w0, dtype=float)
    path = [w]
    for _ in range(steps):
        w = descent_step(w, gradient(w), eta)
        path.append(w)
    return np.array(path)


def gradient_step(params, grads, eta):
    """One step of steepest descent: every parameter p becomes p - eta * dE/dp."""
    return {name: params[name] - eta * grads[name] for name in params}
