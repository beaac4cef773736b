"""nbgrader's Execute step, with every kernel in the sandbox and a cap on what a kernel may send back.

`configure` (autograder/judge.py) puts `SandboxedExecute` where nbgrader's `Execute` was, so
`make grade`, plain `nbgrader autograde` and the formgrader's Autograde button all run student
code the same way: in a kernel started by autograder/sandbox.py, always the course's Python kernel
(the notebook's metadata cannot choose another), with at most GradingSettings.outputs_mb of
outputs kept per notebook (a flood of output cannot fill the grader's memory or the gradebook).
"""
import sys

from jupyter_client.manager import AsyncKernelManager
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Bool

from autograder import sandbox
from autograder.settings import GradingSettings

DROPPED = "[output dropped: this notebook's outputs exceed the grading limit]\n"


class SandboxKernelMixin:
    """What makes a jupyter_client kernel manager start every kernel through the launcher above, over ipc
    sockets in a folder of its own, and remove that folder (killing what is left) when the kernel is gone."""

    sandbox_dir = None

    async def _async_pre_start_kernel(self, **kw):
        self.sandbox_dir = sandbox.new_kernel_dir()
        self.transport = "ipc"
        self.ip = str(self.sandbox_dir / "ipc" / "kernel")
        kw.pop("env", None)  # the launcher builds the kernel's environment itself
        return await super()._async_pre_start_kernel(**kw)

    def format_kernel_cmd(self, extra_arguments=None):
        settings = GradingSettings(config=self.config).launcher_json()
        return [*sandbox.launcher_command(), "--dir", str(self.sandbox_dir), "--settings", settings, "--",
                sys.executable, "-m", "ipykernel_launcher", "-f", self.connection_file, *(extra_arguments or [])]

    async def _async_cleanup_resources(self, restart=False):
        await super()._async_cleanup_resources(restart=restart)
        if self.sandbox_dir is not None:
            sandbox.remove_kernel_dir(self.sandbox_dir)
            self.sandbox_dir = None


class SandboxKernelManager(SandboxKernelMixin, AsyncKernelManager):
    """The kernel manager of grading (nbclient's, through autograder/execute.py)."""


class SandboxedExecute(Execute):
    """Execute in the grading sandbox (see the module docstring)."""

    unsafe_no_sandbox = Bool(False, help="Run student code in the ordinary python3 kernel, with the grader's "
                                         "rights. Only `make grade --unsafe-no-sandbox` sets it.").tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if not self.unsafe_no_sandbox:
            self.kernel_manager_class = SandboxKernelManager
        settings = GradingSettings(config=self.config)
        self.kernel_name = "python3"  # never the kernel a notebook's metadata names
        self.timeout = settings.cell_timeout
        self._output_budget = settings.outputs_mb * 1024 * 1024
        self._left = self._output_budget

    def preprocess(self, nb, resources=None, km=None):
        if not self.unsafe_no_sandbox:
            sandbox.require()
        self._left = self._output_budget
        return super().preprocess(nb, resources, km=km)

    def output(self, outs, msg, display_id, cell_index):
        size = len(repr(msg.get("content", "")))
        self._left -= size
        if self._left < 0:
            if not outs or outs[-1].get("text") != DROPPED:
                outs.append(new_output("stream", name="stdout", text=DROPPED))
            return None
        return super().output(outs, msg, display_id, cell_index)
