"""Lesson 2: the chain rule, on Pahwa's slides: central differences, one neuron, a hidden neuron feeding two outputs."""
