"""Hidden tests of lesson 3 (steepest descent): random gradients, drives, bowls and learning rates."""
import numpy as np

from autograder.grading import Check, define_checks

LESSON = "steepest_descent"


def steepest_move_cases():
    rng = np.random.default_rng(301)
    cases = []
    for _ in range(24):
        gradient = rng.uniform(-5, 5, size=int(rng.integers(1, 5)))
        cases.append((gradient, float(rng.uniform(0.5, 10))))
    return cases


def revenue_slope_cases():
    rng = np.random.default_rng(302)
    cases = []
    for _ in range(24):
        pay_east, pay_north = (float(v) for v in rng.uniform(0.5, 10, size=2))
        max_miles = float(rng.uniform(1, 20))
        x = float(rng.uniform(-0.95, 0.95) * max_miles)
        cases.append((x, pay_east, pay_north, max_miles))
    return cases


def bowl_gradient_cases():
    rng = np.random.default_rng(303)
    cases = [(rng.uniform(-10, 10, size=2), float(rng.uniform(0.1, 20)), float(rng.uniform(0.1, 20))) for _ in range(24)]
    return cases


def descent_step_cases():
    rng = np.random.default_rng(304)
    cases = []
    for _ in range(24):
        n = int(rng.integers(1, 6))
        cases.append((rng.uniform(-5, 5, size=n), rng.uniform(-5, 5, size=n), float(rng.uniform(0.001, 1))))
    return cases


def gradient_descent_cases():
    rng = np.random.default_rng(305)
    cases = []
    for k in range(24):
        if k % 2 == 0:
            a, b = (float(v) for v in rng.uniform(0.2, 10, size=2))
            gradient, top = (lambda w, a=a, b=b: np.array([a * w[0], b * w[1]], dtype=float)), max(a, b)
            n = 2
        else:
            n = int(rng.integers(1, 5))
            gradient, top = random_quadratic_gradient(rng, n)
        eta = float(rng.uniform(0.05, 1.1) * 2.0 / top)
        steps = int(rng.integers(1, 25))
        cases.append((gradient, rng.uniform(-5, 5, size=n), eta, steps))
    return cases


CHECKS = {
    "steepest_move": Check("steepest_move", steepest_move_cases,
                 "return the move of length `distance` straight along the gradient: distance · g / |g|."),
    "revenue_slope": Check("revenue_slope", revenue_slope_cases,
                 "return dr/dx, the slope of the revenue along the drive, for any pays and distances."),
    "bowl_gradient": Check("bowl_gradient", bowl_gradient_cases,
                 "return (a · w1, b · w2), the gradient of the bowl E = (a w1² + b w2²) / 2."),
    "descent_step": Check("descent_step", descent_step_cases,
                 "return w - eta · grad (a new array) for any size, gradient and learning rate."),
    "gradient_descent": Check("gradient_descent", gradient_descent_cases,
                 "return the whole path of `steps` steps w ← w - eta · gradient(w), the start included (steps + 1 points)."),
}


def random_quadratic_gradient(rng, n):
    """The gradient w -> A w - c of a random convex quadratic in n dimensions, and its largest curvature."""
    Q = rng.standard_normal((n, n))
    A = Q @ Q.T + 0.1 * np.eye(n)
    c = rng.standard_normal(n)
    return (lambda w: A @ np.asarray(w, dtype=float) - c), float(np.linalg.eigvalsh(A).max())


define_checks(globals())
