#!/usr/bin/env python
"""CPU time per workbook in one process: the calamine read floor, our reader, and read + normalize + check.

    python benchmarks/cpu_per_workbook.py DIR [--n 300] [--rounds 3] [--baseline REV]

DIR holds generated workbooks (`run.py --scale --keep DIR` writes them to DIR/xlsx-distinct). Process CPU
time (`time.process_time`), not wall time: a loaded, shared machine inflates it less. Each figure is the
best of `--rounds` rounds, and with `--baseline REV` the tree of git revision REV (a temporary worktree) is
measured in a subprocess in the same rounds, alternating with this tree, so both see the same load.
The memos are cleared before every pass (`batch.clear_memos`), as after every chunk of a batch.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = r"""
import glob, json, sys, time
sys.path.insert(0, sys.argv[1])
files = sorted(glob.glob(sys.argv[2] + "/*.xlsx"))[: int(sys.argv[3])]
from python_calamine import CalamineWorkbook
from budget_audit.readers import read_inputs
from budget_audit.pipeline import check_raws
from budget_audit.batch import clear_memos

def calamine():
    for p in files:
        wb = CalamineWorkbook.from_path(p)
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python()

def read():
    clear_memos()
    read_inputs(files)

def full():
    clear_memos()
    check_raws(read_inputs(files))

check_raws(read_inputs(files[:3]))          # imports, schemas: not counted
out = {}
for name, fn in (("calamine", calamine), ("read", read), ("read_check", full)):
    t0 = time.process_time()
    fn()
    out[name] = (time.process_time() - t0) / len(files) * 1000
print(json.dumps(out))
"""


def probe(tree: Path, d: Path, n: int) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", PROBE, str(tree), str(d), str(n)], capture_output=True, text=True,
                         check=True, cwd=tree)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir", help="a folder of workbooks, or a --keep folder of run.py --scale (its xlsx-distinct)")
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--baseline", metavar="REV")
    args = ap.parse_args(argv)
    d = Path(args.dir)
    if (d / "xlsx-distinct").is_dir():
        d = d / "xlsx-distinct"
    trees = {"this tree": ROOT}
    with tempfile.TemporaryDirectory() as tmp:
        if args.baseline:
            wt = Path(tmp) / "base"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(wt), args.baseline], check=True,
                           capture_output=True)
            trees[args.baseline] = wt
        try:
            best: dict[str, dict[str, float]] = {k: {} for k in trees}
            for _ in range(args.rounds):
                for k, tree in trees.items():
                    for stage, ms in probe(tree, d, args.n).items():
                        best[k][stage] = min(best[k].get(stage, 1e9), ms)
        finally:
            if args.baseline:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(trees[args.baseline])],
                               capture_output=True)
    print(f"CPU ms per workbook ({args.n} workbooks of {d}, best of {args.rounds}):")
    print(f"{'tree':<16} {'calamine':>9} {'read':>9} {'read+check':>11} {'read ÷ calamine':>16}")
    for k, b in best.items():
        print(f"{k:<16} {b['calamine']:>9.2f} {b['read']:>9.2f} {b['read_check']:>11.2f} {b['read'] / b['calamine']:>16.2f}")
    if args.baseline:
        a, z = best["this tree"], best[args.baseline]
        print(f"this tree ÷ {args.baseline}: read {a['read'] / z['read']:.2f}, read+check {a['read_check'] / z['read_check']:.2f}")
    print(json.dumps(best))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
