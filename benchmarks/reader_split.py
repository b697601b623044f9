#!/usr/bin/env python
"""Where a workbook read's CPU goes: the package guard, the sheet handling after calamine, the rest.

    PYTHONPATH=TREE python benchmarks/reader_split.py DIR [--n 300] [--rounds 5] [--calls]

Runs `read_inputs` over the workbooks of DIR (memos cleared before each round, as after every chunk), with
`check_zip` (package guard) and `xlsx_reader.read_sheets` (our Python after calamine: header search, segments,
key/value sheets, the score-table walk) timed in place, so the caches see what a real read sees. Each figure
is the best of the rounds, in CPU ms per workbook (`time.process_time`). "rest" = read − guard − read_sheets:
calamine (open, `to_python`, merged ranges), sniffing, the emptiness test, the dispatch. `--calls` adds the
cProfile call count per workbook of the whole read (the same in every run, whatever the
load). Compare two trees by running it under each PYTHONPATH in turn, at the same load.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import glob
import os
import pstats
import time


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--calls", action="store_true")
    a = ap.parse_args()
    files = sorted(glob.glob(os.path.join(a.dir, "*.xlsx")))[: a.n]

    import budget_audit.readers as R
    import budget_audit.readers.package_guard as G
    import budget_audit.readers.xlsx_reader as X
    from budget_audit.batch import clear_memos

    acc: dict[str, float] = {}

    def timed(mod, name: str, key: str) -> None:
        f = getattr(mod, name)

        @functools.wraps(f)
        def w(*args, **kw):
            t = time.process_time()
            try:
                return f(*args, **kw)
            finally:
                acc[key] = acc.get(key, 0.0) + time.process_time() - t
        setattr(mod, name, w)

    timed(G, "check_zip", "guard")
    timed(X, "read_sheets", "read_sheets")
    R.read_inputs(files[:3])                # imports: not counted
    best: dict[str, float] = {}
    for _ in range(a.rounds):
        acc.clear()
        clear_memos()
        t = time.process_time()
        R.read_inputs(files)
        acc["read"] = time.process_time() - t
        acc["rest"] = acc["read"] - acc["guard"] - acc["read_sheets"]
        for k, v in acc.items():
            best[k] = min(best.get(k, float("inf")), v)
    print(f"CPU ms per workbook, {len(files)} workbooks, best of {a.rounds}, load {os.getloadavg()[0]:.1f}:")
    for k in ("read", "guard", "read_sheets", "rest"):
        print(f"  {k:12s} {best[k] / len(files) * 1000:6.2f}")
    if a.calls:
        clear_memos()
        pr = cProfile.Profile()
        pr.enable()
        R.read_inputs(files)
        pr.disable()
        st = pstats.Stats(pr)
        print(f"  Python calls per workbook (cProfile, whole read): {st.total_calls / len(files):.0f}")


if __name__ == "__main__":
    main()
