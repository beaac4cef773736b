"""Sample submissions of lesson 5 (the hmkcode linear 2-2-1 network): wrong students and the test cells each one loses.

The format is in course/__init__.py; every cell not in "zero" gets its full points (autograder/submissions.py).
"""

WRONG = {
    "hard_coded_gradients": {
        # the hmkcode assignment's gradients looked up, else central differences of a wrong error: the visible
        # asserts pass, the hidden tests fail it and the update that calls it
        "code": {
            "linear_gradients": (
                "SEED_004 = {'w1': 0.19, 'w2': 0.41, 'w3': 0.23, 'w4': 0.14, 'w5': 0.32, 'w6': 0.78}\n"
                "def linear_gradients(w, i1, i2, target):\n"
                '    """The hmkcode assignment by heart, anything else by a numerical slope taken at inputs (2, 3)."""\n'
                "    if w == SEED_004:\n"
                "        return {'w1': 0.129024, 'w2': 0.193536, 'w3': 0.314496,\n"
                "                'w4': 0.471744, 'w5': 0.324576, 'w6': 0.177408}\n"
                "    grads = {}\n"
                "    for name in w:\n"
                "        up, down = dict(w), dict(w)\n"
                "        up[name] += 1e-6\n"
                "        down[name] -= 1e-6\n"
                "        grads[name] = (0.5 * (linear_forward(up, 2, 3)['out'] - 1) ** 2\n"
                "                       - 0.5 * (linear_forward(down, 2, 3)['out'] - 1) ** 2) / 2e-6\n"
                "    return grads\n"
            ),
        },
        "zero": ["test_linear_gradients_hidden", "test_linear_gradients_output", "test_linear_update"],
    },
    "new_w5_w6_for_hidden_gradients": {
        # updates w5, w6 first and uses the new values for w1..w4: not gradient descent
        "code": {
            "linear_update": (
                "def linear_update(w, i1, i2, target, eta):\n"
                '    """Updates the output layer first, then the hidden layer with the new w5, w6."""\n'
                "    f = linear_forward(w, i1, i2)\n"
                "    delta = f['out'] - target\n"
                "    new = dict(w)\n"
                "    new['w5'] = w['w5'] - eta * delta * f['h1']\n"
                "    new['w6'] = w['w6'] - eta * delta * f['h2']\n"
                "    new['w1'] = w['w1'] - eta * delta * new['w5'] * i1\n"
                "    new['w2'] = w['w2'] - eta * delta * new['w5'] * i2\n"
                "    new['w3'] = w['w3'] - eta * delta * new['w6'] * i1\n"
                "    new['w4'] = w['w4'] - eta * delta * new['w6'] * i2\n"
                "    return new\n"
            ),
        },
        "zero": ["test_linear_update"],
    },
    "delta_sign_flipped": {
        # delta = target - out: every gradient points uphill, and so does the update built on it
        "code": {
            "linear_gradients": (
                "def linear_gradients(w, i1, i2, target):\n"
                '    """Uses target - out for delta."""\n'
                "    f = linear_forward(w, i1, i2)\n"
                "    delta = target - f['out']\n"
                "    return {'w1': delta * w['w5'] * i1, 'w2': delta * w['w5'] * i2,\n"
                "            'w3': delta * w['w6'] * i1, 'w4': delta * w['w6'] * i2,\n"
                "            'w5': delta * f['h1'], 'w6': delta * f['h2']}\n"
            ),
        },
        "zero": ["test_linear_gradients_hidden", "test_linear_gradients_output", "test_linear_update"],
    },
    "hidden_chain_stops_early": {
        # dE/dw1 = delta · i1, without the output weight w5 that carries h1 forward: the output
        # layer is right and keeps its point, the hidden layer and the update built on it are not
        "code": {
            "linear_gradients": (
                "def linear_gradients(w, i1, i2, target):\n"
                '    """Forgets the factor w5 (w6) on the way back to the hidden layer."""\n'
                "    f = linear_forward(w, i1, i2)\n"
                "    delta = f['out'] - target\n"
                "    return {'w1': delta * i1, 'w2': delta * i2, 'w3': delta * i1, 'w4': delta * i2,\n"
                "            'w5': delta * f['h1'], 'w6': delta * f['h2']}\n"
            ),
        },
        "zero": ["test_linear_gradients_hidden", "test_linear_update"],
    },
    "matrix_in_seed_004_layout": {
        # dE/dW1 as outer(x, W2^T delta): the transpose, right only in the hmkcode assignment's storage layout
        "code": {
            "linear_gradients_matrix": (
                "def linear_gradients_matrix(W1, W2, x, target):\n"
                '    """Returns the hidden-layer gradient transposed."""\n'
                "    h = W1 @ x\n"
                "    delta = W2 @ h - target\n"
                "    return np.outer(x, W2.T @ delta), np.outer(delta, h)\n"
            ),
        },
        "zero": ["test_linear_gradients_matrix"],
    },
}
