"""The explorers, headless: sliders and buttons driven from code, numbers checked against the reference.

Every explorer here runs on the reference functions (course/<lesson>/reference.py), standing in for a correct
student, or on deliberately unfinished ones. The displayed numbers are read back from the
widgets' HTML.
"""
import copy
import html
import math
import re
import time
from pathlib import Path

import ipywidgets as widgets
import nbformat
import numpy as np
import pytest
from conftest import ASSIGNMENTS, notebook_path
from nbgrader.api import Gradebook

from autograder import submissions
from backprop_lab import examples, explorers
from backprop_lab.examples import MAZUR, MAZUR_PARAMS
from course.autograd import reference as autograd_ref
from course.linear_network.reference import linear_error, linear_forward, linear_gradients, linear_update
from course.mazur_network import reference as ref
from course.sigmoid.reference import sigmoid, sigmoid_derivative
from course.sigmoid_neuron.reference import neuron_error, neuron_forward, neuron_gradients, neuron_update
from course.steepest_descent.reference import bowl_error, bowl_gradient, gradient_descent

MAZUR_DATA = (MAZUR["i1"], MAZUR["i2"], MAZUR["t1"], MAZUR["t2"])
LINEAR_DATA = (examples.LINEAR["i1"], examples.LINEAR["i2"], examples.LINEAR["target"])
NEURON_DATA = (examples.NEURON["x1"], examples.NEURON["x2"], examples.NEURON["d"])


def not_written(*args):
    raise NotImplementedError()


# ------------------------------------------------- driving an explorer as the browser does


def move(explorer, name, value):
    """What the browser sends when the student moves a slider or types into the N box."""
    explorer.handle({"event": "set", "name": name, "value": value, "seq": explorer.view.ack + 1})


def press(explorer, action):
    explorer.handle({"event": action})


def shown(explorer):
    """The explorer's HTML as the browser shows it now, its entities decoded."""
    return html.unescape(explorer.html())


def shown_error(explorer):
    """The error the explorer displays, as a float (None if it shows '?')."""
    text = re.search(r'class="bpl-error"[^>]*>E = ([^<]+)<', shown(explorer))[1]
    return None if text == "?" else float(text)


def shown_preview(explorer):
    return float(re.search(r"would give E = ([-\d.]+)", shown(explorer))[1])


def messages(explorer):
    return re.findall(r'class="bpl-problem">⚠ ([^<]*)<', shown(explorer))


def node_title(explorer, node):
    """The tooltip of a box in the diagram: its values to 9 decimals."""
    return re.search(rf'<g data-node="{node}"><title[^>]*>([^<]*)</title>', shown(explorer))[1]


def edge(explorer, param):
    """The attributes of the first diagram line that carries param."""
    line = re.search(rf'<line [^>]*data-param="{param}"[^>]*>', shown(explorer))[0]
    return dict(re.findall(r'([\w-]+)="([^"]*)"', line))


def slider(explorer, name):
    """The attributes of a range input and the text of its readout."""
    drawn = shown(explorer)
    tag = re.search(rf'<input [^>]*data-name="{name}"[^>]*>', drawn)[0]
    attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', tag))
    attrs["readout"] = re.search(rf'<output [^>]*for="{attrs["id"]}"[^>]*>([^<]*)</output>', drawn)[1]
    attrs["label"] = re.search(rf'<label [^>]*for="{attrs["id"]}"[^>]*>([^<]*)</label>', drawn)[1]
    return attrs


def diagram_label(explorer, name):
    """(value line, gradient line) of a parameter's label in the diagram."""
    group = re.search(rf'<g data-label="{name}">(.*?)</g>', shown(explorer))[1]
    texts = re.findall(r"<text [^>]*>([^<]*)</text>", group)
    return texts[0], texts[1]


def table(explorer):
    """{parameter: (value, gradient)} from the table of numbers, as the strings shown."""
    rows = re.findall(r'<tr><th scope="row"><span[^>]*>(\w+)</span></th><td><span[^>]*>([^<]*)</span></td>'
                      r'<td><span[^>]*>([^<]*)</span></td></tr>', shown(explorer))
    return {name: (value, grad) for name, value, grad in rows}


def mazur(**functions):
    """The Mazur explorer on the reference functions, some replaced by the given ones."""
    fns = {"forward": ref.mazur_forward, "error": ref.mazur_error, "gradients": ref.mazur_gradients,
           "update": ref.mazur_update, **functions}
    return explorers.mazur_explorer(fns["forward"], fns["error"], fns["gradients"], fns["update"], eta_max=10.0)


def linear():
    return explorers.linear_explorer(linear_forward, linear_error, linear_gradients, linear_update,
                                     weights=examples.LINEAR_WEIGHTS_004, eta=examples.LINEAR_ETA, eta_max=1.0)


def neuron():
    return explorers.neuron_explorer(neuron_forward, neuron_error, neuron_gradients, neuron_update)


# every network explorer with the reference: its start, data, forward, error, gradients and one step
NETWORKS = {
    "mazur": (mazur, MAZUR_PARAMS, examples.MAZUR_ETA, 10.0, MAZUR_DATA, ref.mazur_forward, ref.mazur_error,
              ref.mazur_gradients, lambda p, data, eta: ref.mazur_update(p, ref.mazur_gradients(p, *data), eta)),
    "linear": (linear, examples.LINEAR_WEIGHTS_004, examples.LINEAR_ETA, 1.0, LINEAR_DATA, linear_forward,
               linear_error, linear_gradients, lambda p, data, eta: linear_update(p, *data, eta)),
    "neuron": (neuron, examples.NEURON_PARAMS, examples.NEURON_ETA, 10.0, NEURON_DATA, neuron_forward,
               neuron_error, neuron_gradients, lambda p, data, eta: neuron_update(p, *data, eta)),
}


def assert_every_number_is_the_references(explorer, network, params, eta, errors):
    """Readouts, diagram, boxes, table, error, preview and curve against the reference at params."""
    _, _, _, _, data, forward, error, gradients, step = NETWORKS[network]
    inputs = data[:2]
    grads, values = gradients(params, *data), forward(params, *inputs)
    for name, value in params.items():
        s = slider(explorer, name)
        assert s["readout"] == s["aria-valuetext"] == f"{value:.4f}", name
        assert float(s["min"]) <= value <= float(s["max"]), (name, s)
        assert float(s["value"]) == pytest.approx(value, abs=1e-12), name
        assert diagram_label(explorer, name) == (f"{name} = {value:.4f}", f"∂E/∂{name} = {grads[name]:+.3g}"), name
        assert table(explorer)[name] == (f"{value:.9f}", f"{grads[name]:.9f}"), name
    assert slider(explorer, "eta")["readout"] == slider(explorer, "eta")["aria-valuetext"]
    assert float(slider(explorer, "eta")["value"]) == pytest.approx(eta)
    for node in explorer.model.net.nodes:
        for _, key in node.rows:
            if key in values:
                assert f"{key} = {values[key]:.9f}" in node_title(explorer, node.name), (node.name, key)
    assert shown_error(explorer) == pytest.approx(error(params, *data), abs=5e-10)
    assert shown_preview(explorer) == pytest.approx(error(step(params, data, eta), *data), abs=5e-10)
    assert f"steps taken: {len(errors) - 1}" in shown(explorer)
    assert explorer.history == pytest.approx(errors, rel=1e-12, abs=1e-15)


def reference_train(network, params, eta, steps):
    _, _, _, _, data, _, error, _, step = NETWORKS[network]
    errors = [error(params, *data)]
    for _ in range(steps):
        params = step(params, data, eta)
        errors.append(error(params, *data))
    return params, errors


# ------------------------------------------------------------------ every network explorer


@pytest.mark.parametrize("network", NETWORKS)
def test_long_training_at_the_largest_eta_and_reset_show_the_references_numbers(network):
    """Train N = 1000, then η at its maximum and 2000 more, then Reset: every shown number is the reference's."""
    build, start, eta, eta_max, *_ = NETWORKS[network]
    explorer = build()
    assert_every_number_is_the_references(explorer, network, start, eta, reference_train(network, start, eta, 0)[1])
    move(explorer, "N", 1000)
    press(explorer, "train")
    p, errors = reference_train(network, start, eta, 1000)
    assert explorer.params == pytest.approx(p, rel=1e-12)
    assert_every_number_is_the_references(explorer, network, explorer.params, eta, errors)
    move(explorer, "eta", eta_max)
    move(explorer, "N", 2000)
    press(explorer, "train")
    p2, more = reference_train(network, p, eta_max, 2000)
    if "not finite" not in " ".join(messages(explorer)):
        assert explorer.params == pytest.approx(p2, rel=1e-9)
        assert_every_number_is_the_references(explorer, network, explorer.params, eta_max, errors + more[1:])
    press(explorer, "reset")
    assert explorer.params == start and explorer.eta == eta
    assert_every_number_is_the_references(explorer, network, start, eta, [errors[0]])
    for name, value in start.items():  # the ranges are the start's again
        assert float(slider(explorer, name)["max"]) <= max(2.0, math.ceil(abs(value)) + 1.0)


def test_the_issues_case_reset_then_1000_steps_carries_w5_beyond_its_sliders_start_range():
    explorer = mazur()
    move(explorer, "w3", 0.9)
    press(explorer, "reset")
    move(explorer, "N", 1000)
    press(explorer, "train")
    p, errors = ref.mazur_train(MAZUR_PARAMS, *MAZUR_DATA, eta=0.5, steps=1000)
    assert p["w5"] == pytest.approx(-3.0641, abs=5e-5) and errors[-1] == pytest.approx(0.001114349, abs=5e-10)
    assert explorer.params == pytest.approx(p, rel=1e-12)
    w5 = slider(explorer, "w5")
    assert w5["readout"] == "-3.0641" and float(w5["min"]) <= p["w5"] and float(w5["value"]) == pytest.approx(p["w5"])
    assert diagram_label(explorer, "w3")[0] == f"w3 = {p['w3']:.4f}" == f"w3 = {slider(explorer, 'w3')['readout']}"
    assert shown_error(explorer) == pytest.approx(0.001114349, abs=5e-10)
    assert "steps taken: 1000" in shown(explorer)


def test_a_slider_move_changes_exactly_the_numbers_downstream_and_starts_a_new_curve():
    explorer = mazur()
    press(explorer, "step")
    move(explorer, "w5", 0.41)
    moved = {**ref.mazur_update(MAZUR_PARAMS, ref.mazur_gradients(MAZUR_PARAMS, *MAZUR_DATA), 0.5), "w5": 0.41}
    assert explorer.params == moved
    assert_every_number_is_the_references(explorer, "mazur", moved, 0.5, [ref.mazur_error(moved, *MAZUR_DATA)])


def test_a_redraw_sends_only_what_changed():
    """Moving η changes the preview and the η readout, never the diagram: the browser's HTML stays, few elements change."""
    explorer = mazur()
    skeleton, before = explorer.view.html, [list(e) for e in explorer.view.state]
    move(explorer, "eta", 1.0)
    assert explorer.view.html == skeleton
    changed = [k for k, (old, new) in enumerate(zip(before, explorer.view.state)) if old != list(new)]
    assert 1 <= len(changed) <= 4, changed
    assert "one step with η = 1.00 would give" in shown(explorer)
    move(explorer, "w1", 0.5)
    assert explorer.view.html == skeleton  # the same structure: attributes and text only


def test_values_from_the_browser_are_kept_in_range_and_nonsense_is_ignored():
    explorer = mazur()
    move(explorer, "eta", 99.0)
    assert explorer.eta == 10.0
    move(explorer, "N", 10 ** 9)
    assert explorer.n_steps == explorers.MAX_STEPS
    move(explorer, "w1", float("nan"))
    move(explorer, "no such slider", 1.0)
    explorer.handle({"event": "set", "name": "w2", "value": "not a number"})
    assert explorer.params == MAZUR_PARAMS
    assert explorer.view.ack == 4  # every numbered move is answered, so the browser's slider is free again


def test_learning_rate_slider_drives_the_step_and_the_preview():
    explorer = mazur()
    move(explorer, "eta", 2.0)
    after = ref.mazur_update(MAZUR_PARAMS, ref.mazur_gradients(MAZUR_PARAMS, *MAZUR_DATA), 2.0)
    assert shown_preview(explorer) == pytest.approx(ref.mazur_error(after, *MAZUR_DATA), abs=5e-10)
    press(explorer, "step")
    assert explorer.params == pytest.approx(after, abs=1e-15)


def test_the_empty_curve_shows_one_value_and_a_hint():
    explorer = mazur()
    curve = re.search(r"error E, log scale.*?</svg>", shown(explorer))[0]
    labels = [t for t in re.findall(r"<text [^>]*>([^<]*)</text>", curve) if t]
    assert labels == ["steps taken: 0", "Step or Train draws the error here", "0.298"]


def test_a_slider_move_is_fast():
    explorer = mazur()
    times = []
    for value in np.linspace(-1, 1, 50):
        start = time.perf_counter()
        move(explorer, "w3", float(value))
        times.append(time.perf_counter() - start)
    assert np.median(times) < 0.03, f"median {np.median(times) * 1e3:.1f} ms (benchmarks/explorer_latency.py)"


# --------------------------------------------------------- functions not written yet


def test_an_explorer_cell_run_before_the_functions_names_them_and_picks_them_up_later():
    """The lesson's explorer cell names its functions; run before their cells, it says which are missing."""
    namespace = {"explorers": explorers}
    exec("explorer = explorers.mazur_explorer('forward', 'total_error', 'gradients', 'update')", namespace)
    explorer = namespace["explorer"]
    text = " ".join(messages(explorer))
    for name in ("forward", "total_error", "gradients"):
        assert f"{name}() is not defined yet: run the cell where you write it" in text, name
    assert shown_error(explorer) is None and "w5 = 0.4000" in shown(explorer)
    namespace.update(forward=ref.mazur_forward, total_error=ref.mazur_error, gradients=ref.mazur_gradients,
                     update=ref.mazur_update)
    move(explorer, "w5", 0.41)
    assert messages(explorer) == []
    assert shown_error(explorer) == pytest.approx(ref.mazur_error({**MAZUR_PARAMS, "w5": 0.41}, *MAZUR_DATA), abs=5e-10)


@pytest.mark.parametrize("assignment", [a for a in ASSIGNMENTS if a != "07_capstone"])
def test_every_lessons_explorer_cell_alone_in_a_fresh_kernel_says_what_is_missing(assignment):
    """The explorer cell of the student's notebook, run after the setup cell only: no NameError."""
    nb = nbformat.read(notebook_path(assignment, folder=Path(__file__).parent.parent / "lessons"), as_version=4)
    cells = {c.id: c.source for c in nb.cells if c.cell_type == "code"}
    explorer_cells = [source for cid, source in cells.items() if cid.endswith("-explorer")]
    if not explorer_cells:
        pytest.skip(f"{assignment} has no explorer")
    setup = next(source for source in cells.values() if "from backprop_lab.explorers import" in source)
    namespace = {}
    exec(setup, namespace)
    for source in explorer_cells:
        explorer = eval(source, namespace)
        text = " ".join(messages(explorer))
        assert "is not defined yet" in text or "which is not defined yet" in text, text


def test_unwritten_forward_is_named_and_the_weights_still_show():
    def forward(p, i1, i2):
        raise NotImplementedError()

    explorer = mazur(forward=forward)
    assert any(m.startswith("forward() is not written yet") for m in messages(explorer))
    assert "w5 = 0.4000" in shown(explorer) and "net ?" in shown(explorer)
    assert shown_error(explorer) == pytest.approx(0.298371109, abs=5e-10)  # the error function still runs


def test_everything_unwritten_still_shows_the_weights_and_the_buttons_do_nothing_harmful():
    explorer = explorers.mazur_explorer(not_written, not_written, not_written, not_written)
    text = " ".join(messages(explorer))
    assert text.count("is not written yet") == 3, text  # forward, error, gradients (update needs gradients)
    assert shown_error(explorer) is None
    for name, value in MAZUR_PARAMS.items():
        assert f"{name} = {value:.4f}" in shown(explorer)
    press(explorer, "step")
    press(explorer, "train")
    assert explorer.params == MAZUR_PARAMS
    move(explorer, "w1", 0.5)
    assert "w1 = 0.5000" in shown(explorer)


def test_unwritten_update_is_named_and_step_leaves_the_weights():
    explorer = mazur(update=not_written)
    text = " ".join(messages(explorer))
    assert "not_written() is not written yet" in text and "Step and Train cannot move the weights" in text
    press(explorer, "step")
    assert explorer.params == MAZUR_PARAMS
    assert "dE/dw5 = 0.082167041" in shown(explorer)  # gradients still show


def test_a_failing_or_wrong_function_is_reported_in_place():
    def gradients(p, i1, i2, t1, t2):
        return {"w1": p["w1"] / 0.0}

    def forward(p, i1, i2):
        return None

    text = " ".join(messages(mazur(gradients=gradients, forward=forward)))
    assert "gradients() raised ZeroDivisionError" in text and "forward() returned None" in text


def test_a_diverging_update_stops_training_with_a_message():
    def update(p, grads, eta):
        return {k: v * 1e200 for k, v in p.items()}

    explorer = mazur(update=update)
    move(explorer, "N", 10)
    press(explorer, "train")
    assert "not finite" in " ".join(messages(explorer))
    assert all(np.isfinite(list(explorer.params.values())))


# ------------------------------------------------------------------ labels and colour


def test_every_slider_is_labelled_with_its_weight_and_its_value_text_is_rounded():
    explorer = mazur()
    assert [slider(explorer, name)["label"] for name in list(MAZUR_PARAMS) + ["eta"]] == list(MAZUR_PARAMS) + ["η"]
    assert [slider(neuron(), name)["label"] for name in ("w1", "w2", "b", "eta")] == ["w1", "w2", "b", "η"]
    move(explorer, "eta", 0.15 + 1e-16)  # a float with noise in its last digit
    assert slider(explorer, "eta")["aria-valuetext"] == "0.15"
    buttons = re.findall(r'<button type="button" data-action="(\w+)"[^>]*>([^<]*)</button>', shown(explorer))
    assert buttons == [("step", "Step"), ("train", "Train N steps"), ("reset", "Reset")]


def test_sign_is_shown_by_dash_as_well_as_colour_and_size_by_thickness():
    explorer = mazur()
    move(explorer, "w6", -0.8)
    negative, positive, small = edge(explorer, "w6"), edge(explorer, "w5"), edge(explorer, "w1")
    assert "stroke-dasharray" in negative and "stroke-dasharray" not in positive
    assert negative["stroke"] != positive["stroke"]
    assert negative["data-sign"] == "-" and positive["data-sign"] == "+"
    assert float(negative["stroke-width"]) > float(positive["stroke-width"]) > float(small["stroke-width"])
    assert "positive (solid, blue)" in shown(explorer) and "negative (dashed, orange)" in shown(explorer)


def test_gradient_bars_show_sign_by_dash():
    explorer = mazur()
    bars = re.findall(r'<g data-label="(\w+)">.*?(<line [^>]*>)</line></g>', shown(explorer))
    g = ref.mazur_gradients(MAZUR_PARAMS, *MAZUR_DATA)
    assert {name for name, _ in bars} == set(g)
    for name, line in bars:
        assert ("stroke-dasharray" in line) == (g[name] < 0), name


# ------------------------------------------------------------------ the other explorers


def test_sigmoid_explorer_moves_the_point_and_its_tangent():
    explorer = explorers.sigmoid_explorer(sigmoid, sigmoid_derivative)
    move(explorer, "x", -2.0)
    assert f"σ(x) = {sigmoid(-2.0):.9f}" in shown(explorer)
    assert f"σ'(x) = {sigmoid_derivative(-2.0):.9f}" in shown(explorer)
    assert shown(explorer).count("<polyline") == 3 and 'visibility="hidden"' not in shown(explorer)


def test_sigmoid_explorer_without_a_derivative_draws_the_sigmoid_only():
    def sigmoid_derivative(x):
        raise NotImplementedError()

    explorer = explorers.sigmoid_explorer(sigmoid, sigmoid_derivative)
    assert any(m.startswith("sigmoid_derivative() is not written yet") for m in messages(explorer))
    assert len(re.findall(r'<polyline (?![^>]*visibility="hidden")', shown(explorer))) == 1
    move(explorer, "x", 0.0)
    assert "σ(x) = 0.500000000" in shown(explorer)


def descent(eta, descend=gradient_descent):
    return explorers.descent_explorer(lambda w: bowl_error(w, 1.0, 10.0), lambda w: bowl_gradient(w, 1.0, 10.0),
                                      descend, start=(-8.0, 3.0), eta=eta, steps=20)


def test_descent_explorer_draws_the_students_path_and_flags_divergence():
    explorer = descent(0.1)
    assert "converges" in shown(explorer)
    path = gradient_descent(lambda w: bowl_gradient(w, 1.0, 10.0), np.array([-8.0, 3.0]), 0.1, 20)
    assert f"{bowl_error(path[-1], 1.0, 10.0):.6g} after 20 steps" in shown(explorer)
    move(explorer, "eta", 0.25)  # beyond 2 / 10: the steep direction overshoots
    assert "diverges" in shown(explorer)
    move(explorer, "steps", 100)
    assert "diverges" in shown(explorer) and "after 100 steps" in shown(explorer)
    move(explorer, "eta", 5.0)  # beyond the slider: kept at its maximum
    assert slider(explorer, "eta")["readout"] == "1.000"


def test_descent_explorer_without_gradient_descent_still_draws_the_contours():
    explorer = descent(0.1, descend=not_written)
    assert any("is not written yet" in m for m in messages(explorer))
    assert shown(explorer).count("<polyline") > 5


# ------------------------------------------------------------ cheap to build, safe to grade


def counting(fn, counts, name):
    def wrapper(*args):
        counts[name] = counts.get(name, 0) + 1
        return fn(*args)
    wrapper.__name__ = name
    return wrapper


def test_building_an_explorer_is_cheap():
    """Grading runs every explorer cell: building one calls each function at most twice and takes milliseconds."""
    counts = {}
    fns = [counting(f, counts, n) for f, n in ((ref.mazur_forward, "forward"), (ref.mazur_error, "error"),
                                              (ref.mazur_gradients, "gradients"), (ref.mazur_update, "update"))]
    start = time.perf_counter()
    explorers.mazur_explorer(*fns)
    assert time.perf_counter() - start < 0.5
    assert counts == {"forward": 1, "error": 2, "gradients": 1, "update": 1}
    start = time.perf_counter()
    descent(0.1)
    explorers.sigmoid_explorer(sigmoid, sigmoid_derivative)
    assert time.perf_counter() - start < 0.5


BUILDERS = {
    "mazur": mazur, "linear": linear, "neuron": neuron,
    "sigmoid": lambda: explorers.sigmoid_explorer(sigmoid, sigmoid_derivative),
    "descent": lambda: descent(0.19),
    "graph": lambda: explorers.graph_explorer(autograd_ref.mazur_graph),  # lesson 8 (its own tests: test_lesson_08)
}


def all_widgets(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from all_widgets(child)


@pytest.mark.parametrize("name", BUILDERS)
def test_explorers_use_no_output_widget_and_display_a_short_text_fallback(name):
    """Output widgets (and interact, which uses them) are what hangs notebook execution; none here."""
    explorer = BUILDERS[name]()
    assert not any(isinstance(w, widgets.Output) for w in all_widgets(explorer.widget))
    bundle, _ = explorer._repr_mimebundle_()  # anywidget's (data, metadata)
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert len(bundle["text/plain"]) < 120 and "explorer" in bundle["text/plain"]


def test_the_explorers_module_holds_no_reference_code():
    source = Path(explorers.__file__).read_text()
    assert "autograder" not in source and "reference" not in source


# ------------------------------------------------------- grading is not slowed by explorers

EXPLORER_IMPORT = re.compile(r"^from backprop_lab\.explorers import [^\n]*\n?", re.MULTILINE)


def is_explorer_cell(cell):
    """Explorer cells follow one convention: ids <prefix>-explorer and <prefix>-explorer-md."""
    return cell.id.endswith(("-explorer", "-explorer-md"))


def without_explorers(nb):
    """The same notebook with its explorer cells, and the import they need, taken out."""
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if not is_explorer_cell(c)]
    for cell in nb.cells:
        cell.source = EXPLORER_IMPORT.sub("", cell.source)
    return nb


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_explorer_cells_follow_the_convention(assignment):
    """Every explorer is built in a locked cell <prefix>-explorer after its introduction, from the setup's import."""
    nb = nbformat.read(notebook_path(assignment), as_version=4)
    calls = [c for c in nb.cells if c.cell_type == "code" and re.search(r"\b\w+_explorer\(", c.source)]
    for cell in calls:
        assert is_explorer_cell(cell), f"{cell.id} builds an explorer but is not named <prefix>-explorer"
        assert cell.metadata.nbgrader.locked and not cell.metadata.nbgrader.grade, cell.id
        before = nb.cells[nb.cells.index(cell) - 1]
        assert before.cell_type == "markdown" and before.id == f"{cell.id}-md", f"{cell.id} needs an introduction"
    assert bool(calls) == any(EXPLORER_IMPORT.search(c.source) for c in nb.cells)
    assert not any(EXPLORER_IMPORT.search(c.source) for c in without_explorers(nb).cells)


def autograde_seconds(course, assignment):
    start = time.perf_counter()
    course.nbgrader("autograde", assignment, "--create", "--force", "--log-level=WARN")
    return time.perf_counter() - start


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ["06_mazur_network"])
def test_autograding_takes_no_longer_with_the_explorers(assignment, course):
    """The real nbgrader CLI grades the correct submission with and without the explorer cells, alternately."""
    c = course([assignment])
    plain = f"{assignment}_without_explorers"
    notebook = nbformat.read(notebook_path(assignment), as_version=4)
    assert any(is_explorer_cell(cell) for cell in notebook.cells), f"{assignment} has no explorer"
    (c.root / "source" / plain).mkdir()
    nbformat.write(without_explorers(notebook), str(c.root / "source" / plain / notebook_path(assignment).name))
    solution = submissions.solution_code(notebook_path(assignment))
    for name in (assignment, plain):
        c.nbgrader("generate_assignment", name, "--force")
        c.submit("correct", name, submissions.submission(c.release_path(name), solution))
    times = {assignment: [], plain: []}
    for _ in range(2):
        for name in times:
            times[name].append(autograde_seconds(c, name))
    with Gradebook(f"sqlite:///{c.root}/gradebook.db") as gb:
        for name in times:
            submission = gb.find_submission(name, "correct")
            assert submission.score == submission.max_score > 0, name
    graded = nbformat.read(c.root / "autograded" / "correct" / assignment / notebook_path(assignment).name, as_version=4)
    shown = [o for cell in graded.cells if is_explorer_cell(cell) for o in cell.get("outputs", [])]
    # built without an error; its widget view itself is dropped from the graded notebook (autograder/inert.py)
    assert any(o.output_type in ("display_data", "execute_result") for o in shown) and \
        not any(o.output_type == "error" for o in shown), \
        "explorer not built"
    with_explorers, without = min(times[assignment]), min(times[plain])
    print(f"autograde {assignment}: {with_explorers:.2f} s with explorers, {without:.2f} s without")
    assert with_explorers <= 1.15 * without + 1.0, times  # allowing for noise


def test_descent_explorer_survives_a_path_that_overflows():
    def gradient_descent(gradient, w0, eta, steps):
        return np.array([w0, [1e200, 1e200], [np.inf, np.inf]])

    explorer = descent(0.1, descend=gradient_descent)
    assert "diverges" in shown(explorer) and "nan" not in shown(explorer)


def test_the_visible_test_of_an_unwritten_function_says_so_in_plain_words_before_the_traceback(capsys):
    """Lesson 6 as released: the setup cell, the unwritten forward() and its visible test cell."""
    nb = nbformat.read(notebook_path("06_mazur_network", folder=Path(__file__).parent.parent / "lessons"), as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    test = next(s for s in code if 'visible("forward")' in s)
    assert any(s.lstrip().startswith("def forward(") and "raise NotImplementedError()" in s for s in code)
    namespace = {}
    for source in code[:code.index(test)]:  # the cells above, as Run All runs them (some fail: not written)
        try:
            exec(source, namespace)
        except Exception:
            pass
    capsys.readouterr()
    with pytest.raises(NotImplementedError):
        exec(test, namespace)
    said = capsys.readouterr().out
    assert "forward() is not written yet" in said and "YOUR CODE HERE" in said and "defines forward(...)" in said
