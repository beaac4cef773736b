"""Sample submissions of lesson 8 (autograd): wrong students and the test cells each one loses.

WRONG[student] = {"code": {grade_id: the cell source that replaces the solution's}, "zero": [test grade_ids]}:
every test cell in "zero" scores 0 and every other one its full points (from the notebook).

The backward cells build their graphs by hand, so a slip in an operation costs only that operation and
what runs the engine (mazur_graph's gradients, network_gradients); a slip in backward costs what runs
backward, except the forward pass.
"""

BACKWARD = '''def backward(root):
    order, seen = [], set()

    def visit(node):
        {visit}
            for parent, _ in node.parents:
                visit(parent)
            order.append(node)

    visit(root)
    {reset}
    root.grad = 1.0
    for node in reversed(order):
        for parent, local in node.parents:
            parent.grad {assign} local * node.grad
'''
VISITED = "if id(node) not in seen:\n            seen.add(id(node))"
RESET = "for node in order:\n        node.grad = 0.0"


def backward(visit=VISITED, reset=RESET, assign="+="):
    return BACKWARD.format(visit=visit, reset=reset, assign=assign)


WRONG = {
    "hard_coded": {
        # builds the graph from the worked example's parameters whatever p is: every visible assert passes,
        # the hidden tests on other networks fail
        "code": {
            "mazur_graph": (
                "def mazur_graph(p, i1, i2, t1, t2):\n"
                "    p = MAZUR_PARAMS\n"
                "    g = {name: Value(p[name]) for name in p}\n"
                "    g['net_h1'] = g['w1'] * 0.05 + g['w2'] * 0.10 + g['b1']\n"
                "    g['net_h2'] = g['w3'] * 0.05 + g['w4'] * 0.10 + g['b1']\n"
                "    g['out_h1'], g['out_h2'] = g['net_h1'].sigmoid(), g['net_h2'].sigmoid()\n"
                "    g['net_o1'] = g['w5'] * g['out_h1'] + g['w6'] * g['out_h2'] + g['b2']\n"
                "    g['net_o2'] = g['w7'] * g['out_h1'] + g['w8'] * g['out_h2'] + g['b2']\n"
                "    g['out_o1'], g['out_o2'] = g['net_o1'].sigmoid(), g['net_o2'].sigmoid()\n"
                "    g['E_o1'] = 0.5 * (0.01 - g['out_o1']) ** 2\n"
                "    g['E_o2'] = 0.5 * (0.99 - g['out_o2']) ** 2\n"
                "    g['E'] = g['E_o1'] + g['E_o2']\n"
                "    return g\n"
            ),
        },
        "zero": ["test_mazur_values", "test_mazur_gradients"],
    },
    "assigns_instead_of_adding": {
        # parent.grad = ...: the last path wins; w5's gradient (one path) stays right, w1's does not
        "code": {"backward": backward(assign="=")},
        "zero": ["test_backward", "test_backward_again", "test_mazur_gradients", "test_network_gradients"],
    },
    "no_reset": {
        # right on every fresh graph; a second graph over the same leaves adds to the first pass
        "code": {"backward": backward(reset="pass")},
        "zero": ["test_backward_again"],
    },
    "visits_twice": {
        # no set of visited nodes: y of lesson 2's graph, reached along two paths, passes its gradient on twice
        "code": {"backward": backward(visit="if True:")},
        "zero": ["test_backward", "test_backward_again", "test_mazur_gradients", "test_network_gradients"],
    },
    "exp_derivative_missing": {
        # the networks use sigmoid, not exp: only exp's point is lost
        "code": {"exp": "def exp(a):\n    return Value(math.exp(a.data), ((a, 1.0),))\n"},
        "zero": ["test_exp"],
    },
    "mul_own_operand": {
        # d(ab)/da taken as a: the forward pass is right, every gradient through a product is not
        "code": {"mul": ("def mul(a, b):\n    a, b = as_value(a), as_value(b)\n"
                         "    return Value(a.data * b.data, ((a, a.data), (b, b.data)))\n")},
        "zero": ["test_mul", "test_mazur_gradients", "test_network_gradients"],
    },
}
