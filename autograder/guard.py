"""The grading kernel's guard, imported before the student's first cell (see autograder/judge.py).

It imports what the hidden test cells need (autograder.grading and autograder.records, with
pristine copies of the builtins they use, and every lesson's course/<lesson>/cases.py: they draw
cases, they hold no answers), then installs a Python audit hook that, for the rest of the kernel's life, refuses:

* opening files of the repository and of the course that a student must not read at grading:
  autograder/ (the reference and the hidden tests), the source notebooks with their solutions,
  the other submissions, the gradebook, the tests (whose fixtures hold correct code); the
  student's own folder, lessons/, backprop_lab/ and the installed libraries stay readable;
* importing any autograder or course module that is not already loaded (a reference never is);
* starting processes (fork, exec, spawn, subprocess, os.system: no fork bombs, no `cat`),
  creating links, and ctypes' raw memory and symbol access;
* signalling any process outside the kernel's own process group (os.kill, os.killpg): the
  kernel may signal itself and its group (ipykernel's shutdown terminates the group's children),
  never the grader or another submission's kernel. (signal.pidfd_send_signal raises no audit
  event; the sandbox's PID namespace is what keeps other processes out of its reach.)

Audit hooks cannot be removed once installed. This is not a security boundary on its own
(the sandbox kernel of autograder/sandbox.py adds OS limits and another user id), but the
judge already decides every hidden test outside the kernel: what the guard protects is the
reference itself, which a student's code must not be able to call or copy at grading.
"""
import importlib.util
import os
import sys

import numpy  # noqa: F401 - loaded now: its import uses ctypes, which is refused later

import autograder
import autograder.grading  # noqa: F401 - pristine builtins captured before any student cell
import course

for _lesson in course.lessons():  # loaded now: importing autograder or course is refused later
    importlib.import_module(f"course.{_lesson}.cases")

_realpath, _join, _sep, _getcwd = os.path.realpath, os.path.join, os.sep, os.getcwd
_getpid, _getpgid, _getpgrp = os.getpid, os.getpgid, os.getpgrp
_REPO = _realpath(_join(os.path.dirname(autograder.__file__), os.pardir))
_CWD = _realpath(_getcwd())
_PREFIXES = tuple({_realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)})


def _allowed_roots():
    """The student's own folder, the installed libraries and the lessons' shared module."""
    roots = [_CWD] + list(_PREFIXES)
    spec = importlib.util.find_spec("backprop_lab")
    roots += list(spec.submodule_search_locations or []) if spec else []
    roots.append(_join(_REPO, "lessons"))
    return tuple(_realpath(r) for r in roots)


def _protected_roots():
    """The repository (reference, hidden tests, solutions, tests) and the course root nbgrader runs in."""
    roots = [_REPO] + [p for p in os.environ.get("BACKPROP_PROTECT", "").split(os.pathsep) if p]
    return tuple(_realpath(r) for r in roots)


_ALLOWED = _allowed_roots()
# The student's own folder comes last on sys.path: a helper module of theirs imports, but a file or folder
# named like a library (numpy.py, course/) never shadows it (the sandbox starts Python with PYTHONSAFEPATH).
sys.path[:] = [p for p in sys.path if p not in ("", "/", _CWD)] + [_CWD]
_PROTECTED = _protected_roots()
_REFUSED = {
    "os.fork", "os.forkpty", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "subprocess.Popen",
    "pty.spawn", "os.symlink", "os.link",
    "ctypes.dlsym", "ctypes.dlsym/handle", "ctypes.call_function", "ctypes.cdata", "ctypes.addressof",
    "ctypes.string_at", "ctypes.wstring_at", "ctypes.PyObj_FromPtr", "ctypes.set_errno",
}


def _inside(path, root):
    return path == root or path.startswith(root + _sep)


def _readable(path):
    """False for a file of the course that student code must not open at grading."""
    if isinstance(path, int):
        return True
    try:
        path = _realpath(os.fsdecode(path))
    except (TypeError, ValueError):
        return True
    if any(_inside(path, root) for root in _ALLOWED):
        return True
    return not any(_inside(path, root) for root in _PROTECTED)


def _own_group(pid):
    """True when os.kill(pid, ...) reaches only the kernel itself or its own process group
    (0 and -pgid name a group; -1 is every process)."""
    own = _getpgrp()  # 0 inside the sandbox's PID namespace: the group's leader is outside it
    if pid == 0 or pid == _getpid():
        return True
    if pid < 0:
        return pid != -1 and -pid == own
    try:
        return _getpgid(pid) == own
    except OSError:
        return False


def _hook(event, args):
    if event == "open":
        if args and not _readable(args[0]):
            raise PermissionError(f"reading {args[0]} is not allowed while grading")
    elif event == "import":
        name = args[0] if args else ""
        if isinstance(name, str) and name.split(".")[0] in ("autograder", "course") and name not in sys.modules:
            raise ImportError(f"{name} is not available to a notebook while grading")
    elif event == "ctypes.dlopen":
        library = args[0] if args else None
        if not (isinstance(library, str) and _realpath(library).startswith(_PREFIXES)):
            raise PermissionError("loading native libraries is not allowed while grading")
    elif event == "os.kill":
        if args and not _own_group(args[0]):
            raise PermissionError(f"signalling process {args[0]} is not allowed while grading")
    elif event == "os.killpg":
        if args and args[0] not in (0, _getpgrp()):
            raise PermissionError(f"signalling process group {args[0]} is not allowed while grading")
    elif event in _REFUSED:
        raise PermissionError(f"{event} is not allowed while grading")


sys.addaudithook(_hook)
