"""Reference of lesson 9 (losses and layers), top to bottom in lesson order (grader side only).

Every loss of this lesson is the MEAN over the batch (one sample per row) of a per-sample loss
summed over the outputs; for one sample (the Mazur network) that is lesson 6's sum. The network
code is lesson 7's (a list of layers (W, b), W of shape (n_out, n_in), a batch X of shape
(n_samples, n_in)), with one activation per layer.
"""
import numpy as np

from course.capstone.reference import ACTIVATIONS as CAPSTONE_ACTIVATIONS

EPS = 1e-7  # outputs are clipped to [EPS, 1 - EPS] before a log (as Keras does): log 0 never happens

# --------------------------------------------------------------- 1. sigmoid with binary cross-entropy


def bce_loss(out, T):
    """Binary cross-entropy, mean over the batch: -(1/n) sum [t ln out + (1 - t) ln(1 - out)], out clipped."""
    out = np.clip(np.atleast_2d(np.asarray(out, dtype=float)), EPS, 1.0 - EPS)
    T = np.atleast_2d(np.asarray(T, dtype=float))
    return float(-np.sum(T * np.log(out) + (1.0 - T) * np.log(1.0 - out)) / len(out))


def bce_output_delta(out, T):
    """dE/dnet of sigmoid outputs under the mean binary cross-entropy: (out - T) / n (σ' cancels)."""
    out = np.atleast_2d(np.asarray(out, dtype=float))
    return (out - np.asarray(T, dtype=float)) / len(out)


# ------------------------------------------------------------- 2. softmax with cross-entropy


def softmax(net):
    """Row-wise softmax exp(net - max) / sum exp(net - max): one sample per row, never overflowing."""
    net = np.atleast_2d(np.asarray(net, dtype=float))
    z = np.exp(net - net.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def log_softmax(net):
    """Row-wise log softmax by log-sum-exp: net - max - ln sum exp(net - max)."""
    net = np.atleast_2d(np.asarray(net, dtype=float))
    shifted = net - net.max(axis=1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))


def softmax_cross_entropy(net, T):
    """Cross-entropy of softmax(net) against target rows T, mean over the batch, by log-sum-exp."""
    logp = log_softmax(net)
    return float(-np.sum(np.asarray(T, dtype=float) * logp) / len(logp))


def softmax_backward(p, grad):
    """dE/dnet from dE/dp through p = softmax(net), row by row: p * (grad - sum_j grad_j p_j)."""
    p, grad = np.atleast_2d(np.asarray(p, dtype=float)), np.atleast_2d(np.asarray(grad, dtype=float))
    return p * (grad - np.sum(grad * p, axis=1, keepdims=True))


def softmax_ce_delta(net, T):
    """dE/dnet of the mean softmax cross-entropy (target rows summing to 1): (softmax(net) - T) / n."""
    p = softmax(net)
    return (p - np.asarray(T, dtype=float)) / len(p)


# ----------------------------------------------- 3. an activation per layer, and initialisation

# name -> the activation as a function of net (lesson 7's sigmoid and linear, with tanh, ReLU and softmax)
ACTIVATIONS = {
    "sigmoid": CAPSTONE_ACTIVATIONS["sigmoid"][0],
    "linear": CAPSTONE_ACTIVATIONS["linear"][0],
    "tanh": np.tanh,
    "relu": lambda net: np.maximum(net, 0.0),
    "softmax": softmax,
}


def activation_slope(net, out, activation):
    """dout/dnet, elementwise, of a layer with net input net and output out = f(net); ReLU's slope at 0 is 0."""
    net, out = np.asarray(net, dtype=float), np.asarray(out, dtype=float)
    if activation == "sigmoid":
        return out * (1.0 - out)
    if activation == "tanh":
        return 1.0 - out**2
    if activation == "relu":
        return (net > 0).astype(float)
    if activation == "linear":
        return np.ones_like(net)
    raise ValueError(f"no slope for {activation!r}")


def init_std(n_in, n_out, scheme):
    """The standard deviation of a layer's initial weights: Xavier sqrt(2 / (n_in + n_out)), He sqrt(2 / n_in)."""
    if scheme == "xavier":
        return float(np.sqrt(2.0 / (n_in + n_out)))
    if scheme == "he":
        return float(np.sqrt(2.0 / n_in))
    raise ValueError(f"no initialisation {scheme!r}")


def init_layers(sizes, rng, scheme):
    """Layers for sizes such as [2, 4, 1]: weights N(0, init_std^2) drawn layer by layer, zero biases."""
    return [(init_std(n_in, n_out, scheme) * rng.standard_normal((n_out, n_in)), np.zeros(n_out))
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def layers_forward(layers, X, activations):
    """[X, out_1, ..., out_L] with layer k's own activation activations[k-1]."""
    outs = [np.atleast_2d(np.asarray(X, dtype=float))]
    for (W, b), activation in zip(layers, activations):
        outs.append(ACTIVATIONS[activation](outs[-1] @ W.T + b))
    return outs


def layers_loss(layers, X, T, activations, loss):
    """The mean loss of the batch: "squared" (1/2 sum (out - t)^2 per sample), "bce" or "softmax_ce"."""
    outs = layers_forward(layers, X, activations)
    if loss == "softmax_ce":
        W, b = layers[-1]
        return softmax_cross_entropy(outs[-2] @ W.T + b, T)
    if loss == "bce":
        return bce_loss(outs[-1], T)
    return 0.5 * float(np.sum((outs[-1] - np.asarray(T, dtype=float)) ** 2)) / len(outs[-1])


def output_delta(net, out, T, activation, loss):
    """dE/dnet of the output layer for each loss (bce needs a sigmoid output, softmax_ce a softmax one)."""
    if loss == "softmax_ce":
        return softmax_ce_delta(net, T)
    if loss == "bce":
        return bce_output_delta(out, T)
    return (out - np.asarray(T, dtype=float)) / len(out) * activation_slope(net, out, activation)


def layers_backward(layers, X, T, activations, loss):
    """[(dE/dW, dE/db) per layer] of the mean loss, every layer with its own activation's slope."""
    outs = layers_forward(layers, X, activations)
    nets = [outs[k] @ W.T + b for k, (W, b) in enumerate(layers)]
    delta = output_delta(nets[-1], outs[-1], T, activations[-1], loss)
    grads = []
    for k in range(len(layers) - 1, -1, -1):
        grads.append((delta.T @ outs[k], delta.sum(axis=0)))
        if k:
            delta = (delta @ layers[k][0]) * activation_slope(nets[k - 1], outs[k], activations[k - 1])
    return grads[::-1]

