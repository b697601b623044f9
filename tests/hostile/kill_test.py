"""SIGKILL test: a batch of the hostile corpus plus hundreds of good files, killed with SIGKILL at random
points, never leaves a partial output (each output is absent or whole), and the rerun after the kills gives
byte-identical output.

    python -m tests.hostile.kill_test --kills 20 --good 1000      # the full test (issue 10)
    (tests/test_hostile.py runs it with 5 kills and a few hundred good files in `make test`)

Outputs are written by `report.outputs.atomic_write` (temp file `.NAME.*.part` + fsync + os.replace); a
`.part` file left by a kill is litter, not an output, and is reported separately.
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

ROOT = Path(__file__).resolve().parents[2]
OUTPUTS = (("json", "report.json"), ("xlsx", "findings.xlsx"), ("junit", "junit.xml"))


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


def run(inputs: list[Path], outdir: Path, kill_after: float | None = None) -> tuple[int | None, float]:
    outdir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t0 = time.monotonic()
    proc = subprocess.Popen(command(inputs, outdir), cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    if kill_after is None:
        return proc.wait(), time.monotonic() - t0
    try:
        rc = proc.wait(timeout=kill_after)
        return rc, time.monotonic() - t0            # finished before the kill
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return None, time.monotonic() - t0


def kill_test(inputs: list[Path], work: Path, kills: int, seed: int = 0, rerun_each: bool = True) -> dict:
    """Reference run, then `kills` runs each in a fresh folder killed at a random point (half of them in the
    last tenth of the run, where the outputs are written); after each kill (or only the last one, with
    rerun_each=False) a rerun in the killed run's folder must give the reference bytes."""
    rng = random.Random(seed)
    rc, took = run(inputs, work / "reference")
    assert rc == 0, f"reference run failed: exit {rc}"
    print(f"reference run: {took:.1f} s, {len(inputs)} inputs", file=sys.stderr, flush=True)
    ref = {name: (work / "reference" / name).read_bytes() for _, name in OUTPUTS}
    results = []
    for k in range(kills):
        at = rng.uniform(0.05, 1.0) * took if k % 2 == 0 else rng.uniform(0.85, 1.05) * took
        outdir = work / f"kill-{k:02d}"
        rc, _ = run(inputs, outdir, at)
        state = {}
        for _, name in OUTPUTS:
            p = outdir / name
            if not p.exists():
                state[name] = "absent"
            elif p.read_bytes() == ref[name]:
                state[name] = "whole"
            else:
                state[name] = "PARTIAL"
        parts = sorted(x.name for x in outdir.iterdir() if x.name.endswith(".part"))
        results.append({"kill_at_s": round(at, 2), "killed": rc is None, "outputs": state, "part_files": parts})
        print(f"kill {k}: {json.dumps(results[-1], ensure_ascii=False)}", file=sys.stderr, flush=True)
        if not rerun_each and k < kills - 1:
            continue
        rc2, _ = run(inputs, outdir)                   # the rerun after the kill
        assert rc2 == 0, f"rerun failed: exit {rc2}"
        for _, name in OUTPUTS:
            assert (outdir / name).read_bytes() == ref[name], f"kill {k}: rerun output {name} differs"
        print(f"kill {k}: rerun byte-identical", file=sys.stderr, flush=True)
    return {"reference_seconds": round(took, 1), "kills": results,
            "partial": sum(v == "PARTIAL" for r in results for v in r["outputs"].values())}


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
    result = kill_test(inputs, work / "runs", args.kills, args.seed)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 1 if result["partial"] else 0


if __name__ == "__main__":
    sys.exit(main())
