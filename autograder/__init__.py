"""Backprop Lab's grading side: the reference module and the hidden tests.

Not installed for students and never released to them: tests and nbgrader find it
because the repository root is on PYTHONPATH (see the Makefile).
"""
