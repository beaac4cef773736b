"""Every limit and setting of grading, defined once: `c.GradingSettings.<name> = value` in nbgrader_config.py.

The grading kernel's launcher gets the limits on its command line from the kernel manager
(autograder/sandbox.py), so a kernel runs with exactly the settings of the nbgrader process that
started it; `make grade` reads workers and the deadline from here too (its flags override them).
"""
import json
from typing import Self

from traitlets import Bool, Integer
from traitlets.config import Configurable


class GradingSettings(Configurable):
    """Limits of one grading kernel and of a grading run."""

    cell_timeout = Integer(60, help="Seconds one cell may run before it is interrupted (nbgrader's "
                                    "Execute.timeout); the later cells still run.").tag(config=True)
    deadline = Integer(300, help="Seconds all the notebooks of one submission may run together; then its "
                                 "kernel is killed and the submission gets zero (0: no deadline).").tag(config=True)
    workers = Integer(0, help="Submissions `make grade` grades at once (0: one and a half per core, "
                              "at least 2).").tag(config=True)
    cpu_seconds = Integer(120, help="CPU seconds per kernel process (RLIMIT_CPU): stops loops in C code "
                                    "that an interrupt cannot.").tag(config=True)
    memory_mb = Integer(2048, help="Address space per kernel process, in MB (RLIMIT_AS): a memory bomb "
                                   "raises MemoryError.").tag(config=True)
    processes = Integer(256, help="Processes and threads per kernel (a pids cgroup where writable, and "
                                  "RLIMIT_NPROC for the kernel's own user id).").tag(config=True)
    file_size_mb = Integer(64, help="Largest file a kernel may write, in MB (RLIMIT_FSIZE).").tag(config=True)
    open_files = Integer(256, help="Open files per kernel process (RLIMIT_NOFILE).").tag(config=True)
    tmp_mb = Integer(256, help="Size of the kernel's private /tmp, in MB (a tmpfs).").tag(config=True)
    work_mb = Integer(64, help="Largest total size of a student's folder copied into the sandbox, "
                               "in MB; files beyond it are not copied.").tag(config=True)
    record_kb = Integer(1000, help="Largest record of one hidden check's results, in kB; a larger one "
                                   "scores 0 for that check (PrairieLearn caps a result at 1 MB too).").tag(config=True)
    records_mb = Integer(8, help="Largest total of all the records of one notebook, in MB; records beyond it "
                                 "score 0 for their checks.").tag(config=True)
    kernel_factory = Bool(True, help="Fork each grading kernel from a factory that has imported ipykernel, NumPy, "
                                     "SciPy and matplotlib once per worker (autograder/zygote.py), instead of a new "
                                     "bubblewrap per kernel; the isolation is the same, the imports are paid once.").tag(config=True)
    outputs_mb = Integer(16, help="Largest total size of one notebook's outputs, in MB; outputs beyond it "
                                  "are dropped with a note.").tag(config=True)

    LAUNCHER = ("cpu_seconds", "memory_mb", "processes", "file_size_mb", "open_files", "tmp_mb", "work_mb")

    def launcher_json(self) -> str:
        """The limits the sandbox launcher applies, as one command-line argument."""
        return json.dumps({name: getattr(self, name) for name in self.LAUNCHER}, sort_keys=True)

    @classmethod
    def from_launcher_json(cls, text: str) -> Self:
        """The settings launcher_json gave (ValueError for a name that is not a launcher limit)."""
        values = json.loads(text)
        unknown = set(values) - set(cls.LAUNCHER)
        if unknown:
            raise ValueError(f"unknown sandbox settings: {', '.join(sorted(unknown))}")
        return cls(**{name: int(value) for name, value in values.items()})
