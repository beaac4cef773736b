"""Feedback that names the mistake, shows before any traceback, gives nothing away; noise is not punished.

The gallery (tests/test_gallery.py) checks the same through the real nbgrader CLI; these are
the fast, in-process checks of autograder/grading.py, autograder/mistakes.py and autograder/judge.py.
"""
import builtins
import copy
import json
import math
import warnings

import nbformat
import numpy as np
import numpy.testing
import pytest
from nbformat.v4 import new_code_cell, new_output
from nbgrader.utils import determine_grade

import course
from autograder import grading, records, verdicts
from autograder.judge import JudgeVerdicts, configure, scrub
from course.mazur_network import reference as ref
from course.mazur_network.mistakes import ONE_OUTPUT

VARIANTS = [(lesson, name, k) for lesson in course.lessons()
            for name, variants in course.piece(lesson, "mistakes").VARIANTS.items() for k in range(len(variants))]


def outputs(check, function):
    return {"cases": [grading.call(function, args) for args in check.cases()]}


@pytest.mark.parametrize("lesson, name, k", VARIANTS, ids=[f"{les}.{n}.{k}" for les, n, k in VARIANTS])
def test_each_classic_mistake_is_named(lesson, name, k):
    """Every variant fails some hidden check of its function, and each check it fails names a mistake."""
    checks = {n: c for n, c in course.checks(lesson).items() if (c.function or n) == name}
    words, variant = course.variants(lesson, name)[k]
    found = {n: verdicts.judge(lesson, n, outputs(c, variant)) for n, c in checks.items()}
    failed = {n: v for n, v in found.items() if v}
    assert failed, f"{lesson}.{name}: the mistake {words!r} passes the hidden tests"
    earlier = [w for w, _ in course.variants(lesson, name)[:k + 1]]
    for check_name, verdict in failed.items():
        assert "This is a classic mistake:" in verdict["explanation"], check_name
        # the first variant that agrees (on the part judged) is named: the same words, or an earlier one
        named = verdict["explanation"].split("This is a classic mistake: ", 1)[1].split("\n")[0]
        assert named in earlier
        assert f"What {checks[check_name].title(check_name)} should do:" in verdict["explanation"]


def test_no_mistake_is_named_from_only_the_cases_that_ran():
    """A function that raises on some hidden cases is not matched to a variant that runs on all of them."""
    check = course.checks("mazur_network")["output_deltas"]
    _, sign_flipped = course.variants("mazur_network", "output_deltas")[0]
    first = check.cases()[0]

    def student(f, t1, t2):
        if f == first[0]:
            raise ValueError("only on one case")
        return sign_flipped(f, t1, t2)

    verdict = verdicts.judge("mazur_network", "output_deltas", outputs(check, student))
    assert verdict["summary"].startswith("output_deltas: hidden test 1 of 24 failed: output_deltas raised ValueError")
    assert "classic mistake" not in verdict["explanation"]


def test_part_checks_name_the_part_and_its_mistake():
    """Partial credit: a hidden layer that hears only o1 fails the hidden weights' part, named, and passes the output layer's."""
    checks = course.checks("mazur_network")
    one_output = next(v for w, v in course.variants("mazur_network", "gradients") if w == ONE_OUTPUT)
    assert verdicts.judge("mazur_network", "gradients_output", outputs(checks["gradients_output"], one_output)) is None
    verdict = verdicts.judge("mazur_network", "gradients_hidden", outputs(checks["gradients_hidden"], one_output))
    assert verdict["summary"].startswith("gradients (hidden-layer weights w1..w4): hidden test 1 of 24 failed")
    assert "This is a classic mistake: " + ONE_OUTPUT in verdict["explanation"]


def test_an_unknown_mistake_says_what_is_expected_without_naming_one():
    check = course.checks("mazur_network")["forward"]
    verdict = verdicts.judge("mazur_network", "forward", outputs(check, lambda p, i1, i2: dict(ref.mazur_forward(p, i1, i2), out_o2=0.5)))
    assert verdict["summary"].startswith("forward: hidden test 1 of 24 failed: ['out_o2'] differs from the reference")
    assert "classic mistake" not in verdict["explanation"]
    assert "What forward should do: return every net input and output" in verdict["explanation"]


def test_feedback_gives_no_hidden_input_away():
    check = course.checks("mazur_network")["hidden_deltas"]
    _, variant = course.variants("mazur_network", "hidden_deltas")[1]
    text = verdicts.judge("mazur_network", "hidden_deltas", outputs(check, variant))["explanation"]
    p, f, d1, d2 = check.cases()[0]
    for value in list(p.values()) + list(f.values()) + [d1, d2]:
        assert f"{value:.3f}" not in text and f"{value:.2f}" not in text


def test_in_a_session_the_explanation_is_printed_before_the_error(capsys):
    from course.mazur_network import cases as mazur_network

    _, variant = course.variants("mazur_network", "output_deltas")[0]
    with pytest.raises(grading.HiddenTestFailure) as err:
        mazur_network.check_output_deltas(variant)
    printed = capsys.readouterr().out
    assert "This is a classic mistake: the sign is flipped" in printed
    assert str(err.value).startswith("output_deltas: hidden test 1 of 24 failed")


# ------------------------------------------------------------------ tampering in the kernel


SIGN_FLIPPED = course.variants("mazur_network", "output_deltas")[0][1]


@pytest.mark.parametrize("patch", ["testing", "allclose", "isclose", "builtins_abs"])
def test_patched_comparisons_do_not_change_the_verdict(patch, monkeypatch):
    from course.mazur_network import cases as mazur_network

    if patch == "testing":
        monkeypatch.setattr(numpy.testing, "assert_allclose", lambda *a, **k: None)
    elif patch == "allclose":
        monkeypatch.setattr(np, "allclose", lambda *a, **k: True)
        monkeypatch.setattr(np, "isclose", lambda *a, **k: True)
    elif patch == "isclose":
        monkeypatch.setattr(math, "isclose", lambda *a, **k: True)
        monkeypatch.setattr(math, "isfinite", lambda *a, **k: False)
    else:
        monkeypatch.setattr(builtins, "abs", lambda x: 0)
        monkeypatch.setattr(builtins, "max", lambda *a, **k: 0)
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append(obj))
    monkeypatch.setenv(records.JUDGE_ENV, "1")
    mazur_network.check_output_deltas(SIGN_FLIPPED)  # in the kernel, with the patch: only recorded
    monkeypatch.undo()  # the judge runs in the grader's process, which student code never touched
    assert verdicts.judge(*records.read_record(shown[0][records.BLOB_MIME], 1000))


def test_an_object_equal_to_everything_is_not_a_number():
    class Anything:
        def __eq__(self, other):
            return True

        def __getitem__(self, key):
            return Anything()

        __hash__ = None

        def __float__(self):
            return 0.0

    check = course.checks("mazur_network")["forward"]
    verdict = verdicts.judge("mazur_network", "forward", outputs(check, lambda *a: Anything()))
    assert "returned a Anything" in verdict["summary"]
    assert records.plain(np.float64(0.5)) == 0.5 and records.plain(Anything()) == {"__type__": "Anything"}


def test_a_dict_subclass_that_equals_everything_is_judged_by_its_contents():
    class Anything(dict):
        def __eq__(self, other):
            return True

        __hash__ = None

    check = course.checks("mazur_network")["forward"]
    verdict = verdicts.judge("mazur_network", "forward", outputs(check, lambda *a: Anything()))
    assert "lacks the key(s) net_h1" in verdict["summary"]


def test_the_kernel_records_results_and_the_judge_decides(monkeypatch, capsys):
    """With BACKPROP_JUDGE set (at grading) the kernel only records; nothing it does decides the score."""
    monkeypatch.setenv(records.JUDGE_ENV, "1")
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append(obj))
    from course.mazur_network import cases as mazur_network

    assert mazur_network.check_output_deltas(SIGN_FLIPPED) is None  # no error in the kernel
    lesson, name, outputs_ = records.read_record(shown[0][records.BLOB_MIME], 1000)
    assert (lesson, name, len(outputs_["cases"])) == ("mazur_network", "output_deltas", 24)
    assert verdicts.judge(lesson, name, outputs_)


# ------------------------------------------------------------------ the judge's preprocessor


def graded_cell(source, outputs_):
    cell = new_code_cell(source, metadata={"nbgrader": {"grade": True, "grade_id": "test_x", "points": 2,
                                                        "solution": False, "locked": True, "schema_version": 3}})
    cell.outputs = outputs_
    return cell


HIDDEN = ('with visible("output_deltas"):\n    assert True\n### BEGIN HIDDEN TESTS\n'
          "from course.mazur_network.cases import check_output_deltas\ncheck_output_deltas(output_deltas)\n"
          "### END HIDDEN TESTS\n")


def blob_output(function):
    check = course.checks("mazur_network")["output_deltas"]
    return record_output({"lesson": "mazur_network", "check": "output_deltas", "outputs": outputs(check, function)})


def record_output(data):
    text = data if isinstance(data, str) else json.dumps(data)
    return new_output("display_data", data={records.BLOB_MIME: text, "text/plain": "recorded"})


def judged(cell):
    nb = nbformat.v4.new_notebook(cells=[cell])
    JudgeVerdicts().preprocess(nb, {})
    return nb.cells[0]


def test_nbgrader_gives_zero_to_a_cell_that_wrote_to_stderr_and_the_judge_does_not():
    noisy = [new_output("stream", name="stderr", text="RuntimeWarning: overflow encountered in exp\n")]
    assert determine_grade(graded_cell("pass\n", copy.deepcopy(noisy))) == (0, 2)
    cell = judged(graded_cell(HIDDEN, noisy + [blob_output(ref.mazur_output_deltas)]))
    assert determine_grade(cell) == (2, 2)
    assert [o.name for o in cell.outputs if o.output_type == "stream"] == ["stdout", "stdout"]
    assert not any(records.BLOB_MIME in o.get("data", {}) for o in cell.outputs)


def test_a_wrong_result_scores_zero_with_the_explanation_before_the_error():
    cell = judged(graded_cell(HIDDEN, [blob_output(SIGN_FLIPPED)]))
    assert determine_grade(cell) == (0, 2)
    kinds = [o.output_type for o in cell.outputs]
    assert kinds == ["stream", "error"]
    assert "the sign is flipped" in cell.outputs[0].text


def test_a_missing_record_scores_zero_and_a_forged_one_is_worth_its_values():
    assert determine_grade(judged(graded_cell(HIDDEN, []))) == (0, 2)  # the hidden check never ran
    right = blob_output(ref.mazur_output_deltas)  # forged or not: these values are the right ones
    assert determine_grade(judged(graded_cell(HIDDEN, [right]))) == (2, 2)
    wrong_too = judged(graded_cell(HIDDEN, [right, blob_output(SIGN_FLIPPED)]))  # every record must pass
    assert determine_grade(wrong_too) == (0, 2)


CASE = {"result": [0.1, 0.2], "after": []}
FORGED = {
    "empty array": {"result": {"__array__": [], "shape": [2]}, "after": []},
    "short array": {"result": {"__array__": [0.1], "shape": [2]}, "after": []},
    "bool": {"result": [True, 0.2], "after": []},
    "string": {"result": ["0.1", 0.2], "after": []},
    "extra key": {"result": [0.1, 0.2], "after": [], "passed": True},
    "null": {"result": None, "after": []},
    "negative shape": {"result": {"__array__": [], "shape": [-1, 0]}, "after": []},
    "unknown dict": {"result": {"__dict__": {}, "__array__": []}, "after": []},
}


@pytest.mark.parametrize("kind", sorted(FORGED))
def test_a_record_outside_the_schema_scores_zero_with_a_plain_message(kind):
    cases = [FORGED[kind]] + [CASE] * 23
    cell = judged(graded_cell(HIDDEN, [record_output({"lesson": "mazur_network", "check": "output_deltas",
                                                      "outputs": {"cases": cases}})]))
    assert determine_grade(cell) == (0, 2)
    assert "a record was refused" in cell.outputs[-2].text


@pytest.mark.parametrize("record", [
    "not json", "[]", json.dumps({"lesson": "mazur_network", "check": "output_deltas"}),
    json.dumps({"lesson": "mazur_network", "check": "output_deltas", "outputs": {"cases": [], "x": 1}}),
    json.dumps({"lesson": "mazur_network", "check": "output_deltas", "outputs": {"cases": "all passed"}}),
    json.dumps({"lesson": "mazur_network", "check": "output_deltas", "outputs": {"cases": [[0.0] * 200_000]}}),
    # nested deeper than the JSON decoder recurses: refused like any other record, never a crashed notebook
    '{"lesson": "mazur_network", "check": "output_deltas", "outputs": {"cases": [{"result": '
    + "[" * 200_000 + "]" * 200_000 + ', "after": []}]}}',
], ids=["not-json", "a-list", "no-outputs", "extra-key", "not-a-list", "over-1MB", "too-deep-for-json"])
def test_a_malformed_record_scores_zero(record):
    assert determine_grade(judged(graded_cell(HIDDEN, [record_output(record)]))) == (0, 2)


def test_a_short_record_does_not_run_to_the_end():
    check = course.checks("mazur_network")["output_deltas"]
    short = {"lesson": "mazur_network", "check": "output_deltas",
             "outputs": {"cases": outputs(check, ref.mazur_output_deltas)["cases"][:5]}}
    cell = judged(graded_cell(HIDDEN, [record_output(short)]))
    assert determine_grade(cell) == (0, 2) and "did not run to the end" in cell.outputs[-1].evalue


@pytest.mark.parametrize("fake", [
    new_output("execute_result", data={"text/plain": "2"}, execution_count=1),
    new_output("execute_result", data={"text/plain": "2.0"}, execution_count=1),
    new_output("display_data", data={"text/plain": "2"}),
], ids=["execute_result-2", "execute_result-2.0", "display_data"])
def test_no_output_a_student_leaves_changes_the_points(fake):
    """nbgrader reads the first execute_result as the score; after the judge, only its verdict counts."""
    assert determine_grade(graded_cell("pass\n", [fake, new_output("error", ename="E", evalue="", traceback=[])])) != (0, 2) \
        or fake.output_type == "display_data"
    wrong = judged(graded_cell(HIDDEN, [copy.deepcopy(fake), blob_output(SIGN_FLIPPED)]))
    assert determine_grade(wrong) == (0, 2)
    no_error = judged(graded_cell(HIDDEN, [copy.deepcopy(fake)]))  # the check's record suppressed
    assert determine_grade(no_error) == (0, 2)
    right = judged(graded_cell(HIDDEN, [copy.deepcopy(fake), blob_output(ref.mazur_output_deltas),
                                        new_output("error", ename="AssertionError", evalue="", traceback=[])]))
    assert determine_grade(right) == (2, 2)  # a visible error a student could suppress decides nothing either


def test_tracebacks_lose_every_line_of_the_hidden_region():
    trace = ("\x1b[0;31mAssertionError\x1b[0m Traceback\nCell In[3], line 6\n      4 ### BEGIN HIDDEN TESTS\n"
             "      5 from course.mazur_network.cases import check_output_deltas\n----> 6 check_output_deltas(output_deltas)\n"
             "AssertionError: nope")
    _, lines = __import__("autograder.judge", fromlist=["hidden_checks"]).hidden_checks(HIDDEN)
    text = scrub(trace, lines)
    assert "HIDDEN" not in text and "autograder" not in text and "check_output_deltas" not in text
    assert "AssertionError: nope" in text


def test_configure_adds_the_judge_the_guard_and_hidden_free_feedback():
    from traitlets.config import Config

    c = configure(Config())
    names = [p.__name__ for p in c.Autograde.autograde_preprocessors]
    assert names.index("JudgeSetup") + 1 == names.index("SandboxedExecute") == names.index("JudgeVerdicts") - 1
    assert "Execute" not in names and names.index("JudgeVerdicts") < names.index("SaveAutoGrades")
    assert names[-1] == "MakeInert"
    assert "ClearHiddenTests" in [p.__name__ for p in c.GenerateFeedback.preprocessors]
    assert any("autograder.guard" in a for a in c.Execute.extra_arguments)


def test_a_naive_sigmoid_that_overflows_keeps_its_points():
    from course.sigmoid import cases as sigmoid

    def naive(x):
        return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning that escaped would fail this test
        sigmoid.check_sigmoid(naive)


# ------------------------------------------------------------------ the grading kernel's guard

GUARDED = r"""
import os, sys, subprocess
import autograder.guard
attempts = {
    "read the reference": lambda: open(os.path.join(os.environ["REPO"], "course", "mazur_network", "reference.py")).read(),
    "read a solution": lambda: open(os.path.join(os.environ["REPO"], "solutions", "06_mazur_network", "mazur_network.ipynb")).read(),
    "import the reference": lambda: __import__("course.mazur_network.reference"),
    "import the mistakes": lambda: __import__("autograder.mistakes"),
    "fork": os.fork,
    "run a command": lambda: subprocess.run(["cat", "/etc/hostname"]),
    "os.system": lambda: os.system("true"),
}
for name, attempt in attempts.items():
    try:
        attempt()
    except (PermissionError, ImportError) as err:
        print("refused:", name)
    else:
        print("ALLOWED:", name)
import backprop_lab.selfcheck, course.mazur_network.cases
print("still works:", sorted(course.mazur_network.cases.CHECKS)[0])
"""


def test_the_guard_refuses_the_reference_the_solutions_and_new_processes(tmp_path):
    import os
    import subprocess
    import sys

    from conftest import ROOT

    proc = subprocess.run([sys.executable, "-c", GUARDED], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, PYTHONPATH=str(ROOT), REPO=str(ROOT)))
    assert proc.returncode == 0, proc.stderr
    assert "ALLOWED" not in proc.stdout, proc.stdout
    assert proc.stdout.count("refused:") == 7 and "still works: forward" in proc.stdout


def test_a_check_recorded_twice_in_one_cell_scores_zero_and_is_not_judged(monkeypatch):
    """A cell runs each check once: a second record (even a right one) is forged, and judging thousands is slow."""
    calls = []
    monkeypatch.setattr(verdicts, "judge", lambda *args: calls.append(args))
    cell = judged(graded_cell(HIDDEN, [blob_output(ref.mazur_output_deltas)] * 3))
    assert determine_grade(cell) == (0, 2) and calls == []
    assert "recorded 3 times in one run of this cell" in cell.outputs[-1].evalue
