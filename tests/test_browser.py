"""A real browser: JupyterLab serves the lessons, Chromium runs them, keys and buttons move the explorers.

Needs Debian's Chromium at /usr/bin/chromium (`apt-get install chromium`; .ci/run installs it),
the `playwright` package (requirements.txt) and axe-core from npm in .axe/ (.ci/run:
`npm install --prefix .axe axe-core@4.11.1`). Playwright drives that Chromium; it cannot
download browsers of its own here. Screenshots land in test-artifacts/ (git-ignored).

benchmarks/explorer_latency_browser.py uses the same JupyterLab and notebook to time the explorers.
"""
import json
import os
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import BIN, ROOT, notebook_path
from test_launch import free_port

from backprop_lab.examples import MAZUR, MAZUR_PARAMS
from backprop_lab.explorers import GRAPH_NODES
from backprop_lab.server import CLASS as NODELAY_CLASS
from course.mazur_network import reference as ref

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / ".axe" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "test-artifacts"
LESSON = "06_mazur_network"
EXPLORERS_NOTEBOOK = "explorers.ipynb"
# every explorer on the reference functions (standing in for a correct student), one per cell
EXPLORER_CELLS = [
    "import sys\nsys.path.insert(0, %r)\nimport numpy as np\nfrom course.mazur_network import reference as ref\n"
    "from course.linear_network.reference import linear_error, linear_forward, linear_gradients, linear_update\n"
    "from course.sigmoid_neuron.reference import neuron_error, neuron_forward, neuron_gradients, neuron_update\n"
    "from course.steepest_descent.reference import bowl_error, bowl_gradient, gradient_descent\n"
    "from course.sigmoid.reference import sigmoid, sigmoid_derivative\n"
    "from backprop_lab import explorers, examples\nfrom course.autograd import reference as autograd_ref" % str(ROOT),
    "explorers.mazur_explorer(ref.mazur_forward, ref.mazur_error, ref.mazur_gradients, ref.mazur_update, eta_max=10.0)",
    "explorers.linear_explorer(linear_forward, linear_error, linear_gradients, linear_update,\n"
    "                          weights=examples.LINEAR_WEIGHTS_004, eta=examples.LINEAR_ETA, eta_max=1.0)",
    "explorers.neuron_explorer(neuron_forward, neuron_error, neuron_gradients, neuron_update)",
    "explorers.descent_explorer(lambda w: bowl_error(w, 1.0, 10.0), lambda w: bowl_gradient(w, 1.0, 10.0),\n"
    "                           gradient_descent, start=(-8.0, 2.0), eta=0.19, steps=40, eta_max=0.25)",
    "explorers.sigmoid_explorer(sigmoid, sigmoid_derivative)",
    "explorers.graph_explorer(autograd_ref.mazur_graph)",
]
EXPLORER_TITLES = ["The Mazur 2-2-2 network", "The hmkcode linear 2-2-1 network", "One sigmoid neuron",
                   "Steepest descent", "The sigmoid and its tangent", "The Mazur network's computational graph"]


def write_explorers_notebook(folder):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in EXPLORER_CELLS]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(folder / EXPLORERS_NOTEBOOK))


def explorer(page, title):
    """The explorer whose group is named after title."""
    return page.locator(f'.bpl-explorer[aria-label="{title}: explorer"]')

pytestmark = pytest.mark.slow


def needs_chromium():
    if not CHROMIUM.exists():
        pytest.skip(f"the browser test needs Chromium at {CHROMIUM}: install it with "
                    "`apt-get install chromium` (as .ci/run does) to run it")
    return pytest.importorskip("playwright.sync_api", reason="pip install -r requirements.txt (playwright)")


class Lab:
    """JupyterLab on a free local port, serving one folder, with its own Jupyter config and runtime dirs."""

    def __init__(self, root, home, nodelay=True):
        self.port, self.token, self.root = free_port(), "backprop-lab-browser-test", root
        env = dict(os.environ)
        for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):
            env[var] = str(home / var.lower())
            Path(env[var]).mkdir(parents=True, exist_ok=True)
        labconfig = home / "jupyter_config_dir" / "labconfig"
        labconfig.mkdir(parents=True, exist_ok=True)
        # no "get Jupyter news?" pop-up over the bottom right of the page
        (labconfig / "page_config.json").write_text(json.dumps(
            {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
        args = [str(BIN / "jupyter"), "lab", "--no-browser", f"--port={self.port}", f"--ServerApp.root_dir={root}",
                f"--IdentityProvider.token={self.token}", "--ServerApp.ip=127.0.0.1"]
        if os.geteuid() == 0:
            args.append("--allow-root")
        if nodelay:  # as binder/postBuild configures it: kernel messages reach the browser without Nagle's delay
            (home / "jupyter_config_dir").mkdir(parents=True, exist_ok=True)
            (home / "jupyter_config_dir" / "jupyter_server_config.py").write_text(
                f"c.ServerApp.kernel_websocket_connection_class = {NODELAY_CLASS!r}\n")
        self.log = open(home / "jupyterlab.log", "w")
        self.proc = subprocess.Popen(args, cwd=root, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self.wait_until_up()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}/{path}{'&' if '?' in path else '?'}token={self.token}"

    def api(self, path, method="GET", body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url(f"api/{path}"), data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def wait_until_up(self, seconds=120):
        deadline = time.monotonic() + seconds
        while True:
            try:
                return self.api("status")
            except OSError:
                assert self.proc.poll() is None, Path(self.log.name).read_text()
                assert time.monotonic() < deadline, f"JupyterLab did not answer within {seconds} s"
                time.sleep(0.5)

    def shut_down_kernels(self):
        for kernel in self.api("kernels"):
            self.api(f"kernels/{kernel['id']}", method="DELETE")

    def stop(self):
        try:
            self.shut_down_kernels()
        finally:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.log.close()


def serve(tmp_path, nodelay=True):
    """JupyterLab serving a copy of the Mazur lesson's solution (its autosave never touches solutions/)
    and a notebook of every explorer."""
    folder = tmp_path / "served"
    folder.mkdir()
    shutil.copy(notebook_path(LESSON), folder / notebook_path(LESSON).name)
    write_explorers_notebook(folder)
    return Lab(folder, tmp_path / "jupyter", nodelay)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    needs_chromium()  # skip before starting anything
    server = serve(tmp_path_factory.mktemp("browser"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser(lab):
    sync_api = needs_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def explorers_page(lab, browser):
    """The notebook of every explorer, run in one page (1024 x 700, a laptop screen)."""
    page = browser.new_page(viewport={"width": 1024, "height": 700})
    run_all(page, lab, EXPLORERS_NOTEBOOK)
    wait_for_explorer(page, explorer(page, EXPLORER_TITLES[-1]).locator("input[type=range]").first, needs_chromium())
    yield page
    page.close()


def run_all(page, lab, name):
    """Open the notebook on a kernel started beforehand, wait until it is idle, and run every cell from the Run menu."""
    lab.api("sessions", "POST", {"path": name, "name": name, "type": "notebook", "kernel": {"name": "python3"}})
    page.goto(lab.url(f"lab/tree/{name}"))
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", state="attached", timeout=120_000)
    page.wait_for_timeout(1500)
    select_kernel(page)
    click_run_all(page)


def select_kernel(page):
    """Answer the kernel dialog, should the notebook open before its session."""
    button = page.locator(".jp-Dialog").get_by_role("button", name="Select")
    if button.is_visible():
        button.click()
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", state="attached", timeout=120_000)


def click_run_all(page):
    """Run > Run All Cells."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator("[data-command='runmenu:run-all']").click()


def wait_for_explorer(page, slider, sync_api, attempts=3):
    """Wait for the explorer's slider; if Run All did not take (a menu or pop-up in the way), close it and run again."""
    for attempt in range(attempts):
        try:
            slider.wait_for(timeout=60_000)
            return
        except sync_api.TimeoutError:
            page.screenshot(path=str(ARTIFACTS / f"run_all_attempt_{attempt + 1}.png"))
            select_kernel(page)
            page.keyboard.press("Escape")
            click_run_all(page)
    slider.wait_for(timeout=60_000)


def mazur_reference(steps, eta=0.5):
    data = (MAZUR["i1"], MAZUR["i2"], MAZUR["t1"], MAZUR["t2"])
    return ref.mazur_train(MAZUR_PARAMS, *data, eta=eta, steps=steps)


def test_the_mazur_lesson_keys_buttons_and_training_beyond_the_sliders_range(lab, browser):
    """Run the Mazur lesson; ArrowRight on w5, Reset, Step, then 1000 steps that carry w5 to -3.06, beyond
    its slider's start range: every number the browser shows is the reference's, and stays so."""
    sync_api = needs_chromium()
    data = (MAZUR["i1"], MAZUR["i2"], MAZUR["t1"], MAZUR["t2"])
    start = f"E = {ref.mazur_error(MAZUR_PARAMS, *data):.9f}"
    moved = f"E = {ref.mazur_error({**MAZUR_PARAMS, 'w5': MAZUR_PARAMS['w5'] + 0.01}, *data):.9f}"
    _, errors = mazur_reference(1)
    trained, trained_errors = mazur_reference(1000)
    assert trained["w5"] < -3  # far outside the slider's start range [-2, 2]
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    try:
        run_all(page, lab, notebook_path(LESSON).name)
        box = explorer(page, "The Mazur 2-2-2 network")
        slider = box.get_by_role("slider", name="w5", exact=True)
        wait_for_explorer(page, slider, sync_api)
        error = box.locator(".bpl-error")
        sync_api.expect(error).to_have_text(start, timeout=60_000)
        slider.scroll_into_view_if_needed()
        slider.focus()
        pressed = time.monotonic()
        page.keyboard.press("ArrowRight")
        sync_api.expect(error).to_have_text(moved, timeout=30_000)
        print(f"key press to new error shown in the browser: {(time.monotonic() - pressed) * 1e3:.0f} ms")
        sync_api.expect(box.locator(f"output[for='{slider.get_attribute('id')}']")).to_have_text("0.4100")
        box.get_by_role("button", name="Reset").click()
        sync_api.expect(error).to_have_text(start, timeout=30_000)
        box.get_by_role("button", name="Step", exact=True).click()
        sync_api.expect(error).to_have_text(f"E = {errors[1]:.9f}", timeout=30_000)
        page.wait_for_timeout(1000)  # time for any echo from the sliders to arrive
        sync_api.expect(error).to_have_text(f"E = {errors[1]:.9f}")
        # the case: Reset, N = 1000, one Train press
        box.get_by_role("button", name="Reset").click()
        sync_api.expect(error).to_have_text(start, timeout=30_000)
        steps_box = box.get_by_role("spinbutton", name="N")
        steps_box.fill("1000")
        steps_box.press("Enter")
        box.get_by_role("button", name="Train N steps").click()
        sync_api.expect(error).to_have_text(f"E = {trained_errors[1000]:.9f}", timeout=60_000)
        page.wait_for_timeout(1500)  # any echo of the sliders would arrive now
        sync_api.expect(error).to_have_text(f"E = {trained_errors[1000]:.9f}")
        sync_api.expect(box.get_by_text("steps taken: 1000")).to_be_visible()
        assert trained["w5"] == pytest.approx(-3.0641, abs=5e-5)
        for name, value in trained.items():
            handle = box.get_by_role("slider", name=name, exact=True)
            shown = f"{value:.4f}"
            sync_api.expect(box.locator(f"output[for='{handle.get_attribute('id')}']")).to_have_text(shown)
            assert handle.get_attribute("aria-valuetext") == shown, name
            low, high, position = handle.evaluate("e => [Number(e.min), Number(e.max), Number(e.value)]")
            assert low <= value <= high and abs(position - value) <= 0.01, (name, low, high, position)
            sync_api.expect(box.locator(f'[data-label="{name}"] text').first).to_have_text(f"{name} = {shown}")
        box.screenshot(path=str(ARTIFACTS / "mazur_explorer_trained.png"))
    finally:
        page.close()


def boxes_overlap(a, b):
    return a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and \
        a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


def text_boxes(locator):
    return locator.evaluate_all(
        "els => els.filter(e => e.textContent.trim() && e.getAttribute('visibility') !== 'hidden')"
        ".map(e => { const r = e.getBoundingClientRect();"
        " return {text: e.textContent, x: r.x, y: r.y, width: r.width, height: r.height}; })")


@pytest.mark.parametrize("width,height", [(1024, 700), (1440, 900)])
def test_sliders_and_picture_are_in_view_together_on_a_laptop_screen(explorers_page, width, height):
    page = explorers_page
    page.set_viewport_size({"width": width, "height": height})
    page.wait_for_timeout(500)
    for title in EXPLORER_TITLES:
        box = explorer(page, title)
        box.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(200)
        sliders = box.locator("input[type=range]")
        first, last = sliders.first.bounding_box(), sliders.last.bounding_box()
        picture = box.locator(".bpl-picture svg").first.bounding_box()
        panel = box.locator(".bpl-panel").bounding_box()
        name = title.split(":")[0].replace(" ", "_")
        page.screenshot(path=str(ARTIFACTS / f"layout_{width}_{name}.png"))
        assert not boxes_overlap(picture, panel), f"{title}: the picture overlaps the sliders"
        assert 0 <= first["y"] and last["y"] + last["height"] <= height, f"{title}: sliders out of view {first} {last}"
        assert picture["y"] >= 0 and picture["y"] + picture["height"] <= height, f"{title}: picture out of view {picture}"
        assert picture["width"] >= 380, f"{title}: the picture is squeezed to {picture['width']:.0f} px"
    # the N box holds its largest value; the empty curve's labels and dot do not collide
    mazur = explorer(page, "The Mazur 2-2-2 network")
    steps_box = mazur.get_by_role("spinbutton", name="N")
    text_width, room = steps_box.evaluate(
        "e => { const c = document.createElement('canvas').getContext('2d'); const s = getComputedStyle(e);"
        " c.font = s.font; return [c.measureText(String(e.max)).width,"
        " e.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight)]; }")
    assert text_width + 16 <= room, f"the N box shows {room:.0f} px, its largest value needs {text_width:.0f} + 16"
    curve = mazur.locator(".bpl-side svg")
    labels = text_boxes(curve.locator("text"))
    dot = curve.locator("circle").bounding_box()
    assert len({label["text"] for label in labels}) == len(labels), labels
    for label in labels:
        assert not boxes_overlap(label, dot), f"the curve's dot sits on {label['text']!r}"
    for title in EXPLORER_TITLES[3:] + EXPLORER_TITLES[:1]:
        labels = text_boxes(explorer(page, title).locator(".bpl-picture svg text" if title != EXPLORER_TITLES[0]
                                                          else ".bpl-side svg text"))
        for k, a in enumerate(labels):
            for b in labels[k + 1:]:
                assert not boxes_overlap(a, b), f"{title}: labels {a['text']!r} and {b['text']!r} overlap"


def test_no_serious_accessibility_violations_and_the_numbers_as_text(explorers_page):
    """axe-core (npm) inside every explorer: no serious or critical violation; sliders named, values rounded,
    the network's numbers in a table."""
    if not AXE.exists():
        message = f"axe-core is not installed at {AXE}: `npm install --prefix .axe axe-core@4.11.1` (.ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    page = explorers_page
    page.add_script_tag(path=str(AXE))
    for title in EXPLORER_TITLES:
        box = explorer(page, title)
        result = box.evaluate("e => axe.run(e, {resultTypes: ['violations']})")
        serious = [(v["id"], v["impact"], len(v["nodes"])) for v in result["violations"]
                   if v["impact"] in ("serious", "critical")]
        assert serious == [], f"{title}: {serious}"
        for slider in box.get_by_role("slider").all():
            assert slider.get_attribute("aria-valuetext") and len(slider.get_attribute("aria-valuetext")) <= 8
    mazur = explorer(page, "The Mazur 2-2-2 network")
    names = [s.evaluate("e => e.labels[0].textContent") for s in mazur.get_by_role("slider").all()]
    assert names == list(MAZUR_PARAMS) + ["η"]
    mazur.locator("details summary").click()  # the table opens
    rows = mazur.locator("table").first.locator("tbody tr").all_inner_texts()
    data = (MAZUR["i1"], MAZUR["i2"], MAZUR["t1"], MAZUR["t2"])
    grads = ref.mazur_gradients(MAZUR_PARAMS, *data)
    assert [row.split()[0] for row in rows] == list(MAZUR_PARAMS)
    for row, (name, value) in zip(rows, MAZUR_PARAMS.items()):
        assert row.split()[1:] == [f"{value:.9f}", f"{grads[name]:.9f}"], row
    forward = ref.mazur_forward(MAZUR_PARAMS, *data[:2])
    neurons = mazur.locator("table").nth(1).locator("tbody tr").all_inner_texts()
    assert f"out_o1 = {forward['out_o1']:.9f}" in " ".join(neurons)


def test_the_graph_explorer_shows_the_numbers_of_the_engine_after_a_key_and_a_step(explorers_page):
    """Lesson 8's explorer: ArrowRight on w5, then Step: the error and every box's data and grad are the
    reference's (lesson 6's gradients and the Values' data), in the picture and in the table."""
    sync_api = needs_chromium()
    from course.autograd import reference as autograd_ref

    page = explorers_page
    box = explorer(page, "The Mazur network's computational graph")
    data = (MAZUR["i1"], MAZUR["i2"], MAZUR["t1"], MAZUR["t2"])
    error = box.locator(".bpl-error")
    box.get_by_role("button", name="Reset").click()
    sync_api.expect(error).to_have_text(f"E = {ref.mazur_error(MAZUR_PARAMS, *data):.9f}", timeout=30_000)
    slider = box.get_by_role("slider", name="w5", exact=True)
    slider.scroll_into_view_if_needed()
    slider.focus()
    page.keyboard.press("ArrowRight")
    moved = {**MAZUR_PARAMS, "w5": MAZUR_PARAMS["w5"] + 0.01}
    sync_api.expect(error).to_have_text(f"E = {ref.mazur_error(moved, *data):.9f}", timeout=30_000)
    box.get_by_role("button", name="Step", exact=True).click()
    grads = ref.mazur_gradients(moved, *data)
    stepped = {k: v - 0.5 * grads[k] if k.startswith("w") else v for k, v in moved.items()}
    sync_api.expect(error).to_have_text(f"E = {ref.mazur_error(stepped, *data):.9f}", timeout=30_000)
    sync_api.expect(box.get_by_text("steps taken: 1;")).to_be_visible()
    graph = autograd_ref.mazur_graph(stepped, *data)
    graph["E"].backward()
    for node in GRAPH_NODES:
        texts = box.locator(f'[data-node="{node.name}"] text').all_text_contents()
        assert texts == [node.name, f"data {graph[node.name].data:.5f}", f"grad {graph[node.name].grad:+.5f}"], texts
    box.locator("details summary").click()
    rows = box.locator("tbody tr").all_inner_texts()
    assert [row.split() for row in rows] == [[n.name, f"{graph[n.name].data:.9f}", f"{graph[n.name].grad:.9f}"]
                                             for n in GRAPH_NODES]
    box.screenshot(path=str(ARTIFACTS / "graph_explorer_stepped.png"))
