"""The classic mistakes of this lesson: VARIANTS[function] lists (what the student did, in words;
a function with the reference's signature that makes that mistake). See autograder/mistakes.py.
"""
from course.linear_network.reference import (
    linear_error,
    linear_forward,
    linear_gradients,
    linear_gradients_matrix,
)
from course.steepest_descent.mistakes import ETA_TWICE, NO_ETA

SIGN = "the sign is flipped: dE/dnet = (out - target) · slope, and a step goes DOWNHILL, w - eta · dE/dw."
TRANSPOSED = "the weights are transposed: the weight from neuron j to neuron k is the one that carries j's value into k."


def _linear_gradients(sign=1.0, transposed=False, skip_hidden_weight=False):
    def variant(w, i1, i2, target):
        f = linear_forward(w, i1, i2)
        d = sign * (f["out"] - target)
        v1, v2 = (w["w6"], w["w5"]) if transposed else (w["w5"], w["w6"])
        if skip_hidden_weight:
            v1 = v2 = 1.0
        return {"w1": d * v1 * i1, "w2": d * v1 * i2, "w3": d * v2 * i1, "w4": d * v2 * i2,
                "w5": d * f["h1"], "w6": d * f["h2"]}
    return variant


def _linear_update(step=lambda eta, g: -eta * g, sequential=False):
    def variant(w, i1, i2, target, eta):
        g = linear_gradients(w, i1, i2, target)
        new = dict(w, w5=w["w5"] + step(eta, g["w5"]), w6=w["w6"] + step(eta, g["w6"]))
        g_hidden = linear_gradients(new, i1, i2, target) if sequential else g
        for k in ("w1", "w2", "w3", "w4"):
            new[k] = w[k] + step(eta, g_hidden[k])
        return new
    return variant


def _linear_matrix(sign=1.0, transposed=False):
    def variant(W1, W2, x, target):
        dW1, dW2 = linear_gradients_matrix(W1, W2, x, target)
        dW1, dW2 = sign * dW1, sign * dW2
        return (dW1.T, dW2.T) if transposed else (dW1, dW2)
    return variant


def _linear_forward(transposed=False):
    def variant(w, i1, i2):
        if not transposed:
            return linear_forward(w, i1, i2)
        h1, h2 = i1 * w["w1"] + i2 * w["w3"], i1 * w["w2"] + i2 * w["w4"]
        return {"h1": h1, "h2": h2, "out": h1 * w["w5"] + h2 * w["w6"]}
    return variant


VARIANTS = {
    "linear_forward": [
        (TRANSPOSED + " Here: w1 and w2 feed h1, w3 and w4 feed h2.", _linear_forward(transposed=True)),
    ],
    "linear_error": [
        ("the 1/2 is missing: E = 1/2 (out - target)².", lambda *a: 2 * linear_error(*a)),
        ("the error is not squared: E = 1/2 (out - target)².", lambda w, i1, i2, t: linear_forward(w, i1, i2)["out"] - t),
    ],
    "linear_gradients": [
        (SIGN, _linear_gradients(sign=-1.0)),
        (TRANSPOSED + " Here: h1's gradient comes back through w5, h2's through w6.", _linear_gradients(transposed=True)),
        ("the chain stops too early: dE/dw1 = (out - target) · w5 · i1, through the output weight of h1.",
         _linear_gradients(skip_hidden_weight=True)),
    ],
    "linear_update": [
        (SIGN, _linear_update(step=lambda eta, g: eta * g)),
        (NO_ETA, _linear_update(step=lambda eta, g: -g)),
        (ETA_TWICE, _linear_update(step=lambda eta, g: -eta * eta * g)),
        ("the hidden weights' gradients use the output weights AFTER their update: "
         "take all six gradients at the old weights, then step.", _linear_update(sequential=True)),
    ],
    "linear_gradients_matrix": [
        (SIGN, _linear_matrix(sign=-1.0)),
        (TRANSPOSED + " Here: dE/dW1 has the shape of W1 (hidden × inputs) and dE/dW2 that of W2.", _linear_matrix(transposed=True)),
    ],
}
