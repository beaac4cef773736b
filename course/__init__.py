"""The course's content, one package per lesson (course/<lesson>/: reference, cases, mistakes, samples).

Only lesson 8 (autograd) lives here so far; the other lessons move in with the per-lesson layout.
"""
