"""Helpers of tests/test_jupyterhub.py: a course JupyterHub on this machine, made the way
deploy/jupyterhub/README.md tells an administrator to, and removed again afterwards.

Unix users and groups of the test carry the prefix "bpl-ci-" (the course id is "bpl-ci"), so a rerun
or a crashed run is recognised and cleaned up, and nothing else on the machine is touched.
"""
import hashlib
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from conftest import ROOT

DEPLOY = ROOT / "deploy" / "jupyterhub"
COURSE_ID = "bpl-ci"
GRADER = f"grader-{COURSE_ID}"
INSTRUCTORS, STUDENTS = f"{COURSE_ID}-instructors", f"{COURSE_ID}-students"
EXCHANGE = Path("/usr/local/share/nbgrader/exchange")
SYSTEM_PYTHON = Path("/usr/bin/python3.11")
CHP_PIN = re.search(r"configurable-http-proxy@(\S+)", (ROOT / ".ci" / "run").read_text())[1]


def pin_key():
    """The hub venv is rebuilt when a requirement it installs changes."""
    text = "".join((DEPLOY / name).read_text() for name in ("requirements.txt", "../../binder/requirements.txt"))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def hub_venv():
    """Where the test keeps the hub's venv between runs (world-readable: every user's server runs from it)."""
    return Path(tempfile.gettempdir()) / f"backprop-lab-hub-venv-{pin_key()}"


def proxy_command():
    """configurable-http-proxy at the pin of .ci/run: the one on PATH if it is that version, else npm's into a cache."""
    found = shutil.which("configurable-http-proxy")
    if found:
        version = subprocess.run([found, "--version"], capture_output=True, text=True).stdout.strip()
        if version == CHP_PIN:
            return found
    prefix = Path(tempfile.gettempdir()) / f"backprop-lab-chp-{CHP_PIN}"
    command = prefix / "node_modules" / ".bin" / "configurable-http-proxy"
    if not command.exists():
        subprocess.run(["npm", "install", "--silent", "--no-save", "--prefix", str(prefix),
                        f"configurable-http-proxy@{CHP_PIN}"], check=True, capture_output=True, text=True)
    return str(command)


def run(*command, user=None, cwd=None, env=None, check=True, timeout=300):
    """A command as root, or as a unix user with that user's HOME (runuser, a login-less switch)."""
    command = [str(part) for part in command]
    if user:
        home = pwd.getpwnam(user).pw_dir
        # what a login on the hub gives: the hub venv's bin first (nbgrader runs `alembic` by name)
        path = os.pathsep.join([str(hub_venv() / "bin"), "/usr/local/bin", "/usr/bin", "/bin"])
        base = {"HOME": home, "USER": user, "LOGNAME": user, "PATH": path, "LANG": "C.UTF-8"}
        base.update(env or {})
        command = ["runuser", "-u", user, "--", "env", "-i", *(f"{k}={v}" for k, v in base.items()), *command]
        env = None
        cwd = cwd or home
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(command)} exited {result.returncode}:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return result


def processes_of(uid):
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    pids.append(int(entry.name))
            except FileNotFoundError:
                pass
    return pids


def remove_users():
    """Every bpl-ci user (with its processes, killed by pid, and its home) and group: left by this or an earlier run."""
    for user in pwd.getpwall():
        if user.pw_name.startswith("bpl-ci-") or user.pw_name == GRADER:
            for pid in processes_of(user.pw_uid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            subprocess.run(["userdel", "--remove", user.pw_name], capture_output=True)
    for group in (INSTRUCTORS, STUDENTS):
        subprocess.run(["groupdel", group], capture_output=True)


def add_user(name, group):
    password = secrets.token_urlsafe(12)
    run("useradd", "--create-home", "--shell", "/bin/bash", "--groups", group, name)
    os.chmod(pwd.getpwnam(name).pw_dir, 0o700)
    subprocess.run(["chpasswd"], input=f"{name}:{password}\n", text=True, check=True)
    return password


class Hub:
    """jupyterhub -f deploy/jupyterhub/jupyterhub_config.py, as root, on free ports, state in its own folder."""

    def __init__(self, venv, state, ports):
        self.venv, self.state = venv, state
        self.port, hub_api, proxy_api, self.service_port = ports
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PATH": os.pathsep.join([str(venv / "bin"), os.environ["PATH"]]),
               "BACKPROP_LAB_COURSE_ID": COURSE_ID, "BACKPROP_LAB_HUB_IP": "127.0.0.1",
               "BACKPROP_LAB_HUB_PORT": str(self.port), "BACKPROP_LAB_HUB_API_PORT": str(hub_api),
               "BACKPROP_LAB_PROXY_API_PORT": str(proxy_api), "BACKPROP_LAB_SERVICE_PORT": str(self.service_port),
               "BACKPROP_LAB_PROXY": proxy_command()}
        for var in ("PYTHONPATH", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR",
                    "JUPYTER_PLATFORM_DIRS", "MPLCONFIGDIR", "VIRTUAL_ENV"):
            env.pop(var, None)  # the test process's isolation: not the hub's business
        self.log_path = state / "jupyterhub.log"
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([str(venv / "bin" / "jupyterhub"), "-f", str(DEPLOY / "jupyterhub_config.py")],
                                     cwd=state, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def wait_until_up(self, seconds=90):
        """Until the hub's API answers and the formgrader service accepts connections."""
        deadline = time.monotonic() + seconds
        while True:
            assert self.proc.poll() is None, "the hub exited:\n" + self.log_path.read_text()[-5000:]
            try:
                with urllib.request.urlopen(f"{self.url}/hub/api/", timeout=5) as response:
                    json.loads(response.read())
                socket.create_connection(("127.0.0.1", self.service_port), timeout=5).close()
                return
            except OSError:
                assert time.monotonic() < deadline, f"the hub did not come up in {seconds} s:\n" + self.log_path.read_text()[-5000:]
                time.sleep(0.5)

    def stop(self):
        """SIGTERM: the hub stops the users' servers and the service it started (cleanup_servers)."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


def set_up_course(venv):
    """deploy/jupyterhub/setup_course.py, as the README tells an administrator to run it."""
    return run(sys.executable, DEPLOY / "setup_course.py", "--venv", venv, "--python", SYSTEM_PYTHON,
               "--course-id", COURSE_ID, "--repo", ROOT, timeout=900)
