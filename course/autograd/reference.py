"""Reference of lesson 8 (autograd from scratch), in lesson order; grader side only.

The engine is the notebook's: a Value holds data, grad and its parents, each parent with the local
derivative of this node toward it; backward visits the graph in reverse topological order and adds.
The `*_record` functions at the end are what the hidden checks judge: the same adapters as the
grading kernel's (course/autograd/cases.py), run on this engine.
"""
import math

import numpy as np

from course.autograd import cases


class Value:
    """A number that remembers how it was made: its parents, each with the local derivative d self / d parent."""

    def __init__(self, data, parents=()):
        self.data = float(data)
        self.grad = 0.0
        self.parents = tuple(parents)

    def __repr__(self):
        return f"Value(data={self.data:.9g}, grad={self.grad:.9g})"

    def __add__(self, other):
        return add(self, other)

    __radd__ = __add__

    def __mul__(self, other):
        return mul(self, other)

    __rmul__ = __mul__

    def __neg__(self):
        return mul(self, -1.0)

    def __sub__(self, other):
        return add(self, mul(as_value(other), -1.0))

    def __rsub__(self, other):
        return add(mul(self, -1.0), other)

    def __pow__(self, k):
        return power(self, k)

    def exp(self):
        return exp(self)

    def sigmoid(self):
        return sigmoid(self)

    def backward(self):
        backward(self)


def as_value(x):
    """x itself if it is a Value, else a new Value holding the number x (a constant: no parents)."""
    return x if isinstance(x, Value) else Value(x)


def add(a, b):
    a, b = as_value(a), as_value(b)
    return Value(a.data + b.data, ((a, 1.0), (b, 1.0)))


def mul(a, b):
    a, b = as_value(a), as_value(b)
    return Value(a.data * b.data, ((a, b.data), (b, a.data)))


def power(a, k):
    return Value(a.data ** k, ((a, k * a.data ** (k - 1)),))


def exp(a):
    e = math.exp(a.data)
    return Value(e, ((a, e),))


def sigmoid(a):
    s = 1.0 / (1.0 + math.exp(-a.data))
    return Value(s, ((a, s * (1.0 - s)),))


def topological_order(root):
    """Every node of root's graph once, each after all of its parents: the order of the lesson's recursive
    depth-first search (parents in the order recorded), without its recursion limit. Mistakes that make the
    result depend on the order (`=` for `+=`) are then named for a student who searched that way."""
    order, seen, stack = [], {id(root)}, [(root, iter(root.parents))]
    while stack:
        node, parents = stack[-1]
        for parent, _ in parents:
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append((parent, iter(parent.parents)))
                break
        else:
            stack.pop()
            order.append(node)
    return order


def backward(root):
    order = topological_order(root)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        for parent, local in node.parents:
            parent.grad += local * node.grad


def mazur_graph(p, i1, i2, t1, t2):
    """The Mazur network as Values: {name: Value} of the parameters and of every named node, E last."""
    w = {name: Value(p[name]) for name in cases.MAZUR_PARAMS}
    net_h1 = w["w1"] * i1 + w["w2"] * i2 + w["b1"]
    net_h2 = w["w3"] * i1 + w["w4"] * i2 + w["b1"]
    out_h1, out_h2 = net_h1.sigmoid(), net_h2.sigmoid()
    net_o1 = w["w5"] * out_h1 + w["w6"] * out_h2 + w["b2"]
    net_o2 = w["w7"] * out_h1 + w["w8"] * out_h2 + w["b2"]
    out_o1, out_o2 = net_o1.sigmoid(), net_o2.sigmoid()
    E_o1, E_o2 = 0.5 * (t1 - out_o1) ** 2, 0.5 * (t2 - out_o2) ** 2
    return {**w, "net_h1": net_h1, "out_h1": out_h1, "net_h2": net_h2, "out_h2": out_h2, "net_o1": net_o1,
            "out_o1": out_o1, "net_o2": net_o2, "out_o2": out_o2, "E_o1": E_o1, "E_o2": E_o2, "E": E_o1 + E_o2}


def network_gradients(layers, X, T):
    Ws = [[[Value(v) for v in row] for row in np.asarray(W, dtype=float)] for W, _ in layers]
    bs = [[Value(v) for v in np.asarray(b, dtype=float)] for _, b in layers]
    E = Value(0.0)
    for x, t in zip(np.atleast_2d(X), np.atleast_2d(T)):
        out = [float(v) for v in x]
        for W, b in zip(Ws, bs):
            out = [sigmoid(sum((w_jk * o for w_jk, o in zip(row, out)), b_j)) for row, b_j in zip(W, b)]
        for o, target in zip(out, t):
            E = E + 0.5 * (float(target) - o) ** 2
    backward(E)
    return [(np.array([[w.grad for w in row] for row in W]).reshape(np.shape(layers[k][0])),
             np.array([b.grad for b in bs[k]]))
            for k, W in enumerate(Ws)]


# ------------------------------------------------------------------ what the hidden checks judge

add_record = cases.binary(add)
mul_record = cases.binary(mul)
power_record = cases.power_of(power)
exp_record = cases.unary(exp)
sigmoid_record = cases.unary(sigmoid)
backward_record = cases.backward_record(backward)
mazur_record = cases.mazur_record(mazur_graph)
mazur_forward_record = cases.mazur_forward_record(mazur_graph)
