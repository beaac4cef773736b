"""Lesson 9 · Losses and layers: sigmoid with binary cross-entropy, softmax with cross-entropy on three
classes, an activation per layer (sigmoid, tanh, ReLU) and Xavier/He initialisation, on lesson 7's networks."""
