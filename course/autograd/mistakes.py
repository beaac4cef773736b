"""The classic mistakes of lesson 8, as variants of the reference, so feedback can name the one a student made.

VARIANTS = {function: [(what the student did, in words; a function of the hidden case that makes that
mistake)]}; each variant goes through the same adapter as the student's code (course/autograd/cases.py).
"""
import math

import numpy as np

from course.autograd import cases
from course.autograd.reference import Value, as_value, mazur_graph, network_gradients, topological_order

TWICE = ("a Value used twice is recorded once: in a + a (or a * a) the node has the parent a TWICE, one entry "
         "per operand, and backward adds both.")


def _add_one_parent(a, b):
    a, b = as_value(a), as_value(b)
    return Value(a.data + b.data, ((a, 1.0),))


def _add_once(a, b):
    a, b = as_value(a), as_value(b)
    return Value(a.data + b.data, tuple({id(x): (x, 1.0) for x in (a, b)}.values()))


def _mul_own_operand(a, b):
    a, b = as_value(a), as_value(b)
    return Value(a.data * b.data, ((a, a.data), (b, b.data)))


def _mul_one_parent(a, b):
    a, b = as_value(a), as_value(b)
    return Value(a.data * b.data, ((a, b.data),))


def _mul_ones(a, b):
    a, b = as_value(a), as_value(b)
    return Value(a.data * b.data, ((a, 1.0), (b, 1.0)))


def _power(local):
    def power(a, k):
        return Value(a.data ** k, ((a, local(a.data, k)),))
    return power


def _exp(local):
    def exp(a):
        return Value(math.exp(a.data), ((a, local(a.data)),))
    return exp


def _sigmoid(local):
    def sigmoid(a):
        s = 1.0 / (1.0 + math.exp(-a.data))
        return Value(s, ((a, local(a.data, s)),))
    return sigmoid


def breadth_first(root):
    """Nodes level by level from the root: a node reached by a short and a long path comes out too early."""
    order, seen, queue = [], {id(root)}, [root]
    while queue:
        node = queue.pop(0)
        order.append(node)
        for parent, _ in node.parents:
            if id(parent) not in seen:
                seen.add(id(parent))
                queue.append(parent)
    return order[::-1]


def with_repeats(root):
    """Depth-first without a visited set: a shared node appears once per path to it."""
    order = []

    def visit(node):
        for parent, _ in node.parents:
            visit(parent)
        order.append(node)
    visit(root)
    return order


def _backward(order=topological_order, accumulate=True, reset=True, reverse=True, root_one=True):
    def backward(root):
        nodes = order(root)
        if reset:
            for node in nodes:
                node.grad = 0.0
        if root_one:
            root.grad = 1.0
        for node in reversed(nodes) if reverse else nodes:
            for parent, local in node.parents:
                if accumulate:
                    parent.grad += local * node.grad
                else:
                    parent.grad = local * node.grad
    return backward


def _mazur_separate_biases(p, i1, i2, t1, t2):
    """b1 (and b2) as two Values, one per neuron; the dict holds the first neuron's."""
    graph = {name: Value(p[name]) for name in cases.MAZUR_PARAMS}
    w = dict(graph, b1_h2=Value(p["b1"]), b2_o2=Value(p["b2"]))
    graph["net_h1"] = w["w1"] * i1 + w["w2"] * i2 + w["b1"]
    graph["net_h2"] = w["w3"] * i1 + w["w4"] * i2 + w["b1_h2"]
    graph["out_h1"], graph["out_h2"] = graph["net_h1"].sigmoid(), graph["net_h2"].sigmoid()
    graph["net_o1"] = w["w5"] * graph["out_h1"] + w["w6"] * graph["out_h2"] + w["b2"]
    graph["net_o2"] = w["w7"] * graph["out_h1"] + w["w8"] * graph["out_h2"] + w["b2_o2"]
    graph["out_o1"], graph["out_o2"] = graph["net_o1"].sigmoid(), graph["net_o2"].sigmoid()
    graph["E_o1"], graph["E_o2"] = 0.5 * (t1 - graph["out_o1"]) ** 2, 0.5 * (t2 - graph["out_o2"]) ** 2
    graph["E"] = graph["E_o1"] + graph["E_o2"]
    return graph


def _mazur_no_half(p, i1, i2, t1, t2):
    graph = mazur_graph(p, i1, i2, t1, t2)
    graph["E_o1"], graph["E_o2"] = 2 * graph["E_o1"], 2 * graph["E_o2"]
    graph["E"] = graph["E_o1"] + graph["E_o2"]
    return graph


def _network_scaled(factor):
    def scaled(layers, X, T):
        return [(factor(X) * dW, factor(X) * db) for dW, db in network_gradients(layers, X, T)]
    return scaled


VARIANTS = {
    "add": [
        ("only the first operand is recorded: a + b has TWO parents, a and b, each with local derivative 1.",
         cases.binary(_add_one_parent)),
        (TWICE, cases.binary(_add_once)),
    ],
    "mul": [
        ("×'s local derivatives are swapped: d(a·b)/da is the OTHER operand, b.data (and d(a·b)/db = a.data).",
         cases.binary(_mul_own_operand)),
        ("×'s other operand is missing: a · b has two parents, a with local derivative b.data and b with a.data.",
         cases.binary(_mul_one_parent)),
        ("×'s local derivatives are 1, as for +: d(a·b)/da = b.data and d(a·b)/db = a.data.", cases.binary(_mul_ones)),
    ],
    "power": [
        ("the exponent is not lowered: d(x^k)/dx = k · x^(k-1), not k · x^k.", cases.power_of(_power(lambda x, k: k * x ** k))),
        ("the factor k is missing: d(x^k)/dx = k · x^(k-1).", cases.power_of(_power(lambda x, k: x ** (k - 1)))),
    ],
    "exp": [
        ("exp's local derivative is missing (recorded as 1): d(e^x)/dx = e^x, the node's own value.",
         cases.unary(_exp(lambda x: 1.0))),
        ("exp's local derivative is taken as x: d(e^x)/dx = e^x.", cases.unary(_exp(lambda x: x))),
    ],
    "sigmoid": [
        ("σ' is written with the input: the local derivative is s (1 - s) with s = σ(x), the node's OUTPUT, "
         "not x (1 - x).", cases.unary(_sigmoid(lambda x, s: x * (1.0 - x)))),
        ("the sigmoid's local derivative is missing (recorded as 1): it is s (1 - s).",
         cases.unary(_sigmoid(lambda x, s: 1.0))),
        ("the sigmoid's local derivative is s, not s (1 - s).", cases.unary(_sigmoid(lambda x, s: s))),
    ],
    "backward": [
        ("a gradient is SET (=) instead of ADDED (+=): a node that feeds several others gets the sum of what each "
         "path brings, lesson 2's 'add where paths meet'.", cases.backward_record(_backward(accumulate=False))),
        ("the nodes are visited in topological order, not REVERSE topological order: a node must pass its gradient "
         "on only after every node it feeds has passed theirs to it.", cases.backward_record(_backward(reverse=False))),
        ("the nodes are visited breadth-first from the root: that is not a reverse topological order when a node is "
         "reached along paths of different lengths.", cases.backward_record(_backward(order=breadth_first))),
        ("a node is visited twice (the search has no set of visited nodes): a shared node then passes its gradient "
         "on once per path to it.", cases.backward_record(_backward(order=with_repeats))),
        ("the gradients are not reset between passes: every pass must start by setting the grad of every node of "
         "the graph to 0, or the leaves keep what the previous pass gave them.",
         cases.backward_record(_backward(reset=False))),
        ("the root's grad is not set to 1: dE/dE = 1 is where the backward pass starts.",
         cases.backward_record(_backward(root_one=False))),
    ],
    "mazur_graph": [
        ("b1 (or b2) is made twice: the shared bias must be ONE Value used by both neurons, so backward adds "
         "both neurons' deltas into it.", cases.mazur_record(_mazur_separate_biases)),
        ("the ½ is missing: E_o1 = ½ (t1 - out_o1)², E_o2 = ½ (t2 - out_o2)².", cases.mazur_record(_mazur_no_half)),
    ],
    "network_gradients": [
        ("the ½ is missing: E = ½ Σ (T - out)².", _network_scaled(lambda X: 2.0)),
        ("the error is averaged over the batch: E sums over every sample (and output).",
         _network_scaled(lambda X: 1.0 / len(np.atleast_2d(X)))),
    ],
}
