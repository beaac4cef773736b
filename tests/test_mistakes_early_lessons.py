"""Lessons 1-4: a student's classic mistake is named in the feedback, and the correct answer never is.

Each "student" below is plain student code that makes one mistake (written independently of the
variants in course/<lesson>/mistakes.py); it goes through the real judgement, grading.call + verdicts.judge.
"""
from collections import Counter

import numpy as np
import pytest

import course
from autograder import compare, grading, mistakes, verdicts
from course.steepest_descent.mistakes import ETA_TWICE, NO_ETA

LESSONS = ("sigmoid", "chain_rule", "steepest_descent", "sigmoid_neuron")
PREFIX = "This is a classic mistake: "


def outputs(lesson, name, function):
    return {"cases": [grading.call(function, args) for args in course.checks(lesson)[name].cases()]}


def parts(lesson, function):
    """The hidden checks that grade `function` (one, or one per part of its result)."""
    return [n for n, c in course.checks(lesson).items() if (c.function or n) == function]


def judge_all(lesson, function, student):
    """{check: verdict} of every check of `function` that the student fails."""
    found = {n: verdicts.judge(lesson, n, outputs(lesson, n, student)) for n in parts(lesson, function)}
    return {n: v for n, v in found.items() if v}


# ------------------------------------------------------------------ what a student has at hand

def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_derivative(x):
    s = sigmoid(x)
    return s * (1 - s)


def neuron_forward(p, x1, x2):
    s = x1 * p["w1"] + x2 * p["w2"] + p["b"]
    return {"s": s, "y": sigmoid(s)}


def neuron_gradients(p, x1, x2, d):
    y = neuron_forward(p, x1, x2)["y"]
    delta = (y - d) * y * (1 - y)
    return {"w1": delta * x1, "w2": delta * x2, "b": delta}


# ------------------------------------------------------------------ lesson 1

def sigmoid_exponent_sign(x):
    return 1 / (1 + np.exp(x))


def sigmoid_without_one(x):
    return 1 / np.exp(-x)


def sigmoid_minus(x):
    return 1 / (1 - np.exp(-x))


def sigmoid_other_form(x):
    return np.exp(x) / (1 + np.exp(x))


def derivative_of_input(x):
    return x * (1 - x)


def derivative_plus(x):
    s = sigmoid(x)
    return s * (1 + s)


def derivative_squared(x):
    return sigmoid(x) ** 2


def derivative_quotient_rule(x):
    return np.exp(-x) / (1 + np.exp(-x)) ** 2


# ------------------------------------------------------------------ lesson 2

def forward_difference(f, x, h=1e-5):
    return (f(x + h) - f(x)) / h


def backward_difference(f, x, h=1e-5):
    return (f(x) - f(x - h)) / h


def difference_over_h(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / h


def difference_unbracketed(f, x, h=1e-5):
    return f(x + h) - f(x - h) / (2 * h)


def two_h_unbracketed(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / 2 * h


def difference_fixed_step(f, x, h=1e-5):
    step = 1e-5
    return (f(x + step) - f(x - step)) / (2 * step)


def difference_default_1e3(f, x, h=0.001):
    return (f(x + h) - f(x - h)) / (2 * h)


def difference_default_1e2(f, x, h=0.01):
    return (f(x + h) - f(x - h)) / (2 * h)


def difference_default_1e1(f, x, h=0.1):
    return (f(x + h) - f(x - h)) / (2 * h)


def chain_outer_at_x(f_prime, g_prime, g, x):
    return f_prime(x) * g_prime(x)


def chain_no_inner_slope(f_prime, g_prime, g, x):
    return f_prime(g(x))


def chain_times_inner_value(f_prime, g_prime, g, x):
    return f_prime(g(x)) * g(x)


def chain_added(f_prime, g_prime, g, x):
    return f_prime(g(x)) + g_prime(x)


def output_derivatives_no_slope(w, b, x):
    return {"w": x, "b": 1.0}


def output_derivatives_net_slope(w, b, x):
    s = w * x + b
    return {"w": s * (1 - s) * x, "b": s * (1 - s)}


def output_derivatives_slope_of_output(w, b, x):
    y = sigmoid(w * x + b)
    return {"w": sigmoid_derivative(y) * x, "b": sigmoid_derivative(y)}


def output_derivatives_output(w, b, x):
    y = sigmoid(w * x + b)
    return {"w": y * x, "b": y}


def output_derivatives_no_bias(w, b, x):
    slope = sigmoid_derivative(w * x)
    return {"w": slope * x, "b": slope}


def output_derivatives_times_weight(w, b, x):
    slope = sigmoid_derivative(w * x + b)
    return {"w": slope * w, "b": slope}


def _tiny(w, v1, v2, x):
    h = sigmoid(w * x)
    return h, v1 * h, v2 * h


def gradient_only_o1(w, v1, v2, x, t1, t2):
    h, o1, o2 = _tiny(w, v1, v2, x)
    return (o1 - t1) * v1 * sigmoid_derivative(w * x) * x


def gradient_only_o2(w, v1, v2, x, t1, t2):
    h, o1, o2 = _tiny(w, v1, v2, x)
    return (o2 - t2) * v2 * sigmoid_derivative(w * x) * x


def gradient_sign(w, v1, v2, x, t1, t2):
    h, o1, o2 = _tiny(w, v1, v2, x)
    return ((t1 - o1) * v1 + (t2 - o2) * v2) * sigmoid_derivative(w * x) * x


def gradient_without_v(w, v1, v2, x, t1, t2):
    h, o1, o2 = _tiny(w, v1, v2, x)
    return ((o1 - t1) + (o2 - t2)) * sigmoid_derivative(w * x) * x


def gradient_no_slope(w, v1, v2, x, t1, t2):
    h, o1, o2 = _tiny(w, v1, v2, x)
    return ((o1 - t1) * v1 + (o2 - t2) * v2) * x


def gradient_net_slope(w, v1, v2, x, t1, t2):
    h, o1, o2 = _tiny(w, v1, v2, x)
    s = w * x
    return ((o1 - t1) * v1 + (o2 - t2) * v2) * s * (1 - s) * x


def gradient_slope_of_output(w, v1, v2, x, t1, t2):
    h, o1, o2 = _tiny(w, v1, v2, x)
    return ((o1 - t1) * v1 + (o2 - t2) * v2) * sigmoid_derivative(h) * x


def gradient_without_x(w, v1, v2, x, t1, t2):
    h, o1, o2 = _tiny(w, v1, v2, x)
    return ((o1 - t1) * v1 + (o2 - t2) * v2) * sigmoid_derivative(w * x)


# ------------------------------------------------------------------ lesson 3

def move_not_normalised(gradient, distance):
    return distance * gradient


def move_against(gradient, distance):
    return -distance * gradient / np.linalg.norm(gradient)


def move_unit(gradient, distance):
    return gradient / np.linalg.norm(gradient)


def move_squared_length(gradient, distance):
    return distance * gradient / np.dot(gradient, gradient)


def slope_inner_sign(x, pay_east, pay_north, max_miles):
    return pay_east + pay_north * x / np.sqrt(max_miles**2 - x**2)


def slope_no_inner(x, pay_east, pay_north, max_miles):
    return pay_east + pay_north * 1 / (2 * np.sqrt(max_miles**2 - x**2))


def slope_twice(x, pay_east, pay_north, max_miles):
    return pay_east - 2 * pay_north * x / np.sqrt(max_miles**2 - x**2)


def slope_half(x, pay_east, pay_north, max_miles):
    return pay_east - pay_north * x / (2 * np.sqrt(max_miles**2 - x**2))


def slope_slide_numbers(x, pay_east, pay_north, max_miles):
    return 4 - 3 * x / np.sqrt(25 - x**2)


def bowl_without_half(w, a, b):
    return np.array([2 * a * w[0], 2 * b * w[1]])


def bowl_halved(w, a, b):
    return np.array([0.5 * a * w[0], 0.5 * b * w[1]])


def bowl_swapped(w, a, b):
    return np.array([b * w[0], a * w[1]])


def step_uphill(w, grad, eta):
    return w + eta * grad


def step_no_eta(w, grad, eta):
    return w - grad


def step_eta_twice(w, grad, eta):
    return w - eta**2 * grad


def descent_uphill(gradient, w0, eta, steps):
    w = np.array(w0, dtype=float)
    path = [w]
    for _ in range(steps):
        w = w + eta * gradient(w)
        path.append(w)
    return np.array(path)


def descent_no_eta(gradient, w0, eta, steps):
    w = np.array(w0, dtype=float)
    path = [w]
    for _ in range(steps):
        w = w - gradient(w)
        path.append(w)
    return np.array(path)


def descent_eta_twice(gradient, w0, eta, steps):
    w = np.array(w0, dtype=float)
    path = [w]
    for _ in range(steps):
        w = w - eta * eta * gradient(w)
        path.append(w)
    return np.array(path)


def descent_without_start(gradient, w0, eta, steps):
    w = np.array(w0, dtype=float)
    path = []
    for _ in range(steps):
        w = w - eta * gradient(w)
        path.append(w)
    return np.array(path)


def descent_appends_before_stepping(gradient, w0, eta, steps):
    w = np.array(w0, dtype=float)
    path = []
    for _ in range(steps):
        path.append(w)
        w = w - eta * gradient(w)
    return np.array(path)


def descent_one_step_too_many(gradient, w0, eta, steps):
    w = np.array(w0, dtype=float)
    path = [w]
    for _ in range(steps + 1):
        w = w - eta * gradient(w)
        path.append(w)
    return np.array(path)


def descent_gradient_at_start(gradient, w0, eta, steps):
    w = np.array(w0, dtype=float)
    g = gradient(w)
    path = [w]
    for _ in range(steps):
        w = w - eta * g
        path.append(w)
    return np.array(path)


def descent_in_place(gradient, w0, eta, steps):
    w = np.array(w0, dtype=float)
    path = [w]
    for _ in range(steps):
        w -= eta * gradient(w)
        path.append(w)
    return np.array(path)


def descent_last_point(gradient, w0, eta, steps):
    w = np.array(w0, dtype=float)
    for _ in range(steps):
        w = w - eta * gradient(w)
    return w


# ------------------------------------------------------------------ lesson 4

def forward_without_bias(p, x1, x2):
    s = x1 * p["w1"] + x2 * p["w2"]
    return {"s": s, "y": sigmoid(s)}


def forward_not_squashed(p, x1, x2):
    s = x1 * p["w1"] + x2 * p["w2"] + p["b"]
    return {"s": s, "y": s}


def forward_swapped_weights(p, x1, x2):
    s = x1 * p["w2"] + x2 * p["w1"] + p["b"]
    return {"s": s, "y": sigmoid(s)}


def error_without_half(p, x1, x2, d):
    return (d - neuron_forward(p, x1, x2)["y"]) ** 2


def error_not_squared(p, x1, x2, d):
    return 0.5 * (d - neuron_forward(p, x1, x2)["y"])


def error_of_net_input(p, x1, x2, d):
    return 0.5 * (d - neuron_forward(p, x1, x2)["s"]) ** 2


def gradients_sign(p, x1, x2, d):
    y = neuron_forward(p, x1, x2)["y"]
    delta = (d - y) * y * (1 - y)
    return {"w1": delta * x1, "w2": delta * x2, "b": delta}


def gradients_no_slope(p, x1, x2, d):
    y = neuron_forward(p, x1, x2)["y"]
    delta = y - d
    return {"w1": delta * x1, "w2": delta * x2, "b": delta}


def gradients_net_slope(p, x1, x2, d):
    f = neuron_forward(p, x1, x2)
    delta = (f["y"] - d) * f["s"] * (1 - f["s"])
    return {"w1": delta * x1, "w2": delta * x2, "b": delta}


def gradients_no_bias(p, x1, x2, d):
    y = neuron_forward(p, x1, x2)["y"]
    delta = (y - d) * y * (1 - y)
    return {"w1": delta * x1, "w2": delta * x2, "b": 0.0}


def update_uphill(p, x1, x2, d, eta):
    g = neuron_gradients(p, x1, x2, d)
    return {k: p[k] + eta * g[k] for k in p}


def update_no_eta(p, x1, x2, d, eta):
    g = neuron_gradients(p, x1, x2, d)
    return {k: p[k] - g[k] for k in p}


def update_eta_twice(p, x1, x2, d, eta):
    g = neuron_gradients(p, x1, x2, d)
    return {k: p[k] - eta * eta * g[k] for k in p}


def update_bias_fixed(p, x1, x2, d, eta):
    g = neuron_gradients(p, x1, x2, d)
    return {"w1": p["w1"] - eta * g["w1"], "w2": p["w2"] - eta * g["w2"], "b": p["b"]}


def update_without_slope(p, x1, x2, d, eta):
    y = neuron_forward(p, x1, x2)["y"]
    return {"w1": p["w1"] - eta * (y - d) * x1, "w2": p["w2"] - eta * (y - d) * x2, "b": p["b"] - eta * (y - d)}


def rule_sign(p, x1, x2, d, eta):
    y = neuron_forward(p, x1, x2)["y"]
    return {"w1": p["w1"] - eta * (d - y) * x1, "w2": p["w2"] - eta * (d - y) * x2, "b": p["b"] - eta * (d - y)}


def rule_bias_fixed(p, x1, x2, d, eta):
    y = neuron_forward(p, x1, x2)["y"]
    return {"w1": p["w1"] + eta * (d - y) * x1, "w2": p["w2"] + eta * (d - y) * x2, "b": p["b"]}


def rule_gradient_step(p, x1, x2, d, eta):
    g = neuron_gradients(p, x1, x2, d)
    return {k: p[k] - eta * g[k] for k in p}


def rule_no_eta(p, x1, x2, d, eta):
    y = neuron_forward(p, x1, x2)["y"]
    return {"w1": p["w1"] + (d - y) * x1, "w2": p["w2"] + (d - y) * x2, "b": p["b"] + (d - y)}


# ------------------------------------------------------------------ the expected words

UPHILL = "the step goes uphill: descent moves AGAINST the gradient, w - eta · dE/dw, not w + eta · dE/dw."
CENTRAL = "the central difference steps to BOTH sides of x, (f(x + h) - f(x - h)) / (2h)."
DEFAULT_H = "the default step is not 1e-5: when no h is given, use h = 1e-5 (def central_difference(f, x, h=1e-5))."
ONE_PATH = ("only one output's error is counted: h feeds o1 AND o2, so "
            "∂E/∂h = (o1 - t1) · v1 + (o2 - t2) · v2; add the two paths.")
ROOT_TWO = "a factor 2 is off: the root's slope 1 / (2√u) times the inner slope -2x gives -x / √u; the 2s cancel."

STUDENTS = [
    ("sigmoid", "sigmoid", sigmoid_exponent_sign,
     "the sign of the exponent is flipped: σ(x) = 1 / (1 + e^(-x)), with e to the power MINUS x (np.exp(-x))."),
    ("sigmoid", "sigmoid", sigmoid_without_one,
     "the 1 + is missing: σ(x) = 1 / (1 + e^(-x)); the denominator is one PLUS e^(-x), not e^(-x) alone."),
    ("sigmoid", "sigmoid", sigmoid_minus, "the denominator subtracts: σ(x) = 1 / (1 + e^(-x)), one PLUS e^(-x)."),
    ("sigmoid", "sigmoid", sigmoid_other_form,
     "e^x / (1 + e^x) is the right number on paper, but for large x both e^x overflow to inf and inf / inf is nan: "
     "write σ(x) = 1 / (1 + e^(-x)), which stays finite."),
    ("sigmoid", "sigmoid_derivative", derivative_of_input,
     "σ' is applied to the input instead of the output: x (1 - x) is the slope written with the OUTPUT σ(x); "
     "sigmoid_derivative gets the net input x, so compute s = σ(x) and return s (1 - s)."),
    ("sigmoid", "sigmoid_derivative", derivative_plus, "the minus is missing: σ'(x) = σ(x) (1 - σ(x)), one MINUS σ(x)."),
    ("sigmoid", "sigmoid_derivative", derivative_squared,
     "σ(x) · σ(x) is not the slope: σ'(x) = σ(x) (1 - σ(x)), σ(x) times one minus σ(x)."),
    ("sigmoid", "sigmoid_derivative", derivative_quotient_rule,
     "e^(-x) / (1 + e^(-x))² is the right number on paper, but for large negative x e^(-x) overflows to inf "
     "and inf / inf is nan: compute s = σ(x) with your sigmoid and return s (1 - s)."),
    ("chain_rule", "central_difference", forward_difference, "this is a forward difference, (f(x + h) - f(x)) / h: " + CENTRAL),
    ("chain_rule", "central_difference", backward_difference, "this is a backward difference, (f(x) - f(x - h)) / h: " + CENTRAL),
    ("chain_rule", "central_difference", difference_over_h,
     "the 2 is missing: x - h and x + h are 2h apart, so divide by 2h, not h."),
    ("chain_rule", "central_difference", difference_unbracketed,
     "the brackets around the difference are missing: in f(x + h) - f(x - h) / (2 * h) only f(x - h) is divided; "
     "write (f(x + h) - f(x - h)) / (2 * h)."),
    ("chain_rule", "central_difference", two_h_unbracketed,
     "the brackets around 2 * h are missing: a / 2 * h means (a / 2) · h; divide by (2 * h)."),
    ("chain_rule", "central_difference", difference_fixed_step,
     "the step h it is given is ignored: use the argument h; 1e-5 is only its default, for calls that give no h."),
    ("chain_rule", "central_difference", difference_default_1e3, DEFAULT_H),
    ("chain_rule", "central_difference", difference_default_1e2, DEFAULT_H),
    ("chain_rule", "central_difference", difference_default_1e1, DEFAULT_H),
    ("chain_rule", "chain_derivative", chain_outer_at_x,
     "the outer slope is taken at x: take it at the inner value, f'(g(x)) · g'(x), not f'(x) · g'(x)."),
    ("chain_rule", "chain_derivative", chain_no_inner_slope,
     "the inner slope is missing: the derivative of f(g(x)) is f'(g(x)) · g'(x), times g'(x)."),
    ("chain_rule", "chain_derivative", chain_times_inner_value,
     "the inner function is used where its slope belongs: multiply by g'(x), f'(g(x)) · g'(x), not by g(x)."),
    ("chain_rule", "chain_derivative", chain_added,
     "the slopes are added: along a chain the slopes MULTIPLY, f'(g(x)) · g'(x)."),
    ("chain_rule", "neuron_output_derivatives", output_derivatives_no_slope,
     "σ' is missing: y depends on w through s = w x + b, so ∂y/∂w = σ'(s) · x and ∂y/∂b = σ'(s) · 1."),
    ("chain_rule", "neuron_output_derivatives", output_derivatives_net_slope,
     "σ' is applied to the net input written like an output: s (1 - s) is not the slope; "
     "σ'(s) = σ(s) (1 - σ(s)), sigmoid_derivative(s)."),
    ("chain_rule", "neuron_output_derivatives", output_derivatives_slope_of_output,
     "σ' is taken of the output: sigmoid_derivative expects the net input s = w x + b, not y = σ(s)."),
    ("chain_rule", "neuron_output_derivatives", output_derivatives_output,
     "the output y is used instead of its slope: ∂y/∂w = σ'(s) · x, with σ'(s) = sigmoid_derivative(s), not σ(s)."),
    ("chain_rule", "neuron_output_derivatives", output_derivatives_no_bias,
     "the bias is left out of the net input: the slope is σ'(s) at s = w x + b."),
    ("chain_rule", "neuron_output_derivatives", output_derivatives_times_weight,
     "∂y/∂w is multiplied by the weight: ∂s/∂w = x, so ∂y/∂w = σ'(s) · x."),
    ("chain_rule", "hidden_weight_gradient", gradient_only_o1, ONE_PATH),
    ("chain_rule", "hidden_weight_gradient", gradient_only_o2, ONE_PATH),
    ("chain_rule", "hidden_weight_gradient", gradient_sign,
     "the sign is flipped: ∂E/∂o_k = o_k - t_k (from E = 1/2 (t_k - o_k)²), not t_k - o_k."),
    ("chain_rule", "hidden_weight_gradient", gradient_without_v,
     "the weights v1, v2 are missing: each path into h passes through its weight, "
     "∂E/∂h = (o1 - t1) · v1 + (o2 - t2) · v2."),
    ("chain_rule", "hidden_weight_gradient", gradient_no_slope, "σ' is missing: h = σ(w x), so ∂h/∂w = σ'(w x) · x."),
    ("chain_rule", "hidden_weight_gradient", gradient_net_slope,
     "σ' is applied to the net input written like an output: (w x)(1 - w x) is not the slope; σ'(w x) = h (1 - h)."),
    ("chain_rule", "hidden_weight_gradient", gradient_slope_of_output,
     "σ' is taken of the output h: sigmoid_derivative expects the net input w x; "
     "or write the slope from the output, h (1 - h)."),
    ("chain_rule", "hidden_weight_gradient", gradient_without_x,
     "the last link is missing: ∂(w x)/∂w = x, so ∂h/∂w = σ'(w x) · x."),
    ("steepest_descent", "steepest_move", move_not_normalised,
     "the gradient is not scaled to length 1: divide it by its length, np.linalg.norm(gradient), then multiply by distance."),
    ("steepest_descent", "steepest_move", move_against,
     "the move goes against the gradient: the steepest INCREASE is along the gradient, distance · g / |g|."),
    ("steepest_descent", "steepest_move", move_unit,
     "the move is not scaled to `distance`: g / |g| has length 1; multiply it by distance."),
    ("steepest_descent", "steepest_move", move_squared_length,
     "the gradient is divided by its squared length: its length |g| = np.linalg.norm(g) is the square root of g · g."),
    ("steepest_descent", "revenue_slope", slope_inner_sign,
     "the inner slope has the wrong sign: the slope of max_miles² - x² is -2x, "
     "so dr/dx = pay_east - pay_north · x / √(max_miles² - x²)."),
    ("steepest_descent", "revenue_slope", slope_no_inner,
     "the chain rule stops too early: the square root's slope 1 / (2√u) must be multiplied by the slope "
     "of the inner u = max_miles² - x², which is -2x."),
    ("steepest_descent", "revenue_slope", slope_twice, ROOT_TWO),
    ("steepest_descent", "revenue_slope", slope_half, ROOT_TWO),
    ("steepest_descent", "revenue_slope", slope_slide_numbers,
     "the slide's numbers are used instead of the arguments: write dr/dx with pay_east, pay_north and max_miles."),
    ("steepest_descent", "bowl_gradient", bowl_without_half,
     "the 1/2 is left out: the 2 that comes down from the square cancels it, so dE/dw1 = a w1, not 2 a w1."),
    ("steepest_descent", "bowl_gradient", bowl_halved,
     "the 2 from the square is not brought down: the slope of 1/2 a w1² is a w1, not 1/2 a w1."),
    ("steepest_descent", "bowl_gradient", bowl_swapped,
     "a and b are swapped: a is the curvature along w1 and b along w2, so the gradient is (a w1, b w2)."),
    ("steepest_descent", "descent_step", step_uphill, UPHILL),
    ("steepest_descent", "descent_step", step_no_eta, NO_ETA),
    ("steepest_descent", "descent_step", step_eta_twice, ETA_TWICE),
    ("steepest_descent", "gradient_descent", descent_uphill, UPHILL),
    ("steepest_descent", "gradient_descent", descent_no_eta, NO_ETA),
    ("steepest_descent", "gradient_descent", descent_eta_twice, ETA_TWICE),
    ("steepest_descent", "gradient_descent", descent_without_start,
     "the path lacks its start: it begins with w0, then one point after each step (steps + 1 points)."),
    ("steepest_descent", "gradient_descent", descent_appends_before_stepping,
     "the path stops one step short: take all `steps` steps; with the start that makes steps + 1 points."),
    ("steepest_descent", "gradient_descent", descent_one_step_too_many,
     "the path takes one step too many: `steps` steps make steps + 1 points, the start included."),
    ("steepest_descent", "gradient_descent", descent_gradient_at_start,
     "the gradient is always taken at the start: each step uses the gradient at the CURRENT point, gradient(w)."),
    ("steepest_descent", "gradient_descent", descent_in_place,
     "every point of the path is the same array: w is changed in place, so every row shows the last point; "
     "let each step make a new array (descent_step returns one)."),
    ("steepest_descent", "gradient_descent", descent_last_point,
     "only the last point is returned: return the whole path, an array of shape (steps + 1, len(w0))."),
    ("sigmoid_neuron", "neuron_forward", forward_without_bias, "the bias is left out: s = x1·w1 + x2·w2 + b."),
    ("sigmoid_neuron", "neuron_forward", forward_not_squashed, "the output is not squashed: y = σ(s), not s itself."),
    ("sigmoid_neuron", "neuron_forward", forward_swapped_weights,
     "the weights are swapped: w1 multiplies x1 and w2 multiplies x2."),
    ("sigmoid_neuron", "neuron_error", error_without_half, "the 1/2 is missing: E = 1/2 (d - y)²."),
    ("sigmoid_neuron", "neuron_error", error_not_squared, "the error is not squared: E = 1/2 (d - y)²."),
    ("sigmoid_neuron", "neuron_error", error_of_net_input,
     "the error uses the net input s: E = 1/2 (d - y)² with the output y = σ(s)."),
    ("sigmoid_neuron", "neuron_gradients", gradients_sign,
     "the sign is flipped: ∂E/∂y = y - d (not d - y), so the delta is (y - d) · y (1 - y)."),
    ("sigmoid_neuron", "neuron_gradients", gradients_no_slope,
     "σ' is missing: ∂y/∂s = y (1 - y), so the delta is (y - d) · y (1 - y)."),
    ("sigmoid_neuron", "neuron_gradients", gradients_net_slope,
     "σ' is applied to the net input instead of the output: the slope is y (1 - y), written with the output y, not s (1 - s)."),
    ("sigmoid_neuron", "neuron_gradients", gradients_no_bias,
     "the bias gradient is left out: the bias multiplies the input +1, so ∂E/∂b = delta · 1, the delta itself."),
    ("sigmoid_neuron", "neuron_update", update_uphill, UPHILL),
    ("sigmoid_neuron", "neuron_update", update_no_eta, NO_ETA),
    ("sigmoid_neuron", "neuron_update", update_eta_twice, ETA_TWICE),
    ("sigmoid_neuron", "neuron_update", update_bias_fixed, "the bias is not updated: b takes a step b - eta · ∂E/∂b too."),
    ("sigmoid_neuron", "neuron_update", update_without_slope,
     "σ' is missing from the step: this is the source's rule W + eta (d - y) X; "
     "a gradient step uses ∂E/∂p, which carries y (1 - y)."),
    ("sigmoid_neuron", "delta_rule_update", rule_sign,
     "the sign is flipped: the source's rule ADDS the step, W + eta (d - y) X."),
    ("sigmoid_neuron", "delta_rule_update", rule_bias_fixed,
     "the bias is left out: its input is +1, so b becomes b + eta (d - y)."),
    ("sigmoid_neuron", "delta_rule_update", rule_gradient_step,
     "this is the gradient step of neuron_update: the source's rule has no σ'(s) = y (1 - y), just W + eta (d - y) X."),
    ("sigmoid_neuron", "delta_rule_update", rule_no_eta,
     "the learning rate is not applied: the step is eta (d - y) X, not (d - y) X."),
]

EARLY_VARIANTS = [(lesson, name, k) for lesson in LESSONS
                  for name, variants in course.piece(lesson, "mistakes").VARIANTS.items() for k in range(len(variants))]
CHECKS = [(lesson, name) for lesson in LESSONS for name in course.checks(lesson)]
FUNCTIONS = {(lesson, c.function or name) for lesson in LESSONS for name, c in course.checks(lesson).items()}


def hidden_numbers(args, depth=0):
    """Every float among a hidden case's arguments (inside dicts, lists and arrays too)."""
    if isinstance(args, (float, np.floating)):
        return [float(args)]
    if isinstance(args, np.ndarray):
        return [float(v) for v in args.ravel()]
    if isinstance(args, dict):
        args = list(args.values())
    if isinstance(args, (list, tuple)) and depth < 3:
        return [v for a in args for v in hidden_numbers(a, depth + 1)]
    return []


@pytest.mark.parametrize("lesson, name, student, words", STUDENTS,
                         ids=[f"{lesson}.{name}.{student.__name__}" for lesson, name, student, _ in STUDENTS])
def test_the_mistake_is_named(lesson, name, student, words):
    failed = judge_all(lesson, name, student)
    assert failed, f"{student.__name__} passes the hidden tests of {name}"
    assert any(PREFIX + words in v["explanation"] for v in failed.values()), failed
    for check_name, verdict in failed.items():
        text = verdict["explanation"]
        check = course.checks(lesson)[check_name]
        assert f"What {check.title(check_name)} should do:" in text
        for value in hidden_numbers(check.cases()[0]):
            assert repr(value) not in text and f"{value:.4f}" not in text, f"the feedback gives away {value!r}"


def test_every_new_variant_has_a_student_who_makes_it():
    variants = Counter((lesson, name, course.variants(lesson, name)[k][0]) for lesson, name, k in EARLY_VARIANTS)
    students = Counter((lesson, name, words) for lesson, name, _, words in STUDENTS)
    assert variants == students
    assert {(lesson, name) for lesson, name, _ in EARLY_VARIANTS} == FUNCTIONS, "every graded function has its mistakes"


@pytest.mark.parametrize("lesson, name", CHECKS, ids=[f"{lesson}.{name}" for lesson, name in CHECKS])
def test_the_reference_passes_and_matches_no_mistake(lesson, name):
    check = course.checks(lesson)[name]
    got = outputs(lesson, name, check.reference_function())
    assert verdicts.judge(lesson, name, got) is None
    if check.label is None:  # a part check (e.g. the weights) may agree with a mistake made in another part
        assert mistakes.identify(check, check.cases(), got["cases"]) is None


@pytest.mark.parametrize("lesson, name, k", EARLY_VARIANTS, ids=[f"{lesson}.{n}.{k}" for lesson, n, k in EARLY_VARIANTS])
def test_no_variant_agrees_with_the_reference_on_every_case(lesson, name, k):
    check = course.checks(lesson)[parts(lesson, name)[0]]  # the parts share cases and reference
    words, variant = course.variants(lesson, name)[k]
    reference = check.reference_function()
    differs = 0
    for args in check.cases():
        want = grading.call(reference, args)["result"]
        got = grading.call(variant, args)
        differs += "result" not in got or compare.difference(got["result"], want, check.rtol, check.atol) is not None
    assert differs, f"{lesson}.{name}: the mistake {words!r} agrees with the reference on every hidden case"
    # and the real judgement names this very mistake: no earlier variant of the function has the same results
    named = {v["explanation"].split(PREFIX, 1)[1].split("\n")[0] for v in judge_all(lesson, name, variant).values()}
    assert words in named
