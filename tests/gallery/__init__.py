"""The gallery: submissions that a grader must survive, each with its exact expected scores.

GALLERY[student] = Member(...). Student ids sort so that a correct submission sits between
every two attacks (and before the first, after the last): tests/test_gallery.py grades them
all in one batch and checks that correct work keeps full marks whatever ran before it.

A member is the correct solution with some solution cells replaced (`code`) or preceded by
code of its own (`prefix`), optionally changed afterwards (`transform`: delete, edit or duplicate
cells; `files`: the submission folder itself, e.g. a symlink), or a raw file (`raw`, malformed
JSON), or no notebook at all (`missing`). The attacks on the grading design itself are in
gallery/hostile.py; REFUSED lists student folders that must never be graded at all. `scores` are the exact points per test
cell ({} when nbgrader cannot grade it: the total is 0); `cause` is a phrase that the
student's feedback or the grading run must show (the named mistake, or why the attack failed).
"""
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from autograder.submissions import points

ROOT = Path(__file__).resolve().parents[2]

MAZUR, LINEAR = "06_mazur_network", "05_linear_network"
POINTS = {assignment: points(ROOT / "solutions" / assignment / f"{assignment[3:]}.ipynb") for assignment in (MAZUR, LINEAR)}
# a gradient function is graded in parts; naming the function in `zero` zeroes every part
PARTS = {"gradients": ("gradients_output", "gradients_hidden", "gradients_biases"),
         "linear_gradients": ("linear_gradients_output", "linear_gradients_hidden")}


@dataclass
class Member:
    assignment: str
    zero: tuple = ()                 # test cells scoring 0 (the others earn full points)
    cause: str = ""
    code: dict = field(default_factory=dict)
    prefix: dict = field(default_factory=dict)  # code put before the correct solution of a cell
    transform: Optional[Callable] = None
    files: Optional[Callable] = None  # files(folder, course root): changes the submission folder itself
    raw: Optional[str] = None
    missing: bool = False
    untouched: bool = False
    ungradable: bool = False         # nbgrader cannot grade it: every cell 0, the run names the cause

    def scores(self):
        points = POINTS[self.assignment]
        if self.ungradable or self.untouched:
            return {g: 0 for g in points}
        zero = {part for name in self.zero for part in PARTS.get(name, (name,))}
        return {g: (0 if g[len("test_"):] in zero else p) for g, p in points.items()}


# ------------------------------------------------------------------ Mazur: the classic mistakes

# a wrong hidden delta costs the hidden weights' and biases' parts of gradients, not the output layer's
HIDDEN_LAYER_WRONG = ("hidden_deltas", "gradients_hidden", "gradients_biases", "train")

OUTPUT_DELTAS_SIGN = (
    "def output_deltas(f, t1, t2):\n"
    "    return ((t1 - f['out_o1']) * f['out_o1'] * (1 - f['out_o1']),\n"
    "            (t2 - f['out_o2']) * f['out_o2'] * (1 - f['out_o2']))\n"
)
OUTPUT_DELTAS_NO_SLOPE = "def output_deltas(f, t1, t2):\n    return f['out_o1'] - t1, f['out_o2'] - t2\n"
OUTPUT_DELTAS_SLOPE_OF_NET = (
    "def output_deltas(f, t1, t2):\n"
    "    return ((f['out_o1'] - t1) * f['net_o1'] * (1 - f['net_o1']),\n"
    "            (f['out_o2'] - t2) * f['net_o2'] * (1 - f['net_o2']))\n"
)
HIDDEN_UPDATED = (
    "def hidden_deltas(p, f, delta_o1, delta_o2):\n"
    "    w5 = p['w5'] - eta * delta_o1 * f['out_h1']\n"
    "    w6 = p['w6'] - eta * delta_o1 * f['out_h2']\n"
    "    w7 = p['w7'] - eta * delta_o2 * f['out_h1']\n"
    "    w8 = p['w8'] - eta * delta_o2 * f['out_h2']\n"
    "    return ((delta_o1 * w5 + delta_o2 * w7) * f['out_h1'] * (1 - f['out_h1']),\n"
    "            (delta_o1 * w6 + delta_o2 * w8) * f['out_h2'] * (1 - f['out_h2']))\n"
)
HIDDEN_ONE_OUTPUT = (
    "def hidden_deltas(p, f, delta_o1, delta_o2):\n"
    "    return (delta_o1 * p['w5'] * f['out_h1'] * (1 - f['out_h1']),\n"
    "            delta_o1 * p['w6'] * f['out_h2'] * (1 - f['out_h2']))\n"
)
HIDDEN_TRANSPOSED = (
    "def hidden_deltas(p, f, delta_o1, delta_o2):\n"
    "    return ((delta_o1 * p['w5'] + delta_o2 * p['w6']) * f['out_h1'] * (1 - f['out_h1']),\n"
    "            (delta_o1 * p['w7'] + delta_o2 * p['w8']) * f['out_h2'] * (1 - f['out_h2']))\n"
)


def _update(body):
    return "def update(p, grads, eta, learn_biases=False):\n" + body


UPDATE_ETA_TWICE = _update(
    "    new = {k: p[k] - eta * eta * grads[k] for k in p}\n"
    "    if not learn_biases:\n"
    "        new['b1'], new['b2'] = p['b1'], p['b2']\n"
    "    return new\n"
)
UPDATE_NO_ETA = _update(
    "    new = {k: p[k] - grads[k] for k in p}\n"
    "    if not learn_biases:\n"
    "        new['b1'], new['b2'] = p['b1'], p['b2']\n"
    "    return new\n"
)
GRADIENTS_NO_BIAS = (
    "def gradients(p, i1, i2, t1, t2):\n"
    "    f = forward(p, i1, i2)\n"
    "    d_o1, d_o2 = output_deltas(f, t1, t2)\n"
    "    d_h1, d_h2 = hidden_deltas(p, f, d_o1, d_o2)\n"
    "    return {'w1': d_h1 * i1, 'w2': d_h1 * i2, 'w3': d_h2 * i1, 'w4': d_h2 * i2,\n"
    "            'w5': d_o1 * f['out_h1'], 'w6': d_o1 * f['out_h2'], 'w7': d_o2 * f['out_h1'], 'w8': d_o2 * f['out_h2']}\n"
)
GRADIENTS_W2_W3_SWAPPED = (
    "def gradients(p, i1, i2, t1, t2):\n"
    "    f = forward(p, i1, i2)\n"
    "    d_o1, d_o2 = output_deltas(f, t1, t2)\n"
    "    d_h1, d_h2 = hidden_deltas(p, f, d_o1, d_o2)\n"
    "    return {'w1': d_h1 * i1, 'w2': d_h2 * i1, 'w3': d_h1 * i2, 'w4': d_h2 * i2,\n"
    "            'w5': d_o1 * f['out_h1'], 'w6': d_o1 * f['out_h2'], 'w7': d_o2 * f['out_h1'], 'w8': d_o2 * f['out_h2'],\n"
    "            'b1': d_h1 + d_h2, 'b2': d_o1 + d_o2}\n"
)
HIDDEN_DIAGONAL = (
    "def hidden_deltas(p, f, delta_o1, delta_o2):\n"
    "    return (delta_o1 * p['w5'] * f['out_h1'] * (1 - f['out_h1']),\n"
    "            delta_o2 * p['w8'] * f['out_h2'] * (1 - f['out_h2']))\n"
)
# right deltas, then a weight of p changed in place: its visible test fails, and at grading (where a visible
# failure is only text) the hidden check must catch it too; gradients, which gets a copy, keeps its points
HIDDEN_CHANGES_P = (
    "def hidden_deltas(p, f, delta_o1, delta_o2):\n"
    "    deltas = ((delta_o1 * p['w5'] + delta_o2 * p['w7']) * f['out_h1'] * (1 - f['out_h1']),\n"
    "              (delta_o1 * p['w6'] + delta_o2 * p['w8']) * f['out_h2'] * (1 - f['out_h2']))\n"
    "    p['w5'] += 1.0\n"
    "    return deltas\n"
)
TRAIN_UPDATE_FIRST = (
    "def train(p, i1, i2, t1, t2, eta, steps, learn_biases=False):\n"
    "    errors = [total_error(p, i1, i2, t1, t2)]\n"
    "    grads = {k: 0.0 for k in p}\n"
    "    for _ in range(steps):\n"
    "        p = update(p, grads, eta, learn_biases)\n"
    "        grads = gradients(p, i1, i2, t1, t2)\n"
    "        errors.append(total_error(p, i1, i2, t1, t2))\n"
    "    return p, errors\n"
)
FORWARD_HARD_CODED = (
    "def forward(p, i1, i2):\n"
    "    return {'net_h1': 0.3775, 'out_h1': 0.5932699921071872, 'net_h2': 0.3925,\n"
    "            'out_h2': 0.596884378259767, 'net_o1': 1.10590596705977, 'out_o1': 0.7513650695523157,\n"
    "            'net_o2': 1.2249214040964653, 'out_o2': 0.7729284653214625}\n"
)

# ------------------------------------------------------------------ Mazur: the attacks

# bodies of a function that attacks the grader (each lesson puts them into its update function)
LOOP_BODY = "    while True:\n        pass\n"
MEMORY_BOMB_BODY = "    hog = []\n    while True:\n        hog.append(bytearray(10**8))\n"
OS_EXIT_BODY = "    import os\n    os._exit(1)\n"
SYS_EXIT_BODY = "    import sys\n    sys.exit(0)\n"
FORK_BOMB_BODY = "    import os\n    while True:\n        os.fork()\n"
INFINITE_LOOP = _update(LOOP_BODY)
MEMORY_BOMB = _update(MEMORY_BOMB_BODY)
OS_EXIT = _update(OS_EXIT_BODY)
SYS_EXIT = _update(SYS_EXIT_BODY)
FORK_BOMB = _update(FORK_BOMB_BODY)
PATCHES = {  # student code that disables a comparison before the tests run
    "testing": "import numpy.testing\nnumpy.testing.assert_allclose = lambda *a, **k: None\n\n",
    "allclose": "import numpy as np\nnp.allclose = lambda *a, **k: True\nnp.isclose = lambda *a, **k: True\n\n",
    "isclose": "import math\nmath.isclose = lambda *a, **k: True\n\n",
    # every visible assert compares abs(...) with a tolerance: abs that always returns 0 passes them all
    "builtins": "import builtins\nbuiltins.abs = lambda x: 0\n\n",
}
PATCH_TESTING = PATCHES["testing"] + OUTPUT_DELTAS_SIGN
PATCH_ALLCLOSE = PATCHES["allclose"] + HIDDEN_ONE_OUTPUT
PATCH_ISCLOSE = PATCHES["isclose"] + OUTPUT_DELTAS_NO_SLOPE
PATCH_BUILTINS = PATCHES["builtins"] + OUTPUT_DELTAS_SIGN
ANYTHING = (
    "class Anything(dict):\n"
    "    '''Equal to, close to and containing everything.'''\n"
    "    def __getitem__(self, key): return Anything()\n"
    "    def __contains__(self, key): return True\n"
    "    def __eq__(self, other): return True\n"
    "    def __ne__(self, other): return False\n"
    "    def __le__(self, other): return True\n"
    "    def __lt__(self, other): return True\n"
    "    def __abs__(self): return 0\n"
    "    def __float__(self): return 0.0\n"
    "    __hash__ = None\n"
    "    __sub__ = __rsub__ = __add__ = __radd__ = __mul__ = __rmul__ = __pow__ = __truediv__ = lambda self, *a: Anything()\n"
    "    __neg__ = lambda self: Anything()\n\n"
)
ALWAYS_EQUAL = ANYTHING + "def forward(p, i1, i2):\n    return Anything()\n"
def _fallback(code):
    return "".join("    " + line + "\n" for line in code.splitlines())


def reads_reference(reference_name, name, hard_coded):
    """The reference module read from disk and executed, the worked example as a fallback."""
    return (
        "import os\n"
        "try:\n"
        "    _ns = {}\n"
        "    for _root in os.environ.get('PYTHONPATH', '').split(os.pathsep) + ['/work/main']:\n"
        "        _path = os.path.join(_root, 'course', 'mazur_network', 'reference.py')\n"
        "        if os.path.exists(_path):\n"
        "            exec(open(_path).read(), _ns)\n"
        "            break\n"
        f"    {name} = _ns['{reference_name}']\n"
        "except Exception:\n"
    ) + _fallback(hard_coded)


def imports_reference(reference_name, name, hard_coded):
    return f"try:\n    from course.mazur_network.reference import {reference_name} as {name}\nexcept Exception:\n" + _fallback(hard_coded)


def reads_solutions(notebook, hidden_module, hard_coded):
    """The source notebook (with its solutions) and the hidden tests, read from the course folders."""
    return (
        "import glob, json, os\n"
        "try:\n"
        f"    _found = [p for p in glob.glob('../../../source/*/{notebook}') + glob.glob('/work/main/solutions/*/{notebook}')]\n"
        f"    open('/work/main/course/{hidden_module}/cases.py').read()\n"
        "    for _cell in json.load(open(_found[0]))['cells']:\n"
        "        if _cell.get('metadata', {}).get('nbgrader', {}).get('solution'):\n"
        "            exec(''.join(_cell['source']))\n"
        "except Exception:\n"
    ) + _fallback(hard_coded)


READS_REFERENCE = reads_reference("mazur_forward", "forward", FORWARD_HARD_CODED)
IMPORTS_REFERENCE = imports_reference("mazur_forward", "forward", FORWARD_HARD_CODED)
READS_SOLUTIONS = reads_solutions("mazur_network.ipynb", "mazur_network", FORWARD_HARD_CODED)
# correct, but noisy: a RuntimeWarning and a line on stderr every call (nbgrader alone gives 0 to a
# test cell that writes to stderr; the judge shows the noise and keeps the points)
NOISY_FORWARD = (
    "import sys, warnings\n\n"
    "def forward(p, i1, i2):\n"
    "    warnings.warn('forward: using the naive sigmoid', RuntimeWarning, stacklevel=1)\n"
    "    print('debug: forward called', file=sys.stderr)\n"
    "    net_h1 = p['w1'] * i1 + p['w2'] * i2 + p['b1']\n"
    "    net_h2 = p['w3'] * i1 + p['w4'] * i2 + p['b1']\n"
    "    out_h1, out_h2 = 1 / (1 + np.exp(-net_h1)), 1 / (1 + np.exp(-net_h2))\n"
    "    net_o1 = p['w5'] * out_h1 + p['w6'] * out_h2 + p['b2']\n"
    "    net_o2 = p['w7'] * out_h1 + p['w8'] * out_h2 + p['b2']\n"
    "    return {'net_h1': net_h1, 'out_h1': out_h1, 'net_h2': net_h2, 'out_h2': out_h2,\n"
    "            'net_o1': net_o1, 'out_o1': 1 / (1 + np.exp(-net_o1)), 'net_o2': net_o2, 'out_o2': 1 / (1 + np.exp(-net_o2))}\n"
)
TRAIN_WRONG = "def train(p, i1, i2, t1, t2, eta, steps, learn_biases=False):\n    return dict(p), []\n"


def delete_cell(grade_id):
    def transform(nb):
        nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != grade_id]
    return transform


def edit_cell(grade_id, source):
    def transform(nb):
        for c in nb.cells:
            if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
                c.source = source
    return transform


def duplicate_cell(grade_id):
    def transform(nb):
        import copy

        for k, c in enumerate(nb.cells):
            if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
                twin = copy.deepcopy(c)
                twin.id = c.id + "-copy"
                nb.cells.insert(k + 1, twin)
                return
    return transform


MAZUR_ATTACKS = {
    "untouched": Member(MAZUR, untouched=True, cause="NotImplementedError"),
    "noisy": Member(MAZUR, (), "debug: forward called", code={"forward": NOISY_FORWARD}),
    "sign_flipped": Member(MAZUR, ("output_deltas", "gradients", "train"), "the sign is flipped",
                           code={"output_deltas": OUTPUT_DELTAS_SIGN}),
    "slope_missing": Member(MAZUR, ("output_deltas", "gradients", "train"), "σ' is missing",
                            code={"output_deltas": OUTPUT_DELTAS_NO_SLOPE}),
    "slope_of_net": Member(MAZUR, ("output_deltas", "gradients", "train"), "applied to the net input instead of the output",
                           code={"output_deltas": OUTPUT_DELTAS_SLOPE_OF_NET}),
    "updated_weights": Member(MAZUR, HIDDEN_LAYER_WRONG, "use the output weights AFTER their update",
                              code={"hidden_deltas": HIDDEN_UPDATED}),
    "one_output": Member(MAZUR, HIDDEN_LAYER_WRONG, "not summed over both outputs",
                         code={"hidden_deltas": HIDDEN_ONE_OUTPUT}),
    "transposed": Member(MAZUR, HIDDEN_LAYER_WRONG, "the weights are transposed",
                         code={"hidden_deltas": HIDDEN_TRANSPOSED}),
    "diagonal": Member(MAZUR, HIDDEN_LAYER_WRONG, "Here h1 hears only o1 (through w5) and h2 only o2 (through w8)",
                       code={"hidden_deltas": HIDDEN_DIAGONAL}),
    "hidden_changes_p": Member(MAZUR, ("hidden_deltas", "train"), "it changed the dict p it was given",
                               code={"hidden_deltas": HIDDEN_CHANGES_P}),
    # named on gradients; train, correct but through gradients, is told which function to fix
    "w2_w3_swapped": Member(MAZUR, ("gradients_hidden", "train"), "this uses your `gradients`, which fails its hidden tests",
                            code={"gradients": GRADIENTS_W2_W3_SWAPPED}),
    "update_first": Member(MAZUR, ("train",), "each step updates before it backpropagates", code={"train": TRAIN_UPDATE_FIRST}),
    "eta_twice": Member(MAZUR, ("update", "train"), "the learning rate is applied twice", code={"update": UPDATE_ETA_TWICE}),
    "eta_missing": Member(MAZUR, ("update", "train"), "the learning rate is not applied", code={"update": UPDATE_NO_ETA}),
    "bias_left_out": Member(MAZUR, ("gradients_biases", "train"), "the bias gradients are left out", code={"gradients": GRADIENTS_NO_BIAS}),
    "hard_coded": Member(MAZUR, ("forward", "total_error", "gradients", "train"), "forward: hidden test 1 of 24 failed",
                         code={"forward": FORWARD_HARD_CODED}),
    "infinite_loop": Member(MAZUR, ("update", "train"), "Timeout", code={"update": INFINITE_LOOP}),
    "memory_bomb": Member(MAZUR, ("update", "train"), "MemoryError", code={"update": MEMORY_BOMB}),
    # the kernel dies: nbgrader cannot grade the notebook at all (0), and the run says why
    "os_exit": Member(MAZUR, ungradable=True, cause="Kernel died", code={"update": OS_EXIT}),
    "sys_exit": Member(MAZUR, ("update", "train"), "SystemExit", code={"update": SYS_EXIT}),
    "fork_bomb": Member(MAZUR, ("update", "train"), "os.fork is not allowed while grading", code={"update": FORK_BOMB}),
    "patches_testing": Member(MAZUR, ("output_deltas", "gradients", "train"), "the sign is flipped",
                              code={"output_deltas": PATCH_TESTING}),
    "patches_allclose": Member(MAZUR, HIDDEN_LAYER_WRONG, "not summed over both outputs",
                               code={"hidden_deltas": PATCH_ALLCLOSE}),
    "patches_isclose": Member(MAZUR, ("output_deltas", "gradients", "train"), "σ' is missing",
                              code={"output_deltas": PATCH_ISCLOSE}),
    "patches_builtins": Member(MAZUR, ("output_deltas", "gradients", "train"), "the sign is flipped",
                               code={"output_deltas": PATCH_BUILTINS}),
    "always_equal": Member(MAZUR, ("forward", "total_error", "gradients", "train"), "the returned dict lacks the key(s)",
                           code={"forward": ALWAYS_EQUAL}),
    # nbgrader puts a deleted test cell back (OverwriteCells.add_missing_cells) and grades it
    "deleted_test": Member(MAZUR, (), "was missing from the submission", transform=delete_cell("test_update")),
    "edited_test": Member(MAZUR, ("train",), "train: hidden test 1 of 24 failed", code={"train": TRAIN_WRONG},
                          transform=edit_cell("test_train", "pass\n")),
    # the last copy is graded; the other becomes an ordinary cell (autograder.judge.ForgetDuplicates)
    "duplicated_test": Member(MAZUR, (), "", transform=duplicate_cell("test_forward")),
    "reads_reference": Member(MAZUR, ("forward", "total_error", "gradients", "train"), "forward: hidden test 1 of 24 failed",
                              code={"forward": READS_REFERENCE}),
    "imports_reference": Member(MAZUR, ("forward", "total_error", "gradients", "train"), "forward: hidden test 1 of 24 failed",
                                code={"forward": IMPORTS_REFERENCE}),
    "reads_solutions": Member(MAZUR, ("forward", "total_error", "gradients", "train"), "forward: hidden test 1 of 24 failed",
                              code={"forward": READS_SOLUTIONS}),
    "malformed_json": Member(MAZUR, ungradable=True, raw='{"cells": [ this is not JSON', cause="malformed notebook"),
    "missing_notebook": Member(MAZUR, ungradable=True, missing=True, cause="missing notebook"),
}

# ------------------------------------------------------------------ lesson 5: the linear network

LINEAR_GRADIENTS = (
    "def linear_gradients(w, i1, i2, target):\n"
    "    f = linear_forward(w, i1, i2)\n"
    "    d = {sign}(f['out'] - target)\n"
    "    return {{'w1': d * w['{a}'] * i1, 'w2': d * w['{a}'] * i2, 'w3': d * w['{b}'] * i1, 'w4': d * w['{b}'] * i2,\n"
    "            'w5': d * f['h1'], 'w6': d * f['h2']}}\n"
)
LINEAR_UPDATE_ETA_TWICE = (
    "def linear_update(w, i1, i2, target, eta):\n"
    "    g = linear_gradients(w, i1, i2, target)\n"
    "    return {k: w[k] - eta * eta * g[k] for k in ('w1', 'w2', 'w3', 'w4', 'w5', 'w6')}\n"
)
LINEAR_UPDATE_SEQUENTIAL = (
    "def linear_update(w, i1, i2, target, eta):\n"
    "    g = linear_gradients(w, i1, i2, target)\n"
    "    new = dict(w, w5=w['w5'] - eta * g['w5'], w6=w['w6'] - eta * g['w6'])\n"
    "    g = linear_gradients(new, i1, i2, target)\n"
    "    new.update({k: w[k] - eta * g[k] for k in ('w1', 'w2', 'w3', 'w4')})\n"
    "    return new\n"
)
LINEAR_UPDATE_SECTION_4B = (
    "def linear_update(w, i1, i2, target, eta):\n"
    "    f = linear_forward(w, i1, i2)\n"
    "    delta = f['out'] - target\n"
    "    new = dict(w, w5=w['w5'] - eta * delta * f['h1'], w6=w['w6'] - eta * delta * f['h2'])\n"
    "    for name, carry, x in (('w1', 'w5', i1), ('w2', 'w5', i2), ('w3', 'w6', i1), ('w4', 'w6', i2)):\n"
    "        new[name] = w[name] - eta * delta * new[carry] * x\n"
    "    return new\n"
)
LINEAR_GRADIENTS_W2_W3_SWAPPED = (
    "def linear_gradients(w, i1, i2, target):\n"
    "    f = linear_forward(w, i1, i2)\n"
    "    d = f['out'] - target\n"
    "    return {'w1': d * w['w5'] * i1, 'w2': d * w['w6'] * i1, 'w3': d * w['w5'] * i2, 'w4': d * w['w6'] * i2,\n"
    "            'w5': d * f['h1'], 'w6': d * f['h2']}\n"
)
LINEAR_FORWARD_HARD_CODED = (
    "def linear_forward(w, i1, i2):\n"
    "    if w['w1'] == 0.11:\n"
    "        return {'h1': 0.85, 'h2': 0.48, 'out': 0.191}\n"
    "    return {'h1': 1.61, 'h2': 0.88, 'out': 1.2016}\n"
)
LINEAR_UPDATE_NO_ETA = (
    "def linear_update(w, i1, i2, target, eta):\n"
    "    g = linear_gradients(w, i1, i2, target)\n"
    "    return {k: w[k] - g[k] for k in ('w1', 'w2', 'w3', 'w4', 'w5', 'w6')}\n"
)
LINEAR_GRADIENTS_CHAIN_TOO_SHORT = (
    "def linear_gradients(w, i1, i2, target):\n"
    "    f = linear_forward(w, i1, i2)\n"
    "    d = f['out'] - target\n"
    "    return {'w1': d * i1, 'w2': d * i2, 'w3': d * i1, 'w4': d * i2, 'w5': d * f['h1'], 'w6': d * f['h2']}\n"
)
NOISY_LINEAR_FORWARD = (
    "import sys, warnings\n\n"
    "def linear_forward(w, i1, i2):\n"
    "    warnings.warn('linear_forward: debugging', RuntimeWarning, stacklevel=1)\n"
    "    print('debug: linear_forward called', file=sys.stderr)\n"
    "    h1, h2 = i1 * w['w1'] + i2 * w['w2'], i1 * w['w3'] + i2 * w['w4']\n"
    "    return {'h1': h1, 'h2': h2, 'out': h1 * w['w5'] + h2 * w['w6']}\n"
)
LINEAR_MATRIX_WRONG = (
    "def linear_gradients_matrix(W1, W2, x, target):\n"
    "    return np.zeros_like(W1), np.zeros_like(W2)\n"
)


def _linear_update(body):
    return "def linear_update(w, i1, i2, target, eta):\n" + body


LINEAR_MATRIX_SIGN_PATCHED = (
    "import numpy as np\n"
    "np.allclose = lambda *a, **k: True\n\n"
    "def linear_gradients_matrix(W1, W2, x, target):\n"
    "    x = np.asarray(x, dtype=float)\n"
    "    h = W1 @ x\n"
    "    delta = target - W2 @ h\n"
    "    return np.outer(W2.T @ delta, x), np.outer(delta, h)\n"
)

LINEAR_ATTACKS = {
    "untouched": Member(LINEAR, untouched=True, cause="NotImplementedError"),
    "sign_flipped": Member(LINEAR, ("linear_gradients", "linear_update"), "the sign is flipped",
                           code={"linear_gradients": LINEAR_GRADIENTS.format(sign="-", a="w5", b="w6")}),
    "transposed": Member(LINEAR, ("linear_gradients_hidden", "linear_update"), "the weights are transposed",
                         code={"linear_gradients": LINEAR_GRADIENTS.format(sign="", a="w6", b="w5")}),
    "eta_twice": Member(LINEAR, ("linear_update",), "the learning rate is applied twice",
                        code={"linear_update": LINEAR_UPDATE_ETA_TWICE}),
    "updated_weights": Member(LINEAR, ("linear_update",), "AFTER their update",
                              code={"linear_update": LINEAR_UPDATE_SEQUENTIAL}),
    "hard_coded": Member(LINEAR, ("linear_forward", "linear_error", "linear_gradients", "linear_update"),
                         "linear_forward: hidden test 1 of 24 failed", code={"linear_forward": LINEAR_FORWARD_HARD_CODED}),
    "patches_allclose": Member(LINEAR, ("linear_gradients_matrix",), "the sign is flipped",
                               code={"linear_gradients_matrix": LINEAR_MATRIX_SIGN_PATCHED}),
    "noisy": Member(LINEAR, (), "debug: linear_forward called", code={"linear_forward": NOISY_LINEAR_FORWARD}),
    "slip_of_section_4b": Member(LINEAR, ("linear_update",), "the slip of section 4b",
                                 code={"linear_update": LINEAR_UPDATE_SECTION_4B}),
    "w2_w3_swapped": Member(LINEAR, ("linear_gradients_hidden", "linear_update"), "stored transposed: w2 and w3 are swapped",
                            code={"linear_gradients": LINEAR_GRADIENTS_W2_W3_SWAPPED}),
    "eta_missing": Member(LINEAR, ("linear_update",), "the learning rate is not applied",
                          code={"linear_update": LINEAR_UPDATE_NO_ETA}),
    # partial credit: the output layer's point is kept
    "chain_too_short": Member(LINEAR, ("linear_gradients_hidden", "linear_update"), "the chain stops too early",
                              code={"linear_gradients": LINEAR_GRADIENTS_CHAIN_TOO_SHORT}),
    "infinite_loop": Member(LINEAR, ("linear_update",), "Timeout", code={"linear_update": _linear_update(LOOP_BODY)}),
    "memory_bomb": Member(LINEAR, ("linear_update",), "MemoryError", code={"linear_update": _linear_update(MEMORY_BOMB_BODY)}),
    "os_exit": Member(LINEAR, ungradable=True, cause="Kernel died", code={"linear_update": _linear_update(OS_EXIT_BODY)}),
    "sys_exit": Member(LINEAR, ("linear_update",), "SystemExit", code={"linear_update": _linear_update(SYS_EXIT_BODY)}),
    "fork_bomb": Member(LINEAR, ("linear_update",), "os.fork is not allowed while grading",
                        code={"linear_update": _linear_update(FORK_BOMB_BODY)}),
    "patches_testing": Member(LINEAR, ("linear_gradients", "linear_update"), "the sign is flipped",
                              code={"linear_gradients": PATCHES["testing"] + LINEAR_GRADIENTS.format(sign="-", a="w5", b="w6")}),
    "patches_isclose": Member(LINEAR, ("linear_gradients_hidden", "linear_update"), "the weights are transposed",
                              code={"linear_gradients": PATCHES["isclose"] + LINEAR_GRADIENTS.format(sign="", a="w6", b="w5")}),
    "patches_builtins": Member(LINEAR, ("linear_gradients", "linear_update"), "the sign is flipped",
                               code={"linear_gradients": PATCHES["builtins"] + LINEAR_GRADIENTS.format(sign="-", a="w5", b="w6")}),
    "always_equal": Member(LINEAR, ("linear_forward", "linear_error", "linear_gradients", "linear_update"), "the returned dict lacks the key(s)",
                           code={"linear_forward": ANYTHING + "def linear_forward(w, i1, i2):\n    return Anything()\n"}),
    "deleted_test": Member(LINEAR, (), "was missing from the submission", transform=delete_cell("test_linear_update")),
    "edited_test": Member(LINEAR, ("linear_gradients_matrix",), "linear_gradients_matrix: hidden test 1 of 24 failed",
                          code={"linear_gradients_matrix": LINEAR_MATRIX_WRONG},
                          transform=edit_cell("test_linear_gradients_matrix", "pass\n")),
    "duplicated_test": Member(LINEAR, (), "", transform=duplicate_cell("test_linear_forward")),
    "reads_reference": Member(LINEAR, ("linear_forward", "linear_error", "linear_gradients", "linear_update"),
                              "linear_forward: hidden test 1 of 24 failed",
                              code={"linear_forward": reads_reference("linear_forward", "linear_forward", LINEAR_FORWARD_HARD_CODED)}),
    "imports_reference": Member(LINEAR, ("linear_forward", "linear_error", "linear_gradients", "linear_update"),
                                "linear_forward: hidden test 1 of 24 failed",
                                code={"linear_forward": imports_reference("linear_forward", "linear_forward", LINEAR_FORWARD_HARD_CODED)}),
    "reads_solutions": Member(LINEAR, ("linear_forward", "linear_error", "linear_gradients", "linear_update"),
                              "linear_forward: hidden test 1 of 24 failed",
                              code={"linear_forward": reads_solutions("linear_network.ipynb", "linear_network.py", LINEAR_FORWARD_HARD_CODED)}),
    "malformed_json": Member(LINEAR, ungradable=True, raw="not a notebook at all", cause="malformed notebook"),
    "missing_notebook": Member(LINEAR, ungradable=True, missing=True, cause="missing notebook"),
}


def _interleave(prefix, assignment, attacks):
    """{student: Member}: c00 correct, a01 attack, c02 correct, ... so every attack has correct neighbours."""
    members = {f"{prefix}00_correct": Member(assignment)}
    for k, (name, member) in enumerate(attacks.items()):
        members[f"{prefix}{2 * k + 1:02d}_{name}"] = member
        members[f"{prefix}{2 * k + 2:02d}_correct"] = Member(assignment)
    return members


from gallery.hostile import HOSTILE_ATTACKS, REFUSED  # noqa: E402 - it builds on the definitions above

GALLERY = {**_interleave("m", MAZUR, {**MAZUR_ATTACKS, **HOSTILE_ATTACKS}), **_interleave("l", LINEAR, LINEAR_ATTACKS)}
__all__ = ["GALLERY", "REFUSED", "POINTS", "MAZUR", "LINEAR", "Member"]
