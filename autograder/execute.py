"""nbgrader's Execute step, with every kernel in the sandbox and a cap on what a kernel may send back.

`configure` (autograder/judge.py) puts `SandboxedExecute` where nbgrader's `Execute` was, so
`make grade`, plain `nbgrader autograde` and the formgrader's Autograde button all run student
code the same way: in a kernel started by autograder/sandbox.py, always the course's Python kernel
(the notebook's metadata cannot choose another), with at most GradingSettings.outputs_mb of
outputs kept per notebook (a flood of output cannot fill the grader's memory or the gradebook).
"""
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jupyter_client.manager import AsyncKernelManager, KernelManager
from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Bool

from autograder import sandbox
from autograder.settings import GradingSettings

DROPPED = "[output dropped: this notebook's outputs exceed the grading limit]\n"

if TYPE_CHECKING:  # for the type checker, the mixin's self is a kernel manager (it is, in SandboxKernelManager)
    _KernelManager = AsyncKernelManager
else:
    _KernelManager = object


class SandboxKernelMixin(_KernelManager):
    """What makes a jupyter_client kernel manager start every kernel in the sandbox (autograder/sandbox.py),
    over ipc sockets in a folder of its own, and remove that folder (and what is left of the kernel) after.
    With GradingSettings.kernel_factory, the kernel is forked by this process's kernel factory."""

    sandbox_dir: Path | None = None
    _via: Path | None = None
    # process id -> (Popen of the factory's launcher, its folder): one per grading worker
    _factories: dict[int, tuple[subprocess.Popen[bytes], Path]] = {}

    def _factory(self) -> Path:
        """This process's kernel factory, started on first use (and again if a deadline killed it)."""
        import time

        running = self._factories.get(os.getpid())
        if running and running[0].poll() is None and (running[1] / "spool" / "factory.sock").exists():
            return running[1]
        folder = sandbox.new_kernel_dir()
        settings = GradingSettings(config=self.config).launcher_json()
        process = subprocess.Popen([*sandbox.launcher_command(), "--factory", str(folder), "--settings", settings],
                                   start_new_session=True, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while not (folder / "spool" / "factory.sock").exists():
            if process.poll() is not None or time.monotonic() > deadline:
                log = (folder / "kernel.log").read_text() if (folder / "kernel.log").exists() else ""
                process.kill()
                raise RuntimeError(f"the grading kernel factory did not start: {log[-2000:]}")
            time.sleep(0.02)
        self._factories[os.getpid()] = (process, folder)
        return folder

    async def _async_pre_start_kernel(self, **kw):
        settings = GradingSettings(config=self.config)
        if settings.kernel_factory:
            self._via = self._factory()
            self.sandbox_dir = Path(tempfile.mkdtemp(prefix="kernel-", dir=self._via / "spool"))
            (self.sandbox_dir / "ipc").mkdir(mode=0o700)
        else:
            self._via = None
            self.sandbox_dir = sandbox.new_kernel_dir()
        self.transport = "ipc"
        self.ip = str(self.sandbox_dir / "ipc" / "kernel")
        kw.pop("env", None)  # the launcher builds the kernel's environment itself
        return await super()._async_pre_start_kernel(**kw)

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        """The launcher's command line for this kernel: its folder, its factory (if any), the limits, then ipykernel."""
        settings = GradingSettings(config=self.config).launcher_json()
        via = ["--via", str(self._via)] if self._via else []
        return [*sandbox.launcher_command(), "--dir", str(self.sandbox_dir), *via, "--settings", settings, "--",
                sys.executable, "-m", "ipykernel_launcher", "-f", self.connection_file, *(extra_arguments or [])]

    async def _async_cleanup_resources(self, restart=False):
        await super()._async_cleanup_resources(restart=restart)
        if self.sandbox_dir is not None:
            if self._via:
                shutil.rmtree(self.sandbox_dir, ignore_errors=True)  # the factory killed the kernel with its proxy
            else:
                sandbox.remove_kernel_dir(self.sandbox_dir)
            self.sandbox_dir = None


class SandboxKernelManager(SandboxKernelMixin, AsyncKernelManager):
    """The kernel manager of grading (nbclient's, through autograder/execute.py)."""


class SandboxedExecute(Execute):
    """Execute in the grading sandbox (see the module docstring)."""

    unsafe_no_sandbox = Bool(False, help="Run student code in the ordinary python3 kernel, with the grader's "
                                         "rights: `make grade --unsafe-no-sandbox` (and the speed benchmark, for its baseline).").tag(config=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not self.unsafe_no_sandbox:
            self.kernel_manager_class = SandboxKernelManager
        settings = GradingSettings(config=self.config)
        self.kernel_name = "python3"  # never the kernel a notebook's metadata names
        self.timeout = settings.cell_timeout
        self._output_budget = settings.outputs_mb * 1024 * 1024
        self._left = self._output_budget

    def preprocess(self, nb: NotebookNode, resources: Any = None,
                   km: KernelManager | None = None) -> tuple[NotebookNode, dict[str, Any]]:
        """Refuse without the sandbox (unless unsafe_no_sandbox), then execute nb with a fresh output budget."""
        if not self.unsafe_no_sandbox:
            sandbox.require()
        self._left = self._output_budget
        return super().preprocess(nb, resources, km=km)

    def output(self, outs: list[NotebookNode], msg: dict[str, Any], display_id: str | None,
               cell_index: int) -> NotebookNode | None:
        """nbclient's handling of one output message, until the notebook's outputs exceed outputs_mb."""
        size = len(repr(msg.get("content", "")))
        self._left -= size
        if self._left < 0:
            if not outs or outs[-1].get("text") != DROPPED:
                outs.append(new_output("stream", name="stdout", text=DROPPED))
            return None
        return super().output(outs, msg, display_id, cell_index)
