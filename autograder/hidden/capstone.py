"""Hidden tests of lesson 7 (the capstone): backprop for any network, on random networks.

Every check draws at least 20 networks of random depth and layer sizes, random weights,
batches and targets, so a function that only knows the worked examples (or that drops
σ', transposes a weight matrix or forgets the bias gradients) fails.
"""
import copy

import numpy as np

from autograder import reference as ref
from autograder.grading import HiddenTestFailure, call_student, check_function, difference

COUNT = 24


def random_network(rng, activation="sigmoid", max_layers=4, max_width=5, max_batch=6):
    """(layers, X, T) for a random fully connected network and batch."""
    depth = int(rng.integers(1, max_layers + 1))
    sizes = [int(s) for s in rng.integers(1, max_width + 1, size=depth + 1)]
    scale = float(rng.uniform(0.3, 1.5)) if activation == "sigmoid" else float(rng.uniform(0.2, 0.7))
    layers = ref.random_layers(sizes, rng, scale)
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


def check_forward(forward):
    """forward(layers, X, activation) returns [X, out_1, ..., out_L] like the reference."""
    check_function("forward", forward, ref.mlp_forward, forward_cases(701))


def check_output_delta(output_delta):
    """output_delta(out, T, activation) = (out - T) * slope(out) on random batches."""
    rng = np.random.default_rng(702)
    cases = []
    for k in range(COUNT):
        n, m = (int(v) for v in rng.integers(1, 6, size=2))
        out = rng.uniform(0.01, 0.99, size=(n, m)) if activation_of(k) == "sigmoid" else rng.normal(size=(n, m))
        cases.append((out, rng.random((n, m)), activation_of(k)))
    check_function("output_delta", output_delta, ref.mlp_output_delta, cases)


def check_hidden_delta(hidden_delta):
    """hidden_delta(delta_next, W_next, out, activation) = (delta_next @ W_next) * slope(out)."""
    rng = np.random.default_rng(703)
    cases = []
    for k in range(COUNT):
        n, n_next, n_here = (int(v) for v in rng.integers(1, 6, size=3))
        if k % 3 == 0:
            n_next = n_here  # square weight matrices too, where a transpose still runs
        out = rng.uniform(0.01, 0.99, size=(n, n_here)) if activation_of(k) == "sigmoid" else rng.normal(size=(n, n_here))
        cases.append((rng.normal(size=(n, n_next)), rng.normal(size=(n_next, n_here)), out, activation_of(k)))
    check_function("hidden_delta", hidden_delta, ref.mlp_hidden_delta, cases)


def check_backward(backward):
    """backward(layers, X, T, activation) returns [(dE/dW, dE/db) per layer], summed over the batch."""
    check_function("backward", backward, ref.mlp_backward, backward_cases(704))


def check_update(update):
    """update(layers, grads, eta) is one gradient step on every W and b, and leaves layers unchanged."""
    rng = np.random.default_rng(705)
    cases = []
    for _ in range(COUNT):
        layers, _, _ = random_network(rng)
        grads = [(rng.normal(size=W.shape), rng.normal(size=b.shape)) for W, b in layers]
        cases.append((layers, grads, float(rng.uniform(0.01, 2.0))))
    check_function("update", update, ref.mlp_update, cases)
    for number, (layers, grads, eta) in enumerate(cases, 1):
        given = copy.deepcopy(layers)
        call_student("update", lambda: update(given, copy.deepcopy(grads), eta), ())
        if difference(given, layers, rtol=0, atol=0):
            raise HiddenTestFailure(
                f"update: hidden test {number} of {len(cases)} failed: it changed the layers it was given; "
                "return new arrays (W - eta * dW) instead of changing W in place."
            )


def check_numerical_gradient(numerical_gradient):
    """numerical_gradient(error_fn, layers, h) agrees with central differences on random networks."""
    rng = np.random.default_rng(706)
    cases = []
    for k, (layers, X, T, activation) in enumerate(backward_cases(707)):
        h = (1e-2, 1e-4, 1e-5)[k % 3]

        def error_fn(net, X=X, T=T, activation=activation):
            return ref.mlp_error(net, X, T, activation)

        cases.append((error_fn, layers, h))
    rng.shuffle(cases)
    # central differences with the same h agree to rounding; a one-sided difference is off by O(h),
    # and one that ignores h is off by O(h^2) where h = 1e-2
    check_function("numerical_gradient", numerical_gradient, ref.mlp_numerical_gradient, cases, rtol=1e-5, atol=1e-8)


def check_relative_error(relative_error):
    """relative_error(a, b) = |a - b| / (|a| + |b|) over all entries, 0.0 for two zero arrays."""
    rng = np.random.default_rng(708)
    cases = [(np.zeros((2, 3)), np.zeros((2, 3)))]
    for k in range(COUNT - 1):
        shape = tuple(int(s) for s in rng.integers(1, 5, size=rng.integers(1, 3)))
        a = rng.normal(size=shape)
        b = a + rng.normal(size=shape) * 10.0 ** -float(rng.integers(0, 9)) if k % 2 else rng.normal(size=shape)
        cases.append((a, b))
    check_function("relative_error", relative_error, ref.gradient_relative_error, cases)


def check_train(train):
    """train(layers, X, T, eta, steps, activation) returns (layers, errors) like full-batch gradient descent."""
    rng = np.random.default_rng(709)
    cases = []
    for layers, X, T, activation in backward_cases(710):
        eta = float(rng.uniform(0.1, 2.0)) if activation == "sigmoid" else float(rng.uniform(0.005, 0.05))
        cases.append((layers, X, T, eta, int(rng.integers(1, 11)), activation))
    check_function("train", train, ref.mlp_train, cases)
