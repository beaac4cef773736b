"""Reference of lesson 6, the Mazur 2-2-2 sigmoid network (Mazur's post, Pahwa's slides): weights w1..w8,
biases b1 (shared by h1, h2) and b2 (shared by o1, o2); net_h1, out_h1, ..., delta_o1, ....

Grader side only: a grading kernel never sees this module. The hidden checks (cases.py) name
these functions; the judge computes them on the same cases and compares.
"""
import numpy as np

from course.chain_rule.reference import squared_error
from course.sigmoid.reference import sigmoid
from course.steepest_descent.reference import gradient_step


def mazur_forward(p, i1, i2):
    """net and out of h1, h2, o1, o2; b1 is shared by h1, h2 and b2 by o1, o2."""
    net_h1 = p["w1"] * i1 + p["w2"] * i2 + p["b1"]
    net_h2 = p["w3"] * i1 + p["w4"] * i2 + p["b1"]
    out_h1, out_h2 = sigmoid(net_h1), sigmoid(net_h2)
    net_o1 = p["w5"] * out_h1 + p["w6"] * out_h2 + p["b2"]
    net_o2 = p["w7"] * out_h1 + p["w8"] * out_h2 + p["b2"]
    return {
        "net_h1": net_h1, "out_h1": out_h1, "net_h2": net_h2, "out_h2": out_h2,
        "net_o1": net_o1, "out_o1": sigmoid(net_o1),
        "net_o2": net_o2, "out_o2": sigmoid(net_o2),
    }


def mazur_error(p, i1, i2, t1, t2):
    """E_total = E_o1 + E_o2."""
    f = mazur_forward(p, i1, i2)
    return squared_error([t1, t2], [f["out_o1"], f["out_o2"]])


def mazur_output_deltas(f, t1, t2):
    """(delta_o1, delta_o2) = dE/dnet_o = -(t - out) * out * (1 - out), from a forward-pass dict f."""
    return (-(t1 - f["out_o1"]) * f["out_o1"] * (1.0 - f["out_o1"]),
            -(t2 - f["out_o2"]) * f["out_o2"] * (1.0 - f["out_o2"]))


def mazur_hidden_deltas(p, f, delta_o1, delta_o2):
    """(delta_h1, delta_h2): each hidden neuron sums what it sends to both outputs, times its slope."""
    return ((delta_o1 * p["w5"] + delta_o2 * p["w7"]) * f["out_h1"] * (1.0 - f["out_h1"]),
            (delta_o1 * p["w6"] + delta_o2 * p["w8"]) * f["out_h2"] * (1.0 - f["out_h2"]))


def mazur_deltas(p, i1, i2, t1, t2):
    """Node deltas dE/dnet: delta_o1, delta_o2, then delta_h1, delta_h2 (using w5..w8 as given)."""
    f = mazur_forward(p, i1, i2)
    delta_o1 = -(t1 - f["out_o1"]) * f["out_o1"] * (1.0 - f["out_o1"])
    delta_o2 = -(t2 - f["out_o2"]) * f["out_o2"] * (1.0 - f["out_o2"])
    delta_h1 = (delta_o1 * p["w5"] + delta_o2 * p["w7"]) * f["out_h1"] * (1.0 - f["out_h1"])
    delta_h2 = (delta_o1 * p["w6"] + delta_o2 * p["w8"]) * f["out_h2"] * (1.0 - f["out_h2"])
    return {"delta_o1": delta_o1, "delta_o2": delta_o2, "delta_h1": delta_h1, "delta_h2": delta_h2}


def mazur_gradients(p, i1, i2, t1, t2):
    """dE_total/dw1..dw8, dE/db1 and dE/db2 (each bias feeds two neurons: their deltas add)."""
    f = mazur_forward(p, i1, i2)
    d = mazur_deltas(p, i1, i2, t1, t2)
    return {
        "w1": d["delta_h1"] * i1, "w2": d["delta_h1"] * i2,
        "w3": d["delta_h2"] * i1, "w4": d["delta_h2"] * i2,
        "w5": d["delta_o1"] * f["out_h1"], "w6": d["delta_o1"] * f["out_h2"],
        "w7": d["delta_o2"] * f["out_h1"], "w8": d["delta_o2"] * f["out_h2"],
        "b1": d["delta_h1"] + d["delta_h2"], "b2": d["delta_o1"] + d["delta_o2"],
    }


def mazur_update(p, grads, eta, learn_biases=False):
    """One gradient step; the source (Mazur) keeps b1 and b2 fixed, so that is the default."""
    new = gradient_step(p, grads, eta)
    if not learn_biases:
        new["b1"], new["b2"] = p["b1"], p["b2"]
    return new


def mazur_train(p, i1, i2, t1, t2, eta, steps, learn_biases=False):
    """Parameters and the list of errors [E before step 1, ..., E after the last step]."""
    errors = [mazur_error(p, i1, i2, t1, t2)]
    for _ in range(steps):
        p = mazur_update(p, mazur_gradients(p, i1, i2, t1, t2), eta, learn_biases)
        errors.append(mazur_error(p, i1, i2, t1, t2))
    return p, errors


def mazur_source_order_step(p, i1, i2, t1, t2, eta):
    """NOT a gradient step: w5..w8 are updated first and the hidden deltas use the new ones.

    This order reproduces the numbers Mazur prints after 1 and 10,000 updates; biases stay fixed.
    """
    f = mazur_forward(p, i1, i2)
    delta_o1, delta_o2 = mazur_output_deltas(f, t1, t2)
    q = dict(p)
    for name, delta, out in (("w5", delta_o1, "out_h1"), ("w6", delta_o1, "out_h2"),
                             ("w7", delta_o2, "out_h1"), ("w8", delta_o2, "out_h2")):
        q[name] = p[name] - eta * delta * f[out]
    delta_h1, delta_h2 = mazur_hidden_deltas(q, f, delta_o1, delta_o2)
    for name, delta, x in (("w1", delta_h1, i1), ("w2", delta_h1, i2), ("w3", delta_h2, i1), ("w4", delta_h2, i2)):
        q[name] = p[name] - eta * delta * x
    return q


def mazur_to_layers(p):
    """The same network as a list of (W, b) layers for the general functions below."""
    W1 = np.array([[p["w1"], p["w2"]], [p["w3"], p["w4"]]], dtype=float)
    W2 = np.array([[p["w5"], p["w6"]], [p["w7"], p["w8"]]], dtype=float)
    return [(W1, np.full(2, float(p["b1"]))), (W2, np.full(2, float(p["b2"])))]
