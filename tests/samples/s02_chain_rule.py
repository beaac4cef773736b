"""Wrong sample submissions of lesson 2 (the chain rule) and the exact scores they earn."""

ASSIGNMENT = "02_chain_rule"

CORRECT = {"test_central_difference": 1, "test_chain_derivative": 2,
           "test_neuron_output_derivatives": 2, "test_hidden_weight_gradient": 3}

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
        "scores": {**CORRECT, "test_central_difference": 0},
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
        "scores": {**CORRECT, "test_chain_derivative": 0},
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
        "scores": {**CORRECT, "test_neuron_output_derivatives": 0},
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
        "scores": {**CORRECT, "test_hidden_weight_gradient": 0},
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
        "scores": {**CORRECT, "test_hidden_weight_gradient": 0},
    },
}
