"""SIGKILL test: a batch of the hostile corpus plus hundreds of good files, killed with SIGKILL at random
points, never leaves a partial output (each output is absent or whole), and the rerun after the kills gives
byte-identical output and leaves no temporary file behind.

    python -m tests.hostile.kill_test --kills 20 --good 1000      # the full test (issue 10)
    (tests/test_hostile.py runs it with 5 kills and a few hundred good files in `make test`)

Every run is killed at a point of its own progress, watched from outside with inotify (`watch.Watch`; no
hook in the program): the input files it has opened so far, and its output folder (the `.part` temporary
files created and growing, each output renamed into place). The kill points are spread over the run's
stages (`STAGES`, in run order): early / mid / late reading, the check after the last file was read, the
streaming of report.json's entries, between report.json and findings.xlsx (the xlsx being rendered),
writing findings.xlsx's temporary file, between findings.xlsx and junit.xml, writing junit.xml's temporary
file. A target that the run passes before the watcher sees it is replaced by the next thing the run does
(never by its end); a run that finishes before it is killed is a failure of the harness (`not_killed`).

Outputs are written through `report.tempfiles.open_temp` (temp file `.NAME.<pid>-XXXXXXXX.part`, locked
while written, fsync, os.replace): a `.part` left by a kill is litter, not an output; it is reported, and the
next run into the same output removes it (checked after each rerun: no `.part` is left).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from .watch import Watch

ROOT = Path(__file__).resolve().parents[2]
OUTPUTS = (("json", "report.json"), ("xlsx", "findings.xlsx"), ("junit", "junit.xml"))
#: what a run does, in order, as the watcher sees it: every input opened, the first bytes of report.json's
#: temporary file, report.json renamed into place, findings.xlsx's temporary file created, … junit.xml in place
MILESTONES = ("read", "json-bytes", "report.json", "xlsx-part", "findings.xlsx", "junit-part", "junit.xml")
#: the kill points, in run order: (name, kind, parameter)
#:   opens  (lo, hi): when the run has opened a fraction in [lo, hi) of the input files the reference opened
#:   bytes  (lo, hi): when report.json's temporary file holds that fraction of the reference report.json
#:   after  M: at a random fraction (0.1–0.9) of the reference run's time from milestone M to the next one
#:   at     M: the moment milestone M is seen (a temporary output file just created: during its write)
STAGES = (("read-early", "opens", (0.02, 0.33)), ("read-mid", "opens", (0.33, 0.67)),
          ("read-late", "opens", (0.67, 1.0)), ("check", "after", "read"), ("stream-json", "bytes", (0.0, 1.0)),
          ("after-json", "after", "report.json"), ("xlsx-write", "at", "xlsx-part"),
          ("after-xlsx", "after", "findings.xlsx"), ("junit-write", "at", "junit-part"))


def good_files(directory: Path, n: int) -> list[Path]:
    """n small good inputs: JSON submissions (and one workbook in ten), each a little different."""
    directory.mkdir(parents=True, exist_ok=True)
    base = json.loads((ROOT / "datasets/examples/dept-overall-105-clean.json").read_text(encoding="utf-8"))
    xlsx = (ROOT / "datasets/examples/project-mof-100-clean.xlsx").read_bytes()
    out = []
    for i in range(n):
        if i % 10 == 9:
            p = directory / f"good-{i:04d}.xlsx"
            p.write_bytes(xlsx)
        else:
            d = dict(base, id=f"good-{i:04d}", unit=f"{base['unit']}{i}")
            p = directory / f"good-{i:04d}.json"
            p.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
        out.append(p)
    return out


def command(inputs: list[Path], outdir: Path) -> list[str]:
    cmd = [sys.executable, "-m", "budget_audit.cli", "check", *map(str, inputs), "--fail-on", "never"]
    for fmt, name in OUTPUTS:
        cmd += ["--format", fmt, "-o", str(outdir / name)]
    return cmd


def _milestone(kind: str, name: str) -> str | None:
    for fmt, out in OUTPUTS:
        if kind == "create" and name.startswith(f".{out}.") and name.endswith(".part"):
            return {"json": "json-temp", "xlsx": "xlsx-part", "junit": "junit-part"}[fmt]
        if kind == "moved" and name == out:
            return out
    return None


def _group_alive(pgid: int) -> list[int]:
    """The live (not zombie) processes of process group `pgid`."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            stat = Path(f"/proc/{d}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if int(fields[2]) == pgid and fields[0] not in "ZX":
            out.append(int(d))
    return out


def run(inputs: list[Path], outdir: Path, watch_dirs: list[Path], target: tuple | None = None,
        ref_opens: int = 0) -> dict:
    """One run of `check` into `outdir`, watched; killed with SIGKILL when `target` is reached (None: not
    killed). target: ("opens", n) | ("bytes", size) | ("after", milestone, seconds) | ("at", milestone).
    Returns rc (None: killed), seconds, the milestones' times, files opened, report.json temp bytes, and
    what had been seen when the kill was sent."""
    outdir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    opened: set[tuple[Path, str]] = set()
    seen: dict[str, float] = {}
    json_bytes = 0
    json_temp: str | None = None
    last_open = 0.0
    with Watch(watch_dirs, outdir) as w:
        t0 = time.monotonic()
        proc = subprocess.Popen(command(inputs, outdir), cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        at_kill = None

        def reached() -> bool:
            if target is None:
                return False
            kind = target[0]
            mark = {"opens": "read", "bytes": "json-bytes"}.get(kind, target[1])
            later = MILESTONES[MILESTONES.index(mark) + (0 if kind in ("opens", "at") else 1):]
            if any(m in seen for m in later):          # the run is past the target: kill it now
                return True
            if kind == "opens":
                return len(opened) >= target[1]
            if kind == "bytes":
                return json_bytes >= target[1]
            if kind == "after":
                return mark in seen and time.monotonic() - t0 >= seen[mark] + target[2]
            return False

        while True:
            for kind, folder, name in w.events(0.005 if target and target[0] == "after" else 0.05):
                now = time.monotonic() - t0
                if kind == "open":
                    if (folder, name) not in opened:
                        last_open = now
                    opened.add((folder, name))
                    if ref_opens and len(opened) >= ref_opens:
                        seen.setdefault("read", now)
                    continue
                m = _milestone(kind, name)
                if m == "json-temp":
                    json_temp = name
                elif m:
                    seen.setdefault(m, now)
                if kind == "modify" and name == json_temp:
                    try:
                        json_bytes = max(json_bytes, os.stat(outdir / name).st_size)
                    except FileNotFoundError:
                        pass
                    if json_bytes:
                        seen.setdefault("json-bytes", now)
                if reached():
                    break
            if reached():
                at_kill = {"seconds": round(time.monotonic() - t0, 2), "files_opened": len(opened),
                           "json_temp_bytes": json_bytes, "last_seen": max(seen, key=seen.get) if seen else None}
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                break
            if proc.poll() is not None:
                break
        rc = proc.wait()
        took = time.monotonic() - t0
    lingering = []
    for _ in range(100):                      # the workers die with their parent (PR_SET_PDEATHSIG)
        lingering = _group_alive(proc.pid)
        if not lingering:
            break
        time.sleep(0.1)
    for pid in lingering:                     # (a failure, reported) do not let them spoil the next run
        os.kill(pid, signal.SIGKILL)
    if not ref_opens and opened:               # the reference run: its last input file was opened then
        seen["read"] = last_open
    return {"rc": None if at_kill else rc, "killed": at_kill is not None, "seconds": took, "seen": seen,
            "files_opened": len(opened), "at_kill": at_kill, "lingering_workers": len(lingering)}


def _state(outdir: Path, ref: dict[str, bytes]) -> tuple[dict[str, str], list[str]]:
    state = {}
    for _, name in OUTPUTS:
        p = outdir / name
        if not p.exists():
            state[name] = "absent"
        elif p.read_bytes() == ref[name]:
            state[name] = "whole"
        else:
            state[name] = "PARTIAL"
    return state, sorted(x.name for x in outdir.iterdir() if x.name.endswith(".part"))


def plan(kills: int, rng: random.Random, ref: dict) -> list[tuple[str, tuple]]:
    """The kill targets: the stages spread over the run (every stage in turn when kills ≥ len(STAGES); else
    evenly spaced from the first to the last), each with a random point inside it."""
    if kills >= len(STAGES):
        names = [STAGES[k % len(STAGES)] for k in range(kills)]
    else:
        names = [STAGES[round(k * (len(STAGES) - 1) / max(1, kills - 1))] for k in range(kills)]
    seen = ref["seen"]
    out = []
    for name, kind, arg in names:
        if kind == "opens":
            target = ("opens", max(1, int(rng.uniform(*arg) * ref["files_opened"])))
        elif kind == "bytes":
            target = ("bytes", max(1, int(rng.uniform(*arg) * ref["json_size"])))
        elif kind == "after":
            nxt = MILESTONES[MILESTONES.index(arg) + 1]
            gap = max(0.0, seen.get(nxt, seen[arg]) - seen[arg])
            target = ("after", arg, round(rng.uniform(0.1, 0.9) * gap, 3))
        else:
            target = ("at", arg)
        out.append((name, target))
    return out


def kill_test(inputs: list[Path], work: Path, kills: int, seed: int = 0, rerun_each: bool = True,
              watch_dirs: list[Path] | None = None) -> dict:
    """Reference run (watched: its milestones' times, the files it opens), then `kills` runs each in a fresh
    folder killed at a target of `plan`; after each kill (or only the last one, with rerun_each=False) a
    rerun in the killed run's folder must give the reference bytes and remove the killed run's `.part`
    files. Failures counted in the result: partial outputs, runs not killed, workers outliving their killed
    parent, `.part` files left after a rerun."""
    rng = random.Random(seed)
    watch_dirs = sorted({p.parent for p in inputs}) if watch_dirs is None else watch_dirs
    ref = run(inputs, work / "reference", watch_dirs)
    assert ref["rc"] == 0, f"reference run failed: exit {ref['rc']}"
    refb = {name: (work / "reference" / name).read_bytes() for _, name in OUTPUTS}
    ref["json_size"] = len(refb["report.json"])
    missing = [m for m in MILESTONES if m not in ref["seen"]]
    assert not missing, f"the reference run's milestones not seen: {missing}"
    print(f"reference run: {ref['seconds']:.1f} s, {len(inputs)} inputs, {ref['files_opened']} files opened, "
          f"milestones {json.dumps({k: round(v, 2) for k, v in ref['seen'].items()})}", file=sys.stderr, flush=True)
    results = []
    for k, (stage, target) in enumerate(plan(kills, rng, ref)):
        outdir = work / f"kill-{k:02d}"
        got = run(inputs, outdir, watch_dirs, target, ref_opens=ref["files_opened"])
        state, parts = _state(outdir, refb)
        results.append({"stage": stage, "target": list(target), "killed": got["killed"], "at": got["at_kill"],
                        "outputs": state, "part_files": parts, "lingering_workers": got["lingering_workers"]})
        print(f"kill {k}: {json.dumps(results[-1], ensure_ascii=False)}", file=sys.stderr, flush=True)
        if not rerun_each and k < kills - 1:
            continue
        again = run(inputs, outdir, watch_dirs)                   # the rerun after the kill
        assert again["rc"] == 0, f"rerun failed: exit {again['rc']}"
        for _, name in OUTPUTS:
            assert (outdir / name).read_bytes() == refb[name], f"kill {k}: rerun output {name} differs"
        left = sorted(x.name for x in outdir.iterdir() if x.name.endswith(".part"))
        results[-1]["rerun"] = {"byte_identical": True, "part_files_left": left}
        print(f"kill {k}: rerun byte-identical, .part left: {left}", file=sys.stderr, flush=True)
    return {"reference_seconds": round(ref["seconds"], 1), "reference_milestones": {k: round(v, 2) for k, v in
                                                                                   ref["seen"].items()},
            "kills": results,
            "partial": sum(v == "PARTIAL" for r in results for v in r["outputs"].values()),
            "not_killed": sum(not r["killed"] for r in results),
            "lingering_workers": sum(r["lingering_workers"] for r in results),
            "part_files_after_rerun": sum(len(r["rerun"]["part_files_left"]) for r in results if "rerun" in r)}


def failed(result: dict) -> bool:
    return bool(result["partial"] or result["not_killed"] or result["lingering_workers"]
                or result["part_files_after_rerun"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--good", type=int, default=1000)
    ap.add_argument("--work", default="kill-test")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from tests.hostile.corpus import build

    work = Path(args.work)
    corpus = [c.path for c in build(work / "corpus") if c.batch]
    inputs = corpus + good_files(work / "good", args.good)
    result = kill_test(inputs, work / "runs", args.kills, args.seed,
                       watch_dirs=[work / "corpus", work / "good"])
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 1 if failed(result) else 0


if __name__ == "__main__":
    sys.exit(main())
