"""Seconds per submission: serial `nbgrader autograde` against `make grade`'s command, with the OS sandbox.

    .venv/bin/python benchmarks/grading_speed.py            # 40 submissions, all lessons
    .venv/bin/python benchmarks/grading_speed.py --count 12

Builds a throwaway course with COUNT submissions (the bundled samples of every lesson:
correct, untouched and wrong ones, cycled under new student names), copies it three times, then
  * serial: `nbgrader autograde <assignment> --create --force` once per assignment, as nbgrader
    grades out of the box: one submission after another, each in a new plain python3 kernel
    (--SandboxedExecute.unsafe_no_sandbox; the judge still decides, so the scores compare);
  * serial, sandboxed: the same command as the course's config runs it: every kernel in the
    bubblewrap sandbox, forked by the kernel factory;
  * make grade: `python -m autograder.grade --course <copy>` (concurrent workers, the sandbox, and it
    also writes the CSVs and every student's feedback, which neither serial run does).
It checks that every grade cell of every submission got the same score all three ways and prints
seconds per submission and the ratios; the target is make grade at least 3 times as fast as serial
nbgrader out of the box. Not part of make test.
"""
import argparse
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder import grade, reports, sample_course  # noqa: E402

grade.set_environment()

TARGET = 3.0


def build_course(root, count):
    """A course with count submissions cycled from the samples of every lesson."""
    assignments = sorted(p.name for p in (ROOT / "solutions").iterdir() if p.is_dir() and p.name[:2].isdigit())
    sample_course.create(root, assignments, grade.generate_assignment)
    submitted = root / "submitted"
    samples = sorted((a.parent.name, a.name) for a in submitted.glob("*/*"))
    round_robin = [s for group in itertools.zip_longest(*[[s for s in samples if s[1] == a] for a in assignments])
                   for s in group if s]
    shutil.move(submitted, root / "samples")
    for k, (student, assignment) in enumerate(itertools.islice(itertools.cycle(round_robin), count)):
        target = submitted / f"{student}-{k:02d}" / assignment
        shutil.copytree(root / "samples" / student / assignment, target)
    shutil.rmtree(root / "samples")


def env():
    variables = dict(os.environ, PYTHONPATH=str(ROOT), MPLBACKEND="Agg")
    variables["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), variables.get("PATH", "")])
    return variables


def serial(course, *flags):
    assignments = sorted({p.name for p in (course / "submitted").glob("*/*")})
    started = time.monotonic()
    for assignment in assignments:
        subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "autograde", assignment, "--create",
                        "--force", "--log-level=ERROR", *flags], cwd=course, env=env(), check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - started


def make_grade(course):
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "autograder.grade", "--course", str(course)], cwd=ROOT, env=env(),
                   check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - started


def scores(course):
    """{(student, assignment, notebook, grade cell): score} from the course's gradebook."""
    jobs, _ = grade.find_submissions(course)
    return {tuple(row[:4]): row[4] for row in reports.score_rows(grade.nbgrader_api(course), jobs)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=40)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="grading-speed-") as scratch:
        base = Path(scratch) / "base"
        build_course(base, args.count)
        copies = {name: Path(scratch) / name for name in ("serial", "serial_sandboxed", "make_grade")}
        for copy in copies.values():
            shutil.copytree(base, copy, symlinks=True)
            text = (copy / "nbgrader_config.py").read_text().replace(str(base), str(copy))
            (copy / "nbgrader_config.py").write_text(text)
        seconds = {"serial": serial(copies["serial"], "--SandboxedExecute.unsafe_no_sandbox=True"),
                   "serial_sandboxed": serial(copies["serial_sandboxed"]),
                   "make_grade": make_grade(copies["make_grade"])}
        got = {name: scores(copy) for name, copy in copies.items()}
    print(f"load average (1 min) before {load_before:.1f}, after {os.getloadavg()[0]:.1f}: "
          "figures are only meaningful on an otherwise idle machine")
    report(args.count, seconds, got)


def report(count, seconds, got):
    same = got["serial"] == got["make_grade"] == got["serial_sandboxed"] and len(got["serial"]) > 0
    per = {name: s / count for name, s in seconds.items()}
    ratio = seconds["serial"] / seconds["make_grade"]
    print(f"{count} submissions, {os.cpu_count()} cores")
    print(f"serial nbgrader autograde, plain kernel: {seconds['serial']:6.1f} s  {per['serial']:.2f} s per submission")
    print(f"serial nbgrader autograde, sandboxed:    {seconds['serial_sandboxed']:6.1f} s  "
          f"{per['serial_sandboxed']:.2f} s per submission")
    print(f"make grade, sandboxed (+ feedback):      {seconds['make_grade']:6.1f} s  {per['make_grade']:.2f} s per submission")
    print(f"ratio serial plain / make grade {ratio:.2f} (target >= {TARGET}); serial sandboxed / make grade "
          f"{seconds['serial_sandboxed'] / seconds['make_grade']:.2f}; scores identical: {same} "
          f"({len(got['serial'])} grade cells)")
    if not same:
        for key in sorted(set(got["serial"]) | set(got["make_grade"])):
            values = [got[name].get(key) for name in ("serial", "serial_sandboxed", "make_grade")]
            if len(set(values)) > 1:
                print("  differs:", key, *values)
    sys.exit(0 if same and ratio >= TARGET else 1)


if __name__ == "__main__":
    main()
