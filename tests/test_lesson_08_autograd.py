"""Lesson 8 (autograd from scratch): every number the notebook prints, the engine against the capstone's
reference, the hidden checks (random graphs with shared nodes, every named mistake caught and named),
and the computational-graph explorer (its numbers are the reference's, a move sends only changes).

The literals are Mazur's printed gradients (Mazur's post) and lesson 2's graph, worked out by hand.
"""
import math
import time
from pathlib import Path

import numpy as np
import pytest

from autograder import grading, verdicts
from backprop_lab import explorers
from backprop_lab.examples import MAZUR, MAZUR_PARAMS
from course.autograd import cases, mistakes, reference
from course.capstone.reference import mlp_backward
from course.mazur_network import reference as ref

ASSIGNMENT = "08_autograd"
DATA = (MAZUR["i1"], MAZUR["i2"], MAZUR["t1"], MAZUR["t2"])


@pytest.fixture
def ns(solution_globals):
    return solution_globals(ASSIGNMENT)


# ------------------------------------------------------------------ what the notebook prints

def test_lesson_2_graph_from_operators(ns):
    # L = 3y + y², y = 2x at x = 2: dL/dy = 3 + 2y = 11, dL/dx = 2 · 11 = 22 (lesson 2's two paths)
    assert ns["graph_numbers"] == {"L": 28.0, "dL/dy": 11.0, "dL/dx": 22.0}
    assert ns["graph_paths"] == 22.0


def test_mazur_gradients_from_backward_are_mazurs_and_the_hand_formulas(ns):
    grads = ns["mazur_autograd"]
    assert abs(grads["w5"] - 0.082167041) <= 0.5e-9  # Mazur prints 0.082167041
    assert abs(grads["w1"] - 0.000438568) <= 0.5e-9  # Mazur prints 0.000438568
    expected = ref.mazur_gradients(MAZUR_PARAMS, *DATA)
    assert set(grads) == set(expected)
    for name, value in expected.items():
        assert abs(grads[name] - value) < 1e-9 and abs(ns["mazur_hand"][name] - value) < 1e-12, name
    assert ns["mazur_difference"] == max(abs(grads[k] - ns["mazur_hand"][k]) for k in grads) < 1e-9


def test_the_graph_size_the_notebook_prints(ns):
    graph = reference.mazur_graph(MAZUR_PARAMS, *DATA)
    assert ns["mazur_counts"]["values"] == explorers.count_values(graph["E"])
    leaves = {id(v) for v in reference.topological_order(graph["E"]) if not v.parents}
    assert ns["mazur_counts"]["leaves"] == len(leaves) > 10


def test_engine_agrees_with_the_matrix_backward_on_random_networks(ns):
    assert len(ns["relative_errors"]) == 50 and ns["engine_shapes"] >= 30
    assert ns["engine_worst"] == max(ns["relative_errors"]) < 1e-12


# ------------------------------------------------------------------ the reference engine

def test_reference_engine_matches_the_capstone_and_lesson_6_on_random_networks():
    for layers, X, T in cases.network_cases():
        for (gW, gb), (rW, rb) in zip(reference.network_gradients(layers, X, T), mlp_backward(layers, X, T)):
            assert gW.shape == rW.shape and np.allclose(gW, rW, rtol=1e-10, atol=1e-14)
            assert np.allclose(gb, rb, rtol=1e-10, atol=1e-14)
    for p, *data in cases.mazur_cases():
        graph = reference.mazur_graph(p, *data)
        graph["E"].backward()
        for name, value in ref.mazur_gradients(p, *data).items():
            assert graph[name].grad == pytest.approx(value, rel=1e-10, abs=1e-14)
        assert graph["E"].data == pytest.approx(ref.mazur_error(p, *data), rel=1e-12)


def test_reference_backward_matches_central_differences_on_the_hidden_graphs():
    """Every leaf's gradient of every hidden graph, against (f(x + h) - f(x - h)) / 2h of the root's data."""
    for leaves, first, _ in cases.backward_cases():
        nodes = cases.build(reference.Value, [reference.Value(v) for v in leaves], first)
        reference.backward(nodes[-1])
        for k in range(len(leaves)):
            def root(shift):
                moved = [reference.Value(v + shift * (i == k)) for i, v in enumerate(leaves)]
                return cases.build(reference.Value, moved, first)[-1].data
            h = 1e-6
            numeric = (root(h) - root(-h)) / (2 * h)
            assert nodes[k].grad == pytest.approx(numeric, rel=1e-5, abs=1e-6)


# ------------------------------------------------------------------ the hidden checks

def test_hidden_graphs_share_nodes_and_use_values_several_times():
    shared = repeated = 0
    for leaves, first, second in cases.backward_cases():
        for ops in (first, second):
            uses = {}
            for op, i, j in ops:
                for k in ((i, j) if op in ("add", "mul") else (i,)):
                    uses[k] = uses.get(k, 0) + 1
            shared += any(n > 1 for n in uses.values())
            repeated += any(op in ("add", "mul") and i == j for op, i, j in ops)
    assert shared >= 40 and repeated >= 10, (shared, repeated)


def test_cases_module_never_imports_the_reference():
    text = Path(cases.__file__).read_text()
    assert "import reference" not in text and "autograd.reference import" not in text


def outputs(name, function):
    check = cases.CHECKS[name]
    return {"cases": [grading.call(check.adapt(function) if check.adapt else function, args) for args in check.cases()]}


@pytest.mark.parametrize("name", sorted(cases.CHECKS))
def test_the_reference_engine_passes_its_own_hidden_check(name):
    check = cases.CHECKS[name]
    assert len(check.cases()) >= 20
    assert verdicts.judge("autograd", name, outputs(name, getattr(reference, check.function or name))) is None


@pytest.mark.parametrize("function, words, variant", [(f, w, v) for f, vs in mistakes.VARIANTS.items() for w, v in vs],
                         ids=[f"{f}:{w[:30]}" for f, vs in mistakes.VARIANTS.items() for w, _ in vs])
def test_every_named_mistake_fails_and_is_named(function, words, variant):
    names = [n for n, c in cases.CHECKS.items() if (c.function or n) == function]
    verdicts_ = [verdicts.judge("autograd", n, {"cases": [grading.call(variant, a) for a in cases.CHECKS[n].cases()]})
                 for n in names]
    failed = [v for v in verdicts_ if v]
    assert failed, f"{words} passes every check of {function}"
    assert all(words in v["explanation"] for v in failed)


def test_a_hard_coded_mazur_graph_fails_the_hidden_check():
    def hard_coded(p, i1, i2, t1, t2):
        return reference.mazur_graph(MAZUR_PARAMS, *DATA)
    for name in ("mazur_values", "mazur_gradients"):
        assert verdicts.judge("autograd", name, outputs(name, hard_coded))


def test_a_student_engine_in_the_notebooks_namespace_is_driven_through_its_own_value_class():
    """The adapters build Values with the class beside the student's function, not the reference's."""
    namespace = {"math": math, "np": np, "cases": cases}
    source = Path(reference.__file__).read_text().split("from course.autograd import cases")[1].split("# ----")[0]
    exec(source, namespace)
    assert namespace["Value"] is not reference.Value
    for name, fn in (("add", "add"), ("backward", "backward"), ("mazur_gradients", "mazur_graph")):
        assert verdicts.judge("autograd", name, outputs(name, namespace[fn])) is None
    assert verdicts.judge("autograd", "add", outputs("add", lambda a, b: reference.add(a, b)))  # no Value beside it


# ------------------------------------------------------------------ the explorer

def shown(explorer):
    data, grads, size, problems = explorer.shown
    return data, grads, size, problems


def expected(params):
    graph = reference.mazur_graph(params, *DATA)
    graph["E"].backward()
    return ({n.name: graph[n.name].data for n in explorers.GRAPH_NODES},
            {n.name: graph[n.name].grad for n in explorers.GRAPH_NODES})


def assert_shows(explorer, params):
    data, grads = expected(params)
    got_data, got_grads, size, problems = shown(explorer)
    assert problems == []
    assert got_data == pytest.approx(data, rel=1e-12, abs=1e-15) and got_grads == pytest.approx(grads, rel=1e-12, abs=1e-15)
    html = explorer.html()
    for name in ("E", "w5", "out_h1"):
        assert f"data {data[name]:.5f}" in html and f"grad {grads[name]:+.5f}" in html
        assert f"{grads[name]:.9f}" in html  # the table
    assert f"E = {data['E']:.9f}" in html


def test_explorer_shows_the_reference_numbers_after_moves_and_steps():
    explorer = explorers.graph_explorer(reference.mazur_graph)
    assert explorer.shown[0]["E"] == pytest.approx(ref.mazur_error(MAZUR_PARAMS, *DATA), rel=1e-12)
    assert_shows(explorer, MAZUR_PARAMS)
    explorer.handle({"event": "set", "name": "w5", "value": 0.41, "seq": 1})
    params = {**MAZUR_PARAMS, "w5": 0.41}
    assert_shows(explorer, params)
    for _ in range(3):
        explorer.handle({"event": "step"})
        grads = ref.mazur_gradients(params, *DATA)
        params = {k: v - 0.5 * grads[k] if k.startswith("w") else v for k, v in params.items()}
    assert explorer.params == pytest.approx(params, rel=1e-12)
    assert_shows(explorer, params)
    explorer.handle({"event": "reset"})
    assert_shows(explorer, MAZUR_PARAMS)


def test_explorer_move_sends_only_changes_and_is_fast():
    explorer = explorers.graph_explorer(reference.mazur_graph)
    sent = []
    explorer.view.send = lambda message: sent.append(message)
    start = time.perf_counter()
    for k in range(20):
        explorer.handle({"event": "set", "name": "w8", "value": 0.55 + 0.001 * k, "seq": k + 1})
    per_move = (time.perf_counter() - start) / 20
    assert per_move < 0.05, per_move
    assert all("patch" in m for m in sent)
    total = len(explorer.view.state)
    # w8 feeds net_o2 only: the boxes of the hidden layer keep their data, so far fewer elements than all change
    assert 0 < len(sent[-1]["patch"]) < total / 2, (len(sent[-1]["patch"]), total)
    print(f"graph explorer: {per_move * 1000:.2f} ms per slider move, {len(sent[-1]['patch'])} of {total} elements sent")


def test_explorer_before_mazur_graph_is_written_says_so_and_step_is_harmless():
    def mazur_graph(p, i1, i2, t1, t2):
        raise NotImplementedError()
    explorer = explorers.graph_explorer(mazur_graph)
    assert "mazur_graph() is not written yet" in " ".join(explorer.shown[3])
    explorer.handle({"event": "step"})
    assert explorer.params == MAZUR_PARAMS and "?" in explorer.html()


def test_explorer_with_a_broken_backward_shows_data_but_no_gradients():
    class Broken(reference.Value):
        def backward(self):
            raise ValueError("broken")

    def graph_with_broken_backward(p, i1, i2, t1, t2):
        graph = reference.mazur_graph(p, i1, i2, t1, t2)
        graph["E"].__class__ = Broken
        return graph
    explorer = explorers.graph_explorer(graph_with_broken_backward)
    data, grads, _, problems = shown(explorer)
    assert data["E"] == pytest.approx(ref.mazur_error(MAZUR_PARAMS, *DATA)) and grads == {}
    assert any("backward() raised ValueError" in p for p in problems)
    assert math.isfinite(data["out_o1"])


def test_explorer_names_the_unwritten_operation_that_mazur_graph_calls():
    def add(a, b):
        raise NotImplementedError()

    def mazur_graph(p, i1, i2, t1, t2):
        return {"E": add(p["w1"], p["w2"])}
    problems = explorers.graph_explorer(mazur_graph).shown[3]
    assert problems and problems[0].startswith("add() is not written yet (it raises NotImplementedError; "
                                               "mazur_graph() calls it)"), problems


def test_the_reference_order_is_the_lessons_recursive_depth_first_search():
    """So that an order-dependent mistake (= for +=) of a student who searched as the lesson says is named."""
    def recursive(root):
        order, seen = [], set()

        def visit(node):
            if id(node) not in seen:
                seen.add(id(node))
                for parent, _ in node.parents:
                    visit(parent)
                order.append(node)
        visit(root)
        return order
    for leaves, first, second in cases.backward_cases():
        for ops in (first, second):
            root = cases.build(reference.Value, [reference.Value(v) for v in leaves], ops)[-1]
            assert [id(n) for n in reference.topological_order(root)] == [id(n) for n in recursive(root)]


@pytest.mark.parametrize("student", ["assigns_instead_of_adding", "no_reset", "visits_twice", "exp_derivative_missing",
                                     "mul_own_operand"])
def test_each_wrong_samples_mistake_is_named_by_the_hidden_checks_of_its_function(student):
    from course.autograd.samples import WRONG

    (function, source), = WRONG[student]["code"].items()
    namespace = {"math": math, "Value": reference.Value, "as_value": reference.as_value}
    exec(source, namespace)
    failed = [verdicts.judge("autograd", name, outputs(name, namespace[function]))
              for name, check in cases.CHECKS.items() if (check.function or name) == function]
    failed = [v for v in failed if v]
    assert failed and all("This is a classic mistake" in v["explanation"] for v in failed), failed
