"""Hidden tests of lesson 6: the Mazur 2-2-2 network, piece by piece, on random networks.

Every check draws its own random networks (weights, biases, inputs, targets and, where the
function takes one, the learning rate and the number of steps), so a function that looks the
worked example up, or that mixes weights from before and after an update, fails.
This module only draws cases: it never imports the reference (the judge does), so a
student's code in the grading kernel cannot reach the reference through it.
"""
import numpy as np

from autograder.grading import Check, define_checks, entry_names, keys

LESSON = "mazur_network"
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


def random_pass(rng):
    """A forward-pass dict f: random net inputs and out = σ(net) for each of h1, h2, o1, o2."""
    f = {}
    for neuron in ("h1", "h2", "o1", "o2"):
        net = float(rng.uniform(-3.0, 3.0))
        f[f"net_{neuron}"], f[f"out_{neuron}"] = net, float(1.0 / (1.0 + np.exp(-net)))
    return f


def forward_cases():
    return [(p, i1, i2) for p, i1, i2, _, _ in networks(601)[0]]


def error_cases():
    return networks(602)[0]


def output_delta_cases():
    rng = np.random.default_rng(603)
    return [(random_pass(rng), *(float(t) for t in rng.uniform(0.0, 1.0, size=2))) for _ in range(COUNT)]


def hidden_delta_cases():
    rng = np.random.default_rng(604)
    cases = []
    for _ in range(COUNT):
        p = {name: float(rng.uniform(-1.5, 1.5)) for name in PARAMS}
        cases.append((p, random_pass(rng), *(float(d) for d in rng.normal(0.0, 0.2, size=2))))
    return cases


def gradient_cases():
    return networks(605)[0]


def update_cases():
    cases, rng = networks(606)
    args = []
    for number, (p, *_) in enumerate(cases):
        grads = {name: float(rng.normal()) for name in PARAMS}
        eta = float(rng.uniform(0.05, 2.0))
        args.append((p, grads, eta) if number % 3 == 0 else (p, grads, eta, number % 3 == 1))
    return args


def train_cases():
    cases, rng = networks(607)
    args = []
    for number, (p, i1, i2, t1, t2) in enumerate(cases):
        eta = float(rng.uniform(0.05, 2.0))
        steps = 0 if number == 0 else int(rng.integers(1, 40))
        base = (p, i1, i2, t1, t2, eta, steps)
        args.append(base if number % 3 == 0 else base + (number % 3 == 1,))
    return args


CHECKS = {
    "forward": Check("mazur_forward", forward_cases,
                     "return every net input and output: net = weighted inputs plus the layer's bias "
                     "(b1 for h1 and h2, b2 for o1 and o2), out = σ(net), for any weights and inputs."),
    "total_error": Check("mazur_error", error_cases,
                         "return 1/2 (t1 - out_o1)² + 1/2 (t2 - out_o2)² for the outputs of the forward pass.", uses=("forward",)),
    "output_deltas": Check("mazur_output_deltas", output_delta_cases,
                           "return (delta_o1, delta_o2) with delta = dE/dnet = (out - t) · out (1 - out): "
                           "the error's slope times σ' written with the neuron's output."),
    "hidden_deltas": Check("mazur_hidden_deltas", hidden_delta_cases,
                           "each hidden neuron collects delta × weight from BOTH outputs (h1 through w5 and w7, "
                           "h2 through w6 and w8, the weights as they are in p, before any update), "
                           "times its own slope out_h (1 - out_h).", unchanged=(0,),
                           mutated_message="it changed the dict p it was given; read the weights, do not change them"),
    "gradients_output": Check("mazur_gradients", gradient_cases,
                              "dE/dw5..dE/dw8 = delta of the output neuron the weight feeds × the hidden output on "
                              "its input side (dE/dw5 = delta_o1 · out_h1, dE/dw6 = delta_o1 · out_h2, ...), at p.",
                              function="gradients", part=keys("w5", "w6", "w7", "w8"),
                              label="output-layer weights w5..w8", uses=("forward", "output_deltas", "hidden_deltas")),
    "gradients_hidden": Check("mazur_gradients", gradient_cases,
                              "dE/dw1..dE/dw4 = delta of the hidden neuron the weight feeds × the input on its input "
                              "side (dE/dw1 = delta_h1 · i1, ...), where each hidden delta collects BOTH outputs, at p.",
                              function="gradients", part=keys("w1", "w2", "w3", "w4"),
                              label="hidden-layer weights w1..w4", uses=("forward", "output_deltas", "hidden_deltas")),
    "gradients_biases": Check("mazur_gradients", gradient_cases,
                              "dE/db1 = delta_h1 + delta_h2 and dE/db2 = delta_o1 + delta_o2: each bias feeds two "
                              "neurons, so its gradient adds both their deltas (times the constant input 1).",
                              function="gradients", part=keys("b1", "b2"), label="biases b1, b2", uses=("forward", "output_deltas", "hidden_deltas")),
    "update": Check("mazur_update", update_cases,
                    "return a NEW dict where every weight w becomes w - eta · dE/dw (eta applied once); "
                    "b1 and b2 move the same way only when learn_biases is true; p itself stays unchanged.",
                    unchanged=(0,), mutated_message="it changed the dict p it was given; build and return a new dict instead"),
    "train": Check("mazur_train", train_cases,
                   "return (params, errors): errors[0] is the error before training and errors[k] the error "
                   "after step k, each step one update with the gradients at the current parameters.",
                   unchanged=(0,), mutated_message="it changed the dict p it was given; work on new dicts", uses=("gradients", "total_error", "update"), names=entry_names("params", "errors")),
}


define_checks(globals())
