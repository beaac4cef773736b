"""Lesson 6: Mazur's 2-2-2 sigmoid network: forward, deltas, gradients, update, training."""
