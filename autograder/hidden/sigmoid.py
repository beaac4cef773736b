"""Hidden tests of lesson 1: sigmoid and sigmoid_derivative on random inputs."""
import numpy as np

from autograder import reference as ref
from autograder.grading import check_function


def random_inputs(seed, count=24):
    """Scalars and arrays of random shapes, in the range where a naive formula is exact."""
    rng = np.random.default_rng(seed)
    cases = [(float(x),) for x in rng.uniform(-12, 12, size=count // 2)]
    for _ in range(count - len(cases)):
        shape = tuple(rng.integers(1, 5, size=rng.integers(1, 3)))
        cases.append((rng.uniform(-12, 12, size=shape),))
    return cases


def check_sigmoid(sigmoid):
    """sigmoid(x) equals 1 / (1 + exp(-x)) on scalars and arrays of any shape."""
    check_function("sigmoid", sigmoid, ref.sigmoid, random_inputs(101))


def check_sigmoid_derivative(sigmoid_derivative):
    """sigmoid_derivative(x) equals σ(x)(1 - σ(x)) on scalars and arrays of any shape."""
    check_function("sigmoid_derivative", sigmoid_derivative, ref.sigmoid_derivative, random_inputs(102))
