"""The explorers, headless: sliders and buttons driven from code, numbers checked against the reference.

Every explorer here runs on autograder.reference's functions, standing in for a correct
student, or on deliberately unfinished ones. The displayed numbers are read back from the
widgets' HTML.
"""
import copy
import re
import time
from pathlib import Path

import ipywidgets as widgets
import nbformat
import numpy as np
import pytest
from nbgrader.api import Gradebook

from autograder import reference as ref
from backprop_lab import examples, explorers
from backprop_lab.examples import MAZUR, MAZUR_PARAMS
from conftest import ASSIGNMENTS, notebook_path
from test_nbgrader_pipeline import correct_code, make_submission

MAZUR_DATA = (MAZUR["i1"], MAZUR["i2"], MAZUR["t1"], MAZUR["t2"])
LINEAR_DATA = (examples.LINEAR["i1"], examples.LINEAR["i2"], examples.LINEAR["target"])
NEURON_DATA = (examples.NEURON["x1"], examples.NEURON["x2"], examples.NEURON["d"])


def not_written(*args):
    raise NotImplementedError()


def shown_error(explorer):
    """The error the explorer displays, as a float (None if it shows '?')."""
    text = re.search(r"<b>E = ([^<]+)</b>", explorer.numbers.value)[1]
    return None if text == "?" else float(text)


def shown_preview(explorer):
    return float(re.search(r"would give E = ([-\d.]+)", explorer.numbers.value)[1])


def node_title(explorer, node):
    """The tooltip of a box in the diagram: its values to 9 decimals."""
    return re.search(rf'<g data-node="{node}"><title>([^<]*)</title>', explorer.diagram.value)[1]


def edge(explorer, param):
    """The attributes of the first diagram line that carries param."""
    line = re.search(rf'<line [^>]*data-param="{param}"[^>]*/>', explorer.diagram.value)[0]
    return dict(re.findall(r'([\w-]+)="([^"]*)"', line))


def mazur(**functions):
    """The Mazur explorer on the reference functions, some replaced by the given ones."""
    fns = {"forward": ref.mazur_forward, "error": ref.mazur_error, "gradients": ref.mazur_gradients,
           "update": ref.mazur_update, **functions}
    return explorers.mazur_explorer(fns["forward"], fns["error"], fns["gradients"], fns["update"])


# ------------------------------------------------------------------ the Mazur explorer


def test_mazur_explorer_shows_the_worked_example():
    explorer = mazur()
    assert shown_error(explorer) == pytest.approx(0.298371109, abs=5e-10)
    f, g = ref.mazur_forward(MAZUR_PARAMS, *MAZUR_DATA[:2]), ref.mazur_gradients(MAZUR_PARAMS, *MAZUR_DATA)
    for node in ("h1", "h2", "o1", "o2"):
        assert node_title(explorer, node).startswith(
            f"{node}: net_{node} = {f['net_' + node]:.9f}; out_{node} = {f['out_' + node]:.9f}"), node
    for name in explorer.model.net.params:
        assert f"dE/d{name} = {g[name]:.9f}" in explorer.diagram.value, name
        assert f"{name} = {MAZUR_PARAMS[name]:.4f}" in explorer.diagram.value, name


def test_moving_the_sliders_to_the_updated_weights_shows_the_error_after_one_update():
    explorer = mazur()
    updated = ref.mazur_update(MAZUR_PARAMS, ref.mazur_gradients(MAZUR_PARAMS, *MAZUR_DATA), 0.5)
    assert updated["w5"] == pytest.approx(0.35891648, abs=5e-9)
    for name, value in updated.items():
        explorer.sliders[name].value = value
    assert explorer.params == updated
    # Mazur prints 0.291027924; gradient descent gives 0.291027774 (tests/test_reference.py)
    assert f"E = {0.291027774:.9f}" in explorer.numbers.value
    assert shown_error(explorer) == pytest.approx(ref.mazur_error(updated, *MAZUR_DATA), abs=5e-10)


def test_one_slider_changes_exactly_the_numbers_downstream():
    explorer = mazur()
    explorer.sliders["w5"].value = 0.41
    moved = {**MAZUR_PARAMS, "w5": 0.41}
    assert shown_error(explorer) == pytest.approx(ref.mazur_error(moved, *MAZUR_DATA), abs=5e-10)
    f = ref.mazur_forward(moved, *MAZUR_DATA[:2])
    assert f"out_o1 = {f['out_o1']:.9f}" in node_title(explorer, "o1")
    assert f"out_h1 = {f['out_h1']:.9f}" in node_title(explorer, "h1")
    assert "w5 = 0.4100" in explorer.diagram.value


def test_step_train_and_reset_follow_the_reference():
    explorer = mazur()
    explorer.step_button.click()
    p, errors = ref.mazur_train(MAZUR_PARAMS, *MAZUR_DATA, eta=0.5, steps=1)
    assert explorer.params == pytest.approx(p, abs=1e-15)
    assert shown_error(explorer) == pytest.approx(0.291027774, abs=5e-10)
    assert explorer.sliders["w5"].value == pytest.approx(0.35891648, abs=5e-9)
    explorer.train_steps.value = 99
    explorer.train_button.click()
    p, errors = ref.mazur_train(MAZUR_PARAMS, *MAZUR_DATA, eta=0.5, steps=100)
    assert explorer.history == pytest.approx(errors, abs=1e-15)
    assert shown_error(explorer) == pytest.approx(errors[-1], abs=5e-10)
    assert "steps taken: 100" in explorer.curve.value
    explorer.reset_button.click()
    assert explorer.params == MAZUR_PARAMS and explorer.history == pytest.approx([errors[0]])
    assert all(explorer.sliders[name].value == value for name, value in MAZUR_PARAMS.items())


def test_learning_rate_slider_drives_the_step_and_the_preview():
    explorer = mazur()
    explorer.sliders["eta"].value = 2.0
    grads = ref.mazur_gradients(MAZUR_PARAMS, *MAZUR_DATA)
    after = ref.mazur_update(MAZUR_PARAMS, grads, 2.0)
    assert shown_preview(explorer) == pytest.approx(ref.mazur_error(after, *MAZUR_DATA), abs=5e-10)
    explorer.step_button.click()
    assert explorer.params == pytest.approx(after, abs=1e-15)


def test_training_to_large_weights_widens_the_sliders_instead_of_clipping():
    explorer = mazur()
    explorer.sliders["eta"].value = 10.0
    explorer.train_steps.value = 2000
    explorer.train_button.click()
    for name, value in explorer.params.items():
        slider = explorer.sliders[name]
        assert slider.min <= value <= slider.max and slider.value == value, name


def test_the_browsers_snapped_echo_of_a_step_is_not_taken_for_a_move():
    """After Step the browser's slider snaps w5 = 0.35891648 to its grid (0.36) and sends that back."""
    explorer = mazur()
    explorer.step_button.click()
    stepped = dict(explorer.params)
    explorer.sliders["w5"].value = 0.36
    assert explorer.params == stepped and shown_error(explorer) == pytest.approx(0.291027774, abs=5e-10)
    explorer.sliders["w5"].value = 0.37  # a real move, one step of the grid further
    assert explorer.params == {**stepped, "w5": 0.37}


BUILDERS = {
    "mazur": lambda: mazur(),
    "linear": lambda: explorers.linear_explorer(ref.linear_forward, ref.linear_error, ref.linear_gradients,
                                                ref.linear_update, weights=examples.LINEAR_WEIGHTS_004),
    "neuron": lambda: explorers.neuron_explorer(ref.neuron_forward, ref.neuron_error, ref.neuron_gradients,
                                                ref.neuron_update),
    "sigmoid": lambda: explorers.sigmoid_explorer(ref.sigmoid, ref.sigmoid_derivative),
    "descent": lambda: descent(0.19),
}


@pytest.mark.parametrize("name", BUILDERS)
def test_every_slider_starts_on_its_grid(name):
    """The browser snaps a slider to its grid of steps: a start value off the grid would move by itself."""
    for label, slider in BUILDERS[name]().sliders.items():
        steps = (slider.value - slider.min) / slider.step
        assert abs(steps - round(steps)) < 1e-6, f"{label} = {slider.value} is not on its grid"


def test_moving_eta_redraws_only_the_numbers():
    explorer = mazur()
    diagram, curve = explorer.diagram.value, explorer.curve.value
    explorer.sliders["eta"].value = 1.0
    assert explorer.diagram.value == diagram and explorer.curve.value == curve
    assert "η = 1 would give" in explorer.numbers.value


def test_a_slider_move_is_fast():
    explorer = mazur()
    times = []
    for value in np.linspace(-1, 1, 50):
        start = time.perf_counter()
        explorer.sliders["w3"].value = float(value)
        times.append(time.perf_counter() - start)
    assert np.median(times) < 0.03, f"median {np.median(times) * 1e3:.1f} ms (benchmarks/explorer_latency.py)"


# --------------------------------------------------------- functions not written yet


def test_unwritten_forward_is_named_and_the_weights_still_show():
    def forward(p, i1, i2):
        raise NotImplementedError()

    explorer = mazur(forward=forward)
    assert "<code>forward</code> is not written yet" in explorer.numbers.value
    assert "w5 = 0.4000" in explorer.diagram.value and "net ?" in explorer.diagram.value
    assert shown_error(explorer) == pytest.approx(0.298371109, abs=5e-10)  # the error function still runs


def test_everything_unwritten_still_shows_the_weights_and_the_buttons_do_nothing_harmful():
    explorer = explorers.mazur_explorer(not_written, not_written, not_written, not_written)
    text = explorer.numbers.value
    assert text.count("is not written yet") == 3, text  # forward, error, gradients (update needs gradients)
    assert shown_error(explorer) is None
    for name, value in MAZUR_PARAMS.items():
        assert f"{name} = {value:.4f}" in explorer.diagram.value
    explorer.step_button.click()
    explorer.train_button.click()
    assert explorer.params == MAZUR_PARAMS
    explorer.sliders["w1"].value = 0.5
    assert "w1 = 0.5000" in explorer.diagram.value


def test_unwritten_update_is_named_and_step_leaves_the_weights():
    explorer = mazur(update=not_written)
    assert "<code>not_written</code> is not written yet" in explorer.numbers.value
    assert "Step and Train cannot move the weights" in explorer.numbers.value
    explorer.step_button.click()
    assert explorer.params == MAZUR_PARAMS
    assert "dE/dw5 = 0.082167041" in explorer.diagram.value  # gradients still show


def test_a_failing_or_wrong_function_is_reported_in_place():
    def gradients(p, i1, i2, t1, t2):
        return {"w1": p["w1"] / 0.0}

    def forward(p, i1, i2):
        return None

    explorer = mazur(gradients=gradients, forward=forward)
    assert "<code>gradients</code> raised ZeroDivisionError" in explorer.numbers.value
    assert "<code>forward</code> returned None" in explorer.numbers.value


def test_a_diverging_update_stops_training_with_a_message():
    def update(p, grads, eta):
        return {k: v * 1e200 for k, v in p.items()}

    explorer = mazur(update=update)
    explorer.train_steps.value = 10
    explorer.train_button.click()
    assert "not finite" in explorer.numbers.value
    assert all(np.isfinite(list(explorer.params.values())))


# ------------------------------------------------------------------ labels and colour


def test_every_slider_is_labelled_with_its_weight():
    explorer = mazur()
    assert list(explorer.sliders) == list(MAZUR_PARAMS) + ["eta"]
    for name, slider in explorer.sliders.items():
        assert slider.description == ("η" if name == "eta" else name)
    neuron = explorers.neuron_explorer(ref.neuron_forward, ref.neuron_error, ref.neuron_gradients, ref.neuron_update)
    assert [s.description for s in neuron.sliders.values()] == ["w1", "w2", "b", "η"]
    assert [b.description for b in (explorer.step_button, explorer.train_button, explorer.reset_button)] == [
        "Step", "Train N steps", "Reset"]


def test_sign_is_shown_by_dash_as_well_as_colour_and_size_by_thickness():
    explorer = mazur()
    explorer.sliders["w6"].value = -0.8
    negative, positive, small = edge(explorer, "w6"), edge(explorer, "w5"), edge(explorer, "w1")
    assert "stroke-dasharray" in negative and "stroke-dasharray" not in positive
    assert negative["stroke"] != positive["stroke"]
    assert negative["data-sign"] == "-" and positive["data-sign"] == "+"
    assert float(negative["stroke-width"]) > float(positive["stroke-width"]) > float(small["stroke-width"])
    assert "positive (solid, blue)" in explorer.diagram.value and "negative (dashed, orange)" in explorer.diagram.value
    assert 'role="img"' in explorer.diagram.value and "<title>" in explorer.diagram.value


def test_gradient_bars_show_sign_by_dash():
    explorer = mazur()
    bars = re.findall(r'<g data-label="(\w+)">.*?(<line [^>]*/>)</g>', explorer.diagram.value)
    g = ref.mazur_gradients(MAZUR_PARAMS, *MAZUR_DATA)
    assert {name for name, _ in bars} == set(g)
    for name, line in bars:
        assert ("stroke-dasharray" in line) == (g[name] < 0), name


# ------------------------------------------------------------------ the other explorers


def test_linear_explorer_follows_the_reference():
    explorer = explorers.linear_explorer(ref.linear_forward, ref.linear_error, ref.linear_gradients, ref.linear_update)
    w = examples.LINEAR_WEIGHTS_000
    assert shown_error(explorer) == pytest.approx(ref.linear_error(w, *LINEAR_DATA), abs=5e-10)
    explorer.step_button.click()
    new = ref.linear_update(w, *LINEAR_DATA, examples.LINEAR_ETA)
    assert explorer.params == pytest.approx(new, abs=1e-15)
    assert shown_error(explorer) == pytest.approx(ref.linear_error(new, *LINEAR_DATA), abs=5e-10)
    assert node_title(explorer, "out").startswith(f"out: out = {ref.linear_forward(new, *LINEAR_DATA[:2])['out']:.9f}")


def test_neuron_explorer_follows_the_reference():
    explorer = explorers.neuron_explorer(ref.neuron_forward, ref.neuron_error, ref.neuron_gradients, ref.neuron_update)
    p = {**examples.NEURON_PARAMS, "w2": -0.7}
    explorer.sliders["w2"].value = -0.7
    assert shown_error(explorer) == pytest.approx(ref.neuron_error(p, *NEURON_DATA), abs=5e-10)
    explorer.sliders["eta"].value = 0.5
    explorer.step_button.click()
    assert explorer.params == pytest.approx(ref.neuron_update(p, *NEURON_DATA, 0.5), abs=1e-15)


def test_sigmoid_explorer_moves_the_point_and_its_tangent():
    explorer = explorers.sigmoid_explorer(ref.sigmoid, ref.sigmoid_derivative)
    explorer.sliders["x"].value = -2.0
    assert f"σ(x) = {ref.sigmoid(-2.0):.9f}" in explorer.numbers.value
    assert f"σ'(x) = {ref.sigmoid_derivative(-2.0):.9f}" in explorer.numbers.value
    assert explorer.plot.value.count("<polyline") == 3  # σ, σ' and the tangent


def test_sigmoid_explorer_without_a_derivative_draws_the_sigmoid_only():
    def sigmoid_derivative(x):
        raise NotImplementedError()

    explorer = explorers.sigmoid_explorer(ref.sigmoid, sigmoid_derivative)
    assert "<code>sigmoid_derivative</code> is not written yet" in explorer.numbers.value
    assert explorer.plot.value.count("<polyline") == 1
    explorer.sliders["x"].value = 0.0
    assert "σ(x) = 0.500000000" in explorer.numbers.value


def descent(eta, descend=ref.gradient_descent):
    return explorers.descent_explorer(lambda w: ref.bowl_error(w, 1.0, 10.0), lambda w: ref.bowl_gradient(w, 1.0, 10.0),
                                      descend, start=(-8.0, 3.0), eta=eta, steps=20)


def test_descent_explorer_draws_the_students_path_and_flags_divergence():
    explorer = descent(0.1)
    assert "converges" in explorer.numbers.value
    path = ref.gradient_descent(lambda w: ref.bowl_gradient(w, 1.0, 10.0), np.array([-8.0, 3.0]), 0.1, 20)
    assert f"{ref.bowl_error(path[-1], 1.0, 10.0):.6g} after 20 steps" in explorer.numbers.value
    explorer.sliders["eta"].value = 0.25  # beyond 2 / 10: the steep direction overshoots
    assert "diverges" in explorer.numbers.value
    explorer.sliders["steps"].value = 100
    assert "diverges" in explorer.numbers.value


def test_descent_explorer_without_gradient_descent_still_draws_the_contours():
    explorer = descent(0.1, descend=not_written)
    assert "is not written yet" in explorer.numbers.value
    assert explorer.plot.value.count("<polyline") > 5


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
    explorers.sigmoid_explorer(ref.sigmoid, ref.sigmoid_derivative)
    assert time.perf_counter() - start < 0.5


def all_widgets(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from all_widgets(child)


@pytest.mark.parametrize("name", BUILDERS)
def test_explorers_use_no_output_widget_and_display_a_short_text_fallback(name):
    """Output widgets (and interact, which uses them) are what hangs notebook execution; none here."""
    explorer = BUILDERS[name]()
    assert not any(isinstance(w, widgets.Output) for w in all_widgets(explorer.widget))
    bundle = explorer._repr_mimebundle_()
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
    solution = correct_code(assignment)
    for name in (assignment, plain):
        c.nbgrader("generate_assignment", name, "--force")
        c.submit("correct", name, make_submission(c.release_path(name), solution))
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
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in shown), "explorer not built"
    with_explorers, without = min(times[assignment]), min(times[plain])
    print(f"autograde {assignment}: {with_explorers:.2f} s with explorers, {without:.2f} s without")
    assert with_explorers <= 1.15 * without + 1.0, times  # allowing for noise


def test_descent_explorer_survives_a_path_that_overflows():
    def gradient_descent(gradient, w0, eta, steps):
        return np.array([w0, [1e200, 1e200], [np.inf, np.inf]])

    explorer = descent(0.1, descend=gradient_descent)
    assert "diverges" in explorer.numbers.value and "nan" not in explorer.plot.value
