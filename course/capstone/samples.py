"""Sample submissions of lesson 7 (the capstone): wrong students and the test cells each one loses.

The format is in course/__init__.py; every cell not in "zero" gets its full points (autograder/submissions.py).

A wrong function also costs the exercises whose functions call it: backward calls forward,
output_delta and hidden_delta; train calls backward; the given error() calls forward.
"""

WRONG = {
    "hard_coded": {
        # looks the worked examples up (passing their visible asserts) and otherwise forgets the
        # biases; the hidden tests on random networks fail forward, and everything built on it.
        # numerical_gradient is the solution's: its visible test fails through this forward (the Mazur
        # dE/dw5 uses the student's error), but its own hidden tests pass, and they alone decide its points
        "code": {
            "forward": (
                "def forward(layers, X, activation=\"sigmoid\"):\n"
                "    X = np.asarray(X, dtype=float)\n"
                "    if X.shape == (1, 2) and np.allclose(X, [[0.05, 0.10]]):\n"
                "        return [X, np.array([[0.593269992, 0.596884378]]), np.array([[0.75136507, 0.772928465]])]\n"
                "    if X.shape == (1, 2) and np.allclose(X, [[2.0, 3.0]]) and activation == \"linear\":\n"
                "        return [X, np.array([[1.61, 0.88]]), np.array([[1.2016]])]\n"
                "    f = ACTIVATIONS[activation][0]\n"
                "    outs = [X]\n"
                "    for W, b in layers:\n"
                "        outs.append(f(outs[-1] @ W.T))\n"
                "    return outs\n"
            ),
        },
        "zero": ["test_backward_biases", "test_backward_hidden", "test_backward_output", "test_forward", "test_train"],
    },
    "sigma_prime_missing": {
        # the most common slip: the deltas leave out the slope out * (1 - out)
        "code": {
            "output_delta": "def output_delta(out, T, activation=\"sigmoid\"):\n    return np.asarray(out) - T\n",
            "hidden_delta": (
                "def hidden_delta(delta_next, W_next, out, activation=\"sigmoid\"):\n"
                "    return np.asarray(delta_next) @ np.asarray(W_next)\n"
            ),
        },
        "zero": ["test_backward_biases", "test_backward_hidden", "test_backward_output", "test_hidden_delta", "test_output_delta", "test_train"],
    },
    "bias_gradients_left_out": {
        # right weight gradients, but every dE/db is returned as zeros
        "code": {
            "backward": (
                "def backward(layers, X, T, activation=\"sigmoid\"):\n"
                "    outs = forward(layers, X, activation)\n"
                "    delta = output_delta(outs[-1], T, activation)\n"
                "    grads = []\n"
                "    for k in range(len(layers), 0, -1):\n"
                "        grads.append((delta.T @ outs[k - 1], np.zeros(delta.shape[1])))\n"
                "        if k > 1:\n"
                "            delta = hidden_delta(delta, layers[k - 1][0], outs[k - 1], activation)\n"
                "    return grads[::-1]\n"
            ),
        },
        "zero": ["test_backward_biases", "test_train"],
    },
    "one_sided_difference": {
        # (E(p + h) - E(p)) / h: an error of order h, where the central difference has h^2
        "code": {
            "numerical_gradient": (
                "def numerical_gradient(error_fn, layers, h=1e-5):\n"
                "    work = [(np.array(W, dtype=float), np.array(b, dtype=float)) for W, b in layers]\n"
                "    base = error_fn(work)\n"
                "    grads = []\n"
                "    for W, b in work:\n"
                "        pair = []\n"
                "        for array in (W, b):\n"
                "            grad = np.zeros_like(array)\n"
                "            for index in np.ndindex(array.shape):\n"
                "                saved = array[index]\n"
                "                array[index] = saved + h\n"
                "                grad[index] = (error_fn(work) - base) / h\n"
                "                array[index] = saved\n"
                "            pair.append(grad)\n"
                "        grads.append(tuple(pair))\n"
                "    return grads\n"
            ),
        },
        "zero": ["test_numerical_gradient"],
    },
    "hidden_delta_transposed": {
        # delta_next @ W_next.T: named on hidden_delta; backward (correct, through it) is told which function to
        # fix; where W_next is not square the product raises, so every part of backward fails
        "code": {
            "hidden_delta": (
                "def hidden_delta(delta_next, W_next, out, activation='sigmoid'):\n"
                "    _, slope = ACTIVATIONS[activation]\n"
                "    return (delta_next @ W_next.T) * slope(out)\n"
            ),
        },
        "zero": ["test_backward_biases", "test_backward_hidden", "test_backward_output", "test_hidden_delta", "test_train"],
        "says": {"test_hidden_delta": ["This is a classic mistake: the weights are transposed"],
                 "test_backward_output": ["this uses your `hidden_delta`, which fails its hidden tests: fix that first"],
                 "test_backward_hidden": ["this uses your `hidden_delta`, which fails its hidden tests: fix that first"], "test_train": ["this uses your `backward`, which fails its hidden tests: fix that first"]},
        "never": {"test_backward_hidden": ["This is a classic mistake"], "test_train": ["This is a classic mistake"]},
    },
}
