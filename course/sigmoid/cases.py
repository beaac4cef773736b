"""Hidden tests of lesson 1: sigmoid and sigmoid_derivative on random inputs."""
import numpy as np

from autograder.grading import Check, define_checks

LESSON = "sigmoid"


def random_inputs(seed, count=24):
    """Scalars and arrays of random shapes, in the range where a naive formula is exact."""
    rng = np.random.default_rng(seed)
    cases = [(float(x),) for x in rng.uniform(-12, 12, size=count // 2)]
    for _ in range(count - len(cases)):
        shape = tuple(rng.integers(1, 5, size=rng.integers(1, 3)))
        cases.append((rng.uniform(-12, 12, size=shape),))
    # far in the tails a naive 1 / (1 + exp(-x)) overflows with a warning but is still right: it keeps its points
    cases[-1] = (np.array([-800.0, -60.0, 0.0, 60.0, 800.0]),)
    return cases


CHECKS = {
    "sigmoid": Check("sigmoid", lambda: random_inputs(101),
                     "return 1 / (1 + exp(-x)) for a number and, elementwise, for an array of any shape."),
    "sigmoid_derivative": Check("sigmoid_derivative", lambda: random_inputs(102),
                                "return σ(x) (1 - σ(x)) for a number and, elementwise, for an array of any shape."),
}


define_checks(globals())
