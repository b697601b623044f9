"""Resource limits for hostile inputs, checked *before* the work they bound.

Every limit has a documented default and can be changed by the auditor (never by a submission):
`budget-audit check --limit NAME=VALUE` (repeatable) or the environment variable
`BUDGET_AUDIT_LIMITS="NAME=VALUE,NAME=VALUE"`. A file that exceeds a limit becomes one STR007
finding that names the limit and the figure (zh + en); the rest of the batch is unaffected.

`time_budget` is the hook a process-pool worker uses: `file_budget(seconds)` is a
`signal.setitimer` context manager that raises `BudgetExceeded` when a file takes too long. It only
works in the main thread of a process (a pool worker's main thread is fine); elsewhere it is a no-op
and the size/row/cell guards below are what keeps a file from hanging.

A Python-level signal handler cannot interrupt C code that holds the interpreter (a regex backtracking
inside `re`, a library's C loop). In a pool worker (`HARD_EXIT`, set by `budget_audit.batch`) the budget
therefore also arms `faulthandler`'s C watchdog: a block still running `hard_grace(seconds)` after its
budget ends the worker process, and the parent re-runs that worker's chunk file by file (`batch._rescue`),
so the file becomes a finding instead of a hang.
"""

from __future__ import annotations

import contextlib
import dataclasses
import faulthandler
import os
import signal
import threading
from dataclasses import dataclass, fields
from typing import Iterator

ENV = "BUDGET_AUDIT_LIMITS"


@dataclass(frozen=True)
class Limits:
    file_bytes: int = 200 * 1024 * 1024          # any input file
    zip_member_bytes: int = 256 * 1024 * 1024    # one decompressed member of an xlsx/ods/docx
    zip_total_bytes: int = 512 * 1024 * 1024     # all decompressed members together
    zip_ratio: float = 200.0                     # decompressed / compressed, per member (over 1 MB)
    zip_members: int = 10_000                    # members in one package
    sheet_rows: int = 200_000                    # rows of one sheet (claimed or actual)
    sheet_cells: int = 5_000_000                 # rows × columns of one sheet (claimed or actual)
    json_depth: int = 64                         # nesting of arrays/objects
    json_elements: int = 10_000_000              # values in one JSON document
    yaml_aliases: int = 100                      # aliases (*ref) in a meta.yaml / profile
    yaml_nodes: int = 100_000                    # values a YAML document expands to through its aliases
    time_budget: float = 120.0                   # seconds per file (see `file_budget`); 0 = off

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


class LimitError(ValueError):
    """A --limit / BUDGET_AUDIT_LIMITS setting is not NAME=NUMBER for a known NAME."""


def parse_settings(items: list[str] | None, base: Limits | None = None) -> Limits:
    base = base or Limits()
    changes: dict[str, float | int] = {}
    types = {f.name: f.type for f in fields(Limits)}
    for item in items or []:
        for part in str(item).split(","):
            part = part.strip()
            if not part:
                continue
            name, sep, value = part.partition("=")
            name = name.strip()
            if not sep or name not in types:
                raise LimitError(f"未知的限制 / unknown limit {part!r}; known: {', '.join(Limits.names())}")
            try:
                num = float(value) if types[name] in ("float", float) else int(value)
            except ValueError:
                raise LimitError(f"限制的值必须是数字 / limit {name} needs a number, got {value!r}") from None
            if not num == num or num < 0 or num == float("inf"):
                raise LimitError(f"限制的值必须是有限的非负数 / limit {name} must be a finite number >= 0")
            changes[name] = num
    return dataclasses.replace(base, **changes)


_current: Limits | None = None


def current() -> Limits:
    """The limits in force: set by `configure`, else the environment, else the defaults."""
    global _current
    if _current is None:
        env = os.environ.get(ENV)
        _current = parse_settings([env]) if env else Limits()
    return _current


def configure(limits: Limits | None) -> None:
    global _current
    _current = limits


class LimitExceeded(Exception):
    """A file exceeds a limit: carries the zh/en reason for its STR007 finding."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


class BudgetExceeded(BaseException):
    """The per-file time budget ran out. A BaseException, so that a reader's `except Exception`
    cannot swallow it; `read_inputs` turns it into the file's STR007."""

    def __init__(self, seconds: float) -> None:
        self.zh = f"处理超时（超过 {seconds:g} 秒的单文件时间限制 time_budget）"
        self.en = f"took longer than the per-file time budget (time_budget = {seconds:g} s)"
        super().__init__(self.en)


#: set in pool workers (`budget_audit.batch`): an over-budget block that a signal cannot interrupt ends the process
HARD_EXIT = False


def hard_grace(seconds: float) -> float:
    """Seconds after the budget before the hard watchdog ends a worker: the signal gets its chance first."""
    return seconds + max(2.0, seconds / 4)


@contextlib.contextmanager
def file_budget(seconds: float | None = None) -> Iterator[None]:
    """Raise `BudgetExceeded` inside the block after `seconds` (default: the configured time_budget).

    Uses SIGALRM/ITIMER_REAL, so it works only in the main thread; nested use keeps the outer timer."""
    secs = current().time_budget if seconds is None else seconds
    if (not secs or threading.current_thread() is not threading.main_thread()
            or not hasattr(signal, "setitimer") or signal.getitimer(signal.ITIMER_REAL)[0] > 0):
        yield
        return

    def _alarm(signum, frame):  # noqa: ARG001
        raise BudgetExceeded(secs)

    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, secs)
    if HARD_EXIT:
        faulthandler.dump_traceback_later(hard_grace(secs), exit=True, file=_devnull())
    try:
        yield
    finally:
        if HARD_EXIT:
            faulthandler.cancel_dump_traceback_later()
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


_null = None


def _devnull():
    """Where the watchdog's traceback goes (the user sees the file's finding, not a C-level dump)."""
    global _null
    if _null is None:
        _null = open(os.devnull, "w")
    return _null
