"""Set up Backprop Lab as an nbgrader course on one JupyterHub machine (run as root; standard library only).

    sudo python3 deploy/jupyterhub/setup_course.py --venv /opt/backprop-lab-hub

What it does, each step safe to repeat (deploy/jupyterhub/README.md explains the layout):
  1. the venv the hub and every user's server run from: deploy/jupyterhub/requirements.txt, then this
     repository's shared module (backprop_lab, not editable: students never see the checkout);
  2. configuration inside that venv (read by every user's server, nobody else's Jupyter on the machine):
     the global nbgrader config (course id, exchange), the instructors' extensions off for everyone;
  3. the exchange folder, mode 1777 (nbgrader's `chmod ugo+rw`, plus the sticky bit: no user can rename
     or delete the course's folder in it);
  4. unix groups for the hub's users: <course>-instructors and <course>-students (add users with
     `useradd -m -G backprop-lab-students NAME` and give them a password);
  5. the grader account, grader-<course>, that owns the course: a copy of this repository in
     ~/backprop-lab and the nbgrader course root in ~/course (its nbgrader_config.py loads the
     repository's, then puts the gradebook and folders in ~/course and uses the shared exchange);
     its own Jupyter config turns on the formgrader (the hub service runs as this account).
"""
import argparse
import grp
import importlib.util
import json
import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
EXCHANGE = Path("/usr/local/share/nbgrader/exchange")
SYSTEM_PYTHON = "/usr/bin/python3.11"

# nbgrader's lab plugins that are for instructors only; students (and instructors' own servers) keep
# the Assignment List and Validate. The formgrader service turns these back on for the grader account.
INSTRUCTOR_PLUGINS = ["@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                      "@jupyter/nbgrader:course-list"]
INSTRUCTOR_SERVER_EXTENSIONS = ["nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list"]
ANNOUNCEMENTS = "@jupyterlab/apputils-extension:announcements"  # "get notified about Jupyter news?"

GLOBAL_NBGRADER_CONFIG = '''"""Global nbgrader config of the course JupyterHub (written by deploy/jupyterhub/setup_course.py)."""
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = {course_id!r}
c.Exchange.root = {exchange!r}
'''

COURSE_NBGRADER_CONFIG = '''"""The course root of {course_id!r} on the JupyterHub (written by deploy/jupyterhub/setup_course.py).

The repository's nbgrader_config.py (grading wiring, timeouts) first, then this folder's own layout:
source notebooks from the repository's solutions/, release, submissions, gradebook here, the shared exchange.
"""
import os
c = get_config()  # noqa: F821
load_subconfig({repo_config!r})  # noqa: F821
here = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.root = here
c.CourseDirectory.source_directory = {source!r}
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(here, "gradebook.db")
c.Exchange.root = {exchange!r}
'''


def run(*command, **kwargs):
    print("+", " ".join(map(str, command)), flush=True)
    return subprocess.run(list(map(str, command)), check=True, **kwargs)


def install_venv(venv, python):
    """The hub's venv with its pinned requirements (skipped when complete), then backprop_lab."""
    venv = Path(venv)
    # the pip running this script installs into the venv; without one, the venv gets its own (ensurepip)
    have_pip = importlib.util.find_spec("pip") is not None
    pip = ([sys.executable, "-m", "pip", "--python", venv / "bin" / "python"] if have_pip
           else [venv / "bin" / "python", "-m", "pip"])
    pip += ["install", "--quiet", "--disable-pip-version-check", "--no-input"]
    if not (venv / "bin" / "jupyterhub").exists():
        run(python, "-m", "venv", *(["--without-pip"] if have_pip else []), venv)
        run(*pip, "-r", HERE / "requirements.txt")
    run(*pip, "--no-deps", "--force-reinstall", REPO)
    make_world_readable(venv)


def make_world_readable(folder):
    """Every user's server runs from the venv, whatever root's umask was when pip wrote it."""
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = os.path.join(root, name)
            mode = os.lstat(path).st_mode
            if not os.path.islink(path):
                os.chmod(path, mode | 0o444 | (0o111 if os.path.isdir(path) or mode & 0o100 else 0))
    os.chmod(folder, 0o755)


def configure_venv(venv, course_id, exchange):
    etc = Path(venv) / "etc" / "jupyter"
    (etc / "labconfig").mkdir(parents=True, exist_ok=True)
    (etc / "jupyter_server_config.d").mkdir(parents=True, exist_ok=True)
    (etc / "nbgrader_config.py").write_text(GLOBAL_NBGRADER_CONFIG.format(course_id=course_id, exchange=str(exchange)))
    (etc / "labconfig" / "page_config.json").write_text(json.dumps(
        {"disabledExtensions": {name: True for name in INSTRUCTOR_PLUGINS + [ANNOUNCEMENTS]}}, indent=2) + "\n")
    # loaded after nbgrader.json (alphabetical): only the students' extensions stay on
    (etc / "jupyter_server_config.d" / "zz-backprop-lab.json").write_text(json.dumps(
        {"ServerApp": {"jpserver_extensions": {name: False for name in INSTRUCTOR_SERVER_EXTENSIONS}}}, indent=2) + "\n")


def make_exchange(exchange):
    exchange = Path(exchange)
    exchange.mkdir(parents=True, exist_ok=True)
    os.chmod(exchange, 0o1777)


def ensure_group(name):
    try:
        grp.getgrnam(name)
    except KeyError:
        run("groupadd", name)


def ensure_user(name, *groups):
    try:
        pwd.getpwnam(name)
    except KeyError:
        run("useradd", "--create-home", "--shell", "/bin/bash", *(("--groups", ",".join(groups)) if groups else ()), name)
    home = Path(pwd.getpwnam(name).pw_dir)
    os.chmod(home, 0o700)
    return home


def copy_repository(repo, dest):
    """The files git tracks (and new ones not ignored) of the repository, nothing of its venv or grades."""
    listed = subprocess.run(["git", "-C", str(repo), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            check=True, capture_output=True).stdout.decode().split("\0")
    shutil.rmtree(dest, ignore_errors=True)
    for name in filter(None, listed):
        source = Path(repo) / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)


def chown_tree(path, user):
    info = pwd.getpwnam(user)
    for root, dirs, files in os.walk(path):
        for name in [root, *(os.path.join(root, n) for n in dirs + files)]:
            os.lchown(name, info.pw_uid, info.pw_gid)


def make_course(grader, course_id, exchange, repo):
    home = ensure_user(grader)
    clone = home / "backprop-lab"
    copy_repository(repo, clone)
    course = home / "course"
    course.mkdir(exist_ok=True)
    (course / "nbgrader_config.py").write_text(COURSE_NBGRADER_CONFIG.format(
        course_id=course_id, repo_config=str(clone / "nbgrader_config.py"), source=str(clone / "solutions"),
        exchange=str(exchange)))
    jupyter = home / ".jupyter"
    (jupyter / "labconfig").mkdir(parents=True, exist_ok=True)
    # nbgrader's docs: the grader's own config points at the course (here: loads the course's config)
    (jupyter / "nbgrader_config.py").write_text(
        f"c = get_config()  # noqa: F821\nload_subconfig({str(course / 'nbgrader_config.py')!r})  # noqa: F821\n")
    # the formgrader service: instructors' extensions on, and the formgrader's iframe allowed in its own
    # JupyterLab (JupyterHub >= 4.1 sends frame-ancestors 'none' unless the server sets a policy)
    (jupyter / "jupyter_server_config.json").write_text(json.dumps({"ServerApp": {
        "jpserver_extensions": {name: True for name in INSTRUCTOR_SERVER_EXTENSIONS},
        "tornado_settings": {"headers": {"Content-Security-Policy": "frame-ancestors 'self'"}},
    }}, indent=2) + "\n")
    (jupyter / "labconfig" / "page_config.json").write_text(json.dumps(
        {"disabledExtensions": {name: False for name in INSTRUCTOR_PLUGINS}}, indent=2) + "\n")
    chown_tree(home, grader)
    return course


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--venv", type=Path, default=Path("/opt/backprop-lab-hub"), help="the hub's venv")
    parser.add_argument("--python", default=SYSTEM_PYTHON, help="the Python to build the venv from (other users must be able to run it)")
    parser.add_argument("--course-id", default="backprop-lab")
    parser.add_argument("--grader", help="the account that owns the course (default grader-<course id>)")
    parser.add_argument("--exchange", type=Path, default=EXCHANGE)
    parser.add_argument("--repo", type=Path, default=REPO, help="the repository to copy into the grader's home")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        raise SystemExit("run as root: it creates users, groups and /usr/local/share/nbgrader/exchange")
    grader = args.grader or f"grader-{args.course_id}"
    install_venv(args.venv, args.python)
    configure_venv(args.venv, args.course_id, args.exchange)
    make_exchange(args.exchange)
    for group in (f"{args.course_id}-instructors", f"{args.course_id}-students"):
        ensure_group(group)
    course = make_course(grader, args.course_id, args.exchange, args.repo)
    print(f"course {args.course_id!r} ready in {course} (owner {grader}); start the hub with\n"
          f"  cd /srv/jupyterhub && {args.venv}/bin/jupyterhub -f {HERE / 'jupyterhub_config.py'}")


if __name__ == "__main__":
    main()
