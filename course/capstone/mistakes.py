"""The classic mistakes of this lesson: VARIANTS[function] lists (what the student did, in words;
a function with the reference's signature that makes that mistake). See autograder/mistakes.py.
"""
import numpy as np

from course.capstone.reference import (
    ACTIVATIONS,
    mlp_backward,
    mlp_error,
    mlp_forward,
    mlp_hidden_delta,
    mlp_output_delta,
    mlp_update,
)
from course.linear_network.mistakes import SIGN, TRANSPOSED
from course.mazur_network.mistakes import NO_BIAS, NO_SLOPE, SLOPE_OF_NET, SLOPE_OF_OUT, UPDATE_FIRST
from course.sigmoid.reference import sigmoid
from course.steepest_descent.mistakes import ETA_TWICE, NO_ETA

ONE_OUTPUT = ("a hidden layer's error is taken from the first neuron above it only: every neuron of the next layer "
              "sends its delta back through its weight, so the error is delta_next @ W_next, all columns of delta_next.")
HIDDEN_NO_SLOPE = ("σ' is missing in the hidden layers: each hidden delta is (delta_next @ W_next) times the slope at "
                   "that layer's output, out (1 - out) for the sigmoid.")
TRANSPOSED_DW = ("dW is transposed: dE/dW = delta.T @ out_prev has W's shape (n_out, n_in); "
                 "out_prev.T @ delta is its transpose.")


def _slope(activation, slope):
    """The activation's slope, written from (out, net), with one mistake switched on."""
    def df(out, net):
        if activation == "linear" or slope == "none":
            return np.ones_like(out)
        if slope == "net":  # the out (1 - out) form applied to the net input
            return net * (1 - net)
        if slope == "sig_out":  # σ' of the output: sigmoid_derivative(out)
            return sigmoid(out) * (1 - sigmoid(out))
        return out * (1 - out)
    return df


def _mlp_backward(sign=1.0, slope="out", bias="sum", mean=False, hidden_slope=None, transposed=False, hidden="all"):
    """backward with one mistake switched on: hidden_slope a slope mistake in the hidden layers only, transposed
    dW stored as out_prev.T @ delta, hidden="first" each hidden layer hearing only the first neuron above it."""
    def variant(layers, X, T, activation="sigmoid"):
        _, nets = _forward_with_nets(layers, X, activation)
        outs = mlp_forward(layers, X, activation)
        df, df_hidden = _slope(activation, slope), _slope(activation, hidden_slope or slope)
        delta = sign * (outs[-1] - np.atleast_2d(T)) * df(outs[-1], nets[-1])
        n = len(outs[0]) if mean else 1
        grads = []
        for k in range(len(layers) - 1, -1, -1):
            W, b = layers[k]
            dW = (outs[k].T @ delta) if transposed else (delta.T @ outs[k])
            grads.append((dW / n, (delta.sum(axis=0) if bias == "sum" else np.zeros_like(b)) / n))
            if k:
                back = delta[:, :1] @ W[:1] if hidden == "first" else delta @ W
                delta = back * df_hidden(outs[k], nets[k - 1])
        return grads[::-1]
    return variant


def _forward_with_nets(layers, X, activation):
    """[X, out_1, ...] and [net_1, ..., net_L] of the reference's forward pass."""
    f, _ = ACTIVATIONS[activation]
    outs, nets = [np.atleast_2d(np.asarray(X, dtype=float))], []
    for W, b in layers:
        nets.append(outs[-1] @ W.T + b)
        outs.append(f(nets[-1]))
    return outs, nets


def _mlp_train(update_first=False):
    """update_first: each step updates with the gradients of the step before (zeros at the first step), then
    backpropagates at the new layers."""
    def variant(layers, X, T, eta, steps, activation="sigmoid"):
        errors = [mlp_error(layers, X, T, activation)]
        grads = [(np.zeros_like(W), np.zeros_like(b)) for W, b in layers]
        for _ in range(steps):
            if update_first:
                layers = mlp_update(layers, grads, eta)
                grads = mlp_backward(layers, X, T, activation)
            else:
                layers = mlp_update(layers, mlp_backward(layers, X, T, activation), eta)
            errors.append(mlp_error(layers, X, T, activation))
        return layers, errors
    return variant


def _mlp_update(step=lambda eta, g: -eta * g, biases=True):
    def variant(layers, grads, eta):
        return [(W + step(eta, gW), b + step(eta, gb) if biases else b) for (W, b), (gW, gb) in zip(layers, grads)]
    return variant


def _of_out(slope):
    """hidden_delta or output_delta taking σ' of the OUTPUT (sigmoid_derivative(out))."""
    def df(out, activation):
        return np.ones_like(out) if activation == "linear" else slope(out)
    return df


VARIANTS = {
    "output_delta": [
        (SIGN, lambda out, T, a="sigmoid": -mlp_output_delta(out, T, a)),
        (NO_SLOPE, lambda out, T, a="sigmoid": np.asarray(out, dtype=float) - T),
        (SLOPE_OF_OUT, lambda out, T, a="sigmoid": (np.asarray(out, dtype=float) - T)
         * _of_out(lambda o: sigmoid(o) * (1 - sigmoid(o)))(np.asarray(out, dtype=float), a)),
    ],
    "hidden_delta": [
        (NO_SLOPE, lambda d, W, out, a="sigmoid": np.asarray(d) @ np.asarray(W)),
        (TRANSPOSED + " Here: delta_next @ W_next, W_next of shape (n_next, n_here).",
         lambda d, W, out, a="sigmoid": (np.asarray(d) @ np.asarray(W).T) * ACTIVATIONS[a][1](np.asarray(out))),
        (SIGN, lambda d, W, out, a="sigmoid": -mlp_hidden_delta(d, W, out, a)),
        (ONE_OUTPUT, lambda d, W, out, a="sigmoid": (np.asarray(d)[:, :1] @ np.asarray(W)[:1])
         * ACTIVATIONS[a][1](np.asarray(out))),
        (SLOPE_OF_OUT, lambda d, W, out, a="sigmoid": (np.asarray(d) @ np.asarray(W))
         * _of_out(lambda o: sigmoid(o) * (1 - sigmoid(o)))(np.asarray(out, dtype=float), a)),
    ],
    "backward": [
        (SIGN, _mlp_backward(sign=-1.0)),
        (NO_SLOPE, _mlp_backward(slope="none")),
        (HIDDEN_NO_SLOPE, _mlp_backward(hidden_slope="none")),
        (SLOPE_OF_NET, _mlp_backward(slope="net")),
        (SLOPE_OF_NET + " (in the hidden layers)", _mlp_backward(hidden_slope="net")),
        (SLOPE_OF_OUT, _mlp_backward(slope="sig_out")),
        (SLOPE_OF_OUT + " (in the hidden layers)", _mlp_backward(hidden_slope="sig_out")),
        (TRANSPOSED_DW, _mlp_backward(transposed=True)),
        (ONE_OUTPUT, _mlp_backward(hidden="first")),
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
    "train": [
        (UPDATE_FIRST, _mlp_train(update_first=True)),
    ],
}
