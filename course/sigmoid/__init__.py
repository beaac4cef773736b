"""Lesson 1: the sigmoid and its derivative."""
