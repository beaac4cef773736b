"""The grading sandbox: every kernel that runs a student's notebook at grading is a bubblewrap container.

nbgrader's Execute step (autograder/execute.py) starts kernels through its `SandboxKernelManager`,
whatever kernel the notebook names. Its command is this module, run as the grader (it imports only
the standard library and autograder/settings.py, so it starts in milliseconds):

    python -m autograder.sandbox --dir KERNEL_DIR -- python -m ipykernel_launcher -f CONNECTION_FILE

The launcher (trusted code, before any student code exists) gives the kernel, through the
operating system, not through code inside it:

* a user id of its own (root: an unused uid from UID_BASE, then bubblewrap's user namespace;
  a normal grader: its own uid, inside the namespace), no capabilities, no new privileges;
* new user, PID, network, IPC, UTS and cgroup namespaces (`bwrap --unshare-all`): no network
  (the kernel talks to nbgrader over unix sockets in KERNEL_DIR/ipc), no other process visible;
* a filesystem that holds only what the kernel needs: read-only the system's /usr, the
  interpreter and its site-packages, and a copy of the lessons' shared module with the code
  that draws hidden cases (autograder/grading.py, records.py, course/*/cases.py: no reference, no judge,
  no mistakes, no solutions, no tests); writable only a private copy of the student's own folder,
  a private home and a size-limited private /tmp. Not the repository, not submitted/ or
  autograded/ of anyone, not the gradebook, not the grader's kernelspecs or runtime files;
* limits: CPU seconds, address space, processes (a pids cgroup where /sys/fs/cgroup allows it,
  and RLIMIT_NPROC for the kernel's own uid), file size, open files, no core dumps;
* death with its grading worker (PR_SET_PDEATHSIG, bwrap --die-with-parent), and every process
  it started dies with it (the PID namespace's init).

Grading refuses to run (`SandboxUnavailable`, with how to fix it) where bubblewrap or user
namespaces are missing, unless `make grade --unsafe-no-sandbox` asks for the plain kernel.
"""
import argparse
import ctypes
import fcntl
import functools
import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NoReturn

from autograder.settings import GradingSettings
from autograder.zygote import MS_BIND, MS_PRIVATE, MS_REC, mount

REPO = Path(__file__).resolve().parent.parent
ROOT = Path(tempfile.gettempdir()) / f"backprop-lab-sandbox-{os.getuid()}"  # one folder per kernel inside
UID_BASE = 62000
UID_COUNT = 2000
NOGROUP = 65534
MIB = 1024 * 1024
INSIDE_WORK = "/home/student/work"  # where the private copy of the student's folder appears
INSIDE_HOME = "/home/student"
INSIDE_LIB = "/opt/backprop-lab"
INSIDE_IPC = "/run/ipc"
# what the grading kernel may import of the repository: the shared module, the record format, the case
# drawing of every lesson (course/<lesson>/cases.py, found by glob) and the guard; never a reference
KERNEL_FILES = ("backprop_lab", "autograder/__init__.py", "autograder/records.py", "autograder/grading.py",
                "autograder/guard.py", "autograder/zygote.py", "course/__init__.py", "course/*/__init__.py",
                "course/*/cases.py")
THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS = 1, 38
SETTINGS = GradingSettings()  # the launcher replaces it with the settings on its command line


class SandboxUnavailable(RuntimeError):
    """bubblewrap cannot isolate a kernel on this machine; the message says how to enable it."""


# ---------------------------------------------------------------- can this machine do it?

def bwrap_path() -> str:
    """The bubblewrap executable on PATH, or "" where it is not installed."""
    return shutil.which("bwrap") or ""


@functools.lru_cache(maxsize=None)
def probe() -> str | None:
    """None when bubblewrap can start an isolated process here (as the kernels will run), else why not."""
    if not bwrap_path():
        return ("bubblewrap is not installed: install it (Debian/Ubuntu: apt-get install bubblewrap; "
                "Fedora: dnf install bubblewrap)")
    uid = None
    lock = None
    try:
        if os.geteuid() == 0:
            uid, lock = allocate_uid()
        command = [bwrap_path(), "--unshare-all", "--die-with-parent", "--ro-bind", "/usr", "/usr",
                   *system_links(), "--proc", "/proc", "--dev", "/dev", "true"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60,
                                preexec_fn=(lambda: become(uid)) if uid is not None else None)
    except (OSError, subprocess.SubprocessError) as error:
        return f"bubblewrap could not start: {error}"
    finally:
        if lock is not None:
            os.close(lock)
    if result.returncode == 0:
        return None
    return ("bubblewrap cannot create user namespaces here (" + (result.stderr.strip() or "no message")
            + "). Enable them: sysctl -w user.max_user_namespaces=15000 (and, on Debian before 11, "
              "kernel.unprivileged_userns_clone=1); on Ubuntu 24.04 and later AppArmor restricts them: "
              "sysctl -w kernel.apparmor_restrict_unprivileged_userns=0, or add an AppArmor profile for "
              "/usr/bin/bwrap that allows userns. In a container, run it with user namespaces allowed.")


def require() -> None:
    """Raise SandboxUnavailable unless kernels can be isolated here."""
    reason = probe()
    if reason:
        raise SandboxUnavailable(
            f"grading refused: {reason}. To grade without the operating system's isolation anyway "
            "(student code then runs with the grader's rights), pass --unsafe-no-sandbox to make grade.")


def system_links() -> list[str]:
    """bwrap arguments for /bin, /lib, /lib64, /sbin: symlinks into /usr where the system has them."""
    args = []
    for name in ("bin", "lib", "lib64", "sbin"):
        path = Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    return args


def describe() -> str:
    """What the sandbox enforces here, in words, for the grading log."""
    processes = "pids cgroup" if pids_cgroup_root() else "RLIMIT_NPROC"
    user = "a user id of its own" if os.geteuid() == 0 else "the grader's user id inside a user namespace"
    return (f"sandbox: bubblewrap, {user}, no network, own PID namespace, read-only system and libraries, "
            f"only a private copy of the student's folder writable; CPU {SETTINGS.cpu_seconds} s, "
            f"memory {SETTINGS.memory_mb} MB, {SETTINGS.processes} processes ({processes}), "
            f"files up to {SETTINGS.file_size_mb} MB, /tmp up to {SETTINGS.tmp_mb} MB")


# ---------------------------------------------------------------- user ids

def allocate_uid() -> tuple[int, int]:
    """(uid, lock fd): an unused uid of the sandbox range, held by an exclusive lock while fd is open."""
    locks = ROOT / ".uids"
    locks.mkdir(parents=True, exist_ok=True, mode=0o700)
    start = os.getpid() % UID_COUNT
    for k in range(UID_COUNT):
        uid = UID_BASE + (start + k) % UID_COUNT
        if _uid_has_account(uid):
            continue
        fd = os.open(locks / str(uid), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        return uid, fd
    raise SandboxUnavailable("no free sandbox user id")


def _uid_has_account(uid):
    import pwd

    try:
        pwd.getpwuid(uid)
    except KeyError:
        return False
    return True


def become(uid: int | None, extra_processes: int = 0) -> None:
    """In the child about to exec bwrap: limits first, then the unprivileged user (root only)."""
    apply_limits(uid, extra_processes)
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if uid is not None:
        os.setgroups([])
        os.setgid(NOGROUP)
        os.setuid(uid)
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)


def apply_limits(uid: int | None, extra_processes: int = 0) -> None:
    """setrlimit every limit of SETTINGS; RLIMIT_NPROC counts the user's processes, so without an own uid
    it allows what the grader's user runs already plus the kernel's share."""
    processes = SETTINGS.processes + extra_processes
    if uid is None:
        processes += count_processes(os.getuid())
    limits = {resource.RLIMIT_CPU: (SETTINGS.cpu_seconds, SETTINGS.cpu_seconds + 5),  # SIGXCPU, then SIGKILL
              resource.RLIMIT_AS: SETTINGS.memory_mb * MIB,
              resource.RLIMIT_NPROC: processes,
              resource.RLIMIT_FSIZE: SETTINGS.file_size_mb * MIB,
              resource.RLIMIT_NOFILE: SETTINGS.open_files,
              resource.RLIMIT_CORE: 0}
    for res, value in limits.items():
        resource.setrlimit(res, value if isinstance(value, tuple) else (value, value))


def count_processes(uid: int) -> int:
    """How many tasks (processes and threads) the user owns now."""
    count = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            lines = status.read_text().splitlines()
        except OSError:
            continue
        uid_line = next((line for line in lines if line.startswith("Uid:")), "")
        threads = next((line for line in lines if line.startswith("Threads:")), "Threads: 1")
        if uid_line.split()[1:2] == [str(uid)]:
            count += int(threads.split()[1])
    return count


# ---------------------------------------------------------------- pids cgroup

def pids_cgroup_root() -> Path | None:
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


def make_cgroup(name: str, limit: int) -> Path | None:
    """A new pids cgroup `name` with pids.max = limit (None where there is no writable pids cgroup)."""
    root = pids_cgroup_root()
    if root is None:
        return None
    group = root / name
    try:
        group.mkdir(exist_ok=True)
        (group / "pids.max").write_text(str(limit))
    except OSError:
        return None
    return group


def empty_and_remove(group: Path) -> None:
    """Kill every process in the cgroup and remove it."""
    for _ in range(100):
        for pid in [int(p) for p in _read(group / "cgroup.procs").split()]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            group.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:
            import time

            time.sleep(0.02)


# ---------------------------------------------------------------- one kernel's folder

def new_kernel_dir() -> Path:
    """KERNEL_DIR for one kernel: ipc/ (its sockets) now; the launcher adds the rest. Named by the worker's pid."""
    ROOT.mkdir(parents=True, exist_ok=True, mode=0o711)
    os.chmod(ROOT, 0o711)
    folder = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=ROOT))
    os.chmod(folder, 0o711)
    (folder / "ipc").mkdir(mode=0o700)
    return folder


def cgroup_name(folder: str | Path) -> str:
    """The name of a kernel folder's pids cgroup (unique per grader uid and folder)."""
    return f"backprop-lab-{os.getuid()}-{Path(folder).name}"


def remove_kernel_dir(folder: str | Path) -> None:
    """Kill what is left of the kernel (its cgroup) and delete its folder."""
    group = (pids_cgroup_root() or Path("/nonexistent")) / cgroup_name(folder)
    if group.exists():
        empty_and_remove(group)
    kill_uid_of(folder)
    shutil.rmtree(folder, ignore_errors=True)


def kill_uid_of(folder: str | Path) -> None:
    """As root: SIGKILL every process of the kernel's own uid (the owner of its home), if any survived."""
    home = Path(folder) / "home"
    try:
        uid = home.stat().st_uid
    except OSError:
        return
    if os.geteuid() != 0 or not UID_BASE <= uid < UID_BASE + UID_COUNT:
        return
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups([])
            os.setgid(NOGROUP)
            os.setuid(uid)
            for _ in range(3):
                try:
                    os.kill(-1, signal.SIGKILL)
                except ProcessLookupError:
                    break
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def remove_kernels_of(worker: int) -> None:
    """Kill and remove every kernel a grading worker (process id) has started (its deadline ran out)."""
    for folder in sorted(ROOT.glob(f"{worker}-*")) if ROOT.is_dir() else []:
        remove_kernel_dir(folder)


def remove_stale() -> list[Path]:
    """Remove kernel folders (and their cgroups) whose grading worker is gone; return the paths removed."""
    removed = []
    for folder in sorted(ROOT.glob("[0-9]*-*")) if ROOT.is_dir() else []:
        owner = int(folder.name.split("-", 1)[0])
        if not owner_alive(owner):
            remove_kernel_dir(folder)
            removed.append(folder)
    return removed


def owner_alive(pid: int) -> bool:
    """True while process pid exists and is not a zombie (a reused pid also counts: nothing live is removed)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return _read(f"/proc/{pid}/stat").rpartition(")")[2].split()[:1] != ["Z"]


# ---------------------------------------------------------------- what the kernel sees

def copy_regular_files(source: str | Path, target: Path, uid: int | None, budget: list[int]) -> None:
    """Copy source's regular files and folders into target (owned by uid), never a symlink, device or fifo."""
    target.mkdir(exist_ok=True)
    for entry in sorted(os.scandir(source), key=lambda e: e.name):
        mode = entry.stat(follow_symlinks=False).st_mode
        destination = target / entry.name
        if stat.S_ISDIR(mode) and not entry.name.startswith("."):
            copy_regular_files(entry.path, destination, uid, budget)
        elif stat.S_ISREG(mode):
            budget[0] -= entry.stat(follow_symlinks=False).st_size
            if budget[0] < 0:
                continue
            fd = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW)
            with os.fdopen(fd, "rb") as src, open(destination, "wb") as dst:
                shutil.copyfileobj(src, dst)
        else:
            continue
        if uid is not None:
            os.chown(destination, uid, NOGROUP)
    if uid is not None:
        os.chown(target, uid, NOGROUP)


def build_lib(target: Path) -> None:
    """The read-only library the kernel imports from the repository (KERNEL_FILES), copied."""
    for source in (path for pattern in KERNEL_FILES for path in sorted(REPO.glob(pattern))):
        destination = target / source.relative_to(REPO)
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, destination, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copyfile(source, destination)
    for path in [target, *target.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)


def private_connection_file(path: str | Path, home: Path, uid: int | None) -> str:
    """The connection file (the grader's, mode 600) copied into the kernel's home, its sockets under INSIDE_IPC."""
    info = json.loads(Path(path).read_text())
    info["ip"] = f"{INSIDE_IPC}/{Path(info['ip']).name}"
    target = home / "connection.json"
    target.write_text(json.dumps(info))
    if uid is not None:
        os.chown(target, uid, NOGROUP)
    return f"{INSIDE_HOME}/connection.json"


def python_prefixes() -> list[str]:
    """The folders the kernel's interpreter needs: its venv and the Python the venv was made from."""
    prefixes = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    return sorted(p for p in prefixes if not p.startswith("/usr/"))


def kernel_environment() -> dict[str, str]:
    """The kernel's whole environment (nothing of the grader's): paths inside the sandbox, one thread per library."""
    env = {"PATH": f"{os.path.dirname(sys.executable)}:/usr/bin:/bin", "HOME": INSIDE_HOME, "LANG": "C.UTF-8",
           "PYTHONPATH": INSIDE_LIB, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1",
           "PYTHONSAFEPATH": "1",  # the student's folder is not put first on sys.path (the guard puts it last)
           "MPLBACKEND": "Agg", "MPLCONFIGDIR": f"{INSIDE_HOME}/.matplotlib",
           "IPYTHONDIR": f"{INSIDE_HOME}/.ipython", "JUPYTER_RUNTIME_DIR": f"{INSIDE_HOME}/.runtime",
           "TMPDIR": "/tmp", "USER": "student", "LOGNAME": "student", "BACKPROP_JUDGE": "1"}
    env.update({var: "1" for var in THREAD_VARS})
    return env


def bwrap_command(folder: Path, prefixes: list[str], kernel_argv: list[str], factory: bool = False) -> list[str]:
    """The bubblewrap command line for one kernel, or (factory=True) for a worker's kernel factory, which
    keeps CAP_SYS_ADMIN inside its user namespace to give each kernel its own mounts (autograder/zygote.py)."""
    args = [bwrap_path(), "--unshare-all", "--die-with-parent", "--hostname", "grading-sandbox",
            "--ro-bind", "/usr", "/usr", *system_links(),
            "--proc", "/proc", "--dev", "/dev",
            "--size", str(SETTINGS.tmp_mb * MIB), "--tmpfs", "/tmp"]
    for name in ("ld.so.cache", "localtime", "fonts"):
        if Path("/etc", name).exists():
            args += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    args += ["--ro-bind", str(folder / "passwd"), "/etc/passwd", "--ro-bind", str(folder / "group"), "/etc/group"]
    for prefix in prefixes:
        args += ["--ro-bind", prefix, prefix]
    args += ["--ro-bind", str(folder / "lib"), INSIDE_LIB]
    if factory:
        args += ["--cap-add", "CAP_SYS_ADMIN", "--bind", str(folder / "spool"), "/spool", "--tmpfs", "/dev/shm",
                 "--bind", str(folder / "home"), INSIDE_HOME,  # the factory's own; every kernel covers it
                 "--dir", INSIDE_WORK, "--dir", INSIDE_IPC, "--remount-ro", "/", "--chdir", "/", "--"]
    else:
        args += ["--bind", str(folder / "home"), INSIDE_HOME,  # with the private copy at home/work
                 "--bind", str(folder / "ipc"), INSIDE_IPC,
                 "--remount-ro", "/", "--chdir", INSIDE_WORK, "--"]
    return args + kernel_argv


CLONE_NEWNS = 0x20000


def hidden_ancestor(path: str | Path) -> Path | None:
    """The top-most folder above path that other users cannot enter (o-x), or None."""
    for parent in reversed(Path(path).parents):
        if parent != Path("/") and not parent.stat().st_mode & 0o001:
            return parent
    return None


def expose(prefixes: list[str], folder: Path) -> None:
    """As root, in a mount namespace of the launcher's own: make each prefix reachable for the unprivileged
    user that runs bwrap. A folder above it that others cannot enter (/root: the grader's Python lives there)
    is covered by an empty tmpfs holding only the prefix, bound back at its own path. Nothing else of that
    folder becomes visible, and the grader's own mount table is not touched."""
    covers: dict[Path, list[str]] = {}
    for prefix in prefixes:
        top = hidden_ancestor(prefix)
        if top is not None:
            covers.setdefault(top, []).append(prefix)
    if not covers:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNS) != 0:
        raise SandboxUnavailable(f"no mount namespace for the launcher: {os.strerror(ctypes.get_errno())}")
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    staging = folder / "staging"
    staging.mkdir(mode=0o700)
    for n, (top, inside) in enumerate(covers.items()):
        staged = [staging / f"{n}-{k}" for k in range(len(inside))]
        for prefix, stage in zip(inside, staged):
            stage.mkdir()
            mount(prefix, str(stage), None, MS_BIND | MS_REC)
        mount("tmpfs", str(top), "tmpfs", 0, "mode=0755,size=1m")
        for prefix, stage in zip(inside, staged):
            Path(prefix).mkdir(parents=True, exist_ok=True)
            for parent in [Path(prefix), *Path(prefix).parents]:
                if parent == top.parent:
                    break
                os.chmod(parent, 0o755)
            mount(str(stage), prefix, None, MS_BIND | MS_REC)


# ---------------------------------------------------------------- the launcher

def prepare_kernel(folder: Path, uid: int | None, kernel_argv: list[str]) -> list[str]:
    """KERNEL_DIR's home (with the connection file) and work (the private copy of the current folder),
    owned by uid; the kernel's arguments with the connection file as the kernel will see it."""
    home, work = folder / "home", folder / "home" / "work"
    for sub in (home, work, home / ".matplotlib", home / ".ipython", home / ".runtime"):
        sub.mkdir(mode=0o700, exist_ok=True)
    copy_font_cache(home / ".matplotlib")
    copy_regular_files(os.getcwd(), work, uid, [SETTINGS.work_mb * MIB])
    if "-f" in kernel_argv:
        k = kernel_argv.index("-f") + 1
        kernel_argv = kernel_argv[:k] + [private_connection_file(kernel_argv[k], home, uid)] + kernel_argv[k + 1:]
    if uid is not None:
        for path in (folder / "ipc", home, *home.iterdir()):
            os.chown(path, uid, NOGROUP)
    return kernel_argv


def prepare_system(folder: Path, uid: int | None) -> None:
    """The read-only part of a sandbox: the kernel library, passwd and group files."""
    build_lib(folder / "lib")
    inside = uid if uid is not None else os.getuid()
    (folder / "passwd").write_text(f"student:x:{inside}:{NOGROUP}:student:{INSIDE_HOME}:/usr/sbin/nologin\n")
    (folder / "group").write_text(f"nogroup:x:{NOGROUP}:\n")


def launch(folder: str | Path, kernel_argv: list[str]) -> NoReturn:
    """Prepare KERNEL_DIR and run the kernel in bubblewrap; exit with its status."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # the worker dies: so do we
    folder = Path(folder)
    root = os.geteuid() == 0
    uid, _lock = allocate_uid() if root else (None, None)
    prepare_system(folder, uid)
    kernel_argv = prepare_kernel(folder, uid, kernel_argv)
    prefixes = python_prefixes()
    if root:
        expose(prefixes, folder)
    group = make_cgroup(cgroup_name(folder), SETTINGS.processes + 4)  # + bwrap, its init and the launcher
    command = bwrap_command(folder, prefixes, kernel_argv)
    run_sandboxed(folder, uid, group, command, kernel_environment())


def run_sandboxed(folder: Path, uid: int | None, group: Path | None, command: list[str], env: dict[str, str],
                  extra_processes: int = 0) -> NoReturn:
    """Fork: the child joins the cgroup, takes the limits and the user, execs bwrap; we wait and exit with it."""
    child = os.fork()
    if child == 0:
        try:
            quiet(folder / "kernel.log")
            if group is not None:
                (group / "cgroup.procs").write_text(str(os.getpid()))
            become(uid, extra_processes)
            os.closerange(3, 1 << 16)  # nothing of the grader's leaks into the sandbox
            os.execve(command[0], command, env)
        except BaseException:  # noqa: BLE001 - the reason goes to the kernel's log, for the grader
            import traceback

            traceback.print_exc()
        finally:
            os._exit(127)
    signal.signal(signal.SIGINT, lambda *_: _forward(child, signal.SIGINT))  # an interrupt is for the kernel
    signal.signal(signal.SIGTERM, lambda *_: _forward(child, signal.SIGKILL))
    status = _wait(child)
    if group is not None:
        empty_and_remove(group)
    os._exit(status)


def launch_factory(folder: str | Path) -> NoReturn:
    """A grading worker's kernel factory (autograder/zygote.py) in bubblewrap, serving folder/spool."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    folder = Path(folder)
    root = os.geteuid() == 0
    uid, _lock = allocate_uid() if root else (None, None)
    prepare_system(folder, uid)
    spool, home = folder / "spool", folder / "home"
    for sub in (spool, home, home / ".matplotlib"):
        sub.mkdir(mode=0o700)
    copy_font_cache(home / ".matplotlib")
    if uid is not None:
        for sub in (spool, home, home / ".matplotlib"):
            os.chown(sub, uid, NOGROUP)
    (folder / "uid").write_text(str(uid if uid is not None else os.getuid()))
    prefixes = python_prefixes()
    if root:
        expose(prefixes, folder)
    group = make_cgroup(cgroup_name(folder), SETTINGS.processes + 8)  # + bwrap, its init, the factory, a parent
    env = dict(kernel_environment(), XDG_CACHE_HOME="/tmp/.cache")
    command = bwrap_command(folder, prefixes, [sys.executable, "-m", "autograder.zygote"], factory=True)
    run_sandboxed(folder, uid, group, command, env, extra_processes=16)  # the factory's own, besides a kernel's


def proxy(factory: str | Path, kernel_dir: str | Path, kernel_argv: list[str]) -> NoReturn:
    """One kernel of a factory, as jupyter_client sees it: prepare its folder in the factory's spool, ask the
    factory for the kernel, pass interrupts on, and exit with the kernel's status (killed: the kernel dies)."""
    import socket

    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    factory = Path(factory)
    folder = Path(kernel_dir)
    uid = int((factory / "uid").read_text()) if os.geteuid() == 0 else None
    if uid is not None:
        os.chown(folder, uid, NOGROUP)
    kernel_argv = prepare_kernel(folder, uid, kernel_argv)
    request = {"id": folder.name, "argv": kernel_argv[kernel_argv.index("ipykernel_launcher") + 1:],
               "limits": {name: getattr(SETTINGS, name) for name in GradingSettings.LAUNCHER},
               "env": kernel_environment(), "prefixes": python_prefixes()}
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.connect(str(factory / "spool" / "factory.sock"))
    connection.sendall((json.dumps(request) + "\n").encode())
    signal.signal(signal.SIGINT, lambda *_: connection.sendall(b"int\n"))
    signal.signal(signal.SIGTERM, lambda *_: os._exit(1))
    status = 1
    for line in connection.makefile():
        if line.startswith("exit "):
            status = int(line.split()[1])
            break
    os._exit(status)


def _forward(pid, signum):
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def _wait(pid):
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            return os.waitstatus_to_exitcode(status) & 0xFF
        except ChildProcessError:
            return 1
        except InterruptedError:
            continue


def quiet(log: str | Path) -> None:
    """bwrap's and the kernel's own stdout and stderr (not the notebook's outputs) go to a log."""
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)


def copy_font_cache(target: str | Path) -> None:
    """matplotlib's font list from the grader's cache, so no kernel rebuilds it (seconds of CPU)."""
    sources: list[str | Path] = [os.environ.get("MPLCONFIGDIR", ""), Path.home() / ".cache" / "matplotlib", Path.home() / ".matplotlib"]
    for source in sources:
        for font_list in Path(source).glob("fontlist-*.json") if source else []:
            shutil.copyfile(font_list, Path(target) / font_list.name)


# ---------------------------------------------------------------- the grader's side

def launcher_command() -> list[str]:
    """This module's main, run by the grader's own Python in isolated mode (no PYTHONPATH, no user site)."""
    start = f"import sys; sys.path.insert(0, {str(REPO)!r}); from autograder.sandbox import main; main(sys.argv[1:])"
    return [sys.executable, "-I", "-c", start]


def main(argv: list[str] | None = None) -> None:
    """The launcher: one kernel in its own bubblewrap (--dir), a kernel factory (--factory) or one of its kernels (--via)."""
    parser = argparse.ArgumentParser(prog="python -m autograder.sandbox", description="run a kernel in the sandbox")
    parser.add_argument("--dir", help="the kernel's folder (made by SandboxKernelManager): one bwrap per kernel")
    parser.add_argument("--factory", help="start a kernel factory in this folder (--factory DIR, no kernel command)")
    parser.add_argument("--via", help="the factory folder to ask for this kernel (its folder: --dir, in the spool)")
    parser.add_argument("--settings", default="{}", help="the limits, as GradingSettings.launcher_json() gives them")
    parser.add_argument("kernel", nargs=argparse.REMAINDER, help="-- the kernel's command")
    args = parser.parse_args(argv)
    global SETTINGS
    SETTINGS = GradingSettings.from_launcher_json(args.settings)
    kernel = args.kernel[1:] if args.kernel[:1] == ["--"] else args.kernel
    if args.factory:
        launch_factory(args.factory)
    elif not kernel:
        parser.error("no kernel command")
    elif args.via:
        proxy(args.via, args.dir, kernel)
    else:
        launch(args.dir, kernel)


if __name__ == "__main__":
    main()
