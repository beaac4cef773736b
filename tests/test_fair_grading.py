"""Honest work never loses a point: every type a correct answer can reasonably have gets full marks.

A table of honest variants: each takes the reference's answer and returns the same values in
another form a student may write (NumPy scalars of any float width, np.longdouble included, 0-d
arrays, OrderedDict and defaultdict, namedtuples, lists for tuples and tuples for lists, arrays
for lists of numbers and nested lists for arrays). Every one goes through the real judgement
(grading.call as in a grading kernel, the record's JSON read back by records.read_record, then
verdicts.judge) on every hidden check of every lesson and
must pass. The strictness on structure stays: a wrong key, length or shape still fails.
"""
import collections
import copy
import json

import numpy as np
import pytest

import course
from autograder import grading, records, verdicts
from autograder.settings import GradingSettings

LESSONS = course.lessons()  # every graded lesson, the later ones too


def convert(value, number=None, mapping=None, sequence=None, array=None):
    """value with every float, dict, list/tuple and array rewritten by the given converters (None: kept)."""
    def go(v):
        if isinstance(v, (bool, np.bool_)) or v is None:
            return v
        if isinstance(v, (float, np.floating)) and not isinstance(v, np.ndarray):
            return number(v) if number else v
        if isinstance(v, np.ndarray):
            return array(v) if array else v
        if isinstance(v, dict):
            items = {k: go(x) for k, x in v.items()}
            return mapping(items) if mapping else type(v)(items)
        if isinstance(v, (list, tuple)):
            items = [go(x) for x in v]
            return sequence(items, v) if sequence else type(v)(items)
        return v
    return go(value)


Pair = collections.namedtuple("Pair", "first second")


def as_namedtuple(items, original):
    """A pair becomes a namedtuple (other tuples a plain tuple), lists stay lists."""
    if isinstance(original, tuple):
        return Pair(*items) if len(items) == 2 else tuple(items)
    return items


def swap_list_tuple(items, original):
    return list(items) if isinstance(original, tuple) else tuple(items)


def numbers_as_array(items, original):
    """A list or tuple of plain numbers becomes an array (e.g. errors, or a pair of deltas)."""
    if items and all(isinstance(x, (int, float, np.floating)) for x in items):
        return np.array(items, dtype=float)
    return type(original)(items) if not isinstance(original, tuple) or type(original) is tuple else items


def _default_dict(items):
    found = collections.defaultdict(float)
    found.update(items)
    return found


HONEST = {
    "np.float64 scalars": dict(number=np.float64),
    "np.longdouble scalars (as .item() of a longdouble returns)": dict(number=lambda x: np.longdouble(x).item()),
    "np.longdouble arrays": dict(number=np.longdouble, array=lambda a: a.astype(np.longdouble)),
    "0-d arrays for numbers": dict(number=lambda x: np.array(x)),
    "OrderedDict": dict(mapping=collections.OrderedDict),
    "defaultdict": dict(mapping=_default_dict),
    "namedtuple pairs": dict(sequence=as_namedtuple),
    "lists for tuples, tuples for lists": dict(sequence=swap_list_tuple),
    "arrays for lists of numbers": dict(sequence=numbers_as_array),
    "nested lists for arrays": dict(array=lambda a: a.tolist()),
    "np.float32 scalars and arrays (an answer computed in float64, returned in float32)":
        dict(number=np.float32, array=lambda a: a.astype(np.float32)),
}


def honest(reference, converters):
    def student(*args):
        return convert(reference(*args), **converters)
    return student


def all_checks():
    return [(lesson, name) for lesson in LESSONS for name in course.checks(lesson)]


def outputs(lesson, name, function):
    """What the judge reads at grading: the kernel's record of the function on the hidden cases, as JSON, read back."""
    cases = [grading.call(function, args) for args in course.checks(lesson)[name].cases()]
    text = json.dumps({"lesson": lesson, "check": name, "outputs": {"cases": cases}})
    return records.read_record(text, GradingSettings().record_kb)[2]


@pytest.mark.parametrize("variant", sorted(HONEST))
@pytest.mark.parametrize("lesson, name", all_checks())
def test_an_honest_type_gets_full_marks(lesson, name, variant):
    check = course.checks(lesson)[name]
    student = honest(check.reference_function(), HONEST[variant])
    assert verdicts.judge(lesson, name, outputs(lesson, name, student)) is None


def test_the_table_covers_every_lesson_and_changes_the_types():
    """The variants really change the classes a student returns (else the table would test nothing)."""
    assert {"sigmoid", "chain_rule", "steepest_descent", "sigmoid_neuron", "linear_network", "mazur_network",
            "capstone"} <= set(LESSONS)
    result = {"a": (1.0, np.arange(2.0))}
    assert type(convert(result, number=lambda x: np.longdouble(x).item())["a"][0]) is np.longdouble
    assert isinstance(convert(result, mapping=collections.OrderedDict), collections.OrderedDict)
    assert type(convert(result, sequence=as_namedtuple)["a"]) is Pair
    assert type(convert(result, array=lambda a: a.tolist())["a"][1]) is list
    assert type(convert([1.0, 2.0], sequence=numbers_as_array)) is np.ndarray


# ------------------------------------------------------------------ independently written students

def neuron_forward_ordered(p, x1, x2):
    s = np.longdouble(x1) * p["w1"] + np.longdouble(x2) * p["w2"] + p["b"]
    return collections.OrderedDict(s=s.item(), y=(1 / (1 + np.exp(-s))).item())


def sigmoid_0d(x):
    return np.asarray(1 / (1 + np.exp(-np.asarray(x, dtype=float))))


def output_deltas_array(f, t1, t2):
    out = np.array([f["out_o1"], f["out_o2"]])
    return (out - [t1, t2]) * out * (1 - out)


Deltas = collections.namedtuple("Deltas", "delta_h1 delta_h2")


def hidden_deltas_named(p, f, delta_o1, delta_o2):
    return Deltas((delta_o1 * p["w5"] + delta_o2 * p["w7"]) * f["out_h1"] * (1 - f["out_h1"]),
                  (delta_o1 * p["w6"] + delta_o2 * p["w8"]) * f["out_h2"] * (1 - f["out_h2"]))


def bowl_gradient_list(w, a, b):
    return [a * w[0], b * w[1]]


def linear_forward_defaultdict(w, i1, i2):
    found = collections.defaultdict(lambda: 0.0)
    found["h1"] = np.float32(0) + np.float64(i1 * w["w1"] + i2 * w["w2"])  # float32 + float64 is a float64
    found["h2"] = i1 * w["w3"] + i2 * w["w4"]
    found["out"] = found["h1"] * w["w5"] + found["h2"] * w["w6"]
    return found


def capstone_forward_tuple(layers, X, activation="sigmoid"):
    outs = (np.atleast_2d(X),)
    for W, b in layers:
        net = outs[-1] @ np.asarray(W).T + b
        outs += (1 / (1 + np.exp(-net)) if activation == "sigmoid" else net,)
    return outs


def capstone_update_lists(layers, grads, eta):
    return [[(W - eta * gW).tolist(), list(b - eta * gb)] for (W, b), (gW, gb) in zip(layers, grads)]


STUDENTS = [
    ("sigmoid_neuron", "neuron_forward", neuron_forward_ordered),
    ("sigmoid", "sigmoid", sigmoid_0d),
    ("mazur_network", "output_deltas", output_deltas_array),
    ("mazur_network", "hidden_deltas", hidden_deltas_named),
    ("steepest_descent", "bowl_gradient", bowl_gradient_list),
    ("linear_network", "linear_forward", linear_forward_defaultdict),
    ("capstone", "forward", capstone_forward_tuple),
    ("capstone", "update", capstone_update_lists),
]


@pytest.mark.parametrize("lesson, name, student", STUDENTS, ids=[s[2].__name__ for s in STUDENTS])
def test_an_honest_student_of_another_type_gets_full_marks(lesson, name, student):
    assert verdicts.judge(lesson, name, outputs(lesson, name, student)) is None


# ------------------------------------------------------------------ structure stays strict

def neuron_forward_extra_key(p, x1, x2):
    return dict(neuron_forward_ordered(p, x1, x2), z=0.0)


def output_deltas_three(f, t1, t2):
    return (*output_deltas_array(f, t1, t2), 0.0)


def bowl_gradient_column(w, a, b):
    return np.array([[a * w[0]], [b * w[1]]])


def forward_as_text(layers, X, activation="sigmoid"):
    return [str(out) for out in capstone_forward_tuple(layers, X, activation)]


@pytest.mark.parametrize("lesson, name, student, words", [
    ("sigmoid_neuron", "neuron_forward", neuron_forward_extra_key, "has key(s) the exercise does not ask for: z"),
    ("mazur_network", "output_deltas", output_deltas_three, "returned shape (3,); expected shape (2,)"),
    ("steepest_descent", "bowl_gradient", bowl_gradient_column, "returned shape (2, 1); expected shape (2,)"),
    ("capstone", "forward", forward_as_text, "returned a str; expected a number array"),
], ids=["extra key", "wrong length", "wrong shape", "not numbers"])
def test_a_wrong_structure_still_fails(lesson, name, student, words):
    verdict = verdicts.judge(lesson, name, outputs(lesson, name, student))
    assert verdict is not None and words in verdict["summary"]


# ------------------------------------------------------------------ a part is judged on its own

def autograd_notebook(backward_body):
    """A lesson-8 namespace as the notebook has it (the reference engine, the given Value class calling the
    notebook's backward), with backward replaced by backward_body."""
    from course.autograd import reference

    namespace = {}
    exec(compile(open(reference.__file__).read(), "notebook", "exec"), namespace)
    exec(f"def backward(root):\n    {backward_body}\n", namespace)
    namespace["Value"].backward = lambda self: namespace["backward"](self)
    return namespace


@pytest.mark.parametrize("body", ["raise NotImplementedError", "raise RecursionError('too deep')"])
def test_the_forward_pass_keeps_its_point_when_backward_raises(body):
    """A correct mazur_graph earns the forward pass's point even while backward is unwritten or raises;
    only the gradients part, which needs backward, fails."""
    mazur_graph = autograd_notebook(body)["mazur_graph"]

    def judged(name):
        check = course.checks("autograd")[name]
        return verdicts.judge("autograd", name, outputs("autograd", name, check.adapt(mazur_graph)))

    assert judged("mazur_values") is None
    assert judged("mazur_gradients") is not None


# ------------------------------------------------------------------ what a visible test requires, the judge judges

def _in_place(reference_name, lesson, index, change):
    """The reference's answer, then argument `index` changed in place by change(argument)."""
    reference = getattr(__import__(f"course.{lesson}.reference", fromlist=["_"]), reference_name)

    def student(*args):
        result = reference(*[copy.deepcopy(a) for a in args])
        change(args[index])
        return result
    return student


def _nudge_first_weight(layers):
    layers[0][0].flat[0] += 1e-5


@pytest.mark.parametrize("lesson, name, student", [
    ("sigmoid_neuron", "neuron_update", _in_place("neuron_update", "sigmoid_neuron", 0, lambda p: p.update(w1=0.0))),
    ("sigmoid_neuron", "delta_rule_update", _in_place("delta_rule_update", "sigmoid_neuron", 0, lambda p: p.update(b=0.0))),
    ("mazur_network", "hidden_deltas", _in_place("mazur_hidden_deltas", "mazur_network", 0, lambda p: p.update(w5=0.0))),
    ("capstone", "numerical_gradient", _in_place("mlp_numerical_gradient", "capstone", 1, _nudge_first_weight)),
], ids=["neuron_update", "delta_rule_update", "hidden_deltas", "numerical_gradient"])
def test_a_function_that_changes_what_its_visible_test_keeps_fails(lesson, name, student):
    """At grading a failed visible test becomes text and the hidden check alone decides the cell: so a right
    answer that changes the argument its visible test says to leave alone must fail the hidden check too."""
    verdict = verdicts.judge(lesson, name, outputs(lesson, name, student))
    assert verdict is not None and "it changed" in verdict["summary"]


def numerical_gradient_plus_minus(error_fn, layers, h=1e-5):
    """Central differences nudging each entry in place by +h, -2h, +h: back to within an ulp, not bit for bit."""
    grads = []
    for W, b in layers:
        gW, gb = np.zeros(np.shape(W)), np.zeros(np.shape(b))
        for array, grad in ((W, gW), (b, gb)):
            for index in np.ndindex(np.shape(array)):
                array[index] += h
                up = error_fn(layers)
                array[index] -= 2 * h
                down = error_fn(layers)
                array[index] += h
                grad[index] = (up - down) / (2 * h)
        grads.append((gW, gb))
    return grads


def test_an_entry_put_back_within_rounding_is_unchanged():
    verdict = verdicts.judge("capstone", "numerical_gradient", outputs("capstone", "numerical_gradient", numerical_gradient_plus_minus))
    assert verdict is None


# ------------------------------------------------------------------ numbers that are not numbers

NOT_FINITE = {
    "nan": {"number": lambda v: float("nan"), "array": lambda a: np.full(np.shape(a), np.nan)},
    "inf": {"number": lambda v: float("inf"), "array": lambda a: np.full(np.shape(a), np.inf)},
    "complex": {"number": lambda v: complex(v, 0.0), "array": lambda a: np.asarray(a, dtype=complex)},
}


@pytest.mark.parametrize("kind", sorted(NOT_FINITE))
@pytest.mark.parametrize("lesson, name", all_checks())
def test_nan_inf_or_complex_in_the_reference_structure_fails(lesson, name, kind):
    """The reference's structure with every number nan, inf or complex fails (no reference value is nan or inf,
    and a complex number is not a real one even when its imaginary part is 0)."""
    check = course.checks(lesson)[name]
    student = honest(check.reference_function(), NOT_FINITE[kind])
    assert verdicts.judge(lesson, name, outputs(lesson, name, student)) is not None
