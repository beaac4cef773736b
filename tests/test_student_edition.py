"""`make student-edition`: a standalone student repository with no answer, reference or hidden test in it."""
import ast
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import venv
from pathlib import Path

import nbformat
import pytest
from conftest import ASSIGNMENTS, ROOT, SOLUTIONS, notebook_path
from test_launch import free_port

REPO = "someone/backprop-course-2026"
REGION = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)### END \1", re.S)
CREDITS = ['Matt Mazur, "A Step by Step Backpropagation Example" (2015)',
           'hmkcode, "Backpropagation Step by Step" (2019, hmkcode.com/ai/backpropagation-step-by-step/)',
           "the assignment built on it", "after hmkcode",
           'Dr. Ash Pahwa, "Deep Learning Using TensorFlow", Lesson 6.2 (2019)',
           'Fatemeh Ahmadi, CSIS 3290 "Fundamentals of Neural Networks in Machine Learning (2)"']


def make_edition(dest, repo=REPO):
    return subprocess.run(["make", "--no-print-directory", "student-edition", f"DEST={dest}", f"STUDENT_REPO={repo}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    dest = tmp_path_factory.mktemp("edition") / "backprop-lab-student"
    proc = make_edition(dest)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return dest


def files(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def texts(root):
    """{relative path: text} of every file; a notebook as the source of all its cells and its raw JSON."""
    found = {}
    for rel in files(root):
        raw = (root / rel).read_text()
        if rel.endswith(".ipynb"):
            raw += "\n" + "\n".join(cell.source for cell in nbformat.reads(raw, as_version=4).cells)
        found[rel] = raw
    return found


def norm(line):
    return re.sub(r"\s+", "", line)


def test_the_edition_is_the_release_the_module_binder_and_a_student_readme(edition):
    lessons = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "lessons").rglob("*.ipynb"))
    module = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "backprop_lab").glob("*.py"))
    binder = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "binder").rglob("*") if p.is_file())
    assert files(edition) == sorted(lessons + module + binder + ["README.md", "pyproject.toml", "Makefile", ".gitignore"])
    for rel in lessons + module + binder:
        assert (edition / rel).read_bytes() == (ROOT / rel).read_bytes(), rel
    assert os.access(edition / "binder" / "postBuild", os.X_OK)
    readme = (edition / "README.md").read_text()
    assert f"(https://mybinder.org/v2/gh/{REPO}/HEAD?urlpath=lab/tree/lessons/index.ipynb)" in readme
    for credit in CREDITS:
        assert credit in readme
    assert 'packages = ["backprop_lab"]' in (edition / "pyproject.toml").read_text()


def test_rewriting_an_edition_keeps_its_git_and_refuses_other_folders(tmp_path):
    dest = tmp_path / "edition"
    assert make_edition(dest).returncode == 0
    (dest / ".git").mkdir()
    (dest / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (dest / "lessons" / "stale.ipynb").write_text("{}")
    assert make_edition(dest, "other/name").returncode == 0
    assert (dest / ".git" / "HEAD").exists() and not (dest / "lessons" / "stale.ipynb").exists()
    assert "mybinder.org/v2/gh/other/name/HEAD" in (dest / "README.md").read_text()
    other = tmp_path / "someones-folder"
    other.mkdir()
    (other / "thesis.tex").write_text("keep me")
    proc = make_edition(other)
    assert proc.returncode != 0 and "not a student edition" in proc.stdout + proc.stderr
    assert (other / "thesis.tex").read_text() == "keep me"


def test_no_solution_or_hidden_test_line_is_in_any_file_of_the_edition(edition):
    secret, shown = {}, set()
    for path in sorted(SOLUTIONS.glob("*/*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            for match in REGION.finditer(cell.source):
                for line in match.group(2).splitlines():
                    if norm(line) and not norm(line).startswith("#"):
                        secret.setdefault(norm(line), f"{path.parent.name}: {line.strip()}")
            shown |= {norm(line) for line in REGION.sub("", cell.source).splitlines()}
    # a line the source notebooks also give outside every region (lesson 2 gives lesson 1's sigmoid, say) is
    # shown to students on purpose; every other line of a solution or hidden-test region must be absent
    hidden = {line: where for line, where in secret.items() if line not in shown}
    assert len(hidden) > 150, "too few solution lines to compare: did the regions' markers change?"
    edition_lines = set()
    for text in texts(edition).values():
        edition_lines |= {norm(line) for line in text.splitlines()}
    leaked = sorted(where for line, where in hidden.items() if line in edition_lines)
    assert not leaked, "solution or hidden-test code in the student edition:\n" + "\n".join(leaked)


def function_bodies(source):
    """ast dumps of the bodies of every function in source (docstrings dropped)."""
    bodies = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body[1:] if ast.get_docstring(node) is not None else node.body
            if body:
                bodies.add(ast.dump(ast.Module(body=body, type_ignores=[])))
    return bodies


def code_of(rel, text):
    """The Python code of an edition file: a module's text, or a notebook's code cells (magics dropped)."""
    if rel.endswith(".py"):
        return [text]
    if rel.endswith(".ipynb"):
        nb = nbformat.reads((EDITION_CACHE[0] / rel).read_text(), as_version=4)
        return ["\n".join(line for line in c.source.splitlines() if not line.lstrip().startswith(("%", "!")))
                for c in nb.cells if c.cell_type == "code"]
    return []


EDITION_CACHE = []


def test_no_grader_module_sample_or_test_is_there_and_nothing_imports_the_grader(edition):
    EDITION_CACHE[:] = [edition]
    names = files(edition)
    assert not [n for n in names if n.split("/")[0] in ("autograder", "course", "solutions", "tests", "tools", "benchmarks")]
    grader_files = [p for folder in ("autograder", "course", "tests") for p in (ROOT / folder).rglob("*.py")]
    contents = {(edition / n).read_bytes() for n in names}
    assert not [p for p in grader_files if p.read_bytes() in contents]
    grader_bodies = set()
    for path in grader_files:
        grader_bodies |= function_bodies(path.read_text())
    # functions the source notebooks give students outside every region (lesson 2 gives lesson 1's
    # sigmoid_derivative, lesson 3 the bowl error) are shown on purpose, even where the reference has the same
    given = set()
    for path in sorted(SOLUTIONS.glob("*/*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code" and not REGION.search(cell.source):
                given |= function_bodies("\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!"))))
    assert len(grader_bodies - given) > 50
    grader_bodies -= given
    imports, copied = [], []
    for rel, text in texts(edition).items():
        for code in code_of(rel, text):
            tree = ast.parse(code)
            for node in ast.walk(tree):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                          [node.module or ""] if isinstance(node, ast.ImportFrom) else []
                imports += [f"{rel}: {m}" for m in modules if m.split(".")[0] in ("autograder", "course")]
                if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                        "__import__", "import_module") and ("autograder" in ast.dump(node) or "course" in ast.dump(node)):
                    imports.append(f"{rel}: dynamic import")
            copied += [f"{rel}: a function of autograder/, course/ or tests/" for body in function_bodies(code) & grader_bodies
                       if len(body) > 200]
    assert not imports, imports
    assert not copied, copied


RUN_UNTIL_FIRST_ERROR = """
import json, pathlib, sys
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
report = {}
for path in sys.argv[1:]:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(pathlib.Path(path).parent)}})
    try:
        client.execute()
        report[path] = None
    except CellExecutionError as err:
        cell = next(c for c in nb.cells if any(o.get("output_type") == "error" for o in c.get("outputs", [])))
        error = next(o for o in cell.outputs if o.get("output_type") == "error")
        index = nb.cells.index(cell)
        report[path] = {"cell": index, "ename": error["ename"], "evalue": error["evalue"]}
print("__REPORT__" + json.dumps(report))
"""


def install_binder(edition, env_dir):
    """binder/ alone into a fresh venv (uv where this environment has it, pip otherwise), then postBuild."""
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    requirements = ["-r", str(edition / "binder" / "requirements.txt"), "nbclient==0.11.0"]
    uv = shutil.which("uv", path=str(Path(sys.executable).parent))
    command = [uv, "pip", "install", "--quiet", "--python", str(python)] if uv else \
              [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run(command + requirements, check=True, timeout=900, capture_output=True)
    clean = {"PATH": f"{env_dir / 'bin'}:/usr/bin:/bin", "HOME": str(env_dir.parent), "MPLBACKEND": "Agg",
             "JUPYTER_PLATFORM_DIRS": "1"}
    for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "MPLCONFIGDIR"):
        clean[var] = str(env_dir.parent / var.lower())
    proc = subprocess.run(["./binder/postBuild"], cwd=edition, env=clean, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return python, clean


@pytest.fixture(scope="module")
def binder_env(edition, tmp_path_factory):
    return install_binder(edition, tmp_path_factory.mktemp("student") / "env")


@pytest.mark.slow
def test_binder_alone_runs_the_start_page_and_each_lesson_up_to_its_first_exercise(edition, binder_env):
    python, clean = binder_env
    for grader in ("autograder", "course"):
        check = subprocess.run([str(python), "-c", f"import {grader}"], cwd=edition / "lessons", env=clean,
                               capture_output=True, text=True)
        assert check.returncode != 0 and "ModuleNotFoundError" in check.stderr, f"students must not be able to import {grader}"
    script = edition.parent / "run_until_first_error.py"
    script.write_text(RUN_UNTIL_FIRST_ERROR)
    notebooks = [edition / "lessons" / "index.ipynb"] + [notebook_path(a, edition / "lessons") for a in ASSIGNMENTS]
    proc = subprocess.run([str(python), str(script), *map(str, notebooks)], cwd=edition, env=clean,
                          capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads(proc.stdout.split("__REPORT__", 1)[1])
    assert report.pop(str(notebooks[0])) is None, "the start page must run to the end"
    for path, error in report.items():
        assert error is not None, f"{path}: ran to the end with no exercise written"
        assert error["ename"] == "NotImplementedError", f"{path}: {error}"
        nb = nbformat.read(path, as_version=4)
        first_exercise = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("solution"))
        assert error["cell"] > first_exercise, f"{path}: stopped at cell {error['cell']}, before its first exercise"


def page_config(python, env, config_dir):
    """The page config JupyterLab serves, read by jupyterlab_server as `jupyter lab` reads it."""
    code = ("import json; from jupyterlab_server.config import get_page_config; from jupyter_core.paths import jupyter_path;"
            "print(json.dumps(get_page_config(jupyter_path('labextensions'))))")
    proc = subprocess.run([str(python), "-c", code], env={**env, "JUPYTER_CONFIG_PATH": str(config_dir)},
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(proc.stdout.splitlines()[-1])


def test_where_nbgrader_is_installed_the_instructor_panels_are_off_and_the_student_ones_on(edition, tmp_path):
    """In this repository's environment (which has nbgrader), binder/jupyter/ as postBuild installs it."""
    # this environment's etc/jupyter (nbgrader.json turns every nbgrader extension on), then binder/jupyter/
    # copied over it, as postBuild does into the student's environment
    config = tmp_path / "etc-jupyter"
    shutil.copytree(Path(sys.prefix) / "etc" / "jupyter", config)
    shutil.copytree(edition / "binder" / "jupyter", config, dirs_exist_ok=True)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "none")}
    config_data = page_config(sys.executable, env, config)
    assert "@jupyter/nbgrader" in [e["name"] for e in config_data["federated_extensions"]]
    disabled = config_data["disabledExtensions"]
    for plugin in ("@jupyterlab/apputils-extension:announcements", "@jupyter/nbgrader:formgrader",
                   "@jupyter/nbgrader:create-assignment", "@jupyter/nbgrader:course-list"):
        assert plugin in disabled, plugin
    for plugin in ("@jupyter/nbgrader:assignment-list", "@jupyter/nbgrader:validate-assignment"):
        assert plugin not in disabled, plugin
    from jupyter_server.extension.config import ExtensionConfigManager

    # the edition's zz-*.json is read after nbgrader.json in the same folder
    server = ExtensionConfigManager(read_config_path=[str(config)]).get_jpserver_extensions()
    assert server["nbgrader.server_extensions.formgrader"] is False
    assert server["nbgrader.server_extensions.course_list"] is False
    assert server["nbgrader.server_extensions.assignment_list"] is True
    assert server["nbgrader.server_extensions.validate_assignment"] is True


@pytest.mark.slow
def test_in_the_students_jupyterlab_the_start_page_shows_dollars_and_no_news_prompt(edition, binder_env, tmp_path):
    """Chromium on the edition's JupyterLab, from its binder/ environment: the rendered start page."""
    from test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, needs_chromium

    sync_api = needs_chromium()
    python, clean = binder_env
    port, token = free_port(), "student-edition-test"
    args = [str(python.parent / "jupyter"), "lab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.root_dir={edition}", f"--IdentityProvider.token={token}"]
    args += ["--allow-root"] if os.geteuid() == 0 else []
    log = open(tmp_path / "lab.log", "w")
    server = subprocess.Popen(args, cwd=edition, env=clean, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}/lab/tree/lessons/index.ipynb?token={token}"
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    html = response.read().decode()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "lab.log").read_text()
                time.sleep(0.5)
        assert "@jupyterlab/apputils-extension:announcements" in html  # in the page config's disabledExtensions
        assert "@jupyter/nbgrader" not in html.replace("@jupyter/nbgrader:", "")  # nbgrader not installed
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(url)
                cell = page.locator(".jp-RenderedMarkdown").filter(has_text="dollar east").first
                ARTIFACTS.mkdir(exist_ok=True)
                try:
                    cell.wait_for(timeout=60_000)
                finally:
                    page.screenshot(path=str(ARTIFACTS / "student-edition-start-page.png"))
                page.wait_for_timeout(3000)  # MathJax typesets after the first paint, the news toast comes late
                text = cell.inner_text()
                assert "the 4-dollar east / 3-dollar north drive" in text, text[:2000]
                assert cell.locator("mjx-container").filter(has_text="4").count() == 0
                assert cell.locator("mjx-container").count() > 0  # the real math of the page is still typeset
                assert page.get_by_text("official Jupyter news").count() == 0
                assert page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").count() == 0
                page.screenshot(path=str(ARTIFACTS / "student-edition-start-page.png"))
            finally:
                browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        log.close()
