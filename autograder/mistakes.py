"""The classic mistakes, as variants of the reference, so feedback can name the one a student made.

VARIANTS[(lesson, function)] lists (what the student did, in words; a function with the
reference's signature that makes that mistake). When a student's function fails a hidden
check, `identify` runs every variant on the same hidden cases; if one agrees with the
student's results on all of them, the feedback names it. Only the judge imports this module.
"""
import copy

import numpy as np

from autograder import reference as ref
from autograder.grading import plain
from autograder.compare import difference

S = ref.sigmoid
ETA = 0.5  # the learning rate in the notebooks' global scope (MAZUR_ETA), used by mistakes that reach for it

SIGN = "the sign is flipped: dE/dnet = (out - target) · slope, and a step goes DOWNHILL, w - eta · dE/dw."
NO_SLOPE = "σ' is missing: the delta of a sigmoid neuron is multiplied by its slope out (1 - out)."
SLOPE_OF_NET = ("σ' is applied to the net input instead of the output: the slope is out (1 - out), "
                "written with the neuron's OUTPUT, not net (1 - net).")
SLOPE_OF_OUT = ("σ' is taken of the output, σ(out)(1 - σ(out)): the slope of a neuron is σ'(net) = out (1 - out); "
                "the output has already been through the sigmoid.")
UPDATED = ("the hidden deltas use the output weights AFTER their update: every gradient of one step "
           "is taken at the same, old parameters; update the weights only after all gradients are computed.")
ONE_OUTPUT = ("a hidden neuron's error is not summed over both outputs: h1 feeds o1 AND o2, so "
              "dE/dout_h1 = delta_o1 · w5 + delta_o2 · w7 (and h2 uses w6 and w8).")
TRANSPOSED = "the weights are transposed: the weight from neuron j to neuron k is the one that carries j's value into k."
NO_ETA = "the learning rate is not applied: the step is eta · dE/dw, not dE/dw."
ETA_TWICE = "the learning rate is applied twice: the step is eta · dE/dw, not eta² · dE/dw."
NO_BIAS = "the bias gradients are left out: each bias has a gradient too (the sum of the deltas of the neurons it feeds)."
ONE_BIAS_DELTA = "a shared bias gets only one neuron's delta: b1 feeds h1 and h2, so dE/db1 = delta_h1 + delta_h2 (same for b2)."


def _mazur_deltas(p, f, t1, t2, slope="out", sign=1.0, hidden="both", weights=None):
    """Output and hidden deltas of the Mazur network with one mistake switched on."""
    def sl(neuron):
        out, net = f[f"out_{neuron}"], f[f"net_{neuron}"]
        return {"out": out * (1 - out), "none": 1.0, "net": net * (1 - net), "sig_out": S(out) * (1 - S(out))}[slope]
    d_o1 = sign * (f["out_o1"] - t1) * sl("o1")
    d_o2 = sign * (f["out_o2"] - t2) * sl("o2")
    d_h1, d_h2 = _hidden(p if weights is None else weights(p, f, d_o1, d_o2), f, d_o1, d_o2, hidden, sl)
    return d_o1, d_o2, d_h1, d_h2


def _hidden(p, f, d_o1, d_o2, hidden, sl):
    if hidden == "one":
        return d_o1 * p["w5"] * sl("h1"), d_o1 * p["w6"] * sl("h2")
    if hidden == "transposed":
        return (d_o1 * p["w5"] + d_o2 * p["w6"]) * sl("h1"), (d_o1 * p["w7"] + d_o2 * p["w8"]) * sl("h2")
    return (d_o1 * p["w5"] + d_o2 * p["w7"]) * sl("h1"), (d_o1 * p["w6"] + d_o2 * p["w8"]) * sl("h2")


def _stepped_outputs(p, f, d_o1, d_o2):
    """p with w5..w8 already stepped by the notebook's eta (the order behind Mazur's slip)."""
    return dict(p, w5=p["w5"] - ETA * d_o1 * f["out_h1"], w6=p["w6"] - ETA * d_o1 * f["out_h2"],
                w7=p["w7"] - ETA * d_o2 * f["out_h1"], w8=p["w8"] - ETA * d_o2 * f["out_h2"])


def _hidden_variant(**kw):
    def variant(p, f, d_o1, d_o2):
        slope = kw.get("slope", "out")
        sign = kw.get("sign", 1.0)
        q = _stepped_outputs(p, f, d_o1, d_o2) if kw.get("updated") else p

        def sl(neuron):
            out, net = f[f"out_{neuron}"], f[f"net_{neuron}"]
            return {"out": out * (1 - out), "none": 1.0, "net": net * (1 - net), "sig_out": S(out) * (1 - S(out))}[slope]
        h1, h2 = _hidden(q, f, d_o1, d_o2, kw.get("hidden", "both"), sl)
        return sign * h1, sign * h2
    return variant


def _gradients(bias="both", transposed_out=False, **kw):
    def variant(p, i1, i2, t1, t2):
        f = ref.mazur_forward(p, i1, i2)
        options = dict(kw)
        weights = _stepped_outputs if options.pop("updated", False) else None
        d_o1, d_o2, d_h1, d_h2 = _mazur_deltas(p, f, t1, t2, weights=weights, **options)
        g = {"w1": d_h1 * i1, "w2": d_h1 * i2, "w3": d_h2 * i1, "w4": d_h2 * i2,
             "w5": d_o1 * f["out_h1"], "w6": d_o1 * f["out_h2"], "w7": d_o2 * f["out_h1"], "w8": d_o2 * f["out_h2"]}
        if transposed_out:
            g["w6"], g["w7"] = d_o2 * f["out_h1"], d_o1 * f["out_h2"]
        if bias == "both":
            g.update(b1=d_h1 + d_h2, b2=d_o1 + d_o2)
        elif bias == "one":
            g.update(b1=d_h1, b2=d_o1)
        elif bias == "zero":
            g.update(b1=0.0, b2=0.0)
        return g
    return variant


def _update(step=lambda eta, g: -eta * g, biases=None):
    def variant(p, grads, eta, learn_biases=False):
        learn = learn_biases if biases is None else biases
        return {k: v + (step(eta, grads[k]) if learn or k not in ("b1", "b2") else 0.0) for k, v in p.items()}
    return variant


def _train(step=lambda eta, g: -eta * g, biases=None, errors="all"):
    def variant(p, i1, i2, t1, t2, eta, steps, learn_biases=False):
        move = _update(step, biases)
        history = [ref.mazur_error(p, i1, i2, t1, t2)]
        for _ in range(steps):
            p = move(p, ref.mazur_gradients(p, i1, i2, t1, t2), eta, learn_biases)
            history.append(ref.mazur_error(p, i1, i2, t1, t2))
        return p, {"all": history, "after": history[1:], "before": history[:-1]}[errors]
    return variant


def _forward(transposed=False, bias=True, squash_outputs=True, swap_biases=False):
    def variant(p, i1, i2):
        b1, b2 = (p["b1"], p["b2"]) if bias else (0.0, 0.0)
        if swap_biases:
            b1, b2 = b2, b1
        w = dict(p)
        if transposed:
            w.update(w2=p["w3"], w3=p["w2"], w6=p["w7"], w7=p["w6"])
        net_h1, net_h2 = w["w1"] * i1 + w["w2"] * i2 + b1, w["w3"] * i1 + w["w4"] * i2 + b1
        out_h1, out_h2 = S(net_h1), S(net_h2)
        net_o1, net_o2 = w["w5"] * out_h1 + w["w6"] * out_h2 + b2, w["w7"] * out_h1 + w["w8"] * out_h2 + b2
        sq = S if squash_outputs else (lambda v: v)
        return {"net_h1": net_h1, "out_h1": out_h1, "net_h2": net_h2, "out_h2": out_h2,
                "net_o1": net_o1, "out_o1": sq(net_o1), "net_o2": net_o2, "out_o2": sq(net_o2)}
    return variant


def _output_deltas(slope="out", sign=1.0):
    def variant(f, t1, t2):
        d_o1, d_o2, _, _ = _mazur_deltas({k: 0.0 for k in ("w5", "w6", "w7", "w8")}, dict(f, net_h1=0.0, net_h2=0.0, out_h1=0.0, out_h2=0.0), t1, t2, slope, sign)
        return d_o1, d_o2
    return variant


# ---------------------------------------------------------------- lesson 5: the linear network

def _linear_gradients(sign=1.0, transposed=False, skip_hidden_weight=False):
    def variant(w, i1, i2, target):
        f = ref.linear_forward(w, i1, i2)
        d = sign * (f["out"] - target)
        v1, v2 = (w["w6"], w["w5"]) if transposed else (w["w5"], w["w6"])
        if skip_hidden_weight:
            v1 = v2 = 1.0
        return {"w1": d * v1 * i1, "w2": d * v1 * i2, "w3": d * v2 * i1, "w4": d * v2 * i2,
                "w5": d * f["h1"], "w6": d * f["h2"]}
    return variant


def _linear_update(step=lambda eta, g: -eta * g, sequential=False):
    def variant(w, i1, i2, target, eta):
        g = ref.linear_gradients(w, i1, i2, target)
        new = dict(w, w5=w["w5"] + step(eta, g["w5"]), w6=w["w6"] + step(eta, g["w6"]))
        g_hidden = ref.linear_gradients(new, i1, i2, target) if sequential else g
        for k in ("w1", "w2", "w3", "w4"):
            new[k] = w[k] + step(eta, g_hidden[k])
        return new
    return variant


def _linear_matrix(sign=1.0, transposed=False):
    def variant(W1, W2, x, target):
        dW1, dW2 = ref.linear_gradients_matrix(W1, W2, x, target)
        dW1, dW2 = sign * dW1, sign * dW2
        return (dW1.T, dW2.T) if transposed else (dW1, dW2)
    return variant


def _linear_forward(transposed=False):
    def variant(w, i1, i2):
        if not transposed:
            return ref.linear_forward(w, i1, i2)
        h1, h2 = i1 * w["w1"] + i2 * w["w3"], i1 * w["w2"] + i2 * w["w4"]
        return {"h1": h1, "h2": h2, "out": h1 * w["w5"] + h2 * w["w6"]}
    return variant


# ---------------------------------------------------------------- lesson 7: any network

def _slope(activation, slope):
    def df(out, net=None):
        if activation == "linear" or slope == "none":
            return np.ones_like(out)
        return out * (1 - out)
    return df


def _mlp_backward(sign=1.0, slope="out", bias="sum", mean=False):
    def variant(layers, X, T, activation="sigmoid"):
        outs = ref.mlp_forward(layers, X, activation)
        df = _slope(activation, slope)
        delta = sign * (outs[-1] - np.atleast_2d(T)) * df(outs[-1])
        n = len(outs[0]) if mean else 1
        grads = []
        for k in range(len(layers) - 1, -1, -1):
            W, b = layers[k]
            grads.append(((delta.T @ outs[k]) / n, (delta.sum(axis=0) if bias == "sum" else np.zeros_like(b)) / n))
            if k:
                delta = (delta @ W) * df(outs[k])
        return grads[::-1]
    return variant


def _mlp_update(step=lambda eta, g: -eta * g, biases=True):
    def variant(layers, grads, eta):
        return [(W + step(eta, gW), b + step(eta, gb) if biases else b) for (W, b), (gW, gb) in zip(layers, grads)]
    return variant


# ---------------------------------------------------------------- lessons 1-4: sigmoid, chain rule, descent, one neuron

DOWNHILL = "the step goes uphill: descent moves AGAINST the gradient, w - eta · dE/dw, not w + eta · dE/dw."
CENTRAL = "the central difference steps to BOTH sides of x, (f(x + h) - f(x - h)) / (2h)."
DEFAULT_H = "the default step is not 1e-5: when no h is given, use h = 1e-5 (def central_difference(f, x, h=1e-5))."
ONE_PATH = ("only one output's error is counted: h feeds o1 AND o2, so "
            "∂E/∂h = (o1 - t1) · v1 + (o2 - t2) · v2; add the two paths.")
ROOT_TWO = "a factor 2 is off: the root's slope 1 / (2√u) times the inner slope -2x gives -x / √u; the 2s cancel."


def _arr(x):
    return np.asarray(x, dtype=float)


def _central(default=1e-5, fixed=None):
    """(f(x + h) - f(x - h)) / 2h with another default step, or a fixed step whatever h is given."""
    def variant(f, x, h=default):
        h = h if fixed is None else fixed
        return (f(x + h) - f(x - h)) / (2 * h)
    return variant


def _output_derivatives(slope="sigma", bias=True, times="x"):
    def variant(w, b, x):
        s = w * x + (b if bias else 0.0)
        k = {"sigma": ref.sigmoid_derivative, "none": lambda s: 1.0, "net": lambda s: s * (1 - s),
             "of_out": lambda s: ref.sigmoid_derivative(S(s)), "output": S}[slope](s)
        return {"w": k * (x if times == "x" else w), "b": k}
    return variant


def _two_output_gradient(paths="both", sign=1.0, slope="sigma", through_v=True, times_x=True):
    def variant(w, v1, v2, x, t1, t2):
        h = S(w * x)
        e1, e2 = sign * (v1 * h - t1), sign * (v2 * h - t2)
        if through_v:
            e1, e2 = e1 * v1, e2 * v2
        k = {"sigma": h * (1 - h), "none": 1.0, "net": w * x * (1 - w * x), "of_out": S(h) * (1 - S(h))}[slope]
        return {"both": e1 + e2, "o1": e1, "o2": e2}[paths] * k * (x if times_x else 1.0)
    return variant


def _descent(step=lambda eta, g: -eta * g, at_start=False, points="all"):
    def variant(gradient, w0, eta, steps):
        w = start = _arr(w0)
        path = [w]
        for _ in range(steps + (points == "extra")):
            w = w + step(eta, gradient(start if at_start else w))
            path.append(w)
        path = np.array(path)
        return {"all": path, "extra": path, "no_start": path[1:], "no_last": path[:-1], "last": path[-1],
                "same": np.array([path[-1]] * len(path))}[points]
    return variant


def _neuron_forward(bias=True, squash=True, swapped=False):
    def variant(p, x1, x2):
        w1, w2 = (p["w2"], p["w1"]) if swapped else (p["w1"], p["w2"])
        s = x1 * w1 + x2 * w2 + (p["b"] if bias else 0.0)
        return {"s": s, "y": S(s) if squash else s}
    return variant


def _neuron_gradients(sign=1.0, slope="out", bias=True):
    def variant(p, x1, x2, d):
        f = ref.neuron_forward(p, x1, x2)
        y, s = f["y"], f["s"]
        delta = sign * (y - d) * {"out": y * (1 - y), "none": 1.0, "net": s * (1 - s)}[slope]
        return {"w1": delta * x1, "w2": delta * x2, "b": delta if bias else 0.0}
    return variant


def _neuron_update(step=lambda eta, g: -eta * g, bias=True, gradients=ref.neuron_gradients):
    def variant(p, x1, x2, d, eta):
        g = gradients(p, x1, x2, d)
        return {k: p[k] + (step(eta, g[k]) if bias or k != "b" else 0.0) for k in ("w1", "w2", "b")}
    return variant


def _delta_rule(sign=1.0, bias=True, rate=True, slope=False):
    def variant(p, x1, x2, d, eta):
        y = ref.neuron_forward(p, x1, x2)["y"]
        step = sign * (eta if rate else 1.0) * (d - y) * (y * (1 - y) if slope else 1.0)
        return {"w1": p["w1"] + step * x1, "w2": p["w2"] + step * x2, "b": p["b"] + (step if bias else 0.0)}
    return variant


VARIANTS = {
    ("sigmoid", "sigmoid"): [
        ("the sign of the exponent is flipped: σ(x) = 1 / (1 + e^(-x)), with e to the power MINUS x (np.exp(-x)).",
         lambda x: 1.0 / (1.0 + np.exp(_arr(x)))),
        ("the 1 + is missing: σ(x) = 1 / (1 + e^(-x)); the denominator is one PLUS e^(-x), not e^(-x) alone.",
         lambda x: 1.0 / np.exp(-_arr(x))),
        ("the denominator subtracts: σ(x) = 1 / (1 + e^(-x)), one PLUS e^(-x).", lambda x: 1.0 / (1.0 - np.exp(-_arr(x)))),
        ("e^x / (1 + e^x) is the right number on paper, but for large x both e^x overflow to inf and inf / inf is nan: "
         "write σ(x) = 1 / (1 + e^(-x)), which stays finite.", lambda x: np.exp(_arr(x)) / (1.0 + np.exp(_arr(x)))),
    ],
    ("sigmoid", "sigmoid_derivative"): [
        ("σ' is applied to the input instead of the output: x (1 - x) is the slope written with the OUTPUT σ(x); "
         "sigmoid_derivative gets the net input x, so compute s = σ(x) and return s (1 - s).",
         lambda x: _arr(x) * (1.0 - _arr(x))),
        ("the minus is missing: σ'(x) = σ(x) (1 - σ(x)), one MINUS σ(x).", lambda x: S(x) * (1.0 + S(x))),
        ("σ(x) · σ(x) is not the slope: σ'(x) = σ(x) (1 - σ(x)), σ(x) times one minus σ(x).", lambda x: S(x) * S(x)),
        ("e^(-x) / (1 + e^(-x))² is the right number on paper, but for large negative x e^(-x) overflows to inf "
         "and inf / inf is nan: compute s = σ(x) with your sigmoid and return s (1 - s).",
         lambda x: np.exp(-_arr(x)) / (1.0 + np.exp(-_arr(x))) ** 2),
    ],
    ("chain_rule", "central_difference"): [
        ("this is a forward difference, (f(x + h) - f(x)) / h: " + CENTRAL, lambda f, x, h=1e-5: (f(x + h) - f(x)) / h),
        ("this is a backward difference, (f(x) - f(x - h)) / h: " + CENTRAL, lambda f, x, h=1e-5: (f(x) - f(x - h)) / h),
        ("the 2 is missing: x - h and x + h are 2h apart, so divide by 2h, not h.",
         lambda f, x, h=1e-5: (f(x + h) - f(x - h)) / h),
        ("the brackets around the difference are missing: in f(x + h) - f(x - h) / (2 * h) only f(x - h) is divided; "
         "write (f(x + h) - f(x - h)) / (2 * h).", lambda f, x, h=1e-5: f(x + h) - f(x - h) / (2 * h)),
        ("the brackets around 2 * h are missing: a / 2 * h means (a / 2) · h; divide by (2 * h).",
         lambda f, x, h=1e-5: (f(x + h) - f(x - h)) / 2 * h),
        ("the step h it is given is ignored: use the argument h; 1e-5 is only its default, for calls that give no h.",
         _central(fixed=1e-5)),
        (DEFAULT_H, _central(default=1e-3)),
        (DEFAULT_H, _central(default=1e-2)),
        (DEFAULT_H, _central(default=1e-1)),
    ],
    ("chain_rule", "chain_derivative"): [
        ("the outer slope is taken at x: take it at the inner value, f'(g(x)) · g'(x), not f'(x) · g'(x).",
         lambda f_prime, g_prime, g, x: f_prime(x) * g_prime(x)),
        ("the inner slope is missing: the derivative of f(g(x)) is f'(g(x)) · g'(x), times g'(x).",
         lambda f_prime, g_prime, g, x: f_prime(g(x))),
        ("the inner function is used where its slope belongs: multiply by g'(x), f'(g(x)) · g'(x), not by g(x).",
         lambda f_prime, g_prime, g, x: f_prime(g(x)) * g(x)),
        ("the slopes are added: along a chain the slopes MULTIPLY, f'(g(x)) · g'(x).",
         lambda f_prime, g_prime, g, x: f_prime(g(x)) + g_prime(x)),
    ],
    ("chain_rule", "neuron_output_derivatives"): [
        ("σ' is missing: y depends on w through s = w x + b, so ∂y/∂w = σ'(s) · x and ∂y/∂b = σ'(s) · 1.",
         _output_derivatives(slope="none")),
        ("σ' is applied to the net input written like an output: s (1 - s) is not the slope; "
         "σ'(s) = σ(s) (1 - σ(s)), sigmoid_derivative(s).", _output_derivatives(slope="net")),
        ("σ' is taken of the output: sigmoid_derivative expects the net input s = w x + b, not y = σ(s).",
         _output_derivatives(slope="of_out")),
        ("the output y is used instead of its slope: ∂y/∂w = σ'(s) · x, with σ'(s) = sigmoid_derivative(s), not σ(s).",
         _output_derivatives(slope="output")),
        ("the bias is left out of the net input: the slope is σ'(s) at s = w x + b.", _output_derivatives(bias=False)),
        ("∂y/∂w is multiplied by the weight: ∂s/∂w = x, so ∂y/∂w = σ'(s) · x.", _output_derivatives(times="w")),
    ],
    ("chain_rule", "hidden_weight_gradient"): [
        (ONE_PATH, _two_output_gradient(paths="o1")),
        (ONE_PATH, _two_output_gradient(paths="o2")),
        ("the sign is flipped: ∂E/∂o_k = o_k - t_k (from E = 1/2 (t_k - o_k)²), not t_k - o_k.",
         _two_output_gradient(sign=-1.0)),
        ("the weights v1, v2 are missing: each path into h passes through its weight, "
         "∂E/∂h = (o1 - t1) · v1 + (o2 - t2) · v2.", _two_output_gradient(through_v=False)),
        ("σ' is missing: h = σ(w x), so ∂h/∂w = σ'(w x) · x.", _two_output_gradient(slope="none")),
        ("σ' is applied to the net input written like an output: (w x)(1 - w x) is not the slope; σ'(w x) = h (1 - h).",
         _two_output_gradient(slope="net")),
        ("σ' is taken of the output h: sigmoid_derivative expects the net input w x; "
         "or write the slope from the output, h (1 - h).", _two_output_gradient(slope="of_out")),
        ("the last link is missing: ∂(w x)/∂w = x, so ∂h/∂w = σ'(w x) · x.", _two_output_gradient(times_x=False)),
    ],
    ("steepest_descent", "steepest_move"): [
        ("the gradient is not scaled to length 1: divide it by its length, np.linalg.norm(gradient), "
         "then multiply by distance.", lambda gradient, distance: distance * _arr(gradient)),
        ("the move goes against the gradient: the steepest INCREASE is along the gradient, distance · g / |g|.",
         lambda gradient, distance: -distance * _arr(gradient) / np.linalg.norm(gradient)),
        ("the move is not scaled to `distance`: g / |g| has length 1; multiply it by distance.",
         lambda gradient, distance: _arr(gradient) / np.linalg.norm(gradient)),
        ("the gradient is divided by its squared length: its length |g| = np.linalg.norm(g) is the square root of g · g.",
         lambda gradient, distance: distance * _arr(gradient) / (_arr(gradient) @ _arr(gradient))),
    ],
    ("steepest_descent", "revenue_slope"): [
        ("the inner slope has the wrong sign: the slope of max_miles² - x² is -2x, "
         "so dr/dx = pay_east - pay_north · x / √(max_miles² - x²).",
         lambda x, pay_east, pay_north, max_miles: pay_east + pay_north * x / np.sqrt(max_miles**2 - x**2)),
        ("the chain rule stops too early: the square root's slope 1 / (2√u) must be multiplied by the slope "
         "of the inner u = max_miles² - x², which is -2x.",
         lambda x, pay_east, pay_north, max_miles: pay_east + pay_north / (2 * np.sqrt(max_miles**2 - x**2))),
        (ROOT_TWO, lambda x, pay_east, pay_north, max_miles: pay_east - 2 * pay_north * x / np.sqrt(max_miles**2 - x**2)),
        (ROOT_TWO, lambda x, pay_east, pay_north, max_miles: pay_east - pay_north * x / (2 * np.sqrt(max_miles**2 - x**2))),
        ("the slide's numbers are used instead of the arguments: write dr/dx with pay_east, pay_north and max_miles.",
         lambda x, pay_east, pay_north, max_miles: 4.0 - 3.0 * x / np.sqrt(25.0 - x**2)),
    ],
    ("steepest_descent", "bowl_gradient"): [
        ("the 1/2 is left out: the 2 that comes down from the square cancels it, so dE/dw1 = a w1, not 2 a w1.",
         lambda w, a, b: np.array([2 * a * w[0], 2 * b * w[1]], dtype=float)),
        ("the 2 from the square is not brought down: the slope of 1/2 a w1² is a w1, not 1/2 a w1.",
         lambda w, a, b: np.array([a * w[0] / 2, b * w[1] / 2], dtype=float)),
        ("a and b are swapped: a is the curvature along w1 and b along w2, so the gradient is (a w1, b w2).",
         lambda w, a, b: np.array([b * w[0], a * w[1]], dtype=float)),
    ],
    ("steepest_descent", "descent_step"): [
        (DOWNHILL, lambda w, grad, eta: _arr(w) + eta * _arr(grad)),
        (NO_ETA, lambda w, grad, eta: _arr(w) - _arr(grad)),
        (ETA_TWICE, lambda w, grad, eta: _arr(w) - eta * eta * _arr(grad)),
    ],
    ("steepest_descent", "gradient_descent"): [
        (DOWNHILL, _descent(step=lambda eta, g: eta * g)),
        (NO_ETA, _descent(step=lambda eta, g: -g)),
        (ETA_TWICE, _descent(step=lambda eta, g: -eta * eta * g)),
        ("the path lacks its start: it begins with w0, then one point after each step (steps + 1 points).",
         _descent(points="no_start")),
        ("the path stops one step short: take all `steps` steps; with the start that makes steps + 1 points.",
         _descent(points="no_last")),
        ("the path takes one step too many: `steps` steps make steps + 1 points, the start included.",
         _descent(points="extra")),
        ("the gradient is always taken at the start: each step uses the gradient at the CURRENT point, gradient(w).",
         _descent(at_start=True)),
        ("every point of the path is the same array: w is changed in place, so every row shows the last point; "
         "let each step make a new array (descent_step returns one).", _descent(points="same")),
        ("only the last point is returned: return the whole path, an array of shape (steps + 1, len(w0)).",
         _descent(points="last")),
    ],
    ("sigmoid_neuron", "neuron_forward"): [
        ("the bias is left out: s = x1·w1 + x2·w2 + b.", _neuron_forward(bias=False)),
        ("the output is not squashed: y = σ(s), not s itself.", _neuron_forward(squash=False)),
        ("the weights are swapped: w1 multiplies x1 and w2 multiplies x2.", _neuron_forward(swapped=True)),
    ],
    ("sigmoid_neuron", "neuron_error"): [
        ("the 1/2 is missing: E = 1/2 (d - y)².", lambda p, x1, x2, d: (d - ref.neuron_forward(p, x1, x2)["y"]) ** 2),
        ("the error is not squared: E = 1/2 (d - y)².", lambda p, x1, x2, d: 0.5 * (d - ref.neuron_forward(p, x1, x2)["y"])),
        ("the error uses the net input s: E = 1/2 (d - y)² with the output y = σ(s).",
         lambda p, x1, x2, d: 0.5 * (d - ref.neuron_forward(p, x1, x2)["s"]) ** 2),
    ],
    ("sigmoid_neuron", "neuron_gradients"): [
        ("the sign is flipped: ∂E/∂y = y - d (not d - y), so the delta is (y - d) · y (1 - y).", _neuron_gradients(sign=-1.0)),
        ("σ' is missing: ∂y/∂s = y (1 - y), so the delta is (y - d) · y (1 - y).", _neuron_gradients(slope="none")),
        ("σ' is applied to the net input instead of the output: the slope is y (1 - y), "
         "written with the output y, not s (1 - s).", _neuron_gradients(slope="net")),
        ("the bias gradient is left out: the bias multiplies the input +1, so ∂E/∂b = delta · 1, the delta itself.",
         _neuron_gradients(bias=False)),
    ],
    ("sigmoid_neuron", "neuron_update"): [
        (DOWNHILL, _neuron_update(step=lambda eta, g: eta * g)),
        (NO_ETA, _neuron_update(step=lambda eta, g: -g)),
        (ETA_TWICE, _neuron_update(step=lambda eta, g: -eta * eta * g)),
        ("the bias is not updated: b takes a step b - eta · ∂E/∂b too.", _neuron_update(bias=False)),
        ("σ' is missing from the step: this is the source's rule W + eta (d - y) X; "
         "a gradient step uses ∂E/∂p, which carries y (1 - y).", _neuron_update(gradients=_neuron_gradients(slope="none"))),
    ],
    ("sigmoid_neuron", "delta_rule_update"): [
        ("the sign is flipped: the source's rule ADDS the step, W + eta (d - y) X.", _delta_rule(sign=-1.0)),
        ("the bias is left out: its input is +1, so b becomes b + eta (d - y).", _delta_rule(bias=False)),
        ("this is the gradient step of neuron_update: the source's rule has no σ'(s) = y (1 - y), "
         "just W + eta (d - y) X.", _delta_rule(slope=True)),
        ("the learning rate is not applied: the step is eta (d - y) X, not (d - y) X.", _delta_rule(rate=False)),
    ],
    ("mazur_network", "forward"): [
        (TRANSPOSED, _forward(transposed=True)),
        ("the biases are left out: every net input adds its layer's bias (b1 for h1, h2; b2 for o1, o2).", _forward(bias=False)),
        ("b1 and b2 are swapped: b1 is the hidden layer's bias, b2 the output layer's.", _forward(swap_biases=True)),
        ("the output neurons are not squashed: out_o = σ(net_o) too.", _forward(squash_outputs=False)),
    ],
    ("mazur_network", "total_error"): [
        ("the 1/2 is missing: E = 1/2 (t1 - out_o1)² + 1/2 (t2 - out_o2)².", lambda *a: 2 * ref.mazur_error(*a)),
        ("only o1's error is counted: E_total adds the errors of BOTH outputs.",
         lambda p, i1, i2, t1, t2: 0.5 * (t1 - ref.mazur_forward(p, i1, i2)["out_o1"]) ** 2),
    ],
    ("mazur_network", "output_deltas"): [
        (SIGN, _output_deltas(sign=-1.0)),
        (NO_SLOPE, _output_deltas(slope="none")),
        (SLOPE_OF_NET, _output_deltas(slope="net")),
        (SLOPE_OF_OUT, _output_deltas(slope="sig_out")),
    ],
    ("mazur_network", "hidden_deltas"): [
        (UPDATED, _hidden_variant(updated=True)),
        (ONE_OUTPUT, _hidden_variant(hidden="one")),
        (TRANSPOSED + " Here: h1's error comes back through w5 and w7, h2's through w6 and w8.", _hidden_variant(hidden="transposed")),
        (SIGN, _hidden_variant(sign=-1.0)),
        (NO_SLOPE, _hidden_variant(slope="none")),
        (SLOPE_OF_NET, _hidden_variant(slope="net")),
        (SLOPE_OF_OUT, _hidden_variant(slope="sig_out")),
    ],
    ("mazur_network", "gradients"): [
        (SIGN, _gradients(sign=-1.0)),
        (NO_BIAS, _gradients(bias="none")),
        (NO_BIAS, _gradients(bias="zero")),
        (ONE_BIAS_DELTA, _gradients(bias="one")),
        (UPDATED, _gradients(updated=True)),
        (ONE_OUTPUT, _gradients(hidden="one")),
        (TRANSPOSED, _gradients(hidden="transposed")),
        (TRANSPOSED + " Here: dE/dw6 belongs to o1 (delta_o1 · out_h2) and dE/dw7 to o2 (delta_o2 · out_h1).", _gradients(transposed_out=True)),
        (NO_SLOPE, _gradients(slope="none")),
        (SLOPE_OF_NET, _gradients(slope="net")),
        (SLOPE_OF_OUT, _gradients(slope="sig_out")),
    ],
    ("mazur_network", "update"): [
        (SIGN, _update(step=lambda eta, g: eta * g)),
        (NO_ETA, _update(step=lambda eta, g: -g)),
        (ETA_TWICE, _update(step=lambda eta, g: -eta * eta * g)),
        ("learn_biases is ignored: the biases move only when learn_biases is true.", _update(biases=True)),
        ("learn_biases is ignored: with learn_biases=True b1 and b2 take a step like the weights.", _update(biases=False)),
    ],
    ("mazur_network", "train"): [
        (SIGN + " (Training climbs the error instead of descending it.)", _train(step=lambda eta, g: eta * g)),
        (NO_ETA, _train(step=lambda eta, g: -g)),
        (ETA_TWICE, _train(step=lambda eta, g: -eta * eta * g)),
        ("the error list is off by one: errors[0] is the error BEFORE the first step, then one error after each step.",
         _train(errors="after")),
        ("the error list is off by one: it lacks the error after the last step (steps + 1 errors in all).",
         _train(errors="before")),
        ("learn_biases is not passed on to update: with learn_biases=True the biases learn too.", _train(biases=False)),
    ],
    ("linear_network", "linear_forward"): [
        (TRANSPOSED + " Here: w1 and w2 feed h1, w3 and w4 feed h2.", _linear_forward(transposed=True)),
    ],
    ("linear_network", "linear_error"): [
        ("the 1/2 is missing: E = 1/2 (out - target)².", lambda *a: 2 * ref.linear_error(*a)),
        ("the error is not squared: E = 1/2 (out - target)².", lambda w, i1, i2, t: ref.linear_forward(w, i1, i2)["out"] - t),
    ],
    ("linear_network", "linear_gradients"): [
        (SIGN, _linear_gradients(sign=-1.0)),
        (TRANSPOSED + " Here: h1's gradient comes back through w5, h2's through w6.", _linear_gradients(transposed=True)),
        ("the chain stops too early: dE/dw1 = (out - target) · w5 · i1, through the output weight of h1.",
         _linear_gradients(skip_hidden_weight=True)),
    ],
    ("linear_network", "linear_update"): [
        (SIGN, _linear_update(step=lambda eta, g: eta * g)),
        (NO_ETA, _linear_update(step=lambda eta, g: -g)),
        (ETA_TWICE, _linear_update(step=lambda eta, g: -eta * eta * g)),
        ("the hidden weights' gradients use the output weights AFTER their update: "
         "take all six gradients at the old weights, then step.", _linear_update(sequential=True)),
    ],
    ("linear_network", "linear_gradients_matrix"): [
        (SIGN, _linear_matrix(sign=-1.0)),
        (TRANSPOSED + " Here: dE/dW1 has the shape of W1 (hidden × inputs) and dE/dW2 that of W2.", _linear_matrix(transposed=True)),
    ],
    ("capstone", "output_delta"): [
        (SIGN, lambda out, T, a="sigmoid": -ref.mlp_output_delta(out, T, a)),
        (NO_SLOPE, lambda out, T, a="sigmoid": np.asarray(out, dtype=float) - T),
    ],
    ("capstone", "hidden_delta"): [
        (NO_SLOPE, lambda d, W, out, a="sigmoid": np.asarray(d) @ np.asarray(W)),
        (TRANSPOSED + " Here: delta_next @ W_next, W_next of shape (n_next, n_here).",
         lambda d, W, out, a="sigmoid": (np.asarray(d) @ np.asarray(W).T) * ref.ACTIVATIONS[a][1](np.asarray(out))),
        (SIGN, lambda d, W, out, a="sigmoid": -ref.mlp_hidden_delta(d, W, out, a)),
    ],
    ("capstone", "backward"): [
        (SIGN, _mlp_backward(sign=-1.0)),
        (NO_SLOPE, _mlp_backward(slope="none")),
        (NO_BIAS, _mlp_backward(bias="zero")),
        ("the gradients are averaged over the batch: E sums over the samples, so its gradient is a sum too.",
         _mlp_backward(mean=True)),
    ],
    ("capstone", "update"): [
        (SIGN, _mlp_update(step=lambda eta, g: eta * g)),
        (NO_ETA, _mlp_update(step=lambda eta, g: -g)),
        (ETA_TWICE, _mlp_update(step=lambda eta, g: -eta * eta * g)),
        ("the biases are not updated: every b takes a step b - eta · dE/db too.", _mlp_update(biases=False)),
    ],
}

# lesson 8 keeps its mistakes in course/autograd/mistakes.py (the per-lesson layout), keyed by function
from course.autograd.mistakes import VARIANTS as _AUTOGRAD  # noqa: E402 - after this module's own table
VARIANTS.update({("autograd", function): variants for function, variants in _AUTOGRAD.items()})


def identify(lesson, name, cases, got, check):
    """The words for the first classic mistake whose results agree with the student's on every case, or None.

    Only the part of the result that the check judges is compared (see grading.Check). A case on
    which the student's function raised agrees only with a variant that raises there too, so a
    mistake is never named from just the cases that happened to run."""
    if not all(isinstance(result, dict) and ("result" in result or "error" in result) for result in got):
        return None
    if not any("result" in result for result in got):
        return None
    for words, variant in VARIANTS.get((lesson, check.function or name), ()):
        if all(_agrees(variant, args, result, check) for args, result in zip(cases, got)):
            return words
    return None


def _agrees(variant, args, result, check):
    """Whether the variant does on args what the student's function did (same part of the result, or an error)."""
    try:
        with np.errstate(all="ignore"):
            expected = check.part(plain(variant(*copy.deepcopy(args))))
    except Exception:  # noqa: BLE001 - the variant fails here: it agrees with a student who failed too
        return "error" in result
    return "result" in result and not difference(check.part(result["result"]), expected, check.rtol, check.atol)
