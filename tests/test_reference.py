"""The reference module reproduces every number the sources print, or the corrected value.

Every literal below is copied from a source (named in the comment; the start page,
lessons/index.ipynb, lists them), not computed here. Where a source's number is wrong, the test pins the correct value and the
comment says what the source printed and why.
"""
import numpy as np
import pytest
from conftest import close

from course.capstone.reference import mlp_backward, mlp_error, mlp_forward, mlp_train, mlp_update, random_layers
from course.chain_rule.reference import numerical_derivative, numerical_gradient, squared_error
from course.linear_network.reference import linear_error, linear_forward, linear_gradients, linear_gradients_matrix
from course.mazur_network import reference as ref
from course.sigmoid.reference import sigmoid, sigmoid_derivative
from course.sigmoid_neuron.reference import delta_rule_update, neuron_error, neuron_forward, neuron_gradients
from course.steepest_descent.reference import gradient_step

MAZUR = dict(w1=0.15, w2=0.20, w3=0.25, w4=0.30, w5=0.40, w6=0.45, w7=0.50, w8=0.55, b1=0.35, b2=0.60)
MAZUR_X = (0.05, 0.10)
MAZUR_T = (0.01, 0.99)
HMK_000 = dict(w1=0.11, w2=0.21, w3=0.12, w4=0.08, w5=0.14, w6=0.15)
HMK_004 = dict(w1=0.19, w2=0.41, w3=0.23, w4=0.14, w5=0.32, w6=0.78)
NEURON = dict(w1=0.5, w2=0.2, b=1.83)


# ------------------------------------------------------------------ sigmoid (Pahwa)


def test_sigmoid_matches_its_definition_and_symmetry():
    x = np.linspace(-30, 30, 601)
    np.testing.assert_allclose(sigmoid(x), 1 / (1 + np.exp(-x)), rtol=1e-15, atol=0)
    np.testing.assert_allclose(sigmoid(x) + sigmoid(-x), 1.0, rtol=0, atol=1e-15)
    assert sigmoid(0.0) == 0.5


def test_sigmoid_does_not_overflow():
    with np.errstate(all="raise"):
        assert sigmoid(-1000.0) == 0.0
        assert sigmoid(1000.0) == 1.0


def test_sigmoid_derivative_is_sigma_times_one_minus_sigma_and_the_slope():
    x = np.linspace(-6, 6, 121)
    s = 1 / (1 + np.exp(-x))
    np.testing.assert_allclose(sigmoid_derivative(x), s * (1 - s), rtol=1e-12)
    slope = numerical_derivative(sigmoid, x)
    np.testing.assert_allclose(sigmoid_derivative(x), slope, rtol=1e-7, atol=1e-10)
    assert sigmoid_derivative(0.0) == 0.25  # the maximum of σ'


# --------------------------------------------------------- one sigmoid neuron (Ahmadi)


def test_neuron_forward_and_error_seed_002():
    f = neuron_forward(NEURON, 0.1, 0.3)
    assert f["s"] == pytest.approx(1.94, abs=1e-12)
    assert close(f["y"], 0.874352143, 9)
    assert close(neuron_error(NEURON, 0.1, 0.3, 0.03), 0.356465271, 9)


def test_neuron_delta_rule_update_seed_002():
    new = delta_rule_update(NEURON, 0.1, 0.3, 0.03, eta=0.01)
    assert close(new["b"], 1.821556479, 9)
    assert close(new["w1"], 0.499155648, 9)
    # Ahmadi prints W2 = 0.197466943: 0.2 - 0.00844352143 * 0.3 = 0.1974669436, so it
    # truncated the last digit; rounded to 9 places the value is 0.197466944.
    assert close(new["w2"], 0.197466944, 9)
    assert not close(new["w2"], 0.197466943, 9)


def test_neuron_true_gradient_differs_from_the_printed_rule():
    # The printed rule W + eta (d - Y) X leaves out σ'(s) = Y (1 - Y) = 0.1099...
    g = neuron_gradients(NEURON, 0.1, 0.3, 0.03)
    num = numerical_gradient(lambda p: neuron_error(p, 0.1, 0.3, 0.03), NEURON)
    for name in NEURON:
        assert g[name] == pytest.approx(num[name], rel=1e-7)
    y = 0.874352143
    assert g["b"] == pytest.approx((y - 0.03) * y * (1 - y), rel=1e-8)
    # Ahmadi says raising W1 by 1.0 raises the error by 0.07; the gradient is 0.0093
    # and the actual change (W1 = 1.5) is 0.0090: neither is 0.07.
    assert g["w1"] == pytest.approx(0.00928, abs=5e-5)
    raised = dict(NEURON, w1=1.5)
    change = neuron_error(raised, 0.1, 0.3, 0.03) - neuron_error(NEURON, 0.1, 0.3, 0.03)
    assert change == pytest.approx(0.0090, abs=1e-4)


# ------------------------------------------------- hmkcode linear network (hmkcode's lecture and assignment)


def test_linear_forward_seed_000():
    f = linear_forward(HMK_000, 2, 3)
    assert f["h1"] == pytest.approx(0.85, abs=1e-12)
    assert f["h2"] == pytest.approx(0.48, abs=1e-12)
    assert f["out"] == pytest.approx(0.191, abs=1e-12)


def test_linear_forward_backward_update_seed_004():
    f = linear_forward(HMK_004, 2, 3)
    assert (f["h1"], f["h2"]) == pytest.approx((1.61, 0.88), abs=1e-12)
    assert f["out"] == pytest.approx(1.2016, abs=1e-12)
    assert linear_error(HMK_004, 2, 3, 1) == pytest.approx(0.02032128, abs=1e-12)
    new = gradient_step(HMK_004, linear_gradients(HMK_004, 2, 3, 1), 0.05)
    # the hmkcode assignment prints newWeights = [[w1, w3, w5], [w2, w4, w6]]
    printed = dict(w1=0.1835488, w3=0.2142752, w5=0.3037712, w2=0.4003232, w4=0.1164128, w6=0.7711296)
    for name, value in printed.items():
        assert new[name] == pytest.approx(value, abs=1e-12)
    f2 = linear_forward(new, 2, 3)
    assert (f2["h1"], f2["h2"]) == pytest.approx((1.5680672, 0.7777888), abs=1e-12)
    assert f2["out"] == pytest.approx(1.0761096212531203, abs=1e-12)
    # The prose of the hmkcode assignment says the new prediction is 1.07709 (the code in the same document
    # prints 1.0761096...): that is what one gets by rounding the prediction to 1.20, so
    # delta = 0.2 instead of 0.2016, before the backward pass.
    assert not close(f2["out"], 1.07709, 5)
    rounded = gradient_step(HMK_004, linear_gradients(HMK_004, 2, 3, 1.0016), 0.05)
    assert close(linear_forward(rounded, 2, 3)["out"], 1.07709, 5)


def test_linear_gradients_closed_form_equal_matrix_form_and_numerical():
    rng = np.random.default_rng(4)
    for _ in range(20):
        w = {f"w{k}": rng.normal() for k in range(1, 7)}
        i1, i2, t = rng.normal(size=3)
        g = linear_gradients(w, i1, i2, t)
        num = numerical_gradient(lambda p: linear_error(p, i1, i2, t), w)
        W1 = np.array([[w["w1"], w["w2"]], [w["w3"], w["w4"]]])
        W2 = np.array([[w["w5"], w["w6"]]])
        gW1, gW2 = linear_gradients_matrix(W1, W2, [i1, i2], t)
        np.testing.assert_allclose(gW1.ravel(), [g["w1"], g["w2"], g["w3"], g["w4"]], rtol=1e-12)
        np.testing.assert_allclose(gW2.ravel(), [g["w5"], g["w6"]], rtol=1e-12)
        for name in w:
            assert g[name] == pytest.approx(num[name], rel=1e-6, abs=1e-9)


# ------------------------------------------------------- Mazur network (Pahwa, Mazur)


def test_mazur_forward_pass_seed_003():
    f = ref.mazur_forward(MAZUR, *MAZUR_X)
    assert f["net_h1"] == pytest.approx(0.3775, abs=1e-12)
    assert close(f["out_h1"], 0.593269992, 9)
    assert close(f["out_h2"], 0.596884378, 9)
    assert close(f["net_o1"], 1.105905967, 9)
    assert close(f["out_o1"], 0.75136507, 8)
    assert close(f["out_o2"], 0.772928465, 9)
    # Pahwa (R) prints h2 = 0.3925, y2 = 1.224921
    assert f["net_h2"] == pytest.approx(0.3925, abs=1e-12)
    assert close(f["net_o2"], 1.224921, 6)


def test_mazur_errors_seed_003():
    f = ref.mazur_forward(MAZUR, *MAZUR_X)
    assert close(squared_error(0.01, f["out_o1"]), 0.274811083, 9)
    assert close(squared_error(0.99, f["out_o2"]), 0.023560026, 9)
    assert close(ref.mazur_error(MAZUR, *MAZUR_X, *MAZUR_T), 0.298371109, 9)


def test_mazur_output_layer_seed_003_and_001():
    f = ref.mazur_forward(MAZUR, *MAZUR_X)
    d = ref.mazur_deltas(MAZUR, *MAZUR_X, *MAZUR_T)
    assert close(-(0.01 - f["out_o1"]), 0.74136507, 8)
    assert close(f["out_o1"] * (1 - f["out_o1"]), 0.186815602, 9)
    assert close(d["delta_o1"], 0.138498562, 9)
    assert close(-(0.99 - f["out_o2"]), -0.2170715, 7)  # Pahwa
    assert close(f["out_o2"] * (1 - f["out_o2"]), 0.1755101, 7)  # Pahwa
    g = ref.mazur_gradients(MAZUR, *MAZUR_X, *MAZUR_T)
    assert close(g["w5"], 0.082167041, 9)
    assert close(g["w6"], 0.08266763, 8)  # Pahwa prints 0.08266763
    new = ref.mazur_update(MAZUR, g, 0.5)
    assert close(new["w5"], 0.35891648, 8)
    assert close(new["w6"], 0.408666186, 9)
    assert close(new["w7"], 0.511301270, 9)
    assert close(new["w8"], 0.561370121, 9)
    # Pahwa's summary slide prints dE/dw5..dw8 = 0.0821, 0.0826, -0.0226, -0.0227 and
    # w6 = 0.4086, w8 = 0.5613: truncated, not rounded (0.0822, 0.0827, 0.4087, 0.5614).
    assert round(g["w5"], 4) == 0.0822 and round(g["w6"], 4) == 0.0827
    assert round(g["w7"], 4) == -0.0226 and round(g["w8"], 4) == -0.0227
    assert round(new["w6"], 4) == 0.4087 and round(new["w8"], 4) == 0.5614


def test_mazur_hidden_layer_seed_003():
    f = ref.mazur_forward(MAZUR, *MAZUR_X)
    d = ref.mazur_deltas(MAZUR, *MAZUR_X, *MAZUR_T)
    assert close(d["delta_o1"] * MAZUR["w5"], 0.055399425, 9)
    # Mazur prints dE_o2/d(out_h1) = -0.019049119; it is -0.0190491183 (Pahwa's R
    # prints -0.01904912), so the last printed digit is off by one.
    assert close(d["delta_o2"] * MAZUR["w7"], -0.019049118, 9)
    assert close(d["delta_o1"] * MAZUR["w5"] + d["delta_o2"] * MAZUR["w7"], 0.036350306, 9)
    assert close(f["out_h1"] * (1 - f["out_h1"]), 0.241300709, 9)
    g = ref.mazur_gradients(MAZUR, *MAZUR_X, *MAZUR_T)
    assert close(g["w1"], 0.000438568, 9)
    new = ref.mazur_update(MAZUR, g, 0.5)
    assert close(new["w1"], 0.149780716, 9)
    assert close(new["w2"], 0.19956143, 8)
    assert close(new["w3"], 0.24975114, 8)
    assert close(new["w4"], 0.29950229, 8)
    assert close(f["out_h2"] * (1 - f["out_h2"]), 0.2406134, 7)  # Pahwa


def test_seed_001_w3_misapplies_the_chain_rule():
    # Pahwa prints dE/dw3 = 0.0004373186 and new w3 = 0.2497813 (and w4 = 0.29956):
    # it multiplies dE/d(out_h1) = 0.03635031 by out_h2's slope, where the chain rule
    # needs dE/d(out_h2) = delta_o1*w6 + delta_o2*w8 = 0.04137032.
    f = ref.mazur_forward(MAZUR, *MAZUR_X)
    d = ref.mazur_deltas(MAZUR, *MAZUR_X, *MAZUR_T)
    dE_douth1 = d["delta_o1"] * MAZUR["w5"] + d["delta_o2"] * MAZUR["w7"]
    slope_h2 = f["out_h2"] * (1 - f["out_h2"])
    wrong_w3 = dE_douth1 * slope_h2 * MAZUR_X[0]
    assert close(wrong_w3, 0.0004373186, 10)
    assert close(MAZUR["w3"] - 0.5 * wrong_w3, 0.2497813, 7)
    assert close(MAZUR["w4"] - 0.5 * dE_douth1 * slope_h2 * MAZUR_X[1], 0.29956, 5)
    g = ref.mazur_gradients(MAZUR, *MAZUR_X, *MAZUR_T)
    assert close(g["w3"], 0.000497713, 9)
    assert close(d["delta_o1"] * MAZUR["w6"] + d["delta_o2"] * MAZUR["w8"], 0.04137032, 8)


def test_mazur_error_after_one_update_seed_003_is_corrected():
    _, errors = ref.mazur_train(MAZUR, *MAZUR_X, *MAZUR_T, eta=0.5, steps=1)
    # Mazur prints 0.291027924. Gradient descent gives 0.291027774; the printed value
    # is what one gets when the hidden deltas use the already-updated w5..w8.
    assert close(errors[1], 0.291027774, 9)
    assert not close(errors[1], 0.291027924, 9)


def test_mazur_after_10000_updates_seed_003_is_corrected():
    p, errors = ref.mazur_train(MAZUR, *MAZUR_X, *MAZUR_T, eta=0.5, steps=10_000)
    f = ref.mazur_forward(p, *MAZUR_X)
    # Mazur prints E = 0.0000351085 and outputs 0.015912196, 0.984065734. Those outputs
    # give E = 0.0000350848, not the printed E; gradient descent gives the values below.
    assert close(errors[-1], 0.0000351019, 10)
    assert close(f["out_o1"], 0.015913620, 9)
    assert close(f["out_o2"], 0.984064274, 9)
    assert close(squared_error(MAZUR_T, [0.015912196, 0.984065734]), 0.0000350848, 10)


def test_mazur_bias_gradients_and_shared_bias():
    g = ref.mazur_gradients(MAZUR, *MAZUR_X, *MAZUR_T)
    num = numerical_gradient(lambda p: ref.mazur_error(p, *MAZUR_X, *MAZUR_T), MAZUR)
    for name in MAZUR:
        assert g[name] == pytest.approx(num[name], rel=1e-6)


# ------------------------------------------------------------ the general network


def test_mlp_matches_mazur_network():
    layers = ref.mazur_to_layers(MAZUR)
    outs = mlp_forward(layers, [MAZUR_X])
    f = ref.mazur_forward(MAZUR, *MAZUR_X)
    np.testing.assert_allclose(outs[1][0], [f["out_h1"], f["out_h2"]], rtol=1e-15)
    np.testing.assert_allclose(outs[2][0], [f["out_o1"], f["out_o2"]], rtol=1e-15)
    (gW1, gb1), (gW2, gb2) = mlp_backward(layers, [MAZUR_X], [MAZUR_T])
    g = ref.mazur_gradients(MAZUR, *MAZUR_X, *MAZUR_T)
    np.testing.assert_allclose(gW1.ravel(), [g["w1"], g["w2"], g["w3"], g["w4"]], rtol=1e-12)
    np.testing.assert_allclose(gW2.ravel(), [g["w5"], g["w6"], g["w7"], g["w8"]], rtol=1e-12)
    assert gb1.sum() == pytest.approx(g["b1"], rel=1e-12)
    assert gb2.sum() == pytest.approx(g["b2"], rel=1e-12)


def test_mlp_matches_linear_network():
    W1 = np.array([[0.19, 0.41], [0.23, 0.14]])
    W2 = np.array([[0.32, 0.78]])
    layers = [(W1, np.zeros(2)), (W2, np.zeros(1))]
    (gW1, _), (gW2, _) = mlp_backward(layers, [[2, 3]], [[1]], activation="linear")
    g = linear_gradients(HMK_004, 2, 3, 1)
    np.testing.assert_allclose(gW1.ravel(), [g["w1"], g["w2"], g["w3"], g["w4"]], rtol=1e-12)
    np.testing.assert_allclose(gW2.ravel(), [g["w5"], g["w6"]], rtol=1e-12)


def relative_error(a, b):
    """|a - b| / (|a| + |b|) over a whole gradient array, as in gradient checking."""
    return np.linalg.norm(a - b) / max(1e-12, np.linalg.norm(a) + np.linalg.norm(b))


@pytest.mark.parametrize("activation", ["sigmoid", "linear"])
def test_mlp_gradients_match_central_differences_on_100_random_networks(activation):
    rng = np.random.default_rng(2026)
    worst = 0.0
    for _ in range(100):
        sizes = list(rng.integers(1, 5, size=rng.integers(2, 5)))
        n = int(rng.integers(1, 6))
        layers = random_layers(sizes, rng)
        X = rng.standard_normal((n, sizes[0]))
        T = rng.random((n, sizes[-1]))
        grads = mlp_backward(layers, X, T, activation)
        params = {f"{kind}{k}": arr for k, layer in enumerate(layers) for kind, arr in zip("Wb", layer)}

        def error(p):
            net = [(p[f"W{k}"], p[f"b{k}"]) for k in range(len(layers))]
            return mlp_error(net, X, T, activation)

        num = numerical_gradient(error, params)
        for k, (gW, gb) in enumerate(grads):
            worst = max(worst, relative_error(gW, num[f"W{k}"]), relative_error(gb, num[f"b{k}"]))
    assert worst < 1e-6, worst


def test_mlp_train_lowers_the_error_and_update_is_a_gradient_step():
    rng = np.random.default_rng(7)
    layers = random_layers([2, 3, 1], rng)
    X = rng.standard_normal((4, 2))
    T = rng.random((4, 1))
    trained, errors = mlp_train(layers, X, T, eta=0.5, steps=200)
    assert len(errors) == 201 and errors[-1] < errors[0]
    grads = mlp_backward(layers, X, T)
    stepped = mlp_update(layers, grads, 0.1)
    np.testing.assert_allclose(stepped[0][0], layers[0][0] - 0.1 * grads[0][0])
    assert not np.allclose(trained[0][0], layers[0][0])
