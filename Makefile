# Backprop Lab: two commands for everyone.
#   make lab    open the course in JupyterLab (creates .venv and installs on first use)
#   make test   the whole test suite (the same install first; CI runs exactly this)
# Maintainers: make lessons (regenerate lessons/ from solutions/), make strip.
# Instructors: make grade, make lms-export, make student-edition DEST=folder (the repository students get).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PIP    := $(BIN)/python -m pip --disable-pip-version-check --quiet
# The installer: uv (pinned in requirements.txt) installs the pins in parallel, several times faster than
# pip; INSTALLER=pip, or a machine where uv cannot be installed, uses pip. The same pins either way.
# --compile-bytecode: grading kernels see the venv read-only, so they could never cache bytecode themselves.
INSTALLER ?= uv
UV_PIN := $(shell grep -m1 -o '^uv==[^ ]*' requirements.txt)
UV     := $(BIN)/uv
# The reference module (autograder/) is importable for tests and grading only.
export PYTHONPATH := $(CURDIR)
export MPLBACKEND := Agg
# nbgrader runs its helpers (alembic) by name: the venv's bin must come first on PATH.
export PATH := $(CURDIR)/$(BIN):$(PATH)

ASSIGNMENTS := $(notdir $(wildcard solutions/[0-9]*))
LAB_FLAGS := --notebook-dir=$(CURDIR) --LabApp.default_url=/lab/tree/lessons/index.ipynb
LAB_FLAGS += $(if $(DISPLAY),,--no-browser)
LAB_FLAGS += $(if $(filter 0,$(shell id -u)),--allow-root)
# kernel messages reach the browser without Nagle's 40 ms delay: explorers answer a slider in ~20 ms
LAB_FLAGS += --ServerApp.kernel_websocket_connection_class=backprop_lab.server.NoDelayKernelConnection

.PHONY: install lab test lint lessons strip clean grade lms-export student-edition

install: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@if [ "$(INSTALLER)" = uv ] && { test -x $(UV) || $(PIP) install $(UV_PIN); }; then \
	  echo "installing requirements.txt with $(UV_PIN)"; \
	  $(UV) pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements.txt && \
	  $(UV) pip install --quiet --python $(BIN)/python --no-deps -e .; \
	else \
	  echo "installing requirements.txt with pip"; \
	  $(PIP) install -r requirements.txt && $(PIP) install --no-deps -e .; \
	fi
	@touch $(STAMP)

lab: install
	@echo "Opening Backprop Lab: the start page is lessons/index.ipynb"
	$(BIN)/jupyter lab $(LAB_FLAGS) $(LAB_ARGS)

# The whole check: ruff (rules in pyproject.toml), then every test.
test: lint
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

# Grade every submission under submitted/ (or the bundled samples when there is none), concurrently,
# in the grading sandbox: scores in grades/scores.csv and grades/totals.csv, feedback in feedback/.
# One assignment: make grade ASSIGNMENT=06_mazur_network. More options: GRADE_ARGS=--help.
grade: install
	$(BIN)/python -m autograder.grade $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT)) \
	  $(if $(DEADLINE),--deadline $(DEADLINE)) $(if $(WORKERS),--workers $(WORKERS)) $(GRADE_ARGS)

# Grades into the LMS: the gradebook as Canvas's or Moodle's grade-import CSV, students named by a roster
# (nbgrader id -> LMS ids; autograder/lms.py says its columns). make lms-export LMS=canvas ROSTER=roster.csv
LMS ?= canvas
OUT ?= grades/$(LMS).csv
lms-export: install
	@test -n "$(ROSTER)" || { echo "usage: make lms-export LMS=canvas|moodle ROSTER=roster.csv [OUT=file] [LMS_ARGS=...]"; exit 2; }
	$(BIN)/nbgrader export --exporter=autograder.lms.$(if $(filter moodle,$(LMS)),MoodleExport,CanvasExport) \
	  --LmsExport.roster="$(ROSTER)" --to="$(OUT)" $(LMS_ARGS)

# The student edition: a standalone repository with the release notebooks, the start page, backprop_lab/
# and binder/, and no solution, reference or hidden test (tools/student_edition.py). Needs no .venv.
STUDENT_REPO ?= backprop-lab/backprop-lab-student
student-edition:
	@test -n "$(DEST)" || { echo "usage: make student-edition DEST=folder [STUDENT_REPO=owner/name]"; exit 2; }
	$(PYTHON) -m tools.student_edition "$(DEST)" --repo "$(STUDENT_REPO)"

# Regenerate the student notebooks in lessons/ from solutions/ (run after editing a solution).
lessons: install
	@for a in $(ASSIGNMENTS); do \
	  $(BIN)/nbgrader generate_assignment $$a --force --log-level=WARN || exit 1; \
	done

# Remove outputs and execution counts from every committed notebook.
strip: install
	$(BIN)/nbstripout --keep-id solutions/*/*.ipynb lessons/*.ipynb lessons/*/*.ipynb

clean:
	rm -rf $(VENV) submitted autograded feedback gradebook.db .exchange grades .samples-course
