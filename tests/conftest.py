"""Shared fixtures: a clean Jupyter environment, executed notebooks, nbgrader course folders."""
import json
import os
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
LESSONS = ROOT / "lessons"
ASSIGNMENTS = sorted(p.name for p in SOLUTIONS.iterdir() if p.is_dir() and p.name[:2].isdigit())
BIN = Path(sys.executable).parent


def _isolate_jupyter(base):
    """Point every Jupyter, IPython and matplotlib folder at base so tests leave the machine clean."""
    for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "MPLCONFIGDIR"):
        path = base / var.lower()
        path.mkdir(parents=True, exist_ok=True)
        os.environ[var] = str(path)
    os.environ["MPLBACKEND"] = "Agg"
    os.environ["JUPYTER_PLATFORM_DIRS"] = "1"
    paths = [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    os.environ["PATH"] = os.pathsep.join([str(BIN), os.environ.get("PATH", "")])


_isolate_jupyter(Path(os.environ.get("BACKPROP_LAB_TEST_HOME", "/tmp")) / f"backprop-lab-jupyter-{os.getpid()}")


def close(value, printed, digits):
    """True when value rounds to what a seed printed: |value - printed| <= half a unit in the last place."""
    return abs(value - printed) <= 0.5 * 10.0 ** (-digits) + 1e-15


def notebook_path(assignment, folder=SOLUTIONS):
    """The one notebook of an assignment in solutions/ or lessons/."""
    (path,) = sorted((folder / assignment).glob("*.ipynb"))
    return path


DUMP_GLOBALS = """
import json as _json, numbers as _numbers
def _plain(v):
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, _numbers.Number):
        return float(v) if not isinstance(v, _numbers.Integral) else int(v)
    if hasattr(v, "tolist") and hasattr(v, "dtype"):
        return v.tolist()
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    raise TypeError
_out = {}
for _k, _v in list(globals().items()):
    if _k.startswith("_") or callable(_v):
        continue
    try:
        _out[_k] = _plain(_v)
        _json.dumps(_out[_k])
    except (TypeError, ValueError, RecursionError):
        _out.pop(_k, None)
print("__GLOBALS__" + _json.dumps(_out))
"""


def execute(path, timeout=600, allow_errors=False):
    """Execute a notebook headless in its own folder; return (notebook, its JSON-able globals)."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(DUMP_GLOBALS))
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", allow_errors=allow_errors,
        resources={"metadata": {"path": str(Path(path).parent)}},
    )
    client.execute()
    dump = nb.cells.pop()
    text = "".join(o.get("text", "") for o in dump.outputs if o.get("output_type") == "stream")
    namespace = json.loads(text.split("__GLOBALS__", 1)[1]) if "__GLOBALS__" in text else {}
    return nb, namespace


@lru_cache(maxsize=None)
def executed_solution(assignment):
    """The solution notebook of an assignment, executed once per test process."""
    return execute(notebook_path(assignment))


@pytest.fixture
def solution_globals():
    """solution_globals("06_mazur_network") -> the executed solution's global variables."""
    return lambda assignment: executed_solution(assignment)[1]


def run(args, cwd, timeout=900):
    """Run a command; fail the test with its output when it fails."""
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        pytest.fail(f"{' '.join(map(str, args))} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


class Course:
    """A throwaway nbgrader course folder holding copies of the given assignments."""

    def __init__(self, root, assignments):
        self.root = Path(root)
        shutil.copytree(SOLUTIONS, self.root / "source", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        for extra in set(p.name for p in (self.root / "source").iterdir()) - set(assignments):
            shutil.rmtree(self.root / "source" / extra)
        (self.root / "nbgrader_config.py").write_text(
            "c = get_config()\n"
            "c.CourseDirectory.course_id = 'backprop-lab-test'\n"
            f"c.CourseDirectory.root = {str(self.root)!r}\n"
            "c.CourseDirectory.source_directory = 'source'\n"
            "c.CourseDirectory.release_directory = 'release'\n"
            f"c.CourseDirectory.db_url = 'sqlite:///{self.root}/gradebook.db'\n"
            "c.Execute.timeout = 60\n"
            # judged as the course's own nbgrader_config.py does: the judge, the kernel guard, clean feedback
            f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
            "from autograder.judge import configure\n"
            "configure(c)\n"
        )

    def nbgrader(self, *args):
        return run([str(BIN / "nbgrader"), *args], cwd=self.root)

    def release_path(self, assignment):
        return notebook_path(assignment, self.root / "release")

    def submit(self, student, assignment, notebook):
        """Place a notebook (or raw text for a broken one) as student's submission."""
        folder = self.root / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / self.release_path(assignment).name
        if isinstance(notebook, str):
            target.write_text(notebook)
        else:
            nbformat.write(notebook, str(target))
        return target


@pytest.fixture
def course(tmp_path):
    """course(["01_sigmoid"]) -> a Course in a temporary folder."""
    return lambda assignments: Course(tmp_path / "course", assignments)
