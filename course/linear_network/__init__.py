"""Lesson 5: hmkcode's linear 2-2-1 network: forward, error, gradients, one update, the matrix form."""
