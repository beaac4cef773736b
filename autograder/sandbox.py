"""The grading sandbox: the kernel that runs a student's notebook at grading time, with limits.

`make grade` points nbgrader's Execute preprocessor at the kernelspec `backprop-lab-sandbox`
(written by `install_kernelspec`), whose launcher is this module:

    python -m autograder.sandbox -- python -m ipykernel_launcher -f {connection_file}

Before it becomes the kernel, the launcher
  * arranges to die with the grading worker that started it (and the kernel dies with it);
  * moves into a new network namespace (no interface but a down loopback: no network),
    where Linux allows it (root, or unprivileged user namespaces);
  * as root, switches to an unprivileged user id of its own (one per grading worker,
    SANDBOX_UID_BASE + slot), so the process limit counts only that kernel's processes and the
    kernel cannot write the course, the gradebook or the grader's files;
  * applies resource limits: CPU seconds, address space (memory), processes, file size,
    open files, no core dumps.
The kernel then talks to nbgrader over unix sockets (KernelManager.transport = "ipc"), which
work inside a network namespace. What is not available is skipped and `describe()` says so.
Limits can be changed with the environment variables named in LIMITS (e.g. SANDBOX_CPU_SECONDS).

Everything a grading run creates (the slot folders /tmp/backprop-lab-sandbox-UID-runPID-SLOT and the
pids cgroups backprop-lab-sandbox-UID-runPID-SLOT-LAUNCHER) names the process that owns it, PID:
`remove_stale` deletes those whose owner is gone (a `make grade` killed with kill -9), and kills what
still runs in them, at the start of every grading run; a run still alive keeps its own.
"""
import ctypes
import functools
import json
import os
import pwd
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KERNEL_NAME = "backprop-lab-sandbox"
PREFIX = "backprop-lab-sandbox"  # of the slot folders and pids cgroups
SANDBOX_UID_BASE = 61000
SANDBOX_GID = 65534  # nogroup
CLONE_NEWUSER, CLONE_NEWNET, CLONE_NEWPID = 0x10000000, 0x40000000, 0x20000000
# CAP_DAC_READ_SEARCH, CAP_NET_ADMIN, CAP_NET_RAW, CAP_SYS_MODULE, CAP_SYS_RAWIO, CAP_SYS_PTRACE,
# CAP_SYS_ADMIN, CAP_SYS_BOOT, CAP_SYS_RESOURCE, CAP_SYS_TIME, CAP_MKNOD
DROPPED_CAPABILITIES = (2, 12, 13, 16, 17, 19, 21, 22, 24, 25, 27)
MIB = 1024 * 1024

# name: (resource, environment variable, default)
LIMITS = {
    "cpu": (resource.RLIMIT_CPU, "SANDBOX_CPU_SECONDS", 120),
    "memory": (resource.RLIMIT_AS, "SANDBOX_MEMORY_MB", 2048),
    "processes": (resource.RLIMIT_NPROC, "SANDBOX_PROCESSES", 256),
    "file_size": (resource.RLIMIT_FSIZE, "SANDBOX_FILE_SIZE_MB", 64),
    "open_files": (resource.RLIMIT_NOFILE, "SANDBOX_OPEN_FILES", 256),
}
# Single-threaded numerical libraries: less memory, and concurrent kernels do not fight for cores.
THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


def limit_value(name):
    """The limit in the units setrlimit wants (bytes for memory and file size)."""
    _, var, default = LIMITS[name]
    value = int(os.environ.get(var, default))
    return value * MIB if name in ("memory", "file_size") else value


def is_root():
    return os.geteuid() == 0


# ---------------------------------------------------------------- network namespace

def _unshare(flags):
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(flags) != 0:
        raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))


def isolate_network():
    """Enter a new network namespace; return None, or why that was not possible."""
    try:
        _unshare(CLONE_NEWNET if is_root() else CLONE_NEWUSER | CLONE_NEWNET)
    except OSError as error:
        return f"no network namespace ({error.strerror}): the kernel has network access"
    return None


def isolate_namespaces():
    """New network and PID namespaces (the PID one takes effect for the next child)."""
    problems = [isolate_network()]
    try:
        _unshare(CLONE_NEWPID)
    except OSError as error:
        problems.append(f"no PID namespace ({error.strerror}): a fork bomb's orphans may outlive the kernel")
    return "; ".join(p for p in problems if p)


# ---------------------------------------------------------------- user and limits

def world_accessible(path):
    """True when any user can reach path (o+x on every folder above it, o+r on it)."""
    path = Path(os.path.realpath(path))
    folders_ok = all(p.stat().st_mode & 0o001 for p in path.parents)
    return folders_ok and bool(path.stat().st_mode & 0o004)


def kernel_python():
    """The Python of the launcher and the kernel: this one, unless SANDBOX_PYTHON names another.

    The hook is for a grader whose own Python other users cannot read (under /root, as on our CI):
    SANDBOX_PYTHON=/path/to/venv/bin/python, a venv made from a Python they can read
    (/usr/bin/python3.11) in a folder they can read, with ipykernel (the launcher itself needs only the
    standard library, and finds `autograder` through PYTHONPATH), lets the kernel run as a user of its
    own. Set it before `install_kernelspec` and `use_sandbox`; unset, nothing changes.
    """
    return os.environ.get("SANDBOX_PYTHON") or sys.executable


def own_user_possible():
    """Root, and the sandbox user can run the kernel's Python (its interpreter and standard library)."""
    if not is_root():
        return False
    files = _interpreter_files(kernel_python())
    return bool(files) and all(world_accessible(path) for path in files)


@functools.lru_cache(maxsize=None)
def _interpreter_files(python):
    """python's executable and os.py (asked of python when it is not this one); () when it does not run."""
    if python == sys.executable:
        return sys.executable, os.__file__
    try:
        out = subprocess.run([python, "-c", "import os, sys; print(sys.executable); print(os.__file__)"],
                             capture_output=True, text=True, timeout=60, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    return tuple(out.splitlines())


def sandbox_uid(slot):
    """The slot's own user id: never one that belongs to an account (like nobody's 65534)."""
    uid = SANDBOX_UID_BASE + int(slot)
    while _uid_taken(uid):
        uid += 100000
    return uid


def _uid_taken(uid):
    try:
        pwd.getpwuid(uid)
    except KeyError:
        return False
    return True


def drop_privileges(uid):
    """As root: become uid (group nogroup, no supplementary groups)."""
    os.setgroups([])
    os.setgid(SANDBOX_GID)
    os.setuid(uid)


def count_processes(uid):
    """How many tasks (processes and threads) the user owns now."""
    count = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        uid_line = next((line for line in text.splitlines() if line.startswith("Uid:")), "")
        threads = next((line for line in text.splitlines() if line.startswith("Threads:")), "Threads: 1")
        if uid_line.split()[1:2] == [str(uid)]:
            count += int(threads.split()[1])
    return count


def apply_limits(own_uid):
    """setrlimit every limit; the process limit is per user, so without an own uid add what runs."""
    for name, (res, _, _) in LIMITS.items():
        value = limit_value(name)
        if name == "processes" and not own_uid:
            value += count_processes(os.getuid())
        soft = value
        hard = value + 5 if name == "cpu" else value  # SIGXCPU first, SIGKILL 5 s later
        resource.setrlimit(res, (soft, hard))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


# ---------------------------------------------------------------- pids cgroup

def pids_cgroup_root():
    """A writable cgroup folder with the pids controller (v1 or v2), or None."""
    candidates = [Path("/sys/fs/cgroup/pids")]
    unified = Path("/sys/fs/cgroup")
    if "pids" in _read(unified / "cgroup.subtree_control").split():
        candidates.append(unified)
    for folder in candidates:
        if (folder / "cgroup.procs").exists() and os.access(folder, os.W_OK):
            return folder
    return None


def _read(path):
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def join_pids_cgroup(slot, owner, limit):
    """Move this process into a new pids cgroup of the slot with pids.max = limit; None if impossible."""
    root = pids_cgroup_root()
    if root is None:
        return None
    group = root / f"{slot_name(slot, owner)}-{os.getpid()}"
    try:
        group.mkdir()
        (group / "pids.max").write_text(str(limit))
        (group / "cgroup.procs").write_text(str(os.getpid()))
    except OSError:
        return None
    return group


def leave_cgroup(group):
    """Back to the parent cgroup; kill what is left in group and remove it."""
    (group.parent / "cgroup.procs").write_text(str(os.getpid()))
    empty_and_remove(group)


def empty_and_remove(group):
    for _ in range(50):
        for pid in [int(p) for p in _read(group / "cgroup.procs").split()]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            group.rmdir()
            return
        except OSError:
            time.sleep(0.02)


def remove_cgroups(slot, owner=None):
    """Kill what is left in the slot's pids cgroups and remove them."""
    root = pids_cgroup_root()
    for group in root.glob(f"{slot_name(slot, owner)}-*") if root else []:
        empty_and_remove(group)


# ---------------------------------------------------------------- leftovers of a killed run

LEFTOVER = re.compile(rf"{PREFIX}-(?P<uid>\d+)-run(?P<owner>\d+)-(?P<slot>\d+)(?:-(?P<launcher>\d+))?")


def owner_alive(pid):
    """True while process pid exists and is not a zombie (a pid reused by another process also counts:
    a leftover is then kept, never a live run's folder removed)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    state = _read(f"/proc/{pid}/stat").rpartition(")")[2].split()[:1]
    return state != ["Z"]


def remove_stale(temp_root=None, cgroup_root=None):
    """Remove the slot folders and pids cgroups of grading runs whose owner process is gone (a killed
    `make grade`), first killing what still runs in them; return the paths removed."""
    removed = []
    prefix = f"{PREFIX}-{os.getuid()}-run"
    for folder in Path(temp_root or tempfile.gettempdir()).glob(prefix + "*"):
        match = LEFTOVER.fullmatch(folder.name)
        if match and not match["launcher"] and folder.is_dir() and not owner_alive(int(match["owner"])):
            kill_processes_using(folder)
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    root = pids_cgroup_root() if cgroup_root is None else Path(cgroup_root)
    for group in root.glob(prefix + "*") if root else []:
        match = LEFTOVER.fullmatch(group.name)
        if match and match["launcher"] and not owner_alive(int(match["owner"])):
            empty_and_remove(group)
            if not group.exists():
                removed.append(group)
    return removed


def kill_processes_using(folder):
    """SIGKILL every kernel whose connection file (-f FILE) is in folder; init and launcher follow it."""
    marker = (str(folder) + os.sep).encode()
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
            if any(flag == b"-f" and value.startswith(marker) for flag, value in zip(args, args[1:])):
                os.kill(int(cmdline.parent.name), signal.SIGKILL)
        except (OSError, ValueError):
            pass


# ---------------------------------------------------------------- the kernel's home

def slot_name(slot, owner=None):
    """backprop-lab-sandbox-UID-runOWNER-SLOT: owner is the grading run's process (default: this one)."""
    return f"{PREFIX}-{os.getuid()}-run{owner or os.getpid()}-{slot}"


def slot_dir(slot, owner=None):
    """The folder a worker's kernels own: ipc sockets, home, temp files."""
    return Path(tempfile.gettempdir()) / slot_name(slot, owner)


def prepare_slot(slot, owner=None):
    """Create (empty) the slot folder, owned by the sandbox user when we are root."""
    folder = slot_dir(slot, owner)
    kill_leftovers(slot, owner)
    shutil.rmtree(folder, ignore_errors=True)
    for sub in ("ipc", "home", "mpl"):
        (folder / sub).mkdir(parents=True)
    copy_font_cache(folder / "mpl")
    if own_user_possible():
        for path in (folder, *folder.rglob("*")):
            os.chown(path, sandbox_uid(slot), SANDBOX_GID)
    return folder


def reset_slot(slot, owner=None):
    """Between submissions: kill what is left and delete the files the last kernels wrote."""
    kill_leftovers(slot, owner)
    for home in (slot_dir(slot, owner) / "home").glob("kernel-*"):
        shutil.rmtree(home, ignore_errors=True)


def release_slot(slot, owner=None):
    """After grading: kill what is left and remove the slot's folder."""
    kill_leftovers(slot, owner)
    shutil.rmtree(slot_dir(slot, owner), ignore_errors=True)


def copy_font_cache(target):
    """matplotlib's font list from the grader's cache, so no kernel rebuilds it (seconds, and a subprocess)."""
    sources = [os.environ.get("MPLCONFIGDIR", ""), Path.home() / ".cache" / "matplotlib", Path.home() / ".matplotlib"]
    for source in sources:
        for font_list in Path(source).glob("fontlist-*.json") if source else []:
            shutil.copyfile(font_list, Path(target) / font_list.name)


def kill_leftovers(slot, owner=None):
    """Kill every process the slot's sandbox user or pids cgroups still hold (a fork bomb's orphans)."""
    remove_cgroups(slot, owner)
    if not own_user_possible():
        return
    pid = os.fork()
    if pid == 0:  # the child becomes the sandbox user and signals all its processes
        try:
            drop_privileges(sandbox_uid(slot))
            for _ in range(3):
                try:
                    os.kill(-1, signal.SIGKILL)
                except ProcessLookupError:
                    break
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def kernel_environment(home):
    mpl = home.parent.parent / "mpl"  # the slot's, with the font cache
    env = {"HOME": str(home), "MPLCONFIGDIR": str(mpl), "IPYTHONDIR": str(home / "ipython"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime"), "TMPDIR": str(home / "tmp"), "MPLBACKEND": "Agg"}
    env.update({var: "1" for var in THREAD_VARS})
    return env


def private_connection_file(argv, home, uid):
    """Copy the connection file (mode 600, the grader's) where the sandbox user can read it."""
    if "-f" not in argv:
        return argv
    k = argv.index("-f") + 1
    target = home / "connection.json"
    shutil.copyfile(argv[k], target)
    if uid is not None:
        os.chown(target, uid, SANDBOX_GID)
    return argv[:k] + [str(target)] + argv[k + 1:]


# ---------------------------------------------------------------- the launcher

def make_home(folder, uid):
    """A fresh home (and temp folder) for one kernel in the slot folder, owned by the sandbox user."""
    home = Path(tempfile.mkdtemp(prefix="kernel-", dir=Path(folder) / "home"))
    for sub in ("ipython", "runtime", "tmp"):
        (home / sub).mkdir()
    if uid is not None:
        for path in [home, *home.iterdir()]:
            os.chown(path, uid, SANDBOX_GID)
    return home


def launch(argv):
    """Isolate, then run the kernel under an init process of its own PID namespace.

    The launcher stays as the kernel's parent (what jupyter_client signals and kills); its
    child is the namespace's init, whose death kills every process the student started.
    """
    parent = os.getppid()
    die_with_parent()  # the grading worker killed (kill -9 of `make grade`): the kernel goes too
    if os.getppid() != parent:
        os._exit(1)
    slot = os.environ.get("SANDBOX_SLOT", "0")
    owner = os.environ.get("SANDBOX_OWNER") or os.getppid()
    uid = sandbox_uid(slot) if own_user_possible() else None
    home = make_home(os.environ.get("SANDBOX_DIR") or slot_dir(slot, owner), uid)
    argv = private_connection_file(argv, home, uid)
    problems = isolate_namespaces()
    if problems and os.environ.get("SANDBOX_VERBOSE"):
        print(f"sandbox: {problems}", file=sys.stderr)
    group = join_pids_cgroup(slot, owner, limit_value("processes") + 2)  # + the launcher and init
    init = os.fork()
    if init == 0:
        run_init(argv, uid, home)
    status = wait_for(init)
    if group is not None:
        leave_cgroup(group)
    os._exit(status)


def wait_for(init):
    """The launcher: ignore interrupts (the kernel gets them too), pass on termination, exit as init."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: os.kill(init, signal.SIGKILL))
    while True:
        try:
            _, status = os.waitpid(init, 0)
            break
        except ChildProcessError:
            os._exit(1)
        except InterruptedError:
            continue
    return os.waitstatus_to_exitcode(status) & 0xFF


def run_init(argv, uid, home):
    """PID 1 of the namespace (when there is one): start the kernel, reap orphans, exit with it."""
    try:
        die_with_parent()
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        kernel = os.fork()
        if kernel == 0:
            become_kernel(argv, uid, home)
        while True:
            pid, status = os.wait()
            if pid == kernel:
                os._exit(os.waitstatus_to_exitcode(status) & 0xFF)
    except BaseException:  # noqa: BLE001 - an init must never return into the launcher's code
        os._exit(1)


def become_kernel(argv, uid, home):
    """Drop privileges, apply the limits, exec the kernel."""
    try:
        die_with_parent()
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        if uid is not None:
            drop_privileges(uid)
        elif is_root():
            drop_capabilities()
        apply_limits(own_uid=uid is not None)
        os.environ.pop("JPY_PARENT_PID", None)  # the kernel's parent is our init, not the grader
        os.environ.update(kernel_environment(home))
        quiet(home / "kernel.log")
        os.execvp(argv[0], argv)
    finally:
        os._exit(1)


def quiet(log):
    """The kernel's own stdout and stderr (not the notebook's outputs) go to a log, not the grading screen."""
    if os.environ.get("SANDBOX_VERBOSE"):
        return
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)


def die_with_parent():
    """prctl(PR_SET_PDEATHSIG, SIGKILL): killing the launcher kills init, and init the kernel."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)


def drop_capabilities():
    """As root without a user of our own: lose the capabilities that exempt from RLIMIT_NPROC
    (and mount, ptrace, raw sockets, kernel modules...) for the kernel and everything it starts."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in DROPPED_CAPABILITIES:
        libc.prctl(24, cap, 0, 0, 0)  # PR_CAPBSET_DROP: gone at the kernel's execve
    libc.prctl(38, 1, 0, 0, 0)  # PR_SET_NO_NEW_PRIVS


def describe():
    """What this machine's sandbox protects, in words, for the grading log."""
    parts = [f"CPU {limit_value('cpu')} s", f"memory {limit_value('memory') // MIB} MB", process_protection(),
             f"files up to {limit_value('file_size') // MIB} MB"]
    user = f"user id {SANDBOX_UID_BASE}+worker" if own_user_possible() else "the grader's own user"
    network = _probe_network()
    network = "no network" if network is None else f"NETWORK NOT ISOLATED: {network}"
    return f"sandbox: {', '.join(parts)}; runs as {user}; {network}"


def process_protection():
    n = limit_value("processes")
    if pids_cgroup_root() is not None:
        return f"{n} processes per kernel (pids cgroup)"
    if own_user_possible():
        return f"{n} processes per kernel (own user id)"
    if is_root():
        return "processes NOT limited (root ignores RLIMIT_NPROC and no pids cgroup is writable)"
    return f"{n} processes more than the grader's user runs"


def _probe_network():
    """None when a child process can enter a network namespace, else the reason."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        os.write(write, (isolate_network() or "").encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        reason = pipe.read()
    os.waitpid(pid, 0)
    return reason or None


# ---------------------------------------------------------------- kernelspec and nbgrader config

def install_kernelspec(folder):
    """Write kernels/backprop-lab-sandbox/kernel.json under folder (a JUPYTER_PATH entry)."""
    spec_dir = Path(folder) / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    python = kernel_python()
    spec = {
        "argv": [python, "-m", "autograder.sandbox", "--", python, "-m", "ipykernel_launcher",
                 "-f", "{connection_file}"],
        "display_name": "Python 3 (Backprop Lab grading sandbox)",
        "language": "python",
        "metadata": {"debugger": False},
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1))
    return spec_dir


def use_sandbox(config, slot, kernels_root, owner=None):
    """Configure nbgrader (a traitlets Config) to run notebooks in this worker's sandbox kernel.

    owner: the grading run's process id, named in the slot's folder and cgroups (default: this process).
    """
    owner = owner or os.getpid()
    remove_stale()
    folder = prepare_slot(slot, owner)
    os.environ.update(SANDBOX_SLOT=str(slot), SANDBOX_OWNER=str(owner), SANDBOX_DIR=str(folder))
    paths = [str(kernels_root)] + [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    os.environ["JUPYTER_PATH"] = os.pathsep.join(paths)
    config.Execute.kernel_name = KERNEL_NAME
    config.KernelManager.transport = "ipc"
    config.KernelManager.ip = str(folder / "ipc" / "kernel")
    return folder


def main(argv):
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        sys.exit("usage: python -m autograder.sandbox -- KERNEL COMMAND...")
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    launch(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
