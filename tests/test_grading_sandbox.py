"""The grading sandbox (autograder/sandbox.py): attacks inside the kernel fail fast, the grader lives on.

Each test starts the sandbox kernel exactly as `make grade` does (the kernelspec, unix-socket
transport, a slot of its own), runs student code in it, and checks the outcome and the time.
"""
import os
import socket
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pytest
from jupyter_client import KernelManager
from traitlets.config import Config

from autograder import sample_course, sandbox
from conftest import ROOT, run

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or not Path("/proc").is_dir(), reason="the sandbox needs Linux")


@contextmanager
def sandbox_kernel(tmp_path, monkeypatch, **limits):
    """A running sandbox kernel; limits as environment variables (SANDBOX_CPU_SECONDS=2...)."""
    for name, value in limits.items():
        monkeypatch.setenv(name, str(value))
    slot = 40000 + os.getpid() % 10000  # never one of a grading run's slots (below 32000)
    config = Config()
    sandbox.install_kernelspec(tmp_path / "kernels-root")
    sandbox.use_sandbox(config, slot, tmp_path / "kernels-root")
    km = KernelManager(kernel_name=sandbox.KERNEL_NAME, config=config)
    km.start_kernel(cwd=str(tmp_path))
    client = km.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        yield km, client
    finally:
        client.stop_channels()
        km.shutdown_kernel(now=True)
        sandbox.release_slot(slot)


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
