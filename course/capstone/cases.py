"""Hidden tests of lesson 7 (the capstone): backprop for any network, on random networks.

Every check draws at least 20 networks of random depth and layer sizes, random weights,
batches and targets, so a function that only knows the worked examples (or that drops
σ', transposes a weight matrix or forgets the bias gradients) fails.
"""
import numpy as np

from autograder.grading import Check, define_checks, items, layer_names

LESSON = "capstone"

COUNT = 24


def random_layers(sizes, rng, scale=1.0):
    """Random layers for the given sizes, e.g. [2, 3, 1], with weights ~ N(0, scale^2)."""
    return [
        (scale * rng.standard_normal((n_out, n_in)), scale * rng.standard_normal(n_out))
        for n_in, n_out in zip(sizes[:-1], sizes[1:])
    ]


def random_network(rng, activation="sigmoid", max_layers=4, max_width=5, max_batch=6):
    """(layers, X, T) for a random fully connected network and batch."""
    depth = int(rng.integers(1, max_layers + 1))
    sizes = [int(s) for s in rng.integers(1, max_width + 1, size=depth + 1)]
    scale = float(rng.uniform(0.3, 1.5)) if activation == "sigmoid" else float(rng.uniform(0.2, 0.7))
    layers = random_layers(sizes, rng, scale)
    n = int(rng.integers(1, max_batch + 1))
    X = rng.standard_normal((n, sizes[0]))
    T = rng.random((n, sizes[-1]))
    return layers, X, T


def activation_of(number):
    """Most cases use the sigmoid; every fourth uses the linear activation."""
    return "linear" if number % 4 == 3 else "sigmoid"


def forward_cases(seed, count=COUNT):
    rng = np.random.default_rng(seed)
    cases = []
    for k in range(count):
        layers, X, _ = random_network(rng, activation_of(k))
        cases.append((layers, X, activation_of(k)))
    return cases


def backward_cases(seed, count=COUNT, min_layers=1):
    rng = np.random.default_rng(seed)
    cases = []
    while len(cases) < count:
        activation = activation_of(len(cases))
        layers, X, T = random_network(rng, activation)
        if len(layers) >= min_layers:
            cases.append((layers, X, T, activation))
    return cases


def output_delta_cases():
    rng = np.random.default_rng(702)
    cases = []
    for k in range(COUNT):
        n, m = (int(v) for v in rng.integers(1, 6, size=2))
        out = rng.uniform(0.01, 0.99, size=(n, m)) if activation_of(k) == "sigmoid" else rng.normal(size=(n, m))
        cases.append((out, rng.random((n, m)), activation_of(k)))
    return cases


def hidden_delta_cases():
    rng = np.random.default_rng(703)
    cases = []
    for k in range(COUNT):
        n, n_next, n_here = (int(v) for v in rng.integers(1, 6, size=3))
        if k % 3 == 0:
            n_next = n_here  # square weight matrices too, where a transpose still runs
        out = rng.uniform(0.01, 0.99, size=(n, n_here)) if activation_of(k) == "sigmoid" else rng.normal(size=(n, n_here))
        cases.append((rng.normal(size=(n, n_next)), rng.normal(size=(n_next, n_here)), out, activation_of(k)))
    return cases


def update_cases():
    rng = np.random.default_rng(705)
    cases = []
    for _ in range(COUNT):
        layers, _, _ = random_network(rng)
        grads = [(rng.normal(size=W.shape), rng.normal(size=b.shape)) for W, b in layers]
        cases.append((layers, grads, float(rng.uniform(0.01, 2.0))))
    return cases


def smooth_error(layers, coefficients):
    """A random smooth scalar function of every weight and bias (numerical_gradient works for any error_fn)."""
    total = 0.0
    for (W, b), (a, c) in zip(layers, coefficients):
        total += float(np.sum(np.sin(a * W) + 0.5 * (c * W) ** 2) + np.sum(np.cos(a * b) * c))
    return total


def numerical_gradient_cases():
    rng = np.random.default_rng(706)
    cases = []
    for k, (layers, _, _, _) in enumerate(backward_cases(707)):
        h = (1e-2, 1e-4, 1e-5)[k % 3]
        coefficients = [tuple(float(v) for v in rng.uniform(0.3, 1.5, size=2)) for _ in layers]

        def error_fn(net, coefficients=coefficients):
            return smooth_error(net, coefficients)

        cases.append((error_fn, layers, h))
    order = rng.permutation(len(cases))
    return [cases[i] for i in order]


def relative_error_cases():
    rng = np.random.default_rng(708)
    cases = [(np.zeros((2, 3)), np.zeros((2, 3)))]
    for k in range(COUNT - 1):
        shape = tuple(int(s) for s in rng.integers(1, 5, size=rng.integers(1, 3)))
        a = rng.normal(size=shape)
        b = a + rng.normal(size=shape) * 10.0 ** -float(rng.integers(0, 9)) if k % 2 else rng.normal(size=shape)
        cases.append((a, b))
    return cases


def train_cases():
    rng = np.random.default_rng(709)
    cases = []
    for layers, X, T, activation in backward_cases(710):
        eta = float(rng.uniform(0.1, 2.0)) if activation == "sigmoid" else float(rng.uniform(0.005, 0.05))
        cases.append((layers, X, T, eta, int(rng.integers(1, 11)), activation))
    return cases


def forward_names(path):
    """Words for a place in forward's [X, out_1, ..., out_L]."""
    if path and isinstance(path[0], int):
        return "the input X (returned first)" if path[0] == 0 else f"out_{path[0]} (layer {path[0]}'s output)"
    return None


CHECKS = {
    "forward": Check("mlp_forward", lambda: forward_cases(701),
                     "return [X, out_1, ..., out_L]: each layer computes activation(out_prev @ W.T + b), for any depth and sizes.", names=forward_names),
    "output_delta": Check("mlp_output_delta", output_delta_cases,
                          "return (out - T) times the activation's slope at out (out (1 - out) for the sigmoid, 1 for linear)."),
    "hidden_delta": Check("mlp_hidden_delta", hidden_delta_cases,
                          "return (delta_next @ W_next) times the activation's slope at this layer's output out."),
    "backward_output": Check("mlp_backward", lambda: backward_cases(704),
                             "the last layer's dE/dW = delta_out.T @ out_prev, with delta_out = (out - T) times the "
                             "activation's slope at out, shaped like that layer's W.",
                             function="backward", part=items(lambda grads: [grads[-1][0]]),
                             label="output-layer weights", uses=("forward", "output_delta", "hidden_delta"), names=lambda path: "the output layer's dW"),
    "backward_hidden": Check("mlp_backward", lambda: backward_cases(704),
                             "every earlier layer's dE/dW = delta.T @ out_prev, where delta = (delta_next @ W_next) "
                             "times the slope at this layer's output, for any depth and sizes.",
                             function="backward", part=items(lambda grads: [dW for dW, _ in grads[:-1]]),
                             label="hidden-layer weights", uses=("forward", "output_delta", "hidden_delta"), names=layer_names("dW")),
    "backward_biases": Check("mlp_backward", lambda: backward_cases(704),
                             "every layer's dE/db = its delta summed over the batch (one entry per neuron).",
                             function="backward", part=items(lambda grads: [db for _, db in grads]),
                             label="biases", uses=("forward", "output_delta", "hidden_delta"), names=layer_names("db")),
    "update": Check("mlp_update", update_cases,
                    "return new layers [(W - eta · dW, b - eta · db)], leaving the given layers unchanged.",
                    unchanged=(0,), mutated_message="it changed the layers it was given; return new arrays "
                    "(W - eta * dW) instead of changing W in place", names=layer_names("W", "b")),
    # central differences with the same h agree to rounding; a one-sided difference is off by O(h),
    # and one that ignores h is off by O(h^2) where h = 1e-2
    "numerical_gradient": Check("mlp_numerical_gradient", numerical_gradient_cases,
                                "return central differences (E(p + h) - E(p - h)) / 2h for every weight and bias, "
                                "shaped like backward's result, with the h given.", rtol=1e-5, atol=1e-8, names=layer_names("dW", "db"),
                                unchanged=(1,), mutated_message="it changed the layers it was given; put every entry "
                                "back after nudging it (or nudge a copy)"),
    "relative_error": Check("gradient_relative_error", relative_error_cases,
                            "return |a - b| / (|a| + |b|) with norms over all entries, and 0.0 for two zero arrays."),
    "train": Check("mlp_train", train_cases,
                   "return (layers, errors) of full-batch gradient descent: errors[0] before the first step, "
                   "then one error after each step.", uses=("backward", "update"), names=layer_names("W", "b", top=("layers", "errors"))),
}


define_checks(globals())
