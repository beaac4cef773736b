"""Lesson 8 · Autograd from scratch: a Value that records its parents and local derivatives, and a
backward() that visits the graph in reverse topological order, accumulating gradients; the Mazur network
and random networks rebuilt from Values and checked against the capstone's matrix backward."""
