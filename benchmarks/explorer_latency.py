"""How fast the Mazur explorer answers a slider move inside Python, measured headless (the second figure).

The figure that counts is the browser's: benchmarks/explorer_latency_browser.py times a slider
move to the finished redraw in Chromium for every explorer. This one times the kernel's part only.

    .venv/bin/python benchmarks/explorer_latency.py                 # both modes below
    .venv/bin/python benchmarks/explorer_latency.py --mode kernel   # only inside a real kernel

Every slider of the Mazur explorer (w1..w8, b1, b2, η) moves through 100 values across its
range. Each sample is the time from the browser's message (a slider moved) to the explorer having
sent what changed: the numbers (error and one-step preview), the network diagram and the error curve.
After each move the script checks that the shown error equals the reference module's (outside
the timed part). It reports the median and 95th percentile per slider and overall; the target
is a median below 30 ms and a 95th percentile below 60 ms.

Modes: `process` builds the explorer in this Python process (widgets talk to no frontend);
`kernel` starts an ipykernel and runs the same loop inside it, so every change is also
serialised and published as a widget message, as it is when a student drags a slider.
The explorer runs on the reference functions (course/<lesson>/reference.py), standing in for a correct student.
It is not part of `make test`'s pass/fail; it exits 1 if a target is missed.
"""
import argparse
import json
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MEDIAN_MS, TARGET_P95_MS, VALUES = 30.0, 60.0, 100

MEASURE = textwrap.dedent(f"""
    import json, sys, time
    import numpy as np
    sys.path.insert(0, {str(ROOT)!r})
    from course.mazur_network import reference as ref
    from backprop_lab.examples import MAZUR
    from backprop_lab.explorers import mazur_explorer

    def values(explorer, name, count):
        low, high = (0.0, explorer.eta_max) if name == "eta" else explorer.ranges[name]
        return [float(v) for v in np.linspace(low, high, count)]

    def shown_error_is_right(explorer):
        data = (MAZUR["i1"], MAZUR["i2"], MAZUR["t1"], MAZUR["t2"])
        expected = ref.mazur_error(explorer.params, *data)
        return f"E = {{expected:.9f}}" in explorer.html()

    explorer = mazur_explorer(ref.mazur_forward, ref.mazur_error, ref.mazur_gradients, ref.mazur_update)
    samples, wrong, seq = {{}}, 0, 0
    for name in list(explorer.params) + ["eta"]:
        samples[name] = []
        for value in values(explorer, name, {VALUES}):
            seq += 1
            start = time.perf_counter()
            explorer.handle({{"event": "set", "name": name, "value": value, "seq": seq}})
            samples[name].append((time.perf_counter() - start) * 1e3)
            wrong += not shown_error_is_right(explorer)
        explorer.reset()
    print("__SAMPLES__" + json.dumps({{"samples": samples, "wrong": wrong}}))
""")


def in_process():
    """Run the measurement in this interpreter."""
    from contextlib import redirect_stdout
    from io import StringIO

    namespace, out = {}, StringIO()
    with redirect_stdout(out):
        exec(compile(MEASURE, "explorer_latency", "exec"), namespace)
    return json.loads(out.getvalue().split("__SAMPLES__", 1)[1])


def in_kernel():
    """Run the measurement inside a fresh ipykernel; widget messages really go out on iopub."""
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3")
    try:
        chunks = []
        reply = client.execute_interactive(
            MEASURE, timeout=600,
            output_hook=lambda msg: chunks.append(msg["content"].get("text", "")) if msg["msg_type"] == "stream" else None)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"the measurement failed in the kernel: {reply['content']}")
        return json.loads("".join(chunks).split("__SAMPLES__", 1)[1])
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def summary(times):
    import numpy as np

    return float(np.median(times)), float(np.percentile(times, 95))


def report(mode, result):
    """Print a table; return True when the overall figures meet the targets and every error shown was right."""
    print(f"\n{mode}: {VALUES} values per slider; milliseconds from a slider's message to the changes sent")
    print(f"{'slider':<8}{'median':>9}{'p95':>9}{'max':>9}")
    everything = []
    for name, times in result["samples"].items():
        everything += times
        median, p95 = summary(times)
        print(f"{name:<8}{median:>9.2f}{p95:>9.2f}{max(times):>9.2f}")
    median, p95 = summary(everything)
    print(f"{'overall':<8}{median:>9.2f}{p95:>9.2f}{max(everything):>9.2f}   "
          f"(target: median < {TARGET_MEDIAN_MS:g}, p95 < {TARGET_P95_MS:g})")
    if result["wrong"]:
        print(f"{result['wrong']} moves showed an error different from the reference module's")
    return median < TARGET_MEDIAN_MS and p95 < TARGET_P95_MS and not result["wrong"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", choices=("process", "kernel", "both"), default="both")
    mode = parser.parse_args().mode
    ok = True
    if mode in ("process", "both"):
        ok &= report("in this process", in_process())
    if mode in ("kernel", "both"):
        ok &= report("inside an ipykernel", in_kernel())
    print("\nall targets met" if ok else "\nTARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
