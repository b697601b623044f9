"""The temporary sibling an output is written to before it is renamed over the output.

    fd, tmp = open_temp(path)      # `.NAME.<pid>-XXXXXXXX.part` beside path, created 0600, flock'ed

A run killed while writing (SIGKILL, power loss) leaves its temporary file behind: litter, never an output.
The next run that writes the same output removes such a stale file first (`clear_stale`), and only one it
can prove is stale: the name is ours (`.NAME.<pid>-XXXXXXXX.part`), the process `<pid>` does not exist on
this machine, and no one holds the file's lock (the kernel drops a flock when its holder dies, however it
dies; a live writer holds its lock for as long as it writes, also one on another machine sharing the folder
where the file system supports flock). Anything else is left alone.
"""

from __future__ import annotations

import fcntl
import os
import re
import stat
import tempfile
from pathlib import Path


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:                 # EPERM: it exists (another user's)
        return True
    except (OverflowError, ValueError):   # no pid of this machine (a stray name): not ours to judge, left alone
        return True
    return True


def _locked(fd: int) -> bool:
    """True when another open file description holds a lock on the file (flock); the probe lock is kept
    until `fd` is closed."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:                 # no flock on this file system: the pid alone decides
        return False
    return False


def clear_stale(path: Path | str) -> list[str]:
    """Remove the stale temporary files of output `path` (see the module doc); returns their names."""
    path = Path(path)
    where = path.parent if str(path.parent) else Path(".")
    prefix = f".{path.name}."
    rx = re.compile(re.escape(prefix) + r"([0-9]{1,10})-[a-z0-9_]{8}\.part\Z")
    removed: list[str] = []
    try:
        names = os.listdir(where)
    except OSError:
        return removed
    for name in names:
        m = rx.match(name) if name.startswith(prefix) else None
        if m is None or _alive(int(m.group(1))):
            continue
        p = where / name
        try:
            fd = os.open(p, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError:
            continue
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or _locked(fd):
                continue
            now = os.lstat(p)
            if (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
                continue                # replaced meanwhile: not the file we judged
            os.unlink(p)
            removed.append(name)
        except OSError:
            continue
        finally:
            os.close(fd)
    return removed


def not_a_file(path: Path | str) -> bool:
    """An output that exists and is no regular file or folder: a device (`-o /dev/null`), a FIFO, a terminal
    (`-o /dev/stdout`). It is written in place: a temporary file renamed over it would replace the device
    itself (as root, `/dev/null` became a plain file that other programs could no longer write to)."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    return not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode))


def open_temp(path: Path | str) -> tuple[int, str]:
    """Create the temporary sibling of output `path` (after removing stale ones): (fd, its path). The fd
    holds an exclusive flock until it is closed."""
    path = Path(path)
    where = path.parent if str(path.parent) else Path(".")
    clear_stale(path)
    fd, tmp = tempfile.mkstemp(dir=where, prefix=f".{path.name}.{os.getpid()}-", suffix=".part")
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:                 # no flock here: the pid in the name still marks it as a live writer's
        pass
    return fd, tmp
