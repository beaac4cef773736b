"""Sample submissions of lesson 9 (losses and layers): wrong students and the test cells each one loses.

WRONG[student] = {"code": {grade_id: the cell source that replaces the solution's}, "zero": [test grade_ids]}:
every test cell in "zero" scores 0 and every other one its full points (from the notebook).

A wrong function also costs the exercises whose functions call it: backward calls forward,
bce_output_delta, softmax_ce_delta and activation_slope.
"""

WRONG = {
    "hard_coded": {
        # the worked examples' gradients by look-up (Mazur's network with both losses and the two small
        # networks of the visible tests), zeros for any other network: every visible assert of backward
        # passes, and the hidden tests on random networks fail all three parts
        "code": {
            "backward": (
                "def backward(layers, X, T, activations, loss):\n"
                "    known = {\n"
                "        ((0.05, 0.1), \"squared\"): [[[[0.00043856773447434685, 0.0008771354689486937], [0.0004977127352608601, 0.0009954254705217202]], [0.008771354689486937, 0.009954254705217202]], [[[0.08216704056423078, 0.08266762784753326], [-0.022602540477475067, -0.02274024221597822]], [0.13849856162855698, -0.03809823651655623]]],\n"
                "        ((0.05, 0.1), \"bce\"): [[[[0.0022683504536545706, 0.004536700907309141], [0.0025772697102894957, 0.005154539420578991]], [0.045367009073091415, 0.05154539420578991]], [[[0.4398296489618467, 0.44250922860324293], [-0.12878202766543093, -0.1295666080144923]], [0.7413650695523157, -0.21707153467853746]]],\n"
                "        ((1.0, 0.0), \"softmax_ce\"): [[[[-0.5524032075450693, 0.0]], [-0.5524032075450693]], [[[-0.2341119880891822], [0.09048046635063281], [0.14363152173854943]], [-0.5066074358227287, 0.1957955140361172, 0.3108119217866116]]],\n"
                "        ((1.0, -1.0), \"bce\"): [[[[0.38079707797788237]], [-0.5]]],\n"
                "    }\n"
                "    key = (tuple(np.asarray(X, dtype=float).ravel().tolist()), loss)\n"
                "    if key in known:\n"
                "        return [(np.array(dW), np.array(db)) for dW, db in known[key]]\n"
                "    return [(np.zeros_like(W), np.zeros_like(b)) for W, b in layers]\n"
            ),
        },
        "zero": ["test_backward_output", "test_backward_hidden", "test_backward_biases"],
    },
    "diagonal_softmax": {
        # the softmax Jacobian without its coupling: only the diagonal p (1 - p); backward keeps its
        # points, since it takes the softmax delta from softmax_ce_delta
        "code": {
            "softmax_backward": (
                "def softmax_backward(p, grad):\n"
                "    p, grad = np.asarray(p, dtype=float), np.asarray(grad, dtype=float)\n"
                "    return p * (1.0 - p) * grad\n"
            ),
        },
        "zero": ["test_softmax_backward"],
    },
    "log_zero": {
        # logs of outputs that can be exactly 0: no clip in bce_loss, np.log(softmax(net)) instead of log-sum-exp
        "code": {
            "bce_loss": (
                "def bce_loss(out, T):\n"
                "    out, T = np.asarray(out, dtype=float), np.asarray(T, dtype=float)\n"
                "    return float(-np.sum(T * np.log(out) + (1.0 - T) * np.log(1.0 - out)) / len(out))\n"
            ),
            "softmax_cross_entropy": (
                "def softmax_cross_entropy(net, T):\n"
                "    return float(-np.sum(np.asarray(T, dtype=float) * np.log(softmax(net))) / len(np.asarray(net)))\n"
            ),
        },
        "zero": ["test_bce_loss", "test_softmax_cross_entropy"],
    },
    "sum_not_mean": {
        # the batch summed where the lesson takes the mean: no 1/n in the deltas (right for one sample, so
        # Mazur's visible numbers pass); backward inherits it through both deltas and its squared one
        "code": {
            "bce_output_delta": (
                "def bce_output_delta(out, T):\n"
                "    return np.asarray(out, dtype=float) - np.asarray(T, dtype=float)\n"
            ),
            "softmax_ce_delta": (
                "def softmax_ce_delta(net, T):\n"
                "    return softmax(net) - np.asarray(T, dtype=float)\n"
            ),
            "backward": (
                "def backward(layers, X, T, activations, loss):\n"
                "    outs = forward(layers, X, activations)\n"
                "    nets = [outs[k] @ W.T + b for k, (W, b) in enumerate(layers)]\n"
                "    if loss == \"bce\":\n"
                "        delta = bce_output_delta(outs[-1], T)\n"
                "    elif loss == \"softmax_ce\":\n"
                "        delta = softmax_ce_delta(nets[-1], T)\n"
                "    else:\n"
                "        delta = (outs[-1] - T) * activation_slope(nets[-1], outs[-1], activations[-1])\n"
                "    grads = []\n"
                "    for k in range(len(layers) - 1, -1, -1):\n"
                "        grads.append((delta.T @ outs[k], delta.sum(axis=0)))\n"
                "        if k:\n"
                "            delta = (delta @ layers[k][0]) * activation_slope(nets[k - 1], outs[k], activations[k - 1])\n"
                "    return grads[::-1]\n"
            ),
        },
        "zero": ["test_bce_output_delta", "test_softmax_ce_delta", "test_backward_output", "test_backward_hidden", "test_backward_biases"],
    },
    "relu_slope_at_zero": {
        # ReLU's slope 1 at net = 0 (net >= 0): the slope's own tests catch it; backward's random networks
        # never put a net input exactly on the kink, so backward keeps its points
        "code": {
            "activation_slope": (
                "def activation_slope(net, out, activation):\n"
                "    net, out = np.asarray(net, dtype=float), np.asarray(out, dtype=float)\n"
                "    if activation == \"sigmoid\":\n"
                "        return out * (1.0 - out)\n"
                "    if activation == \"tanh\":\n"
                "        return 1.0 - out ** 2\n"
                "    if activation == \"relu\":\n"
                "        return (net >= 0).astype(float)\n"
                "    return np.ones_like(net)\n"
            ),
        },
        "zero": ["test_activation_slope"],
    },
}
