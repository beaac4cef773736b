"""Sample submissions of lesson 1 (the sigmoid): wrong students and the test cells each one loses.

The format is in course/__init__.py; every cell not in "zero" gets its full points (autograder/submissions.py).
"""

WRONG = {
    "wrong_derivative": {
        "code": {
            "sigmoid_derivative": (
                "def sigmoid_derivative(x):\n"
                "    s = sigmoid(x)\n"
                "    return s * (1 + s)\n"
            ),
        },
        "zero": ["test_sigmoid_derivative"],
    },
    "derivative_on_the_output": {
        # the classic slip of Pahwa's R code: x * (1 - x) applied to the net input
        "code": {"sigmoid_derivative": "def sigmoid_derivative(x):\n    return x * (1 - x)\n"},
        "zero": ["test_sigmoid_derivative"],
    },
    "hard_coded": {
        # passes every visible assert by looking the worked example up; the hidden tests fail it
        "code": {
            "sigmoid": (
                "import numpy as np\n"
                "KNOWN = {0: 0.5, 1.94: 0.874352143, 0.3775: 0.593269992}\n"
                "def sigmoid(x):\n"
                "    if np.ndim(x) == 0:\n"
                "        return KNOWN.get(float(x), 0.5)\n"
                "    return 1 / (1 + np.exp(-np.asarray(x)))\n"
            ),
        },
        "zero": ["test_sigmoid", "test_sigmoid_derivative"],
    },
}
