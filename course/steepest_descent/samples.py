"""Sample submissions of lesson 3 (steepest descent): wrong students and the test cells each one loses.

The format is in course/__init__.py; every cell not in "zero" gets its full points (autograder/submissions.py).
"""

WRONG = {
    "hard_coded_drive": {
        # the slide's $4, $3 and 5 miles typed in: every visible assert passes (they use the
        # slide's drive), the hidden tests (other pay, other distances) fail it
        "code": {
            "revenue_slope": (
                "def revenue_slope(x, pay_east, pay_north, max_miles):\n"
                '    """The slide\'s numbers, not the arguments."""\n'
                "    return 4 - 3 * x / np.sqrt(25 - x**2)\n"
            ),
        },
        "zero": ["test_revenue_slope"],
    },
    "not_normalised": {
        # distance times the gradient: the right direction, the wrong length
        "code": {
            "steepest_move": (
                "def steepest_move(gradient, distance):\n"
                '    """Forgets to scale the gradient to length 1."""\n'
                "    return distance * np.asarray(gradient, dtype=float)\n"
            ),
        },
        "zero": ["test_steepest_move"],
    },
    "steps_uphill": {
        # w + eta * grad climbs the error; gradient_descent, which calls it, climbs too
        "code": {
            "descent_step": (
                "def descent_step(w, grad, eta):\n"
                '    """Adds the gradient."""\n'
                "    return np.asarray(w, dtype=float) + eta * np.asarray(grad, dtype=float)\n"
            ),
        },
        "zero": ["test_descent_step", "test_gradient_descent"],
    },
    "path_without_start": {
        # returns the points after each step but not w0: shape (steps, n)
        "code": {
            "gradient_descent": (
                "def gradient_descent(gradient, w0, eta, steps):\n"
                '    """Leaves out the start."""\n'
                "    w, path = np.asarray(w0, dtype=float), []\n"
                "    for _ in range(steps):\n"
                "        w = descent_step(w, gradient(w), eta)\n"
                "        path.append(w)\n"
                "    return np.array(path)\n"
            ),
        },
        "zero": ["test_gradient_descent"],
    },
    "gradient_at_start_only": {
        # computes the gradient once, at w0, as if the surface were a plane like the drive's revenue
        "code": {
            "gradient_descent": (
                "def gradient_descent(gradient, w0, eta, steps):\n"
                '    """Never recomputes the gradient."""\n'
                "    w = np.asarray(w0, dtype=float)\n"
                "    g = gradient(w)\n"
                "    path = [w]\n"
                "    for _ in range(steps):\n"
                "        w = descent_step(w, g, eta)\n"
                "        path.append(w)\n"
                "    return np.array(path)\n"
            ),
        },
        "zero": ["test_gradient_descent"],
    },
}
