"""Sample submissions of lesson 2 (the chain rule): wrong students and the test cells each one loses.

The format is in course/__init__.py; every cell not in "zero" gets its full points (autograder/submissions.py).
"""

WRONG = {
    "ignores_h": {
        # always steps by 1e-5, whatever h it is given: the visible test with h = 0.1 catches it
        "code": {
            "central_difference": (
                "def central_difference(f, x, h=1e-5):\n"
                '    """Ignores h."""\n'
                "    return (f(x + 1e-5) - f(x - 1e-5)) / 2e-5\n"
            ),
        },
        "zero": ["test_central_difference"],
    },
    "outer_slope_at_x": {
        # the classic chain-rule slip: f'(x) g'(x) instead of f'(g(x)) g'(x); right on the slide's
        # straight lines, wrong on sin(x^2)
        "code": {
            "chain_derivative": (
                "def chain_derivative(f_prime, g_prime, g, x):\n"
                '    """Takes the outer slope at x."""\n'
                "    return f_prime(x) * g_prime(x)\n"
            ),
        },
        "zero": ["test_chain_derivative"],
    },
    "forgets_the_input": {
        # dy/dw = σ'(s), without the inner slope ds/dw = x
        "code": {
            "neuron_output_derivatives": (
                "def neuron_output_derivatives(w, b, x):\n"
                '    """Leaves out ds/dw = x."""\n'
                "    slope = sigmoid_derivative(w * x + b)\n"
                '    return {"w": slope, "b": slope}\n'
            ),
        },
        "zero": ["test_neuron_output_derivatives"],
    },
    "one_path_only": {
        # follows the path through o1 and forgets that h also feeds o2
        "code": {
            "hidden_weight_gradient": (
                "def hidden_weight_gradient(w, v1, v2, x, t1, t2):\n"
                '    """Only the path through o1."""\n'
                "    f = two_output_forward(w, v1, v2, x)\n"
                '    return (f["o1"] - t1) * v1 * sigmoid_derivative(w * x) * x\n'
            ),
        },
        "zero": ["test_hidden_weight_gradient"],
    },
    "hard_coded_targets": {
        # the worked example's targets 0.01 and 0.99 typed in: every visible assert passes,
        # the hidden tests (random targets) fail it
        "code": {
            "hidden_weight_gradient": (
                "def hidden_weight_gradient(w, v1, v2, x, t1, t2):\n"
                '    """Uses the example\'s targets, not the arguments."""\n'
                "    f = two_output_forward(w, v1, v2, x)\n"
                '    dE_dh = (f["o1"] - 0.01) * v1 + (f["o2"] - 0.99) * v2\n'
                "    return dE_dh * sigmoid_derivative(w * x) * x\n"
            ),
        },
        "zero": ["test_hidden_weight_gradient"],
    },
}
