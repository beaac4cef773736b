"""The classic mistakes of this lesson: VARIANTS[function] lists (what the student did, in words;
a function with the reference's signature that makes that mistake). See autograder/mistakes.py.
"""
import numpy as np

from course.capstone.reference import (
    ACTIVATIONS,
    mlp_forward,
    mlp_hidden_delta,
    mlp_output_delta,
)
from course.linear_network.mistakes import SIGN, TRANSPOSED
from course.mazur_network.mistakes import NO_BIAS, NO_SLOPE
from course.steepest_descent.mistakes import ETA_TWICE, NO_ETA


def _slope(activation, slope):
    def df(out, net=None):
        if activation == "linear" or slope == "none":
            return np.ones_like(out)
        return out * (1 - out)
    return df


def _mlp_backward(sign=1.0, slope="out", bias="sum", mean=False):
    def variant(layers, X, T, activation="sigmoid"):
        outs = mlp_forward(layers, X, activation)
        df = _slope(activation, slope)
        delta = sign * (outs[-1] - np.atleast_2d(T)) * df(outs[-1])
        n = len(outs[0]) if mean else 1
        grads = []
        for k in range(len(layers) - 1, -1, -1):
            W, b = layers[k]
            grads.append(((delta.T @ outs[k]) / n, (delta.sum(axis=0) if bias == "sum" else np.zeros_like(b)) / n))
            if k:
                delta = (delta @ W) * df(outs[k])
        return grads[::-1]
    return variant


def _mlp_update(step=lambda eta, g: -eta * g, biases=True):
    def variant(layers, grads, eta):
        return [(W + step(eta, gW), b + step(eta, gb) if biases else b) for (W, b), (gW, gb) in zip(layers, grads)]
    return variant


VARIANTS = {
    "output_delta": [
        (SIGN, lambda out, T, a="sigmoid": -mlp_output_delta(out, T, a)),
        (NO_SLOPE, lambda out, T, a="sigmoid": np.asarray(out, dtype=float) - T),
    ],
    "hidden_delta": [
        (NO_SLOPE, lambda d, W, out, a="sigmoid": np.asarray(d) @ np.asarray(W)),
        (TRANSPOSED + " Here: delta_next @ W_next, W_next of shape (n_next, n_here).",
         lambda d, W, out, a="sigmoid": (np.asarray(d) @ np.asarray(W).T) * ACTIVATIONS[a][1](np.asarray(out))),
        (SIGN, lambda d, W, out, a="sigmoid": -mlp_hidden_delta(d, W, out, a)),
    ],
    "backward": [
        (SIGN, _mlp_backward(sign=-1.0)),
        (NO_SLOPE, _mlp_backward(slope="none")),
        (NO_BIAS, _mlp_backward(bias="zero")),
        ("the gradients are averaged over the batch: E sums over the samples, so its gradient is a sum too.",
         _mlp_backward(mean=True)),
    ],
    "update": [
        (SIGN, _mlp_update(step=lambda eta, g: eta * g)),
        (NO_ETA, _mlp_update(step=lambda eta, g: -g)),
        (ETA_TWICE, _mlp_update(step=lambda eta, g: -eta * eta * g)),
        ("the biases are not updated: every b takes a step b - eta · dE/db too.", _mlp_update(biases=False)),
    ],
}
