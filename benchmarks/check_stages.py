#!/usr/bin/env python
"""CPU time per workbook of what follows the read: normalize, measure, check + findings, per chunk.

    python benchmarks/check_stages.py DIR [--n 300] [--copies 0] [--rounds 5] [--baseline REV]

The workbooks of DIR are read once (not timed); then the same batch goes through `build_tables`,
`measure_all` and `findings_for` (pandera) `--rounds` times, `batch.clear_memos()` before each, as
before every chunk of a batch. Round 1 is a process's first chunk; the best of the later rounds is a
later chunk (what a memo kept across chunks saves shows there). `--copies K` appends K copies of the
workbooks under new ids (a 10,000-of-300 batch's chunk of 500: `--copies 200`). Process CPU time
(`time.process_time`); with `--baseline REV` the tree of git revision REV (a temporary worktree) is
measured in a subprocess, alternating with this tree, so both see the same load. A small batch
(`--n 10`) shows the fixed cost of a chunk.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("normalize", "measure", "check", "total")

PROBE = r"""
import copy, glob, json, sys, time
sys.path.insert(0, sys.argv[1])
files = sorted(glob.glob(sys.argv[2] + "/*.xlsx"))[: int(sys.argv[3])]
copies, rounds = int(sys.argv[4]), int(sys.argv[5])
from budget_audit.readers import read_inputs
from budget_audit.pipeline import check_raws
from budget_audit.normalize import build_tables
from budget_audit.rules import measure_all
from budget_audit.findings import findings_for
from budget_audit.batch import clear_memos

check_raws(read_inputs(files[:1]))          # imports, schemas: not counted
raws = list(read_inputs(files))

def batch():
    out = copy.deepcopy(raws)
    extra = copy.deepcopy([raws[i % len(raws)] for i in range(copies)])
    for i, r in enumerate(extra):
        r.id = f"{r.id}~copy{i}"
    return out + extra

res = []
for _ in range(rounds):
    b = batch()
    clear_memos()
    t0 = time.process_time(); t = build_tables(b); t1 = time.process_time(); measure_all(t)
    t2 = time.process_time(); findings_for(t, t.profiles); t3 = time.process_time()
    res.append([(t1 - t0), (t2 - t1), (t3 - t2), (t3 - t0)])
print(json.dumps({"n": len(b), "rounds": res}))
"""


def probe(tree: Path, d: Path, n: int, copies: int, rounds: int) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, str(tree), str(d), str(n), str(copies), str(rounds)],
                         capture_output=True, text=True, check=True, cwd=tree)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir", help="a folder of workbooks, or a --keep folder of run.py --scale (its xlsx-distinct)")
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--copies", type=int, default=0)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=1, help="processes per tree (alternating), best taken")
    ap.add_argument("--baseline", metavar="REV")
    args = ap.parse_args(argv)
    d = Path(args.dir)
    if (d / "xlsx-distinct").is_dir():
        d = d / "xlsx-distinct"
    trees = {"this tree": ROOT}
    best: dict[str, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        if args.baseline:
            wt = Path(tmp) / "base"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(wt), args.baseline], check=True,
                           capture_output=True)
            trees[args.baseline] = wt
        try:
            for _ in range(args.repeat):
                for k, tree in trees.items():
                    p = probe(tree, d, args.n, args.copies, args.rounds)
                    n, rounds = p["n"], p["rounds"]
                    first = [x * 1000 / n for x in rounds[0]]
                    later = [min(r[i] for r in rounds[1:]) * 1000 / n for i in range(4)] if len(rounds) > 1 else first
                    cur = best.setdefault(k, {"first": first, "later": later})
                    cur["first"] = [min(a, b) for a, b in zip(cur["first"], first)]
                    cur["later"] = [min(a, b) for a, b in zip(cur["later"], later)]
        finally:
            if args.baseline:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(trees[args.baseline])],
                               capture_output=True)
    print(f"CPU ms per workbook after the read ({n} submissions of {d}; load {os.getloadavg()[0]:.1f}):")
    print(f"{'tree':<16} {'chunk':<6} " + " ".join(f"{s:>10}" for s in STAGES))
    for k, b in best.items():
        for which in ("first", "later"):
            print(f"{k:<16} {which:<6} " + " ".join(f"{x:>10.2f}" for x in b[which]))
    if args.baseline:
        a, z = best["this tree"], best[args.baseline]
        print(f"this tree ÷ {args.baseline} (total): first chunk {a['first'][3] / z['first'][3]:.2f}, "
              f"later chunk {a['later'][3] / z['later'][3]:.2f}")
    print(json.dumps(best))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
