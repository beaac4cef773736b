"""A real browser: JupyterLab serves the Mazur lesson, Chromium runs it, a key press moves a slider.

Needs Debian's Chromium at /usr/bin/chromium (`apt-get install chromium`; .ci/run installs it)
and the `playwright` package (requirements.txt). Playwright drives that Chromium; it cannot
download browsers of its own here. The screenshot lands in test-artifacts/ (git-ignored).
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

from autograder import reference as ref
from backprop_lab.examples import MAZUR, MAZUR_PARAMS
from conftest import BIN, ROOT, notebook_path
from test_launch import free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "test-artifacts"
LESSON = "06_mazur_network"

pytestmark = pytest.mark.slow


def needs_chromium():
    if not CHROMIUM.exists():
        pytest.skip(f"the browser test needs Chromium at {CHROMIUM}: install it with "
                    "`apt-get install chromium` (as .ci/run does) to run it")
    return pytest.importorskip("playwright.sync_api", reason="pip install -r requirements.txt (playwright)")


class Lab:
    """JupyterLab on a free local port, serving one folder, with its own Jupyter config and runtime dirs."""

    def __init__(self, root, home):
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


@pytest.fixture
def lab(tmp_path):
    """JupyterLab serving a copy of the Mazur lesson's solution (its autosave never touches solutions/)."""
    needs_chromium()  # skip before starting anything
    folder = tmp_path / "served"
    folder.mkdir()
    shutil.copy(notebook_path(LESSON), folder / notebook_path(LESSON).name)
    server = Lab(folder, tmp_path / "jupyter")
    yield server
    server.stop()


def run_all(page, lab, name):
    """Open the notebook on a kernel started beforehand, wait until it is idle, and run every cell from the Run menu."""
    lab.api("sessions", "POST", {"path": name, "name": name, "type": "notebook", "kernel": {"name": "python3"}})
    page.goto(lab.url(f"lab/tree/{name}"))
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
    select_kernel = page.locator(".jp-Dialog").get_by_role("button", name="Select")
    if select_kernel.is_visible():  # the kernel dialog, should the notebook open before its session
        select_kernel.click()
    click_run_all(page)


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
            page.keyboard.press("Escape")
            click_run_all(page)
    slider.wait_for(timeout=60_000)


def test_a_key_press_on_a_slider_changes_the_error_to_the_right_value(lab):
    """Run the Mazur lesson in Chromium; ArrowRight on w5, then Reset, Step and Train, each checked against the reference."""
    sync_api = needs_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    data = (MAZUR["i1"], MAZUR["i2"], MAZUR["t1"], MAZUR["t2"])
    start = f"E = {ref.mazur_error(MAZUR_PARAMS, *data):.9f}"
    moved = f"E = {ref.mazur_error({**MAZUR_PARAMS, 'w5': MAZUR_PARAMS['w5'] + 0.01}, *data):.9f}"
    _, errors = ref.mazur_train(MAZUR_PARAMS, *data, eta=0.5, steps=101)
    one_step = errors[1]  # 0.291027774; Mazur prints 0.291027924 (tests/test_reference.py)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            run_all(page, lab, notebook_path(LESSON).name)
            slider = page.locator(".widget-slider").filter(has=page.get_by_text("w5", exact=True)).first
            wait_for_explorer(page, slider, sync_api)
            error = page.locator(".bpl-error").first
            sync_api.expect(error).to_have_text(start, timeout=60_000)
            slider.scroll_into_view_if_needed()
            slider.locator(".noUi-handle").focus()
            pressed = time.monotonic()
            page.keyboard.press("ArrowRight")
            sync_api.expect(error).to_have_text(moved, timeout=30_000)
            print(f"key press to new error shown in the browser: {(time.monotonic() - pressed) * 1e3:.0f} ms")
            sync_api.expect(slider.locator(".widget-readout")).to_have_text("0.410")
            # Step from the worked example: the browser's slider must not snap the new weights
            # to its grid (0.35891648 -> 0.36) and send them back as a move
            page.get_by_role("button", name="Reset").click()
            sync_api.expect(error).to_have_text(start, timeout=30_000)
            page.get_by_role("button", name="Step", exact=True).click()
            sync_api.expect(error).to_have_text(f"E = {one_step:.9f}", timeout=30_000)
            page.wait_for_timeout(1000)  # time for any echo from the sliders to arrive
            sync_api.expect(error).to_have_text(f"E = {one_step:.9f}")
            page.get_by_role("button", name="Train N steps").click()  # N = 100 more
            sync_api.expect(error).to_have_text(f"E = {errors[101]:.9f}", timeout=60_000)
            sync_api.expect(page.get_by_text("steps taken: 101")).to_be_visible()
            explorer = page.locator(".jp-Cell").filter(has=slider).first
            explorer.screenshot(path=str(ARTIFACTS / "mazur_explorer.png"))
            page.screenshot(path=str(ARTIFACTS / "mazur_lesson_page.png"))
        finally:
            browser.close()
