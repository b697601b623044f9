"""Failure isolation in the chunked, parallel batch (issue 10 after the batch merge).

- a worker process that dies (os._exit, SIGKILL as the OOM killer sends it) while reading one file: that file
  becomes an STR007 entry saying its worker died; every other input is checked, once, in order, with the
  entries a run without the culprit gives;
- a file whose reading cannot be interrupted by the signal budget (SIGALRM blocked, as C code holding the
  interpreter would) is ended by the hard watchdog and becomes the same finding;
- normalize/check over the time budget: the chunk is checked submission by submission and only the slow one
  becomes STR007; the others keep their entries.

The crashing readers are monkeypatched in this process before the pool forks, so the workers inherit them.
The comparisons select every rule but the cross-submission ones (`rules=`, as --ignore XSB would): a rescued
chunk is compared with a normal run of the same chunk, and XSB across chunks is tested in test_cross_chunks.py.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest

from budget_audit import batch, limits
from budget_audit.readers import json_reader

ROOT = Path(__file__).resolve().parents[1]
GOOD = ROOT / "datasets" / "examples" / "dept-overall-105-clean.json"


def _inputs(tmp_path: Path, n: int, bad: dict[int, str]) -> list[str]:
    base = json.loads(GOOD.read_text(encoding="utf-8"))
    out = []
    for i in range(n):
        name = bad.get(i, f"good-{i:02d}")
        doc = dict(base, id=name, unit=f"{base['unit']}{i}")
        if i % 3 == 1:
            doc["indicators"] = doc["indicators"][:-1]           # some findings, different per file
        p = tmp_path / f"{name}.json"
        p.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        out.append(str(p))
    return out


def _patch_reader(monkeypatch, behaviour) -> None:
    real = json_reader.read_json

    def read_json(path, source, sha):
        behaviour(Path(path).stem)
        return real(path, source, sha)

    monkeypatch.setattr(json_reader, "read_json", read_json)


def _crash(stem: str) -> None:
    if stem == "exits":
        os._exit(3)
    if stem == "killed":
        os.kill(os.getpid(), signal.SIGKILL)


def _hang(stem: str) -> None:
    if stem == "hangs":
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})   # no signal can stop it: only the watchdog
        while True:
            time.sleep(0.05)


def _rules() -> list[str]:
    from budget_audit.rules import CATALOGUE

    return [r.id for r in CATALOGUE if not r.id.startswith("XSB")]


def _run(inputs: list[str], **kw) -> list[dict]:
    return list(batch.run_batch(inputs, rules=_rules(), **kw))


def _same_except(entries: list[dict], reference: list[dict], culprits: set[str]) -> None:
    assert [e["source"] for e in entries] == [r["source"] for r in reference]
    for e, r in zip(entries, reference):
        if Path(e["source"]).stem in culprits:
            assert e["status"] == "unreadable"
            [f] = e["findings"]
            assert f["rule"] == "STR007" and "工作进程意外终止" in f["message"]["zh"], f
            assert "worker process" in f["message"]["en"]
        else:
            assert e == r, [f["message"]["zh"] for f in e["findings"] if f["rule"] == "STR007"]


def test_a_worker_that_dies_becomes_a_finding_for_its_file(tmp_path, monkeypatch):
    inputs = _inputs(tmp_path, 14, {4: "exits", 11: "killed"})
    reference = _run(inputs, jobs=1)           # in this process, before the reader is patched
    assert not any(e["status"] == "unreadable" for e in reference)
    _patch_reader(monkeypatch, _crash)
    got = _run(inputs, jobs=2, chunk_size=3)
    _same_except(got, reference, {"exits", "killed"})
    assert len(got) == len(inputs)


def test_rescue_splits_down_to_the_culprit(tmp_path, monkeypatch):
    """`_rescue` on a chunk with a dying file: the other files' entries as a normal run gives them."""
    inputs = _inputs(tmp_path, 5, {2: "exits"})
    reference = batch.run_chunk(inputs, rules=_rules())
    _patch_reader(monkeypatch, _crash)
    got = batch._rescue(inputs, rules=_rules())
    assert got.items == 5 and got.errors == [inputs[2]]
    assert got.base_ids == reference.base_ids
    _same_except(got.entries, reference.entries, {"exits"})


def test_an_uninterruptible_hang_is_ended_by_the_watchdog(tmp_path, monkeypatch):
    inputs = _inputs(tmp_path, 6, {3: "hangs"})
    reference = _run(inputs, jobs=1)
    _patch_reader(monkeypatch, _hang)
    limits.configure(limits.parse_settings(["time_budget=10"]))
    try:
        got = _run(inputs, jobs=2, chunk_size=2)
    finally:
        limits.configure(None)
    _same_except(got, reference, {"hangs"})


def test_check_stage_over_budget_checks_one_by_one(tmp_path, monkeypatch):
    """normalize/check of a chunk over time_budget: each submission alone within the budget; only the slow
    one becomes STR007 (in the normalize/check stage), the others keep their entries, in order."""
    from budget_audit.normalize.build import Builder

    inputs = _inputs(tmp_path, 5, {1: "slow"})
    reference = _run(inputs, jobs=1)
    real = Builder.add_submission

    def add_submission(self, raw, profile, reason):
        if raw.id == "slow" and raw.data is not None:       # its STR007 entry (no data) is normalized at once
            while True:
                time.sleep(0.05)
        return real(self, raw, profile, reason)

    monkeypatch.setattr(Builder, "add_submission", add_submission)
    limits.configure(limits.parse_settings(["time_budget=6"]))
    try:
        got = _run(inputs, jobs=1)
    finally:
        limits.configure(None)
    assert [e["source"] for e in got] == [r["source"] for r in reference]
    for e, r in zip(got, reference):
        if e["id"] == "slow":
            [f] = e["findings"]
            assert f["rule"] == "STR007" and "time_budget" in f["message"]["zh"] and "规则检查" in f["message"]["zh"]
            assert e["sha256"] == r["sha256"]
        else:
            assert e == r


@pytest.mark.parametrize("fmt,name", [("json", "r.json"), ("junit", "j.xml")])
def test_streamed_outputs_are_whole_after_a_worker_death(tmp_path, monkeypatch, fmt, name):
    """The command over a pool whose worker dies: exit by the findings, the output whole and complete."""
    from budget_audit.cli import main

    inputs = _inputs(tmp_path, 8, {5: "killed"})
    _patch_reader(monkeypatch, _crash)
    out = tmp_path / name
    rc = main(["check", *inputs, "--jobs", "2", "--chunk-size", "2", "--fail-on", "never", "--ignore", "XSB",
               "--format", fmt, "-o", str(out)])
    assert rc == 0
    text = out.read_text(encoding="utf-8")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
    if fmt == "json":
        subs = json.loads(text)["submissions"]
        assert [Path(s["source"]).stem for s in subs] == [Path(i).stem for i in inputs]
        assert subs[5]["status"] == "unreadable"
    else:
        import xml.etree.ElementTree as ET

        root = ET.fromstring(text)
        assert "killed" in text and len(root.findall(".//testcase")) >= len(inputs)


PARENT = """
import json, sys, time
from pathlib import Path
from budget_audit import batch
from budget_audit.readers import json_reader

def read_json(path, source, sha):
    print("worker", __import__("os").getpid(), flush=True)
    time.sleep(600)

json_reader.read_json = read_json
list(batch.run_batch(sys.argv[1:], jobs=2, chunk_size=1))
"""


def test_workers_die_with_a_killed_parent(tmp_path):
    """A `check` killed with SIGKILL leaves no pool worker behind (PR_SET_PDEATHSIG)."""
    import subprocess
    import sys

    inputs = _inputs(tmp_path, 4, {})
    proc = subprocess.Popen([sys.executable, "-c", PARENT, *inputs], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    pids: set[int] = set()
    for line in proc.stdout:              # a line per worker that started reading (other output ignored)
        if line.startswith("worker "):
            pids.add(int(line.split()[1]))
        if len(pids) == 2:
            break
    assert len(pids) == 2, "the pool did not start"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    for _ in range(100):
        alive = {p for p in pids if Path(f"/proc/{p}").exists() and "Z" not in _state(p)}
        if not alive:
            break
        time.sleep(0.1)
    assert not alive, f"workers {alive} outlived their parent"


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"
