"""Backprop Lab's shared lesson module: worked-example data, plots and the self-check.

Every lesson imports what it needs from here, so no helper is pasted into a notebook.
Nothing here computes an answer to an exercise: the plots and checks take the
student's own functions as arguments.
"""

__version__ = "0.1.0"
