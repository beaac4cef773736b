"""Lesson 7, the capstone: any fully connected network on a batch, backpropagation, gradient checking, training."""
