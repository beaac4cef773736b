"""The classic mistakes, as variants of the reference, so feedback can name the one a student made.

VARIANTS[(lesson, function)] lists (what the student did, in words; a function with the
reference's signature that makes that mistake). When a student's function fails a hidden
check, `identify` runs every variant on the same hidden cases; if one agrees with the
student's results on all of them, the feedback names it. Only the judge imports this module.
"""
import copy

import numpy as np

from autograder import reference as ref
from autograder.grading import difference, plain

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
    """p with w5..w8 already stepped by the notebook's eta (the order behind seed 003's slip)."""
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


VARIANTS = {
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


def identify(lesson, name, cases, got, check):
    """The words for the first classic mistake whose results agree with the student's on every case, or None."""
    for words, variant in VARIANTS.get((lesson, name), ()):
        compared = 0
        for args, result in zip(cases, got):
            if not isinstance(result, dict) or "result" not in result:
                continue
            try:
                with np.errstate(all="ignore"):
                    expected = plain(variant(*copy.deepcopy(args)))
            except Exception:  # noqa: BLE001 - a variant that does not apply to this case
                break
            if difference(result["result"], expected, check.rtol, check.atol):
                break
            compared += 1
        else:
            if compared:
                return words
    return None
