"""The sources are named, not numbered: no tracked file says "seed 0..." or points into ../shared;
the start page lists the five documents and the time each lesson takes; every lesson closes with its
notes on the sources; ERRATA.md classifies its rows and README's count agrees with it."""
import re
import subprocess

import nbformat
import pytest
from conftest import ASSIGNMENTS, LESSONS, ROOT, notebook_path

from backprop_lab.examples import MAZUR, MAZUR_PARAMS, NEURON, NEURON_PARAMS
from course.mazur_network.reference import mazur_deltas, mazur_gradients
from course.sigmoid_neuron import reference as ref

# "seed 003", "Seed 001's", "seeds 000 and 004", "seed-0 weights", "seed001_w3", "../shared/seeds/..."
FORBIDDEN = re.compile(r"\bseeds?[ \t-]*0|seeds/", re.IGNORECASE)
OUTSIDE = re.compile(r"\.\./shared|/work/")
THIS_FILE = "tests/test_sources.py"     # the one tracked file that must spell the forbidden words
DOCUMENTS = ["README.md", "ERRATA.md", "CONTRIBUTING.md"]


def tracked_files():
    names = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    return [n for n in names if (ROOT / n).is_file()]


def text_of(name):
    try:
        return (ROOT / name).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None                     # a binary file


def test_no_tracked_file_names_a_source_by_its_file_number():
    hits = []
    for name in tracked_files():
        text = text_of(name)
        if name == THIS_FILE or text is None:
            continue
        for m in FORBIDDEN.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            hits.append(f"{name}:{line}: {m.group(0)!r}")
    assert not hits, "say Mazur, hmkcode, Pahwa or Ahmadi instead:\n" + "\n".join(hits)


def test_the_forbidden_pattern_catches_what_it_should():
    for bad in ("seed 003 prints", "Seed 001's slide", "seeds 000 and 004", "the seed-0 run", "seed001_w3", "../shared/seeds/x"):
        assert FORBIDDEN.search(bad), bad
    for fine in ("np.random.default_rng(0)", "a fixed seed, and train", "for seed in range(12)"):
        assert not FORBIDDEN.search(fine), fine


def student_and_maintainer_texts():
    yield from ((name, (ROOT / name).read_text(encoding="utf-8")) for name in DOCUMENTS)
    for path in sorted(LESSONS.glob("*.ipynb")) + sorted(LESSONS.glob("*/*.ipynb")):
        yield str(path.relative_to(ROOT)), "\n".join(c.source for c in nbformat.read(path, as_version=4).cells)


def test_lessons_and_documents_point_nowhere_outside_the_repository():
    for name, text in student_and_maintainer_texts():
        assert not OUTSIDE.search(text), f"{name} points outside the repository"


def start_page():
    return nbformat.read(LESSONS / "index.ipynb", as_version=4)


def test_start_page_lists_the_five_sources():
    cells = [c.source for c in start_page().cells if c.source.startswith("## Sources")]
    assert len(cells) == 1, "the start page needs one Sources section"
    rows = {line.split("|")[1].strip(): line for line in cells[0].splitlines() if line.startswith("| ") and "---" not in line}
    expected = {
        "Mazur": ("A Step by Step Backpropagation Example", "Matt Mazur", "2015"),
        "hmkcode": ("Backpropagation Step by Step", "hmkcode", "2019", "hmkcode.com/ai/backpropagation-step-by-step/"),
        "hmkcode assignment": ("NumPy solution", "2019"),
        "hmkcode lecture": ("Lecture slides", "after hmkcode"),
        "Pahwa": ("Deep Learning Using TensorFlow", "Lesson 6.2", "Dr. Ash Pahwa", "2019", "R code"),
        "Ahmadi": ("CSIS 3290", "Fundamentals of Neural Networks in Machine Learning (2)", "Fatemeh Ahmadi"),
    }
    for short, needles in expected.items():
        assert short in rows, f"no Sources row for {short}"
        for needle in needles:
            assert needle in rows[short], f"the {short} row should say {needle!r}"


def test_start_page_gives_every_lesson_a_time_between_20_and_120_minutes():
    (cell,) = [c.source for c in start_page().cells if c.source.startswith("## How long each lesson takes")]
    times = {int(m[1]): int(m[2]) for m in re.finditer(r"^\| (\d) \|[^|]+\| about (\d+) minutes \|$", cell, re.M)}
    assert sorted(times) == sorted(int(assignment[:2]) for assignment in ASSIGNMENTS)
    assert all(20 <= t <= 120 for t in times.values())
    assert times[6] >= 90 and times[7] >= 90, "lessons 6 and 7 are the long ones"


def test_readme_no_longer_calls_every_lesson_short():
    assert "seven short lessons" not in (ROOT / "README.md").read_text().lower()


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_lesson_ends_with_its_notes_on_the_sources(assignment):
    """Summary, then the notes on the sources, then Check your work and the report."""
    cells = nbformat.read(notebook_path(assignment), as_version=4).cells
    headings = [(k, c.source) for k, c in enumerate(cells) if c.cell_type == "markdown"]
    notes = [k for k, s in headings if s.startswith("## Notes on the sources")]
    check = [k for k, s in headings if "## Check your work" in s]
    summary = [k for k, s in headings if "## Summary" in s]
    assert len(notes) == 1 and len(check) == 1 and len(summary) == 1
    assert summary[0] < notes[0] < check[0] == len(cells) - 2


# ------------------------------------------------------------------ ERRATA.md and README

KINDS = ("wrong number", "wrong formula", "imprecise or overstated", "extraction damage")
WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
         "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20}


def errata_rows():
    rows = [line.split("|")[1:-1] for line in (ROOT / "ERRATA.md").read_text().splitlines() if re.match(r"\| \d+ \|", line)]
    return [[cell.strip() for cell in row] for row in rows]


def test_every_errata_row_has_a_kind_and_a_named_source():
    rows = errata_rows()
    assert [int(r[0]) for r in rows] == list(range(1, len(rows) + 1))
    for row in rows:
        assert row[2] in KINDS, f"#{row[0]}: kind {row[2]!r}"
        assert re.fullmatch(r"(Mazur|Pahwa|Ahmadi|hmkcode[a-z ]*)", row[1]), f"#{row[0]}: source {row[1]!r}"


def test_readme_counts_the_errata_by_kind():
    text = " ".join((ROOT / "README.md").read_text().split())
    m = re.search(r"lists (\w+) places where the sources go wrong or say too much \((\w+) wrong numbers, (\w+) wrong "
                  r"formulas, (\w+) imprecise or overstated statements and (\w+) formulas? garbled by text extraction\)", text)
    assert m, "README's sentence about ERRATA.md"
    total, *per_kind = (WORDS[w] for w in m.groups())
    kinds = [row[2] for row in errata_rows()]
    assert total == len(kinds)
    assert per_kind == [kinds.count(k) for k in KINDS]


def test_errata_8_gives_both_bias_conventions():
    (row,) = [r for r in errata_rows() if r[0] == "8"]
    d = mazur_deltas(MAZUR_PARAMS, MAZUR["i1"], MAZUR["i2"], MAZUR["t1"], MAZUR["t2"])
    own = {"b11": d["delta_h1"], "b12": d["delta_h2"], "b21": d["delta_o1"], "b22": d["delta_o2"]}
    for name, value in own.items():
        m = re.search(rf"∂E/∂{name} = δ\w+ = (−?[\d.]+)", row[4])
        assert m, f"ERRATA #8 should give ∂E/∂{name}"
        assert float(m[1].replace("−", "-")) == pytest.approx(value, abs=5e-8)
    g = mazur_gradients(MAZUR_PARAMS, MAZUR["i1"], MAZUR["i2"], MAZUR["t1"], MAZUR["t2"])
    for name in ("b1", "b2"):
        m = re.search(rf"∂E/∂{name} = δ\w+ \+ δ\w+ = (−?[\d.]+)", row[4])
        assert m and float(m[1]) == pytest.approx(g[name], abs=5e-8), name


def test_errata_16_says_the_source_words_it_as_an_illustration():
    (row,) = [r for r in errata_rows() if r[0] == "16"]
    assert "hypothetical illustration" in row[3]
    n = NEURON
    grad = ref.neuron_gradients(NEURON_PARAMS, n["x1"], n["x2"], n["d"])["w1"]
    change = (ref.neuron_error(dict(NEURON_PARAMS, w1=NEURON_PARAMS["w1"] + 1.0), n["x1"], n["x2"], n["d"])
              - ref.neuron_error(NEURON_PARAMS, n["x1"], n["x2"], n["d"]))
    assert f"∂E/∂W1 = {grad:.6f}" in row[4] and f"raises E by {change:.6f}" in row[4]
