"""Hidden tests of lesson 6: the Mazur 2-2-2 network, piece by piece, on random networks.

Every check draws its own random networks (weights, biases, inputs, targets and, where the
function takes one, the learning rate and the number of steps), so a function that looks the
worked example up, or that mixes weights from before and after an update, fails.
"""
import numpy as np

from autograder import reference as ref
from autograder.grading import HiddenTestFailure, check_function

PARAMS = ("w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "b1", "b2")
COUNT = 24


def plain(d):
    """A dict of numbers as plain Python floats."""
    return {k: float(v) for k, v in d.items()}


def random_network(rng):
    """(p, i1, i2, t1, t2): weights and biases in [-1.5, 1.5], inputs in [-1, 1], targets in [0, 1]."""
    p = {name: float(rng.uniform(-1.5, 1.5)) for name in PARAMS}
    i1, i2 = (float(v) for v in rng.uniform(-1.0, 1.0, size=2))
    t1, t2 = (float(v) for v in rng.uniform(0.0, 1.0, size=2))
    return p, i1, i2, t1, t2


def networks(seed, count=COUNT):
    rng = np.random.default_rng(seed)
    return [random_network(rng) for _ in range(count)], rng


def check_forward(forward):
    """forward(p, i1, i2) returns every net_ and out_ value of the reference forward pass."""
    cases, _ = networks(601)
    check_function("forward", forward, ref.mazur_forward, [(p, i1, i2) for p, i1, i2, _, _ in cases])


def check_total_error(total_error):
    """total_error(p, i1, i2, t1, t2) equals E_o1 + E_o2 of the reference."""
    cases, _ = networks(602)
    check_function("total_error", total_error, ref.mazur_error, cases)


def check_output_deltas(output_deltas):
    """output_deltas(f, t1, t2) returns (delta_o1, delta_o2) for forward passes of random networks."""
    cases, _ = networks(603)
    args = [(plain(ref.mazur_forward(p, i1, i2)), t1, t2) for p, i1, i2, t1, t2 in cases]
    check_function("output_deltas", output_deltas, ref.mazur_output_deltas, args)


def check_hidden_deltas(hidden_deltas):
    """hidden_deltas(p, f, delta_o1, delta_o2) uses the weights in p (those before any update)."""
    cases, _ = networks(604)
    args = []
    for p, i1, i2, t1, t2 in cases:
        f = plain(ref.mazur_forward(p, i1, i2))
        args.append((p, f, *(float(d) for d in ref.mazur_output_deltas(f, t1, t2))))
    check_function("hidden_deltas", hidden_deltas, ref.mazur_hidden_deltas, args)


def check_gradients(gradients):
    """gradients(p, i1, i2, t1, t2) returns dE/dw1..dw8, dE/db1, dE/db2 (shared biases: deltas add)."""
    cases, _ = networks(605)
    check_function("gradients", gradients, ref.mazur_gradients, cases)


def check_update(update):
    """update(p, grads, eta[, learn_biases]) is one gradient step; biases move only when asked; p is not changed."""
    cases, rng = networks(606)
    args = []
    for number, (p, *_) in enumerate(cases):
        grads = {name: float(rng.normal()) for name in PARAMS}
        eta = float(rng.uniform(0.05, 2.0))
        args.append((p, grads, eta) if number % 3 == 0 else (p, grads, eta, number % 3 == 1))
    check_function("update", update, ref.mazur_update, args)
    p, grads, eta = args[0]
    before = dict(p)
    update(p, dict(grads), eta)
    if p != before:
        raise HiddenTestFailure("update: it changed the dict p it was given; build and return a new dict instead.")


def check_train(train):
    """train(p, i1, i2, t1, t2, eta, steps[, learn_biases]) returns (params, errors) as the reference does."""
    cases, rng = networks(607)
    args = []
    for number, (p, i1, i2, t1, t2) in enumerate(cases):
        eta = float(rng.uniform(0.05, 2.0))
        steps = 0 if number == 0 else int(rng.integers(1, 40))
        base = (p, i1, i2, t1, t2, eta, steps)
        args.append(base if number % 3 == 0 else base + (number % 3 == 1,))
    check_function("train", train, ref.mazur_train, args)
