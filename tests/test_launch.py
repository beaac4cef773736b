"""The two commands of README.md: `make lab` serves the start page; CI runs `make test`."""
import os
import signal
import socket
import subprocess
import time
import urllib.request

import pytest
from conftest import ROOT


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_readme_gives_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text()
    head = readme[:2500]
    assert "make lab" in head and "make test" in head, "README's first screen must give both commands"
    for section in ("## For students", "## For instructors", "## For maintainers"):
        assert section in readme
    ci = (ROOT / ".ci" / "run").read_text()
    commands = [line.strip() for line in ci.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert "make test" in commands
    # only installs (apt, npm) around the one test command
    assert all(c.startswith(("set ", "cd ", "make test", "sudo apt-get", "apt-get", "{ apt-get", "command -v npm",
                             "npm install --prefix .axe", 'if [ "$(configurable-http-proxy', "npm install -g", "fi"))
               for c in commands), commands


@pytest.mark.slow
def test_make_lab_serves_jupyterlab_on_the_start_page():
    port, token = free_port(), "backprop-lab-test"
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "lab", f"LAB_ARGS=--port={port} --IdentityProvider.token={token}"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/?token={token}"
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    assert response.status == 200
                    landed = response.geturl()
                    page = response.read().decode()
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read()
                assert time.monotonic() < deadline, "JupyterLab did not answer within 120 s"
                time.sleep(0.5)
        assert landed.split("?")[0].endswith("/lab/tree/lessons/index.ipynb"), landed
        assert "JupyterLab" in page
        api = f"http://127.0.0.1:{port}/api/contents/lessons/index.ipynb?content=0&token={token}"
        with urllib.request.urlopen(api, timeout=10) as response:
            assert b'"type": "notebook"' in response.read()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        output = proc.communicate(timeout=60)[0]
    assert f"127.0.0.1:{port}/lab" in output or f"localhost:{port}/lab" in output, "the URL must be printed"
