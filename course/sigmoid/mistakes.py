"""The classic mistakes of this lesson: VARIANTS[function] lists (what the student did, in words;
a function with the reference's signature that makes that mistake). See autograder/mistakes.py.
"""
import numpy as np

from course.sigmoid.reference import sigmoid as S

VARIANTS = {
    "sigmoid": [
        ("the sign of the exponent is flipped: σ(x) = 1 / (1 + e^(-x)), with e to the power MINUS x (np.exp(-x)).",
         lambda x: 1.0 / (1.0 + np.exp(np.asarray(x, dtype=float)))),
        ("the 1 + is missing: σ(x) = 1 / (1 + e^(-x)); the denominator is one PLUS e^(-x), not e^(-x) alone.",
         lambda x: 1.0 / np.exp(-np.asarray(x, dtype=float))),
        ("the denominator subtracts: σ(x) = 1 / (1 + e^(-x)), one PLUS e^(-x).", lambda x: 1.0 / (1.0 - np.exp(-np.asarray(x, dtype=float)))),
        ("e^x / (1 + e^x) is the right number on paper, but for large x both e^x overflow to inf and inf / inf is nan: "
         "write σ(x) = 1 / (1 + e^(-x)), which stays finite.", lambda x: np.exp(np.asarray(x, dtype=float)) / (1.0 + np.exp(np.asarray(x, dtype=float)))),
    ],
    "sigmoid_derivative": [
        ("σ' is applied to the input instead of the output: x (1 - x) is the slope written with the OUTPUT σ(x); "
         "sigmoid_derivative gets the net input x, so compute s = σ(x) and return s (1 - s).",
         lambda x: np.asarray(x, dtype=float) * (1.0 - np.asarray(x, dtype=float))),
        ("the minus is missing: σ'(x) = σ(x) (1 - σ(x)), one MINUS σ(x).", lambda x: S(x) * (1.0 + S(x))),
        ("σ(x) · σ(x) is not the slope: σ'(x) = σ(x) (1 - σ(x)), σ(x) times one minus σ(x).", lambda x: S(x) * S(x)),
        ("e^(-x) / (1 + e^(-x))² is the right number on paper, but for large negative x e^(-x) overflows to inf "
         "and inf / inf is nan: compute s = σ(x) with your sigmoid and return s (1 - s).",
         lambda x: np.exp(-np.asarray(x, dtype=float)) / (1.0 + np.exp(-np.asarray(x, dtype=float))) ** 2),
    ],
}
