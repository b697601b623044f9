#!/usr/bin/env python
"""The per-file and per-entry costs around the check: the package guard, the folder walk, the JSON text of
the report entries, and the parent process of a parallel `check`.

    python benchmarks/io_parts.py DIR [--n 300] [--rounds 3] [--baseline REV]
    python benchmarks/io_parts.py --parent BIGDIR [--jobs 2] [--baseline REV]

First form, in one process, CPU ms (`time.process_time`, best of `--rounds`) over the first `--n` workbooks
of DIR (a folder of .xlsx, or a `run.py --scale --keep` folder: its xlsx-distinct):
- guard: `readers.package_guard.check_zip` per workbook (the zip directory, each sheet's bound);
- walk: `readers.expand([DIR])` per file listed;
- entry JSON: the JSON report's text of one entry (`report.stream.JsonSink` encodes every entry so, in
  the parent, after the last chunk), over the entries of a `check_raws` of the workbooks.

Second form: `check BIGDIR --jobs N --format json -o …` run in this process (its workers forked from it), and
the parent's own CPU split at the pool's first and last chunk: head (imports, the walk, forking), run
(receiving and spooling the chunks while the workers work), tail (after the last chunk: the run-wide XSB
findings, merging, JSON text, writing — serial, with the workers idle), and the workers' CPU.

With `--baseline REV` the tree of git revision REV (a temporary worktree) is measured in a subprocess in
the same rounds, alternating with this tree, so both see the same load.
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

PARTS = r"""
import glob, json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
d, n = sys.argv[2], int(sys.argv[3])
files = sorted(glob.glob(d + "/*.xlsx"))[:n]
from budget_audit.readers import expand, read_inputs
from budget_audit.readers.package_guard import check_zip
from budget_audit.pipeline import check_raws
from budget_audit.report.stream import _nested, submission_entries
entries = submission_entries(check_raws(read_inputs(files)))
paths = [Path(p) for p in files]
listed = len(expand([d]))

def guard():
    for p in paths:
        check_zip(p)

def walk():
    expand([d])

def entry_json():
    for e in entries:
        _nested(e, 2)

out = {}
for name, fn, per in (("guard", guard, len(paths)), ("walk", walk, listed), ("entry_json", entry_json, len(entries))):
    t0 = time.process_time()
    fn()
    out[name] = (time.process_time() - t0) / per * 1000
print(json.dumps(out))
"""

PARENT = r"""
import json, os, resource, sys, time
sys.path.insert(0, sys.argv[1])
src, jobs, out = sys.argv[2], sys.argv[3], sys.argv[4]
from budget_audit import batch, cli
marks = {}
run_chunks = batch.run_chunks

def timed(*a, **k):
    marks["start"] = time.process_time()
    yield from run_chunks(*a, **k)
    marks["last"] = time.process_time()

batch.run_chunks = timed
c0, w0 = time.process_time(), time.perf_counter()
cli.main(["check", src, "--jobs", jobs, "--format", "json", "-o", out, "--quiet", "--fail-on", "never"])
c1, w1 = time.process_time(), time.perf_counter()
ch = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"head": marks["start"] - c0, "run": marks["last"] - marks["start"], "tail": c1 - marks["last"],
                  "parent": c1 - c0, "workers": ch.ru_utime + ch.ru_stime, "wall": w1 - w0,
                  "load": os.getloadavg()[0]}))
"""


def _probe(code: str, tree: Path, *args: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", code, str(tree), *args], capture_output=True, text=True, check=True,
                         cwd=tree)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir", nargs="?", help="a folder of workbooks, or a --keep folder of run.py --scale")
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--baseline", metavar="REV")
    ap.add_argument("--parent", metavar="BIGDIR", help="time the parent process of `check BIGDIR --jobs N`")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    trees = {"this tree": ROOT}
    with tempfile.TemporaryDirectory() as tmp:
        if args.baseline:
            wt = Path(tmp) / "base"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(wt), args.baseline], check=True,
                           capture_output=True)
            trees[args.baseline] = wt
        try:
            if args.parent:
                for k, tree in trees.items():
                    r = _probe(PARENT, tree, args.parent, str(args.jobs), os.path.join(tmp, "report.json"))
                    print(f"{k:<16} parent CPU {r['parent']:.2f} s (head {r['head']:.2f}, run {r['run']:.2f}, tail "
                          f"{r['tail']:.2f}); workers {r['workers']:.1f} s; wall {r['wall']:.1f} s; load {r['load']:.2f}")
                return 0
            d = Path(args.dir)
            if (d / "xlsx-distinct").is_dir():
                d = d / "xlsx-distinct"
            best: dict[str, dict[str, float]] = {k: {} for k in trees}
            for _ in range(args.rounds):
                for k, tree in trees.items():
                    for part, ms in _probe(PARTS, tree, str(d), str(args.n)).items():
                        best[k][part] = min(best[k].get(part, 1e9), ms)
        finally:
            if args.baseline:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(trees[args.baseline])],
                               capture_output=True)
    print(f"CPU ms ({args.n} workbooks of {d}, best of {args.rounds}, load {os.getloadavg()[0]:.2f}):")
    print(f"{'tree':<16} {'guard/wb':>9} {'walk/file':>10} {'entry JSON':>11}")
    for k, b in best.items():
        print(f"{k:<16} {b['guard']:>9.3f} {b['walk']:>10.4f} {b['entry_json']:>11.3f}")
    print(json.dumps(best))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
