"""Lesson 6 (the Mazur network): the notebook reproduces every number of Pahwa and Mazur,
or the corrected value; its hidden checks pass the reference and fail typical wrong code.

Every literal below is copied from Pahwa's slides or Mazur's post (named in the comment; the
start page, lessons/index.ipynb, lists the sources). Where a source is wrong, the test pins the
correct value and the comment says what the source printed and why.
"""
import ast
import re
import time

import nbformat
import numpy as np
import pytest
from conftest import close, notebook_path

from autograder.grading import HiddenTestFailure
from course.mazur_network import cases as hidden
from course.mazur_network import reference as ref

ASSIGNMENT = "06_mazur_network"
MAZUR = dict(w1=0.15, w2=0.20, w3=0.25, w4=0.30, w5=0.40, w6=0.45, w7=0.50, w8=0.55, b1=0.35, b2=0.60)
X = (0.05, 0.10)
T = (0.01, 0.99)


@pytest.fixture
def ns(solution_globals):
    return solution_globals(ASSIGNMENT)


# ------------------------------------------------------------------ the worked example


def test_forward_pass_seed_003_and_001(ns):
    assert close(ns["net_h1"], 0.3775, 4)           # 003 and 001
    assert close(ns["out_h1"], 0.593269992, 9)      # 003
    assert close(ns["out_h1"], 0.59327, 5)          # 001 (R)
    assert close(ns["net_h2"], 0.3925, 4)           # 001 (R)
    assert close(ns["out_h2"], 0.596884378, 9)      # 003
    assert close(ns["net_o1"], 1.105905967, 9)      # 003
    assert close(ns["out_o1"], 0.75136507, 8)       # 003
    assert close(ns["net_o2"], 1.224921, 6)         # 001 (R)
    assert close(ns["out_o2"], 0.772928465, 9)      # 003
    assert close(ns["out_o2"], 0.7729285, 7)        # 001 (R)


def test_errors_seed_003(ns):
    assert close(ns["E_o1"], 0.274811083, 9)
    assert close(ns["E_o2"], 0.023560026, 9)
    assert close(ns["E_total"], 0.298371109, 9)
    # Pahwa's algorithm slide: error = (computed - observed)^2, without the 1/2 of its own example
    assert ns["E_without_half"] == pytest.approx(2 * ns["E_total"], rel=1e-14)


def test_output_layer_seed_003_and_001(ns):
    assert close(ns["dE_dout_o1"], 0.74136507, 8)        # 003
    assert close(ns["dout_o1_dnet_o1"], 0.186815602, 9)  # 003
    assert close(ns["delta_o1"], 0.138498562, 9)         # 003
    assert close(ns["dE_dw5_factors"], 0.082167041, 9)   # 003
    assert close(ns["dE_dout_o2"], -0.2170715, 7)        # 001 (R)
    assert close(ns["dout_o2_dnet_o2"], 0.1755101, 7)    # 001 (R)
    assert ns["delta_o2"] == pytest.approx(ns["dE_dout_o2"] * ns["dout_o2_dnet_o2"], rel=1e-14)


def test_hidden_layer_seed_003_and_001(ns):
    assert close(ns["dEo1_dout_h1"], 0.055399425, 9)     # 003
    assert close(ns["dEo1_dout_h1"], 0.05539942, 8)      # 001 (R)
    # Mazur prints dE_o2/dout_h1 = -0.019049119; the value is -0.0190491183, so to nine
    # decimals it is -0.019049118 (Pahwa's R prints -0.01904912).
    assert close(ns["dEo2_dout_h1"], -0.019049118, 9)
    assert not close(ns["dEo2_dout_h1"], -0.019049119, 9)
    assert close(ns["dEo2_dout_h1"], -0.01904912, 8)     # 001 (R)
    assert close(ns["dE_dout_h1"], 0.036350306, 9)       # 003
    assert close(ns["dE_dout_h1"], 0.03635031, 8)        # 001 (R)
    assert close(ns["dout_h1_dnet_h1"], 0.241300709, 9)  # 003
    assert close(ns["dE_dw1_factors"], 0.000438568, 9)   # 003
    assert close(ns["dout_h2_dnet_h2"], 0.2406134, 7)    # 001 (R)
    assert close(ns["dE_dout_h2"], 0.04137032, 8)        # what Pahwa should have used for w3
    assert ns["delta_h1"] * X[0] == pytest.approx(ns["dE_dw1_factors"], rel=1e-14)


def test_all_gradients(ns):
    g = ns["grads"]
    assert close(g["w5"], 0.082167041, 9)    # 003
    assert close(g["w5"], 0.08216704, 8)     # 001 (R)
    assert close(g["w6"], 0.08266763, 8)     # 001 (R)
    # Mazur prints the new w7 = 0.511301270 and w8 = 0.561370121 (eta = 0.5), Pahwa the
    # gradients to four decimals only: (w - new) / eta = -0.02260254 and -0.02274024
    assert close(g["w7"], -0.02260254, 8)
    assert close(g["w8"], -0.02274024, 8)
    assert close(g["w1"], 0.000438568, 9)    # 003
    # Pahwa prints dE/dw3 = 0.0004373186 (the chain rule misapplied, see below); it is:
    assert close(g["w3"], 0.000497713, 9)
    # bias gradients: each bias feeds two neurons, so their deltas add (neither source computes them)
    assert g["b1"] == pytest.approx(ns["delta_h1"] + ns["delta_h2"], rel=1e-14)
    assert g["b2"] == pytest.approx(ns["delta_o1"] + ns["delta_o2"], rel=1e-14)
    assert ns["dE_db1"] == g["b1"] and ns["dE_db2"] == g["b2"]
    assert ns["per_neuron_bias_grads"] == {
        "b11": ns["delta_h1"], "b12": ns["delta_h2"], "b21": ns["delta_o1"], "b22": ns["delta_o2"]}
    expected = ref.mazur_gradients(MAZUR, *X, *T)
    for name in MAZUR:
        assert g[name] == pytest.approx(float(expected[name]), rel=1e-12)
        assert ns["numeric_grads"][name] == pytest.approx(g[name], rel=1e-6, abs=1e-10)


def test_updated_weights_seed_003(ns):
    new = ns["new_params"]
    assert close(new["w5"], 0.35891648, 8)
    assert close(new["w5"], 0.3589165, 7)    # 001 (R)
    assert close(new["w6"], 0.408666186, 9)
    assert close(new["w6"], 0.4086662, 7)    # 001 (R)
    assert close(new["w7"], 0.511301270, 9)
    assert close(new["w8"], 0.561370121, 9)
    assert close(new["w1"], 0.149780716, 9)
    assert close(new["w2"], 0.19956143, 8)
    assert close(new["w3"], 0.24975114, 8)
    assert close(new["w4"], 0.29950229, 8)
    assert (new["b1"], new["b2"]) == (0.35, 0.60)   # Mazur keeps the biases fixed


def test_error_after_one_update_seed_003_corrected(ns):
    # Mazur prints 0.291027924; gradient descent gives 0.291027774. The printed value is what
    # one gets when the hidden deltas use the already-updated w5..w8 (the notebook shows it).
    assert close(ns["E_after_one"], 0.291027774, 9)
    assert close(ns["E_after_1"], 0.291027774, 9)
    assert not close(ns["E_after_one"], 0.291027924, 9)
    assert close(ns["E_after_one_source_order"], 0.291027924, 9)
    assert ns["printed_E_after_one"] == 0.291027924


def test_after_10000_updates_seed_003_corrected(ns):
    # Mazur prints E = 0.0000351085, outputs 0.015912196 and 0.984065734.
    assert len(ns["errors"]) == 10_001
    assert close(ns["E_after_10000"], 0.0000351019, 10)          # gradient descent
    assert close(ns["out_o1_trained"], 0.015913620, 9)
    assert close(ns["out_o2_trained"], 0.984064274, 9)
    # the printed outputs are those of the updated-weights order ...
    assert close(ns["out_o1_source_order"], 0.015912196, 9)
    assert close(ns["out_o2_source_order"], 0.984065734, 9)
    assert close(ns["E_source_order_10000"], 0.0000350848, 10)
    # ... they give E = 0.0000350848, not the printed E ...
    assert close(ns["E_of_printed_outputs"], 0.0000350848, 10)
    assert not close(ns["E_of_printed_outputs"], 0.0000351085, 10)
    # ... and the printed E is gradient descent's error after 9,999 updates (an off-by-one)
    assert close(ns["E_after_9999"], 0.0000351085, 10)
    assert not close(ns["E_after_10000"], 0.0000351085, 10)
    assert ns["errors"][1] == ns["E_after_1"] and ns["errors"][-1] == ns["E_after_10000"]
    assert all(a > b for a, b in zip(ns["errors"], ns["errors"][1:]))


def test_seed_001_w3_chain_rule_slip(ns):
    # Pahwa reuses dE/dout_h1 = 0.03635031 for h2 and prints dE/dw3 = 0.0004373186,
    # new w3 = 0.2497813 and (summary slide) w4 = 0.29956.
    assert close(ns["pahwa_dE_dw3"], 0.0004373186, 10)
    assert close(ns["pahwa_w3"], 0.2497813, 7)
    assert close(ns["pahwa_w4"], 0.29956, 5)
    assert not close(ns["new_params"]["w4"], 0.29956, 5)


def test_seed_001_summary_truncates(ns):
    table = ns["pahwa_rounding"]   # label -> [printed, rounded, truncated, verdict]
    truncated = {"outH1 (4)": 0.5932, "outH2 (4)": 0.5968, "outY1 (4)": 0.7513, "dE/dw5 (4)": 0.0821,
                 "dE/dw6 (4)": 0.0826, "new w6 (4)": 0.4086, "new w6 (5)": 0.40866, "new w8 (4)": 0.5613,
                 "new w1 (4)": 0.1497, "new w2 (4)": 0.1995, "new w3 (4)": 0.2497}
    for label, printed in truncated.items():
        assert table[label][0] == printed and table[label][3] == "truncates", label
        assert table[label][1] != printed, label
    for label in ("outY2 (4)", "dE/dw7 (4)", "dE/dw8 (4)", "new w5 (4)", "new w7 (4)"):
        assert table[label][3] == "rounds", label
    assert table["outH1 (4)"][1] == 0.5933 and table["outY1 (4)"][1] == 0.7514


def test_seed_003_net_h1_typo(ns):
    # Mazur's hidden-layer section writes net_h1 = w1*i1 + w3*i2 + b1
    assert ns["net_h1_typo"] == pytest.approx(0.3825, abs=1e-12)
    assert ns["net_h1_right"] == pytest.approx(0.3775, abs=1e-12)


def test_sample_by_sample_to_convergence_forgets(ns):
    # Pahwa's algorithm slide: train each sample until its error is minimal, then the next one
    _ = ns  # the notebook prints the table; here the reference shows the same effect
    a, b = (*X, *T), (0.90, 0.20, 0.70, 0.30)
    after_a, _ = ref.mazur_train(MAZUR, *a, 0.5, 2000)
    after_ab, _ = ref.mazur_train(after_a, *b, 0.5, 2000)
    assert ref.mazur_error(after_a, *a) < 1e-3 < 0.1 < ref.mazur_error(after_ab, *a)


def test_training_the_biases_extension(ns):
    # not in the sources: biases learnt too (shared-bias convention)
    assert close(ns["E_biases_after_1"], 0.285750887, 9)
    assert ns["E_biases_after_10000"] == pytest.approx(4.355e-06, rel=1e-3)
    _, errors = ref.mazur_train(MAZUR, *X, *T, eta=0.5, steps=1, learn_biases=True)
    assert close(errors[1], 0.285750887, 9)


# ------------------------------------------------------------ new reference functions


def test_reference_piecewise_deltas_match_mazur_deltas():
    rng = np.random.default_rng(66)
    for _ in range(50):
        p, i1, i2, t1, t2 = hidden.random_network(rng)
        f = ref.mazur_forward(p, i1, i2)
        d = ref.mazur_deltas(p, i1, i2, t1, t2)
        d_o = ref.mazur_output_deltas(f, t1, t2)
        d_h = ref.mazur_hidden_deltas(p, f, *d_o)
        np.testing.assert_allclose(d_o, (d["delta_o1"], d["delta_o2"]), rtol=1e-14)
        np.testing.assert_allclose(d_h, (d["delta_h1"], d["delta_h2"]), rtol=1e-14)


def test_reference_source_order_step_reproduces_seed_003_and_is_not_gradient_descent():
    q = ref.mazur_source_order_step(MAZUR, *X, *T, 0.5)
    assert close(ref.mazur_error(q, *X, *T), 0.291027924, 9)
    good = ref.mazur_update(MAZUR, ref.mazur_gradients(MAZUR, *X, *T), 0.5)
    for name in ("w5", "w6", "w7", "w8", "b1", "b2"):
        assert q[name] == good[name]
    for name in ("w1", "w2", "w3", "w4"):
        assert abs(q[name] - good[name]) > 1e-5
    p = MAZUR
    for _ in range(10_000):
        p = ref.mazur_source_order_step(p, *X, *T, 0.5)
    f = ref.mazur_forward(p, *X)
    assert close(f["out_o1"], 0.015912196, 9) and close(f["out_o2"], 0.984065734, 9)


# ------------------------------------------------------------------ the hidden checks


def solution_functions():
    """The notebook's solution code (setup sigmoid + every solution cell), as a namespace."""
    nb = nbformat.read(notebook_path(ASSIGNMENT), as_version=4)
    namespace = {"eta": 0.5}
    exec("import math\ndef sigmoid(x):\n    return 1.0 / (1.0 + math.exp(-x))\n", namespace)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            exec(cell.source, namespace)
    return namespace


CHECKS = {name: getattr(hidden, f"check_{name}") for name in hidden.CHECKS}
FUNCTION = {name: check.function or name for name, check in hidden.CHECKS.items()}  # the function each check grades
GRADIENT_PARTS = ("gradients_output", "gradients_hidden", "gradients_biases")


def with_replaced(source):
    """The solution namespace with one function replaced by the given source."""
    namespace = solution_functions()
    exec(source, namespace)
    return namespace


def test_hidden_checks_pass_the_solution_and_return_none():
    namespace = solution_functions()
    for name, check in CHECKS.items():
        assert check(namespace[FUNCTION[name]]) is None, name


def test_hidden_checks_pass_the_reference_itself():
    assert hidden.check_forward(ref.mazur_forward) is None
    assert hidden.check_total_error(ref.mazur_error) is None
    assert hidden.check_output_deltas(ref.mazur_output_deltas) is None
    assert hidden.check_hidden_deltas(ref.mazur_hidden_deltas) is None
    for part in GRADIENT_PARTS:
        assert CHECKS[part](ref.mazur_gradients) is None
    assert hidden.check_update(ref.mazur_update) is None
    assert hidden.check_train(ref.mazur_train) is None


def test_hidden_checks_fail_hard_coded_functions():
    ex = ref.mazur_forward(MAZUR, *X)
    g = ref.mazur_gradients(MAZUR, *X, *T)
    d = ref.mazur_deltas(MAZUR, *X, *T)
    fakes = {
        "forward": lambda p, i1, i2: dict(ex),
        "total_error": lambda p, i1, i2, t1, t2: 0.298371109,
        "output_deltas": lambda f, t1, t2: (d["delta_o1"], d["delta_o2"]),
        "hidden_deltas": lambda p, f, a, b: (d["delta_h1"], d["delta_h2"]),
        "gradients": lambda p, i1, i2, t1, t2: dict(g),
        "update": lambda p, grads, eta, learn_biases=False: ref.mazur_update(MAZUR, g, 0.5),
        "train": lambda p, i1, i2, t1, t2, eta, steps, learn_biases=False: ref.mazur_train(MAZUR, *X, *T, 0.5, steps),
    }
    assert set(FUNCTION.values()) == set(fakes)
    for name, check in CHECKS.items():
        with pytest.raises(HiddenTestFailure, match=FUNCTION[name]):
            check(fakes[FUNCTION[name]])


UPDATED_WEIGHTS = """
def hidden_deltas(p, f, delta_o1, delta_o2):
    w5 = p['w5'] - eta * delta_o1 * f['out_h1']
    w6 = p['w6'] - eta * delta_o1 * f['out_h2']
    w7 = p['w7'] - eta * delta_o2 * f['out_h1']
    w8 = p['w8'] - eta * delta_o2 * f['out_h2']
    return ((delta_o1 * w5 + delta_o2 * w7) * f['out_h1'] * (1 - f['out_h1']),
            (delta_o1 * w6 + delta_o2 * w8) * f['out_h2'] * (1 - f['out_h2']))
"""

UPDATED_WEIGHTS_IN_GRADIENTS = """
def gradients(p, i1, i2, t1, t2):
    f = forward(p, i1, i2)
    d_o1, d_o2 = output_deltas(f, t1, t2)
    g = {'w5': d_o1 * f['out_h1'], 'w6': d_o1 * f['out_h2'], 'w7': d_o2 * f['out_h1'], 'w8': d_o2 * f['out_h2']}
    moved = dict(p, **{k: p[k] - eta * v for k, v in g.items()})
    d_h1, d_h2 = hidden_deltas(moved, f, d_o1, d_o2)
    g.update(w1=d_h1 * i1, w2=d_h1 * i2, w3=d_h2 * i1, w4=d_h2 * i2, b1=d_h1 + d_h2, b2=d_o1 + d_o2)
    return g
"""


def test_hidden_checks_fail_updated_output_weights():
    for source in (UPDATED_WEIGHTS, UPDATED_WEIGHTS_IN_GRADIENTS):
        namespace = with_replaced(source)
        for name in ("gradients_hidden", "gradients_biases", "train"):
            with pytest.raises(HiddenTestFailure, match=FUNCTION[name]):
                CHECKS[name](namespace[FUNCTION[name]])
        # partial credit: the output layer's gradients do not involve the hidden deltas
        assert hidden.check_gradients_output(namespace["gradients"]) is None
    assert hidden.check_hidden_deltas(namespace["hidden_deltas"]) is None


def test_gradient_parts_are_judged_separately():
    """A wrong hidden layer costs the hidden weights' and biases' parts; a missing bias only the biases'."""
    one_output = with_replaced(
        "def hidden_deltas(p, f, a, b):\n"
        "    return (a * p['w5'] * f['out_h1'] * (1 - f['out_h1']), a * p['w6'] * f['out_h2'] * (1 - f['out_h2']))\n")
    no_bias = with_replaced("_right = gradients\n"
                            "def gradients(p, i1, i2, t1, t2):\n"
                            "    return {k: v for k, v in _right(p, i1, i2, t1, t2).items() if k.startswith('w')}\n")
    expected_failures = {"one_output": {"gradients_hidden", "gradients_biases"}, "no_bias": {"gradients_biases"}}
    for label, namespace in (("one_output", one_output), ("no_bias", no_bias)):
        failed = set()
        for part in GRADIENT_PARTS:
            try:
                CHECKS[part](namespace["gradients"])
            except HiddenTestFailure:
                failed.add(part)
        assert failed == expected_failures[label], label


def test_hidden_checks_fail_classic_mistakes():
    wrong = {
        "hidden_deltas": [
            # hidden error from one output only
            "def hidden_deltas(p, f, a, b):\n"
            "    return (a * p['w5'] * f['out_h1'] * (1 - f['out_h1']), a * p['w6'] * f['out_h2'] * (1 - f['out_h2']))\n",
            # Pahwa's path: dE/dout_h1 reused for h2
            "def hidden_deltas(p, f, a, b):\n"
            "    s = a * p['w5'] + b * p['w7']\n"
            "    return (s * f['out_h1'] * (1 - f['out_h1']), s * f['out_h2'] * (1 - f['out_h2']))\n",
            # weights swapped: w6 and w7 confused
            "def hidden_deltas(p, f, a, b):\n"
            "    return ((a * p['w5'] + b * p['w6']) * f['out_h1'] * (1 - f['out_h1']),\n"
            "            (a * p['w7'] + b * p['w8']) * f['out_h2'] * (1 - f['out_h2']))\n",
        ],
        "output_deltas": [
            # sign flipped
            "def output_deltas(f, t1, t2):\n"
            "    return ((t1 - f['out_o1']) * f['out_o1'] * (1 - f['out_o1']), (t2 - f['out_o2']) * f['out_o2'] * (1 - f['out_o2']))\n",
            # sigmoid slope applied to the net input
            "def output_deltas(f, t1, t2):\n"
            "    return ((f['out_o1'] - t1) * f['net_o1'] * (1 - f['net_o1']), (f['out_o2'] - t2) * f['net_o2'] * (1 - f['net_o2']))\n",
        ],
        "forward": [
            # Mazur's typo: w3 instead of w2 in net_h1
            "def forward(p, i1, i2):\n"
            "    net_h1 = p['w1'] * i1 + p['w3'] * i2 + p['b1']\n"
            "    net_h2 = p['w3'] * i1 + p['w4'] * i2 + p['b1']\n"
            "    h1, h2 = sigmoid(net_h1), sigmoid(net_h2)\n"
            "    net_o1 = p['w5'] * h1 + p['w6'] * h2 + p['b2']\n"
            "    net_o2 = p['w7'] * h1 + p['w8'] * h2 + p['b2']\n"
            "    return dict(net_h1=net_h1, out_h1=h1, net_h2=net_h2, out_h2=h2, net_o1=net_o1,\n"
            "                out_o1=sigmoid(net_o1), net_o2=net_o2, out_o2=sigmoid(net_o2))\n",
        ],
        "total_error": [
            # Pahwa's algorithm slide: no 1/2
            "def total_error(p, i1, i2, t1, t2):\n"
            "    f = forward(p, i1, i2)\n"
            "    return (t1 - f['out_o1']) ** 2 + (t2 - f['out_o2']) ** 2\n",
        ],
        "gradients": [
            # a shared bias gets only one delta
            "_right = gradients\n"
            "def gradients(p, i1, i2, t1, t2):\n"
            "    g = dict(_right(p, i1, i2, t1, t2))\n"
            "    f = forward(p, i1, i2)\n"
            "    g['b1'] = hidden_deltas(p, f, *output_deltas(f, t1, t2))[0]\n"
            "    return g\n",
        ],
        "update": [
            # plus instead of minus
            "def update(p, grads, eta, learn_biases=False):\n"
            "    new = {k: p[k] + eta * grads[k] for k in p}\n"
            "    if not learn_biases:\n"
            "        new['b1'], new['b2'] = p['b1'], p['b2']\n"
            "    return new\n",
            # biases always learnt
            "def update(p, grads, eta, learn_biases=False):\n"
            "    return {k: p[k] - eta * grads[k] for k in p}\n",
            # in place
            "def update(p, grads, eta, learn_biases=False):\n"
            "    for k in p:\n"
            "        if learn_biases or k not in ('b1', 'b2'):\n"
            "            p[k] -= eta * grads[k]\n"
            "    return p\n",
        ],
        "train": [
            # the error list lacks the error before the first step
            "def train(p, i1, i2, t1, t2, eta, steps, learn_biases=False):\n"
            "    errors = []\n"
            "    for _ in range(steps):\n"
            "        p = update(p, gradients(p, i1, i2, t1, t2), eta, learn_biases)\n"
            "        errors.append(total_error(p, i1, i2, t1, t2))\n"
            "    return p, errors\n",
            # learn_biases ignored
            "def train(p, i1, i2, t1, t2, eta, steps, learn_biases=False):\n"
            "    errors = [total_error(p, i1, i2, t1, t2)]\n"
            "    for _ in range(steps):\n"
            "        p = update(p, gradients(p, i1, i2, t1, t2), eta)\n"
            "        errors.append(total_error(p, i1, i2, t1, t2))\n"
            "    return p, errors\n",
        ],
    }
    for function, sources in wrong.items():
        for source in sources:
            namespace = with_replaced(source)
            failed = 0
            for name in (n for n, f in FUNCTION.items() if f == function):
                try:
                    CHECKS[name](namespace[function])
                except HiddenTestFailure as err:
                    assert function in str(err)
                    failed += 1
            assert failed, source
    # the bias slip only shows in train when the biases are learnt: the hidden train cases include those
    namespace = with_replaced(wrong["gradients"][0])
    with pytest.raises(HiddenTestFailure, match="train"):
        hidden.check_train(namespace["train"])


def test_hidden_cases_are_random_networks_not_the_example():
    cases, _ = hidden.networks(605)
    assert len(cases) >= 20
    assert all(p != MAZUR for p, *_ in cases)
    assert len({round(p["w1"], 12) for p, *_ in cases}) == len(cases)


# --------------------------------------------------------------- the notebook itself


def test_ten_thousand_steps_of_the_solution_are_fast():
    namespace = solution_functions()
    start = time.perf_counter()
    params, errors = namespace["train"](dict(MAZUR), *X, *T, 0.5, 10_000)
    assert time.perf_counter() - start < 1.0
    assert close(errors[-1], 0.0000351019, 10)


# every number with 5+ decimals the lesson's prose quotes, as Pahwa and Mazur print it
QUOTED_FROM_SEEDS = {"0.019049119", "0.019049118", "0.01904912", "0.036350306", "0.03635031", "0.0004373186",
                     "0.2497813", "0.29956", "0.291027924", "0.0000351085", "0.015912196", "0.984065734",
                     "0.74136507", "0.186815602", "0.138498562", "0.000438568", "0.24975114"}


def test_prose_quotes_only_seed_numbers():
    """Numbers with 5+ decimals in markdown are quotes of what a source printed, never computed values."""
    nb = nbformat.read(notebook_path(ASSIGNMENT), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for number in re.findall(r"\d+\.\d{5,}", cell.source):
                assert number in QUOTED_FROM_SEEDS, f"{cell.id} hard-codes {number}"


def test_report_lists_thirteen_points():
    nb = nbformat.read(notebook_path(ASSIGNMENT), as_version=4)
    call = ast.parse(nb.cells[-1].source).body[-1].value
    assert sum(ast.literal_eval(call.args[0]).values()) == 13
