"""Lesson 4: one sigmoid neuron, on Ahmadi's lesson: forward, error, gradients, the two update rules."""
