"""Hidden tests of lesson 2 (the chain rule): random functions, compositions, points and graphs."""
import numpy as np

from autograder.grading import Check, define_checks

LESSON = "chain_rule"


def _sigmoid(u):
    return 1.0 / (1.0 + np.exp(-u))


def random_pair(rng):
    """A random smooth function and its derivative, as two closures over random coefficients."""
    kind = int(rng.integers(0, 6))
    a, c = float(rng.uniform(0.5, 2.0) * rng.choice([-1, 1])), float(rng.uniform(-1.0, 1.0))
    if kind == 0:
        return (lambda u: np.sin(a * u + c)), (lambda u: a * np.cos(a * u + c))
    if kind == 1:
        return (lambda u: np.exp(0.3 * a * u)), (lambda u: 0.3 * a * np.exp(0.3 * a * u))
    if kind == 2:
        return (lambda u: np.tanh(a * u)), (lambda u: a * (1.0 - np.tanh(a * u) ** 2))
    if kind == 3:
        return (lambda u: _sigmoid(a * u + c)), (lambda u: a * _sigmoid(a * u + c) * (1.0 - _sigmoid(a * u + c)))
    if kind == 4:
        return (lambda u: a * u**3 + c * u), (lambda u: 3.0 * a * u**2 + c)
    return (lambda u: np.log(1.0 + u**2)), (lambda u: 2.0 * u / (1.0 + u**2))


def random_point(rng):
    """A number or, one time in three, an array of random shape."""
    if rng.random() < 2 / 3:
        return float(rng.uniform(-2.5, 2.5))
    return rng.uniform(-2.5, 2.5, size=int(rng.integers(1, 6)))


def central_difference_cases():
    rng = np.random.default_rng(201)
    cases = []
    for k in range(24):
        f, _ = random_pair(rng)
        x = float(rng.uniform(-2.5, 2.5))
        cases.append((f, x) if k % 3 == 0 else (f, x, float(10.0 ** rng.uniform(-6, -2))))
    return cases


def chain_derivative_cases():
    rng = np.random.default_rng(202)
    cases = []
    for _ in range(24):
        f, f_prime = random_pair(rng)
        g, g_prime = random_pair(rng)
        cases.append((f_prime, g_prime, g, random_point(rng)))
    return cases


def neuron_output_derivatives_cases():
    rng = np.random.default_rng(203)
    cases = [tuple(float(v) for v in rng.uniform(-3, 3, size=3)) for _ in range(24)]
    return cases


def hidden_weight_gradient_cases():
    rng = np.random.default_rng(204)
    cases = []
    for _ in range(24):
        w, v1, v2, x = (float(v) for v in rng.uniform(-2, 2, size=4))
        t1, t2 = (float(v) for v in rng.uniform(0, 1, size=2))
        cases.append((w, v1, v2, x, t1, t2))
    return cases


CHECKS = {
    "central_difference": Check("numerical_derivative", central_difference_cases,
                 "return (f(x + h) - f(x - h)) / (2h), with h = 1e-5 when it is not given."),
    "chain_derivative": Check("chain_derivative", chain_derivative_cases,
                 "return f'(g(x)) · g'(x) for the functions given, at a number or an array x."),
    "neuron_output_derivatives": Check("neuron_output_derivatives", neuron_output_derivatives_cases,
                 "return {\"w\": σ'(s) · x, \"b\": σ'(s)} with s = w·x + b."),
    "hidden_weight_gradient": Check("hidden_weight_gradient", hidden_weight_gradient_cases,
                 "return dE/dw of the two-output graph: the errors of BOTH outputs come back through v1 and v2, times σ'(w·x) · x."),
}


define_checks(globals())
