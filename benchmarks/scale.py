#!/usr/bin/env python
"""Batch at scale (issue 11): end to end `budget-audit check --jobs N` on generated batches, against
floors measured in the same run. Run through `benchmarks/run.py --scale` (or directly).

    python benchmarks/run.py --scale [--xlsx-n 10000] [--xlsx-distinct 300] [--json-sizes 10000,100000]
                                     [--jobs 2] [--gx-sample 10] [--keep DIR]

Rows printed (ratio = ours ÷ baseline):

- workbooks: `check DIR --jobs N --format json -o …` wall time (process start to exit) on `--xlsx-n`
  generated workbooks vs the calamine read floor: one process opening every workbook with
  python-calamine and reading every cell of every sheet (target ≤ 2×);
- parity: the JSON report of `--jobs N` equals `--jobs 1` on the first `--parity-n` workbooks, byte for byte;
- JSON submissions at each size of `--json-sizes`: wall time and the peak RSS of the whole run (parent
  + workers: the process tree's summed RSS sampled every 50 ms — psutil when installed, /proc
  otherwise — and `getrusage(RUSAGE_CHILDREN)`, the largest single process) (target ≤ 1 GB, flat);
- GX: one Great Expectations checkpoint per submission (`gx_cli.run_gx([file])`) on `--gx-sample`
  files, scaled to the batch, vs our end-to-end time on the same batch (target ≥ 50× faster).

Writing a workbook with openpyxl costs ~0.4 s, so `--xlsx-distinct` distinct workbooks are generated
and copied under new names up to `--xlsx-n` (every copy is read, normalized and checked like any
file; the parse memos see repeated values either way, as in a real batch of one template).
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as gen  # noqa: E402  (the generators of benchmarks/run.py)

TARGET_XLSX_RATIO = 2.0
TARGET_RSS_MB = 1024
TARGET_GX_SPEEDUP = 50


def iter_submissions(n: int, n_ind: int, seed: int, defect_rate: float = 0.10):
    """`run.generate`, one submission at a time (100k dicts are never held together)."""
    rng = random.Random(seed)
    kinds = list(gen.DEFECTS)
    for i in range(n):
        defect = rng.choice(kinds) if rng.random() < defect_rate else None
        yield gen.make_submission(rng, i, n_ind, defect)


def write_json_batch(d: Path, n: int, n_ind: int, seed: int) -> None:
    d.mkdir(parents=True, exist_ok=True)
    for s in iter_submissions(n, n_ind, seed):
        (d / f"{s['id']}.json").write_text(json.dumps(s, ensure_ascii=False, indent=1), encoding="utf-8")


def _write_workbooks(args: tuple[str, list[dict[str, Any]]]) -> int:
    from budget_audit.profiles import load_profile
    from budget_audit.writers.template import write_workbook

    d, subs = args
    profile = load_profile("dept-overall-105")
    for s in subs:
        write_workbook(Path(d) / f"{s['id']}.xlsx", profile, {k: v for k, v in s.items() if k != "_defect"})
    return len(subs)


def write_xlsx_batch(d: Path, n: int, distinct: int, n_ind: int, seed: int, jobs: int) -> float:
    """`distinct` generated workbooks, copied under new names up to n; returns the generation seconds."""
    d.mkdir(parents=True, exist_ok=True)
    src = d.parent / "xlsx-distinct"
    src.mkdir(exist_ok=True)
    subs = [s for s in iter_submissions(min(n, distinct), n_ind, seed)
            if not (src / f"{s['id']}.xlsx").exists()]          # --keep DIR: a rerun reuses what was written
    t0 = time.perf_counter()
    parts = [(str(src), subs[i::jobs]) for i in range(jobs) if subs[i::jobs]]
    with ProcessPoolExecutor(jobs) as pool:
        list(pool.map(_write_workbooks, parts))
    made = sorted(src.glob("*.xlsx"))[:distinct]
    for i in range(n):
        shutil.copyfile(made[i % len(made)], d / f"W{i:06d}.xlsx")
    return time.perf_counter() - t0


def calamine_floor(files: list[Path]) -> float:
    """Open every workbook with python-calamine and read every cell of every sheet, in this process."""
    from python_calamine import CalamineWorkbook

    t0 = time.perf_counter()
    for p in files:
        wb = CalamineWorkbook.from_path(str(p))
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python()
    return time.perf_counter() - t0


class TreeRss:
    """Peak summed RSS of a process and all its descendants, sampled every `every` seconds."""

    def __init__(self, pid: int, every: float = 0.05) -> None:
        self.pid, self.every, self.peak, self.peak_pss = pid, every, 0, 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _tree(self) -> int:
        try:
            import psutil
        except ImportError:
            return _proc_tree_rss(self.pid)
        try:
            p = psutil.Process(self.pid)
            return sum(x.memory_info().rss for x in [p, *p.children(recursive=True)])
        except psutil.Error:
            return 0

    def _run(self) -> None:
        n = 0
        while not self.stop.is_set():
            self.peak = max(self.peak, self._tree())
            if n % 10 == 0:               # PSS (shared pages counted once) is dearer to read: every 10th sample
                self.peak_pss = max(self.peak_pss, _proc_tree_rss(self.pid, pss=True))
            n += 1
            time.sleep(self.every)

    def done(self) -> float:
        self.stop.set()
        self.thread.join()
        return self.peak / 2**20


def _proc_tree_rss(root: int, pss: bool = False) -> int:
    """Summed RSS (or PSS: pages shared by the forked workers counted once) of `root` and its
    descendants from /proc (Linux), without psutil."""
    kids: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for e in os.listdir("/proc"):
        if not e.isdigit():
            continue
        try:
            with open(f"/proc/{e}/stat") as fh:
                stat = fh.read()
            ppid = int(stat[stat.rfind(")") + 2:].split()[1])
            with open(f"/proc/{e}/statm") as fh:
                rss[int(e)] = int(fh.read().split()[1]) * page
            kids.setdefault(ppid, []).append(int(e))
        except (OSError, ValueError, IndexError):
            continue
    total, todo = 0, [root]
    while todo:
        p = todo.pop()
        total += _pss(p) if pss else rss.get(p, 0)
        todo.extend(kids.get(p, []))
    return total


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def check_run(inputs: list[str], out: Path, jobs: int) -> dict[str, Any]:
    """`budget-audit check` as a user runs it: wall time, exit code, peak RSS of the process tree."""
    argv = [sys.executable, "-m", "budget_audit.cli", "check", *inputs, "--jobs", str(jobs), "--format", "json",
            "-o", str(out), "--fail-on", "never", "--quiet"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = TreeRss(proc.pid)
    _, err = proc.communicate()
    secs = time.perf_counter() - t0
    tree = sampler.done()
    pss = sampler.peak_pss / 2**20
    child_max = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": secs, "code": proc.returncode, "stderr": err.strip()[-300:], "tree_peak_mb": tree, "tree_peak_pss_mb": pss,
            "largest_process_mb": child_max / 1024, "largest_grew": child_max > before}


def gx_per_submission(files: list[Path]) -> float:
    """Seconds per submission of one GX checkpoint run per submission (after one warm-up run)."""
    from budget_audit import gx_cli

    gx_cli.run_gx([str(files[0])], None, ROOT, "batch-review", None)      # imports, context: not counted
    t0 = time.perf_counter()
    for p in files:
        gx_cli.run_gx([str(p)], None, ROOT, "batch-review", None)
    return (time.perf_counter() - t0) / len(files)


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--xlsx-n", type=int, default=10_000)
    ap.add_argument("--xlsx-distinct", type=int, default=300)
    ap.add_argument("--json-sizes", default="10000,100000")
    ap.add_argument("--indicators", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--parity-n", type=int, default=300)
    ap.add_argument("--gx-sample", type=int, default=10)
    ap.add_argument("--keep", metavar="DIR")
    ap.add_argument("--json-out", metavar="FILE")
    ap.add_argument("--skip", default="", help="comma list of parts to skip: xlsx,json,gx")
    args = ap.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="budget-audit-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    res: dict[str, Any] = {"jobs": args.jobs, "cpus": os.cpu_count()}
    lines: list[str] = [f"budget-audit scale benchmark: --jobs {args.jobs}, {os.cpu_count()} cpu, "
                        f"load avg {gen._load()}"]

    def say(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    try:
        if "xlsx" not in skip:
            d = work / "xlsx"
            if not d.exists():
                t_gen = write_xlsx_batch(d, args.xlsx_n, args.xlsx_distinct, args.indicators, args.seed, args.jobs)
                say(f"wrote {args.xlsx_n:,} workbooks ({args.xlsx_distinct} distinct) in {t_gen:.0f} s")
            files = sorted(d.glob("*.xlsx"))
            t_floor = calamine_floor(files)
            run = check_run([str(d)], work / "xlsx-report.json", args.jobs)
            ratio = run["seconds"] / t_floor
            res["xlsx"] = {"n": len(files), "floor_s": t_floor, **run, "ratio": ratio}
            say(f"workbooks ×{len(files):,}: check --jobs {args.jobs} {run['seconds']:.1f} s "
                f"({len(files) / run['seconds']:.0f}/s, exit {run['code']}) vs calamine read floor {t_floor:.1f} s "
                f"→ ratio {ratio:.2f}× (target ≤ {TARGET_XLSX_RATIO:g}×: {'PASS' if ratio <= TARGET_XLSX_RATIO else 'MISS'}); "
                f"peak RSS tree {run['tree_peak_mb']:.0f} MB (PSS {run['tree_peak_pss_mb']:.0f} MB)")
            sub = work / "parity"
            sub.mkdir(exist_ok=True)
            for p in files[: args.parity_n]:
                if not (sub / p.name).exists():
                    os.link(p, sub / p.name)
            a = check_run([str(sub)], work / "p1.json", 1)
            b = check_run([str(sub)], work / "p2.json", args.jobs)
            same = (work / "p1.json").read_bytes() == (work / "p2.json").read_bytes()
            res["parity"] = same
            say(f"parity: --jobs {args.jobs} report == --jobs 1 report on {min(len(files), args.parity_n)} workbooks: "
                f"{'identical' if same else 'DIFFERENT'} (jobs 1 {a['seconds']:.1f} s, jobs {args.jobs} {b['seconds']:.1f} s)")
        sizes = [int(x) for x in args.json_sizes.split(",") if x] if "json" not in skip else []
        res["json"] = []
        e2e_10k = None
        for n in sizes:
            d = work / f"json-{n}"
            if not d.exists():
                t0 = time.perf_counter()
                write_json_batch(d, n, args.indicators, args.seed)
                say(f"wrote {n:,} JSON submissions in {time.perf_counter() - t0:.0f} s")
            run = check_run([str(d)], work / f"json-{n}-report.json", args.jobs)
            size = (work / f"json-{n}-report.json").stat().st_size / 2**20
            shutil.rmtree(d) if not args.keep else None
            res["json"].append({"n": n, **run, "report_mb": size})
            ok = run["tree_peak_mb"] <= TARGET_RSS_MB
            say(f"JSON ×{n:,}: check --jobs {args.jobs} {run['seconds']:.1f} s ({n / run['seconds']:.0f}/s, exit "
                f"{run['code']}); peak RSS of the process tree {run['tree_peak_mb']:.0f} MB (PSS {run['tree_peak_pss_mb']:.0f} MB), largest process "
                f"{run['largest_process_mb']:.0f} MB{'' if run['largest_grew'] else ' (max of earlier runs)'} (target ≤ {TARGET_RSS_MB} MB: {'PASS' if ok else 'MISS'}); "
                f"report {size:.0f} MB")
            if e2e_10k is None:
                e2e_10k = (n, run["seconds"])
        if "gx" not in skip and args.gx_sample:
            d = work / "gx-sample"
            write_json_batch(d, args.gx_sample, args.indicators, args.seed)
            per = gx_per_submission(sorted(d.glob("*.json")))
            if e2e_10k:
                n, ours = e2e_10k
                speed = per * n / ours
                res["gx"] = {"per_submission_s": per, "n": n, "ours_s": ours, "speedup": speed}
                say(f"GX: one checkpoint per submission {per:.2f} s × {n:,} = {per * n:.0f} s (sample of {args.gx_sample}) "
                    f"vs ours {ours:.1f} s end to end → {speed:.0f}× faster (target ≥ {TARGET_GX_SPEEDUP}×: "
                    f"{'PASS' if speed >= TARGET_GX_SPEEDUP else 'MISS'})")
            else:
                say(f"GX: one checkpoint per submission {per:.2f} s (no JSON batch timed to compare with)")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    say(f"load avg at the end {gen._load()} (a shared machine skews every number; compare ratios)")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(res, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
