"""What counts as a plain name (a student id, an assignment, a notebook), and how to show one that is not.

Names come from folder and file names under submitted/, which students or an LMS export choose.
A plain name is safe in a path, a CSV cell and HTML without escaping; anything else is refused with
its cause, shown escaped (`shown`), and never reaches the gradebook, the feedback or a report.
"""
import re
from pathlib import Path

RULE = "letters, digits, '.', '_' and '-', at most 64, not starting with '.' or '-'"
PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,63}")
FILE_RULE = "letters, digits, spaces and . _ - ( ) +, at most 128"
FILE_NAME = re.compile(r"[A-Za-z0-9._ ()+-]{1,128}")
SKIPPED = {".ipynb_checkpoints", "__pycache__"}  # nbgrader does not copy these


def valid(name: object) -> bool:
    """True when name is a plain name (RULE)."""
    return isinstance(name, str) and PLAIN.fullmatch(name) is not None


def shown(name: object) -> str:
    """The name as inert text for a message: printable ASCII only, cut short, in quotes."""
    text = "".join(ch if 32 <= ord(ch) < 127 and ch not in "<>&\"'`" else "?" for ch in str(name))
    return repr(text[:40] + ("..." if len(text) > 40 else ""))


def submission_problem(folder: str | Path, file_limit: int = 20 * 1024 * 1024,
                       total_limit: int = 64 * 1024 * 1024) -> str | None:
    """None when folder holds only folders and regular files with plain names, each at most file_limit bytes
    and all together at most total_limit; else the cause, in words (a symlink, a device, a fifo...)."""
    import os
    import stat

    total = 0
    if os.path.islink(folder) or not os.path.isdir(folder):
        return "the submission folder is a symbolic link or not a folder"
    for top, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = [d for d in dirs if d not in SKIPPED or os.path.islink(os.path.join(top, d))]
        for name in sorted(dirs + files):
            path = os.path.join(top, name)
            shown_path = shown(os.path.relpath(path, folder))
            if not FILE_NAME.fullmatch(name) or name in (".", ".."):
                return f"the file name {shown_path} is not allowed ({FILE_RULE})"
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                return f"{shown_path} is a symbolic link: only regular files are accepted"
            if stat.S_ISDIR(mode):
                continue
            if not stat.S_ISREG(mode):
                return f"{shown_path} is not a regular file (a device, fifo or socket): only regular files are accepted"
            size = os.lstat(path).st_size
            if size > file_limit:
                return f"{shown_path} is larger than {file_limit // (1024 * 1024)} MB"
            total += size
            if total > total_limit:
                return f"the submission is larger than {total_limit // (1024 * 1024)} MB in all"
    return None
