"""A student's first `make lab`: seconds from a fresh clone to JupyterLab serving the start page.

    .venv/bin/python benchmarks/first_run.py                 # uv, as `make lab` installs by default
    .venv/bin/python benchmarks/first_run.py --installer pip # pip, the installer before uv (for the ratio)
    .venv/bin/python benchmarks/first_run.py --installer uv pip --cold  # uv with an empty cache too

Each run clones this repository's HEAD into a temporary folder (commit first: the clone has only committed
files), runs `make lab` there with a free port and a token, and polls the start page until JupyterLab
answers with it. Printed: the seconds to the page and, within them, the seconds `make install` took (until
.venv/.installed appears). pip keeps its usual cache; uv its own (~/.cache/uv), or an empty one with --cold,
which then downloads every wheel. Not part of `make test`. Target: under 90 s.
"""
import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START_PAGE = "lab/tree/lessons/index.ipynb"
TARGET = 90.0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serves_start_page(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200 and b"JupyterLab" in response.read()
    except OSError:
        return False


def first_run(installer, cold, limit):
    """(seconds to the page, seconds of make install) of one fresh clone's `make lab`."""
    with tempfile.TemporaryDirectory(prefix="backprop-lab-first-run-") as tmp:
        clone = Path(tmp) / "backprop-lab"
        subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)], check=True)
        env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "DISPLAY")}
        env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(str(ROOT)))
        if cold:
            env["UV_CACHE_DIR"] = str(Path(tmp) / "uv-cache")
        for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):
            env[var] = str(Path(tmp) / var.lower())
        port, token = free_port(), "first-run-benchmark"
        log = open(Path(tmp) / "make-lab.log", "w")
        start = time.monotonic()
        proc = subprocess.Popen(
            ["make", "--no-print-directory", "lab", f"INSTALLER={installer}",
             f"LAB_ARGS=--port={port} --IdentityProvider.token={token} --ServerApp.ip=127.0.0.1"],
            cwd=clone, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        stamp, installed = clone / ".venv" / ".installed", None
        try:
            while True:
                now = time.monotonic() - start
                if installed is None and stamp.exists():
                    installed = now
                if serves_start_page(f"http://127.0.0.1:{port}/{START_PAGE}?token={token}"):
                    return now, installed
                if proc.poll() is not None or now > limit:
                    log.close()
                    tail = (Path(tmp) / "make-lab.log").read_text()[-3000:]
                    raise SystemExit(f"make lab ({installer}) {'exited' if proc.poll() is not None else 'timed out'}:\n{tail}")
                time.sleep(0.25)
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=60)
            log.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--installer", nargs="+", choices=["uv", "pip"], default=["uv"])
    parser.add_argument("--cold", action="store_true", help="also run uv with an empty cache (downloads every wheel)")
    parser.add_argument("--limit", type=float, default=600, help="give up after this many seconds (default 600)")
    args = parser.parse_args(argv)
    runs = [(name, False) for name in args.installer]
    if args.cold and "uv" in args.installer:
        runs.append(("uv", True))
    figures = {}
    for installer, cold in runs:
        label = f"{installer}{', empty cache' if cold else ''}"
        seconds, install = first_run(installer, cold, args.limit)
        figures[label] = seconds
        verdict = "under" if seconds < TARGET else "OVER"
        print(f"first make lab ({label}): {seconds:6.1f} s to the start page, of which make install {install:6.1f} s"
              f"  [{verdict} the {TARGET:g} s target]", flush=True)
    if "uv" in figures and "pip" in figures:
        print(f"pip / uv: {figures['pip'] / figures['uv']:.1f} times as long to the page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
