"""Reference of lesson 7, the capstone: any fully connected network as a list of layers (W, b), W of shape
(n_out, n_in), acting on a batch X of shape (n_samples, n_in); the home of the MLP for later lessons.

Grader side only: a grading kernel never sees this module. The hidden checks (cases.py) name
these functions; the judge computes them on the same cases and compares.
"""
import numpy as np

from course.chain_rule.reference import numerical_gradient, squared_error
from course.sigmoid.reference import sigmoid

ACTIVATIONS = {
    "sigmoid": (sigmoid, lambda out: out * (1.0 - out)),
    "linear": (lambda net: net, lambda out: np.ones_like(out)),
}


def mlp_forward(layers, X, activation="sigmoid"):
    """The outputs of every layer, input first: [X, out_1, ..., out_L]; X is (n, n_in)."""
    f, _ = ACTIVATIONS[activation]
    outs = [np.atleast_2d(np.asarray(X, dtype=float))]
    for W, b in layers:
        outs.append(f(outs[-1] @ W.T + b))
    return outs


def mlp_error(layers, X, T, activation="sigmoid"):
    """E = 1/2 * sum over samples and outputs of (T - out)^2."""
    return squared_error(T, mlp_forward(layers, X, activation)[-1])


def mlp_output_delta(out, T, activation="sigmoid"):
    """dE/dnet of the output layer: (out - T) times the activation's slope at out."""
    _, df = ACTIVATIONS[activation]
    out = np.asarray(out, dtype=float)
    return (out - np.asarray(T, dtype=float)) * df(out)


def mlp_hidden_delta(delta_next, W_next, out, activation="sigmoid"):
    """dE/dnet of a hidden layer: (delta_next @ W_next) times the slope at the layer's output out."""
    _, df = ACTIVATIONS[activation]
    out = np.asarray(out, dtype=float)
    return (np.asarray(delta_next, dtype=float) @ np.asarray(W_next, dtype=float)) * df(out)


def mlp_backward(layers, X, T, activation="sigmoid"):
    """[(dE/dW, dE/db) per layer] by backpropagation, summed over the batch."""
    _, df = ACTIVATIONS[activation]
    outs = mlp_forward(layers, X, activation)
    delta = (outs[-1] - np.atleast_2d(T)) * df(outs[-1])
    grads = []
    for k in range(len(layers) - 1, -1, -1):
        W, _ = layers[k]
        grads.append((delta.T @ outs[k], delta.sum(axis=0)))
        if k:
            delta = (delta @ W) * df(outs[k])
    return grads[::-1]


def mlp_update(layers, grads, eta):
    """One gradient step on every layer."""
    return [(W - eta * gW, b - eta * gb) for (W, b), (gW, gb) in zip(layers, grads)]


def mlp_numerical_gradient(error_fn, layers, h=1e-5):
    """Central differences of error_fn(layers), shaped like mlp_backward's [(dE/dW, dE/db) per layer]."""
    params = {f"{kind}{k}": array for k, layer in enumerate(layers) for kind, array in zip("Wb", layer)}

    def error_of(p):
        return error_fn([(p[f"W{k}"], p[f"b{k}"]) for k in range(len(layers))])

    grads = numerical_gradient(error_of, params, h)
    return [(grads[f"W{k}"], grads[f"b{k}"]) for k in range(len(layers))]


def gradient_relative_error(a, b):
    """|a - b| / (|a| + |b|) with Euclidean norms over all entries; 0.0 when both are zero."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)


def mlp_train(layers, X, T, eta, steps, activation="sigmoid"):
    """Full-batch gradient descent; returns the layers and the error before each step and at the end."""
    errors = [mlp_error(layers, X, T, activation)]
    for _ in range(steps):
        layers = mlp_update(layers, mlp_backward(layers, X, T, activation), eta)
        errors.append(mlp_error(layers, X, T, activation))
    return layers, errors


def random_layers(sizes, rng, scale=1.0):
    """Random layers for the given sizes, e.g. [2, 3, 1], with weights ~ N(0, scale^2)."""
    return [
        (scale * rng.standard_normal((n_out, n_in)), scale * rng.standard_normal(n_out))
        for n_in, n_out in zip(sizes[:-1], sizes[1:])
    ]
