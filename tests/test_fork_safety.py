"""No fork with a live thread (review of `batch._rescue`): when a pool worker dies, the chunk is re-run in
fresh forked processes and a new pool is forked, while `check`'s rich progress bar may be drawing from its
refresh thread. A fork while that thread holds a lock (stderr's buffer, rich's console lock, the redirected
sys.stderr proxy) hands the child that lock held forever: the child's first warning on stderr would hang it
(then the watchdog would call a good file's worker dead). `check_command` pauses the bar around those forks;
here every fork of such a run is watched (`os.register_at_fork`) for threads alive in the parent.

Also: the workers' file counter. Its lock, held by a worker killed inside `tick` (the OOM killer), must
stop neither the other workers nor the parent."""

from __future__ import annotations

import io
import json
import multiprocessing as mp
import os
import sys
import threading
from pathlib import Path

import pytest

from budget_audit import batch, limits
from tests.test_batch_isolation import _crash, _inputs, _patch_reader

_FORKS: list[list[str]] | None = None


def _before_fork() -> None:
    if _FORKS is not None:
        _FORKS.append(sorted(type(t).__name__ for t in threading.enumerate()
                             if t is not threading.main_thread() and t.is_alive()))


os.register_at_fork(before=_before_fork)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:           # rich draws the bar (and starts its refresh thread) on a terminal
        return True

    def fileno(self) -> int:
        raise io.UnsupportedOperation("fileno")


@pytest.mark.skipif("fork" not in mp.get_all_start_methods(), reason="the pool forks only where fork exists")
def test_no_thread_alive_when_a_rescue_forks(tmp_path, monkeypatch):
    global _FORKS
    _patch_reader(monkeypatch, _crash)
    inputs = _inputs(tmp_path, 12, {5: "killed"})
    term = _Terminal()
    monkeypatch.setattr(sys, "stderr", term)
    out = tmp_path / "r.json"
    paused = []
    real = batch._Progress.paused

    def watched(self):
        paused.append(self.bar is not None and self.bar.live.is_started)
        return real(self)
    monkeypatch.setattr(batch._Progress, "paused", watched)
    _FORKS = []
    try:
        code = batch.check_command(inputs, None, [("json", str(out))], jobs=2, chunk_size=3, fail_on="never")
        forks = _FORKS
    finally:
        _FORKS = None
    assert code == 0
    # each chunk whose future the dying worker broke is rescued (it may only have shared the pool with it)
    assert paused and all(paused), "a rescue ran with the bar not drawing, or there was no rescue"
    assert len(forks) >= 2 + 1 + 2, forks          # the first pool, the rescue's processes, the new pool
    assert all(threads == [] for threads in forks), forks
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [Path(s["source"]).stem for s in report["submissions"]] == [Path(p).stem for p in inputs]
    lost = [s for s in report["submissions"] if Path(s["source"]).stem == "killed"]
    assert lost[0]["status"] == "unreadable" and lost[0]["findings"][0]["rule"] == "STR007"
    assert all(s["status"] != "unreadable" for s in report["submissions"] if s is not lost[0])
    assert "检查" in term.getvalue()                # the bar was drawn


def _hold_and_die(counter) -> None:
    counter.get_lock().acquire()
    os._exit(0)


def test_counter_lock_held_by_a_dead_worker_stops_no_one(monkeypatch):
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    counter = ctx.Value("q", 0)
    p = ctx.Process(target=_hold_and_die, args=(counter,))
    p.start()
    p.join()
    assert not counter.get_lock().acquire(timeout=0.01)      # the dead worker's lock: held for good
    monkeypatch.setattr(batch, "_TICK", None)
    monkeypatch.setattr(limits, "HARD_EXIT", False)
    batch._init_worker(counter)                 # as a pool worker starts (no parent pid: no death signal)
    batch._TICK()                               # returns (the tick is lost), does not wait forever
    assert batch._files_counted(counter) == 0   # the parent reads the count without the lock
    counter.get_obj().value = 7
    assert batch._files_counted(counter) == 7
