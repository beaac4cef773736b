"""The classic mistakes of lesson 9, as variants of the reference, so feedback can name the one a student made.

VARIANTS[function] lists (what the student did, in words; a function with the reference's signature
that makes that mistake). Only the judge imports this module.
"""
import numpy as np

from course.losses import reference as ref

SUM_NOT_MEAN = ("the batch is summed, not averaged: this lesson's losses are the MEAN over the n samples, "
                "so the loss and every delta carry a factor 1/n.")
LOG_ZERO = ("log 0: a saturated sigmoid output is exactly 0.0 or 1.0 in floating point, and ln 0 = -inf; "
            "clip out to [EPS, 1 - EPS] before taking the log.")
KEPT_SLOPE = ("the squared error's delta is used: with cross-entropy the slope out (1 - out) cancels, "
              "and dE/dnet = (out - T) / n.")
DIAGONAL = ("the coupling between the outputs is left out: p_i depends on EVERY net_j "
            "(dp_i/dnet_j = p_i (δ_ij - p_j)), not only on net_i (the diagonal p_i (1 - p_i)).")
SIGN = "the sign is flipped: the cross-entropy is -Σ t ln p, a positive number."


def _rows(x):
    return np.atleast_2d(np.asarray(x, dtype=float))


def _bce(clip=True, mean=True):
    def variant(out, T):
        out, T = _rows(out), _rows(T)
        if clip:
            out = np.clip(out, ref.EPS, 1.0 - ref.EPS)
        total = -np.sum(T * np.log(out) + (1.0 - T) * np.log(1.0 - out))
        return float(total / len(out) if mean else total)
    return variant


def _softmax_cross_entropy(stable=True, mean=True):
    def variant(net, T):
        logp = ref.log_softmax(net) if stable else np.log(ref.softmax(net))
        total = -np.sum(_rows(T) * logp)
        return float(total / len(logp) if mean else total)
    return variant


def _softmax_ce_delta(diagonal=False, mean=True):
    def variant(net, T):
        p, T = ref.softmax(net), _rows(T)
        delta = -T * (1.0 - p) if diagonal else p - T  # diagonal: p (1 - p) times dE/dp = -t / p
        return delta / len(p) if mean else delta
    return variant


def _slope(relu=None, tanh=None, sigmoid=None):
    """activation_slope with one activation's slope replaced."""
    def variant(net, out, activation):
        net, out = np.asarray(net, dtype=float), np.asarray(out, dtype=float)
        replaced = {"relu": relu, "tanh": tanh, "sigmoid": sigmoid}.get(activation)
        return replaced(net, out) if replaced else ref.activation_slope(net, out, activation)
    return variant


def _backward(delta_fn=None, hidden_activation=None):
    """layers_backward with the output delta or the hidden layers' activation replaced."""
    def variant(layers, X, T, activations, loss):
        outs = ref.layers_forward(layers, X, activations)
        nets = [outs[k] @ W.T + b for k, (W, b) in enumerate(layers)]
        delta = (delta_fn or ref.output_delta)(nets[-1], outs[-1], T, activations[-1], loss)
        grads = []
        for k in range(len(layers) - 1, -1, -1):
            grads.append((delta.T @ outs[k], delta.sum(axis=0)))
            if k:
                name = hidden_activation(activations, k) if hidden_activation else activations[k - 1]
                delta = (delta @ layers[k][0]) * ref.activation_slope(nets[k - 1], outs[k], name)
        return grads[::-1]
    return variant


def _layer_above(activations, k):
    """The activation of the layer above layer k (its own where that is the softmax, which has no slope here)."""
    return activations[k] if activations[k] != "softmax" else activations[k - 1]


def _summed_delta(net, out, T, activation, loss):
    return ref.output_delta(net, out, T, activation, loss) * len(out)


def _squared_delta_for_every_loss(net, out, T, activation, loss):
    """The squared error's delta (with the output's slope; softmax's diagonal p (1 - p))."""
    slope = out * (1.0 - out) if activation in ("sigmoid", "softmax") else ref.activation_slope(net, out, activation)
    return (out - np.asarray(T, dtype=float)) / len(out) * slope


def _diagonal_softmax_delta(net, out, T, activation, loss):
    if loss == "softmax_ce":
        return _softmax_ce_delta(diagonal=True)(net, T)
    return ref.output_delta(net, out, T, activation, loss)


VARIANTS = {
    "bce_loss": [
        (LOG_ZERO, _bce(clip=False)),
        (SUM_NOT_MEAN, _bce(mean=False)),
        (SIGN, lambda out, T: -_bce()(out, T)),
    ],
    "bce_output_delta": [
        (KEPT_SLOPE, lambda out, T: (_rows(out) - T) * _rows(out) * (1.0 - _rows(out)) / len(_rows(out))),
        (SUM_NOT_MEAN, lambda out, T: _rows(out) - T),
        ("the sign is flipped: dE/dnet = (out - T) / n, so a step w - eta · dE/dw moves out towards T.",
         lambda out, T: (T - _rows(out)) / len(_rows(out))),
    ],
    "softmax": [
        ("the largest net input is not subtracted first: exp(net) overflows to inf for net above about 709, "
         "and inf / inf is nan; exp(net - max) / Σ exp(net - max) is the same softmax and never overflows.",
         lambda net: np.exp(_rows(net)) / np.exp(_rows(net)).sum(axis=1, keepdims=True)),
        ("the softmax is taken down the columns (over the batch): each ROW is one sample, normalise along axis=1.",
         lambda net: np.exp(_rows(net) - _rows(net).max(axis=0)) / np.exp(_rows(net) - _rows(net).max(axis=0)).sum(axis=0)),
    ],
    "softmax_cross_entropy": [
        ("log 0: the log of a softmax that has underflowed to 0 is -inf; take log softmax by log-sum-exp, "
         "net - max - ln Σ exp(net - max), which is finite for every net input.", _softmax_cross_entropy(stable=False)),
        (SUM_NOT_MEAN, _softmax_cross_entropy(mean=False)),
        (SIGN, lambda net, T: -_softmax_cross_entropy()(net, T)),
    ],
    "softmax_backward": [
        (DIAGONAL, lambda p, grad: _rows(p) * (1.0 - _rows(p)) * _rows(grad)),
        ("the Jacobian is applied transposed or without p: dE/dnet_i = p_i (grad_i - Σ_j grad_j p_j).",
         lambda p, grad: _rows(grad) - np.sum(_rows(grad) * _rows(p), axis=1, keepdims=True)),
    ],
    "softmax_ce_delta": [
        (DIAGONAL + " With the cross-entropy the coupled terms add up to p - T.", _softmax_ce_delta(diagonal=True)),
        (SUM_NOT_MEAN, _softmax_ce_delta(mean=False)),
    ],
    "activation_slope": [
        ("ReLU's slope at net = 0 is taken as 1 (net >= 0): this lesson, like lesson 7, takes the slope 0 there "
         "(1 only where net > 0).", _slope(relu=lambda net, out: (net >= 0).astype(float))),
        ("ReLU's slope is taken as the sign of net: ReLU is flat where net < 0 (slope 0), not falling (slope -1).",
         _slope(relu=lambda net, out: np.sign(net))),
        ("ReLU's slope is taken as its output: the slope of max(0, net) is 1 or 0, not the value max(0, net).",
         _slope(relu=lambda net, out: out)),
        ("tanh's slope is taken of the output, 1 - tanh(out)²: written through the output it is 1 - out², "
         "since out = tanh(net) already.", _slope(tanh=lambda net, out: 1.0 - np.tanh(out) ** 2)),
        ("the sigmoid's slope is taken of the output, σ(out)(1 - σ(out)): the slope is out (1 - out), "
         "the output has already been through the sigmoid.",
         _slope(sigmoid=lambda net, out: ref.ACTIVATIONS["sigmoid"](out) * (1.0 - ref.ACTIVATIONS["sigmoid"](out)))),
    ],
    "init_std": [
        ("the variance is returned, not the standard deviation: Xavier's variance is 2 / (n_in + n_out) and "
         "He's 2 / n_in; the standard deviation is their square root.",
         lambda n_in, n_out, scheme: ref.init_std(n_in, n_out, scheme) ** 2),
        ("Xavier and He are swapped: Xavier (for tanh and the sigmoid) averages fan-in and fan-out, "
         "sqrt(2 / (n_in + n_out)); He (for ReLU) is sqrt(2 / n_in).",
         lambda n_in, n_out, scheme: ref.init_std(n_in, n_out, {"xavier": "he", "he": "xavier"}.get(scheme, scheme))),
    ],
    "forward": [
        ("every layer uses the first activation: layer k uses its own, activations[k-1].",
         lambda layers, X, activations: ref.layers_forward(layers, X, [activations[0]] * len(activations))),
        ("every layer uses the last activation: layer k uses its own, activations[k-1].",
         lambda layers, X, activations: ref.layers_forward(layers, X, [activations[-1]] * len(activations))),
    ],
    "backward": [
        (SUM_NOT_MEAN, _backward(delta_fn=_summed_delta)),
        (KEPT_SLOPE, _backward(delta_fn=_squared_delta_for_every_loss)),
        (DIAGONAL, _backward(delta_fn=_diagonal_softmax_delta)),
        ("a hidden layer's delta uses the slope of the layer above's activation: layer k's delta takes "
         "layer k's own activation, activations[k-1].", _backward(hidden_activation=_layer_above)),
    ],
}
