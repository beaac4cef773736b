"""nbgrader configuration for Backprop Lab: run nbgrader from the repository root, no flags needed.

    nbgrader generate_assignment 01_sigmoid --force   # solutions/01_sigmoid -> lessons/01_sigmoid
    nbgrader autograde 01_sigmoid                     # grades submitted/<student>/01_sigmoid
"""
import os

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

here = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = "backprop-lab"
c.CourseDirectory.root = here
c.CourseDirectory.source_directory = "solutions"   # nbgrader source notebooks, with solutions
c.CourseDirectory.release_directory = "lessons"    # what students get
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(here, "gradebook.db")

# release/collect need an exchange folder; nbgrader's default (/srv/nbgrader/exchange) does not exist.
c.Exchange.root = os.path.join(here, ".exchange")

# A cell that runs longer than this is interrupted; the following cells still run.
c.GradingSettings.cell_timeout = 60  # every limit of grading: autograder/settings.py

# Hidden tests are judged in this process, not in the student's kernel; the grading kernel runs a
# guard; feedback never shows the hidden tests (autograder/judge.py says how).
import sys  # noqa: E402

if here not in sys.path:
    sys.path.insert(0, here)
from autograder.judge import configure  # noqa: E402

configure(c)
