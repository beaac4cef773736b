"""Interactive explorers: move a weight and watch every number downstream change.

Each explorer takes the lesson's functions (the ones the student writes) as arguments and
calls them on the worked example; nothing here computes an answer to an exercise. A function
may be given by its name as a string: it is then looked up in the notebook each time it is
needed, so an explorer cell run before the function's cell says which functions are still to
write instead of raising NameError, and picks them up once they are run. A function that is not
written yet (it raises NotImplementedError) is named in place, and the explorer still shows
what the other functions give: the weights always, the forward pass if it works.

    mazur_explorer("forward", "total_error", "gradients", "update")               # lesson 6
    linear_explorer("linear_forward", "linear_error", "linear_gradients", "linear_update")  # lesson 5
    neuron_explorer("neuron_forward", "neuron_error", "neuron_gradients", "neuron_update")  # lesson 4
    descent_explorer(error, gradient, "gradient_descent", start=(w1, w2), eta=...)  # lesson 3
    sigmoid_explorer("sigmoid", "sigmoid_derivative")                               # lesson 1

The explorer's state lives here, in Python: parameters, η, N and the error curve. The browser
(backprop_lab.view, an anywidget) draws the panel once and then changes only the attributes and
text that a redraw changes; its sliders report a student's moves and never send back a value
set from here. There is no Output widget, no interact() and no matplotlib in any callback, so
nbclient and nbgrader run these cells like any other.
"""
import math
import secrets
import sys
from dataclasses import dataclass

import numpy as np

from backprop_lab import examples
from backprop_lab.selfcheck import unwritten_function
from backprop_lab.view import El, View, static

# Okabe-Ito colours, told apart by colour-blind readers; sign is also shown by the dash.
POSITIVE, NEGATIVE, INK, FAINT = "#0072B2", "#D55E00", "#222222", "#9a9a9a"
MAX_STEPS = 10000


# --------------------------------------------------------------- calling the student's code


class NotDefined(Exception):
    """A lesson function named by the explorer cell that the notebook has not defined (yet)."""


class Named:
    """A lesson function given by name: looked up in the notebook's namespace at every call."""

    def __init__(self, name, namespace):
        self.__name__, self.namespace = name, namespace

    def __call__(self, *args):
        function = self.namespace.get(self.__name__)
        if function is None:
            raise NotDefined(self.__name__)
        return function(*args)


def lesson_function(fn, namespace):
    """fn itself, or the notebook's function of that name (looked up when called)."""
    return Named(fn, namespace) if isinstance(fn, str) else fn


def caller_namespace():
    """The globals of the notebook cell that called the public explorer function."""
    return sys._getframe(2).f_globals


def role_name(fn, role):
    """The function's own name as the student wrote it, or its role for a lambda."""
    name = getattr(fn, "__name__", "")
    return name if name and name != "<lambda>" else role


def attempt(fn, args, convert, role, consequence, problems):
    """fn(*args) passed through convert; on failure None, with a sentence added to problems."""
    name = role_name(fn, role)
    try:
        result = fn(*args)
    except NotImplementedError as err:
        inner = unwritten_function(err)
        which = f"{inner}() is not written yet (it raises NotImplementedError; {name}() calls it)" if inner not in (
            None, name, "__call__") else f"{name}() is not written yet (it raises NotImplementedError)"
        problems.append(f"{which}: write it where its cell says YOUR CODE HERE and run that cell; until then "
                        f"{consequence}.")
        return None
    except NotDefined:
        problems.append(f"{name}() is not defined yet: run the cell where you write it (Run > Run All Cells "
                        f"runs them all), then move a slider; until then {consequence}.")
        return None
    except NameError as err:
        problems.append(f"{name}() uses {getattr(err, 'name', None) or 'a name'}, which is not defined yet: run the "
                        f"cells above this one first; until then {consequence}.")
        return None
    except Exception as err:  # the student's code may fail in any way: say so in place
        problems.append(f"{name}() raised {type(err).__name__}: {err}; so {consequence}.")
        return None
    try:
        return convert(result)
    except Exception:
        problems.append(f"{name}() returned {repr(result)[:80]}, which is not what it should return; "
                        f"so {consequence}.")
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
    style = {"stroke": POSITIVE if value >= 0 else NEGATIVE, "stroke-width": f"{size:.2f}",
             "data-sign": "+" if value >= 0 else "-"}
    return style if value >= 0 else {**style, "stroke-dasharray": "6 4"}


def weight_width(value):
    """Edge thickness: 1 px for a zero weight up to 6 px for |w| >= 2."""
    return 1.0 + 2.5 * min(abs(value), 2.0)


def text(x, y, content, anchor="middle", weight="normal", **extra):
    return El("text", {"x": f"{x:.1f}", "y": f"{y:.1f}", "text-anchor": anchor, "font-weight": weight,
                       "fill": INK, **extra}, content)


def line(x1, y1, x2, y2, **style):
    return El("line", {"x1": f"{x1:.1f}", "y1": f"{y1:.1f}", "x2": f"{x2:.1f}", "y2": f"{y2:.1f}", **style})


def svg(width, height, body):
    """A scalable SVG picture; hidden from screen readers, which get the same numbers as text beside it."""
    return ([f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'style="max-width:{width}px;font-family:sans-serif;font-size:11px" aria-hidden="true" '
             f'focusable="false">'] + body + ["</svg>"])


def legend(x, y):
    """What the line styles mean, in words as well as in colour."""
    return [line(x, y, x + 28, y, **sign_style(1, 3)), text(x + 34, y + 4, "positive (solid, blue)", "start"),
            line(x + 170, y, x + 198, y, **sign_style(-1, 3)), text(x + 204, y + 4, "negative (dashed, orange)", "start"),
            text(x + 370, y + 4, "thicker or longer = larger", "start")]


def visually_hidden(tag="span"):
    return f'<{tag} style="position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)">'


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
    return ([f'<g data-node="{node.name}">', El("title", {}, f"{node.name}: {tip}"),
             f'<rect x="{node.x - 52}" y="{top:.1f}" width="104" height="{height}" rx="8" fill="#f4f4f4" '
             f'stroke="{INK}" stroke-width="1.2"/>']
            + [text(node.x, top + 16 + 14 * row, content, weight="bold" if row == 0 else "normal")
               for row, content in enumerate(lines)] + ["</g>"])


def gradient_bar(x, y, grad, largest):
    """A short bar under a gradient: its length shows |grad| (relative), its style the sign; hidden if unknown."""
    if grad is None:
        return line(x, y, x, y, visibility="hidden")
    length = 4 + 44 * abs(grad) / largest if largest > 0 else 4
    return line(x - length / 2, y, x + length / 2, y, **sign_style(grad, 3))


def param_label(x, y, name, value, grad, largest):
    """Two lines at (x, y): the parameter's value, then dE/d(param) with its bar."""
    first, second = f"{name} = {value:.4f}", f"∂E/∂{name} = {fmt(grad, '+.3g')}"
    half = 3.2 * max(len(first), len(second)) + 4
    return [f'<g data-label="{name}">', El("title", {}, f"{name} = {value:.9f}; dE/d{name} = {fmt(grad, '.9f')}"),
            El("rect", {"x": f"{x - half:.1f}", "y": f"{y - 11:.1f}", "width": f"{2 * half:.1f}", "height": "34",
                        "rx": "4", "fill": "white", "fill-opacity": "0.85"}),
            text(x, y, first, weight="bold"), text(x, y + 13, second), gradient_bar(x, y + 19, grad, largest), "</g>"]


def edge_svg(net, edge, params):
    a, b = net.node(edge.source), net.node(edge.target)
    value = params[edge.param]
    return line(a.x, a.y, b.x, b.y, **sign_style(value, weight_width(value)), **{"data-param": edge.param})


def label_position(net, edge):
    a, b = net.node(edge.source), net.node(edge.target)
    return a.x + edge.at * (b.x - a.x), a.y + edge.at * (b.y - a.y) - 4


def network_svg(net, params, values, grads):
    """The whole network: edges styled by their weights, boxes with the forward pass, labels with gradients."""
    grads = grads or {}
    largest = max((abs(g) for g in grads.values()), default=0.0)
    body = [edge_svg(net, e, params) for e in net.edges]
    for node in net.nodes:
        if not node.bias:
            body += node_svg(node, values)
    for edge in net.edges:
        if edge.labelled:
            x, y = label_position(net, edge)
            body += param_label(x, y, edge.param, params[edge.param], grads.get(edge.param), largest)
    for node in net.nodes:
        if node.bias:
            body.append(f'<rect x="{node.x - 58}" y="{node.y - 16}" width="116" height="40" rx="6" fill="white" '
                        f'stroke="{FAINT}"/>')
            body += param_label(node.x, node.y, node.name, params[node.name], grads.get(node.name), largest)
    body += legend(10, net.height - 10)
    return svg(net.width, net.height, body)


def cell(value, tag="td"):
    return [f"<{tag}>" if tag == "td" else f'<{tag} scope="row">', El("span", {}, value), f"</{tag}>"]


def numbers_table(net, params, values, grads):
    """Every number of the diagram as a table (to 9 decimals), for a screen reader or for copying."""
    grads = grads or {}
    pieces = ['<details><summary>Every number of the diagram, as a table</summary><table>'
              '<caption>Parameters and their gradients</caption><thead><tr><th scope="col">parameter</th>'
              '<th scope="col">value</th><th scope="col">∂E/∂parameter</th></tr></thead><tbody>']
    for name in net.params:
        pieces += ["<tr>"] + cell(name, "th") + cell(f"{params[name]:.9f}") + cell(fmt(grads.get(name), ".9f")) + ["</tr>"]
    pieces.append('</tbody></table><table><caption>Neurons</caption><thead><tr><th scope="col">neuron</th>'
                  '<th scope="col">values</th></tr></thead><tbody>')
    for node in net.nodes:
        if node.rows and not node.bias:
            row = "; ".join(f"{key} = {fmt(values.get(key), '.9f')}" for _, key in node.rows)
            pieces += ["<tr>"] + cell(node.name, "th") + cell(row) + ["</tr>"]
    return pieces + ["</tbody></table></details>"]


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


def curve_svg(errors, width=300, height=150):
    """The error after each step taken (log scale when every error is positive)."""
    known = [e for e in errors if e is not None and math.isfinite(e)]
    left, right, top, bottom = 64, width - 8, 22, height - 26
    middle = (top + bottom) / 2
    steps = len(errors) - 1 if errors else 0
    log = bool(known) and min(known) > 0
    body = [f'<rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" fill="white" stroke="{FAINT}"/>',
            text(left, 14, "error E, log scale" if log else "error E", "start"),
            text((left + right) / 2, height - 6, f"steps taken: {steps}"),
            text((left + right) / 2, middle + 26, "Step or Train draws the error here" if steps == 0 else "")]
    points, high, low = [], "", ""
    if known:
        ys = [math.log10(e) for e in known] if log else known
        lo, hi = min(ys), max(ys)
        flat = hi - lo < 1e-12
        n = max(len(known) - 1, 1)
        points = [(left + (right - left) * k / n, middle if flat else bottom - (bottom - top) * (y - lo) / (hi - lo))
                  for k, y in enumerate(ys)]
        if len(points) > 400:  # one point per pixel is enough
            points = [points[int(k)] for k in np.linspace(0, len(points) - 1, 400)]
        high, low = (f"{known[-1]:.3g}", "") if flat else (f"{max(known):.3g}", f"{min(known):.3g}")
    body += [El("polyline", {"points": " ".join(f"{x:.1f},{y:.1f}" for x, y in points), "fill": "none",
                             "stroke": INK, "stroke-width": "1.8"}),
             El("circle", {"cx": f"{points[-1][0]:.1f}", "cy": f"{points[-1][1]:.1f}", "r": "3.5", "fill": INK}
                if points else {"r": "0", "visibility": "hidden"}),
             text(left - 8, middle + 4 if low == "" else top + 8, high, "end"),
             text(left - 8, bottom, low, "end")]
    return svg(width, height, body)


def curve_summary(errors):
    known = [e for e in errors if e is not None and math.isfinite(e)]
    if len(errors) < 2 or not known:
        return "Error curve: no steps taken yet."
    return f"Error curve: {len(errors) - 1} steps taken, E from {known[0]:.9f} to {known[-1]:.9f}."


# ------------------------------------------------------------------------- sliders


def number(value):
    """A number for an HTML attribute: no float noise, no exponent for ordinary values."""
    return format(value, ".12g")


def slider_row(uid, name, label, value, low, high, step, digits):
    """A labelled range input with its readout; the readout shows the value to the diagram's digits."""
    ident, shown = f"{uid}-{name}", f"{value:.{digits}f}"
    return ['<div class="bpl-slider">', El("label", {"for": ident}, label),
            El("input", {"type": "range", "id": ident, "data-name": name, "min": number(low), "max": number(high),
                         "step": number(step), "value": repr(min(max(value, low), high)), "aria-valuetext": shown}),
            El("output", {"for": ident}, shown), "</div>"]


def grid_step(value, low, high, step=None):
    """A power of ten (about a thousandth of the range, or at most step) whose grid from low holds value,
    so that the arrow keys move a slider from its start value to round numbers."""
    step = step or 10.0 ** (math.floor(math.log10(high - low)) - 3)
    while abs((value - low) / step - round((value - low) / step)) > 1e-6 and step > 1e-9:
        step /= 10
    return step


def digits_of(step):
    return max(0, -math.floor(math.log10(step) + 1e-9))


def clamp(value, low, high):
    return min(max(float(value), low), high)


def finite_number(value):
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


class Explorer:
    """What every explorer shares: its View, the messages from the browser, the text fallback."""
    kind = "an explorer with sliders"

    def __init__(self):
        self.uid = "bpl" + secrets.token_hex(4)
        self.view = self.widget = View(self.handle)

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.view._repr_mimebundle_(**kwargs)  # anywidget's is (data, metadata)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data["text/plain"] = f"{self.title}: {self.kind} (run this cell in JupyterLab)"
        return bundle

    def handle(self, message):
        """A message from the browser: a slider or box moved ("set"), or a button pressed."""
        event = message.get("event")
        if event == "set":
            value = finite_number(message.get("value"))
            if value is not None:
                self.set(str(message.get("name")), value)
            self.refresh(ack=message.get("seq"))
        else:
            self.press(event)

    def press(self, action):
        """A button; none by default."""

    def html(self):
        """The explorer's HTML as the browser shows it now."""
        return self.view.current_html()


# --------------------------------------------------------------------- network explorers


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


def start_range(value):
    bound = max(1.0, math.ceil(abs(value)) + 1.0)
    return -bound, bound


def widened(low, high, value):
    """A slider's range grown to hold value (a trained weight is shown, never clamped)."""
    return min(low, math.floor(value) - 1.0), max(high, math.ceil(value) + 1.0)


class NetworkExplorer(Explorer):
    """Sliders for every parameter and η, the network drawn with its numbers, Step/Train/Reset, the error curve."""

    def __init__(self, model, params, eta, eta_max=None):
        super().__init__()
        self.model, self.title = model, model.net.title
        self.start, self.start_eta = {k: float(v) for k, v in params.items()}, float(eta)
        self.eta_max = float(eta_max or 10 * self.start_eta)
        self.eta_step = grid_step(self.start_eta, 0.0, self.eta_max)
        self.steps = {name: grid_step(v, *start_range(v), 0.01) for name, v in self.start.items()}
        self.n_steps, self.notice = 100, ""
        self.reset()

    # the state: parameters, η, N and the curve, changed only by these methods
    def set(self, name, value):
        if name == "eta":
            self.eta = clamp(value, 0.0, self.eta_max)
        elif name == "N":
            self.n_steps = int(clamp(round(value), 1, MAX_STEPS))
        elif name in self.params:
            self.params[name] = value
            self.history = None  # a new curve from here

    def press(self, action):
        if action == "step":
            self.train(1)
        elif action == "train":
            self.train(self.n_steps)
        elif action == "reset":
            self.reset()

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
        self.refresh()

    def reset(self):
        """Back to the worked example's parameters and learning rate, with a new curve."""
        self.params, self.eta, self.history = dict(self.start), self.start_eta, None
        self.ranges = {name: start_range(v) for name, v in self.start.items()}
        self.refresh()

    def refresh(self, ack=None):
        """Recompute with the student's functions and redraw what changed."""
        self.shown = values, error, grads, preview, problems = self.model.evaluate(self.params, self.eta)
        if self.history is None:
            self.history, self.notice = [error], ""
        for name, value in self.params.items():
            self.ranges[name] = widened(*self.ranges[name], value)
        self.view.show(self.pieces(values, error, grads, preview, problems + [self.notice] * bool(self.notice)), ack)
        return error

    def pieces(self, values, error, grads, preview, problems):
        net, uid = self.model.net, self.uid
        sliders = []
        for name in net.params:
            sliders += slider_row(uid, name, name, self.params[name], *self.ranges[name], self.steps[name], 4)
        sliders += slider_row(uid, "eta", "η", self.eta, 0.0, self.eta_max, self.eta_step, digits_of(self.eta_step))
        buttons = ['<div class="bpl-buttons">',
                   '<button type="button" data-action="step" title="one gradient-descent step with η">Step</button>',
                   f'<label for="{uid}-N">N</label>',
                   El("input", {"type": "number", "id": f"{uid}-N", "data-name": "N", "min": "1", "max": str(MAX_STEPS),
                                "step": "1", "value": str(self.n_steps)}),
                   '<button type="button" data-action="train" title="take N gradient-descent steps">Train N steps</button>',
                   '<button type="button" data-action="reset" title="back to the worked example\'s values">Reset</button>',
                   "</div>"]
        numbers = [El("div", {"class": "bpl-error", "aria-live": "polite", "style": "font-size:15px;font-weight:bold"},
                      f"E = {fmt(error, '.9f')}"),
                   El("div", {"class": "bpl-preview"}, f"one step with η = {self.eta:.{digits_of(self.eta_step)}f} "
                                                      f"would give E = {fmt(preview, '.9f')}")]
        side = (curve_svg(self.history) + [visually_hidden("p"), El("span", {}, curve_summary(self.history)), "</p>"]
                + problem_pieces(problems) + numbers_table(net, self.params, values, grads))
        return layout(self.title, net.width, sliders, buttons + numbers, network_svg(net, self.params, values, grads),
                      side)


def mazur_explorer(forward, error, gradients, update, params=None, eta=None, eta_max=None):
    """The Mazur 2-2-2 network on its worked example, driven by the lesson's functions (or their names).

    forward(p, i1, i2) -> {"net_h1": ..., "out_o2": ...}; error(p, i1, i2, t1, t2) -> E_total;
    gradients(p, i1, i2, t1, t2) -> {"w1": dE/dw1, ..., "b2": dE/db2}; update(p, grads, eta) -> new p.
    params and eta default to the worked example's; the η slider runs from 0 to eta_max (10 η).
    """
    namespace = caller_namespace()
    functions = tuple(lesson_function(f, namespace) for f in (forward, error, gradients, update))
    model = Model(MAZUR_NETWORK, functions, examples.MAZUR, ("i1", "i2"), ("t1", "t2"), update_takes_gradients=True)
    return NetworkExplorer(model, params or examples.MAZUR_PARAMS, examples.MAZUR_ETA if eta is None else eta, eta_max)


def linear_explorer(forward, error, gradients, update, weights=None, eta=None, eta_max=None):
    """The hmkcode linear 2-2-1 network on its worked example, driven by the lesson's functions (or their names).

    forward(w, i1, i2) -> {"h1", "h2", "out"}; error(w, i1, i2, target) -> E;
    gradients(w, i1, i2, target) -> {"w1": ..., "w6": ...}; update(w, i1, i2, target, eta) -> new w.
    """
    namespace = caller_namespace()
    functions = tuple(lesson_function(f, namespace) for f in (forward, error, gradients, update))
    model = Model(LINEAR_NETWORK, functions, examples.LINEAR, ("i1", "i2"), ("target",), update_takes_gradients=False)
    return NetworkExplorer(model, weights or examples.LINEAR_WEIGHTS_000, examples.LINEAR_ETA if eta is None else eta,
                           eta_max)


def neuron_explorer(forward, error, gradients, update, params=None, eta=None, eta_max=10.0):
    """One sigmoid neuron (Ahmadi) with sliders for w1, w2, b and η, driven by the lesson's functions.

    forward(p, x1, x2) -> {"s", "y"}; error(p, x1, x2, d) -> E; gradients(p, x1, x2, d) -> {"w1", "w2", "b"};
    update(p, x1, x2, d, eta) -> new p.
    """
    namespace = caller_namespace()
    functions = tuple(lesson_function(f, namespace) for f in (forward, error, gradients, update))
    model = Model(NEURON_NETWORK, functions, examples.NEURON, ("x1", "x2"), ("d",), update_takes_gradients=False)
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

    def polyline(self, xs, ys, **style):
        points = " ".join("{:.1f},{:.1f}".format(*self.px(x, y)) for x, y in zip(xs, ys))
        return El("polyline", {"points": points, "fill": "none", **style, "clip-path": f"url(#{self.clip})"})

    def frame(self, xticks, yticks, xlabel, ylabel):
        """Box, clip region, tick labels and axis names: markup that never changes."""
        body = (f'<defs><clipPath id="{self.clip}"><rect x="{self.left}" y="{self.top}" width="{self.right - self.left}" '
                f'height="{self.bottom - self.top}"/></clipPath></defs>'
                f'<rect x="{self.left}" y="{self.top}" width="{self.right - self.left}" height="{self.bottom - self.top}" '
                f'fill="white" stroke="{FAINT}"/>')
        for x in xticks:  # below the box, clear of the y labels left of it
            px, _ = self.px(x, self.y0)
            body += static(text(px, self.bottom + 17, f"{x:g}"))
        for y in yticks:
            _, py = self.px(self.x0, y)
            body += static(text(self.left - 8, py + 4, f"{y:g}", "end"))
        middle = (self.top + self.bottom) / 2
        return (body + static(text((self.left + self.right) / 2, self.bottom + 33, xlabel))
                + static(text(14, middle, ylabel, transform=f"rotate(-90 14 {middle})")))


def curve_points(fn, xs, role, problems, consequence):
    """fn at each x as floats, or None (with a sentence in problems) if fn cannot run."""
    return attempt(lambda: [as_number(fn(float(x))) for x in xs], (), list, role_name(fn, role), consequence, problems)


class Sliders(Explorer):
    """An explorer whose whole state is its sliders' values {name: (label, value, low, high, step)}."""

    def set(self, name, value):
        if name in self.values:
            label, _, low, high, step = self.sliders[name]
            self.values[name] = clamp(value, low, high)

    def slider_pieces(self):
        pieces = []
        for name, (label, _, low, high, step) in self.sliders.items():
            pieces += slider_row(self.uid, name, label, self.values[name], low, high, step, digits_of(step))
        return pieces

def layout(title, width, sliders, bar, picture, side, label_width="2.2em"):
    """Sliders in columns above the picture, so that both fit a laptop screen; the bar (buttons, error)
    between them; beside the picture (or below it, on a narrow screen) the curve, messages and table."""
    return ([f'<div class="bpl-explorer" role="group" aria-label="{title}: explorer">',
             f'<div class="bpl-panel" style="--bpl-label:{label_width}">'] + sliders
            + ['</div><div class="bpl-bar">'] + bar
            + [f'</div><div class="bpl-main"><div class="bpl-picture" style="max-width:{width}px">'] + picture
            + ['</div><div class="bpl-side">'] + side + ["</div></div></div>"])


def problem_pieces(problems):
    return [El("div", {"class": "bpl-problem"}, f"⚠ {p}") for p in problems]


# --------------------------------------------------------------------------- the sigmoid


class SigmoidExplorer(Sliders):
    """σ and σ' from the student's functions; a movable point with its tangent of slope σ'(x)."""
    title = "The sigmoid and its tangent"

    def __init__(self, sigmoid, sigmoid_derivative, x=1.0):
        super().__init__()
        self.sigmoid, self.derivative = sigmoid, sigmoid_derivative
        self.axes = Axes(-6, 6, -0.1, 1.1, clip=f"{self.uid}-clip")
        self.problems = []
        xs = np.linspace(-6, 6, 121)
        ys = curve_points(sigmoid, xs, "sigmoid", self.problems, "no curve is drawn")
        ds = curve_points(sigmoid_derivative, xs, "sigmoid_derivative", self.problems, "no tangent is drawn")
        self.background = self.axes.frame([-6, -3, 0, 3, 6], [0, 0.25, 0.5, 0.75, 1], "x (net input)", "")
        if ys is not None:
            self.background += static(self.axes.polyline(xs, ys, stroke=POSITIVE, **{"stroke-width": "2.5"}))
        if ds is not None:
            self.background += static(self.axes.polyline(xs, ds, stroke=NEGATIVE, **{"stroke-width": "2",
                                                                                       "stroke-dasharray": "6 4"}))
        self.background += "".join(static(e) for e in (
            line(60, 26, 88, 26, stroke=POSITIVE, **{"stroke-width": "2.5"}), text(94, 30, "σ(x)", "start"),
            line(60, 44, 88, 44, stroke=NEGATIVE, **{"stroke-width": "2", "stroke-dasharray": "6 4"}),
            text(94, 48, "σ'(x), dashed", "start")))
        self.sliders = {"x": ("x", x, -6.0, 6.0, 0.05)}
        self.values = {"x": float(x)}
        self.refresh()

    def refresh(self, ack=None):
        x, problems = self.values["x"], []
        y = attempt(self.sigmoid, (x,), as_number, "sigmoid", "the point is not drawn", problems)
        slope = attempt(self.derivative, (x,), as_number, "sigmoid_derivative", "the tangent is not drawn", problems)
        ts = np.array([x - 2.0, x + 2.0])
        tangent = self.axes.polyline(ts, (y or 0) + (slope or 0) * (ts - x), stroke=INK, **{"stroke-width": "1.5"})
        if y is None or slope is None:
            tangent.attrs["visibility"] = "hidden"
        marks = [tangent]
        for value, style in ((slope, {"r": "4", "fill": "white", "stroke": NEGATIVE, "stroke-width": "2"}),
                             (y, {"r": "5", "fill": INK})):
            cx, cy = self.axes.px(x, value or 0)
            marks.append(El("circle", {"cx": f"{cx:.1f}", "cy": f"{cy:.1f}", **style,
                                       **({} if value is not None else {"visibility": "hidden"})}))
        lines = [f"x = {x:.2f}", f"σ(x) = {fmt(y, '.9f')}", f"σ'(x) = {fmt(slope, '.9f')} (the slope of the tangent)"]
        numbers = [El("div", {"class": "bpl-numbers", "aria-live": "polite", "style": "font-weight:bold"},
                      " · ".join(lines))]
        self.view.show(layout(self.title, 560, self.slider_pieces(), numbers, svg(560, 300, [self.background] + marks),
                              problem_pieces(self.problems + problems)), ack)


def sigmoid_explorer(sigmoid, sigmoid_derivative, x=1.0):
    """A slider moves a point along the student's sigmoid; the tangent there has the student's slope σ'(x)."""
    namespace = caller_namespace()
    return SigmoidExplorer(lesson_function(sigmoid, namespace), lesson_function(sigmoid_derivative, namespace), x)


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
        for points in generator.lines(level):
            body += static(axes.polyline(points[:, 0], points[:, 1], stroke="#c8c8c8", **{"stroke-width": "1"}))
    return body


def dots_path(points, r=2.5):
    """One SVG path drawing a small dot at each point."""
    return " ".join(f"M{x - r:.1f},{y:.1f}a{r},{r} 0 1,0 {2 * r},0a{r},{r} 0 1,0 {-2 * r},0" for x, y in points)


class DescentExplorer(Sliders):
    """Gradient descent on a 2-D error surface: sliders for η, the start point and the number of steps."""
    title = "Steepest descent"

    def __init__(self, error, gradient, gradient_descent, start, eta, steps=20, lim=((-10, 10), (-4, 4)),
                 eta_max=1.0, minimum=(0.0, 0.0)):
        super().__init__()
        self.error, self.gradient, self.descend = error, gradient, gradient_descent
        (x0, x1), (y0, y1) = lim
        self.axes, self.problems = Axes(x0, x1, y0, y1, left=56, bottom=266, clip=f"{self.uid}-clip"), []
        contours = attempt(lambda: contour_paths(self.axes, error), (), str, role_name(error, "error"),
                           "no contours are drawn", self.problems)
        self.background = self.axes.frame(np.linspace(x0, x1, 5), np.linspace(y0, y1, 5), "w1", "w2") + (contours or "")
        if minimum is not None:
            mx, my = self.axes.px(*minimum)
            self.background += static(text(mx, my + 5, "★", **{"font-size": "16px"}))
        self.sliders = {"eta": ("η", eta, 0.0, eta_max, grid_step(eta, 0.0, eta_max)),
                        "w1": ("start w1", start[0], x0, x1, grid_step(start[0], x0, x1, (x1 - x0) / 200)),
                        "w2": ("start w2", start[1], y0, y1, grid_step(start[1], y0, y1, (y1 - y0) / 200)),
                        "steps": ("steps", steps, 1, 100, 1)}
        self.values = {name: float(spec[1]) for name, spec in self.sliders.items()}
        self.refresh()

    def set(self, name, value):
        super().set(name, round(value) if name == "steps" else value)

    def path(self, problems):
        """The student's gradient_descent from the slider's start point, as an (n, 2) array."""
        v = self.values
        return attempt(self.descend, (self.gradient, np.array([v["w1"], v["w2"]]), v["eta"], int(v["steps"])), as_path,
                       "gradient_descent", "no path is drawn", problems)

    def refresh(self, ack=None):
        problems = []
        path = self.path(problems)
        finite = finite_prefix(path) if path is not None else np.zeros((0, 2))
        pixels = [self.axes.px(a, b) for a, b in finite]
        start = self.axes.px(*path[0]) if path is not None and len(finite) else (0, 0)
        marks = [El("polyline", {"points": " ".join(f"{x:.1f},{y:.1f}" for x, y in pixels), "fill": "none",
                                 "stroke": INK, "stroke-width": "1.6", "clip-path": f"url(#{self.axes.clip})"}),
                 El("path", {"d": dots_path(pixels[1:]), "fill": INK, "clip-path": f"url(#{self.axes.clip})"}),
                 El("rect", {"x": f"{start[0] - 4.5:.1f}", "y": f"{start[1] - 4.5:.1f}", "width": "9", "height": "9",
                             "fill": POSITIVE, **({} if len(pixels) else {"visibility": "hidden"})})]
        numbers = [El("div", {"class": "bpl-numbers", "aria-live": "polite"}, descent_text(self.error, path))]
        self.view.show(layout(self.title, 560, self.slider_pieces(), numbers, svg(560, 310, [self.background] + marks),
                              problem_pieces(self.problems + problems), label_width="4.6em"), ack)


def as_path(points):
    """A path of 2-D points as an (n, 2) array of floats."""
    return np.asarray(points, dtype=float).reshape(-1, 2)


def finite_prefix(path):
    """The points of a path before its first non-finite one (a diverging run overflows)."""
    finite = np.all(np.isfinite(path), axis=1)
    return path if finite.all() else path[: int(np.argmin(finite))]


def descent_text(error, path):
    """The error at the start and after the last step, and whether the run converges or diverges."""
    if path is None:
        return ""
    with np.errstate(all="ignore"):
        first, before_last, last = (float(error(w)) for w in (path[0], path[max(len(path) - 2, 0)], path[-1]))
    if not math.isfinite(last) or last > before_last:
        verdict = "diverges: the last step made the error larger; each overshoot is bigger than the one before"
    else:
        verdict = "converges: the error is still falling" if last < before_last else "the error stands still"
    return f"E = {first:.6g} at the start, {last:.6g} after {len(path) - 1} steps: {verdict}."


def descent_explorer(error, gradient, gradient_descent, start, eta, steps=20, lim=((-10, 10), (-4, 4)),
                     eta_max=1.0, minimum=(0.0, 0.0)):
    """Sliders for η, the start point and the steps over the contours of error(w).

    error(w) and gradient(w) take an array w = (w1, w2); gradient_descent(gradient, w0, eta, steps)
    returns the path [w0, w1, ...], drawn over the contours. The η slider runs from 0 to eta_max.
    Any of the three functions may be given by its name in the notebook.
    """
    namespace = caller_namespace()
    return DescentExplorer(*(lesson_function(f, namespace) for f in (error, gradient, gradient_descent)), start, eta,
                           steps, lim, eta_max, minimum)


# ------------------------------------------------------------- the computational graph (lesson 8)


@dataclass(frozen=True)
class GraphNode:
    """A named Value of the Mazur network's graph, drawn as a box at (x, y)."""
    name: str
    x: float
    y: float


GRAPH_PARAMS = ("w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "b1", "b2")
GRAPH_WEIGHTS = GRAPH_PARAMS[:8]  # Step moves these; the biases stay, as in Mazur's post
_COLUMNS = {"w1": (0, 0), "w2": (0, 1), "b1": (0, 2), "w3": (0, 3), "w4": (0, 4),
            "net_h1": (1, 0.5), "net_h2": (1, 3.5), "out_h1": (2, 0.5), "out_h2": (2, 3.5),
            "w5": (3, 0), "w6": (3, 1), "b2": (3, 2), "w7": (3, 3), "w8": (3, 4),
            "net_o1": (4, 0.5), "net_o2": (4, 3.5), "out_o1": (5, 0.5), "out_o2": (5, 3.5),
            "E_o1": (6, 0.5), "E_o2": (6, 3.5), "E": (7, 2)}
GRAPH_NODES = tuple(GraphNode(name, 58 + 120 * col, 40 + 72 * row) for name, (col, row) in _COLUMNS.items())
GRAPH_EDGES = (("w1", "net_h1"), ("w2", "net_h1"), ("b1", "net_h1"), ("w3", "net_h2"), ("w4", "net_h2"),
               ("b1", "net_h2"), ("net_h1", "out_h1"), ("net_h2", "out_h2"),
               ("out_h1", "net_o1"), ("out_h2", "net_o1"), ("w5", "net_o1"), ("w6", "net_o1"), ("b2", "net_o1"),
               ("out_h1", "net_o2"), ("out_h2", "net_o2"), ("w7", "net_o2"), ("w8", "net_o2"), ("b2", "net_o2"),
               ("net_o1", "out_o1"), ("net_o2", "out_o2"), ("out_o1", "E_o1"), ("out_o2", "E_o2"),
               ("E_o1", "E"), ("E_o2", "E"))
GRAPH_WIDTH, GRAPH_HEIGHT = 960, 400


def count_values(root):
    """How many Values root's graph holds (each once), following every node's parents."""
    seen, stack = {}, [root]
    while stack:
        node = stack.pop()
        if id(node) not in seen:
            seen[id(node)] = node
            stack.extend(parent for parent, _ in node.parents)
    return len(seen)


def graph_node_svg(node, data, grad):
    """A box: the node's name, its data and its grad (with the grad's sign as the border's style)."""
    known = grad is not None and math.isfinite(grad)
    style = sign_style(grad, 2.2) if known else {"stroke": FAINT, "stroke-width": "1.2"}
    return [f'<g data-node="{node.name}">',
            El("title", {}, f"{node.name}: data = {fmt(data, '.9f')}, grad = dE/d{node.name} = {fmt(grad, '.9f')}"),
            El("rect", {"x": f"{node.x - 54:.1f}", "y": f"{node.y - 25:.1f}", "width": "108", "height": "50",
                        "rx": "7", "fill": "#f4f4f4", **style}),
            text(node.x, node.y - 10, node.name, weight="bold"),
            text(node.x, node.y + 4, f"data {fmt(data, '.5f')}"),
            text(node.x, node.y + 18, f"grad {fmt(grad, '+.5f')}"), "</g>"]


def graph_legend(x, y):
    """What a box's border means, in words as well as in colour."""
    return [line(x, y, x + 28, y, **sign_style(1, 2.2)), text(x + 34, y + 4, "grad ≥ 0 (solid, blue)", "start"),
            line(x + 180, y, x + 208, y, **sign_style(-1, 2.2)), text(x + 214, y + 4, "grad < 0 (dashed, orange)", "start"),
            text(x + 390, y + 4, "grad = ∂E/∂(the Value); lines: which Values a Value is made from", "start")]


class GraphExplorer(Explorer):
    """The named Values of the student's mazur_graph with data and grad, weight sliders, Step and Reset."""
    title = "The Mazur network's computational graph"

    def __init__(self, mazur_graph, params, eta, example):
        super().__init__()
        self.mazur_graph, self.example = mazur_graph, dict(example)
        self.start, self.start_eta = {k: float(params[k]) for k in GRAPH_PARAMS}, float(eta)
        self.eta_max = 10 * self.start_eta
        self.eta_step = grid_step(self.start_eta, 0.0, self.eta_max)
        self.steps = {name: grid_step(v, *start_range(v), 0.01) for name, v in self.start.items()}
        self.notice = ""
        self.reset()

    def set(self, name, value):
        if name == "eta":
            self.eta = clamp(value, 0.0, self.eta_max)
        elif name in self.params:
            self.params[name] = value

    def press(self, action):
        if action == "step":
            self.step()
        elif action == "reset":
            self.reset()

    def reset(self):
        self.params, self.eta, self.taken = dict(self.start), self.start_eta, 0
        self.ranges = {name: start_range(v) for name, v in self.start.items()}
        self.refresh()

    def evaluate(self):
        """({name: data}, {name: grad}, number of Values, problems) from the student's mazur_graph and backward."""
        problems = []
        e = self.example
        graph = attempt(self.mazur_graph, (dict(self.params), e["i1"], e["i2"], e["t1"], e["t2"]), dict,
                        "mazur_graph", "the boxes show no numbers", problems)
        if graph is None:
            return {}, {}, None, problems
        data = attempt(lambda: {n.name: as_number(graph[n.name].data) for n in GRAPH_NODES}, (), dict,
                       "mazur_graph", "the boxes show no data", problems)
        if data is None:
            return {}, {}, None, problems
        grads = attempt(lambda: graph["E"].backward(), (), lambda _: {n.name: as_number(graph[n.name].grad)
                                                                       for n in GRAPH_NODES},
                        "backward", "the boxes show no gradients and Step cannot move the weights", problems)
        size = attempt(count_values, (graph["E"],), int, "mazur_graph", "the Values are not counted", [])
        return data, grads or {}, size, problems

    def step(self):
        """One gradient step on w1..w8 with the grads shown: w - η · dE/dw."""
        _, grads, _, _ = self.evaluate()
        new = {k: self.params[k] - self.eta * grads[k] for k in GRAPH_WEIGHTS if k in grads}
        if len(new) == len(GRAPH_WEIGHTS) and all_finite(new.values()):
            self.params.update(new)
            self.taken += 1
            self.notice = ""
        else:
            self.notice = "Step needs every weight's gradient (a finite number) from backward."
        self.refresh()

    def refresh(self, ack=None):
        self.shown = data, grads, size, problems = self.evaluate()
        for name, value in self.params.items():
            self.ranges[name] = widened(*self.ranges[name], value)
        self.view.show(self.pieces(data, grads, size, problems + [self.notice] * bool(self.notice)), ack)
        return data.get("E")

    def pieces(self, data, grads, size, problems):
        uid, by_name = self.uid, {n.name: n for n in GRAPH_NODES}
        sliders = []
        for name in GRAPH_PARAMS:
            sliders += slider_row(uid, name, name, self.params[name], *self.ranges[name], self.steps[name], 4)
        sliders += slider_row(uid, "eta", "η", self.eta, 0.0, self.eta_max, self.eta_step, digits_of(self.eta_step))
        bar = ['<div class="bpl-buttons">',
               '<button type="button" data-action="step" title="one gradient step on w1..w8 with η">Step</button>',
               '<button type="button" data-action="reset" title="back to Mazur\'s numbers">Reset</button></div>',
               El("div", {"class": "bpl-error", "aria-live": "polite", "style": "font-size:15px;font-weight:bold"},
                  f"E = {fmt(data.get('E'), '.9f')}"),
               El("div", {"class": "bpl-size"}, f"steps taken: {self.taken}; Values in the graph of E: "
                                               f"{'?' if size is None else size}")]
        body = [static(line(by_name[a].x + 54, by_name[a].y, by_name[b].x - 54, by_name[b].y,
                            stroke=FAINT, **{"stroke-width": "1.2"})) for a, b in GRAPH_EDGES]
        for node in GRAPH_NODES:
            body += graph_node_svg(node, data.get(node.name), grads.get(node.name))
        body += graph_legend(10, GRAPH_HEIGHT - 8)
        table = ['<details><summary>Every number of the graph, as a table</summary><table>'
                 '<caption>Named Values: data and grad = ∂E/∂(the Value)</caption><thead><tr>'
                 '<th scope="col">Value</th><th scope="col">data</th><th scope="col">grad</th></tr></thead><tbody>']
        for node in GRAPH_NODES:
            table += (["<tr>"] + cell(node.name, "th") + cell(fmt(data.get(node.name), ".9f"))
                      + cell(fmt(grads.get(node.name), ".9f")) + ["</tr>"])
        table.append("</tbody></table></details>")
        side = problem_pieces(problems) + table
        return layout(self.title, GRAPH_WIDTH, sliders, bar, svg(GRAPH_WIDTH, GRAPH_HEIGHT, body), side)


def graph_explorer(mazur_graph, params=None, eta=None):
    """Lesson 8: the computational graph of the student's mazur_graph(p, i1, i2, t1, t2) -> {name: Value},
    on Mazur's example, with every named Value's data and its grad after E.backward()."""
    function = lesson_function(mazur_graph, caller_namespace())
    return GraphExplorer(function, params or examples.MAZUR_PARAMS, examples.MAZUR_ETA if eta is None else eta,
                         examples.MAZUR)
