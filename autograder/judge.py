"""The judge: the points of a test cell are decided in the nbgrader process, never in the student's kernel.

`configure(c)` (called from nbgrader_config.py) changes nbgrader's autograde and feedback:

* `JudgeSetup` refuses student, assignment and notebook names that are not plain (autograder/names.py);
* `SandboxedExecute` (autograder/execute.py) replaces Execute: every kernel runs in the operating
  system's sandbox (autograder/sandbox.py), and only records what the student's functions return on
  the hidden cases (autograder/grading.py: `run`);
* `JudgeVerdicts` then, for every graded test cell, reads the records as untrusted data
  (autograder/verdicts.py: a strict schema, size limits), judges them against the reference, and
  leaves outputs from which nbgrader can only read that verdict: the student's execute_results,
  stderr and errors become plain output (no number a student leaves, no missing error, no warning
  changes the points), a fail ends with one HiddenTestFailure error. It also scrubs the hidden
  region's lines from every traceback;
* `MakeInert` (autograder/inert.py), the last step, renders everything a student wrote inert in
  the autograded notebook, which the formgrader shows and feedback is made from;
* the grading kernel imports autograder/guard.py before the first cell (defence in depth only:
  nothing depends on it);
* generate_feedback clears the hidden tests' source (ClearHiddenTests), so the feedback shows
  neither the hidden code nor its values, and nbconvert sanitises the HTML once more; the page is
  nbgrader's own with one style added (autograder/inert.py: WrapOutputs): long lines of output
  wrap instead of running off the page.
"""
import os
import re

from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder import names, records, verdicts
from autograder.execute import SandboxedExecute
from autograder.inert import MakeInert, WrapOutputs
from autograder.settings import GradingSettings

HIDDEN_REGION = re.compile(r"### BEGIN HIDDEN TESTS(.*?)### END HIDDEN TESTS", re.S)
IMPORT = re.compile(r"from\s+course\.(\w+)\.cases\s+import")
CALL = re.compile(r"\bcheck_(\w+)\s*\(")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
GUARD_LINE = "--IPKernelApp.exec_lines=import autograder.guard"


def hidden_checks(source):
    """[(lesson, check)] that a test cell's hidden region calls, and the region's code lines."""
    checks, lines = [], []
    for region in HIDDEN_REGION.findall(source):
        lines += [line.strip() for line in region.splitlines() if line.strip()]
        lessons = IMPORT.findall(region)
        if lessons:
            checks += [(lessons[0], name) for name in CALL.findall(region)]
    return checks, lines


def scrub(text, hidden_lines):
    """text without any line that shows code of the hidden region (or names the autograder)."""
    kept = []
    for line in text.split("\n"):
        plain_line = ANSI.sub("", line)
        if "autograder" in plain_line or "HIDDEN TESTS" in plain_line:
            continue
        if any(code in plain_line for code in hidden_lines if len(code) > 3):
            continue
        kept.append(line)
    return "\n".join(kept)


class ForgetDuplicates(NbGraderPreprocessor):
    """After DeduplicateIds: a duplicated test or solution cell (copy and paste keeps nbgrader's metadata)
    becomes an ordinary cell, instead of an empty nbgrader dict that fails the whole notebook
    ("Outdated schema version: 0"); the last copy is the graded one, as DeduplicateIds decides."""

    def preprocess(self, nb, resources):
        for cell in nb.cells:
            if "nbgrader" in cell.metadata and not cell.metadata["nbgrader"]:
                del cell.metadata["nbgrader"]
        return nb, resources


class JudgeSetup(NbGraderPreprocessor):
    """Before Execute: refuse names that are not plain (student, assignment, notebook), and put the kernel in
    recording mode (the sandbox sets BACKPROP_JUDGE itself; this covers --unsafe-no-sandbox)."""

    def preprocess(self, nb, resources):
        info = resources.get("nbgrader", {})
        for what in ("student", "assignment", "notebook"):
            value = info.get(what)
            if value is not None and not names.valid(value):
                raise ValueError(f"refusing to grade: the {what} name {names.shown(value)} is not a plain name "
                                 f"({names.RULE})")
        os.environ[records.JUDGE_ENV] = "1"
        return nb, resources


class JudgeVerdicts(NbGraderPreprocessor):
    """After Execute: the points of every graded test cell are the judge's verdict on its hidden checks."""

    def preprocess(self, nb, resources):
        os.environ.pop(records.JUDGE_ENV, None)
        settings = GradingSettings(config=self.config)
        budget = [settings.records_mb * 1_000_000]
        failing = set()  # the student's functions that failed a check so far (a later function may use them)
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type != "code":
                continue
            if meta.get("grade") and not meta.get("solution"):
                failing |= self.judge_cell(cell, budget, settings.record_kb, frozenset(failing))
            else:
                cell.outputs = [o for o in cell.outputs if not is_record(o)]
                for output in cell.outputs:
                    if output.output_type == "error":  # no autograder (guard) frames in any traceback
                        output.traceback = [t for t in (scrub(str(line), []) for line in output.traceback) if t.strip()]
        return nb, resources

    def judge_cell(self, cell, budget: list, record_kb: int, failing: frozenset = frozenset()) -> set:
        """Decide the cell from its records alone. Whatever else the kernel sent becomes plain output that
        cannot score: execute_result becomes display_data, stderr becomes stdout, an error becomes its text.
        A fail ends with one HiddenTestFailure error (nbgrader: 0 points), a pass with none (full points).
        failing: the student's functions that failed earlier cells (see verdicts.judge). Returns the
        functions whose checks in this cell failed."""
        checks, hidden_lines = hidden_checks(cell.source)
        recorded, problems, shown = {}, [], []
        for output in cell.outputs:
            if is_record(output):
                text = output["data"][records.BLOB_MIME]
                budget[0] -= len(text) if isinstance(text, str) else 0
                try:
                    if budget[0] < 0:
                        raise records.InvalidRecord("this notebook's records exceed the grading limit")
                    lesson, name, outputs = records.read_record(text, record_kb)
                except records.InvalidRecord as error:
                    problems.append(str(error))
                    continue
                recorded.setdefault((lesson, name), []).append(outputs)
            else:
                shown.append(harmless(output, hidden_lines))
        failures, passed, failed_functions = [], [], set()
        for lesson, name in checks:
            mine = recorded.get((lesson, name))
            if not mine:
                failed_functions.add(verdicts.function_of(lesson, name))
                why = f"; a record was refused: {problems[0]}" if problems else " (the cell stopped before them)"
                failures.append(verdicts.failure(f"{name}: the hidden tests did not run{why}"))
                continue
            if len(mine) > 1:  # a cell runs each of its checks once: more records are forged, and judging them is slow
                failed_functions.add(verdicts.function_of(lesson, name))
                failures.append(verdicts.failure(f"{name}: its hidden tests were recorded {len(mine)} times in one "
                                                 "run of this cell, but they run once; the records are not judged"))
                continue
            failed = [v for v in (verdicts.judge(lesson, name, outputs, failing) for outputs in mine) if v]
            if failed:
                failures.append(failed[0])
                failed_functions.add(verdicts.function_of(lesson, name))
            else:
                passed.append(name)
        if not checks:
            failures.append(verdicts.failure("this test cell has no hidden checks, so it cannot be graded fairly; "
                                             "the instructor must add them"))
        if passed:
            shown.append(new_output("stream", name="stdout",
                                    text="".join(f"Hidden tests of {name}: passed.\n" for name in passed)))
        if failures:
            shown.append(new_output("stream", name="stdout", text="\n\n".join(f["explanation"] for f in failures) + "\n"))
            summary = failures[0]["summary"]
            shown.append(new_output("error", ename="HiddenTestFailure", evalue=summary,
                                    traceback=[f"\x1b[0;31mHiddenTestFailure\x1b[0m: {summary}"]))
        cell.outputs = shown
        return failed_functions


def is_record(output):
    return records.BLOB_MIME in output.get("data", {})


def harmless(output, hidden_lines):
    """A test cell's output as something that cannot change its score (see JudgeVerdicts.judge_cell)."""
    kind = output.get("output_type")
    if kind == "execute_result":
        return new_output("display_data", data=output.get("data", {}), metadata={})
    if kind == "stream":
        return new_output("stream", name="stdout", text=str(output.get("text", "")))
    if kind == "error":
        lines = [scrub(str(line), hidden_lines) for line in output.get("traceback", [])]
        text = "\n".join(line for line in lines if line.strip()) or f"{output.get('ename')}: {output.get('evalue')}"
        return new_output("stream", name="stdout", text=text + "\n")
    return output


def configure(c):
    """Add the judge, the kernel guard and hidden-test-free feedback to an nbgrader config object."""
    from nbgrader.converters.autograde import Autograde
    from nbgrader.converters.generate_feedback import GenerateFeedback
    from nbgrader.preprocessors import ClearHiddenTests, DeduplicateIds, Execute

    steps = list(Autograde.class_traits()["autograde_preprocessors"].default())
    at = steps.index(Execute)
    steps = steps[:at] + [JudgeSetup, SandboxedExecute, JudgeVerdicts] + steps[at + 1:]
    c.Autograde.autograde_preprocessors = steps + [MakeInert]  # last: the formgrader and feedback show this
    sanitize = list(Autograde.class_traits()["sanitize_preprocessors"].default())
    at = sanitize.index(DeduplicateIds) + 1
    c.Autograde.sanitize_preprocessors = sanitize[:at] + [ForgetDuplicates] + sanitize[at:]
    c.OverwriteCells.add_missing_cells = True  # a deleted test cell comes back (and says so) instead of scoring 0
    feedback = list(GenerateFeedback.class_traits()["preprocessors"].default())
    c.GenerateFeedback.preprocessors = [ClearHiddenTests, MakeInert] + feedback + [WrapOutputs]  # after the CSS header
    c.HTMLExporter.sanitize_html = True  # nbconvert's own sanitiser as a second layer, for every HTML page
    extra = [a for a in c.Execute.get("extra_arguments", []) if a != GUARD_LINE] if "Execute" in c else []
    c.Execute.extra_arguments = extra + [GUARD_LINE]
    return c
