"""Hidden tests of lesson 3 (steepest descent): random gradients, drives, bowls and learning rates."""
import numpy as np

from autograder import reference as ref
from autograder.grading import check_function


def check_steepest_move(steepest_move):
    """steepest_move(gradient, distance) equals distance * g / |g| in 1 to 4 dimensions."""
    rng = np.random.default_rng(301)
    cases = []
    for _ in range(24):
        gradient = rng.uniform(-5, 5, size=int(rng.integers(1, 5)))
        cases.append((gradient, float(rng.uniform(0.5, 10))))
    check_function("steepest_move", steepest_move, ref.steepest_move, cases)


def check_revenue_slope(revenue_slope):
    """revenue_slope(x, pay_east, pay_north, max_miles) equals dr/dx for random pays and distances."""
    rng = np.random.default_rng(302)
    cases = []
    for _ in range(24):
        pay_east, pay_north = (float(v) for v in rng.uniform(0.5, 10, size=2))
        max_miles = float(rng.uniform(1, 20))
        x = float(rng.uniform(-0.95, 0.95) * max_miles)
        cases.append((x, pay_east, pay_north, max_miles))
    check_function("revenue_slope", revenue_slope, ref.revenue_slope, cases)


def check_bowl_gradient(bowl_gradient):
    """bowl_gradient(w, a, b) equals (a w1, b w2) for random points and curvatures."""
    rng = np.random.default_rng(303)
    cases = [(rng.uniform(-10, 10, size=2), float(rng.uniform(0.1, 20)), float(rng.uniform(0.1, 20))) for _ in range(24)]
    check_function("bowl_gradient", bowl_gradient, ref.bowl_gradient, cases)


def check_descent_step(descent_step):
    """descent_step(w, grad, eta) equals w - eta * grad for random sizes, gradients and learning rates."""
    rng = np.random.default_rng(304)
    cases = []
    for _ in range(24):
        n = int(rng.integers(1, 6))
        cases.append((rng.uniform(-5, 5, size=n), rng.uniform(-5, 5, size=n), float(rng.uniform(0.001, 1))))
    check_function("descent_step", descent_step, ref.descent_step, cases)


def random_quadratic_gradient(rng, n):
    """The gradient w -> A w - c of a random convex quadratic in n dimensions, and its largest curvature."""
    Q = rng.standard_normal((n, n))
    A = Q @ Q.T + 0.1 * np.eye(n)
    c = rng.standard_normal(n)
    return (lambda w: A @ np.asarray(w, dtype=float) - c), float(np.linalg.eigvalsh(A).max())


def check_gradient_descent(gradient_descent):
    """gradient_descent(gradient, w0, eta, steps) returns the whole path, start included.

    Random bowls and random quadratics in 1 to 4 dimensions; learning rates from a crawl
    to just past the divergence limit 2 / (largest curvature).
    """
    rng = np.random.default_rng(305)
    cases = []
    for k in range(24):
        if k % 2 == 0:
            a, b = (float(v) for v in rng.uniform(0.2, 10, size=2))
            gradient, top = (lambda w, a=a, b=b: ref.bowl_gradient(w, a, b)), max(a, b)
            n = 2
        else:
            n = int(rng.integers(1, 5))
            gradient, top = random_quadratic_gradient(rng, n)
        eta = float(rng.uniform(0.05, 1.1) * 2.0 / top)
        steps = int(rng.integers(1, 25))
        cases.append((gradient, rng.uniform(-5, 5, size=n), eta, steps))
    check_function("gradient_descent", gradient_descent, ref.gradient_descent, cases)
