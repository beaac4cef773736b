"""Hidden tests of lesson 8 (autograd from scratch), kernel side: random expressions and graphs.

The student's engine is a class, and what a grading kernel records must be plain numbers. So each
check of an operation or of backward drives the student's code from a plain description: a case is
numbers (for backward: leaf values and a list of operations), and the check's `adapt` builds the Values
with the notebook's own `Value` class, calls the student's function, and returns plain floats (the
result's data and the local derivative it records toward each input; the grad of every node). The
reference (course/autograd/reference.py) goes through the same adapters with the reference engine.

Every check draws at least 20 cases: operands that are one Value used twice (a + a, a * a) or a plain
number; graphs with shared subexpressions, Values used several times and every node on a path to the
root, run through backward twice from the same leaves (the second pass must start from zero).
"""
import math

import numpy as np

from autograder.grading import Check, define_checks, keys
from course.capstone.cases import random_network
from course.mazur_network.cases import networks

LESSON = "autograd"
COUNT = 24


def engine_class(function):
    """The Value class of the notebook (or module) the function was written in."""
    namespace = getattr(function, "__globals__", {})
    if "Value" not in namespace:
        raise NameError("there is no class Value beside this function")
    return namespace["Value"]


def local_record(out, inputs):
    """{"data": out.data, "local": [d out / d x for each input x]}: for each input, the local derivatives
    that out records toward it, added (a Value used twice is one parent twice)."""
    return {"data": float(out.data),
            "local": [float(sum(d for parent, d in out.parents if parent is x)) for x in inputs]}


# ------------------------------------------------------------------ the operations

def binary(function):
    """add(a, b) or mul(a, b) on case (x, y, kind): b is another Value, the same Value as a, or a plain number."""
    def record(x, y, kind):
        Value = engine_class(function)
        a = Value(x)
        b = {"values": Value(y), "same": a, "number": y}[kind]
        return local_record(function(a, b), [a, b] if kind == "values" else [a])
    return record


def power_of(function):
    """power(a, k) on case (x, k), k a plain number."""
    def record(x, k):
        a = engine_class(function)(x)
        return local_record(function(a, k), [a])
    return record


def unary(function):
    """exp(a) or sigmoid(a) on case (x,)."""
    def record(x):
        a = engine_class(function)(x)
        return local_record(function(a), [a])
    return record


def binary_cases(seed):
    rng = np.random.default_rng(seed)
    kinds = ("values", "same", "number")
    return [(float(rng.uniform(-3, 3)), float(rng.uniform(-3, 3)), kinds[k % 3]) for k in range(COUNT)]


def power_cases():
    rng = np.random.default_rng(803)
    cases = []
    for k in range(COUNT):
        exponent = (2, 3, -1, 0.5, 1.5, 4)[k % 6]
        x = float(rng.uniform(0.2, 3.0)) if exponent != int(exponent) or exponent < 0 else float(rng.uniform(-3, 3))
        cases.append((x, float(exponent)))
    return cases


def unary_cases(seed, low=-4.0, high=4.0):
    rng = np.random.default_rng(seed)
    return [(float(x),) for x in rng.uniform(low, high, size=COUNT)]


# ------------------------------------------------------------------ graphs for backward

def node_of(Value, op, a, b):
    """A new node of the student's Value class with the local derivatives worked out here, not by the student."""
    if op == "add":
        return Value(a.data + b.data, ((a, 1.0), (b, 1.0)))
    if op == "mul":
        return Value(a.data * b.data, ((a, b.data), (b, a.data)))
    if op == "scale":
        return Value(b * a.data, ((a, b),))
    if op == "pow":
        return Value(a.data ** b, ((a, b * a.data ** (b - 1)),))
    if op == "exp":
        e = math.exp(a.data)
        return Value(e, ((a, e),))
    s = 1.0 / (1.0 + math.exp(-a.data))  # sigmoid
    return Value(s, ((a, s * (1.0 - s)),))


def build(Value, leaves, ops):
    """Every node of the graph described by ops, leaves first; ops are (op, i, j) on earlier nodes
    (j a node index for add and mul, a number for scale and pow, None otherwise)."""
    nodes = list(leaves)
    for op, i, j in ops:
        nodes.append(node_of(Value, op, nodes[i], nodes[j] if op in ("add", "mul") else j))
    return nodes


def backward_record(function):
    """backward(root) on case (leaves, first, second): two graphs over the same leaf Values, one pass each;
    the grad of every node after each pass (leaves first, the root last)."""
    def record(leaves, first, second):
        Value = engine_class(function)
        xs = [Value(v) for v in leaves]
        grads = {}
        for name, ops in (("first", first), ("second", second)):
            nodes = build(Value, xs, ops)
            function(nodes[-1])
            grads[name] = [float(node.grad) for node in nodes]
        return grads
    return record


def random_ops(rng, leaves, n_ops):
    """A random graph: each op takes recent nodes more often (long paths), sometimes one node twice
    (x * x, x + x); at the end every node no op has used yet is added into the root, so that every
    node lies on a path to the root and shared subexpressions meet there along paths of different length."""
    data, ops, used = list(leaves), [], set()
    for _ in range(n_ops):
        count = len(data)
        i = int(count - 1 - min(rng.geometric(0.35) - 1, count - 1))
        op = ("add", "mul", "mul", "scale", "pow", "exp", "sigmoid")[int(rng.integers(7))]
        j = i if rng.random() < 0.25 else int(rng.integers(count))
        if op in ("add", "mul"):
            value = data[i] + data[j] if op == "add" else data[i] * data[j]
        elif op == "scale":
            j = float(rng.uniform(-2.0, 2.0))
            value = j * data[i]
        elif op == "pow":
            j = float(rng.integers(2, 4))
            value = data[i] ** j
        else:
            j = None
            value = math.exp(data[i]) if op == "exp" else 1.0 / (1.0 + math.exp(-data[i]))
        if abs(value) > 50.0:  # keep every number moderate: squash instead
            op, j, value = "sigmoid", None, 1.0 / (1.0 + math.exp(-data[i]))
        used.update((i, j) if op in ("add", "mul") else (i,))
        ops.append((op, i, j))
        data.append(value)
    dangling = [k for k in range(len(data) - 1) if k not in used]
    last = len(data) - 1
    for k in dangling:
        ops.append(("add", last, k))
        last += 1
    return ops


def backward_cases():
    rng = np.random.default_rng(806)
    cases = []
    for _ in range(COUNT):
        leaves = [float(v) for v in rng.uniform(-1.5, 1.5, size=int(rng.integers(1, 5)))]
        cases.append((leaves, random_ops(rng, leaves, int(rng.integers(3, 14))),
                      random_ops(rng, leaves, int(rng.integers(3, 14)))))
    return cases


# ------------------------------------------------------------------ whole networks from Values

MAZUR_PARAMS = ("w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "b1", "b2")
MAZUR_NODES = ("net_h1", "out_h1", "net_h2", "out_h2", "net_o1", "out_o1", "net_o2", "out_o2", "E_o1", "E_o2", "E")


def mazur_record(function):
    """mazur_graph(p, i1, i2, t1, t2) -> {name: Value}; then E.backward(): the data of every node and the grad
    of every parameter and node, by the lessons' names."""
    def record(p, i1, i2, t1, t2):
        graph = function(p, i1, i2, t1, t2)
        graph["E"].backward()
        return {"data": {name: float(graph[name].data) for name in MAZUR_NODES},
                "grad": {name: float(graph[name].grad) for name in MAZUR_PARAMS + MAZUR_NODES}}
    return record


def mazur_forward_record(function):
    """mazur_graph(p, i1, i2, t1, t2) -> {name: Value}: the data of every node, with no backward pass, so the
    forward pass is judged on its own (a backward that raises or is not written yet costs only the gradients)."""
    def record(p, i1, i2, t1, t2):
        graph = function(p, i1, i2, t1, t2)
        return {"data": {name: float(graph[name].data) for name in MAZUR_NODES}}
    return record


def mazur_cases():
    return networks(807)[0]


def network_cases():
    rng = np.random.default_rng(808)
    cases = []
    for _ in range(COUNT):
        layers, X, T = random_network(rng, "sigmoid")
        cases.append((layers, X, T))
    return cases


CHECKS = {
    "add": Check("add_record", lambda: binary_cases(801),
                 "return Value(a.data + b.data) whose parents are a and b, each with local derivative 1 "
                 "(a + a: the parent a twice).", adapt=binary),
    "mul": Check("mul_record", lambda: binary_cases(802),
                 "return Value(a.data * b.data) whose parents are a with local derivative b.data and b with "
                 "local derivative a.data (a * a: the parent a twice).", adapt=binary),
    "power": Check("power_record", power_cases,
                   "return Value(a.data ** k) with the one parent a and local derivative k · a.data ** (k - 1).",
                   adapt=power_of),
    "exp": Check("exp_record", lambda: unary_cases(804),
                 "return Value(e ** a.data) with the one parent a and local derivative e ** a.data (exp is its "
                 "own derivative).", adapt=unary),
    "sigmoid": Check("sigmoid_record", lambda: unary_cases(805, -6.0, 6.0),
                     "return Value(s) with s = σ(a.data), the one parent a and local derivative s (1 - s).",
                     adapt=unary),
    "backward": Check("backward_record", backward_cases,
                      "set every node's grad to 0 and the root's to 1, then visit the nodes in reverse "
                      "topological order (each node once, after every node it feeds) and ADD "
                      "local derivative × node.grad into each parent's grad (+=).",
                      adapt=backward_record, function="backward", part=keys("first"), label="one pass"),
    "backward_again": Check("backward_record", backward_cases,
                            "start every pass by setting the grad of every node of the graph to 0: a second "
                            "graph over the same leaves must give the leaves their new gradients, not the sum "
                            "of both passes.", adapt=backward_record, function="backward", part=keys("second"),
                            label="a second pass over the same leaves"),
    "mazur_values": Check("mazur_forward_record", mazur_cases,
                          "return {name: Value} with w1..w8, b1, b2 and every node net_h1 .. out_o2, E_o1, E_o2, "
                          "E of the Mazur network built from them (b1 one Value shared by h1 and h2, b2 by o1 and "
                          "o2; E_o1 = ½ (t1 - out_o1)²).", adapt=mazur_forward_record, function="mazur_graph",
                          part=keys("data"), label="the forward pass"),
    "mazur_gradients": Check("mazur_record", mazur_cases,
                             "after E.backward() every parameter's and node's grad is dE/d(it): a shared "
                             "Value (b1, out_h1) collects what every path brings.", adapt=mazur_record,
                             function="mazur_graph", part=keys("grad"), label="the gradients after backward"),
    "network_gradients": Check("network_gradients", network_cases,
                               "return [(dE/dW, dE/db) per layer] as arrays shaped like W and b, read off the "
                               "grads of Values for every weight and bias, E = ½ Σ (T - out)² over the batch.",
                               uses=("backward", "sigmoid")),
}


define_checks(globals())
