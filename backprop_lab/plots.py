"""Plots shared by the lessons. Each takes the functions to draw as arguments."""
import matplotlib.pyplot as plt
import numpy as np


def plot_function_and_derivative(f, df, x_min=-6.0, x_max=6.0, labels=("f(x)", "f'(x)"), ax=None):
    """Draw f and its derivative df on one axis, as Pahwa draws σ and σ'."""
    x = np.linspace(x_min, x_max, 241)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5))
    ax.plot(x, [f(v) for v in x], color="tab:blue", linewidth=2, label=labels[0])
    ax.plot(x, [df(v) for v in x], color="tab:red", linewidth=2, linestyle="--", label=labels[1])
    ax.axhline(0, color="0.8", linewidth=0.8)
    ax.axvline(0, color="0.8", linewidth=0.8)
    ax.set_xlabel("x")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left")
    return ax


def plot_training_curve(errors, ax=None, title="Error during training", logy=True):
    """The error after each gradient step: errors[0] is before the first step."""
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(np.arange(len(errors)), errors, color="tab:purple")
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel("updates")
    ax.set_ylabel("E")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    return ax


def plot_descent_paths(error, paths, labels=None, ax=None, lim=((-10.0, 10.0), (-4.0, 4.0)), levels=12, minimum=None):
    """Contours of error(w) over a 2-D box and gradient-descent paths drawn on top of them.

    error takes an array w = (w1, w2); each path is an array of shape (steps + 1, 2).
    Paths that leave the box are clipped by the axes, so a diverging run shows as
    a zigzag that runs off the picture. A star marks the minimum, if given.
    """
    (x0, x1), (y0, y1) = lim
    W1, W2 = np.meshgrid(np.linspace(x0, x1, 161), np.linspace(y0, y1, 121))
    Z = np.array([[error(np.array([a, b])) for a, b in zip(row1, row2)] for row1, row2 in zip(W1, W2)])
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5))
    ax.contour(W1, W2, Z, levels=np.geomspace(max(Z.min(), 1e-3), Z.max(), levels), colors="0.75", linewidths=0.8)
    labels = labels or [None] * len(paths)
    for path, label in zip(paths, labels):
        path = np.asarray(path, dtype=float)
        ax.plot(path[:, 0], path[:, 1], marker="o", markersize=3, linewidth=1.2, label=label)
        ax.plot(path[0, 0], path[0, 1], marker="s", color="black", markersize=5)
    if minimum is not None:
        ax.plot(*minimum, marker="*", color="black", markersize=10)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    if any(labels):
        ax.legend(loc="upper right", fontsize=8)
    return ax


def plot_decision_boundary(predict, X, labels, ax=None, padding=0.5, resolution=150, title=None):
    """Shade predict(points) over a grid around the 2-D points X, draw its 0.5 contour and the points.

    predict takes an array of shape (m, 2) and returns m numbers in [0, 1] (any shape with m
    entries); labels holds the class (0 or 1) of each row of X.
    """
    X = np.asarray(X, dtype=float)
    labels = np.asarray(labels).ravel()
    (x0, y0), (x1, y1) = X.min(axis=0) - padding, X.max(axis=0) + padding
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    Z = np.asarray(predict(np.c_[gx.ravel(), gy.ravel()]), dtype=float).reshape(gx.shape)
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 4.5))
    shade = ax.contourf(gx, gy, Z, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.6)
    ax.contour(gx, gy, Z, levels=[0.5], colors="black", linewidths=1.5)
    for value, color, marker in ((0, "tab:blue", "o"), (1, "tab:red", "s")):
        mask = labels == value
        ax.scatter(X[mask, 0], X[mask, 1], c=color, marker=marker, edgecolors="black", s=25, label=f"class {value}")
    ax.figure.colorbar(shade, ax=ax, label="network output")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.legend(loc="upper right", fontsize=8)
    if title:
        ax.set_title(title)
    return ax
