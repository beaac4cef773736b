"""Feedback that names the mistake, shows before any traceback, gives nothing away; noise is not punished.

The gallery (tests/test_gallery.py) checks the same through the real nbgrader CLI; these are
the fast, in-process checks of autograder/grading.py, autograder/mistakes.py and autograder/judge.py.
"""
import builtins
import copy
import math
import warnings

import nbformat
import numpy as np
import numpy.testing
import pytest
from nbformat.v4 import new_code_cell, new_output
from nbgrader.utils import determine_grade

from autograder import grading, mistakes
from autograder import reference as ref
from autograder.judge import JudgeVerdicts, configure, scrub

VARIANTS = [(lesson, name, k) for (lesson, name), variants in mistakes.VARIANTS.items() for k in range(len(variants))]


def outputs(check, function):
    return {"cases": [grading.call(function, args) for args in check.cases()]}


@pytest.mark.parametrize("lesson, name, k", VARIANTS, ids=[f"{l}.{n}.{k}" for l, n, k in VARIANTS])
def test_each_classic_mistake_is_named(lesson, name, k):
    """Every variant fails some hidden check of its function, and each check it fails names a mistake."""
    checks = {n: c for n, c in grading.lesson_checks(lesson).items() if (c.function or n) == name}
    words, variant = mistakes.VARIANTS[(lesson, name)][k]
    verdicts = {n: grading.judge(lesson, n, outputs(c, variant)) for n, c in checks.items()}
    failed = {n: v for n, v in verdicts.items() if v}
    assert failed, f"{lesson}.{name}: the mistake {words!r} passes the hidden tests"
    earlier = [w for w, _ in mistakes.VARIANTS[(lesson, name)][:k + 1]]
    for check_name, verdict in failed.items():
        assert "This is a classic mistake:" in verdict["explanation"], check_name
        # the first variant that agrees (on the part judged) is named: the same words, or an earlier one
        named = verdict["explanation"].split("This is a classic mistake: ", 1)[1].split("\n")[0]
        assert named in earlier
        assert f"What {checks[check_name].title(check_name)} should do:" in verdict["explanation"]


def test_no_mistake_is_named_from_only_the_cases_that_ran():
    """A function that raises on some hidden cases is not matched to a variant that runs on all of them."""
    check = grading.lesson_checks("mazur_network")["output_deltas"]
    _, sign_flipped = mistakes.VARIANTS[("mazur_network", "output_deltas")][0]
    first = check.cases()[0]

    def student(f, t1, t2):
        if f == first[0]:
            raise ValueError("only on one case")
        return sign_flipped(f, t1, t2)

    verdict = grading.judge("mazur_network", "output_deltas", outputs(check, student))
    assert verdict["summary"].startswith("output_deltas: hidden test 1 of 24 failed: output_deltas raised ValueError")
    assert "classic mistake" not in verdict["explanation"]


def test_part_checks_name_the_part_and_its_mistake():
    """Partial credit: a hidden layer that hears only o1 fails the hidden weights' part, named, and passes the output layer's."""
    checks = grading.lesson_checks("mazur_network")
    one_output = next(v for w, v in mistakes.VARIANTS[("mazur_network", "gradients")] if w == mistakes.ONE_OUTPUT)
    assert grading.judge("mazur_network", "gradients_output", outputs(checks["gradients_output"], one_output)) is None
    verdict = grading.judge("mazur_network", "gradients_hidden", outputs(checks["gradients_hidden"], one_output))
    assert verdict["summary"].startswith("gradients (hidden-layer weights w1..w4): hidden test 1 of 24 failed")
    assert "This is a classic mistake: " + mistakes.ONE_OUTPUT in verdict["explanation"]


def test_an_unknown_mistake_says_what_is_expected_without_naming_one():
    check = grading.lesson_checks("mazur_network")["forward"]
    verdict = grading.judge("mazur_network", "forward", outputs(check, lambda p, i1, i2: dict(ref.mazur_forward(p, i1, i2), out_o2=0.5)))
    assert verdict["summary"].startswith("forward: hidden test 1 of 24 failed: ['out_o2'] differs from the reference")
    assert "classic mistake" not in verdict["explanation"]
    assert "What forward should do: return every net input and output" in verdict["explanation"]


def test_feedback_gives_no_hidden_input_away():
    check = grading.lesson_checks("mazur_network")["hidden_deltas"]
    _, variant = mistakes.VARIANTS[("mazur_network", "hidden_deltas")][1]
    text = grading.judge("mazur_network", "hidden_deltas", outputs(check, variant))["explanation"]
    p, f, d1, d2 = check.cases()[0]
    for value in list(p.values()) + list(f.values()) + [d1, d2]:
        assert f"{value:.3f}" not in text and f"{value:.2f}" not in text


def test_in_a_session_the_explanation_is_printed_before_the_error(capsys):
    from autograder.hidden import mazur_network

    _, variant = mistakes.VARIANTS[("mazur_network", "output_deltas")][0]
    with pytest.raises(grading.HiddenTestFailure) as err:
        mazur_network.check_output_deltas(variant)
    printed = capsys.readouterr().out
    assert "This is a classic mistake: the sign is flipped" in printed
    assert str(err.value).startswith("output_deltas: hidden test 1 of 24 failed")


# ------------------------------------------------------------------ tampering in the kernel


SIGN_FLIPPED = mistakes.VARIANTS[("mazur_network", "output_deltas")][0][1]


@pytest.mark.parametrize("patch", ["testing", "allclose", "isclose", "builtins_abs"])
def test_patched_comparisons_do_not_change_the_verdict(patch, monkeypatch):
    from autograder.hidden import mazur_network

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
    with pytest.raises(grading.HiddenTestFailure):
        mazur_network.check_output_deltas(SIGN_FLIPPED)


def test_an_object_equal_to_everything_is_not_a_number():
    class Anything(dict):
        def __eq__(self, other):
            return True

        def __getitem__(self, key):
            return Anything()

        __hash__ = None

        def __float__(self):
            return 0.0

    check = grading.lesson_checks("mazur_network")["forward"]
    verdict = grading.judge("mazur_network", "forward", outputs(check, lambda *a: Anything()))
    assert "returned a Anything" in verdict["summary"]
    assert grading.plain(np.float64(0.5)) == 0.5 and grading.plain(Anything()) == {"__type__": "Anything"}


def test_the_kernel_records_results_and_the_judge_decides(monkeypatch, capsys):
    """With BACKPROP_JUDGE set (at grading) the kernel only records; nothing it does decides the score."""
    monkeypatch.setenv(grading.JUDGE_ENV, "token")
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append(obj))
    from autograder.hidden import mazur_network

    assert mazur_network.check_output_deltas(SIGN_FLIPPED) is None  # no error in the kernel
    blob = grading.decode(shown[0][grading.BLOB_MIME])
    assert blob["token"] == "token" and blob["check"] == "output_deltas" and len(blob["outputs"]["cases"]) == 24
    assert grading.judge(blob["lesson"], blob["check"], blob["outputs"])


# ------------------------------------------------------------------ the judge's preprocessor


def graded_cell(source, outputs_):
    cell = new_code_cell(source, metadata={"nbgrader": {"grade": True, "grade_id": "test_x", "points": 2,
                                                        "solution": False, "locked": True, "schema_version": 3}})
    cell.outputs = outputs_
    return cell


HIDDEN = ('with visible("output_deltas"):\n    assert True\n### BEGIN HIDDEN TESTS\n'
          "from autograder.hidden.mazur_network import check_output_deltas\ncheck_output_deltas(output_deltas)\n"
          "### END HIDDEN TESTS\n")


def blob_output(function, token="t"):
    check = grading.lesson_checks("mazur_network")["output_deltas"]
    data = {"token": token, "lesson": "mazur_network", "check": "output_deltas", "outputs": outputs(check, function)}
    return new_output("display_data", data={grading.BLOB_MIME: grading._dumps(data), "text/plain": "recorded"})


def verdicts(cell, token="t"):
    nb = nbformat.v4.new_notebook(cells=[cell])
    JudgeVerdicts().preprocess(nb, {"backprop_judge_token": token})
    return nb.cells[0]


def test_nbgrader_gives_zero_to_a_cell_that_wrote_to_stderr_and_the_judge_does_not():
    noisy = [new_output("stream", name="stderr", text="RuntimeWarning: overflow encountered in exp\n")]
    assert determine_grade(graded_cell("pass\n", copy.deepcopy(noisy))) == (0, 2)
    cell = verdicts(graded_cell(HIDDEN, noisy + [blob_output(ref.mazur_output_deltas)]))
    assert determine_grade(cell) == (2, 2)
    assert [o.name for o in cell.outputs if o.output_type == "stream"] == ["stdout", "stdout"]
    assert not any(grading.BLOB_MIME in o.get("data", {}) for o in cell.outputs)


def test_a_wrong_result_scores_zero_with_the_explanation_before_the_error():
    cell = verdicts(graded_cell(HIDDEN, [blob_output(SIGN_FLIPPED)]))
    assert determine_grade(cell) == (0, 2)
    kinds = [o.output_type for o in cell.outputs]
    assert kinds == ["stream", "error"]
    assert "the sign is flipped" in cell.outputs[0].text


def test_a_missing_or_forged_record_scores_zero():
    assert determine_grade(verdicts(graded_cell(HIDDEN, []))) == (0, 2)  # the hidden check never ran
    forged = verdicts(graded_cell(HIDDEN, [blob_output(ref.mazur_output_deltas, token="guessed")]))
    assert determine_grade(forged) == (0, 2)


def test_tracebacks_lose_every_line_of_the_hidden_region():
    trace = ("\x1b[0;31mAssertionError\x1b[0m Traceback\nCell In[3], line 6\n      4 ### BEGIN HIDDEN TESTS\n"
             "      5 from autograder.hidden.mazur_network import check_output_deltas\n----> 6 check_output_deltas(output_deltas)\n"
             "AssertionError: nope")
    _, lines = __import__("autograder.judge", fromlist=["hidden_checks"]).hidden_checks(HIDDEN)
    text = scrub(trace, lines)
    assert "HIDDEN" not in text and "autograder" not in text and "check_output_deltas" not in text
    assert "AssertionError: nope" in text


def test_configure_adds_the_judge_the_guard_and_hidden_free_feedback():
    from traitlets.config import Config

    c = configure(Config())
    names = [p.__name__ for p in c.Autograde.autograde_preprocessors]
    assert names.index("JudgeSetup") + 1 == names.index("Execute") == names.index("JudgeVerdicts") - 1
    assert names.index("JudgeVerdicts") < names.index("SaveAutoGrades")
    assert "ClearHiddenTests" in [p.__name__ for p in c.GenerateFeedback.preprocessors]
    assert any("autograder.guard" in a for a in c.Execute.extra_arguments)


def test_a_naive_sigmoid_that_overflows_keeps_its_points():
    from autograder.hidden import sigmoid

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
    "read the reference": lambda: open(os.path.join(os.environ["REPO"], "autograder", "reference.py")).read(),
    "read a solution": lambda: open(os.path.join(os.environ["REPO"], "solutions", "06_mazur_network", "mazur_network.ipynb")).read(),
    "import the reference": lambda: __import__("autograder.reference"),
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
import backprop_lab.selfcheck, autograder.hidden.mazur_network
print("still works:", sorted(autograder.hidden.mazur_network.CHECKS)[0])
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
