"""Write the student edition: a standalone repository with what students need and nothing of the grader's.

    make student-edition DEST=../backprop-lab-student [STUDENT_REPO=owner/name]
    python -m tools.student_edition DEST --repo owner/name

The edition holds the release notebooks of lessons/ (made by nbgrader from solutions/, so they carry
no solution and no hidden test), the start page, the lessons' shared module backprop_lab/, binder/,
and four files written here: a student README (its Binder badge opens owner/name), pyproject.toml
(installs backprop_lab only), a Makefile whose `make lab` installs binder/ alone, and .gitignore.
solutions/, autograder/, tests/ (samples and gallery) and the instructors' docs are never copied.

DEST may be empty, missing, or an earlier edition (recognised by its README's first line): its files
are replaced, and its .git is kept, so the edition can be a clone that is committed and pushed again
after each change of the course.
"""
import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = "<!-- Backprop Lab student edition: written by `make student-edition`; do not edit here. -->"
DEFAULT_REPO = "backprop-lab/backprop-lab-student"
START_PAGE = "lessons/index.ipynb"
# (folder, file pattern): what is copied from this repository, and nothing else
COPIED = [("lessons", "*.ipynb"), ("lessons", "*/*.ipynb"), ("backprop_lab", "*.py"), ("binder", "**/*")]
# guard against a broken release: none of these may appear in any copied file
FORBIDDEN = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "import autograder", "from autograder",
             "import course", "from course")

CREDITS = """\
## Sources

The lessons recompute, in their own words and code, the worked examples of:

* Matt Mazur, "A Step by Step Backpropagation Example" (2015): the 2-2-2 sigmoid network with biases.
* hmkcode, "Backpropagation Step by Step" (2019, hmkcode.com/ai/backpropagation-step-by-step/),
  and the assignment built on it: the linear 2-2-1 network.
* The lecture slides "Backpropagation Step by Step", after hmkcode.
* Dr. Ash Pahwa, "Deep Learning Using TensorFlow", Lesson 6.2 (2019): the sigmoid, the chain rule and
  steepest descent.
* Fatemeh Ahmadi, CSIS 3290 "Fundamentals of Neural Networks in Machine Learning (2)": one sigmoid neuron.
"""

README = """\
{marker}
# Backprop Lab

[![Binder](https://mybinder.org/badge_logo.svg)]({binder})

**A hands-on course on backpropagation.** Nine lessons (the start page gives each one's time) take you
from the sigmoid and the chain rule to a network of any size, an autograd engine of your own and
cross-entropy losses: you compute every number of the classic worked examples by code and write the
gradient code yourself.

## Start

* **No install**: press the Binder badge above. JupyterLab opens on the start page, `{start}`.
* **On your computer** (Python 3.11 and `make`): `make lab`. The first run installs what the lessons
  need into `.venv`; JupyterLab then opens on the start page (without a display it prints the address).
* **On your course's JupyterHub**: your instructor gives you a link that puts the lessons in your home folder.

## How to work

Take the lessons in order (the start page lists them). In each one, run the cells from the top
(*Run ▸ Run All Cells*), read, and fill in each function where it says `YOUR CODE HERE`; until you do,
the cells that use it stop with `NotImplementedError`. The test cell under each exercise checks your
function on the worked example, and the last cell, *Check your work*, lists what passed. Passing those
tests is necessary, not sufficient: when your instructor grades a lesson, hidden tests run your functions
on many other networks, so write the general rule, not the example's numbers.

{credits}"""

PYPROJECT = """\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "backprop-lab"
version = "{version}"
description = "Backprop Lab, student edition: a Jupyter course on backpropagation"
readme = "README.md"
requires-python = ">=3.11"
license = {{ text = "MIT" }}
# Pinned in binder/requirements.txt; this package only makes the lessons' shared module importable.
dependencies = []

[tool.setuptools]
packages = ["backprop_lab"]
"""

MAKEFILE = """\
# Backprop Lab, student edition.
#   make lab   open the course in JupyterLab (creates .venv and installs binder/ on first use)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# uv installs in parallel from its cache where it is on PATH; pip otherwise (the same pins either way)
UV     := $(shell command -v uv)
INSTALL := $(if $(UV),$(UV) pip install --quiet --python $(BIN)/python,$(BIN)/python -m pip install --quiet --disable-pip-version-check)
LAB_FLAGS := --notebook-dir=$(CURDIR) --LabApp.default_url=/lab/tree/{start}
LAB_FLAGS += $(if $(DISPLAY),,--no-browser)
LAB_FLAGS += $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: install lab clean

install: $(STAMP)

$(STAMP): binder/requirements.txt pyproject.toml binder/postBuild
\t@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
\t$(INSTALL) -r binder/requirements.txt
\tPATH="$(CURDIR)/$(BIN):$$PATH" ./binder/postBuild
\t@touch $(STAMP)

lab: install
\t@echo "Opening Backprop Lab: the start page is {start}"
\t$(BIN)/jupyter lab $(LAB_FLAGS) $(LAB_ARGS)

clean:
\trm -rf $(VENV)
"""

GITIGNORE = """\
.venv/
__pycache__/
*.egg-info/
.ipynb_checkpoints/
"""


def binder_url(repo):
    return f"https://mybinder.org/v2/gh/{repo}/HEAD?urlpath=lab/tree/{START_PAGE}"


def copied_files():
    """[(path relative to the repository)] of every file the edition copies, sorted."""
    found = set()
    for folder, pattern in COPIED:
        for path in (ROOT / folder).glob(pattern):
            rel = path.relative_to(ROOT)
            if path.is_file() and not {".ipynb_checkpoints", "__pycache__"} & set(rel.parts):
                found.add(rel)
    return sorted(found)


def source_version():
    text = (ROOT / "pyproject.toml").read_text()
    return next(line.split("=", 1)[1].strip().strip('"') for line in text.splitlines() if line.startswith("version"))


def written_files(repo):
    """{relative path: text} of the files written for the edition."""
    return {
        "README.md": README.format(marker=MARKER, binder=binder_url(repo), start=START_PAGE, credits=CREDITS),
        "pyproject.toml": PYPROJECT.format(version=source_version()),
        "Makefile": MAKEFILE.format(start=START_PAGE),
        ".gitignore": GITIGNORE,
    }


def clear(dest):
    """Empty dest, keeping its .git; refuse a folder that is neither empty nor an earlier edition."""
    entries = [p for p in dest.iterdir() if p.name != ".git"]
    readme = dest / "README.md"
    if entries and not (readme.is_file() and readme.read_text().startswith(MARKER)):
        raise SystemExit(f"{dest} is not empty and not a student edition: choose an empty or new folder")
    for path in entries:
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()


def write(dest, repo=DEFAULT_REPO):
    """Write the student edition into dest; return the list of files written (relative paths)."""
    dest = Path(dest).resolve()
    if dest == ROOT or ROOT in dest.parents:
        raise SystemExit(f"{dest}: the edition must be written outside this repository")
    dest.mkdir(parents=True, exist_ok=True)
    clear(dest)
    files = []
    for rel in copied_files():
        text = (ROOT / rel).read_text()
        leaked = [marker for marker in FORBIDDEN if marker in text]
        if leaked:
            raise SystemExit(f"{rel} contains {leaked}: run `make lessons` and check the release")
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, dest / rel)
        files.append(str(rel))
    for rel, text in written_files(repo).items():
        (dest / rel).write_text(text)
        files.append(rel)
    return sorted(files)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dest", help="the folder to write (new, empty, or an earlier edition)")
    parser.add_argument("--repo", default=DEFAULT_REPO,
                        help=f"owner/name of the edition's GitHub repository, for its Binder badge (default {DEFAULT_REPO})")
    args = parser.parse_args(argv)
    if args.repo.count("/") != 1 or not all(args.repo.split("/")):
        parser.error(f"--repo must be owner/name, not {args.repo!r}")
    files = write(args.dest, args.repo)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    print(f"student edition of {commit or 'this tree'}: {len(files)} files in {Path(args.dest).resolve()}")
    print(f"Binder: {binder_url(args.repo)}")
    print("Publish it: commit and push that folder to " + f"github.com/{args.repo}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
