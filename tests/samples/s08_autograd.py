"""Lesson 8's sample submissions live with the lesson, in course/autograd/samples.py (the per-lesson layout)."""
from course.autograd.samples import WRONG  # noqa: F401

ASSIGNMENT = "08_autograd"
