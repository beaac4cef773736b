"""The classic mistakes of this lesson: VARIANTS[function] lists (what the student did, in words;
a function with the reference's signature that makes that mistake). See autograder/mistakes.py.
"""
from course.sigmoid.reference import sigmoid as S
from course.sigmoid_neuron.reference import neuron_forward, neuron_gradients
from course.steepest_descent.mistakes import DOWNHILL, ETA_TWICE, NO_ETA


def _neuron_forward(bias=True, squash=True, swapped=False):
    def variant(p, x1, x2):
        w1, w2 = (p["w2"], p["w1"]) if swapped else (p["w1"], p["w2"])
        s = x1 * w1 + x2 * w2 + (p["b"] if bias else 0.0)
        return {"s": s, "y": S(s) if squash else s}
    return variant


def _neuron_gradients(sign=1.0, slope="out", bias=True):
    def variant(p, x1, x2, d):
        f = neuron_forward(p, x1, x2)
        y, s = f["y"], f["s"]
        delta = sign * (y - d) * {"out": y * (1 - y), "none": 1.0, "net": s * (1 - s)}[slope]
        return {"w1": delta * x1, "w2": delta * x2, "b": delta if bias else 0.0}
    return variant


def _neuron_update(step=lambda eta, g: -eta * g, bias=True, gradients=neuron_gradients):
    def variant(p, x1, x2, d, eta):
        g = gradients(p, x1, x2, d)
        return {k: p[k] + (step(eta, g[k]) if bias or k != "b" else 0.0) for k in ("w1", "w2", "b")}
    return variant


def _delta_rule(sign=1.0, bias=True, rate=True, slope=False):
    def variant(p, x1, x2, d, eta):
        y = neuron_forward(p, x1, x2)["y"]
        step = sign * (eta if rate else 1.0) * (d - y) * (y * (1 - y) if slope else 1.0)
        return {"w1": p["w1"] + step * x1, "w2": p["w2"] + step * x2, "b": p["b"] + (step if bias else 0.0)}
    return variant


VARIANTS = {
    "neuron_forward": [
        ("the bias is left out: s = x1·w1 + x2·w2 + b.", _neuron_forward(bias=False)),
        ("the output is not squashed: y = σ(s), not s itself.", _neuron_forward(squash=False)),
        ("the weights are swapped: w1 multiplies x1 and w2 multiplies x2.", _neuron_forward(swapped=True)),
    ],
    "neuron_error": [
        ("the 1/2 is missing: E = 1/2 (d - y)².", lambda p, x1, x2, d: (d - neuron_forward(p, x1, x2)["y"]) ** 2),
        ("the error is not squared: E = 1/2 (d - y)².", lambda p, x1, x2, d: 0.5 * (d - neuron_forward(p, x1, x2)["y"])),
        ("the error uses the net input s: E = 1/2 (d - y)² with the output y = σ(s).",
         lambda p, x1, x2, d: 0.5 * (d - neuron_forward(p, x1, x2)["s"]) ** 2),
    ],
    "neuron_gradients": [
        ("the sign is flipped: ∂E/∂y = y - d (not d - y), so the delta is (y - d) · y (1 - y).", _neuron_gradients(sign=-1.0)),
        ("σ' is missing: ∂y/∂s = y (1 - y), so the delta is (y - d) · y (1 - y).", _neuron_gradients(slope="none")),
        ("σ' is applied to the net input instead of the output: the slope is y (1 - y), "
         "written with the output y, not s (1 - s).", _neuron_gradients(slope="net")),
        ("the bias gradient is left out: the bias multiplies the input +1, so ∂E/∂b = delta · 1, the delta itself.",
         _neuron_gradients(bias=False)),
    ],
    "neuron_update": [
        (DOWNHILL, _neuron_update(step=lambda eta, g: eta * g)),
        (NO_ETA, _neuron_update(step=lambda eta, g: -g)),
        (ETA_TWICE, _neuron_update(step=lambda eta, g: -eta * eta * g)),
        ("the bias is not updated: b takes a step b - eta · ∂E/∂b too.", _neuron_update(bias=False)),
        ("σ' is missing from the step: this is the source's rule W + eta (d - y) X; "
         "a gradient step uses ∂E/∂p, which carries y (1 - y).", _neuron_update(gradients=_neuron_gradients(slope="none"))),
    ],
    "delta_rule_update": [
        ("the sign is flipped: the source's rule ADDS the step, W + eta (d - y) X.", _delta_rule(sign=-1.0)),
        ("the bias is left out: its input is +1, so b becomes b + eta (d - y).", _delta_rule(bias=False)),
        ("this is the gradient step of neuron_update: the source's rule has no σ'(s) = y (1 - y), "
         "just W + eta (d - y) X.", _delta_rule(slope=True)),
        ("the learning rate is not applied: the step is eta (d - y) X, not (d - y) X.", _delta_rule(rate=False)),
    ],
}
