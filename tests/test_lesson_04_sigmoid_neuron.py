"""Lesson 4 (one sigmoid neuron, Ahmadi): the notebook reproduces the source's numbers, or the
corrected value with a comment naming what the source printed; the hidden checks pass the reference
and fail wrong implementations.

Literals are copied from Ahmadi's lesson unless a comment says they are our own computation
(the source prints no gradient and takes no gradient step). The sources are listed on the start
page, lessons/index.ipynb.
"""
import numpy as np
import pytest
from conftest import close

from autograder.grading import HiddenTestFailure
from course.chain_rule.reference import numerical_gradient
from course.sigmoid_neuron import cases as hidden
from course.sigmoid_neuron import reference as ref
from course.steepest_descent.reference import gradient_step

A = "04_sigmoid_neuron"
P0 = {"w1": 0.5, "w2": 0.2, "b": 1.83}


# ------------------------------------------------------------ the notebook's numbers


def test_forward_pass_and_error_seed_002(solution_globals):
    ns = solution_globals(A)
    assert (ns["x1"], ns["x2"], ns["d"], ns["eta"]) == (0.1, 0.3, 0.03, 0.01)
    assert ns["p0"] == P0
    assert abs(ns["s"] - 1.94) < 1e-12
    assert close(ns["y"], 0.874352143, 9)
    assert close(ns["E"], 0.356465271, 9)


def test_chain_rule_factors_and_gradients(solution_globals):
    ns = solution_globals(A)
    # our computation: the source prints no gradient
    assert close(ns["dE_dy"], 0.844352143, 9)          # y - d
    assert close(ns["dy_ds"], 0.109860473, 9)          # σ'(1.94)
    assert close(ns["delta"], 0.0927609256, 10)
    assert close(ns["grads"]["b"], 0.0927609256, 10)
    assert close(ns["grads"]["w1"], 0.00927609256, 11)
    assert close(ns["grads"]["w2"], 0.0278282777, 10)


def test_gradient_step_lowers_the_error(solution_globals):
    ns = solution_globals(A)
    # our computation: p0 - 0.01 * gradient
    assert close(ns["p_gd"]["b"], 1.829072391, 9)
    assert close(ns["p_gd"]["w1"], 0.499907239, 9)
    assert close(ns["p_gd"]["w2"], 0.199721717, 9)
    assert close(ns["E_gd"], 0.356370591, 9)
    assert ns["E_gd"] < ns["E"]


def test_source_update_rule_seed_002(solution_globals):
    ns = solution_globals(A)
    assert close(ns["p_delta"]["b"], 1.821556479, 9)
    assert close(ns["p_delta"]["w1"], 0.499155648, 9)
    # Ahmadi prints W2 = 0.197466943: the exact 0.1974669436 with its digits cut off, not rounded.
    assert close(ns["p_delta"]["w2"], 0.197466944, 9)
    assert not close(ns["p_delta"]["w2"], 0.197466943, 9)
    assert ns["w2_rounded"] == 0.197466944
    assert ns["w2_truncated"] == 0.197466943
    assert close(ns["E_delta"], 0.355601244, 9)          # our computation


def test_the_two_rules_differ_by_the_sigmoid_slope(solution_globals):
    ns = solution_globals(A)
    for k in ("w1", "w2", "b"):
        assert np.sign(ns["step_gd"][k]) == np.sign(ns["step_delta"][k]) == -1
        assert ns["step_ratio"][k] == pytest.approx(1 / ns["slope"], rel=1e-9)
    assert ns["slope"] == pytest.approx(0.109860473, abs=5e-10)


def test_the_seed_claim_about_w1_is_not_reproduced(solution_globals):
    ns = solution_globals(A)
    # Ahmadi: "increasing W1 by 1.0 increases the network error by 0.07".
    assert ns["dE_dW1"] == pytest.approx(0.0093, abs=5e-5)
    assert ns["E_change_W1_raised"] == pytest.approx(0.0090, abs=5e-5)
    assert not close(ns["dE_dW1"], 0.07, 2) and not close(ns["E_change_W1_raised"], 0.07, 2)


# ------------------------------------------------------------ the new reference function


def test_reference_neuron_update_is_a_gradient_step():
    new = ref.neuron_update(P0, 0.1, 0.3, 0.03, 0.01)
    g = numerical_gradient(lambda p: ref.neuron_error(p, 0.1, 0.3, 0.03), P0)
    for k in P0:
        assert new[k] == pytest.approx(P0[k] - 0.01 * g[k], abs=1e-12)
    assert ref.neuron_error(new, 0.1, 0.3, 0.03) < ref.neuron_error(P0, 0.1, 0.3, 0.03)


# ------------------------------------------------------------ the hidden checks


def test_hidden_checks_pass_the_reference():
    hidden.check_neuron_forward(ref.neuron_forward)
    hidden.check_neuron_error(ref.neuron_error)
    hidden.check_neuron_gradients_weights(ref.neuron_gradients)
    hidden.check_neuron_gradients_bias(ref.neuron_gradients)
    hidden.check_neuron_update(ref.neuron_update)
    hidden.check_delta_rule_update(ref.delta_rule_update)


def test_hidden_checks_use_at_least_20_random_cases():
    for args in (hidden.cases(1, with_d=False), hidden.cases(2), hidden.cases(3, with_eta=True)):
        assert len(args) >= 20
        assert len({repr(a) for a in args}) == len(args)


def hard_coded_forward(p, x1, x2):
    return {"s": 1.94, "y": 0.874352143}


def hard_coded_gradients(p, x1, x2, d):
    return {"w1": 0.00927609256, "w2": 0.0278282777, "b": 0.0927609256}


def gradients_without_slope(p, x1, x2, d):
    y = ref.neuron_forward(p, x1, x2)["y"]
    return {"w1": (y - d) * x1, "w2": (y - d) * x2, "b": y - d}


def gradients_sign_flipped(p, x1, x2, d):
    return {k: -v for k, v in ref.neuron_gradients(p, x1, x2, d).items()}


def update_uphill(p, x1, x2, d, eta):
    return gradient_step(p, gradients_sign_flipped(p, x1, x2, d), eta)


def update_by_delta_rule(p, x1, x2, d, eta):
    return ref.delta_rule_update(p, x1, x2, d, eta)


def error_without_half(p, x1, x2, d):
    return 2 * ref.neuron_error(p, x1, x2, d)


def delta_rule_sign_flipped(p, x1, x2, d, eta):
    return ref.delta_rule_update(p, x1, x2, d, -eta)


def not_written(*args):
    raise NotImplementedError()


@pytest.mark.parametrize("check, wrong", [
    (hidden.check_neuron_forward, hard_coded_forward),
    (hidden.check_neuron_forward, lambda p, x1, x2: {"s": x1 * p["w1"] + x2 * p["w2"] + p["b"], "y": 0.5}),
    (hidden.check_neuron_error, error_without_half),
    (hidden.check_neuron_error, lambda p, x1, x2, d: 0.356465271),
    (hidden.check_neuron_gradients_weights, hard_coded_gradients),
    (hidden.check_neuron_gradients_bias, hard_coded_gradients),
    (hidden.check_neuron_gradients_weights, gradients_without_slope),
    (hidden.check_neuron_gradients_bias, gradients_without_slope),
    (hidden.check_neuron_gradients_weights, gradients_sign_flipped),
    (hidden.check_neuron_gradients_weights, not_written),
    (hidden.check_neuron_gradients_bias, lambda p, x1, x2, d: dict(ref.neuron_gradients(p, x1, x2, d), b=0.0)),
    (hidden.check_neuron_update, update_uphill),
    (hidden.check_neuron_update, update_by_delta_rule),
    (hidden.check_neuron_update, lambda p, x1, x2, d, eta: dict(P0)),
    (hidden.check_delta_rule_update, delta_rule_sign_flipped),
    (hidden.check_delta_rule_update, ref.neuron_update),
])
def test_hidden_checks_fail_wrong_implementations(check, wrong):
    with pytest.raises(HiddenTestFailure):
        check(wrong)


def test_hidden_failure_message_names_the_case_and_key_not_the_inputs():
    with pytest.raises(HiddenTestFailure) as err:
        hidden.check_neuron_gradients_weights(gradients_without_slope)
    message = str(err.value)
    assert message.startswith("neuron_gradients (weights w1, w2): hidden test 1 of 24 failed:")
    assert "differs from the reference" in message
    p, x1, x2, d = hidden.cases(403)[0]
    assert f"{x1:.3f}" not in message and f"{p['w1']:.3f}" not in message


def test_a_missing_bias_gradient_keeps_the_weights_credit():
    """Partial credit: the weights' part judges dE/dw1, dE/dw2 only."""
    no_bias = lambda p, x1, x2, d: dict(ref.neuron_gradients(p, x1, x2, d), b=0.0)  # noqa: E731
    assert hidden.check_neuron_gradients_weights(no_bias) is None
    with pytest.raises(HiddenTestFailure, match=r"neuron_gradients \(bias b\)"):
        hidden.check_neuron_gradients_bias(no_bias)
