"""Lessons 5-7: the classic mistakes are named in the forms students write them, on the function that makes them only.

Each student below is plain code written the way a student would (independently of the variants in
course/<lesson>/mistakes.py) and goes through the real judgement: grading.call on the hidden cases,
the record's JSON read back, verdicts.judge, and for whole notebooks nbgrader's cells judged by
JudgeVerdicts in order, so that a function judged through another student function that fails its
own checks is told so ("this uses your `gradients`, which fails its hidden tests: fix that first")
and no mistake it did not make is named on it.
"""
import json
import re

import nbformat
import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_output
from nbgrader.utils import determine_grade

import course
from autograder import grading, records, verdicts
from autograder.judge import JudgeVerdicts
from autograder.settings import GradingSettings
from course.capstone import mistakes as capstone_mistakes
from course.linear_network import mistakes as linear_mistakes
from course.mazur_network import mistakes as mazur_mistakes
from course.mazur_network import reference as mazur
from course.mazur_network.mistakes import ONE_OUTPUT, SLOPE_OF_NET, SLOPE_OF_OUT, UPDATE_FIRST

PREFIX = "This is a classic mistake: "


def outputs(lesson, name, function):
    """The kernel's record of function on the hidden cases of a check, as the judge reads it at grading."""
    cases = [grading.call(function, args) for args in course.checks(lesson)[name].cases()]
    return records.read_record(json.dumps({"lesson": lesson, "check": name, "outputs": {"cases": cases}}), GradingSettings().record_kb)[2]


def parts(lesson, function):
    return [n for n, c in course.checks(lesson).items() if (c.function or n) == function]


def judge_all(lesson, function, student):
    """{check: verdict or None} of every check (every part) of `function`."""
    return {n: verdicts.judge(lesson, n, outputs(lesson, n, student)) for n in parts(lesson, function)}


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


# ------------------------------------------------------------------ lesson 5

def linear_forward(w, i1, i2):
    h1, h2 = i1 * w["w1"] + i2 * w["w2"], i1 * w["w3"] + i2 * w["w4"]
    return {"h1": h1, "h2": h2, "out": h1 * w["w5"] + h2 * w["w6"]}


def linear_gradients(w, i1, i2, target):
    f = linear_forward(w, i1, i2)
    d = f["out"] - target
    return {"w1": d * w["w5"] * i1, "w2": d * w["w5"] * i2, "w3": d * w["w6"] * i1, "w4": d * w["w6"] * i2,
            "w5": d * f["h1"], "w6": d * f["h2"]}


def linear_gradients_w2_w3_swapped(w, i1, i2, target):
    f = linear_forward(w, i1, i2)
    d = f["out"] - target
    return {"w1": d * w["w5"] * i1, "w3": d * w["w5"] * i2, "w2": d * w["w6"] * i1, "w4": d * w["w6"] * i2,
            "w5": d * f["h1"], "w6": d * f["h2"]}


def linear_update_section_4b(w, i1, i2, target, eta):
    """The slip the lesson shows: w5, w6 first, then the old delta with the NEW w5, w6."""
    f = linear_forward(w, i1, i2)
    delta = f["out"] - target
    new = dict(w)
    new["w5"] = w["w5"] - eta * delta * f["h1"]
    new["w6"] = w["w6"] - eta * delta * f["h2"]
    new["w1"] = w["w1"] - eta * delta * new["w5"] * i1
    new["w2"] = w["w2"] - eta * delta * new["w5"] * i2
    new["w3"] = w["w3"] - eta * delta * new["w6"] * i1
    new["w4"] = w["w4"] - eta * delta * new["w6"] * i2
    return new


# ------------------------------------------------------------------ lesson 6

def forward(p, i1, i2):
    out_h1 = sigmoid(p["w1"] * i1 + p["w2"] * i2 + p["b1"])
    out_h2 = sigmoid(p["w3"] * i1 + p["w4"] * i2 + p["b1"])
    net_o1 = p["w5"] * out_h1 + p["w6"] * out_h2 + p["b2"]
    net_o2 = p["w7"] * out_h1 + p["w8"] * out_h2 + p["b2"]
    return {"net_h1": p["w1"] * i1 + p["w2"] * i2 + p["b1"], "out_h1": out_h1,
            "net_h2": p["w3"] * i1 + p["w4"] * i2 + p["b1"], "out_h2": out_h2,
            "net_o1": net_o1, "out_o1": sigmoid(net_o1), "net_o2": net_o2, "out_o2": sigmoid(net_o2)}


def hidden_deltas_o2_only(p, f, delta_o1, delta_o2):
    return (delta_o2 * p["w7"] * f["out_h1"] * (1 - f["out_h1"]),
            delta_o2 * p["w8"] * f["out_h2"] * (1 - f["out_h2"]))


def hidden_deltas_diagonal(p, f, delta_o1, delta_o2):
    return (delta_o1 * p["w5"] * f["out_h1"] * (1 - f["out_h1"]),
            delta_o2 * p["w8"] * f["out_h2"] * (1 - f["out_h2"]))


def hidden_deltas_crossed(p, f, delta_o1, delta_o2):
    return (delta_o2 * p["w7"] * f["out_h1"] * (1 - f["out_h1"]),
            delta_o1 * p["w6"] * f["out_h2"] * (1 - f["out_h2"]))


def mazur_gradients_written(hidden="both", slope=lambda f, n: f[f"out_{n}"] * (1 - f[f"out_{n}"]), swap=False):
    """A student's gradients, all in one function, with one slip in the hidden layer."""
    def gradients(p, i1, i2, t1, t2):
        f = forward(p, i1, i2)
        d1 = (f["out_o1"] - t1) * f["out_o1"] * (1 - f["out_o1"])
        d2 = (f["out_o2"] - t2) * f["out_o2"] * (1 - f["out_o2"])
        e1 = {"both": d1 * p["w5"] + d2 * p["w7"], "o2": d2 * p["w7"], "diagonal": d1 * p["w5"]}[hidden]
        e2 = {"both": d1 * p["w6"] + d2 * p["w8"], "o2": d2 * p["w8"], "diagonal": d2 * p["w8"]}[hidden]
        h1, h2 = e1 * slope(f, "h1"), e2 * slope(f, "h2")
        g = {"w1": h1 * i1, "w2": h1 * i2, "w3": h2 * i1, "w4": h2 * i2,
             "w5": d1 * f["out_h1"], "w6": d1 * f["out_h2"], "w7": d2 * f["out_h1"], "w8": d2 * f["out_h2"],
             "b1": h1 + h2, "b2": d1 + d2}
        if swap:
            g["w2"], g["w3"] = h2 * i1, h1 * i2
        return g
    return gradients


def train_updates_first(p, i1, i2, t1, t2, eta, steps, learn_biases=False):
    errors = [mazur.mazur_error(p, i1, i2, t1, t2)]
    grads = {k: 0.0 for k in p}
    for _ in range(steps):
        p = mazur.mazur_update(p, grads, eta, learn_biases)  # the step first ...
        grads = mazur.mazur_gradients(p, i1, i2, t1, t2)     # ... then backpropagation
        errors.append(mazur.mazur_error(p, i1, i2, t1, t2))
    return p, errors


# ------------------------------------------------------------------ lesson 7

def mlp_forward(layers, X, activation="sigmoid"):
    outs = [np.atleast_2d(X)]
    for W, b in layers:
        net = outs[-1] @ W.T + b
        outs.append(sigmoid(net) if activation == "sigmoid" else net)
    return outs


def slope(out, activation):
    return out * (1 - out) if activation == "sigmoid" else np.ones_like(out)


def output_delta_sigmoid_derivative_of_out(out, T, activation="sigmoid"):
    s = sigmoid(out)
    return (out - T) * (s * (1 - s) if activation == "sigmoid" else 1.0)


def hidden_delta_first_output(delta_next, W_next, out, activation="sigmoid"):
    return np.outer(delta_next[:, 0], W_next[0]) * slope(out, activation)


def hidden_delta_sigmoid_derivative_of_out(delta_next, W_next, out, activation="sigmoid"):
    s = sigmoid(out)
    return (delta_next @ W_next) * (s * (1 - s) if activation == "sigmoid" else 1.0)


def mlp_backward_written(hidden_slope=slope, transposed=False, first_only=False, net_slope=False):
    def backward(layers, X, T, activation="sigmoid"):
        outs = mlp_forward(layers, X, activation)
        nets = [outs[k] @ W.T + b for k, (W, b) in enumerate(layers)]
        top = nets[-1] if net_slope else outs[-1]
        delta = (outs[-1] - T) * (slope(top, activation) if activation == "sigmoid" else 1.0)
        grads = []
        for k in reversed(range(len(layers))):
            grads.insert(0, (outs[k].T @ delta if transposed else delta.T @ outs[k], delta.sum(axis=0)))
            if k:
                back = np.outer(delta[:, 0], layers[k][0][0]) if first_only else delta @ layers[k][0]
                here = nets[k - 1] if net_slope else outs[k]
                delta = back * hidden_slope(here, activation)
        return grads
    return backward


def no_slope(out, activation):
    return np.ones_like(out)


def sigmoid_derivative_of(out, activation):
    return sigmoid(out) * (1 - sigmoid(out)) if activation == "sigmoid" else np.ones_like(out)


def mlp_train_updates_first(layers, X, T, eta, steps, activation="sigmoid"):
    from course.capstone.reference import mlp_backward, mlp_error, mlp_update
    errors = [mlp_error(layers, X, T, activation)]
    grads = [(np.zeros_like(W), np.zeros_like(b)) for W, b in layers]
    for _ in range(steps):
        layers = mlp_update(layers, grads, eta)
        grads = mlp_backward(layers, X, T, activation)
        errors.append(mlp_error(layers, X, T, activation))
    return layers, errors


STUDENTS = [
    ("linear_network", "linear_gradients", linear_gradients_w2_w3_swapped,
     linear_mistakes.STORED_TRANSPOSED + " Here: dE/dw2 = delta · w5 · i2 (w2 carries i2 into h1) and dE/dw3 = delta · w6 · i1."),
    ("linear_network", "linear_update", linear_update_section_4b,
     linear_mistakes.AFTER_UPDATE + " Here (the slip of section 4b): the old delta times the NEW w5, w6."),
    ("mazur_network", "hidden_deltas", hidden_deltas_o2_only, ONE_OUTPUT),
    ("mazur_network", "hidden_deltas", hidden_deltas_diagonal,
     ONE_OUTPUT + " Here h1 hears only o1 (through w5) and h2 only o2 (through w8)."),
    ("mazur_network", "hidden_deltas", hidden_deltas_crossed,
     ONE_OUTPUT + " Here h1 hears only o2 (through w7) and h2 only o1 (through w6)."),
    ("mazur_network", "gradients", mazur_gradients_written(hidden="o2"), ONE_OUTPUT),
    ("mazur_network", "gradients", mazur_gradients_written(hidden="diagonal"),
     ONE_OUTPUT + " Here h1 hears only o1 (through w5) and h2 only o2 (through w8)."),
    ("mazur_network", "gradients", mazur_gradients_written(swap=True), mazur_mistakes.STORED_TRANSPOSED),
    ("mazur_network", "gradients", mazur_gradients_written(slope=lambda f, n: 1.0), mazur_mistakes.HIDDEN_NO_SLOPE),
    ("mazur_network", "gradients", mazur_gradients_written(slope=lambda f, n: f[f"net_{n}"] * (1 - f[f"net_{n}"])),
     SLOPE_OF_NET + " (in the hidden layer)"),
    ("mazur_network", "gradients", mazur_gradients_written(slope=lambda f, n: sigmoid(f[f"out_{n}"]) * (1 - sigmoid(f[f"out_{n}"]))),
     SLOPE_OF_OUT + " (in the hidden layer)"),
    ("mazur_network", "train", train_updates_first, UPDATE_FIRST),
    ("capstone", "output_delta", output_delta_sigmoid_derivative_of_out, SLOPE_OF_OUT),
    ("capstone", "hidden_delta", hidden_delta_first_output, capstone_mistakes.ONE_OUTPUT),
    ("capstone", "hidden_delta", hidden_delta_sigmoid_derivative_of_out, SLOPE_OF_OUT),
    ("capstone", "backward", mlp_backward_written(hidden_slope=no_slope), capstone_mistakes.HIDDEN_NO_SLOPE),
    ("capstone", "backward", mlp_backward_written(net_slope=True), SLOPE_OF_NET),
    ("capstone", "backward", mlp_backward_written(hidden_slope=sigmoid_derivative_of), SLOPE_OF_OUT + " (in the hidden layers)"),
    ("capstone", "backward", mlp_backward_written(transposed=True), capstone_mistakes.TRANSPOSED_DW),
    ("capstone", "backward", mlp_backward_written(first_only=True), capstone_mistakes.ONE_OUTPUT),
    ("capstone", "train", mlp_train_updates_first, UPDATE_FIRST),
]
# mistakes in the hidden layer only keep the output layer's point
KEEPS_OUTPUT_PART = {"gradients": "gradients_output", "backward": "backward_output"}


@pytest.mark.parametrize("lesson, name, student, words", STUDENTS,
                         ids=[f"{lesson}.{name}.{k}" for k, (lesson, name, _, _) in enumerate(STUDENTS)])
def test_the_mistake_is_named_in_the_form_a_student_writes_it(lesson, name, student, words):
    found = judge_all(lesson, name, student)
    failed = {n: v for n, v in found.items() if v}
    assert failed, f"{name}: the student passes"
    assert any(PREFIX + words + "\n" in v["explanation"] for v in failed.values()), {n: v["explanation"] for n, v in failed.items()}
    if name in KEEPS_OUTPUT_PART and words != SLOPE_OF_NET and words != capstone_mistakes.TRANSPOSED_DW:
        # every other mistake of these students is in the hidden layer only: the output layer keeps its point
        assert found[KEEPS_OUTPUT_PART[name]] is None, "a mistake in the hidden layer keeps the output layer's point"


# ------------------------------------------------------------------ a mistake is named only where it is made

HIDDEN = "with visible({name!r}):\n    pass\n### BEGIN HIDDEN TESTS\nfrom course.{lesson}.cases import check_{name}\ncheck_{name}({function})\n### END HIDDEN TESTS\n"


def graded_cell(lesson, name, function):
    """A graded test cell of check `name`, with the kernel's record of `function` as its output."""
    source = HIDDEN.format(lesson=lesson, name=name, function=course.checks(lesson)[name].function or name)
    cell = new_code_cell(source, metadata={"nbgrader": {"grade": True, "grade_id": f"test_{name}", "points": 1,
                                                        "solution": False, "locked": True, "schema_version": 3}})
    cases = [grading.call(function, args) for args in course.checks(lesson)[name].cases()]
    text = json.dumps({"lesson": lesson, "check": name, "outputs": {"cases": cases}})
    cell.outputs = [new_output("display_data", data={records.BLOB_MIME: text, "text/plain": "recorded"})]
    return cell


def judged_notebook(lesson, students):
    """{check: (points, text)} of a notebook whose test cells hold the records of students {check: function}."""
    nb = nbformat.v4.new_notebook(cells=[graded_cell(lesson, name, f) for name, f in students.items()])
    JudgeVerdicts().preprocess(nb, {})
    return {cell.metadata.nbgrader.grade_id[len("test_"):]:
            (determine_grade(cell)[0], "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream"))
            for cell in nb.cells}


def neuron_forward(p, x1, x2):
    s = x1 * p["w1"] + x2 * p["w2"] + p["b"]
    return {"s": s, "y": sigmoid(s)}


def neuron_gradients_sign_flipped(p, x1, x2, d):
    y = neuron_forward(p, x1, x2)["y"]
    delta = (d - y) * y * (1 - y)
    return {"w1": delta * x1, "w2": delta * x2, "b": delta}


def neuron_update(p, x1, x2, d, eta):  # correct, through the student's (wrong) gradients
    g = neuron_gradients_sign_flipped(p, x1, x2, d)
    return {k: p[k] - eta * g[k] for k in ("w1", "w2", "b")}


def neuron_update_own_gradients(p, x1, x2, d, eta):  # correct without the wrong gradients: keeps its points
    y = neuron_forward(p, x1, x2)["y"]
    delta = (y - d) * y * (1 - y)
    return {"w1": p["w1"] - eta * delta * x1, "w2": p["w2"] - eta * delta * x2, "b": p["b"] - eta * delta}


def gradients_biases_zero(p, i1, i2, t1, t2):
    return dict(mazur.mazur_gradients(p, i1, i2, t1, t2), b1=0.0, b2=0.0)


def train_through(gradients):
    def train(p, i1, i2, t1, t2, eta, steps, learn_biases=False):
        errors = [mazur.mazur_error(p, i1, i2, t1, t2)]
        for _ in range(steps):
            p = mazur.mazur_update(p, gradients(p, i1, i2, t1, t2), eta, learn_biases)
            errors.append(mazur.mazur_error(p, i1, i2, t1, t2))
        return p, errors
    return train


def gradients_not_written(p, i1, i2, t1, t2):
    raise NotImplementedError


def hidden_delta_transposed(delta_next, W_next, out, activation="sigmoid"):
    return (delta_next @ W_next.T) * slope(out, activation)


def backward_through(hidden_delta):
    def backward(layers, X, T, activation="sigmoid"):
        outs = mlp_forward(layers, X, activation)
        delta = (outs[-1] - T) * slope(outs[-1], activation)
        grads = []
        for k in reversed(range(len(layers))):
            grads.insert(0, (delta.T @ outs[k], delta.sum(axis=0)))
            if k:
                delta = hidden_delta(delta, layers[k][0], outs[k], activation)
        return grads
    return backward


def linear_gradients_sign_flipped(w, i1, i2, target):
    return {k: -v for k, v in linear_gradients(w, i1, i2, target).items()}


def linear_update_through(gradients):
    def linear_update(w, i1, i2, target, eta):
        g = gradients(w, i1, i2, target)
        return {k: w[k] - eta * g[k] for k in w}
    return linear_update


UPSTREAM = "this uses your `{}`, which fails its hidden tests: fix that first"

NOTEBOOKS = {
    "neuron_update through flipped gradients": (
        "sigmoid_neuron", {"neuron_gradients_weights": neuron_gradients_sign_flipped,
                           "neuron_gradients_bias": neuron_gradients_sign_flipped, "neuron_update": neuron_update},
        "neuron_update", "neuron_gradients", ("uphill", "the sign is flipped")),
    "Mazur train through zero bias gradients": (
        "mazur_network", {"gradients_biases": gradients_biases_zero, "train": train_through(gradients_biases_zero)},
        "train", "gradients", ("learn_biases", "bias")),
    "Mazur train through unwritten gradients": (
        "mazur_network", {"gradients_output": gradients_not_written, "train": train_through(gradients_not_written)},
        "train", "gradients", ("not written yet",)),
    "capstone backward through a transposed hidden_delta": (
        "capstone", {"hidden_delta": hidden_delta_transposed,
                     "backward_output": backward_through(hidden_delta_transposed),
                     "backward_hidden": backward_through(hidden_delta_transposed),
                     "backward_biases": backward_through(hidden_delta_transposed)},
        "backward_hidden", "hidden_delta", ("transposed",)),
    "linear_update through flipped gradients": (
        "linear_network", {"linear_gradients_output": linear_gradients_sign_flipped,
                           "linear_update": linear_update_through(linear_gradients_sign_flipped)},
        "linear_update", "linear_gradients", ("the sign is flipped",)),
}


@pytest.mark.parametrize("case", sorted(NOTEBOOKS))
def test_a_function_judged_through_a_failing_function_is_told_so_and_blamed_for_nothing(case):
    lesson, students, later, upstream, never = NOTEBOOKS[case]
    judged = judged_notebook(lesson, students)
    points, text = judged[later]
    assert points == 0
    assert UPSTREAM.format(upstream) in text
    assert PREFIX not in text
    for words in never:
        assert words not in text, f"{later} is blamed for {words!r}, a mistake of {upstream}"
    # the function that makes the mistake is the one it is named on
    first = next(iter(students))
    if not any("not written" in words for words in never):
        assert PREFIX in judged[first][1]


def test_the_upstream_message_needs_the_upstream_failure():
    """The same update after CORRECT gradients names its own mistake; a correct update through wrong gradients of
    its own making keeps its points."""
    def neuron_gradients(p, x1, x2, d):
        return {k: -v for k, v in neuron_gradients_sign_flipped(p, x1, x2, d).items()}

    def update_uphill(p, x1, x2, d, eta):
        return {k: p[k] + eta * g for k, g in neuron_gradients(p, x1, x2, d).items()}

    uphill = judged_notebook("sigmoid_neuron", {"neuron_gradients_weights": neuron_gradients,
                                                "neuron_update": update_uphill})
    assert uphill["neuron_gradients_weights"][0] == 1
    assert PREFIX + "the step goes uphill" in uphill["neuron_update"][1] and "uses your" not in uphill["neuron_update"][1]
    judged = judged_notebook("sigmoid_neuron", {"neuron_gradients_weights": neuron_gradients_sign_flipped,
                                                "neuron_update": neuron_update_own_gradients})
    assert judged["neuron_update"][0] == 1 and judged["neuron_gradients_weights"][0] == 0


def test_uses_are_the_functions_the_solution_calls():
    """Each check's `uses` are exactly the graded functions its solution calls (so the feedback blames the right ones)."""
    import ast

    from conftest import ASSIGNMENTS, notebook_path

    from autograder.submissions import solution_code
    for assignment in ASSIGNMENTS:
        lesson = assignment.split("_", 1)[1]
        defined = {}
        for source in solution_code(notebook_path(assignment)).values():
            for node in ast.parse(source).body:
                if isinstance(node, ast.FunctionDef):
                    defined[node.name] = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
        for name, check in course.checks(lesson).items():
            function = check.function or name
            assert set(check.uses) == defined[function] & (set(defined) - {function}), (lesson, name, defined[function] & (set(defined) - {function}))


# ------------------------------------------------------------------ messages a student understands

def test_a_layer_is_named_by_its_number_and_array():
    verdict = verdicts.judge("capstone", "backward_hidden",
                             outputs("capstone", "backward_hidden", mlp_backward_written(hidden_slope=no_slope)))
    assert re.search(r"failed: layer \d dW differs from the reference", verdict["summary"]), verdict["summary"]
    for name in ("train", "update", "numerical_gradient", "backward_biases", "backward_output", "forward"):
        for _, variant in course.variants("capstone", course.checks("capstone")[name].function or name):
            found = verdicts.judge("capstone", name, outputs("capstone", name, variant))
            assert not found or "item 0" not in found["summary"], found["summary"]


def test_train_reports_the_largest_difference_by_name():
    def gradients_w2_w3_swapped(p, i1, i2, t1, t2):
        g = mazur.mazur_gradients(p, i1, i2, t1, t2)
        return dict(g, w2=g["w3"], w3=g["w2"])

    verdict = verdicts.judge("mazur_network", "train", outputs("mazur_network", "train", train_through(gradients_w2_w3_swapped)))
    place = re.search(r"failed: (\S+) differs from the reference \(largest relative difference ([0-9.e+-]+); "
                      r"\d+ other places differ too\)", verdict["summary"])
    assert place, verdict["summary"]
    assert place.group(1) in ("params['w2']", "params['w3']") and float(place.group(2)) > 1e-4
