"""The grading sandbox (autograder/sandbox.py): the operating system isolates every grading kernel.

Each test starts a kernel exactly as grading does (SandboxKernelMixin: the launcher, bubblewrap,
ipc sockets), runs student code in it and checks the outcome: what the kernel can see, write and
signal, and that attacks on its limits fail fast while the grader lives on.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from jupyter_client import KernelManager
from traitlets.config import Config

from autograder import execute, judge, sandbox

pytestmark = pytest.mark.skipif(sandbox.probe() is not None, reason=f"no sandbox here: {sandbox.probe()}")


class Kernel(execute.SandboxKernelMixin, KernelManager):
    """The grading kernel manager, synchronous for tests."""


@contextmanager
def sandbox_kernel(folder, arguments=(), **limits):
    """A running sandbox kernel whose student folder is `folder`; limits as GradingSettings traits."""
    config = Config()
    for name, value in limits.items():
        setattr(config.GradingSettings, name, value)
    km = Kernel(kernel_name="python3", config=config)
    km.start_kernel(cwd=str(folder), extra_arguments=list(arguments))
    client = km.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        yield km, client
    finally:
        client.stop_channels()
        if km.has_kernel:
            km.shutdown_kernel(now=True)
        km.cleanup_resources()


def run_code(client, code, timeout=60):
    """(status, stdout text, error name) of code run in the kernel."""
    out, error = [], {}

    def hook(msg):
        if msg["msg_type"] == "stream":
            out.append(msg["content"]["text"])
        elif msg["msg_type"] == "error":
            error.update(msg["content"])

    reply = client.execute_interactive(code, timeout=timeout, output_hook=hook)
    return reply["content"]["status"], "".join(out), error.get("ename")


@pytest.fixture
def student(tmp_path):
    """A student's folder with a notebook and a data file."""
    folder = tmp_path / "submitted" / "alice" / "06_mazur_network"
    folder.mkdir(parents=True)
    (folder / "mazur_network.ipynb").write_text("{}")
    (folder / "data.csv").write_text("1,2\n")
    return folder


def test_a_normal_notebook_runs_with_the_lessons_module_and_the_case_drawing_code(student):
    code = ("import numpy as np, scipy.special, matplotlib.pyplot, backprop_lab\n"
            "from course.mazur_network import cases as mazur_network\n"
            "print(float(scipy.special.expit(0.0)), np.ones(3).sum(), len(mazur_network.forward_cases()))\n"
            "print(open('data.csv').read().strip())")
    with sandbox_kernel(student) as (_, client):
        status, out, _ = run_code(client, code)
    assert (status, out.split()) == ("ok", ["0.5", "3.0", "24", "1,2"])


WHAT_IT_SEES = '''
import json, os
repo = {repo!r}
seen = {{}}
for name in ["course.mazur_network.reference", "course.mazur_network.mistakes", "autograder.mistakes", "autograder.verdicts", "autograder.judge"]:
    try:
        __import__(name)
        seen[name] = "imported"
    except ImportError:
        seen[name] = "absent"
seen["repo_listing"] = sorted(os.listdir(repo)) if os.path.isdir(repo) else []
paths = [repo + "/solutions", repo + "/course/mazur_network/reference.py", repo + "/tests", {course!r}, {gradebook!r},
         "/etc/shadow", {grader_home!r}]
seen["paths"] = {{p: os.path.exists(p) for p in paths}}
seen["root_listing"] = sorted(os.listdir("/root")) if os.path.isdir("/root") else []
seen["uid"] = os.getuid()
def _cmdline(pid):
    try:
        return open(f"/proc/{{pid}}/cmdline", "rb").read().replace(b"\\0", b" ").decode()
    except OSError:
        return ""
seen["processes"] = [_cmdline(p) for p in os.listdir("/proc") if p.isdigit()]
seen["secret"] = os.environ.get("GRADER_SECRET")
seen["env"] = sorted(os.environ)
print(json.dumps(seen))
'''


def test_the_kernel_sees_no_repository_no_course_and_no_grader(student, monkeypatch):
    repo = str(sandbox.REPO)
    monkeypatch.setenv("GRADER_SECRET", "s3cret")
    course = str(student.parent.parent.parent)
    code = WHAT_IT_SEES.format(repo=repo, course=course, gradebook=course + "/gradebook.db",
                               grader_home=str(Path.home() / ".ssh"))
    with sandbox_kernel(student) as (_, client):
        status, out, _ = run_code(client, code)
    assert status == "ok", out
    seen = json.loads(out)
    assert {k: v for k, v in seen.items() if k.startswith(("autograder.", "course."))} == dict.fromkeys(
        ["course.mazur_network.reference", "course.mazur_network.mistakes", "autograder.mistakes", "autograder.verdicts",
         "autograder.judge"], "absent")
    assert not any(seen["paths"].values()), seen["paths"]
    assert seen["repo_listing"] in ([], [".venv"]), seen["repo_listing"]  # at most the venv, when it lives there
    assert seen["root_listing"] in ([], [".pyenv"]), seen["root_listing"]  # at most the interpreter's own folder
    assert seen["secret"] is None and not any(name.startswith(("JPY", "SANDBOX", "GRADER")) for name in seen["env"])
    # at most bwrap's init, the worker's kernel factory and the kernel's parent (none of which it can signal,
    # see below), and the kernel itself: nothing of the grader, of nbgrader or of other kernels
    assert len(seen["processes"]) <= 4, seen["processes"]
    assert not any(word in line for line in seen["processes"] for word in ("pytest", "nbgrader", "autograder.grade")), \
        seen["processes"]
    if os.geteuid() == 0:
        assert sandbox.UID_BASE <= seen["uid"] < sandbox.UID_BASE + sandbox.UID_COUNT


WRITABLE = '''
import json, os
writable = []
for top, dirs, files in os.walk("/"):
    if top.startswith(("/proc", "/sys", "/dev")):
        dirs[:] = []
        continue
    if os.access(top, os.W_OK):
        writable.append(top)
        dirs[:] = []
wrote = []
for target in ["/usr/lib/x", "/opt/backprop-lab/autograder/grading.py", "/etc/passwd", {venv!r} + "/evil.pth"]:
    try:
        open(target, "a").close()
        wrote.append(target)
    except OSError as error:
        pass
print(json.dumps({{"writable": sorted(writable), "wrote": wrote}}))
open("mazur_network.ipynb", "w").write("changed by the student")
'''


def test_only_the_private_copy_home_and_tmp_are_writable_and_the_original_is_untouched(student):
    before = {p.name: p.read_bytes() for p in student.iterdir()}
    with sandbox_kernel(student) as (_, client):
        status, out, _ = run_code(client, WRITABLE.format(venv=sys.prefix), timeout=120)
    assert status == "ok", out
    found = json.loads(out)
    assert set(found["writable"]) <= {sandbox.INSIDE_HOME, sandbox.INSIDE_WORK, "/tmp", sandbox.INSIDE_IPC}, found
    assert found["wrote"] == []
    assert {p.name: p.read_bytes() for p in student.iterdir()} == before


SIGNALS = '''
import os
results = []
for name, send in [("grader", lambda: os.kill({grader}, 0)), ("grader group", lambda: os.killpg({group}, 0)),
                   ("everyone", lambda: os.kill(-1, signal_number)), ("itself", lambda: os.kill(os.getpid(), 0))]:
    try:
        send()
        results.append(name + ": sent")
    except (ProcessLookupError, PermissionError) as error:
        results.append(name + ": " + type(error).__name__)
print("|".join(results))
'''


def test_the_kernel_cannot_signal_any_process_outside_its_sandbox(student):
    """Signal 0 only, and SIGCONT to everyone it can see: nothing outside can be reached by pid."""
    code = "signal_number = __import__('signal').SIGCONT\n" + SIGNALS.format(grader=os.getpid(), group=os.getpgrp())
    with sandbox_kernel(student) as (_, client):
        status, out, _ = run_code(client, code)
    assert status == "ok", out
    got = dict(part.split(": ") for part in out.strip().split("|"))
    assert got["grader"] != "sent" and got["grader group"] != "sent" and got["itself"] == "sent", got


def test_a_memory_bomb_fails_fast(student):
    with sandbox_kernel(student, memory_mb=1024) as (_, client):
        started = time.monotonic()
        status, _, ename = run_code(client, "hog = []\nwhile True:\n    hog.append(bytearray(50 * 1024 * 1024))")
        assert (status, ename) == ("error", "MemoryError")
        assert time.monotonic() - started < 20
        assert run_code(client, "del hog\nprint('alive')")[1].strip() == "alive"


def sleepers(marker):
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if cmdline.read_bytes().split(b"\0")[:2] == [b"sleep", marker.encode()]:
                found.append(cmdline.parent.name)
        except OSError:
            pass
    return found


def test_a_fork_bomb_is_stopped_and_its_processes_die_with_the_kernel(student):
    bomb = (
        "import os\nn = 0\ntry:\n    while True:\n        if os.fork() == 0:\n"
        "            os.setsid()\n            os.execvp('sleep', ['sleep', '4243'])\n        n += 1\n"
        "except OSError as error:\n    print('stopped', n)\n"
    )
    with sandbox_kernel(student, processes=60) as (_, client):
        started = time.monotonic()
        status, out, _ = run_code(client, bomb)
        assert status == "ok" and out.startswith("stopped"), out
        assert int(out.split()[1]) <= 60
        assert time.monotonic() - started < 20
    time.sleep(0.5)
    assert not sleepers("4243"), "the fork bomb's processes outlived the kernel"


def test_a_cpu_burning_loop_is_killed_at_the_cpu_limit(student):
    with sandbox_kernel(student, cpu_seconds=2) as (km, client):
        started = time.monotonic()
        client.execute("while True:\n    pass")
        while km.is_alive() and time.monotonic() - started < 30:
            time.sleep(0.2)
        assert not km.is_alive(), "the kernel outlived its CPU limit"
        assert time.monotonic() - started < 60  # 2 CPU seconds (the default limit is 120), on a loaded machine


def test_a_giant_file_write_stops_at_the_file_size_limit(student):
    code = (
        "import os\npath = 'giant'\n"
        "try:\n    with open(path, 'wb') as f:\n        for _ in range(100):\n            f.write(b'0' * 1024 * 1024)\n"
        "except OSError as error:\n    print(error.strerror)\nprint(os.path.getsize(path))\n"
    )
    with sandbox_kernel(student, file_size_mb=8) as (_, client):
        status, out, _ = run_code(client, code)
    assert status == "ok" and out.splitlines()[0] == "File too large", out
    assert int(out.splitlines()[1]) <= 8 * 1024 * 1024
    assert not (student / "giant").exists()


def test_no_network_inside_the_kernel(student):
    with socket.socket() as listener:  # a server on the host the kernel must not reach
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        code = (
            "import socket\nfor address in [('127.0.0.1', %d), ('1.1.1.1', 53)]:\n"
            "    try:\n        socket.create_connection(address, timeout=5).close()\n        print('connected')\n"
            "    except OSError as error:\n        print('refused')\n" % port
        )
        with sandbox_kernel(student) as (_, client):
            status, out, _ = run_code(client, code)
    assert (status, out.split()) == ("ok", ["refused", "refused"])


def test_the_guard_still_loads_and_the_kernel_shuts_down_quietly(student):
    with sandbox_kernel(student, arguments=[judge.GUARD_LINE]) as (km, client):
        status, out, _ = run_code(client, "import sys\nprint('autograder.guard' in sys.modules)")
        assert (status, out.strip()) == ("ok", "True")
        folder = km.sandbox_dir
        km.shutdown_kernel(now=False)
    assert not folder.exists(), "the kernel's folder outlived it"


def test_leftovers_of_a_killed_worker_are_removed_and_those_of_a_live_one_kept(student):
    """What kill -9 of a grading worker leaves: its kernel's folder (and cgroup) with a process in it."""
    dead = subprocess.Popen(["true"])
    dead.wait()
    folders = {}
    for owner in (dead.pid, os.getpid()):
        sandbox.ROOT.mkdir(parents=True, exist_ok=True)
        folder = sandbox.ROOT / f"{owner}-leftover"
        (folder / "home").mkdir(parents=True)
        folders[owner] = folder
    group = sandbox.make_cgroup(sandbox.cgroup_name(folders[dead.pid]), 10)
    orphan = subprocess.Popen(["sleep", "4245"])
    try:
        if group is not None:
            (group / "cgroup.procs").write_text(str(orphan.pid))
        removed = sandbox.remove_stale()
        assert folders[dead.pid] in removed and not folders[dead.pid].exists()
        assert folders[os.getpid()].is_dir()
        if group is not None:
            assert orphan.wait(timeout=10) == -signal.SIGKILL and not group.exists()
    finally:
        orphan.kill()
        orphan.wait()
        sandbox.remove_kernel_dir(folders[os.getpid()])


def test_grading_refuses_without_bubblewrap_and_says_how_to_fix_it(monkeypatch):
    monkeypatch.setattr(sandbox, "bwrap_path", lambda: "")
    sandbox.probe.cache_clear()
    try:
        with pytest.raises(sandbox.SandboxUnavailable, match="apt-get install bubblewrap.*--unsafe-no-sandbox"):
            sandbox.require()
    finally:
        monkeypatch.undo()
        sandbox.probe.cache_clear()


def test_the_launcher_is_started_by_the_graders_python_in_isolated_mode():
    km = execute.SandboxKernelManager(kernel_name="python3")
    km.sandbox_dir, km.connection_file = Path("/tmp/x"), "/tmp/c.json"
    command = km.format_kernel_cmd()
    assert command[:2] == [sys.executable, "-I"] and "--settings" in command
    settings = json.loads(command[command.index("--settings") + 1])
    assert settings["memory_mb"] == 2048 and settings["processes"] == 256


LEAVE = '''
import os
for path in ["/tmp/left", "/dev/shm/left", "/home/student/left", "/home/student/work/left"]:
    try:
        open(path, "w").write("from the previous kernel")
    except OSError:
        pass
'''
FIND = '''
import os
print([p for p in ["/tmp/left", "/dev/shm/left", "/home/student/left", "/home/student/work/left"] if os.path.exists(p)])
'''


def test_the_next_kernel_finds_nothing_the_previous_one_left(student, tmp_path):
    """Kernels forked by one worker's factory, one after the other, share nothing writable."""
    other = tmp_path / "submitted" / "bob" / "06_mazur_network"
    other.mkdir(parents=True)
    with sandbox_kernel(student) as (_, client):
        assert run_code(client, LEAVE)[0] == "ok"
    with sandbox_kernel(other) as (_, client):
        status, out, _ = run_code(client, FIND)
    assert (status, out.strip()) == ("ok", "[]")
    assert not (student / "left").exists()


@pytest.mark.parametrize("factory", [True, False], ids=["factory", "one-bwrap-per-kernel"])
def test_a_students_files_never_shadow_the_libraries_and_a_helper_module_still_imports(student, factory):
    """A submission holding course/, autograder/, backprop_lab/ or numpy.py (by accident or not) imports the real
    ones; the student's own helper module imports as in Jupyter."""
    for package in ("course", "autograder", "backprop_lab"):
        (student / package).mkdir()
        (student / package / "__init__.py").write_text("SHADOW = True\n")
    (student / "numpy.py").write_text("SHADOW = True\n")
    (student / "my_helpers.py").write_text("ANSWER = 42\n")
    code = ("import course, autograder.grading, backprop_lab, numpy, my_helpers\n"
            "print([hasattr(m, 'SHADOW') for m in (course, autograder, backprop_lab, numpy)], my_helpers.ANSWER)\n"
            "from course.mazur_network.cases import check_forward\nprint(callable(check_forward))")
    with sandbox_kernel(student, [judge.GUARD_LINE], kernel_factory=factory) as (_, client):
        status, out, _ = run_code(client, code)
    assert (status, out.split("\n")[:2]) == ("ok", ["[False, False, False, False] 42", "True"]), out
