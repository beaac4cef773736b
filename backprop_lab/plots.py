"""Plots shared by the lessons. Each takes the functions to draw as arguments."""
import matplotlib.pyplot as plt
import numpy as np


def plot_function_and_derivative(f, df, x_min=-6.0, x_max=6.0, labels=("f(x)", "f'(x)"), ax=None):
    """Draw f and its derivative df on one axis, as seed 001 draws σ and σ'."""
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
