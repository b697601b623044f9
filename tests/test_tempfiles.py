"""Temporary output files (`report.tempfiles`): a stale `.part` a killed run left beside an output is removed
by the next run that writes that output; one that may still be written (its process alive, or its lock held)
is never touched, nor is anything not named as ours."""

from __future__ import annotations

import fcntl
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

from budget_audit.report import tempfiles
from budget_audit.report.outputs import atomic_write
from budget_audit.report.stream import JsonSink

SEED_JSON = Path(__file__).resolve().parents[1] / "datasets" / "reference" / "nanjing-dianhua-2023.json"


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_temp_file_is_named_with_pid_and_locked(tmp_path):
    fd, tmp = tempfiles.open_temp(tmp_path / "r.json")
    try:
        name = os.path.basename(tmp)
        assert name.startswith(f".r.json.{os.getpid()}-") and name.endswith(".part")
        other = os.open(tmp, os.O_RDONLY)
        try:                                        # another open file description cannot lock it
            try:
                fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
                locked = False
            except BlockingIOError:
                locked = True
            assert locked
        finally:
            os.close(other)
    finally:
        os.close(fd)


def test_stale_part_of_a_dead_process_is_removed_by_the_next_write(tmp_path):
    dead = _dead_pid()
    stale = tmp_path / f".report.json.{dead}-abcd_123.part"
    stale.write_bytes(b'{"half')
    other_output = tmp_path / f".junit.xml.{dead}-abcd_123.part"     # another output's: not this write's
    other_output.write_bytes(b"<half")
    unrelated = tmp_path / ".report.json.notours.part"               # not our name pattern
    unrelated.write_bytes(b"x")
    atomic_write(tmp_path / "report.json", b"{}\n")
    assert (tmp_path / "report.json").read_bytes() == b"{}\n"
    assert not stale.exists()
    assert other_output.exists() and unrelated.exists()
    assert sorted(p.name for p in tmp_path.glob("*.part")) == sorted([other_output.name, unrelated.name])


def test_streamed_json_sink_removes_a_stale_part_too(tmp_path):
    stale = tmp_path / f".r.json.{_dead_pid()}-zzzzzzzz.part"
    stale.write_bytes(b"[")
    sink = JsonSink(str(tmp_path / "r.json"))
    assert not stale.exists()
    sink.abort()
    assert not list(tmp_path.glob("*.part"))


def test_part_of_a_live_process_or_held_lock_is_kept(tmp_path):
    live = tmp_path / f".r.json.{os.getppid()}-aaaaaaaa.part"         # the pid exists
    live.write_bytes(b"1")
    locked = tmp_path / f".r.json.{_dead_pid()}-bbbbbbbb.part"        # pid gone, but its lock is held
    locked.write_bytes(b"2")
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, os, sys, time\n"
        f"fd = os.open({str(locked)!r}, os.O_RDONLY); fcntl.flock(fd, fcntl.LOCK_EX)\n"
        "print('held', flush=True); time.sleep(60)\n")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert tempfiles.clear_stale(tmp_path / "r.json") == []
        assert live.exists() and locked.exists()
    finally:
        holder.kill()
        holder.wait()
    assert tempfiles.clear_stale(tmp_path / "r.json") == [locked.name]     # the holder died: now stale
    assert live.exists()


def test_a_symlink_or_folder_with_our_name_is_left_alone(tmp_path):
    dead = _dead_pid()
    target = tmp_path / "keep.txt"
    target.write_text("keep")
    link = tmp_path / f".r.json.{dead}-cccccccc.part"
    link.symlink_to(target)
    folder = tmp_path / f".r.json.{dead}-dddddddd.part"
    folder.mkdir()
    assert tempfiles.clear_stale(tmp_path / "r.json") == []
    assert link.is_symlink() and folder.is_dir() and target.read_text() == "keep"


def test_a_stray_name_with_no_real_pid_is_left_alone_and_does_not_stop_the_write(tmp_path):
    """A pid too large for the machine (`os.kill` raises OverflowError) is not a reason to fail every write."""
    out = tmp_path / "r.json"
    stray = tmp_path / ".r.json.99999999999999999999-abcdefgh.part"
    stray.write_text("x")
    big = tmp_path / ".r.json.9999999999-abcdefgh.part"          # fits the pattern, beyond any pid: left alone
    big.write_text("x")
    atomic_write(str(out), b"{}")
    assert out.read_bytes() == b"{}" and stray.exists() and big.exists()


def test_sinks_opened_before_one_that_fails_leave_no_part(tmp_path):
    from budget_audit.report.stream import open_sinks

    with __import__("pytest").raises(OSError):
        open_sinks([("json", str(tmp_path / "a.json")), ("json", str(tmp_path / "missing" / "b.json"))], "zh")
    assert not list(tmp_path.glob(".*.part"))


def _read_fifo(path, out: list) -> threading.Thread:
    def run() -> None:
        with open(path, "rb") as fh:
            out.append(fh.read())
    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


def test_a_fifo_output_is_written_in_place_by_both_writers(tmp_path):
    """`-o FIFO` (a pipe a CI step reads): the report goes into the pipe, which stays a pipe; a temporary file
    renamed over it would replace it (and `-o /dev/null` run as root replaced the device)."""
    from budget_audit.cli import main

    for fmt in ("json", "junit"):           # JSON through the streamed sink, JUnit through atomic_write
        fifo = tmp_path / f"out-{fmt}"
        os.mkfifo(fifo)
        got: list[bytes] = []
        reader = _read_fifo(fifo, got)
        assert main(["check", str(SEED_JSON), "--format", fmt, "-o", str(fifo)]) == 1
        reader.join(timeout=60)
        assert stat.S_ISFIFO(os.stat(fifo).st_mode), fmt
        assert got and (b'"WGT002"' in got[0] if fmt == "json" else b"WGT002" in got[0]), fmt
        assert not [p for p in os.listdir(tmp_path) if p.endswith(".part")]


def test_dev_null_stays_a_device(tmp_path):
    from budget_audit.cli import main

    assert tempfiles.not_a_file("/dev/null") and not tempfiles.not_a_file(tmp_path)
    assert not tempfiles.not_a_file(tmp_path / "missing.json")
    for fmt in ("json", "xlsx"):
        assert main(["check", str(SEED_JSON), "--format", fmt, "-o", "/dev/null"]) == 1
        assert stat.S_ISCHR(os.stat("/dev/null").st_mode), fmt
    atomic_write("/dev/null", b"x")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
