"""Course content by lesson: course/<lesson>/ holds one lesson's reference, hidden cases, classic mistakes
and sample submissions (<lesson> is the notebook's name, solutions/NN_<lesson>/<lesson>.ipynb)."""
from pathlib import Path

HERE = Path(__file__).resolve().parent


def lessons():
    """The lessons in the per-lesson layout: every folder of course/ with an __init__.py, by name."""
    return sorted(p.name for p in HERE.iterdir() if (p / "__init__.py").is_file())
