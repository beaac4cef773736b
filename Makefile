# Backprop Lab: two commands for everyone.
#   make lab    open the course in JupyterLab (creates .venv and installs on first use)
#   make test   the whole test suite (the same install first; CI runs exactly this)
# Maintainers: make lessons (regenerate lessons/ from solutions/), make strip.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PIP    := $(BIN)/python -m pip --disable-pip-version-check --quiet
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

.PHONY: install lab test lessons strip clean grade

install: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements.txt
	$(PIP) install --no-deps -e .
	@touch $(STAMP)

lab: install
	@echo "Opening Backprop Lab: the start page is lessons/index.ipynb"
	$(BIN)/jupyter lab $(LAB_FLAGS) $(LAB_ARGS)

test: install
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

# Grade every submission under submitted/ (or the bundled samples when there is none), concurrently,
# in the grading sandbox: scores in grades/scores.csv and grades/totals.csv, feedback in feedback/.
# One assignment: make grade ASSIGNMENT=06_mazur_network. More options: GRADE_ARGS=--help.
grade: install
	$(BIN)/python -m autograder.grade $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT)) $(GRADE_ARGS)

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
