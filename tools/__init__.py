"""Maintainers' tools that are neither graded nor given to students (see tools/student_edition.py)."""
