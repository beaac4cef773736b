"""Lesson 5 (the hmkcode linear 2-2-1 network, hmkcode's lecture and assignment): the notebook reproduces the
sources' numbers, or the corrected value with a comment naming what the source printed; the hidden
checks pass the reference and fail wrong implementations.

Literals are copied from hmkcode's lecture and assignment unless a comment says they are our own
computation. The sources are listed on the start page, lessons/index.ipynb.
"""
import numpy as np
import pytest
from conftest import close

from autograder.grading import HiddenTestFailure
from course.chain_rule.reference import numerical_gradient, squared_error
from course.linear_network import cases as hidden
from course.linear_network import reference as ref
from course.steepest_descent.reference import gradient_step

A = "05_linear_network"
W000 = {"w1": 0.11, "w2": 0.21, "w3": 0.12, "w4": 0.08, "w5": 0.14, "w6": 0.15}
W004 = {"w1": 0.19, "w2": 0.41, "w3": 0.23, "w4": 0.14, "w5": 0.32, "w6": 0.78}
# the hmkcode assignment prints the new weights as [[w1, w3, w5], [w2, w4, w6]]
NEW_004 = {"w1": 0.1835488, "w3": 0.2142752, "w5": 0.3037712, "w2": 0.4003232, "w4": 0.1164128, "w6": 0.7711296}


# ------------------------------------------------------------ the notebook's numbers


def test_data_of_both_seeds(solution_globals):
    ns = solution_globals(A)
    assert (ns["i1"], ns["i2"], ns["target"], ns["eta"]) == (2, 3, 1, 0.05)
    assert ns["w000"] == W000 and ns["w004"] == W004


def test_forward_pass_seed_000(solution_globals):
    ns = solution_globals(A)
    f = ns["fwd_000"]
    assert abs(f["h1"] - 0.85) < 1e-12 and abs(f["h2"] - 0.48) < 1e-12
    assert abs(f["out"] - 0.191) < 1e-12
    # prediction = (i1 w1 + i2 w2) w5 + (i1 w3 + i2 w4) w6, term by term (our numbers)
    assert abs(ns["term_h1_000"] - 0.119) < 1e-12 and abs(ns["term_h2_000"] - 0.072) < 1e-12


def test_forward_pass_error_and_delta_seed_004(solution_globals):
    ns = solution_globals(A)
    f = ns["fwd_004"]
    assert abs(f["h1"] - 1.61) < 1e-12 and abs(f["h2"] - 0.88) < 1e-12
    assert abs(f["out"] - 1.2016) < 1e-12
    assert abs(ns["E_004"] - 0.02032128) < 1e-12
    assert abs(ns["delta_004"] - 0.2016) < 1e-12


def test_error_and_delta_seed_000_are_ours(solution_globals):
    ns = solution_globals(A)
    # the hmkcode lecture's slide with the error is lost; 1/2 (0.191 - 1)^2 is our computation
    assert abs(ns["E_000"] - 0.3272405) < 1e-12
    assert abs(ns["delta_000"] + 0.809) < 1e-12


def test_gradients_seed_004_match_the_printed_update(solution_globals):
    ns = solution_globals(A)
    for name, new in NEW_004.items():
        assert ns["grads_004"][name] == pytest.approx((W004[name] - new) / 0.05, abs=1e-12)
    dW1, dW2 = np.array(ns["dW1_004"]), np.array(ns["dW2_004"])
    assert dW1.shape == (2, 2) and dW2.shape == (1, 2)
    np.testing.assert_allclose(dW1, [[0.129024, 0.193536], [0.314496, 0.471744]], rtol=0, atol=1e-12)
    np.testing.assert_allclose(dW2, [[0.324576, 0.177408]], rtol=0, atol=1e-12)


def test_update_and_second_forward_pass_seed_004(solution_globals):
    ns = solution_globals(A)
    for name, value in NEW_004.items():
        assert abs(ns["new_004"][name] - value) < 1e-12
    np.testing.assert_allclose(ns["new_weights_004_layout"],
                               [[0.1835488, 0.2142752, 0.3037712], [0.4003232, 0.1164128, 0.7711296]], atol=1e-12)
    assert abs(ns["fwd_004_after"]["h1"] - 1.5680672) < 1e-12
    assert abs(ns["fwd_004_after"]["h2"] - 0.7777888) < 1e-12
    assert abs(ns["fwd_004_after"]["out"] - 1.0761096212531203) < 1e-12
    assert ns["E_004_after"] < ns["E_004"]


def test_update_seed_000_is_our_computation(solution_globals):
    ns = solution_globals(A)
    # the hmkcode lecture stops at the forward pass: these are ours, with η = 0.05
    ours = {"w1": 0.121326, "w2": 0.226989, "w3": 0.132135, "w4": 0.0982025, "w5": 0.1743825, "w6": 0.169416}
    for name, value in ours.items():
        assert abs(ns["new_000"][name] - value) < 1e-12
    assert abs(ns["fwd_000_after"]["out"] - 0.2557457808075) < 1e-12
    assert ns["E_000_after"] < ns["E_000"]


def test_seed_004_prose_numbers(solution_globals):
    ns = solution_globals(A)
    # The hmkcode assignment's prose says the new prediction is 1.07709 (its code prints 1.0761096212531203).
    assert not close(ns["exact_out_004"], 1.07709, 5)
    assert not any(close(v, 1.07709, 5) for v in ns["rounded_predictions"].values())
    assert not close(ns["slip_out_004"], 1.07709, 5)
    # It is what one gets after rounding the prediction to 1.20 (delta 0.2) before the backward pass.
    assert close(ns["rounded_delta_out_004"], 1.07709, 5)
    assert round(ns["fwd_004"]["out"], 2) == 1.20


def test_learning_rate_table(solution_globals):
    ns = solution_globals(A)
    table = {float(k): v for k, v in ns["E_after_one_step"].items()}
    assert table[0.05] == pytest.approx(ns["E_004_after"], rel=1e-12)
    assert table[0.1] < ns["E_004"] < table[0.2] < table[0.5] < table[1.0]


# ------------------------------------------------------------ the new reference function


def test_reference_linear_update_seed_004():
    new = ref.linear_update(W004, 2, 3, 1, 0.05)
    for name, value in NEW_004.items():
        assert new[name] == pytest.approx(value, abs=1e-12)
    assert W004 == {"w1": 0.19, "w2": 0.41, "w3": 0.23, "w4": 0.14, "w5": 0.32, "w6": 0.78}


def test_reference_matrix_gradients_at_random_sizes_match_central_differences():
    for W1, W2, x, t in hidden.matrix_cases(7):
        gW1, gW2 = ref.linear_gradients_matrix(W1, W2, x, t)
        assert gW1.shape == W1.shape and gW2.shape == W2.shape

        def error(p):
            return squared_error(t, p["W2"] @ (p["W1"] @ x))

        num = numerical_gradient(error, {"W1": W1, "W2": W2})
        np.testing.assert_allclose(gW1, num["W1"], rtol=1e-6, atol=1e-8)
        np.testing.assert_allclose(gW2, num["W2"], rtol=1e-6, atol=1e-8)


# ------------------------------------------------------------ the hidden checks


def test_hidden_checks_pass_the_reference():
    hidden.check_linear_forward(ref.linear_forward)
    hidden.check_linear_error(ref.linear_error)
    hidden.check_linear_gradients_output(ref.linear_gradients)
    hidden.check_linear_gradients_hidden(ref.linear_gradients)
    hidden.check_linear_update(ref.linear_update)
    hidden.check_linear_gradients_matrix(ref.linear_gradients_matrix)


def test_hidden_checks_use_at_least_20_random_cases_and_sizes():
    assert len(hidden.cases(1)) >= 20
    sizes = {(W1.shape, W2.shape) for W1, W2, _, _ in hidden.matrix_cases(505)}
    assert len(hidden.matrix_cases(505)) >= 20 and len(sizes) >= 8
    assert any(isinstance(t, float) for *_, t in hidden.matrix_cases(505))
    assert any(np.ndim(t) == 1 and len(t) > 1 for *_, t in hidden.matrix_cases(505))


def hard_coded_gradients(w, i1, i2, target):
    return {"w1": 0.129024, "w2": 0.193536, "w3": 0.314496, "w4": 0.471744, "w5": 0.324576, "w6": 0.177408}


def gradients_sign_flipped(w, i1, i2, target):
    return {k: -v for k, v in ref.linear_gradients(w, i1, i2, target).items()}


def gradients_hidden_use_own_weight(w, i1, i2, target):
    g = ref.linear_gradients(w, i1, i2, target)
    delta = ref.linear_forward(w, i1, i2)["out"] - target
    return dict(g, w1=delta * w["w1"] * i1, w2=delta * w["w2"] * i2)


def update_with_new_output_weights(w, i1, i2, target, eta):
    f = ref.linear_forward(w, i1, i2)
    delta = f["out"] - target
    new = dict(w, w5=w["w5"] - eta * delta * f["h1"], w6=w["w6"] - eta * delta * f["h2"])
    for name, carry, x in (("w1", "w5", i1), ("w2", "w5", i2), ("w3", "w6", i1), ("w4", "w6", i2)):
        new[name] = w[name] - eta * delta * new[carry] * x
    return new


def update_only_output_layer(w, i1, i2, target, eta):
    new = ref.linear_update(w, i1, i2, target, eta)
    return dict(new, w1=w["w1"], w2=w["w2"], w3=w["w3"], w4=w["w4"])


def matrix_transposed(W1, W2, x, target):
    dW1, dW2 = ref.linear_gradients_matrix(W1, W2, x, target)
    return dW1.T, dW2


def matrix_flattened(W1, W2, x, target):
    dW1, dW2 = ref.linear_gradients_matrix(W1, W2, x, target)
    return dW1, dW2.ravel()


def matrix_for_2_2_1_only(W1, W2, x, target):
    w = {"w1": W1[0, 0], "w2": W1[0, 1], "w3": W1[1, 0], "w4": W1[1, 1], "w5": W2[0, 0], "w6": W2[0, 1]}
    g = ref.linear_gradients(w, x[0], x[1], target)
    return np.array([[g["w1"], g["w2"]], [g["w3"], g["w4"]]]), np.array([[g["w5"], g["w6"]]])


@pytest.mark.parametrize("check, wrong", [
    (hidden.check_linear_forward, lambda w, i1, i2: {"h1": 1.61, "h2": 0.88, "out": 1.2016}),
    (hidden.check_linear_forward, lambda w, i1, i2: dict(ref.linear_forward(w, i1, i2), h2=i1 * w["w2"] + i2 * w["w4"])),
    (hidden.check_linear_error, lambda w, i1, i2, t: 2 * ref.linear_error(w, i1, i2, t)),
    (hidden.check_linear_error, lambda w, i1, i2, t: ref.linear_forward(w, i1, i2)["out"] - t),
    (hidden.check_linear_gradients_output, hard_coded_gradients),
    (hidden.check_linear_gradients_hidden, hard_coded_gradients),
    (hidden.check_linear_gradients_output, gradients_sign_flipped),
    (hidden.check_linear_gradients_hidden, gradients_sign_flipped),
    (hidden.check_linear_gradients_hidden, gradients_hidden_use_own_weight),
    (hidden.check_linear_update, update_with_new_output_weights),
    (hidden.check_linear_update, update_only_output_layer),
    (hidden.check_linear_update, lambda w, i1, i2, t, eta: gradient_step(w, gradients_sign_flipped(w, i1, i2, t), eta)),
    (hidden.check_linear_gradients_matrix, matrix_transposed),
    (hidden.check_linear_gradients_matrix, matrix_flattened),
    (hidden.check_linear_gradients_matrix, matrix_for_2_2_1_only),
])
def test_hidden_checks_fail_wrong_implementations(check, wrong):
    with pytest.raises(HiddenTestFailure):
        check(wrong)


def test_a_wrong_hidden_layer_keeps_the_output_layers_credit():
    """Partial credit: the output-layer part judges dE/dw5, dE/dw6 only."""
    assert hidden.check_linear_gradients_output(gradients_hidden_use_own_weight) is None
    with pytest.raises(HiddenTestFailure, match=r"linear_gradients \(hidden-layer weights w1..w4\)"):
        hidden.check_linear_gradients_hidden(gradients_hidden_use_own_weight)
