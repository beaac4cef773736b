"""Sample submissions of lesson 6 (the Mazur 2-2-2 network): wrong students and the test cells each one loses.

The format is in course/__init__.py; every cell not in "zero" gets its full points (autograder/submissions.py).

A test cell scores all or nothing; gradients calls the student's forward, output_deltas and
hidden_deltas, and train calls gradients and update, so a slip upstream also costs those; a slip
in the hidden layer leaves the output-layer weights' point alone.
"""

WRONG = {
    "hard_coded": {
        # looks the worked example up: passes every visible assert of these four cells, fails the hidden
        # tests; total_error (correct code) fails too, because it calls the hard-coded forward; train's
        # visible 10,000-step check fails with constant gradients
        "code": {
            "forward": (
                "def forward(p, i1, i2):\n"
                "    return {'net_h1': 0.3775, 'out_h1': 0.5932699921071872, 'net_h2': 0.3925,\n"
                "            'out_h2': 0.596884378259767, 'net_o1': 1.10590596705977, 'out_o1': 0.7513650695523157,\n"
                "            'net_o2': 1.2249214040964653, 'out_o2': 0.7729284653214625}\n"
            ),
            "output_deltas": (
                "def output_deltas(f, t1, t2):\n"
                "    return 0.13849856162855695, -0.038098236516556236\n"
            ),
            "hidden_deltas": (
                "def hidden_deltas(p, f, delta_o1, delta_o2):\n"
                "    return 0.00877135468948693, 0.009954254705217196\n"
            ),
            "gradients": (
                "def gradients(p, i1, i2, t1, t2):\n"
                "    return {'w1': 0.0004385677344743465, 'w2': 0.000877135468948693, 'w3': 0.0004977127352608599,\n"
                "            'w4': 0.0009954254705217198, 'w5': 0.08216704056423077, 'w6': 0.08266762784753325,\n"
                "            'w7': -0.02260254047747507, 'w8': -0.022740242215978222,\n"
                "            'b1': 0.018725609394704128, 'b2': 0.10040032511200071}\n"
            ),
        },
        "zero": ["test_forward", "test_gradients_biases", "test_gradients_hidden", "test_gradients_output", "test_hidden_deltas", "test_output_deltas", "test_total_error", "test_train"],
    },
    "updated_output_weights": {
        # the order behind Mazur's printed errors: w5..w8 are stepped first (with the notebook's
        # global eta) and the new values go into the hidden deltas
        "code": {
            "hidden_deltas": (
                "def hidden_deltas(p, f, delta_o1, delta_o2):\n"
                "    w5 = p['w5'] - eta * delta_o1 * f['out_h1']\n"
                "    w6 = p['w6'] - eta * delta_o1 * f['out_h2']\n"
                "    w7 = p['w7'] - eta * delta_o2 * f['out_h1']\n"
                "    w8 = p['w8'] - eta * delta_o2 * f['out_h2']\n"
                "    delta_h1 = (delta_o1 * w5 + delta_o2 * w7) * f['out_h1'] * (1 - f['out_h1'])\n"
                "    delta_h2 = (delta_o1 * w6 + delta_o2 * w8) * f['out_h2'] * (1 - f['out_h2'])\n"
                "    return delta_h1, delta_h2\n"
            ),
        },
        "zero": ["test_gradients_biases", "test_gradients_hidden", "test_hidden_deltas", "test_train"],
        # named on hidden_deltas only: gradients and train (correct) are told which function to fix
        "says": {"test_hidden_deltas": ["This is a classic mistake: the hidden deltas use the output weights AFTER"],
                 "test_gradients_hidden": ["this uses your `hidden_deltas`, which fails its hidden tests: fix that first"], "test_train": ["this uses your `gradients`, which fails its hidden tests: fix that first"]},
        "never": {"test_gradients_hidden": ["This is a classic mistake"], "test_train": ["This is a classic mistake"]},
    },
    "hidden_error_from_one_output": {
        # forgets that each hidden neuron feeds both outputs: only o1's error comes back
        "code": {
            "hidden_deltas": (
                "def hidden_deltas(p, f, delta_o1, delta_o2):\n"
                "    delta_h1 = delta_o1 * p['w5'] * f['out_h1'] * (1 - f['out_h1'])\n"
                "    delta_h2 = delta_o1 * p['w6'] * f['out_h2'] * (1 - f['out_h2'])\n"
                "    return delta_h1, delta_h2\n"
            ),
        },
        "zero": ["test_gradients_biases", "test_gradients_hidden", "test_hidden_deltas", "test_train"],
    },
    "seed_001_w3_path": {
        # Pahwa's slip: h2's delta reuses dE/dout_h1 (through w5, w7) instead of w6, w8
        "code": {
            "hidden_deltas": (
                "def hidden_deltas(p, f, delta_o1, delta_o2):\n"
                "    dE_dout_h1 = delta_o1 * p['w5'] + delta_o2 * p['w7']\n"
                "    return (dE_dout_h1 * f['out_h1'] * (1 - f['out_h1']),\n"
                "            dE_dout_h1 * f['out_h2'] * (1 - f['out_h2']))\n"
            ),
        },
        "zero": ["test_gradients_biases", "test_gradients_hidden", "test_hidden_deltas", "test_train"],
    },
    "sign_flipped": {
        # delta = (t - out) out (1 - out): the sign some texts pull out of delta, kept with w - eta*grad;
        # hidden_deltas is graded on the reference's output deltas, so it keeps its points
        "code": {
            "output_deltas": (
                "def output_deltas(f, t1, t2):\n"
                "    return ((t1 - f['out_o1']) * f['out_o1'] * (1 - f['out_o1']),\n"
                "            (t2 - f['out_o2']) * f['out_o2'] * (1 - f['out_o2']))\n"
            ),
        },
        "zero": ["test_gradients_biases", "test_gradients_hidden", "test_gradients_output", "test_output_deltas", "test_train"],
    },
    "bias_gets_one_delta": {
        # a shared bias feeds two neurons but gets only the first one's delta; train only notices
        # when the biases are learnt (hidden cases with learn_biases=True)
        "code": {
            "gradients": (
                "def gradients(p, i1, i2, t1, t2):\n"
                "    f = forward(p, i1, i2)\n"
                "    d_o1, d_o2 = output_deltas(f, t1, t2)\n"
                "    d_h1, d_h2 = hidden_deltas(p, f, d_o1, d_o2)\n"
                "    return {'w1': d_h1 * i1, 'w2': d_h1 * i2, 'w3': d_h2 * i1, 'w4': d_h2 * i2,\n"
                "            'w5': d_o1 * f['out_h1'], 'w6': d_o1 * f['out_h2'],\n"
                "            'w7': d_o2 * f['out_h1'], 'w8': d_o2 * f['out_h2'], 'b1': d_h1, 'b2': d_o1}\n"
            ),
        },
        "zero": ["test_gradients_biases", "test_train"],
        "says": {"test_gradients_biases": ["This is a classic mistake: a shared bias gets only one neuron's delta"],
                 "test_train": ["this uses your `gradients`, which fails its hidden tests: fix that first"]},
        "never": {"test_train": ["learn_biases", "This is a classic mistake"]},
    },
    "hidden_gradients_w2_w3_swapped": {
        # the hidden-weight gradients stored transposed: w2 holds delta_h2 · i1 and w3 delta_h1 · i2;
        # train (correct) reports its largest difference by name, and says which function to fix
        "code": {
            "gradients": (
                "def gradients(p, i1, i2, t1, t2):\n"
                "    f = forward(p, i1, i2)\n"
                "    d_o1, d_o2 = output_deltas(f, t1, t2)\n"
                "    d_h1, d_h2 = hidden_deltas(p, f, d_o1, d_o2)\n"
                "    return {'w1': d_h1 * i1, 'w2': d_h2 * i1, 'w3': d_h1 * i2, 'w4': d_h2 * i2,\n"
                "            'w5': d_o1 * f['out_h1'], 'w6': d_o1 * f['out_h2'],\n"
                "            'w7': d_o2 * f['out_h1'], 'w8': d_o2 * f['out_h2'], 'b1': d_h1 + d_h2, 'b2': d_o1 + d_o2}\n"
            ),
        },
        "zero": ["test_gradients_hidden", "test_train"],
        "says": {"test_gradients_hidden": ["This is a classic mistake: the hidden-weight gradients are stored transposed"],
                 "test_train": ["this uses your `gradients`, which fails its hidden tests: fix that first"]},
        "never": {"test_train": ["This is a classic mistake", "params['b1'] differs"]},
    },
    "update_changes_p": {
        # right numbers, but the step is taken in place: the caller's dict changes too
        "code": {
            "update": (
                "def update(p, grads, eta, learn_biases=False):\n"
                "    for name in p:\n"
                "        if learn_biases or name not in ('b1', 'b2'):\n"
                "            p[name] = p[name] - eta * grads[name]\n"
                "    return p\n"
            ),
        },
        "zero": ["test_train", "test_update"],
    },
}
