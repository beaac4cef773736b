"""What `make grade` reports: a progress line per submission, grades/scores.csv and grades/totals.csv, the summary.

The runner (autograder/grade.py) grades; this module only reads results and the gradebook and writes them out.
"""
from __future__ import annotations

import csv
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nbgrader.apps import NbGraderAPI

UNSAFE = "UNSAFE: no sandbox"
Submission = tuple[str, str]  # (assignment, student)
Result = dict[str, Any]  # assignment, student, score, max_score, cause (None: graded), seconds
Results = dict[Submission, Result]


def progress_line(result: Result, index: int, total: int, unsafe: bool = False) -> str:
    """One line of progress: the result-th of total, its score, time and (failed) cause."""
    score = f"{result['score']:g}/{result['max_score']:g}"
    line = f"[{index:>3}/{total}] {result['student']:<28} {result['assignment']:<22} {score:>9}  {result['seconds']:5.1f} s"
    line += f"  {UNSAFE}" if unsafe else ""
    return line + (f"  FAILED: {result['cause']}" if result["cause"] else "")


def score_rows(api: NbGraderAPI, jobs: Iterable[Submission]) -> list[list[str]]:
    """One row per student, assignment, notebook and grade cell, from the gradebook."""
    from nbgrader.api import MissingEntry

    rows = []
    with api.gradebook as gb:
        for assignment, student in jobs:
            try:
                notebooks = gb.find_submission(assignment, student).notebooks
            except MissingEntry:  # not in the gradebook: totals.csv says why
                continue
            for notebook in notebooks:
                for grade in sorted(notebook.grades, key=lambda g: g.name):
                    rows.append([student, assignment, notebook.name, grade.name, f"{grade.score:g}", f"{grade.max_score:g}"])
    return sorted(rows)


def write_csv(path: Path, header: list[str], rows: Iterable[Sequence[str]]) -> None:
    """A CSV file with a header row (its folder created), "\\n" line ends."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_reports(api: NbGraderAPI, out: Path, jobs: Iterable[Submission], results: Results, unsafe: bool = False) -> Path:
    """out/scores.csv (per exercise, from the gradebook) and out/totals.csv (per submission); out."""
    write_csv(out / "scores.csv", ["student", "assignment", "notebook", "exercise", "score", "max_score"],
              score_rows(api, jobs))
    totals = sorted([r["student"], r["assignment"], f"{r['score']:g}", f"{r['max_score']:g}",
                     status(r), r["cause"] or "", UNSAFE if unsafe else "bubblewrap"] for r in results.values())
    write_csv(out / "totals.csv", ["student", "assignment", "score", "max_score", "status", "cause", "sandbox"], totals)
    return out


def status(result: Result) -> str:
    """A submission's status in totals.csv: graded, graded without feedback, or failed."""
    if not result["cause"]:
        return "graded"
    return "graded, no feedback" if result["cause"].startswith("feedback:") else "failed"


def integrity_ok(db_url: str) -> bool:
    """True when the course's gradebook (an sqlite:/// URL) passes SQLite's integrity check."""
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def plural(n: int, word: str) -> str:
    """'1 submission', '2 submissions'."""
    return f"{n} {word}" + ("" if n == 1 else "s")


def summary(results: Results, seconds: float, out: Path) -> None:
    """The closing lines: how many were graded and how fast, every failure with its cause, where the CSVs are."""
    failed = sorted((r["student"], r["assignment"], r["cause"]) for r in results.values() if r["cause"])
    n = len(results)
    print(f"graded {plural(n, 'submission')} in {seconds:.1f} s ({seconds / max(n, 1):.2f} s per submission); "
          f"{len(failed)} could not be graded", flush=True)
    for student, assignment, cause in failed:
        print(f"  FAILED {student} {assignment}: {cause}")
    print(f"scores per exercise: {out / 'scores.csv'}\ntotals: {out / 'totals.csv'}")
