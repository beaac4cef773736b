"""The worked examples of the source material: inputs, targets and starting weights only.

The numbers each source prints for these examples are never stored here: the lessons
compute them, and tests/ compares the results with the sources.
"""

# Ahmadi: one sigmoid neuron, no hidden layer.
NEURON = {"x1": 0.1, "x2": 0.3, "d": 0.03}
NEURON_PARAMS = {"w1": 0.5, "w2": 0.2, "b": 1.83}
NEURON_ETA = 0.01

# hmkcode's lecture and assignment: the hmkcode linear 2-2-1 network (h1 = i1*w1 + i2*w2, ...).
LINEAR = {"i1": 2.0, "i2": 3.0, "target": 1.0}
LINEAR_WEIGHTS_000 = {"w1": 0.11, "w2": 0.21, "w3": 0.12, "w4": 0.08, "w5": 0.14, "w6": 0.15}
LINEAR_WEIGHTS_004 = {"w1": 0.19, "w2": 0.41, "w3": 0.23, "w4": 0.14, "w5": 0.32, "w6": 0.78}
LINEAR_ETA = 0.05

# Pahwa and Mazur: the Mazur 2-2-2 sigmoid network with biases b1 (hidden) and b2 (output).
MAZUR = {"i1": 0.05, "i2": 0.10, "t1": 0.01, "t2": 0.99}
MAZUR_PARAMS = {
    "w1": 0.15, "w2": 0.20, "w3": 0.25, "w4": 0.30,
    "w5": 0.40, "w6": 0.45, "w7": 0.50, "w8": 0.55,
    "b1": 0.35, "b2": 0.60,
}
MAZUR_ETA = 0.5

# Pahwa: the steepest-descent drive (dollars per mile east and north, miles at most).
DRIVE = {"pay_east": 4.0, "pay_north": 3.0, "max_miles": 5.0}
