"""The grading sandbox (autograder/sandbox.py): attacks inside the kernel fail fast, the grader lives on.

Each test starts the sandbox kernel exactly as `make grade` does (the kernelspec, unix-socket
transport, a slot of its own), runs student code in it, and checks the outcome and the time.
"""
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pytest
from jupyter_client import KernelManager
from traitlets.config import Config

from autograder import judge, sample_course, sandbox
from conftest import ROOT, run

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or not Path("/proc").is_dir(), reason="the sandbox needs Linux")


SLOT = 40000 + os.getpid() % 10000  # never one of a grading run's slots (below 32000)


@contextmanager
def sandbox_kernel(tmp_path, monkeypatch, arguments=(), **limits):
    """A running sandbox kernel; limits as environment variables (SANDBOX_CPU_SECONDS=2...)."""
    for name, value in limits.items():
        monkeypatch.setenv(name, str(value))
    config = Config()
    sandbox.install_kernelspec(tmp_path / "kernels-root")
    sandbox.use_sandbox(config, SLOT, tmp_path / "kernels-root")
    km = KernelManager(kernel_name=sandbox.KERNEL_NAME, config=config)
    km.start_kernel(cwd=str(tmp_path), extra_arguments=list(arguments))
    client = km.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        yield km, client
    finally:
        client.stop_channels()
        if km.has_kernel:
            km.shutdown_kernel(now=True)
        sandbox.release_slot(SLOT)


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


def test_a_normal_notebook_still_runs(tmp_path, monkeypatch):
    with sandbox_kernel(tmp_path, monkeypatch) as (_, client):
        status, out, _ = run_code(client, "import numpy as np, autograder.reference as ref\nprint(float(ref.sigmoid(0.0)), np.ones(3).sum())")
    assert (status, out.split()) == ("ok", ["0.5", "3.0"])


def test_a_memory_bomb_fails_fast(tmp_path, monkeypatch):
    with sandbox_kernel(tmp_path, monkeypatch, SANDBOX_MEMORY_MB=1024) as (km, client):
        started = time.monotonic()
        status, _, ename = run_code(client, "hog = []\nwhile True:\n    hog.append(bytearray(50 * 1024 * 1024))")
        assert (status, ename) == ("error", "MemoryError")
        assert time.monotonic() - started < 20
        assert run_code(client, "del hog\nprint('alive')")[1].strip() == "alive"


def test_a_fork_bomb_is_stopped_and_its_processes_die_with_the_kernel(tmp_path, monkeypatch):
    if sandbox.process_protection().startswith("processes NOT"):
        pytest.skip(sandbox.process_protection())
    bomb = (
        "import os\nn = 0\ntry:\n    while True:\n        if os.fork() == 0:\n"
        "            os.execvp('sleep', ['sleep', '4243'])\n        n += 1\n"
        "except OSError as error:\n    print('stopped', n)\n"
    )
    with sandbox_kernel(tmp_path, monkeypatch, SANDBOX_PROCESSES=60) as (_, client):
        started = time.monotonic()
        status, out, _ = run_code(client, bomb)
        assert status == "ok" and out.startswith("stopped"), out
        assert int(out.split()[1]) <= 60
        assert time.monotonic() - started < 20
    time.sleep(0.5)
    assert not sleepers("4243"), "the fork bomb's processes outlived the kernel"


def sleepers(marker):
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if cmdline.read_bytes().split(b"\0")[:2] == [b"sleep", marker.encode()]:
                found.append(cmdline.parent.name)
        except OSError:
            pass
    return found


def test_a_cpu_burning_loop_is_killed_at_the_cpu_limit(tmp_path, monkeypatch):
    with sandbox_kernel(tmp_path, monkeypatch, SANDBOX_CPU_SECONDS=2) as (km, client):
        started = time.monotonic()
        client.execute("while True:\n    pass")
        while km.is_alive() and time.monotonic() - started < 30:
            time.sleep(0.2)
        assert not km.is_alive(), "the kernel outlived its CPU limit"
        assert time.monotonic() - started < 15


def test_a_giant_file_write_stops_at_the_file_size_limit(tmp_path, monkeypatch):
    code = (
        "import os\npath = os.path.join(os.environ['TMPDIR'], 'giant')\n"
        "try:\n    with open(path, 'wb') as f:\n        for _ in range(100):\n            f.write(b'0' * 1024 * 1024)\n"
        "except OSError as error:\n    print(error.strerror)\nprint(os.path.getsize(path))\n"
    )
    with sandbox_kernel(tmp_path, monkeypatch, SANDBOX_FILE_SIZE_MB=8) as (_, client):
        status, out, _ = run_code(client, code)
    assert status == "ok" and out.splitlines()[0] == "File too large", out
    assert int(out.splitlines()[1]) <= 8 * 1024 * 1024


def test_no_network_inside_the_kernel(tmp_path, monkeypatch):
    problem = sandbox._probe_network()
    if problem:
        pytest.skip(f"this machine cannot isolate the network: {problem}")
    with socket.socket() as listener:  # a server on the host the kernel must not reach
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        code = (
            "import socket\nfor address in [('127.0.0.1', %d), ('1.1.1.1', 53)]:\n"
            "    try:\n        socket.create_connection(address, timeout=5).close()\n        print('connected')\n"
            "    except OSError as error:\n        print('refused')\n" % port
        )
        with sandbox_kernel(tmp_path, monkeypatch) as (_, client):
            started = time.monotonic()
            status, out, _ = run_code(client, code)
    assert (status, out.split()) == ("ok", ["refused", "refused"])
    assert time.monotonic() - started < 15


def test_describe_says_what_is_protected():
    text = sandbox.describe()
    assert text.startswith("sandbox: CPU") and "memory" in text and ("network" in text or "NETWORK" in text)


PROBE = (
    "import os, socket\n"
    "try:\n    socket.create_connection(('1.1.1.1', 53), timeout=5).close()\n    _net = 'connected'\n"
    "except OSError as _error:\n    _net = _error.strerror\n"
    "print('probe:', _net, '| memory limit MB:', __import__('resource').getrlimit(__import__('resource').RLIMIT_AS)[0] // 2**20)\n"
)


@pytest.mark.slow
def test_make_grade_runs_every_notebook_in_the_sandbox_kernel(course):
    """Through the real grading command: the student's cells run without network, with the limits."""
    c = course(["01_sigmoid"])
    c.nbgrader("generate_assignment", "01_sigmoid", "--force")
    release = c.release_path("01_sigmoid")
    code = sample_course.solution_code(sorted((c.root / "source" / "01_sigmoid").glob("*.ipynb"))[0])
    first = sorted(code)[0]
    code[first] = PROBE + code[first]
    c.submit("prober", "01_sigmoid", sample_course.submission(release, code))
    run([sys.executable, "-m", "autograder.grade", "--course", str(c.root), "--no-feedback"], cwd=ROOT)
    graded = nbformat.read(str(c.root / "autograded" / "prober" / "01_sigmoid" / release.name), as_version=4)
    printed = "".join(o.get("text", "") for cell in graded.cells for o in cell.get("outputs", []))
    assert "probe:" in printed and "memory limit MB: 2048" in printed, printed
    if sandbox._probe_network() is None:
        assert "probe: Network is unreachable" in printed, printed
    totals = (c.root / "grades" / "totals.csv").read_text()
    assert "prober,01_sigmoid,4,4,graded" in totals, totals


SIGNALS = (
    "import os\nresults = []\n"
    "for name, send in [('grader', lambda: os.kill(%d, 0)), ('everyone', lambda: os.kill(-1, 0)),\n"
    "                   ('grader group', lambda: os.killpg(%d, 0)), ('itself', lambda: os.kill(os.getpid(), 0)),\n"
    "                   ('own group', lambda: os.kill(0, 0))]:\n"
    "    try:\n        send()\n        results.append(name + ': sent')\n"
    "    except PermissionError:\n        results.append(name + ': refused')\n"
    "print('|'.join(results))\n"
)


def test_the_guard_refuses_signals_to_other_processes_and_the_kernel_shuts_down_quietly(tmp_path, monkeypatch):
    """Signal 0 only (an existence check): nothing is killed even if the guard failed."""
    with sandbox_kernel(tmp_path, monkeypatch, arguments=[judge.GUARD_LINE]) as (km, client):
        status, out, _ = run_code(client, SIGNALS % (os.getpid(), os.getpgrp()))
        assert status == "ok", out
        assert out.strip().split("|") == ["grader: refused", "everyone: refused", "grader group: refused",
                                          "itself: sent", "own group: sent"]
        km.shutdown_kernel(now=False)  # ipykernel's own shutdown: it signals its process group's children
        logs = "".join(log.read_text() for log in sandbox.slot_dir(SLOT).glob("home/kernel-*/kernel.log"))
    assert logs and "Traceback" not in logs and "PermissionError" not in logs, logs


def dead_pid():
    """The id of a process that has exited (and been reaped)."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_leftovers_of_killed_runs_are_removed_and_those_of_a_live_run_kept(tmp_path):
    """What `kill -9` of make grade leaves: a slot folder with a kernel still running in it, and a
    pids cgroup with a process in it (where cgroups are writable here), owned by a dead run."""
    dead, alive = dead_pid(), os.getpid()
    folders = {run: tmp_path / sandbox.slot_name(SLOT, run) for run in (dead, alive)}
    kernels = {}
    for run, folder in folders.items():
        (folder / "home").mkdir(parents=True)  # a kernel's command line names its connection file there
        kernels[run] = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)",
                                         "-f", str(folder / "home" / "connection.json")])
    orphan = subprocess.Popen(["sleep", "4245"])
    root, groups = sandbox.pids_cgroup_root(), {}
    try:
        for run, proc in ((dead, orphan), (alive, kernels[alive])):
            if root is not None:
                group = root / f"{sandbox.slot_name(SLOT, run)}-{proc.pid}"
                try:
                    group.mkdir()
                    (group / "cgroup.procs").write_text(str(proc.pid))
                    groups[run] = group
                except OSError:
                    pass
        removed = sandbox.remove_stale(temp_root=tmp_path)

        stale = {folders[dead]} | ({groups[dead]} if dead in groups else set())
        assert set(removed) == stale, removed
        assert not folders[dead].exists() and folders[alive].is_dir()
        assert kernels[dead].wait(timeout=10) == -signal.SIGKILL, "the dead run's kernel still runs"
        assert kernels[alive].poll() is None, "the live run's kernel was killed"
        if dead in groups:
            assert not groups[dead].exists() and orphan.wait(timeout=10) == -signal.SIGKILL
        if alive in groups:
            assert groups[alive].is_dir()
        if root is None or not groups:
            print("no writable pids cgroup here: only the folders were tested")
    finally:
        for proc in (*kernels.values(), orphan):
            proc.kill()
            proc.wait()
        for group in groups.values():
            if group.exists():
                sandbox.empty_and_remove(group)
