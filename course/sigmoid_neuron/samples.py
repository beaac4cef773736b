"""Sample submissions of lesson 4 (one sigmoid neuron): wrong students and the test cells each one loses.

The format is in course/__init__.py; every cell not in "zero" gets its full points (autograder/submissions.py).
"""

WRONG = {
    "hard_coded_gradients": {
        # the worked example's gradients typed in: every visible assert passes, the hidden tests
        # fail it, and neuron_update (which calls it) fails its hidden tests too
        "code": {
            "neuron_gradients": (
                "def neuron_gradients(p, x1, x2, d):\n"
                '    """The worked example only."""\n'
                '    return {"w1": 0.00927609256, "w2": 0.0278282777, "b": 0.0927609256}\n'
            ),
        },
        "zero": ["test_neuron_gradients_bias", "test_neuron_gradients_weights", "test_neuron_update"],
    },
    "delta_rule_as_gradient": {
        # the source's rule taken for the gradient: (y - d) x without σ'(s) = y (1 - y)
        "code": {
            "neuron_gradients": (
                "def neuron_gradients(p, x1, x2, d):\n"
                '    """Forgets the slope of the sigmoid."""\n'
                '    y = neuron_forward(p, x1, x2)["y"]\n'
                '    return {"w1": (y - d) * x1, "w2": (y - d) * x2, "b": y - d}\n'
            ),
        },
        "zero": ["test_neuron_gradients_bias", "test_neuron_gradients_weights", "test_neuron_update"],
        # the mistake is named on neuron_gradients; neuron_update (correct) is told where to look
        "says": {"test_neuron_gradients_weights": ["This is a classic mistake: σ' is missing"],
                 "test_neuron_update": ["this uses your `neuron_gradients`, which fails its hidden tests: fix that first"]},
        "never": {"test_neuron_update": ["This is a classic mistake"]},
    },
    "gradients_sign_flipped": {
        # delta = (d - y) y (1 - y): a correct neuron_update through it must not be told "the step goes uphill"
        "code": {
            "neuron_gradients": (
                "def neuron_gradients(p, x1, x2, d):\n"
                '    y = neuron_forward(p, x1, x2)["y"]\n'
                "    delta = (d - y) * y * (1 - y)\n"
                '    return {"w1": delta * x1, "w2": delta * x2, "b": delta}\n'
            ),
        },
        "zero": ["test_neuron_gradients_bias", "test_neuron_gradients_weights", "test_neuron_update"],
        "says": {"test_neuron_gradients_weights": ["This is a classic mistake: the sign is flipped"],
                 "test_neuron_update": ["this uses your `neuron_gradients`, which fails its hidden tests: fix that first"]},
        "never": {"test_neuron_update": ["uphill", "This is a classic mistake"]},
    },
    "bias_gradient_left_out": {
        # dE/db forgotten (returned as 0): the weights keep their 2 points; the update, which
        # moves b by its gradient, goes wrong
        "code": {
            "neuron_gradients": (
                "def neuron_gradients(p, x1, x2, d):\n"
                '    """No gradient for the bias."""\n'
                '    y = neuron_forward(p, x1, x2)["y"]\n'
                "    delta = (y - d) * y * (1 - y)\n"
                '    return {"w1": delta * x1, "w2": delta * x2, "b": 0.0}\n'
            ),
        },
        "zero": ["test_neuron_gradients_bias", "test_neuron_update"],
    },
    "step_uphill": {
        # sign flipped: p + eta * gradient climbs the error
        "code": {
            "neuron_update": (
                "def neuron_update(p, x1, x2, d, eta):\n"
                '    """Adds the gradient instead of subtracting it."""\n'
                "    g = neuron_gradients(p, x1, x2, d)\n"
                "    return {k: p[k] + eta * g[k] for k in p}\n"
            ),
        },
        "zero": ["test_neuron_update"],
    },
    "error_without_half": {
        # E = (d - y)^2: twice the error; the gradient test does not depend on neuron_error
        "code": {
            "neuron_error": (
                "def neuron_error(p, x1, x2, d):\n"
                '    """Drops the factor 1/2."""\n'
                '    return (d - neuron_forward(p, x1, x2)["y"]) ** 2\n'
            ),
        },
        "zero": ["test_neuron_error"],
    },
    "bias_without_its_input": {
        # the source's rule with the bias left out of X: b is not updated
        "code": {
            "delta_rule_update": (
                "def delta_rule_update(p, x1, x2, d, eta):\n"
                '    """Updates the weights but forgets the bias."""\n'
                '    step = eta * (d - neuron_forward(p, x1, x2)["y"])\n'
                '    return {"w1": p["w1"] + step * x1, "w2": p["w2"] + step * x2, "b": p["b"]}\n'
            ),
        },
        "zero": ["test_delta_rule_update"],
    },
}
