"""Hidden tests of lesson 9 (losses and layers), on random batches and random networks.

Every check draws at least 20 deterministic random cases. The losses see saturated outputs (exactly
0 or 1) and net inputs in the hundreds, where an unclipped log or a softmax without its max
overflows; the slopes see net inputs that are exactly 0; the networks have random depth, sizes and
an activation per layer, batches of 1 to 6, and all three losses.
"""
import numpy as np

from autograder.grading import Check, define_checks, items
from course.capstone.cases import random_layers

LESSON = "losses"

COUNT = 24
HIDDEN = ("sigmoid", "tanh", "relu", "linear")


def _shape(rng, max_rows=6, min_cols=1, max_cols=5):
    return int(rng.integers(1, max_rows + 1)), int(rng.integers(min_cols, max_cols + 1))


def _probability_rows(rng, n, m, one_hot):
    """n target rows over m classes that sum to 1: one-hot labels, or soft targets."""
    if one_hot:
        return np.eye(m)[rng.integers(0, m, size=n)]
    raw = rng.random((n, m))
    return raw / raw.sum(axis=1, keepdims=True)


def bce_cases():
    rng = np.random.default_rng(901)
    cases = []
    for k in range(COUNT):
        n, m = _shape(rng)
        out = rng.uniform(0.001, 0.999, size=(n, m))
        if k % 3 == 0:  # saturated sigmoid outputs: exactly 0 or 1 in floating point
            out.flat[rng.integers(0, out.size)] = float(k % 2)
            out.flat[rng.integers(0, out.size)] = 1.0 - float(k % 2)
        T = rng.integers(0, 2, size=(n, m)).astype(float) if k % 2 else rng.random((n, m))
        cases.append((out, T))
    return cases


def bce_delta_cases():
    rng = np.random.default_rng(902)
    cases = []
    for _ in range(COUNT):
        n, m = _shape(rng)
        cases.append((rng.uniform(0.01, 0.99, size=(n, m)), rng.random((n, m))))
    return cases


def _nets(rng, n, m, k):
    """Net inputs of n samples over m classes; every third case near +800 or -800, where exp overflows
    to inf or underflows to 0 for every entry, and the rest spread by 200 (ln of a softmax underflows)."""
    if k % 3:
        return 3.0 * rng.standard_normal((n, m))
    return (800.0 if k % 2 == 0 else -800.0) + 200.0 * rng.standard_normal((n, m))


def softmax_cases():
    rng = np.random.default_rng(903)
    cases = []
    for k in range(COUNT):
        n, m = _shape(rng, min_cols=2)
        if k % 4 == 1:
            n = m  # square batches too, where normalising the columns still runs
        cases.append((_nets(rng, n, m, k),))
    return cases


def softmax_ce_cases(seed=904):
    rng = np.random.default_rng(seed)
    cases = []
    for k in range(COUNT):
        n, m = _shape(rng, min_cols=2)
        cases.append((_nets(rng, n, m, k), _probability_rows(rng, n, m, one_hot=k % 2 == 0)))
    return cases


def _softmax_rows(net):
    z = np.exp(net - net.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def softmax_backward_cases():
    rng = np.random.default_rng(905)
    cases = []
    for _ in range(COUNT):
        n, m = _shape(rng, min_cols=2)
        cases.append((_softmax_rows(2.0 * rng.standard_normal((n, m))), rng.standard_normal((n, m))))
    return cases


FUNCTIONS = {"sigmoid": lambda net: 1.0 / (1.0 + np.exp(-net)), "tanh": np.tanh,
             "relu": lambda net: np.maximum(net, 0.0), "linear": lambda net: net}


def slope_cases():
    rng = np.random.default_rng(906)
    cases = []
    for k in range(COUNT):
        activation = HIDDEN[k % 4]
        net = 2.0 * rng.standard_normal(_shape(rng))
        if k % 2 == 0:  # net inputs exactly at ReLU's kink
            net.flat[rng.integers(0, net.size, size=2)] = 0.0
        cases.append((net, FUNCTIONS[activation](net), activation))
    return cases


def init_std_cases():
    rng = np.random.default_rng(907)
    return [(int(rng.integers(1, 300)), int(rng.integers(1, 300)), ("xavier", "he")[k % 2]) for k in range(COUNT)]


LOSSES = (("squared", None), ("bce", "sigmoid"), ("softmax_ce", "softmax"))


def network_cases(seed, count=COUNT):
    """(layers, X, T, activations, loss): random depth and sizes, an activation per layer, every loss."""
    rng = np.random.default_rng(seed)
    cases = []
    for k in range(count):
        loss, last = LOSSES[k % 3]
        depth = int(rng.integers(1, 5))
        sizes = [int(s) for s in rng.integers(1, 6, size=depth + 1)]
        if loss == "softmax_ce":
            sizes[-1] = max(sizes[-1], 2)
        layers = random_layers(sizes, rng, float(rng.uniform(0.3, 1.2)))
        activations = [HIDDEN[int(i)] for i in rng.integers(0, 4, size=depth)]
        activations[-1] = last or activations[-1]
        n = int(rng.integers(1, 7))
        X = rng.standard_normal((n, sizes[0]))
        T = _probability_rows(rng, n, sizes[-1], one_hot=k % 2 == 0) if loss == "softmax_ce" else rng.random((n, sizes[-1]))
        cases.append((layers, X, T, activations, loss))
    return cases


def forward_cases():
    return [(layers, X, activations) for layers, X, _, activations, _ in network_cases(908)]


BACKWARD_USES = ("forward", "activation_slope", "bce_output_delta", "softmax_ce_delta")

CHECKS = {
    "bce_loss": Check("bce_loss", bce_cases,
                      "return -(1/n) Σ [t ln out + (1 - t) ln(1 - out)] over the n rows and every output, with out "
                      "clipped to [EPS, 1 - EPS] first (saturated outputs are exactly 0 or 1)."),
    "bce_output_delta": Check("bce_output_delta", bce_delta_cases,
                              "return (out - T) / n: the mean cross-entropy's dE/dnet of sigmoid outputs, "
                              "where the slope out (1 - out) cancels."),
    "softmax": Check("softmax", softmax_cases,
                     "return each row's exp(net - max) / Σ exp(net - max) (one sample per row, net inputs up to "
                     "several hundred)."),
    "softmax_cross_entropy": Check("softmax_cross_entropy", softmax_ce_cases,
                                   "return -(1/n) Σ t · log softmax(net), with log softmax = net - max - "
                                   "ln Σ exp(net - max) (log-sum-exp), for one-hot and soft targets."),
    "softmax_backward": Check("softmax_backward", softmax_backward_cases,
                              "return dE/dnet = p ⊙ (grad - Σ_j grad_j p_j) row by row: every output of a "
                              "softmax depends on every net input."),
    "softmax_ce_delta": Check("softmax_ce_delta", lambda: softmax_ce_cases(909),
                              "return (softmax(net) - T) / n for target rows that sum to 1.", uses=("softmax",)),
    "activation_slope": Check("activation_slope", slope_cases,
                              "return dout/dnet elementwise: out (1 - out) for the sigmoid, 1 - out² for tanh, "
                              "1 where net > 0 and 0 elsewhere (also at net = 0) for ReLU, 1 for linear."),
    "init_std": Check("init_std", init_std_cases,
                      "return sqrt(2 / (n_in + n_out)) for Xavier and sqrt(2 / n_in) for He (a standard "
                      "deviation, not a variance)."),
    "forward": Check("layers_forward", forward_cases,
                     "return [X, out_1, ..., out_L], layer k computing ACTIVATIONS[activations[k-1]](out_prev @ W.T + b).",
                     function="forward"),
    "backward_output": Check("layers_backward", lambda: network_cases(910),
                             "the last layer's dE/dW = delta_L.T @ out_prev, delta_L = (out - T) / n for bce and "
                             "softmax_ce, (out - T) / n ⊙ slope for squared.",
                             function="backward", part=items(lambda grads: [grads[-1][0]]),
                             label="output-layer weights", uses=BACKWARD_USES),
    "backward_hidden": Check("layers_backward", lambda: network_cases(910),
                             "every earlier layer's dE/dW = delta.T @ out_prev, delta = (delta_next @ W_next) ⊙ the "
                             "slope of that layer's OWN activation.",
                             function="backward", part=items(lambda grads: [dW for dW, _ in grads[:-1]]),
                             label="hidden-layer weights", uses=BACKWARD_USES),
    "backward_biases": Check("layers_backward", lambda: network_cases(910),
                             "every layer's dE/db = its delta summed over the batch (the 1/n is already in delta).",
                             function="backward", part=items(lambda grads: [db for _, db in grads]),
                             label="biases", uses=BACKWARD_USES),
}


define_checks(globals())
