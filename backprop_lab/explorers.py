"""Interactive explorers: move a weight and watch every number downstream change.

Each explorer takes the lesson's functions (the ones the student writes) as arguments and
calls them on the worked example; nothing here computes an answer to an exercise. A function
that is not written yet (it raises NotImplementedError) is named in place, and the explorer
still shows what the other functions give: the weights always, the forward pass if it works.

    mazur_explorer(forward, total_error, gradients, update)        # lesson 6
    linear_explorer(linear_forward, linear_error, linear_gradients, linear_update)  # lesson 5
    neuron_explorer(neuron_forward, neuron_error, neuron_gradients, neuron_update)  # lesson 4
    descent_explorer(error, gradient, gradient_descent, start=(w1, w2), eta=...)     # lesson 3
    sigmoid_explorer(sigmoid, sigmoid_derivative)                                  # lesson 1

Speed and grading: every picture is an SVG string in an ipywidgets.HTML, so a slider move
recomputes a few numbers and replaces two or three strings (about a millisecond in the
kernel). There is no Output widget, no interact() and no matplotlib in any callback, so
nbclient and nbgrader run these cells like any other; building an explorer costs one
forward pass and one drawing.
"""
import math
from contextlib import contextmanager
from dataclasses import dataclass
from html import escape

import ipywidgets as widgets
import numpy as np

from backprop_lab import examples

# Okabe-Ito colours, told apart by colour-blind readers; sign is also shown by the dash.
POSITIVE, NEGATIVE, INK, FAINT = "#0072B2", "#D55E00", "#222222", "#9a9a9a"
FONT = "font-family:sans-serif;font-size:11px"


# --------------------------------------------------------------- calling the student's code


def role_name(fn, role):
    """The function's own name as the student wrote it, or its role for a lambda."""
    name = getattr(fn, "__name__", "")
    return name if name and name != "<lambda>" else role


def attempt(fn, args, convert, role, consequence, problems):
    """fn(*args) passed through convert; on failure None, with a sentence added to problems."""
    name = role_name(fn, role)
    try:
        result = fn(*args)
    except NotImplementedError:
        problems.append(f"<code>{name}</code> is not written yet (it raises NotImplementedError), so {consequence}.")
        return None
    except Exception as err:  # the student's code may fail in any way: say so in place
        problems.append(f"<code>{name}</code> raised {type(err).__name__}: {escape(str(err))}; so {consequence}.")
        return None
    try:
        return convert(result)
    except Exception:
        problems.append(f"<code>{name}</code> returned {escape(repr(result)[:80])}, which is not what it should "
                        f"return; so {consequence}.")
        return None


def as_number(value):
    """A plain float from a number or a one-element array."""
    return float(np.asarray(value, dtype=float).reshape(()))


def as_numbers(keys):
    """A converter: a dict holding at least these keys -> {key: float}."""
    return lambda d: {k: as_number(d[k]) for k in keys}


def all_finite(values):
    return all(math.isfinite(v) for v in values)


# --------------------------------------------------------------------------- SVG helpers


def fmt(value, spec=".4f"):
    """A number for the pictures, or '?' when it is not known."""
    return "?" if value is None else format(value, spec)


def sign_style(value, size):
    """Colour, dash and width for a signed quantity: solid blue if >= 0, dashed orange if < 0."""
    colour, dash = (POSITIVE, "") if value >= 0 else (NEGATIVE, ' stroke-dasharray="6 4"')
    return f'stroke="{colour}" stroke-width="{size:.2f}"{dash} data-sign="{"+" if value >= 0 else "-"}"'


def weight_width(value):
    """Edge thickness: 1 px for a zero weight up to 6 px for |w| >= 2."""
    return 1.0 + 2.5 * min(abs(value), 2.0)


def text(x, y, content, anchor="middle", weight="normal", extra=""):
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-weight="{weight}" '
            f'fill="{INK}" {extra}>{content}</text>')


def svg(width, height, body, label):
    """A scalable SVG element with an accessible name."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
            f'style="max-width:{width}px;{FONT}" role="img" aria-label="{escape(label)}">'
            f'<title>{escape(label)}</title>{body}</svg>')


def legend(x, y):
    """What the line styles mean, in words as well as in colour."""
    return (f'<line x1="{x}" y1="{y}" x2="{x + 28}" y2="{y}" {sign_style(1, 3)}/>'
            + text(x + 34, y + 4, "positive (solid, blue)", "start")
            + f'<line x1="{x + 170}" y1="{y}" x2="{x + 198}" y2="{y}" {sign_style(-1, 3)}/>'
            + text(x + 204, y + 4, "negative (dashed, orange)", "start")
            + text(x + 370, y + 4, "thicker or longer = larger", "start"))


# --------------------------------------------------------------------- network pictures


@dataclass(frozen=True)
class Node:
    """A box in the picture: its title and rows of (label, key into the forward pass or example)."""
    name: str
    x: float
    y: float
    rows: tuple = ()
    bias: bool = False


@dataclass(frozen=True)
class Edge:
    """A connection carrying parameter param; its label sits at fraction `at` from the source."""
    param: str
    source: str
    target: str
    at: float = 0.5
    labelled: bool = True


@dataclass(frozen=True)
class Network:
    """Everything an explorer needs to know about one small network to draw it."""
    title: str
    params: tuple
    nodes: tuple
    edges: tuple
    width: int
    height: int

    def node(self, name):
        return next(n for n in self.nodes if n.name == name)


def node_svg(node, values):
    """A neuron or input box: its name, then one row per value (net input, output, target)."""
    lines = [node.name] + [f"{label} {fmt(values.get(key))}" for label, key in node.rows]
    height = 8 + 14 * len(lines)
    top = node.y - height / 2
    tip = "; ".join(f"{key} = {fmt(values.get(key), '.9f')}" for _, key in node.rows)
    body = (f'<g data-node="{node.name}"><title>{escape(node.name)}: {escape(tip)}</title>'
            f'<rect x="{node.x - 52}" y="{top:.1f}" width="104" height="{height}" rx="8" '
            f'fill="#f4f4f4" stroke="{INK}" stroke-width="1.2"/>')
    for row, line in enumerate(lines):
        body += text(node.x, top + 16 + 14 * row, escape(line), weight="bold" if row == 0 else "normal")
    return body + "</g>"


def gradient_bar(x, y, grad, largest):
    """A short bar under a gradient: its length shows |grad| (relative), its style the sign."""
    if grad is None:
        return ""
    length = 4 + 44 * abs(grad) / largest if largest > 0 else 4
    return f'<line x1="{x - length / 2:.1f}" y1="{y:.1f}" x2="{x + length / 2:.1f}" y2="{y:.1f}" {sign_style(grad, 3)}/>'


def param_label(x, y, name, value, grad, largest):
    """Two lines at (x, y): the parameter's value, then dE/d(param) with its bar."""
    tip = f"{name} = {value:.9f}; dE/d{name} = {fmt(grad, '.9f')}"
    first, second = f"{name} = {value:.4f}", f"∂E/∂{name} = {fmt(grad, '+.3g')}"
    half = 3.2 * max(len(first), len(second)) + 4
    return (f'<g data-label="{name}"><title>{tip}</title>'
            f'<rect x="{x - half:.1f}" y="{y - 11:.1f}" width="{2 * half:.1f}" height="34" rx="4" fill="white" '
            f'fill-opacity="0.85"/>'
            + text(x, y, first, weight="bold") + text(x, y + 13, second)
            + gradient_bar(x, y + 19, grad, largest) + "</g>")


def edge_svg(net, edge, params):
    a, b = net.node(edge.source), net.node(edge.target)
    style = sign_style(params[edge.param], weight_width(params[edge.param]))
    return f'<line x1="{a.x}" y1="{a.y}" x2="{b.x}" y2="{b.y}" {style} data-param="{edge.param}"/>'


def label_position(net, edge):
    a, b = net.node(edge.source), net.node(edge.target)
    return a.x + edge.at * (b.x - a.x), a.y + edge.at * (b.y - a.y) - 4


def network_svg(net, params, values, grads):
    """The whole network: edges styled by their weights, boxes with the forward pass, labels with gradients."""
    grads = grads or {}
    largest = max((abs(g) for g in grads.values()), default=0.0)
    body = "".join(edge_svg(net, e, params) for e in net.edges)
    body += "".join(node_svg(n, values) for n in net.nodes if not n.bias)
    for edge in net.edges:
        if edge.labelled:
            x, y = label_position(net, edge)
            body += param_label(x, y, edge.param, params[edge.param], grads.get(edge.param), largest)
    for node in net.nodes:
        if node.bias:
            body += (f'<rect x="{node.x - 58}" y="{node.y - 16}" width="116" height="40" rx="6" fill="white" '
                     f'stroke="{FAINT}"/>' + param_label(node.x, node.y, node.name, params[node.name],
                                                          grads.get(node.name), largest))
    body += legend(10, net.height - 10)
    return svg(net.width, net.height, body, f"{net.title}: weights, forward pass and gradients")


MAZUR_NETWORK = Network(
    "The Mazur 2-2-2 network",
    ("w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "b1", "b2"),
    (Node("i1", 70, 80, (("=", "i1"),)), Node("i2", 70, 250, (("=", "i2"),)),
     Node("h1", 320, 80, (("net", "net_h1"), ("out", "out_h1"))),
     Node("h2", 320, 250, (("net", "net_h2"), ("out", "out_h2"))),
     Node("o1", 570, 80, (("net", "net_o1"), ("out", "out_o1"), ("target", "t1"))),
     Node("o2", 570, 250, (("net", "net_o2"), ("out", "out_o2"), ("target", "t2"))),
     Node("b1", 195, 345, bias=True), Node("b2", 445, 345, bias=True)),
    (Edge("w1", "i1", "h1", 0.5), Edge("w2", "i2", "h1", 0.3), Edge("w3", "i1", "h2", 0.3),
     Edge("w4", "i2", "h2", 0.5), Edge("w5", "h1", "o1", 0.5), Edge("w6", "h2", "o1", 0.3),
     Edge("w7", "h1", "o2", 0.3), Edge("w8", "h2", "o2", 0.5),
     Edge("b1", "b1", "h1", labelled=False), Edge("b1", "b1", "h2", labelled=False),
     Edge("b2", "b2", "o1", labelled=False), Edge("b2", "b2", "o2", labelled=False)),
    650, 400,
)

LINEAR_NETWORK = Network(
    "The hmkcode linear 2-2-1 network",
    ("w1", "w2", "w3", "w4", "w5", "w6"),
    (Node("i1", 70, 80, (("=", "i1"),)), Node("i2", 70, 250, (("=", "i2"),)),
     Node("h1", 320, 80, (("=", "h1"),)), Node("h2", 320, 250, (("=", "h2"),)),
     Node("out", 570, 165, (("=", "out"), ("target", "target")))),
    (Edge("w1", "i1", "h1", 0.5), Edge("w2", "i2", "h1", 0.3), Edge("w3", "i1", "h2", 0.3),
     Edge("w4", "i2", "h2", 0.5), Edge("w5", "h1", "out", 0.5), Edge("w6", "h2", "out", 0.5)),
    650, 330,
)

NEURON_NETWORK = Network(
    "One sigmoid neuron",
    ("w1", "w2", "b"),
    (Node("x1", 70, 80, (("=", "x1"),)), Node("x2", 70, 250, (("=", "x2"),)),
     Node("y", 400, 165, (("s", "s"), ("y", "y"), ("d", "d"))), Node("b", 235, 300, bias=True)),
    (Edge("w1", "x1", "y", 0.45), Edge("w2", "x2", "y", 0.45), Edge("b", "b", "y", labelled=False)),
    560, 370,
)


# ------------------------------------------------------------------------ the error curve


def curve_svg(errors, width=330, height=170):
    """The error after each step taken (log scale when every error is positive)."""
    known = [e for e in errors if e is not None and math.isfinite(e)]
    left, right, top, bottom = 58, width - 12, 14, height - 30
    body = (f'<rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" fill="white" stroke="{FAINT}"/>'
            + text((left + right) / 2, height - 6, f"steps taken: {len(errors) - 1 if errors else 0}"))
    if len(errors) < 2:
        body += text((left + right) / 2, (top + bottom) / 2 + 20, "Step or Train draws the error here")
    if known:
        log = min(known) > 0
        ys = [math.log10(e) for e in known] if log else known
        lo, hi = min(ys), max(ys)
        hi, lo = (hi + 0.5, lo - 0.5) if hi - lo < 1e-12 else (hi, lo)
        n = max(len(known) - 1, 1)
        points = [(left + (right - left) * k / n, bottom - (bottom - top) * (y - lo) / (hi - lo)) for k, y in enumerate(ys)]
        if len(points) > 400:  # one point per pixel is enough
            points = [points[int(k)] for k in np.linspace(0, len(points) - 1, 400)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        body += (f'<polyline points="{path}" fill="none" stroke="{INK}" stroke-width="1.8"/>'
                 f'<circle cx="{points[-1][0]:.1f}" cy="{points[-1][1]:.1f}" r="3.5" fill="{INK}"/>'
                 + text(left - 4, top + 8, f"{known[0] if len(known) == 1 else max(known):.3g}", "end")
                 + text(left - 4, bottom, f"{min(known):.3g}", "end")
                 + text(left - 4, (top + bottom) / 2, "E (log)" if log else "E", "end"))
    return svg(width, height, body, "The error after each step taken")


# ------------------------------------------------------------------------- the explorer



class Model:
    """The lesson's forward, error, gradients and update bound to one worked example, each call guarded."""

    def __init__(self, net, functions, example, inputs, targets, update_takes_gradients):
        self.net, self.example = net, dict(example)
        self.forward, self.error, self.gradients, self.update = functions
        self.inputs = tuple(example[k] for k in inputs)
        self.data = self.inputs + tuple(example[k] for k in targets)
        self.update_takes_gradients = update_takes_gradients
        self.value_keys = sorted({key for node in net.nodes for _, key in node.rows} - set(example))

    def values(self, p, problems):
        return attempt(self.forward, (dict(p), *self.inputs), as_numbers(self.value_keys), "forward",
                       "the boxes show no net inputs or outputs", problems)

    def total_error(self, p, problems):
        return attempt(self.error, (dict(p), *self.data), as_number, "error", "no error is shown", problems)

    def grads(self, p, problems):
        consequence = "the edges show no gradients" + (
            " and Step and Train cannot move the weights" if self.update_takes_gradients else "")
        return attempt(self.gradients, (dict(p), *self.data), as_numbers(self.net.params), "gradients",
                       consequence, problems)

    def step(self, p, grads, eta, problems):
        """The parameters after one gradient step with the student's update, or None."""
        if self.update_takes_gradients and grads is None:
            return None
        args = (dict(p), dict(grads), eta) if self.update_takes_gradients else (dict(p), *self.data, eta)
        return attempt(self.update, args, as_numbers(self.net.params), "update",
                       "Step and Train cannot move the weights", problems)

    def evaluate(self, p, eta):
        """(values for the boxes, E, gradients, E after one step, problems) at parameters p."""
        problems = []
        values = self.values(p, problems)
        error, grads = self.total_error(p, problems), self.grads(p, problems)
        after = self.step(p, grads, eta, problems)
        preview = None if after is None or error is None else self.total_error(after, [])
        return {**self.example, **(values or {})}, error, grads, preview, problems


class NetworkExplorer:
    """Sliders for every parameter and η, the network drawn with its numbers, Step/Train/Reset, the error curve."""

    def __init__(self, model, params, eta, eta_max=None):
        self.model, self.start, self.start_eta = model, dict(params), float(eta)
        self.params, self.eta, self.history, self.notice, self._quiet = dict(params), float(eta), [], "", False
        self.sliders = {name: self._slider(name, value) for name, value in self.params.items()}
        self.sliders["eta"] = eta_slider(self.eta, eta_max or 10 * self.eta)
        self.sliders["eta"].observe(self._on_eta, "value")
        self.diagram = widgets.HTML(layout=widgets.Layout(width=f"{model.net.width}px", max_width="100%"))
        self.numbers, self.curve = widgets.HTML(), widgets.HTML()
        self.step_button = widgets.Button(description="Step", tooltip="one gradient-descent step with η")
        self.train_button = widgets.Button(description="Train N steps", tooltip="take N gradient-descent steps")
        self.reset_button = widgets.Button(description="Reset", tooltip="back to the worked example's values")
        self.train_steps = widgets.BoundedIntText(value=100, min=1, max=10000, description="N",
                                                  layout=widgets.Layout(width="140px"))
        self.step_button.on_click(lambda _: self.train(1))
        self.train_button.on_click(lambda _: self.train(self.train_steps.value))
        self.reset_button.on_click(lambda _: self.reset())
        self.widget = self._layout()
        self.refresh(restart=True)

    def _slider(self, name, value):
        bound = max(1.0, math.ceil(abs(value)) + 1.0)
        step = grid_step(value, -bound, bound, 0.01)
        slider = widgets.FloatSlider(value=value, min=-bound, max=bound, step=step, description=name,
                                     readout_format=f".{max(3, -math.floor(math.log10(step)))}f",
                                     layout=widgets.Layout(width="320px"))
        slider.observe(lambda change: self._on_param(name, change["new"]), "value")
        return slider

    def _layout(self):
        buttons = widgets.HBox([self.step_button, self.train_steps, self.train_button, self.reset_button],
                               layout=widgets.Layout(flex_flow="row wrap"))
        controls = widgets.VBox(list(self.sliders.values()) + [self.numbers, self.curve],
                                layout=widgets.Layout(width="340px"))
        pictures = widgets.HBox([controls, self.diagram], layout=widgets.Layout(flex_flow="row wrap"))
        return widgets.VBox([buttons, pictures])

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = f"{self.model.net.title}: an explorer with sliders (run this cell in JupyterLab)"
        return bundle

    @contextmanager
    def quiet(self):
        """Set sliders from code without each one redrawing."""
        self._quiet = True
        try:
            yield
        finally:
            self._quiet = False

    def _on_param(self, name, value):
        if not (self._quiet or is_echo(self.sliders[name], self.params[name], value)):
            self.params[name] = float(value)
            self.refresh(restart=True)

    def _on_eta(self, change):
        if not (self._quiet or is_echo(self.sliders["eta"], self.eta, change["new"])):
            self.eta = float(change["new"])
            self.refresh()

    def show_params(self):
        """Move every slider to the current parameters, widening its range if a value left it."""
        with self.quiet():
            for name, value in self.params.items():
                widen(self.sliders[name], value).value = value
            self.sliders["eta"].value = self.eta

    def refresh(self, restart=False):
        """Recompute with the student's functions and replace the pictures; restart begins a new curve."""
        values, error, grads, preview, problems = self.model.evaluate(self.params, self.eta)
        if restart:
            self.history, self.notice = [error], ""
        self.diagram.value = network_svg(self.model.net, self.params, values, grads)
        self.numbers.value = numbers_html(error, preview, self.eta, problems + [self.notice] * bool(self.notice))
        self.curve.value = curve_svg(self.history)
        return error

    def train(self, steps):
        """Take up to `steps` steps with the student's gradients and update, then redraw once."""
        self.notice = ""
        for taken in range(steps):
            problems = []
            grads = self.model.grads(self.params, problems) if self.model.update_takes_gradients else None
            new = self.model.step(self.params, grads, self.eta, problems)
            if new is None:
                break
            if not all_finite(new.values()):
                self.notice = (f"Stopped after {taken} steps: the next step gives weights that are not finite "
                               "(η too large?).")
                break
            self.params = new
            self.history.append(self.model.total_error(new, []))
        self.show_params()
        return self.refresh()

    def reset(self):
        """Back to the worked example's parameters and learning rate, with a new curve."""
        self.params, self.eta = dict(self.start), self.start_eta
        self.show_params()
        self.refresh(restart=True)


def grid_step(value, low, high, step=None):
    """A power of ten (about a thousandth of the range, or at most step) whose grid from low holds value.

    The browser snaps a slider's value to its grid, so a start value off the grid would move.
    """
    step = step or 10.0 ** (math.floor(math.log10(high - low)) - 3)
    while abs((value - low) / step - round((value - low) / step)) > 1e-6 and step > 1e-9:
        step /= 10
    return step


def eta_slider(eta, eta_max, **style):
    """A linear slider for η from 0 to eta_max on a grid that holds eta."""
    step = grid_step(eta, 0.0, eta_max)
    return widgets.FloatSlider(value=eta, min=0.0, max=eta_max, step=step, description="η",
                               readout_format=f".{max(0, -math.floor(math.log10(step)))}f",
                               **{"layout": widgets.Layout(width="320px"), **style})


def is_echo(slider, exact, value):
    """Is value only the browser's slider snapping our exact value to its grid of steps?

    The browser's slider answers a value set from Python (after Step, say) by sending back the
    nearest point of its grid, e.g. 0.36 for 0.35891648. That is not a move by the student, and
    taking it would change the weights; a real move lands on another grid point.
    """
    snapped = slider.min + round((exact - slider.min) / slider.step) * slider.step
    return abs(value - snapped) < 1e-9


def widen(slider, value):
    """Widen a slider's range so that it shows value exactly (a trained weight is never clipped)."""
    if value > slider.max:
        slider.max = math.ceil(value) + 1.0
    if value < slider.min:
        slider.min = math.floor(value) - 1.0
    return slider


def numbers_html(error, preview, eta, problems):
    """The error, what one step would give, and every function that could not run."""
    lines = [f'<div class="bpl-error" style="font-size:15px"><b>E = {fmt(error, ".9f")}</b></div>',
             f'<div class="bpl-preview">one step with η = {eta:.3g} would give E = {fmt(preview, ".9f")}</div>']
    lines += [f'<div class="bpl-problem">⚠ {p}</div>' for p in problems]
    return f'<div class="bpl-numbers" style="line-height:1.5;white-space:normal">{"".join(lines)}</div>'


def mazur_explorer(forward, error, gradients, update, params=None, eta=None, eta_max=None):
    """The Mazur 2-2-2 network on its worked example, driven by the lesson's functions.

    forward(p, i1, i2) -> {"net_h1": ..., "out_o2": ...}; error(p, i1, i2, t1, t2) -> E_total;
    gradients(p, i1, i2, t1, t2) -> {"w1": dE/dw1, ..., "b2": dE/db2}; update(p, grads, eta) -> new p.
    params and eta default to the worked example's; the η slider runs from 0 to eta_max (10 η).
    """
    model = Model(MAZUR_NETWORK, (forward, error, gradients, update), examples.MAZUR,
                  ("i1", "i2"), ("t1", "t2"), update_takes_gradients=True)
    return NetworkExplorer(model, params or examples.MAZUR_PARAMS, examples.MAZUR_ETA if eta is None else eta, eta_max)


def linear_explorer(forward, error, gradients, update, weights=None, eta=None, eta_max=None):
    """The hmkcode linear 2-2-1 network on its worked example, driven by the lesson's functions.

    forward(w, i1, i2) -> {"h1", "h2", "out"}; error(w, i1, i2, target) -> E;
    gradients(w, i1, i2, target) -> {"w1": ..., "w6": ...}; update(w, i1, i2, target, eta) -> new w.
    """
    model = Model(LINEAR_NETWORK, (forward, error, gradients, update), examples.LINEAR,
                  ("i1", "i2"), ("target",), update_takes_gradients=False)
    return NetworkExplorer(model, weights or examples.LINEAR_WEIGHTS_000, examples.LINEAR_ETA if eta is None else eta,
                           eta_max)


def neuron_explorer(forward, error, gradients, update, params=None, eta=None, eta_max=10.0):
    """One sigmoid neuron (Ahmadi) with sliders for w1, w2, b and η, driven by the lesson's functions.

    forward(p, x1, x2) -> {"s", "y"}; error(p, x1, x2, d) -> E; gradients(p, x1, x2, d) -> {"w1", "w2", "b"};
    update(p, x1, x2, d, eta) -> new p.
    """
    model = Model(NEURON_NETWORK, (forward, error, gradients, update), examples.NEURON,
                  ("x1", "x2"), ("d",), update_takes_gradients=False)
    return NetworkExplorer(model, params or examples.NEURON_PARAMS, examples.NEURON_ETA if eta is None else eta, eta_max)


# ------------------------------------------------------------------- plots on fixed axes


@dataclass(frozen=True)
class Axes:
    """Maps data coordinates (x0..x1, y0..y1) to an SVG box (left..right, top..bottom)."""
    x0: float
    x1: float
    y0: float
    y1: float
    left: float = 50
    right: float = 540
    top: float = 14
    bottom: float = 260
    clip: str = "bpl-clip"  # the id of the clip region: one per explorer, unique on the page

    def px(self, x, y):
        x = self.left + (self.right - self.left) * (x - self.x0) / (self.x1 - self.x0)
        y = self.bottom - (self.bottom - self.top) * (y - self.y0) / (self.y1 - self.y0)
        return min(max(x, -1e4), 1e4), min(max(y, -1e4), 1e4)

    def polyline(self, xs, ys, style):
        points = " ".join("{:.1f},{:.1f}".format(*self.px(x, y)) for x, y in zip(xs, ys))
        return f'<polyline points="{points}" fill="none" {style} clip-path="url(#{self.clip})"/>'

    def frame(self, xticks, yticks, xlabel, ylabel):
        """Box, clip region, tick labels and axis names."""
        body = (f'<defs><clipPath id="{self.clip}"><rect x="{self.left}" y="{self.top}" width="{self.right - self.left}" '
                f'height="{self.bottom - self.top}"/></clipPath></defs>'
                f'<rect x="{self.left}" y="{self.top}" width="{self.right - self.left}" height="{self.bottom - self.top}" '
                f'fill="white" stroke="{FAINT}"/>')
        for x in xticks:
            px, _ = self.px(x, self.y0)
            body += text(px, self.bottom + 14, f"{x:g}")
        for y in yticks:
            _, py = self.px(self.x0, y)
            body += text(self.left - 5, py + 4, f"{y:g}", "end")
        middle = (self.top + self.bottom) / 2
        return (body + text((self.left + self.right) / 2, self.bottom + 30, xlabel)
                + text(14, middle, ylabel, extra=f'transform="rotate(-90 14 {middle})"'))


def curve_points(fn, xs, role, problems, consequence):
    """fn at each x as floats, or None (with a sentence in problems) if fn cannot run."""
    return attempt(lambda: [as_number(fn(float(x))) for x in xs], (), list, role_name(fn, role), consequence, problems)


# --------------------------------------------------------------------------- the sigmoid


class SigmoidExplorer:
    """σ and σ' from the student's functions; a movable point with its tangent of slope σ'(x)."""

    def __init__(self, sigmoid, sigmoid_derivative, x=1.0):
        self.sigmoid, self.derivative = sigmoid, sigmoid_derivative
        self.axes = Axes(-6, 6, -0.1, 1.1, clip=f"bpl-clip-{id(self)}")
        self.problems = []
        xs = np.linspace(-6, 6, 121)
        ys = curve_points(sigmoid, xs, "sigmoid", self.problems, "no curve is drawn")
        ds = curve_points(sigmoid_derivative, xs, "sigmoid_derivative", self.problems, "no tangent is drawn")
        self.background = self.axes.frame([-6, -3, 0, 3, 6], [0, 0.25, 0.5, 0.75, 1], "x (net input)", "")
        if ys is not None:
            self.background += self.axes.polyline(xs, ys, f'stroke="{POSITIVE}" stroke-width="2.5"')
        if ds is not None:
            self.background += self.axes.polyline(xs, ds, f'stroke="{NEGATIVE}" stroke-width="2" stroke-dasharray="6 4"')
        self.background += (f'<line x1="60" y1="26" x2="88" y2="26" stroke="{POSITIVE}" stroke-width="2.5"/>'
                            + text(94, 30, "σ(x)", "start")
                            + f'<line x1="60" y1="44" x2="88" y2="44" stroke="{NEGATIVE}" stroke-width="2" '
                              'stroke-dasharray="6 4"/>'
                            + text(94, 48, "σ'(x), dashed", "start"))
        self.slider = widgets.FloatSlider(value=x, min=-6, max=6, step=0.05, description="x", readout_format=".2f",
                                          layout=widgets.Layout(width="420px"))
        self.sliders = {"x": self.slider}
        self.plot, self.numbers = widgets.HTML(layout=widgets.Layout(width="560px", max_width="100%")), widgets.HTML()
        self.slider.observe(lambda change: self.refresh(), "value")
        self.widget = widgets.VBox([self.slider, self.numbers, self.plot])
        self.refresh()

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = "The sigmoid and its tangent: an explorer with a slider (run this cell in JupyterLab)"
        return bundle

    def refresh(self):
        x, problems = self.slider.value, []
        y = attempt(self.sigmoid, (x,), as_number, "sigmoid", "the point is not drawn", problems)
        slope = attempt(self.derivative, (x,), as_number, "sigmoid_derivative", "the tangent is not drawn", problems)
        body = self.background
        if y is not None and slope is not None:
            ts = np.array([x - 2.0, x + 2.0])
            body += self.axes.polyline(ts, y + slope * (ts - x), f'stroke="{INK}" stroke-width="1.5"')
        if slope is not None:
            body += '<circle cx="{:.1f}" cy="{:.1f}" r="4" fill="white" stroke="{}" stroke-width="2"/>'.format(
                *self.axes.px(x, slope), NEGATIVE)
        if y is not None:
            body += '<circle cx="{:.1f}" cy="{:.1f}" r="5" fill="{}"/>'.format(*self.axes.px(x, y), INK)
        self.plot.value = svg(560, 300, body, "The sigmoid, its derivative and the tangent at x")
        lines = [f"x = {x:.2f}", f"σ(x) = {fmt(y, '.9f')}", f"σ'(x) = {fmt(slope, '.9f')} (the slope of the tangent)"]
        notes = "".join(f'<div class="bpl-problem">⚠ {p}</div>' for p in self.problems + problems)
        self.numbers.value = (f'<div class="bpl-numbers" style="line-height:1.5;white-space:normal">'
                              f'<b>{" &nbsp; ".join(lines)}</b>{notes}</div>')


def sigmoid_explorer(sigmoid, sigmoid_derivative, x=1.0):
    """A slider moves a point along the student's sigmoid; the tangent there has the student's slope σ'(x)."""
    return SigmoidExplorer(sigmoid, sigmoid_derivative, x)


# ------------------------------------------------------------------- steepest descent


def grid_values(error, xs, ys):
    """error(w) on a grid: in one call if error works on arrays, else point by point."""
    W1, W2 = np.meshgrid(xs, ys)
    try:
        Z = np.asarray(error(np.array([W1, W2])), dtype=float)
        if Z.shape == W1.shape:
            return Z
    except Exception:
        pass
    return np.array([[float(error(np.array([a, b]))) for a in xs] for b in ys])


def contour_paths(axes, error, levels=12, n=81):
    """SVG contour lines of error(w) over the axes' box, computed once."""
    import contourpy  # a matplotlib dependency

    xs, ys = np.linspace(axes.x0, axes.x1, n), np.linspace(axes.y0, axes.y1, n)
    Z = grid_values(error, xs, ys)
    generator = contourpy.contour_generator(xs, ys, Z)
    body = ""
    for level in np.geomspace(max(Z.min(), 1e-3), Z.max(), levels)[:-1]:
        for line in generator.lines(level):
            body += axes.polyline(line[:, 0], line[:, 1], 'stroke="#c8c8c8" stroke-width="1"')
    return body


class DescentExplorer:
    """Gradient descent on a 2-D error surface: sliders for η, the start point and the number of steps."""

    def __init__(self, error, gradient, gradient_descent, start, eta, steps=20, lim=((-10, 10), (-4, 4)),
                 eta_max=1.0, minimum=(0.0, 0.0)):
        self.error, self.gradient, self.descend = error, gradient, gradient_descent
        (x0, x1), (y0, y1) = lim
        self.axes, self.minimum, self.problems = Axes(x0, x1, y0, y1, bottom=270, clip=f"bpl-clip-{id(self)}"), minimum, []
        background = attempt(lambda: contour_paths(self.axes, error), (), str, role_name(error, "error"),
                             "no contours are drawn", self.problems)
        self.background = self.axes.frame(np.linspace(x0, x1, 5), np.linspace(y0, y1, 5), "w1", "w2") + (background or "")
        if minimum is not None:
            mx, my = self.axes.px(*minimum)
            self.background += text(mx, my + 5, "★", extra='font-size="16px"')
        slider = dict(continuous_update=True, layout=widgets.Layout(width="360px"), style={"description_width": "70px"})
        self.sliders = {
            "eta": eta_slider(eta, eta_max, **slider),
            "w1": widgets.FloatSlider(value=start[0], min=x0, max=x1, step=grid_step(start[0], x0, x1, (x1 - x0) / 200),
                                      description="start w1", **slider),
            "w2": widgets.FloatSlider(value=start[1], min=y0, max=y1, step=grid_step(start[1], y0, y1, (y1 - y0) / 200),
                                      description="start w2", **slider),
            "steps": widgets.IntSlider(value=steps, min=1, max=100, description="steps", **slider),
        }
        for s in self.sliders.values():
            s.observe(lambda change: self.refresh(), "value")
        self.plot, self.numbers = widgets.HTML(layout=widgets.Layout(width="560px", max_width="100%")), widgets.HTML()
        self.widget = widgets.VBox(list(self.sliders.values()) + [self.numbers, self.plot])
        self.refresh()

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = "Steepest descent: an explorer with sliders (run this cell in JupyterLab)"
        return bundle

    def path(self, problems):
        """The student's gradient_descent from the slider's start point, as an (n, 2) array."""
        s = self.sliders
        w0 = np.array([s["w1"].value, s["w2"].value])
        return attempt(self.descend, (self.gradient, w0, s["eta"].value, s["steps"].value), as_path,
                       "gradient_descent", "no path is drawn", problems)

    def refresh(self):
        problems = []
        path = self.path(problems)
        body = self.background
        if path is not None:
            finite = finite_prefix(path)
            body += self.axes.polyline(finite[:, 0], finite[:, 1], f'stroke="{INK}" stroke-width="1.6"')
            body += "".join('<circle cx="{:.1f}" cy="{:.1f}" r="2.5" fill="{}" clip-path="url(#{})"/>'.format(
                *self.axes.px(a, b), INK, self.axes.clip) for a, b in finite[1:])
            body += '<rect x="{:.1f}" y="{:.1f}" width="9" height="9" fill="{}"/>'.format(
                *(v - 4.5 for v in self.axes.px(*path[0])), POSITIVE)
        self.plot.value = svg(560, 310, body, "Error contours and the gradient-descent path")
        self.numbers.value = descent_html(self.error, path, self.problems + problems)


def as_path(points):
    """A path of 2-D points as an (n, 2) array of floats."""
    return np.asarray(points, dtype=float).reshape(-1, 2)


def finite_prefix(path):
    """The points of a path before its first non-finite one (a diverging run overflows)."""
    finite = np.all(np.isfinite(path), axis=1)
    return path if finite.all() else path[: int(np.argmin(finite))]


def descent_html(error, path, problems):
    """The error at the start and after the last step, and whether the run converges or diverges."""
    lines = []
    if path is not None:
        with np.errstate(all="ignore"):
            first, before_last, last = (float(error(w)) for w in (path[0], path[max(len(path) - 2, 0)], path[-1]))
        if not math.isfinite(last) or last > before_last:
            verdict = "diverges: the last step made the error larger; each overshoot is bigger than the one before"
        else:
            verdict = "converges: the error is still falling" if last < before_last else "the error stands still"
        lines.append(f"<b>E = {first:.6g} at the start, {last:.6g} after {len(path) - 1} steps</b>: {verdict}.")
    lines += [f'<div class="bpl-problem">⚠ {p}</div>' for p in problems]
    return f'<div class="bpl-numbers" style="line-height:1.5;white-space:normal">{"".join(lines)}</div>'


def descent_explorer(error, gradient, gradient_descent, start, eta, steps=20, lim=((-10, 10), (-4, 4)),
                     eta_max=1.0, minimum=(0.0, 0.0)):
    """Sliders for η, the start point and the steps over the contours of error(w).

    error(w) and gradient(w) take an array w = (w1, w2); gradient_descent(gradient, w0, eta, steps)
    returns the path [w0, w1, ...], drawn over the contours. The η slider runs from 0 to eta_max.
    """
    return DescentExplorer(error, gradient, gradient_descent, start, eta, steps, lim, eta_max, minimum)
