"""Lesson 9 (losses and layers): every number the notebook prints agrees with a value worked out here
independently (hand formulas, central differences, lessons 6 and 7's references), and the hidden checks
pass the reference and fail every named classic mistake.

The source literals (Ahmadi's neuron, Mazur's network) are named in the comments; the start page,
lessons/index.ipynb, lists the sources.
"""
import math

import numpy as np
import pytest
from conftest import close
from scipy.special import logsumexp

from autograder.grading import HiddenTestFailure
from course.capstone import reference as capstone_ref
from course.losses import cases, mistakes, samples
from course.losses import reference as ref
from course.mazur_network import reference as mazur_ref
from course.sigmoid.reference import sigmoid

LESSON = "09_losses"
MAZUR_P = dict(w1=0.15, w2=0.20, w3=0.25, w4=0.30, w5=0.40, w6=0.45, w7=0.50, w8=0.55, b1=0.35, b2=0.60)  # Mazur


@pytest.fixture
def ns(solution_globals):
    return solution_globals(LESSON)


def central(f, x, h=1e-6):
    """Central differences of a scalar f at every entry of the array x."""
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[index] += h
        down[index] -= h
        grad[index] = (f(up) - f(down)) / (2 * h)
    return grad


# ------------------------------------------------------------------ 1. binary cross-entropy


def test_saturation_and_the_clip(ns):
    assert ns["saturated_out"][2] == 1.0 and ns["saturated_out"][0] < 1.0
    assert ns["unclipped_loss"] == math.inf
    assert ns["clipped_loss"] == pytest.approx(-math.log(1e-7), rel=1e-9)


def test_ahmadi_neuron_delta_rule_is_the_cross_entropy_gradient_step(ns):
    s = 0.1 * 0.5 + 0.3 * 0.2 + 1.83  # Ahmadi: x1, x2, w1, w2, b
    y = 1 / (1 + math.exp(-s))
    assert close(ns["y"], 0.874352143, 9) and ns["y"] == pytest.approx(y, rel=1e-15)  # Ahmadi's output
    for name, x in (("w1", 0.1), ("w2", 0.3), ("b", 1.0)):
        # d/dp of -[d ln y + (1 - d) ln(1 - y)] = (y - d) x, by hand
        assert ns["ce_gradient"][name] == pytest.approx((y - 0.03) * x, rel=1e-12)
        assert abs(ns["ce_numerical"][name] - (y - 0.03) * x) < 1e-6
        assert ns["delta_rule"][name] == pytest.approx({"w1": 0.5, "w2": 0.2, "b": 1.83}[name] + 0.01 * (0.03 - y) * x, rel=1e-15)
    assert ns["delta_rule_gap"] < 1e-15
    assert close(ns["ce_step"]["w2"], 0.197466944, 9)  # lesson 4's delta-rule w2, rounded (Ahmadi truncates: ...943)


def test_confidently_wrong_outputs_learn_fastest_under_cross_entropy(ns):
    out = 1 / (1 + np.exp(-np.array([2.0, 5.0, 10.0])))
    np.testing.assert_allclose(ns["squared_delta"][0], out * out * (1 - out), rtol=1e-12)
    np.testing.assert_allclose(ns["ce_delta"][0], out, rtol=1e-12)
    assert all(np.diff(ns["squared_delta"][0]) < 0) and all(np.diff(ns["ce_delta"][0]) > 0)


def test_reference_bce_delta_is_the_gradient_of_the_mean_loss():
    rng = np.random.default_rng(1)
    for _ in range(10):
        net, T = rng.normal(size=(4, 3)), rng.random((4, 3))
        numerical = central(lambda z: ref.bce_loss(sigmoid(z), T), net)
        assert np.max(np.abs(ref.bce_output_delta(sigmoid(net), T) - numerical)) < 1e-6


# ------------------------------------------------------------------ 2. softmax and cross-entropy


def test_softmax_jacobian_against_central_differences(ns):
    net = np.array([0.5, -1.0, 2.0])
    p = np.exp(net) / np.exp(net).sum()
    numerical = np.column_stack([central(lambda z: np.exp(z[i]) / np.exp(z).sum(), net) for i in range(3)]).T
    np.testing.assert_allclose(ns["jacobian_p"], p, rtol=1e-12)
    assert np.max(np.abs(np.array(ns["jacobian"]) - numerical)) < 1e-6
    assert ns["jacobian_gap"] < 1e-6
    off_diagonal = np.abs(numerical - np.diag(np.diag(numerical))).max()
    assert ns["diagonal_gap"] == pytest.approx(off_diagonal, abs=1e-6) and ns["diagonal_gap"] > 0.1


def test_reference_softmax_gradients_against_central_differences():
    rng = np.random.default_rng(2)
    for k in range(10):
        net = rng.normal(size=(3, 4)) * 3
        T = cases._probability_rows(rng, 3, 4, one_hot=k % 2 == 0)
        numerical = central(lambda z: ref.softmax_cross_entropy(z, T), net)
        assert np.max(np.abs(ref.softmax_ce_delta(net, T) - numerical)) < 1e-6
        G = rng.normal(size=(3, 4))  # E = Σ G ⊙ softmax(net): dE/dp = G
        numerical = central(lambda z: float(np.sum(G * ref.softmax(z))), net)
        assert np.max(np.abs(ref.softmax_backward(ref.softmax(net), G) - numerical)) < 1e-6
    # log-sum-exp at net inputs far apart: -ln p of the low class is the gap, exactly
    assert ref.softmax_cross_entropy([[800.0, 0.0, 0.0]], [[0.0, 1.0, 0.0]]) == pytest.approx(800.0, rel=1e-15)


# ------------------------------------------------------------------ 3. slopes, initialisation, networks


def test_reference_slopes_against_central_differences():
    net = np.array([[-1.7, -0.4, 0.2, 1.3]])
    for name, f in cases.FUNCTIONS.items():
        numerical = (f(net + 1e-6) - f(net - 1e-6)) / 2e-6
        assert np.max(np.abs(ref.activation_slope(net, f(net), name) - numerical)) < 1e-6
    assert ref.activation_slope(np.zeros(2), np.zeros(2), "relu").tolist() == [0.0, 0.0]
    assert ref.init_std(4, 4, "xavier") == 0.5 and ref.init_std(200, 9, "he") == pytest.approx(0.1, rel=1e-15)


def mean_loss(layers, X, T, activations, loss):
    """The lesson's mean losses from the output layer's net input, written independently of the reference
    and without cancellation: ln σ(z) = -logaddexp(0, -z), ln softmax by SciPy's logsumexp."""
    out = np.asarray(X, dtype=float)
    functions = dict(cases.FUNCTIONS, softmax=lambda z: z)
    for (W, b), activation in zip(layers[:-1], activations[:-1]):
        out = functions[activation](out @ W.T + b)
    z = out @ layers[-1][0].T + layers[-1][1]
    n = len(z)
    if loss == "bce":
        return float(np.sum(T * np.logaddexp(0, -z) + (1 - T) * np.logaddexp(0, z)) / n)
    if loss == "softmax_ce":
        return float(-np.sum(T * (z - logsumexp(z, axis=1, keepdims=True))) / n)
    return float(np.sum((functions[activations[-1]](z) - T) ** 2) / (2 * n))


@pytest.mark.parametrize("seed", range(3))
def test_reference_backward_against_central_differences(seed):
    """Every loss, an activation per layer, random sizes: layers_backward is the gradient of the mean loss."""
    for layers, X, T, activations, loss in cases.network_cases(950 + seed, count=12):
        grads = ref.layers_backward(layers, X, T, activations, loss)
        assert ref.layers_loss(layers, X, T, activations, loss) == pytest.approx(mean_loss(layers, X, T, activations, loss), rel=1e-9)
        for k, (W, b) in enumerate(layers):
            for which, array in enumerate((W, b)):
                def loss_of(value, k=k, which=which):
                    changed = [list(layer) for layer in layers]
                    changed[k][which] = value
                    return mean_loss([tuple(layer) for layer in changed], X, T, activations, loss)
                assert np.max(np.abs(grads[k][which] - central(loss_of, array))) < 1e-6, (activations, loss)


def test_reference_squared_loss_of_one_sample_is_lesson_7s():
    rng = np.random.default_rng(3)
    for _ in range(5):
        layers = capstone_ref.random_layers([3, 4, 2], rng)
        X, T = rng.normal(size=(1, 3)), rng.random((1, 2))
        for (gW, gb), (cW, cb) in zip(ref.layers_backward(layers, X, T, ["sigmoid"] * 2, "squared"),
                                      capstone_ref.mlp_backward(layers, X, T)):
            np.testing.assert_allclose(gW, cW, rtol=1e-12)
            np.testing.assert_allclose(gb, cb, rtol=1e-12)


# ------------------------------------------------------------------ 4. the Mazur network, both losses


def test_mazur_squared_error_gradients_are_lesson_6s(ns):
    g = ns["mazur_squared"]
    assert close(g["w5"], 0.082167041, 9) and close(g["w1"], 0.000438568, 9)  # Mazur
    for name, value in mazur_ref.mazur_gradients(MAZUR_P, 0.05, 0.10, 0.01, 0.99).items():
        assert g[name] == pytest.approx(value, rel=1e-12), name


def test_mazur_cross_entropy_gradients_by_hand_and_by_central_differences(ns):
    f = mazur_ref.mazur_forward(MAZUR_P, 0.05, 0.10)
    o1, o2, h1, h2 = f["out_o1"], f["out_o2"], f["out_h1"], f["out_h2"]
    d1, d2 = o1 - 0.01, o2 - 0.99  # the cross-entropy's output deltas, out - t
    dh1 = (d1 * 0.40 + d2 * 0.50) * h1 * (1 - h1)
    dh2 = (d1 * 0.45 + d2 * 0.55) * h2 * (1 - h2)
    by_hand = dict(w1=dh1 * 0.05, w2=dh1 * 0.10, w3=dh2 * 0.05, w4=dh2 * 0.10, w5=d1 * h1, w6=d1 * h2,
                   w7=d2 * h1, w8=d2 * h2, b1=dh1 + dh2, b2=d1 + d2)

    def ce(p):
        out = mazur_ref.mazur_forward(p, 0.05, 0.10)
        return -sum(t * math.log(out[o]) + (1 - t) * math.log(1 - out[o]) for o, t in (("out_o1", 0.01), ("out_o2", 0.99)))

    g = ns["mazur_ce"]
    for name, value in by_hand.items():
        assert g[name] == pytest.approx(value, rel=1e-12), name
        numerical = (ce(dict(MAZUR_P, **{name: MAZUR_P[name] + 1e-6})) - ce(dict(MAZUR_P, **{name: MAZUR_P[name] - 1e-6}))) / 2e-6
        assert abs(g[name] - numerical) < 1e-6, name
    assert ns["mazur_ce_loss"] == pytest.approx(ce(MAZUR_P), rel=1e-12)
    assert ns["mazur_ratio"]["w5"] == pytest.approx(1 / (o1 * (1 - o1)), rel=1e-12)
    assert ns["mazur_ratio"]["w8"] == pytest.approx(1 / (o2 * (1 - o2)), rel=1e-12)
    assert ns["mazur_ratio"]["w1"] == pytest.approx(ns["mazur_ratio"]["w2"], rel=1e-12)
    np.testing.assert_allclose(1 / np.array(ns["mazur_slopes"]), [1 / (o1 * (1 - o1)), 1 / (o2 * (1 - o2))], rtol=1e-12)


# ------------------------------------------------------------------ 5, 6. three classes, the deep network


def test_three_classes_are_learned_and_match_the_reference(ns):
    rng = np.random.default_rng(9)
    centres = np.array([[0.0, 1.5], [-1.4, -0.9], [1.4, -0.9]])
    labels = np.repeat(np.arange(3), 30)
    X = centres[labels] + 0.6 * rng.standard_normal((90, 2))
    T = np.eye(3)[labels]
    layers, losses = ref.init_layers([2, 8, 3], rng, "xavier"), []
    for step in range(301):
        losses.append(ref.layers_loss(layers, X, T, ["tanh", "softmax"], "softmax_ce"))
        if step < 300:
            grads = ref.layers_backward(layers, X, T, ["tanh", "softmax"], "softmax_ce")
            layers = [(W - 0.5 * gW, b - 0.5 * gb) for (W, b), (gW, gb) in zip(layers, grads)]
    np.testing.assert_allclose(ns["blob_losses"], losses, rtol=1e-9)
    assert abs(losses[0] - math.log(3)) < 0.1 and losses[-1] < 0.05
    assert ns["blob_accuracy"] == 1.0


def test_lesson_7s_deep_network_again(ns):
    rng = np.random.default_rng(8)
    layers = capstone_ref.random_layers([2, 4, 4, 4, 4, 4, 4, 4, 1], rng)
    X, T = rng.standard_normal((1, 2)), rng.random((1, 1))
    grads = capstone_ref.mlp_backward(layers, X, T)
    assert ns["lesson7_ratio"] == pytest.approx(np.linalg.norm(grads[0][0]) / np.linalg.norm(grads[-1][0]), rel=1e-12)
    assert ns["lesson7_ratio"] < 1e-3  # lesson 7's "thousands of times" smaller


def test_gradient_ratio_table(ns):
    sizes = [2] + [16] * 7 + [1]
    expected = {}
    for hidden in ("sigmoid", "tanh", "relu"):
        for start in ("N(0, 1)", "xavier", "he"):
            ratios = []
            for seed in range(20):
                rng = np.random.default_rng(seed)
                layers = capstone_ref.random_layers(sizes, rng) if start == "N(0, 1)" else ref.init_layers(sizes, rng, start)
                X, T = rng.standard_normal((16, 2)), rng.random((16, 1))
                grads = ref.layers_backward(layers, X, T, [hidden] * 7 + ["linear"], "squared")
                ratios.append(np.linalg.norm(grads[0][1]) / np.linalg.norm(grads[-1][1]))
            expected[f"{hidden}, {start}"] = float(np.median(ratios))
    assert ns["deep_ratios"] == pytest.approx(expected, rel=1e-9)
    r = ns["deep_ratios"]
    # what the lesson's prose says of the table
    assert max(r["sigmoid, N(0, 1)"], r["sigmoid, xavier"], r["sigmoid, he"]) < 0.05  # vanishes under any start
    assert r["sigmoid, xavier"] < 1e-3
    assert r["tanh, N(0, 1)"] > 2 and 0.2 < r["tanh, xavier"] < 5  # erratic and growing; kept with Xavier
    assert r["relu, N(0, 1)"] > 100 and r["relu, xavier"] < 0.1 and 0.1 < r["relu, he"] < 3


# ------------------------------------------------------------------ the hidden checks


@pytest.mark.parametrize("name", cases.CHECKS)
def test_hidden_checks_pass_the_reference(name):
    assert getattr(cases, f"check_{name}")(getattr(ref, cases.CHECKS[name].reference)) is None


def test_hidden_checks_have_at_least_20_random_cases():
    for name, check in cases.CHECKS.items():
        assert len(check.cases()) >= 20, name
    networks = cases.network_cases(910)
    assert len({tuple(W.shape for W, _ in layers) for layers, *_ in networks}) >= 15
    assert {loss for *_, loss in networks} == {"squared", "bce", "softmax_ce"}
    assert {a for *_, activations, _ in networks for a in activations[:-1]} == {"sigmoid", "tanh", "relu", "linear"}
    assert any(np.any(net == 0.0) for net, _, activation in cases.slope_cases() if activation == "relu")
    assert any(np.any(out == 0.0) or np.any(out == 1.0) for out, _ in cases.bce_cases())
    assert any(np.all(np.abs(net) > 709) for (net,) in cases.softmax_cases())


def _checks_of(function):
    return [name for name, check in cases.CHECKS.items() if (check.function or name) == function]


MISTAKES = [(function, words, variant) for function, pairs in mistakes.VARIANTS.items() for words, variant in pairs]


@pytest.mark.parametrize("function, words, variant", MISTAKES, ids=[f"{f}-{i}" for i, (f, _, _) in enumerate(MISTAKES)])
def test_every_named_mistake_fails_and_is_named(function, words, variant, capsys):
    failed = 0
    for name in _checks_of(function):
        try:
            with np.errstate(all="ignore"):
                getattr(cases, f"check_{name}")(variant)
        except HiddenTestFailure:
            failed += 1
            assert words in capsys.readouterr().out, name
    assert failed, f"{function}: the mistake passes every hidden check"


def test_the_four_classic_mistakes_of_the_issue_are_named():
    named = {words for pairs in mistakes.VARIANTS.values() for words, _ in pairs}
    assert mistakes.DIAGONAL in named and mistakes.SUM_NOT_MEAN in named and mistakes.LOG_ZERO in named
    assert any("ReLU's slope at net = 0" in words for words in named)


def test_hard_coded_student_passes_the_worked_example_but_not_the_hidden_tests():
    namespace = {"np": np}
    exec(samples.WRONG["hard_coded"]["code"]["backward"], namespace)  # noqa: S102 - our own sample
    backward = namespace["backward"]
    mazur = mazur_ref.mazur_to_layers(MAZUR_P)
    grads = backward(mazur, np.array([[0.05, 0.10]]), np.array([[0.01, 0.99]]), ["sigmoid", "sigmoid"], "squared")
    assert close(grads[1][0][0, 0], 0.082167041, 9)  # Mazur's dE/dw5, by look-up
    for name in ("backward_output", "backward_hidden", "backward_biases"):
        with pytest.raises(HiddenTestFailure, match=r"hidden test \d+ of \d+ failed"):
            getattr(cases, f"check_{name}")(backward)


def test_relu_slope_at_zero_fails_only_the_slope():
    namespace = {"np": np}
    exec(samples.WRONG["relu_slope_at_zero"]["code"]["activation_slope"], namespace)  # noqa: S102 - our own sample
    with pytest.raises(HiddenTestFailure):
        cases.check_activation_slope(namespace["activation_slope"])
    # backward's random networks never land on the kink: the same slope passes there
    def backward(layers, X, T, activations, loss):
        outs = ref.layers_forward(layers, X, activations)
        nets = [outs[k] @ W.T + b for k, (W, b) in enumerate(layers)]
        delta = ref.output_delta(nets[-1], outs[-1], T, activations[-1], loss)
        grads = []
        for k in range(len(layers) - 1, -1, -1):
            grads.append((delta.T @ outs[k], delta.sum(axis=0)))
            if k:
                delta = (delta @ layers[k][0]) * namespace["activation_slope"](nets[k - 1], outs[k], activations[k - 1])
        return grads[::-1]
    cases.check_backward_hidden(backward)
