"""Reference of lesson 2, the chain rule (Pahwa's slides): central differences, the squared error
E = 1/2 * sum((target - out)**2) every later lesson uses, and the two-output network x -> h -> o1, o2.

Grader side only: a grading kernel never sees this module. The hidden checks (cases.py) name
these functions; the judge computes them on the same cases and compares.
"""
import numpy as np

from course.sigmoid.reference import sigmoid, sigmoid_derivative


def squared_error(target, out):
    """E = 1/2 * sum((target - out)**2) over all outputs (and samples)."""
    diff = np.asarray(target, dtype=float) - np.asarray(out, dtype=float)
    return 0.5 * float(np.sum(diff**2))


def numerical_derivative(f, x, h=1e-5):
    """Central difference (f(x + h) - f(x - h)) / 2h of a scalar function."""
    return (f(x + h) - f(x - h)) / (2.0 * h)


def numerical_gradient(f, params, h=1e-5):
    """Central-difference gradient of scalar f(params) for a dict of floats or arrays."""
    grads = {}
    for name, value in params.items():
        value = np.array(value, dtype=float)
        grad = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            shifted = dict(params)
            for sign in (+1, -1):
                bumped = value.copy()
                bumped[index] += sign * h
                shifted[name] = bumped if bumped.ndim else float(bumped)
                grad[index] += sign * f(shifted) / (2.0 * h)
        grads[name] = grad if grad.ndim else float(grad)
    return grads


def chain_derivative(f_prime, g_prime, g, x):
    """d/dx f(g(x)) = f'(g(x)) * g'(x): the outer slope is taken at the inner value."""
    return f_prime(g(x)) * g_prime(x)


def neuron_output_derivatives(w, b, x):
    """dy/dw and dy/db of one neuron y = σ(s), s = w*x + b: σ'(s) * x and σ'(s)."""
    slope = sigmoid_derivative(w * x + b)
    return {"w": slope * x, "b": slope}


def two_output_forward(w, v1, v2, x):
    """A hidden neuron h = σ(w*x) feeding two linear outputs o1 = v1*h and o2 = v2*h."""
    h = sigmoid(w * x)
    return {"h": h, "o1": v1 * h, "o2": v2 * h}


def two_output_error(w, v1, v2, x, t1, t2):
    """E = 1/2 (t1 - o1)^2 + 1/2 (t2 - o2)^2 of the two-output graph."""
    f = two_output_forward(w, v1, v2, x)
    return squared_error([t1, t2], [f["o1"], f["o2"]])


def hidden_weight_gradient(w, v1, v2, x, t1, t2):
    """dE/dw: the paths through o1 and o2 add at h, then times dh/dw = σ'(w*x) * x."""
    f = two_output_forward(w, v1, v2, x)
    dE_dh = (f["o1"] - t1) * v1 + (f["o2"] - t2) * v2
    return dE_dh * f["h"] * (1.0 - f["h"]) * x
