"""Reference implementation of everything Backprop Lab asks students to write.

This module is the single source of truth the hidden tests grade against.
It is never released to students. Notation follows the lessons:

* one sigmoid neuron (Ahmadi): inputs x1, x2, weights w1, w2, bias b, desired d;
* the hmkcode linear 2-2-1 network (hmkcode's lecture and assignment): weights w1..w6, inputs i1, i2,
  h1 = i1*w1 + i2*w2, h2 = i1*w3 + i2*w4, out = h1*w5 + h2*w6;
* the Mazur 2-2-2 sigmoid network (Pahwa, Mazur): weights w1..w8, biases b1
  (shared by h1, h2) and b2 (shared by o1, o2);
* any fully connected network: a list of layers (W, b), W of shape (n_out, n_in),
  acting on a batch X of shape (n_samples, n_in).

The error is always E = 1/2 * sum((target - out)**2).
"""
import numpy as np

# --------------------------------------------------------------------------- sigmoid


def sigmoid(x):
    """The logistic function 1 / (1 + exp(-x)), elementwise, without overflow."""
    x = np.asarray(x, dtype=float)
    with np.errstate(under="ignore"):
        z = np.exp(-np.abs(x))
    out = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))
    return out[()] if out.ndim == 0 else out


def sigmoid_derivative(x):
    """dσ/dx at x, written through the sigmoid itself: σ(x) (1 - σ(x))."""
    s = sigmoid(x)
    return s * (1.0 - s)


def squared_error(target, out):
    """E = 1/2 * sum((target - out)**2) over all outputs (and samples)."""
    diff = np.asarray(target, dtype=float) - np.asarray(out, dtype=float)
    return 0.5 * float(np.sum(diff**2))


# ------------------------------------------------------------------ numerical gradients


def numerical_derivative(f, x, h=1e-5):
    """Central difference (f(x + h) - f(x - h)) / 2h of a scalar function."""
    return (f(x + h) - f(x - h)) / (2.0 * h)


def numerical_gradient(f, params, h=1e-5):
    """Central-difference gradient of scalar f(params) for a dict of floats or arrays."""
    grads = {}
    for name, value in params.items():
        value = np.array(value, dtype=float)
        grad = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            shifted = dict(params)
            for sign in (+1, -1):
                bumped = value.copy()
                bumped[index] += sign * h
                shifted[name] = bumped if bumped.ndim else float(bumped)
                grad[index] += sign * f(shifted) / (2.0 * h)
        grads[name] = grad if grad.ndim else float(grad)
    return grads


def gradient_step(params, grads, eta):
    """One step of steepest descent: every parameter p becomes p - eta * dE/dp."""
    return {name: params[name] - eta * grads[name] for name in params}


# ----------------------------------------------------------- (a) one sigmoid neuron


def neuron_forward(p, x1, x2):
    """s = x1*w1 + x2*w2 + b and the output y = σ(s); p holds w1, w2, b."""
    s = x1 * p["w1"] + x2 * p["w2"] + p["b"]
    return {"s": s, "y": sigmoid(s)}


def neuron_error(p, x1, x2, d):
    """E = 1/2 (d - y)^2 for one neuron."""
    return squared_error(d, neuron_forward(p, x1, x2)["y"])


def neuron_gradients(p, x1, x2, d):
    """dE/dw1, dE/dw2, dE/db by the chain rule: dE/dy * dy/ds * ds/dparam."""
    y = neuron_forward(p, x1, x2)["y"]
    delta = -(d - y) * y * (1.0 - y)
    return {"w1": delta * x1, "w2": delta * x2, "b": delta}


def delta_rule_update(p, x1, x2, d, eta):
    """The update Ahmadi prints: W + eta (d - Y) X, with X = (x1, x2, +1).

    It omits σ'(s) = y (1 - y), so it is not a gradient step on E = 1/2 (d - y)^2.
    """
    y = neuron_forward(p, x1, x2)["y"]
    step = eta * (d - y)
    return {"w1": p["w1"] + step * x1, "w2": p["w2"] + step * x2, "b": p["b"] + step}


# ------------------------------------------------- (b) the hmkcode linear 2-2-1 network


def linear_forward(w, i1, i2):
    """Hidden values h1, h2 and the prediction out; no activation anywhere."""
    h1 = i1 * w["w1"] + i2 * w["w2"]
    h2 = i1 * w["w3"] + i2 * w["w4"]
    return {"h1": h1, "h2": h2, "out": h1 * w["w5"] + h2 * w["w6"]}


def linear_error(w, i1, i2, target):
    """E = 1/2 (target - out)^2."""
    return squared_error(target, linear_forward(w, i1, i2)["out"])


def linear_gradients(w, i1, i2, target):
    """The six dE/dw in closed form; delta = out - target."""
    f = linear_forward(w, i1, i2)
    delta = f["out"] - target
    return {
        "w1": delta * w["w5"] * i1,
        "w2": delta * w["w5"] * i2,
        "w3": delta * w["w6"] * i1,
        "w4": delta * w["w6"] * i2,
        "w5": delta * f["h1"],
        "w6": delta * f["h2"],
    }


def linear_gradients_matrix(W1, W2, x, target):
    """Matrix form for one sample: (dE/dW1, dE/dW2) = ((W2^T delta) x^T, delta h^T)."""
    x = np.asarray(x, dtype=float)
    h = W1 @ x
    delta = W2 @ h - target
    return np.outer(W2.T @ delta, x), np.outer(delta, h)


# ---------------------------------------------- (c) the Mazur 2-2-2 sigmoid network


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


def mazur_to_layers(p):
    """The same network as a list of (W, b) layers for the general functions below."""
    W1 = np.array([[p["w1"], p["w2"]], [p["w3"], p["w4"]]], dtype=float)
    W2 = np.array([[p["w5"], p["w6"]], [p["w7"], p["w8"]]], dtype=float)
    return [(W1, np.full(2, float(p["b1"]))), (W2, np.full(2, float(p["b2"])))]


# ------------------------------- (c2) lesson 6: the Mazur network's deltas, piece by piece


def mazur_output_deltas(f, t1, t2):
    """(delta_o1, delta_o2) = dE/dnet_o = -(t - out) * out * (1 - out), from a forward-pass dict f."""
    return (-(t1 - f["out_o1"]) * f["out_o1"] * (1.0 - f["out_o1"]),
            -(t2 - f["out_o2"]) * f["out_o2"] * (1.0 - f["out_o2"]))


def mazur_hidden_deltas(p, f, delta_o1, delta_o2):
    """(delta_h1, delta_h2): each hidden neuron sums what it sends to both outputs, times its slope."""
    return ((delta_o1 * p["w5"] + delta_o2 * p["w7"]) * f["out_h1"] * (1.0 - f["out_h1"]),
            (delta_o1 * p["w6"] + delta_o2 * p["w8"]) * f["out_h2"] * (1.0 - f["out_h2"]))


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


# ----------------------------------------- (d) any fully connected network, on a batch

ACTIVATIONS = {
    "sigmoid": (sigmoid, lambda out: out * (1.0 - out)),
    "linear": (lambda net: net, lambda out: np.ones_like(out)),
}


def mlp_forward(layers, X, activation="sigmoid"):
    """The outputs of every layer, input first: [X, out_1, ..., out_L]; X is (n, n_in)."""
    f, _ = ACTIVATIONS[activation]
    outs = [np.atleast_2d(np.asarray(X, dtype=float))]
    for W, b in layers:
        outs.append(f(outs[-1] @ W.T + b))
    return outs


def mlp_error(layers, X, T, activation="sigmoid"):
    """E = 1/2 * sum over samples and outputs of (T - out)^2."""
    return squared_error(T, mlp_forward(layers, X, activation)[-1])


def mlp_backward(layers, X, T, activation="sigmoid"):
    """[(dE/dW, dE/db) per layer] by backpropagation, summed over the batch."""
    _, df = ACTIVATIONS[activation]
    outs = mlp_forward(layers, X, activation)
    delta = (outs[-1] - np.atleast_2d(T)) * df(outs[-1])
    grads = []
    for k in range(len(layers) - 1, -1, -1):
        W, _ = layers[k]
        grads.append((delta.T @ outs[k], delta.sum(axis=0)))
        if k:
            delta = (delta @ W) * df(outs[k])
    return grads[::-1]


def mlp_update(layers, grads, eta):
    """One gradient step on every layer."""
    return [(W - eta * gW, b - eta * gb) for (W, b), (gW, gb) in zip(layers, grads)]


def mlp_train(layers, X, T, eta, steps, activation="sigmoid"):
    """Full-batch gradient descent; returns the layers and the error before each step and at the end."""
    errors = [mlp_error(layers, X, T, activation)]
    for _ in range(steps):
        layers = mlp_update(layers, mlp_backward(layers, X, T, activation), eta)
        errors.append(mlp_error(layers, X, T, activation))
    return layers, errors


def random_layers(sizes, rng, scale=1.0):
    """Random layers for the given sizes, e.g. [2, 3, 1], with weights ~ N(0, scale^2)."""
    return [
        (scale * rng.standard_normal((n_out, n_in)), scale * rng.standard_normal(n_out))
        for n_in, n_out in zip(sizes[:-1], sizes[1:])
    ]


# ------------------------------------------------- (e) lesson 2: the chain rule (Pahwa)


def chain_derivative(f_prime, g_prime, g, x):
    """d/dx f(g(x)) = f'(g(x)) * g'(x): the outer slope is taken at the inner value."""
    return f_prime(g(x)) * g_prime(x)


def neuron_output_derivatives(w, b, x):
    """dy/dw and dy/db of one neuron y = σ(s), s = w*x + b: σ'(s) * x and σ'(s)."""
    slope = sigmoid_derivative(w * x + b)
    return {"w": slope * x, "b": slope}


def two_output_forward(w, v1, v2, x):
    """A hidden neuron h = σ(w*x) feeding two linear outputs o1 = v1*h and o2 = v2*h."""
    h = sigmoid(w * x)
    return {"h": h, "o1": v1 * h, "o2": v2 * h}


def two_output_error(w, v1, v2, x, t1, t2):
    """E = 1/2 (t1 - o1)^2 + 1/2 (t2 - o2)^2 of the two-output graph."""
    f = two_output_forward(w, v1, v2, x)
    return squared_error([t1, t2], [f["o1"], f["o2"]])


def hidden_weight_gradient(w, v1, v2, x, t1, t2):
    """dE/dw: the paths through o1 and o2 add at h, then times dh/dw = σ'(w*x) * x."""
    f = two_output_forward(w, v1, v2, x)
    dE_dh = (f["o1"] - t1) * v1 + (f["o2"] - t2) * v2
    return dE_dh * f["h"] * (1.0 - f["h"]) * x


# ------------------------------------------- (f) lesson 3: steepest descent (Pahwa)


def steepest_move(gradient, distance):
    """The move of the given length along the gradient: distance * g / |g| (steepest ascent)."""
    g = np.asarray(gradient, dtype=float)
    return distance * g / np.linalg.norm(g)


def revenue_slope(x, pay_east, pay_north, max_miles):
    """dr/dx of r(x) = pay_east*x + pay_north*sqrt(max_miles^2 - x^2), the full distance driven."""
    return pay_east - pay_north * x / np.sqrt(max_miles**2 - x**2)


def bowl_error(w, a, b):
    """The elongated bowl E(w1, w2) = 1/2 (a w1^2 + b w2^2)."""
    return 0.5 * (a * w[0] ** 2 + b * w[1] ** 2)


def bowl_gradient(w, a, b):
    """(dE/dw1, dE/dw2) = (a w1, b w2) of the bowl, as an array."""
    return np.array([a * w[0], b * w[1]], dtype=float)


def descent_step(w, grad, eta):
    """One step downhill on an array of parameters: w - eta * grad (a new array)."""
    return np.asarray(w, dtype=float) - eta * np.asarray(grad, dtype=float)


def gradient_descent(gradient, w0, eta, steps):
    """The path [w0, w1, ..., w_steps] as an array of shape (steps + 1, len(w0))."""
    w = np.asarray(w0, dtype=float)
    path = [w]
    for _ in range(steps):
        w = descent_step(w, gradient(w), eta)
        path.append(w)
    return np.array(path)


# --------------------------- (g) lessons 4 and 5: one gradient-descent step (Ahmadi, hmkcode)


def neuron_update(p, x1, x2, d, eta):
    """One gradient-descent step on E = 1/2 (d - y)^2 of the single neuron: p - eta * dE/dp."""
    return gradient_step(p, neuron_gradients(p, x1, x2, d), eta)


def linear_update(w, i1, i2, target, eta):
    """One gradient-descent step of the linear 2-2-1 network; all six gradients use the old weights."""
    return gradient_step(w, linear_gradients(w, i1, i2, target), eta)


# ------------------------ (h) lesson 7: the capstone, piece by piece and gradient checking


def mlp_output_delta(out, T, activation="sigmoid"):
    """dE/dnet of the output layer: (out - T) times the activation's slope at out."""
    _, df = ACTIVATIONS[activation]
    out = np.asarray(out, dtype=float)
    return (out - np.asarray(T, dtype=float)) * df(out)


def mlp_hidden_delta(delta_next, W_next, out, activation="sigmoid"):
    """dE/dnet of a hidden layer: (delta_next @ W_next) times the slope at the layer's output out."""
    _, df = ACTIVATIONS[activation]
    out = np.asarray(out, dtype=float)
    return (np.asarray(delta_next, dtype=float) @ np.asarray(W_next, dtype=float)) * df(out)


def mlp_numerical_gradient(error_fn, layers, h=1e-5):
    """Central differences of error_fn(layers), shaped like mlp_backward's [(dE/dW, dE/db) per layer]."""
    params = {f"{kind}{k}": array for k, layer in enumerate(layers) for kind, array in zip("Wb", layer)}

    def error_of(p):
        return error_fn([(p[f"W{k}"], p[f"b{k}"]) for k in range(len(layers))])

    grads = numerical_gradient(error_of, params, h)
    return [(grads[f"W{k}"], grads[f"b{k}"]) for k in range(len(layers))]


def gradient_relative_error(a, b):
    """|a - b| / (|a| + |b|) with Euclidean norms over all entries; 0.0 when both are zero."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)
