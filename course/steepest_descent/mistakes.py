"""The classic mistakes of this lesson: VARIANTS[function] lists (what the student did, in words;
a function with the reference's signature that makes that mistake). See autograder/mistakes.py.
"""
import numpy as np

NO_ETA = "the learning rate is not applied: the step is eta · dE/dw, not dE/dw."
ETA_TWICE = "the learning rate is applied twice: the step is eta · dE/dw, not eta² · dE/dw."
DOWNHILL = "the step goes uphill: descent moves AGAINST the gradient, w - eta · dE/dw, not w + eta · dE/dw."
ROOT_TWO = "a factor 2 is off: the root's slope 1 / (2√u) times the inner slope -2x gives -x / √u; the 2s cancel."


def _descent(step=lambda eta, g: -eta * g, at_start=False, points="all"):
    def variant(gradient, w0, eta, steps):
        w = start = np.asarray(w0, dtype=float)
        path = [w]
        for _ in range(steps + (points == "extra")):
            w = w + step(eta, gradient(start if at_start else w))
            path.append(w)
        path = np.array(path)
        return {"all": path, "extra": path, "no_start": path[1:], "no_last": path[:-1], "last": path[-1],
                "same": np.array([path[-1]] * len(path))}[points]
    return variant


VARIANTS = {
    "steepest_move": [
        ("the gradient is not scaled to length 1: divide it by its length, np.linalg.norm(gradient), "
         "then multiply by distance.", lambda gradient, distance: distance * np.asarray(gradient, dtype=float)),
        ("the move goes against the gradient: the steepest INCREASE is along the gradient, distance · g / |g|.",
         lambda gradient, distance: -distance * np.asarray(gradient, dtype=float) / np.linalg.norm(gradient)),
        ("the move is not scaled to `distance`: g / |g| has length 1; multiply it by distance.",
         lambda gradient, distance: np.asarray(gradient, dtype=float) / np.linalg.norm(gradient)),
        ("the gradient is divided by its squared length: its length |g| = np.linalg.norm(g) is the square root of g · g.",
         lambda gradient, distance: distance * np.asarray(gradient, dtype=float) / (np.asarray(gradient, dtype=float) @ np.asarray(gradient, dtype=float))),
    ],
    "revenue_slope": [
        ("the inner slope has the wrong sign: the slope of max_miles² - x² is -2x, "
         "so dr/dx = pay_east - pay_north · x / √(max_miles² - x²).",
         lambda x, pay_east, pay_north, max_miles: pay_east + pay_north * x / np.sqrt(max_miles**2 - x**2)),
        ("the chain rule stops too early: the square root's slope 1 / (2√u) must be multiplied by the slope "
         "of the inner u = max_miles² - x², which is -2x.",
         lambda x, pay_east, pay_north, max_miles: pay_east + pay_north / (2 * np.sqrt(max_miles**2 - x**2))),
        (ROOT_TWO, lambda x, pay_east, pay_north, max_miles: pay_east - 2 * pay_north * x / np.sqrt(max_miles**2 - x**2)),
        (ROOT_TWO, lambda x, pay_east, pay_north, max_miles: pay_east - pay_north * x / (2 * np.sqrt(max_miles**2 - x**2))),
        ("the slide's numbers are used instead of the arguments: write dr/dx with pay_east, pay_north and max_miles.",
         lambda x, pay_east, pay_north, max_miles: 4.0 - 3.0 * x / np.sqrt(25.0 - x**2)),
    ],
    "bowl_gradient": [
        ("the 1/2 is left out: the 2 that comes down from the square cancels it, so dE/dw1 = a w1, not 2 a w1.",
         lambda w, a, b: np.array([2 * a * w[0], 2 * b * w[1]], dtype=float)),
        ("the 2 from the square is not brought down: the slope of 1/2 a w1² is a w1, not 1/2 a w1.",
         lambda w, a, b: np.array([a * w[0] / 2, b * w[1] / 2], dtype=float)),
        ("a and b are swapped: a is the curvature along w1 and b along w2, so the gradient is (a w1, b w2).",
         lambda w, a, b: np.array([b * w[0], a * w[1]], dtype=float)),
    ],
    "descent_step": [
        (DOWNHILL, lambda w, grad, eta: np.asarray(w, dtype=float) + eta * np.asarray(grad, dtype=float)),
        (NO_ETA, lambda w, grad, eta: np.asarray(w, dtype=float) - np.asarray(grad, dtype=float)),
        (ETA_TWICE, lambda w, grad, eta: np.asarray(w, dtype=float) - eta * eta * np.asarray(grad, dtype=float)),
    ],
    "gradient_descent": [
        (DOWNHILL, _descent(step=lambda eta, g: eta * g)),
        (NO_ETA, _descent(step=lambda eta, g: -g)),
        (ETA_TWICE, _descent(step=lambda eta, g: -eta * eta * g)),
        ("the path lacks its start: it begins with w0, then one point after each step (steps + 1 points).",
         _descent(points="no_start")),
        ("the path stops one step short: take all `steps` steps; with the start that makes steps + 1 points.",
         _descent(points="no_last")),
        ("the path takes one step too many: `steps` steps make steps + 1 points, the start included.",
         _descent(points="extra")),
        ("the gradient is always taken at the start: each step uses the gradient at the CURRENT point, gradient(w).",
         _descent(at_start=True)),
        ("every point of the path is the same array: w is changed in place, so every row shows the last point; "
         "let each step make a new array (descent_step returns one).", _descent(points="same")),
        ("only the last point is returned: return the whole path, an array of shape (steps + 1, len(w0)).",
         _descent(points="last")),
    ],
}
