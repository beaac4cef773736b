"""The sandbox's own-user mode (autograder/sandbox.py), end to end: as root, with a Python other users
can read, the kernel runs as an unprivileged user id of its own.

The project's Python lives under /root on our CI (mode 700), so grading there never switches user.
This test builds a small venv from Debian's /usr/bin/python3.11 (world-readable) in a world-readable
folder, with only ipykernel (pinned as in requirements.txt; the launcher needs only the standard
library), points the sandbox at it with SANDBOX_PYTHON, and starts a kernel the way `make grade` does.
The venv is kept in the temp folder between runs, keyed by the pin (tens of seconds to build).
"""
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from autograder import sandbox
from conftest import ROOT
from test_grading_sandbox import SLOT, run_code, sandbox_kernel

SYSTEM_PYTHON = Path("/usr/bin/python3.11")

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork") or not Path("/proc").is_dir(), reason="the sandbox needs Linux"),
    pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                       reason="the sandbox switches to a user of its own only when grading as root"),
    pytest.mark.skipif(not SYSTEM_PYTHON.is_file(), reason=f"no {SYSTEM_PYTHON} to build a world-readable kernel venv from"),
]


def ipykernel_pin():
    match = re.search(r"^ipykernel==(\S+)", (ROOT / "requirements.txt").read_text(), re.MULTILINE)
    assert match, "requirements.txt pins no ipykernel"
    return match[1]


def usable_cache(folder):
    """The venv built by an earlier run: ours (root's), not writable by anyone else, complete."""
    try:
        info = folder.lstat()
    except FileNotFoundError:
        return False
    return (stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid() and not info.st_mode & 0o022
            and (folder / "complete").is_file())


def make_world_readable(folder):
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root, name)
            mode = path.lstat().st_mode
            if not stat.S_ISLNK(mode):
                path.chmod(mode | 0o444 | (0o111 if stat.S_ISDIR(mode) or mode & 0o100 else 0))
    folder.chmod(0o755)


@pytest.fixture(scope="session")
def kernel_python():
    """bin/python of a venv of /usr/bin/python3.11 with ipykernel, that any user can read and run."""
    if not sandbox.world_accessible(SYSTEM_PYTHON):
        pytest.skip(f"{SYSTEM_PYTHON} is not readable by other users")
    pin = ipykernel_pin()
    temp = Path(tempfile.gettempdir())
    if not sandbox.world_accessible(temp):
        pytest.skip(f"the temp folder {temp} is not reachable by other users")
    venv = temp / f"backprop-lab-kernel-venv-py3.11-ipykernel{pin}"
    if usable_cache(venv):
        return venv / "bin" / "python"
    build = Path(tempfile.mkdtemp(prefix="backprop-lab-kernel-venv-build-", dir=temp))
    try:
        started = time.monotonic()
        # --without-pip: Debian's python3.11 may lack ensurepip; this Python's pip installs into it
        subprocess.run([str(SYSTEM_PYTHON), "-m", "venv", "--without-pip", str(build)], check=True,
                       capture_output=True, text=True)
        pip = subprocess.run([sys.executable, "-m", "pip", "--python", str(build / "bin" / "python"), "install",
                              "--quiet", "--no-input", "--disable-pip-version-check", "--only-binary=:all:",
                              f"ipykernel=={pin}"], capture_output=True, text=True)
        if pip.returncode != 0:
            lines = (pip.stderr or pip.stdout).strip().splitlines()
            pytest.skip(f"could not install ipykernel=={pin} into a {SYSTEM_PYTHON} venv: {lines[-1] if lines else '?'}")
        make_world_readable(build)
        (build / "complete").write_text(f"built in {time.monotonic() - started:.1f} s\n")
        shutil.rmtree(venv, ignore_errors=True)  # an unusable leftover (not ours, or incomplete)
        try:
            build.rename(venv)
        except OSError:  # another test worker got there first
            if not usable_cache(venv):
                raise
    finally:
        shutil.rmtree(build, ignore_errors=True)
    return venv / "bin" / "python"


@pytest.fixture
def grader_folder():
    """A folder (755) of the grader's that any user can reach, with a private (600) and a public (644) file."""
    folder = Path(tempfile.mkdtemp(prefix="backprop-lab-grader-files-"))
    folder.chmod(0o755)
    (folder / "secret.txt").write_text("the grader's secret")
    (folder / "secret.txt").chmod(0o600)
    (folder / "public.txt").write_text("public")
    (folder / "public.txt").chmod(0o644)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


PROBE = (
    "import os\n"
    "def attempt(action):\n"
    "    try:\n        action()\n        return 'allowed'\n"
    "    except OSError as error:\n        return type(error).__name__\n"
    "folder = %r\n"
    "print('uid', os.getuid(), os.geteuid(), 'gid', os.getgid(), 'groups', os.getgroups())\n"
    "print('public', attempt(lambda: open(os.path.join(folder, 'public.txt')).read()))\n"
    "print('secret', attempt(lambda: open(os.path.join(folder, 'secret.txt')).read()))\n"
    "print('create', attempt(lambda: open(os.path.join(folder, 'new.txt'), 'w').close()))\n"
    "print('signal', attempt(lambda: os.kill(%d, 0)))\n"
)


def test_as_root_the_kernel_runs_as_a_user_of_its_own(kernel_python, grader_folder, tmp_path, monkeypatch):
    monkeypatch.setenv("SANDBOX_PYTHON", str(kernel_python))
    assert sandbox.own_user_possible(), f"the sandbox does not see {kernel_python} as usable by other users"
    uid = sandbox.sandbox_uid(SLOT)
    with sandbox_kernel(tmp_path, monkeypatch) as (km, client):
        assert km.kernel_spec.argv[0] == str(kernel_python)
        status, out, ename = run_code(client, PROBE % (str(grader_folder), os.getpid()))
        assert status == "ok", (out, ename)
        report = dict(line.split(" ", 1) for line in out.splitlines())
        assert report["uid"] == f"{uid} {uid} gid {sandbox.SANDBOX_GID} groups []" and uid != 0, report
        assert report["public"] == "allowed", report  # the folder is reachable: what follows is the user id
        assert report["secret"] == "PermissionError", report
        assert report["create"] == "PermissionError", report
        assert report["signal"] in ("ProcessLookupError", "PermissionError"), report  # hidden by the PID namespace
        assert not (grader_folder / "new.txt").exists()
        assert run_code(client, "print(2 + 2)")[:2] == ("ok", "4\n")
        km.shutdown_kernel(now=False)
        assert not km.is_alive()
        logs = "".join(log.read_text() for log in sandbox.slot_dir(SLOT).glob("home/kernel-*/kernel.log"))
        assert logs and "Traceback" not in logs, logs
    deadline = time.monotonic() + 10
    while sandbox.count_processes(uid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert sandbox.count_processes(uid) == 0, "a process of the sandbox user outlived the kernel"
