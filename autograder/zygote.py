"""The warm kernel factory: inside a grading worker's bubblewrap sandbox, it forks every kernel after the imports.

A kernel's first second is spent importing ipykernel, NumPy, SciPy and matplotlib. The factory
(one per grading worker, started by autograder/sandbox.py: `start_factory`) imports them once,
never runs any student code itself, and for each kernel forks a child that:

* enters new mount, PID, IPC, network and UTS namespaces of its own (the factory keeps
  CAP_SYS_ADMIN inside its sandbox's user namespace for exactly this, and nothing else);
* mounts a /proc of its own PID namespace (with bubblewrap's read-only covers of /proc/sys and the
  like put back), binds its kernel folder's home/ (with
  the private copy of the student's folder in home/work/) and ipc/ over /home/student and /run/ipc, a fresh size-limited tmpfs on /tmp
  and /dev/shm, and covers /spool (every other kernel's folder) with an empty tmpfs. (Its /proc is
  the factory's: Linux refuses a new proc mount under bubblewrap's covered one. It lists the factory
  and the kernel's parent, which it cannot signal (another PID namespace) or trace (no capabilities,
  and the factory is not dumpable).)
* drops every capability (effective, permitted, inheritable, ambient), sets no_new_privs and
  the limits, and becomes the ipykernel of that kernel as PID 1 of its namespace: when it dies,
  everything the student started dies with it.

So every kernel gets the same isolation as a kernel of its own bubblewrap (see sandbox.py), and
sequential kernels of one worker share nothing but the read-only files. This module runs inside
the sandbox (it is copied into the kernel library) and needs only the standard library.

Protocol on the factory's unix socket (/spool/factory.sock): the grader's proxy for one kernel
sends one JSON line {"id": folder name, "argv": ipykernel arguments, "limits": {...}}; the factory
answers "pid N" when the kernel runs and "exit N" when it ends; "int" from the proxy interrupts
the kernel; the proxy closing the connection kills it.
"""
import ctypes
import json
import os
import resource
import select
import signal
import socket
import sys
from typing import Any, NoReturn

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWPID, CLONE_NEWNET = 0x20000, 0x4000000, 0x8000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 8, 0x1000, 0x4000, 0x40000
PR_SET_DUMPABLE, PR_SET_NO_NEW_PRIVS, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 4, 38, 47, 4
SPOOL, HOME, WORK, IPC = "/spool", "/home/student", "/home/student/work", "/run/ipc"
PRELOAD = ("ipykernel.kernelapp", "ipykernel.ipkernel", "IPython", "numpy", "scipy.special", "matplotlib",
           "matplotlib.pyplot", "ipywidgets", "backprop_lab.plots", "backprop_lab.explorers", "backprop_lab.selfcheck")
_libc = ctypes.CDLL(None, use_errno=True)


def _check(result, what):
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


def mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    """mount(2) through libc (None: a NULL argument); OSError with the reason when it fails."""
    _check(_libc.mount(source and source.encode(), target.encode(), fstype and fstype.encode(), flags,
                       data and data.encode()), f"mount {target}")


def drop_capabilities() -> None:
    """Lose every capability for good: ambient, then effective, permitted and inheritable (capset)."""
    _check(_libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "clear ambient capabilities")
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    data = (ctypes.c_uint32 * 6)()
    _check(_libc.syscall(126, header, data), "capset")  # SYS_capset on x86_64
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")


def own_tasks() -> int:
    """Processes and threads of this uid now (the factory, the kernel's parent, the kernel): RLIMIT_NPROC counts them."""
    uid, count = str(os.getuid()), 0
    for pid in (p for p in os.listdir("/proc") if p.isdigit()):
        try:
            with open(f"/proc/{pid}/status") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
        except OSError:
            continue
        if fields.get("Uid", "").split()[:1] == [uid]:
            count += int(fields.get("Threads", "1"))
    return count


def apply_limits(limits: dict[str, int]) -> None:
    """setrlimit the kernel's limits (GradingSettings.LAUNCHER, from the request); RLIMIT_NPROC on top of
    the tasks this uid runs already (the factory, the kernel's parent)."""
    mib = 1024 * 1024
    cpu = limits["cpu_seconds"]
    processes = min(limits["processes"] + own_tasks(), resource.getrlimit(resource.RLIMIT_NPROC)[1])
    for res, value in ((resource.RLIMIT_CPU, (cpu, cpu + 5)), (resource.RLIMIT_AS, limits["memory_mb"] * mib),
                       (resource.RLIMIT_NPROC, processes),
                       (resource.RLIMIT_FSIZE, limits["file_size_mb"] * mib), (resource.RLIMIT_NOFILE, limits["open_files"]),
                       (resource.RLIMIT_CORE, 0)):
        resource.setrlimit(res, value if isinstance(value, tuple) else (value, value))


PROC_COVERED = ("sys", "sysrq-trigger", "irq", "bus")  # what bubblewrap covers read-only in every /proc it mounts
MNT_DETACH, MS_REMOUNT = 2, 0x20


def uncover_proc() -> None:
    """In the factory: lift bubblewrap's read-only covers off /proc (they are ours to lift, in our user namespace),
    so that Linux lets each kernel mount a /proc of its own PID namespace; each kernel covers its own again."""
    for name in PROC_COVERED:
        if os.path.exists(f"/proc/{name}"):
            _libc.umount2(f"/proc/{name}".encode(), MNT_DETACH)


def fresh_proc() -> None:
    """In a kernel: a /proc that shows its own PID namespace only, with bubblewrap's covers put back."""
    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    for name in PROC_COVERED:
        path = f"/proc/{name}"
        if os.path.exists(path):
            mount(path, path, None, MS_BIND | MS_REC)
            mount(None, path, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)


def become_kernel(request: dict[str, Any]) -> NoReturn:
    """PID 1 of a fresh PID namespace: its own filesystem view, no capabilities, then ipykernel (never returns)."""
    folder = f"{SPOOL}/{request['id']}"
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    fresh_proc()  # ipykernel finds its children through /proc: it must be this namespace's
    mount(f"{folder}/home", HOME, None, MS_BIND | MS_REC)  # with the private copy of the student's folder at work/
    mount(f"{folder}/ipc", IPC, None, MS_BIND | MS_REC)
    size = f"size={request['limits']['tmp_mb']}m,mode=1777"
    keep = [p for p in request.get("prefixes", []) if p.startswith("/tmp/")]  # a venv under /tmp stays visible
    for n, prefix in enumerate(keep):
        os.mkdir(f"{folder}/stage{n}")
        mount(prefix, f"{folder}/stage{n}", None, MS_BIND | MS_REC)
    mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, size)
    for n, prefix in enumerate(keep):
        os.makedirs(prefix, exist_ok=True)
        mount(f"{folder}/stage{n}", prefix, None, MS_BIND | MS_REC)
        mount(None, prefix, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
    mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=1777")
    mount("tmpfs", SPOOL, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, "size=4k,mode=0")
    os.chdir(WORK)
    drop_capabilities()
    _check(_libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0), "dumpable")  # its own /proc entries readable again, like any process
    apply_limits(request["limits"])
    os.environ.clear()
    os.environ.update(request["env"])
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    sys.argv = ["ipykernel_launcher", *request["argv"]]
    from ipykernel.kernelapp import IPKernelApp

    IPKernelApp.launch_instance()
    os._exit(0)


def start_kernel(request: dict[str, Any], connection: socket.socket) -> int:
    """In the factory: fork the kernel's parent, which unshares and forks the kernel (PID 1 of its namespace)."""
    child = os.fork()
    if child:
        return child
    try:
        os.setsid()  # the kernel's parent leads a process group: interrupts and kills go to the group
        _libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG: dies with the factory
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _check(_libc.unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWUTS), "unshare")
        kernel = os.fork()
        if kernel == 0:
            try:
                _libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # dies with its parent
                become_kernel(request)
            except BaseException as error:  # noqa: BLE001 - the grader reads why in the kernel's log
                print(f"the kernel could not start: {error!r}", file=sys.stderr, flush=True)
            os._exit(127)
        connection.sendall(f"pid {kernel}\n".encode())
        _, status = os.waitpid(kernel, 0)
        connection.sendall(f"exit {os.waitstatus_to_exitcode(status) & 0xFF}\n".encode())
    except BaseException as error:  # noqa: BLE001
        print(f"the kernel could not start: {error!r}", file=sys.stderr, flush=True)
    os._exit(0)


def serve() -> NoReturn:
    """The factory's loop: preload, then one forked kernel per request (see the module docstring)."""
    import importlib

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception as error:  # noqa: BLE001 - a missing module only costs speed
            print(f"factory: could not preload {name}: {error!r}", file=sys.stderr, flush=True)
    _check(_libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), "not dumpable")  # no kernel may ever ptrace the factory
    uncover_proc()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(f"{SPOOL}/factory.sock")
    listener.listen(8)
    print("ready", flush=True)
    kernels: dict[socket.socket, list[int | None]] = {}  # connection -> [parent pid, kernel pid or None]
    while True:
        readable, _, _ = select.select([listener, *kernels], [], [], 1.0)
        for conn in readable:
            if conn is listener:
                accepted, _ = listener.accept()
                request = json.loads(accepted.makefile().readline())
                kernels[accepted] = [start_kernel(request, accepted), None]
                continue
            data = conn.recv(64)
            parent, _ = kernels[conn]
            if not data:  # the proxy is gone: so is its kernel
                _kill(parent)
                conn.close()
                del kernels[conn]
            elif b"int" in data:
                _signal_kernel(parent, signal.SIGINT)
        _reap()


def _signal_kernel(parent, signum):
    """The kernel's parent leads the process group of the parent and the kernel."""
    try:
        os.killpg(parent, signum)
    except (ProcessLookupError, PermissionError):
        pass


def _kill(parent):
    _signal_kernel(parent, signal.SIGKILL)  # the kernel is PID 1 of its namespace: everything in it dies too


def _reap():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


if __name__ == "__main__":
    serve()
