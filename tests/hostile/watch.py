"""Watch a `check` run from outside (Linux inotify through ctypes, no hook in the program): which input files
it has opened so far, and what happens in its output folder (temporary `.part` files created and growing,
outputs renamed into place). The kill test uses it to kill each run at a point of that run's own progress.

    with Watch(input_dirs, outdir) as w:
        while ...:
            for ev in w.events(timeout):      # ("open", name) | ("create", name) | ("modify", name) | ("moved", name)
                ...
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import select
import struct
from collections.abc import Iterable, Iterator
from pathlib import Path

IN_MODIFY = 0x002
IN_OPEN = 0x020
IN_MOVED_TO = 0x080
IN_CREATE = 0x100
IN_Q_OVERFLOW = 0x4000
IN_ISDIR = 0x40000000
IN_NONBLOCK = os.O_NONBLOCK
IN_CLOEXEC = 0o2000000
_EVENT = struct.Struct("iIII")


class WatchError(RuntimeError):
    pass


class Watch:
    def __init__(self, input_dirs: Iterable[Path], outdir: Path) -> None:
        self.libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        self.fd = self.libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        if self.fd < 0:
            raise WatchError(f"inotify_init1: {os.strerror(ctypes.get_errno())}")
        self.wd: dict[int, Path] = {}
        self.outdir = Path(outdir)
        self._add(self.outdir, IN_CREATE | IN_MODIFY | IN_MOVED_TO)
        for top in input_dirs:
            for d, subdirs, _ in os.walk(top):      # inotify is not recursive: every folder of the inputs
                self._add(Path(d), IN_OPEN, required=Path(d) == Path(top))
        self.buf = b""

    def _add(self, d: Path, mask: int, required: bool = True) -> None:
        wd = self.libc.inotify_add_watch(self.fd, os.fsencode(d), mask)
        if wd < 0:
            if required:
                raise WatchError(f"inotify_add_watch {d}: {os.strerror(ctypes.get_errno())}")
            return                     # an unreadable folder of the corpus: its files are not counted
        self.wd[wd] = d

    def events(self, timeout: float) -> Iterator[tuple[str, Path, str]]:
        """The events that arrive within `timeout` seconds (all that are queued, then returns):
        (kind, folder, name) with kind "open" (an input file), "create", "modify", "moved" (the output folder)."""
        ready, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        if not ready:
            return
        while True:
            try:
                chunk = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                break
            if not chunk:
                break
            self.buf += chunk
        data, self.buf = self.buf, b""
        i = 0
        while i + _EVENT.size <= len(data):
            wd, mask, _cookie, n = _EVENT.unpack_from(data, i)
            name = data[i + _EVENT.size:i + _EVENT.size + n].rstrip(b"\0")
            i += _EVENT.size + n
            if mask & IN_Q_OVERFLOW:
                raise WatchError("inotify queue overflow: events were lost")
            if mask & IN_ISDIR or wd not in self.wd:
                continue
            kind = ("moved" if mask & IN_MOVED_TO else "create" if mask & IN_CREATE else
                    "modify" if mask & IN_MODIFY else "open" if mask & IN_OPEN else None)
            if kind:
                yield kind, self.wd[wd], os.fsdecode(name)

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def __enter__(self) -> Watch:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
