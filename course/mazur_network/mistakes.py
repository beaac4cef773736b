"""The classic mistakes of this lesson: VARIANTS[function] lists (what the student did, in words;
a function with the reference's signature that makes that mistake). See autograder/mistakes.py.
"""
from course.linear_network.mistakes import SIGN, TRANSPOSED
from course.mazur_network.reference import mazur_error, mazur_forward, mazur_gradients
from course.sigmoid.reference import sigmoid as S
from course.steepest_descent.mistakes import ETA_TWICE, NO_ETA

ETA = 0.5  # the learning rate in the notebooks' global scope (MAZUR_ETA), used by mistakes that reach for it
NO_SLOPE = "σ' is missing: the delta of a sigmoid neuron is multiplied by its slope out (1 - out)."
SLOPE_OF_NET = ("σ' is applied to the net input instead of the output: the slope is out (1 - out), "
                "written with the neuron's OUTPUT, not net (1 - net).")
SLOPE_OF_OUT = ("σ' is taken of the output, σ(out)(1 - σ(out)): the slope of a neuron is σ'(net) = out (1 - out); "
                "the output has already been through the sigmoid.")
UPDATED = ("the hidden deltas use the output weights AFTER their update: every gradient of one step "
           "is taken at the same, old parameters; update the weights only after all gradients are computed.")
ONE_OUTPUT = ("a hidden neuron's error is not summed over both outputs: h1 feeds o1 AND o2, so "
              "dE/dout_h1 = delta_o1 · w5 + delta_o2 · w7 (and h2 uses w6 and w8).")
ONE_OUTPUT_FORMS = (ONE_OUTPUT, dict(hidden="one")), (ONE_OUTPUT, dict(hidden="o2")), \
    (ONE_OUTPUT + " Here h1 hears only o1 (through w5) and h2 only o2 (through w8).", dict(hidden="diagonal")), \
    (ONE_OUTPUT + " Here h1 hears only o2 (through w7) and h2 only o1 (through w6).", dict(hidden="cross"))
STORED_TRANSPOSED = ("the hidden-weight gradients are stored transposed: w2 and w3 are swapped. dE/dw2 = delta_h1 · i2 "
                     "(w2 carries i2 into h1) and dE/dw3 = delta_h2 · i1 (w3 carries i1 into h2).")
HIDDEN_NO_SLOPE = ("σ' is missing in the hidden layer: delta_h1 = (delta_o1 · w5 + delta_o2 · w7) · out_h1 (1 - out_h1); "
                   "the hidden neurons are sigmoid neurons too, so their deltas carry their slope as well.")
UPDATE_FIRST = ("each step updates before it backpropagates: the update uses gradients from the step before (none "
                "at the first step). In every step compute the gradients at the current parameters first, then update.")
NO_BIAS = "the bias gradients are left out: each bias has a gradient too (the sum of the deltas of the neurons it feeds)."
ONE_BIAS_DELTA = "a shared bias gets only one neuron's delta: b1 feeds h1 and h2, so dE/db1 = delta_h1 + delta_h2 (same for b2)."


def _mazur_deltas(p, f, t1, t2, slope="out", sign=1.0, hidden="both", weights=None, hidden_slope=None):
    """Output and hidden deltas of the Mazur network with one mistake switched on (hidden_slope: a slope
    mistake in the hidden layer only, the output layer's slope right)."""
    def slope_of(kind):
        def sl(neuron):
            out, net = f[f"out_{neuron}"], f[f"net_{neuron}"]
            return {"out": out * (1 - out), "none": 1.0, "net": net * (1 - net), "sig_out": S(out) * (1 - S(out))}[kind]
        return sl
    sl = slope_of(slope)
    d_o1 = sign * (f["out_o1"] - t1) * sl("o1")
    d_o2 = sign * (f["out_o2"] - t2) * sl("o2")
    hidden_sl = slope_of(hidden_slope) if hidden_slope else sl
    d_h1, d_h2 = _hidden(p if weights is None else weights(p, f, d_o1, d_o2), d_o1, d_o2, hidden, hidden_sl)
    return d_o1, d_o2, d_h1, d_h2


def _hidden(p, d_o1, d_o2, hidden, sl):
    if hidden == "one":  # o1 only
        return d_o1 * p["w5"] * sl("h1"), d_o1 * p["w6"] * sl("h2")
    if hidden == "o2":  # o2 only
        return d_o2 * p["w7"] * sl("h1"), d_o2 * p["w8"] * sl("h2")
    if hidden == "diagonal":  # h1 hears o1 through w5, h2 hears o2 through w8
        return d_o1 * p["w5"] * sl("h1"), d_o2 * p["w8"] * sl("h2")
    if hidden == "cross":  # h1 hears o2 through w7, h2 hears o1 through w6
        return d_o2 * p["w7"] * sl("h1"), d_o1 * p["w6"] * sl("h2")
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
        h1, h2 = _hidden(q, d_o1, d_o2, kw.get("hidden", "both"), sl)
        return sign * h1, sign * h2
    return variant


def _gradients(bias="both", transposed_out=False, stored_transposed=False, **kw):
    def variant(p, i1, i2, t1, t2):
        f = mazur_forward(p, i1, i2)
        options = dict(kw)
        weights = _stepped_outputs if options.pop("updated", False) else None
        d_o1, d_o2, d_h1, d_h2 = _mazur_deltas(p, f, t1, t2, weights=weights, **options)
        g = {"w1": d_h1 * i1, "w2": d_h1 * i2, "w3": d_h2 * i1, "w4": d_h2 * i2,
             "w5": d_o1 * f["out_h1"], "w6": d_o1 * f["out_h2"], "w7": d_o2 * f["out_h1"], "w8": d_o2 * f["out_h2"]}
        if transposed_out:
            g["w6"], g["w7"] = d_o2 * f["out_h1"], d_o1 * f["out_h2"]
        if stored_transposed:
            g["w2"], g["w3"] = g["w3"], g["w2"]
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


def _train(step=lambda eta, g: -eta * g, biases=None, errors="all", update_first=False):
    """update_first: each step updates with the gradients it has from the step before (none, zeros, at the
    first step) and only then backpropagates at the new parameters."""
    def variant(p, i1, i2, t1, t2, eta, steps, learn_biases=False):
        move = _update(step, biases)
        history = [mazur_error(p, i1, i2, t1, t2)]
        grads = dict.fromkeys(p, 0.0)
        for _ in range(steps):
            if update_first:
                p = move(p, grads, eta, learn_biases)
                grads = mazur_gradients(p, i1, i2, t1, t2)
            else:
                p = move(p, mazur_gradients(p, i1, i2, t1, t2), eta, learn_biases)
            history.append(mazur_error(p, i1, i2, t1, t2))
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


VARIANTS = {
    "forward": [
        (TRANSPOSED, _forward(transposed=True)),
        ("the biases are left out: every net input adds its layer's bias (b1 for h1, h2; b2 for o1, o2).", _forward(bias=False)),
        ("b1 and b2 are swapped: b1 is the hidden layer's bias, b2 the output layer's.", _forward(swap_biases=True)),
        ("the output neurons are not squashed: out_o = σ(net_o) too.", _forward(squash_outputs=False)),
    ],
    "total_error": [
        ("the 1/2 is missing: E = 1/2 (t1 - out_o1)² + 1/2 (t2 - out_o2)².", lambda *a: 2 * mazur_error(*a)),
        ("only o1's error is counted: E_total adds the errors of BOTH outputs.",
         lambda p, i1, i2, t1, t2: 0.5 * (t1 - mazur_forward(p, i1, i2)["out_o1"]) ** 2),
    ],
    "output_deltas": [
        (SIGN, _output_deltas(sign=-1.0)),
        (NO_SLOPE, _output_deltas(slope="none")),
        (SLOPE_OF_NET, _output_deltas(slope="net")),
        (SLOPE_OF_OUT, _output_deltas(slope="sig_out")),
    ],
    "hidden_deltas": [
        (UPDATED, _hidden_variant(updated=True)),
        *((words, _hidden_variant(**form)) for words, form in ONE_OUTPUT_FORMS),
        (TRANSPOSED + " Here: h1's error comes back through w5 and w7, h2's through w6 and w8.", _hidden_variant(hidden="transposed")),
        (SIGN, _hidden_variant(sign=-1.0)),
        (NO_SLOPE, _hidden_variant(slope="none")),
        (SLOPE_OF_NET, _hidden_variant(slope="net")),
        (SLOPE_OF_OUT, _hidden_variant(slope="sig_out")),
    ],
    "gradients": [
        (SIGN, _gradients(sign=-1.0)),
        (NO_BIAS, _gradients(bias="none")),
        (NO_BIAS, _gradients(bias="zero")),
        (ONE_BIAS_DELTA, _gradients(bias="one")),
        (UPDATED, _gradients(updated=True)),
        *((words, _gradients(**form)) for words, form in ONE_OUTPUT_FORMS),
        (TRANSPOSED, _gradients(hidden="transposed")),
        (STORED_TRANSPOSED, _gradients(stored_transposed=True)),
        (HIDDEN_NO_SLOPE, _gradients(hidden_slope="none")),
        (SLOPE_OF_NET + " (in the hidden layer)", _gradients(hidden_slope="net")),
        (SLOPE_OF_OUT + " (in the hidden layer)", _gradients(hidden_slope="sig_out")),
        (TRANSPOSED + " Here: dE/dw6 belongs to o1 (delta_o1 · out_h2) and dE/dw7 to o2 (delta_o2 · out_h1).", _gradients(transposed_out=True)),
        (NO_SLOPE, _gradients(slope="none")),
        (SLOPE_OF_NET, _gradients(slope="net")),
        (SLOPE_OF_OUT, _gradients(slope="sig_out")),
    ],
    "update": [
        (SIGN, _update(step=lambda eta, g: eta * g)),
        (NO_ETA, _update(step=lambda eta, g: -g)),
        (ETA_TWICE, _update(step=lambda eta, g: -eta * eta * g)),
        ("learn_biases is ignored: the biases move only when learn_biases is true.", _update(biases=True)),
        ("learn_biases is ignored: with learn_biases=True b1 and b2 take a step like the weights.", _update(biases=False)),
    ],
    "train": [
        (SIGN + " (Training climbs the error instead of descending it.)", _train(step=lambda eta, g: eta * g)),
        (NO_ETA, _train(step=lambda eta, g: -g)),
        (ETA_TWICE, _train(step=lambda eta, g: -eta * eta * g)),
        ("the error list is off by one: errors[0] is the error BEFORE the first step, then one error after each step.",
         _train(errors="after")),
        ("the error list is off by one: it lacks the error after the last step (steps + 1 errors in all).",
         _train(errors="before")),
        ("learn_biases is not passed on to update: with learn_biases=True the biases learn too.", _train(biases=False)),
        (UPDATE_FIRST, _train(update_first=True)),
    ],
}
