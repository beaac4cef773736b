"""The classic mistakes of this lesson: VARIANTS[function] lists (what the student did, in words;
a function with the reference's signature that makes that mistake). See autograder/mistakes.py.
"""
from course.sigmoid.reference import sigmoid as S
from course.sigmoid.reference import sigmoid_derivative

CENTRAL = "the central difference steps to BOTH sides of x, (f(x + h) - f(x - h)) / (2h)."
DEFAULT_H = "the default step is not 1e-5: when no h is given, use h = 1e-5 (def central_difference(f, x, h=1e-5))."
ONE_PATH = ("only one output's error is counted: h feeds o1 AND o2, so "
            "∂E/∂h = (o1 - t1) · v1 + (o2 - t2) · v2; add the two paths.")


def _central(default=1e-5, fixed=None):
    """(f(x + h) - f(x - h)) / 2h with another default step, or a fixed step whatever h is given."""
    def variant(f, x, h=default):
        h = h if fixed is None else fixed
        return (f(x + h) - f(x - h)) / (2 * h)
    return variant


def _output_derivatives(slope="sigma", bias=True, times="x"):
    def variant(w, b, x):
        s = w * x + (b if bias else 0.0)
        k = {"sigma": sigmoid_derivative, "none": lambda s: 1.0, "net": lambda s: s * (1 - s),
             "of_out": lambda s: sigmoid_derivative(S(s)), "output": S}[slope](s)
        return {"w": k * (x if times == "x" else w), "b": k}
    return variant


def _two_output_gradient(paths="both", sign=1.0, slope="sigma", through_v=True, times_x=True):
    def variant(w, v1, v2, x, t1, t2):
        h = S(w * x)
        e1, e2 = sign * (v1 * h - t1), sign * (v2 * h - t2)
        if through_v:
            e1, e2 = e1 * v1, e2 * v2
        k = {"sigma": h * (1 - h), "none": 1.0, "net": w * x * (1 - w * x), "of_out": S(h) * (1 - S(h))}[slope]
        return {"both": e1 + e2, "o1": e1, "o2": e2}[paths] * k * (x if times_x else 1.0)
    return variant


VARIANTS = {
    "central_difference": [
        ("this is a forward difference, (f(x + h) - f(x)) / h: " + CENTRAL, lambda f, x, h=1e-5: (f(x + h) - f(x)) / h),
        ("this is a backward difference, (f(x) - f(x - h)) / h: " + CENTRAL, lambda f, x, h=1e-5: (f(x) - f(x - h)) / h),
        ("the 2 is missing: x - h and x + h are 2h apart, so divide by 2h, not h.",
         lambda f, x, h=1e-5: (f(x + h) - f(x - h)) / h),
        ("the brackets around the difference are missing: in f(x + h) - f(x - h) / (2 * h) only f(x - h) is divided; "
         "write (f(x + h) - f(x - h)) / (2 * h).", lambda f, x, h=1e-5: f(x + h) - f(x - h) / (2 * h)),
        ("the brackets around 2 * h are missing: a / 2 * h means (a / 2) · h; divide by (2 * h).",
         lambda f, x, h=1e-5: (f(x + h) - f(x - h)) / 2 * h),
        ("the step h it is given is ignored: use the argument h; 1e-5 is only its default, for calls that give no h.",
         _central(fixed=1e-5)),
        (DEFAULT_H, _central(default=1e-3)),
        (DEFAULT_H, _central(default=1e-2)),
        (DEFAULT_H, _central(default=1e-1)),
    ],
    "chain_derivative": [
        ("the outer slope is taken at x: take it at the inner value, f'(g(x)) · g'(x), not f'(x) · g'(x).",
         lambda f_prime, g_prime, g, x: f_prime(x) * g_prime(x)),
        ("the inner slope is missing: the derivative of f(g(x)) is f'(g(x)) · g'(x), times g'(x).",
         lambda f_prime, g_prime, g, x: f_prime(g(x))),
        ("the inner function is used where its slope belongs: multiply by g'(x), f'(g(x)) · g'(x), not by g(x).",
         lambda f_prime, g_prime, g, x: f_prime(g(x)) * g(x)),
        ("the slopes are added: along a chain the slopes MULTIPLY, f'(g(x)) · g'(x).",
         lambda f_prime, g_prime, g, x: f_prime(g(x)) + g_prime(x)),
    ],
    "neuron_output_derivatives": [
        ("σ' is missing: y depends on w through s = w x + b, so ∂y/∂w = σ'(s) · x and ∂y/∂b = σ'(s) · 1.",
         _output_derivatives(slope="none")),
        ("σ' is applied to the net input written like an output: s (1 - s) is not the slope; "
         "σ'(s) = σ(s) (1 - σ(s)), sigmoid_derivative(s).", _output_derivatives(slope="net")),
        ("σ' is taken of the output: sigmoid_derivative expects the net input s = w x + b, not y = σ(s).",
         _output_derivatives(slope="of_out")),
        ("the output y is used instead of its slope: ∂y/∂w = σ'(s) · x, with σ'(s) = sigmoid_derivative(s), not σ(s).",
         _output_derivatives(slope="output")),
        ("the bias is left out of the net input: the slope is σ'(s) at s = w x + b.", _output_derivatives(bias=False)),
        ("∂y/∂w is multiplied by the weight: ∂s/∂w = x, so ∂y/∂w = σ'(s) · x.", _output_derivatives(times="w")),
    ],
    "hidden_weight_gradient": [
        (ONE_PATH, _two_output_gradient(paths="o1")),
        (ONE_PATH, _two_output_gradient(paths="o2")),
        ("the sign is flipped: ∂E/∂o_k = o_k - t_k (from E = 1/2 (t_k - o_k)²), not t_k - o_k.",
         _two_output_gradient(sign=-1.0)),
        ("the weights v1, v2 are missing: each path into h passes through its weight, "
         "∂E/∂h = (o1 - t1) · v1 + (o2 - t2) · v2.", _two_output_gradient(through_v=False)),
        ("σ' is missing: h = σ(w x), so ∂h/∂w = σ'(w x) · x.", _two_output_gradient(slope="none")),
        ("σ' is applied to the net input written like an output: (w x)(1 - w x) is not the slope; σ'(w x) = h (1 - h).",
         _two_output_gradient(slope="net")),
        ("σ' is taken of the output h: sigmoid_derivative expects the net input w x; "
         "or write the slope from the output, h (1 - h).", _two_output_gradient(slope="of_out")),
        ("the last link is missing: ∂(w x)/∂w = x, so ∂h/∂w = σ'(w x) · x.", _two_output_gradient(times_x=False)),
    ],
}
