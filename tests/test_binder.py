"""binder/ is a complete Binder configuration on its own, pinned like requirements.txt."""
import re
import shutil
import subprocess
import venv

import nbformat
import pytest
from conftest import BIN, LESSONS, ROOT, notebook_path, run

from autograder import submissions

BINDER = ROOT / "binder"


def pins(path):
    """{package: version} of every `name==version` line of a requirements file."""
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            match = re.fullmatch(r"([A-Za-z0-9_.\-\[\]]+)==([^\s;]+)", line)
            assert match, f"{path.name}: not pinned with ==: {line!r}"
            found[match[1].lower()] = match[2]
    return found


def test_every_requirement_is_pinned_and_binder_matches_the_root():
    root, binder = pins(ROOT / "requirements.txt"), pins(BINDER / "requirements.txt")
    for name in ("jupyterlab", "numpy", "matplotlib", "ipywidgets", "nbgrader", "pytest", "nbclient"):
        assert name in root, f"requirements.txt lacks {name}"
    for name, version in binder.items():
        assert root.get(name) == version, f"binder pins {name}=={version}, requirements.txt {root.get(name)}"
    assert {"jupyterlab", "numpy", "matplotlib", "ipywidgets", "ipykernel"} <= set(binder)


def test_binder_runtime_and_postbuild():
    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.11"
    post = BINDER / "postBuild"
    assert post.stat().st_mode & 0o111, "postBuild must be executable"
    assert "pip install" in post.read_text() and "-e ." in post.read_text()


def test_readme_binder_badge_opens_the_start_page_in_jupyterlab():
    readme = (ROOT / "README.md").read_text()
    assert "mybinder.org/badge_logo.svg" in readme
    assert "?urlpath=lab/tree/lessons/index.ipynb" in readme
    assert (LESSONS / "index.ipynb").exists()


@pytest.mark.slow
def test_repo2docker_reads_binder_folder(tmp_path):
    """jupyter-repo2docker --no-build writes the Dockerfile without a Docker engine."""
    repo = tmp_path / "repo"
    shutil.copytree(BINDER, repo / "binder")
    for name in ("README.md", "pyproject.toml"):
        shutil.copy(ROOT / name, repo / name)
    proc = run([str(BIN / "jupyter-repo2docker"), "--no-build", "--debug", str(repo)], cwd=tmp_path, timeout=300)
    dockerfile = proc.stdout + proc.stderr
    assert "python=3.11" in dockerfile
    assert 'pip install --no-cache-dir -r "binder/requirements.txt"' in dockerfile
    assert "./binder/postBuild" in dockerfile


RUN_NOTEBOOKS = """
import pathlib, sys
import nbformat
from nbclient import NotebookClient
for path in sys.argv[1:]:
    nb = nbformat.read(path, as_version=4)
    folder = str(pathlib.Path(path).parent)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": folder}}).execute()
    print("executed", path)
"""


@pytest.mark.slow
def test_binder_environment_alone_runs_start_page_and_first_lesson(tmp_path):
    """Install binder/requirements.txt into a fresh venv, run postBuild, execute two notebooks."""
    env = tmp_path / "binder-env"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-r", str(BINDER / "requirements.txt"), "nbclient==0.11.0"], cwd=ROOT, timeout=900)
    repo = tmp_path / "repo"
    shutil.copytree(ROOT, repo, ignore=shutil.ignore_patterns(
        ".venv", ".git", "*.egg-info", "__pycache__", "gradebook.db", "autograder", "solutions", "tests"))
    clean = {"PATH": f"{env / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path), "MPLBACKEND": "Agg",
             "JUPYTER_PLATFORM_DIRS": "1"}
    for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "MPLCONFIGDIR"):
        clean[var] = str(tmp_path / var.lower())
    proc = subprocess.run(["./binder/postBuild"], cwd=repo, env=clean, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # Lesson 1 as a student who solved it: the release with the solution's code filled in.
    lesson = repo / "lessons" / "01_sigmoid" / notebook_path("01_sigmoid").name
    nbformat.write(submissions.submission(lesson, submissions.solution_code(notebook_path("01_sigmoid"))), str(lesson))
    script = tmp_path / "run_notebooks.py"
    script.write_text(RUN_NOTEBOOKS)
    proc = subprocess.run([str(python), str(script), str(repo / "lessons" / "index.ipynb"), str(lesson)],
                          cwd=tmp_path, env=clean, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("executed") == 2
