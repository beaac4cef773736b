"""JupyterHub for a Backprop Lab class on one machine (deploy/jupyterhub/README.md).

    cd /srv/jupyterhub && /opt/backprop-lab-hub/bin/jupyterhub -f /path/to/deploy/jupyterhub/jupyterhub_config.py

Run as root from the hub's venv (made by setup_course.py): it logs users in through PAM and starts each
one's server as that unix user (the default LocalProcessSpawner), so nbgrader sees every student as the
user they are. Who may log in is a matter of unix groups: <course>-students and <course>-instructors.
The formgrader runs as a hub service, as the grader account that owns the course, at /services/<course>/,
for the instructors only.

Everything a site may want to change is read from the environment (defaults in brackets):
    BACKPROP_LAB_COURSE_ID [backprop-lab]       BACKPROP_LAB_GRADER [grader-<course id>]
    BACKPROP_LAB_HUB_IP [all interfaces]        BACKPROP_LAB_HUB_PORT [8000]
    BACKPROP_LAB_HUB_API_PORT [8081]            BACKPROP_LAB_PROXY_API_PORT [8001]
    BACKPROP_LAB_SERVICE_PORT [9999]            BACKPROP_LAB_PROXY [configurable-http-proxy on PATH]
"""
import grp
import os
import pwd
import sys

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

env = os.environ.get
COURSE_ID = env("BACKPROP_LAB_COURSE_ID", "backprop-lab")
GRADER = env("BACKPROP_LAB_GRADER", f"grader-{COURSE_ID}")
INSTRUCTORS = f"{COURSE_ID}-instructors"   # unix groups (setup_course.py creates them)
STUDENTS = f"{COURSE_ID}-students"
VENV_BIN = os.path.join(sys.prefix, "bin")  # the hub's venv: every user's server runs from it too


def members(group):
    """Users of a unix group: listed members and those whose primary group it is."""
    try:
        info = grp.getgrnam(group)
    except KeyError:
        return set()
    return set(info.gr_mem) | {user.pw_name for user in pwd.getpwall() if user.pw_gid == info.gr_gid}


# --- who logs in: real unix users, through PAM (JupyterHub's default authenticator)
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.allowed_groups = {INSTRUCTORS, STUDENTS}
c.PAMAuthenticator.open_sessions = False  # no PAM session per server (nothing here needs one)

# --- where: the address students open, and the hub's and proxy's own ports (loopback)
c.JupyterHub.ip = env("BACKPROP_LAB_HUB_IP", "")
c.JupyterHub.port = int(env("BACKPROP_LAB_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env("BACKPROP_LAB_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env('BACKPROP_LAB_PROXY_API_PORT', '8001')}"
if env("BACKPROP_LAB_PROXY"):
    c.ConfigurableHTTPProxy.command = [env("BACKPROP_LAB_PROXY")]

# --- each user's server: the default LocalProcessSpawner, as that unix user, from the hub's venv
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [os.path.join(VENV_BIN, "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {"PATH": os.pathsep.join([VENV_BIN, "/usr/local/bin", "/usr/bin", "/bin"])}
c.Spawner.http_timeout = 60

# --- the formgrader: a server of the grader account, as a hub service, for the instructors' group.
# nbgrader's convention: the service is named after the course, its users are in formgrade-<course>.
c.JupyterHub.load_groups = {
    f"formgrade-{COURSE_ID}": {"users": sorted(members(INSTRUCTORS))},
    f"nbgrader-{COURSE_ID}": {"users": sorted(members(STUDENTS))},
}
c.JupyterHub.load_roles = [{
    "name": f"formgrade-{COURSE_ID}",
    "groups": [f"formgrade-{COURSE_ID}"],
    "scopes": ["list:services", f"read:services!service={COURSE_ID}", f"access:services!service={COURSE_ID}"],
}]
try:
    GRADER_HOME = pwd.getpwnam(GRADER).pw_dir
except KeyError:
    raise SystemExit(f"no grader account {GRADER!r}: run deploy/jupyterhub/setup_course.py first") from None
c.JupyterHub.services = [{
    "name": COURSE_ID,
    "display": True,
    "url": f"http://127.0.0.1:{env('BACKPROP_LAB_SERVICE_PORT', '9999')}",
    "command": [os.path.join(VENV_BIN, "jupyterhub-singleuser")],
    "user": GRADER,
    "cwd": GRADER_HOME,  # the notebook root: the course (~/course) lies inside it, as formgrader needs
    "environment": {
        "JUPYTERHUB_DEFAULT_URL": "/formgrader",
        "PATH": os.pathsep.join([VENV_BIN, "/usr/local/bin", "/usr/bin", "/bin"]),
        # the grader's own Jupyter config (setup_course.py) turns the formgrader on and allows its iframe
        "JUPYTER_CONFIG_DIR": os.path.join(GRADER_HOME, ".jupyter"),
    },
    "oauth_no_confirm": True,  # instructors are sent straight in, no "authorize this service?" page
}]

# --- the hub's own state (sqlite, cookie secret) in the folder it is started from (/srv/jupyterhub)
c.JupyterHub.cleanup_servers = True
