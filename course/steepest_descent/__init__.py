"""Lesson 3: steepest descent, on Pahwa's slides: the steepest move, the error bowl, the learning rate."""
