"""The judge: hidden tests are decided in the nbgrader process, never in the student's kernel.

`configure(c)` (called from nbgrader_config.py) changes three things in nbgrader:

* autograde runs `JudgeSetup` before Execute and `JudgeVerdicts` right after it. JudgeSetup
  gives the kernel a fresh token (environment variable BACKPROP_JUDGE), so the hidden checks
  in the kernel only record what the student's functions return, as a data blob in the test
  cell's output (autograder/grading.py: `run`). JudgeVerdicts then, for every test cell,
  - turns stderr output into stdout: nbgrader gives zero to a test cell that wrote to stderr,
    and a warning from correct but naive code is noise, not a mistake;
  - removes the blobs and judges them against the reference, here, where the student's code
    never ran (autograder/grading.py: `judge`): a cell whose hidden checks did not all pass,
    or did not run, gets the explanation on stdout and a one-line error, so nbgrader scores it 0;
  - scrubs the hidden region's lines from every traceback;
* the grading kernel imports autograder/guard.py before the first cell (IPKernelApp.exec_lines);
* generate_feedback clears the hidden tests' source (ClearHiddenTests), so the feedback shows
  neither the hidden code nor its values.
"""
import os
import re
import secrets

from nbgrader.preprocessors import NbGraderPreprocessor

from autograder import grading

HIDDEN_REGION = re.compile(r"### BEGIN HIDDEN TESTS(.*?)### END HIDDEN TESTS", re.S)
IMPORT = re.compile(r"from\s+autograder\.hidden\.(\w+)\s+import")
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
    """Before Execute: tell the kernel that hidden checks are judged here (a fresh token per notebook)."""

    def preprocess(self, nb, resources):
        token = secrets.token_hex(16)
        os.environ[grading.JUDGE_ENV] = token
        os.environ["BACKPROP_PROTECT"] = os.getcwd()  # the course root: the guard refuses reads there
        resources["backprop_judge_token"] = token
        return nb, resources


class JudgeVerdicts(NbGraderPreprocessor):
    """After Execute: judge every test cell's recorded hidden checks; see the module docstring."""

    def preprocess(self, nb, resources):
        token = resources.get("backprop_judge_token") or os.environ.get(grading.JUDGE_ENV)
        os.environ.pop(grading.JUDGE_ENV, None)
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type == "code" and meta.get("grade"):
                self.judge_cell(cell, token)
            elif cell.cell_type == "code":
                cell.outputs = [o for o in cell.outputs if grading.BLOB_MIME not in o.get("data", {})]
                for output in cell.outputs:
                    if output.output_type == "error":  # no autograder (guard) frames in any traceback
                        output.traceback = [t for t in (scrub(line, []) for line in output.traceback) if t.strip()]
        return nb, resources

    def judge_cell(self, cell, token):
        checks, hidden_lines = hidden_checks(cell.source)
        outputs, blobs = [], []
        for output in cell.outputs:
            if output.output_type == "stream" and output.name == "stderr":
                output.name = "stdout"  # noise (a warning) is shown, not punished
            data = output.get("data", {})
            if grading.BLOB_MIME in data:
                blob = grading.decode(data[grading.BLOB_MIME])
                if blob and token and blob.get("token") == token:
                    blobs.append(blob)
                continue
            if output.output_type == "error":
                output.traceback = [scrub(line, hidden_lines) for line in output.traceback]
                output.traceback = [line for line in output.traceback if line.strip()] or [f"{output.ename}: {output.evalue}"]
            outputs.append(output)
        cell.outputs = outputs
        if not checks:
            return
        from nbformat.v4 import new_output

        errors = [k for k, o in enumerate(outputs) if o.output_type == "error"]
        if errors:
            # the visible tests failed (or the cell timed out, or the kernel died): the cell scores 0;
            # if the self-check recorded the function's hidden results, say what they found (and name the
            # mistake) before the traceback
            named = [v for lesson, name in checks
                     for b in blobs if b.get("lesson") == lesson and b.get("check") == name
                     for v in [grading.judge(lesson, name, b.get("outputs") or {})] if v and "not written" not in v["summary"]]
            if named:
                text = "\n\n".join(v["explanation"] for v in named[:1]) + "\n"
                outputs.insert(errors[0], new_output("stream", name="stdout", text=text))
            return
        failures, passed = [], []
        for lesson, name in checks:
            mine = [b for b in blobs if b.get("lesson") == lesson and b.get("check") == name]
            if not mine:
                failures.append({"summary": f"{name}: the hidden tests did not run",
                                 "explanation": f"{name}: the hidden tests did not run (the cell stopped before them)."})
                continue
            verdicts = [grading.judge(lesson, name, b.get("outputs") or {}) for b in mine]
            failed = [v for v in verdicts if v]
            if failed:
                failures.append(failed[0])
            else:
                passed.append(name)

        if passed:
            cell.outputs.append(new_output("stream", name="stdout",
                                           text="".join(f"Hidden tests of {name}: passed.\n" for name in passed)))
        if failures:
            text = "\n\n".join(f["explanation"] for f in failures) + "\n"
            cell.outputs.append(new_output("stream", name="stdout", text=text))
            summary = failures[0]["summary"]
            cell.outputs.append(new_output("error", ename="HiddenTestFailure", evalue=summary,
                                           traceback=[f"\x1b[0;31mHiddenTestFailure\x1b[0m: {summary}"]))


def configure(c):
    """Add the judge, the kernel guard and hidden-test-free feedback to an nbgrader config object."""
    from nbgrader.converters.autograde import Autograde
    from nbgrader.converters.generate_feedback import GenerateFeedback
    from nbgrader.preprocessors import ClearHiddenTests, DeduplicateIds, Execute

    steps = list(Autograde.class_traits()["autograde_preprocessors"].default())
    at = steps.index(Execute)
    c.Autograde.autograde_preprocessors = steps[:at] + [JudgeSetup, Execute, JudgeVerdicts] + steps[at + 1:]
    sanitize = list(Autograde.class_traits()["sanitize_preprocessors"].default())
    at = sanitize.index(DeduplicateIds) + 1
    c.Autograde.sanitize_preprocessors = sanitize[:at] + [ForgetDuplicates] + sanitize[at:]
    c.OverwriteCells.add_missing_cells = True  # a deleted test cell comes back (and says so) instead of scoring 0
    feedback = list(GenerateFeedback.class_traits()["preprocessors"].default())
    c.GenerateFeedback.preprocessors = [ClearHiddenTests] + feedback
    extra = [a for a in c.Execute.get("extra_arguments", []) if a != GUARD_LINE] if "Execute" in c else []
    c.Execute.extra_arguments = extra + [GUARD_LINE]
    return c
