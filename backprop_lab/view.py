"""A persistent picture in the browser that Python updates element by element (an anywidget).

An explorer draws its whole output (slider panel, diagram, error curve, table of numbers) as a
list of pieces: fixed markup (str) and elements (El) whose attributes and text may change.
The first drawing goes to the browser once, as HTML; after that each redraw sends only the
elements that changed, and the browser sets their attributes and text in place. Should the
structure change (a function starts or stops failing, so a message appears), the HTML is sent
again. Python holds every value: the browser's sliders only report moves, and a value set
from Python is never sent back as a move.

Messages from the browser: {"event": "set", "name": ..., "value": ..., "seq": n} for an input
(a range slider or a number box named by its data-name), {"event": <data-action>} for a button.
Each redraw's message carries `ack`, the number of the move it answers, so the browser leaves a
slider that the student is still moving alone until its last move has been answered.
"""
from dataclasses import dataclass, field
from html import escape

import anywidget
import traitlets

ESM = r"""
function applyOne(el, attrs, text) {
  for (const a of Array.from(el.attributes)) {
    if (a.name !== "data-k" && !(a.name in attrs)) el.removeAttribute(a.name);
  }
  for (const [name, value] of Object.entries(attrs)) {
    if (el.getAttribute(name) !== value) el.setAttribute(name, value);
  }
  if (el.tagName === "INPUT" && "value" in attrs && !el.bplBusy) el.value = attrs.value;
  if (text !== null && el.textContent !== text) el.textContent = text;
}

function render({ model, el }) {
  const root = document.createElement("div");
  root.className = "bpl-view";
  el.appendChild(root);
  let nodes = [], html = null, seq = 0;
  root.dataset.ack = "0";

  function busy(ack) {
    for (const input of root.querySelectorAll("input")) input.bplBusy = (input.bplSeq || 0) > ack;
  }

  function draw() {  // everything, from the model's state
    html = model.get("html");
    root.innerHTML = html;
    nodes = Array.from(root.querySelectorAll("[data-k]"));
    const state = model.get("state");
    for (let k = 0; k < state.length && k < nodes.length; k++) applyOne(nodes[k], state[k][0], state[k][1]);
  }

  function patch(message) {  // only what changed; the model's state is kept current for other views
    if (message.ack !== undefined) busy(message.ack);
    if (message.patch) {
      if (model.get("html") !== html) draw();
      const state = model.get("state");
      for (const [k, attrs, text] of message.patch) {
        state[k] = [attrs, text];
        if (nodes[k]) applyOne(nodes[k], attrs, text);
      }
    }
    if (message.ack !== undefined) root.dataset.ack = String(message.ack);  // the last thing a redraw writes
  }

  root.addEventListener("input", (event) => {
    const input = event.target;
    if (!input.dataset || !input.dataset.name || input.type !== "range") return;
    seq += 1;
    input.bplSeq = seq;
    input.bplBusy = true;
    model.send({ event: "set", name: input.dataset.name, value: Number(input.value), seq });
  });
  root.addEventListener("change", (event) => {
    const input = event.target;
    if (!input.dataset || !input.dataset.name || input.type === "range") return;
    seq += 1;
    model.send({ event: "set", name: input.dataset.name, value: Number(input.value), seq });
  });
  // keys on our inputs are theirs (arrows move a slider), not JupyterLab's notebook shortcuts
  root.addEventListener("keydown", (event) => {
    if (event.target.tagName === "INPUT") event.stopPropagation();
  });
  root.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (button) model.send({ event: button.dataset.action });
  });
  model.on("change:state", draw);
  model.on("change:html", draw);
  model.on("msg:custom", patch);
  draw();
  return () => model.off(null, null, null);
}
export default { render };
"""

CSS = """
.bpl-view { font-family: sans-serif; font-size: 13px; color: #222; }
.bpl-explorer { max-width: 1000px; }
.bpl-panel { display: grid; grid-template-columns: repeat(auto-fill, minmax(225px, 1fr)); column-gap: 14px; }
.bpl-slider { display: grid; grid-template-columns: var(--bpl-label, 2.2em) minmax(80px, 1fr) 4.6em;
              align-items: center; gap: 6px; height: 23px; }
.bpl-slider label { text-align: right; white-space: nowrap; }
.bpl-slider input { width: 100%; margin: 0; }
.bpl-slider output { font-variant-numeric: tabular-nums; white-space: nowrap; }
.bpl-bar { display: flex; flex-wrap: wrap; gap: 4px 14px; align-items: baseline; margin: 4px 0; }
.bpl-buttons { display: flex; flex-wrap: wrap; gap: 4px; align-items: center; }
.bpl-buttons button { padding: 2px 10px; }
.bpl-buttons input { width: 6.5em; }
.bpl-main { display: flex; flex-wrap: wrap; gap: 4px 16px; align-items: flex-start; }
.bpl-picture { flex: 1 1 400px; min-width: 0; }
.bpl-side { flex: 0 1 300px; min-width: 0; }
.bpl-problem { color: #8a3b00; }
.bpl-view svg { display: block; width: 100%; height: auto; }
.bpl-view table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
.bpl-view caption { text-align: left; font-weight: bold; }
.bpl-view td, .bpl-view th { padding: 1px 8px; text-align: right; border-bottom: 1px solid #ddd; }
"""


@dataclass
class El:
    """One element whose attributes and text a redraw may change; text None: no text of its own."""
    tag: str
    attrs: dict = field(default_factory=dict)
    text: str | None = None


def attr_text(attrs):
    return "".join(f' {name}="{escape(str(value))}"' for name, value in attrs.items())


def element_html(tag, k, attrs, text):
    """An element's markup; k is its index among the elements a redraw may change (None: it never changes)."""
    key = "" if k is None else f' data-k="{k}"'
    opening = f"<{tag}{key}{attr_text(attrs)}>"
    return opening if tag == "input" else f"{opening}{escape(text or '')}</{tag}>"


def static(el):
    """The markup of an element that no redraw changes (a frame, a contour line)."""
    return element_html(el.tag, None, el.attrs, el.text)


def serialize(pieces):
    """(HTML with a data-k on every element that may change, the structure's signature, [[attrs, text], ...])."""
    html, signature, state = [], [], []
    for piece in pieces:
        if isinstance(piece, str):
            html.append(piece)
            signature.append(piece)
            continue
        attrs = {name: str(value) for name, value in piece.attrs.items()}
        signature.append(("el", piece.tag))
        html.append(element_html(piece.tag, len(state), attrs, piece.text))
        state.append([attrs, piece.text])
    return "".join(html), tuple(signature), state


class View(anywidget.AnyWidget):
    """The browser side of an explorer: HTML drawn once, then only the elements that changed.

    `state` always holds every element's current attributes and text (so a new view, or the page
    reloaded, draws the current picture), but it is synced only with a new structure; a redraw
    sends just the changed elements as a message, with `ack`, the number of the move it answers.
    """
    _esm = ESM
    _css = CSS
    html = traitlets.Unicode("").tag(sync=True)
    state = traitlets.List([]).tag(sync=True)

    def __init__(self, handler, **kwargs):
        self._signature, self._full, self.ack = None, True, 0
        super().__init__(**kwargs)
        self.on_msg(lambda _, content, buffers: handler(content))

    def _should_send_property(self, key, value):
        return (self._full or key != "state") and super()._should_send_property(key, value)

    def show(self, pieces, ack=None):
        """Draw pieces: in place if the structure is the one shown, else anew."""
        html, signature, state = serialize(pieces)
        if ack is not None:
            self.ack = int(ack)
        if signature != self._signature:
            self._signature, self._full = signature, True
            try:
                with self.hold_sync():
                    self.html, self.state = html, state
            finally:
                self._full = False
            self.send({"ack": self.ack})
            return
        changed = [[k, *new] for k, (old, new) in enumerate(zip(self.state, state)) if old != new]
        self.state = state
        self.send({"patch": changed, "ack": self.ack})

    def current_html(self):
        """The HTML as the browser shows it now: the structure with the current attributes and text."""
        out, k = [], 0
        for part in self._signature or ():
            if isinstance(part, str):
                out.append(part)
                continue
            attrs, text = self.state[k]
            out.append(element_html(part[1], k, attrs, text))
            k += 1
        return "".join(out)
