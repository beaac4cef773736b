"""Lesson 2 (the chain rule, Pahwa): the notebook reproduces the source's numbers, or the
corrected value with a comment naming what the source printed; the reference functions of the
lesson match central differences; the hidden checks pass the reference and fail wrong code.

Literals are copied from Pahwa's slides (the chain-rule table and Example 1's R output) and
Mazur's post (the same network, more digits), unless a comment says they are our own computation.
The sources are listed on the start page, lessons/index.ipynb.
"""
import math

import numpy as np
import pytest
from conftest import close

from autograder.grading import HiddenTestFailure
from course.chain_rule import cases as hidden
from course.chain_rule import reference as ref
from course.sigmoid.reference import sigmoid, sigmoid_derivative

A = "02_chain_rule"


# ------------------------------------------------------------ the notebook's numbers


def test_chain_rule_table_seed_001(solution_globals):
    ns = solution_globals(A)
    assert ns["table_x"] == [2, 3, 4, 5, 6]
    assert ns["table_y"] == [4, 6, 8, 10, 12]
    assert ns["table_z"] == [12, 18, 24, 30, 36]
    assert (ns["dy_dx"], ns["dz_dy"], ns["dz_dx"]) == (2, 3, 6)


def test_garbled_chain_rule_formula_seed_001(solution_globals):
    ns = solution_globals(A)
    # The extracted slide reads "dz/dz = dy/dz * dz/dy = 6". Taken literally that product is
    # (1/3) * 3 = 1; the slide means dz/dx = dy/dx * dz/dy = 2 * 3 = 6.
    assert ns["literal_reading"] == pytest.approx(1.0, abs=1e-15)
    assert ns["dy_dx"] * ns["dz_dy"] == 6


def test_output_neuron_o1_of_example_1(solution_globals):
    ns = solution_globals(A)
    assert close(ns["o1_x"], 0.593269992, 9)                      # out_h1, Mazur
    assert close(ns["o1_w"] * ns["o1_x"] + ns["o1_b"], 1.105905967, 9)  # net_o1, Mazur
    assert close(ns["o1_w"] * ns["o1_x"] + ns["o1_b"], 1.105906, 6)     # Pahwa (R): y1
    assert close(ns["o1_derivs"]["b"], 0.186815602, 9)           # Mazur
    assert close(ns["o1_derivs"]["b"], 0.1868156, 7)             # Pahwa: d.outY1_d.y1
    assert close(ns["dE_dout_o1"], 0.74136507, 8)                # Mazur
    assert close(ns["dE_dout_o1"], 0.7413651, 7)                 # Pahwa: d.eTotal_d.outY1
    assert close(ns["dE_dw5"], 0.082167041, 9)                   # Mazur
    assert close(ns["dE_dw5"], 0.08216704, 8)                    # Pahwa: d.eTotal_d.w5


def test_composition_example(solution_globals):
    ns = solution_globals(A)
    # our own example: sin(x^2) at x = 1.5
    assert ns["example_chain"] == pytest.approx(math.cos(2.25) * 3.0, rel=1e-14)
    assert ns["example_numeric"] == pytest.approx(ns["example_chain"], rel=1e-9)
    assert ns["example_wrong"] == pytest.approx(math.cos(1.5) * 3.0, rel=1e-14)


def test_two_path_graph(solution_globals):
    ns = solution_globals(A)
    # our own graph on the slide's chain: L = 3y + y^2, y = 2x, at x = 2: dL/dx = 6 + 8x = 22
    assert (ns["path_via_z"], ns["path_via_q"], ns["graph_total"]) == (6, 16, 22)
    assert ns["graph_numeric"] == pytest.approx(22.0, rel=1e-9)


def test_tiny_network(solution_globals):
    ns = solution_globals(A)
    tiny = ns["tiny"]
    assert (tiny["t1"], tiny["t2"]) == (0.01, 0.99)
    assert ns["tiny_error"] == pytest.approx(ref.two_output_error(**tiny), rel=1e-15)
    assert ns["tiny_gradient"] == pytest.approx(ref.hidden_weight_gradient(**tiny), rel=1e-14)
    assert ns["tiny_path_o1"] + ns["tiny_path_o2"] == pytest.approx(ns["tiny_gradient"], rel=1e-14)
    assert ns["tiny_path_o1"] > 0 > ns["tiny_path_o2"]  # the two outputs pull w opposite ways
    assert ns["tiny_numeric"] == pytest.approx(ns["tiny_gradient"], rel=1e-8)


# ------------------------------------------------------------ the reference functions


def test_reference_chain_derivative_matches_central_differences():
    rng = np.random.default_rng(22)
    for _ in range(100):
        f, f_prime = hidden.random_pair(rng)
        g, g_prime = hidden.random_pair(rng)
        x = float(rng.uniform(-2.5, 2.5))
        numeric = ref.numerical_derivative(lambda t: f(g(t)), x)
        assert ref.chain_derivative(f_prime, g_prime, g, x) == pytest.approx(numeric, rel=1e-6, abs=1e-8)


def test_reference_neuron_output_derivatives_match_central_differences():
    rng = np.random.default_rng(23)
    for _ in range(100):
        w, b, x = rng.uniform(-3, 3, size=3)
        d = ref.neuron_output_derivatives(w, b, x)
        assert d["w"] == pytest.approx(ref.numerical_derivative(lambda v: sigmoid(v * x + b), w), rel=1e-6, abs=1e-10)
        assert d["b"] == pytest.approx(ref.numerical_derivative(lambda v: sigmoid(w * x + v), b), rel=1e-6, abs=1e-10)


def test_reference_hidden_weight_gradient_matches_central_differences():
    rng = np.random.default_rng(24)
    for _ in range(100):
        w, v1, v2, x = rng.uniform(-2, 2, size=4)
        t1, t2 = rng.uniform(0, 1, size=2)
        numeric = ref.numerical_derivative(lambda u: ref.two_output_error(u, v1, v2, x, t1, t2), w)
        assert ref.hidden_weight_gradient(w, v1, v2, x, t1, t2) == pytest.approx(numeric, rel=1e-6, abs=1e-10)


# ------------------------------------------------------------ the hidden checks


def test_hidden_checks_pass_the_reference():
    hidden.check_central_difference(ref.numerical_derivative)
    hidden.check_chain_derivative(ref.chain_derivative)
    hidden.check_neuron_output_derivatives(ref.neuron_output_derivatives)
    hidden.check_hidden_weight_gradient(ref.hidden_weight_gradient)


@pytest.mark.parametrize("wrong", [
    lambda f, x, h=1e-5: (f(x + h) - f(x)) / h,                        # forward difference
    lambda f, x, h=1e-5: (f(x + 1e-5) - f(x - 1e-5)) / 2e-5,           # ignores h
    lambda f, x, h=1e-5: (f(x + h) - f(x - h)) / h,                    # forgets the 2
])
def test_hidden_central_difference_fails_wrong_code(wrong):
    with pytest.raises(HiddenTestFailure):
        hidden.check_central_difference(wrong)


@pytest.mark.parametrize("wrong", [
    lambda fp, gp, g, x: fp(x) * gp(x),          # outer slope at x
    lambda fp, gp, g, x: fp(g(x)),               # forgets the inner slope
    lambda fp, gp, g, x: 6.0,                    # the slide's answer, hard-coded
    lambda fp, gp, g, x: fp(gp(x)) * gp(x),      # outer slope at the inner slope
])
def test_hidden_chain_derivative_fails_wrong_code(wrong):
    with pytest.raises(HiddenTestFailure):
        hidden.check_chain_derivative(wrong)


@pytest.mark.parametrize("wrong", [
    lambda w, b, x: {"w": sigmoid_derivative(w * x + b), "b": sigmoid_derivative(w * x + b)},
    lambda w, b, x: {"w": (w * x + b) * (1 - (w * x + b)) * x, "b": (w * x + b) * (1 - (w * x + b))},
    lambda w, b, x: {"w": 0.25 * x, "b": 0.25},
    lambda w, b, x: (sigmoid_derivative(w * x + b) * x, sigmoid_derivative(w * x + b)),
])
def test_hidden_neuron_output_derivatives_fails_wrong_code(wrong):
    with pytest.raises(HiddenTestFailure):
        hidden.check_neuron_output_derivatives(wrong)


def one_path(w, v1, v2, x, t1, t2):
    f = ref.two_output_forward(w, v1, v2, x)
    return (f["o1"] - t1) * v1 * sigmoid_derivative(w * x) * x


def hard_coded_targets(w, v1, v2, x, t1, t2):
    return ref.hidden_weight_gradient(w, v1, v2, x, 0.01, 0.99)


def forgets_the_sigmoid(w, v1, v2, x, t1, t2):
    f = ref.two_output_forward(w, v1, v2, x)
    return ((f["o1"] - t1) * v1 + (f["o2"] - t2) * v2) * x


@pytest.mark.parametrize("wrong", [one_path, hard_coded_targets, forgets_the_sigmoid])
def test_hidden_weight_gradient_check_fails_wrong_code(wrong):
    with pytest.raises(HiddenTestFailure):
        hidden.check_hidden_weight_gradient(wrong)
