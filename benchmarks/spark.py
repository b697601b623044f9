#!/usr/bin/env python
"""Local engine vs Spark local mode on generated mixed submissions (a script, not a test).

    python benchmarks/spark.py [--n 10000] [--indicators 24] [--chunk-size 1000] [--masters local[2]]
                               [--jobs 2] [--keep DIR] [--json-out FILE]

--keep DIR keeps (and on the next run reuses) the generated inputs: e.g. --keep /tmp/bench-spark-10k.

Writes N mixed inputs (benchmarks/mixed_inputs.py: JSON files, workbooks, CSV folders, JSON batch
files, a few broken files) into one folder, then, each in a fresh process:
  local   `batch.check_command` with --jobs J (what `budget-audit check --format json -o` does: chunks of
          ≤500 over a process pool, the JSON report streamed, XSB over the whole run)
  spark   `run_spark` on the master (Parquet + summary), then the JSON report rebuilt from the Parquet
and prints wall time, peak RSS of the driver process (Python), of the JVM (in local mode it also
runs the executors) and the sum over the Python workers (VmHWM, read before the session stops), the
number of tasks, and whether the two JSON reports are byte-identical. Run it in .venv-spark
(`make bench-spark`).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LOCAL = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
t = time.perf_counter()
from budget_audit.batch import check_command
# what `budget-audit check INPUTS --jobs J --format json -o OUT` runs (chunks of ≤500 over a process pool,
# XSB over the whole run), without the `run` block (the Spark report rebuilt from Parquet has none either)
check_command([{inputs!r}], None, [("json", {out!r})], fail_on="never", jobs={jobs}, quiet=True)
seconds = time.perf_counter() - t
driver_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024        # before the report is read back
workers_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024   # the largest worker process
with open({out!r}, "rb") as fh:                                              # the summary only: the file's tail
    fh.seek(max(0, fh.seek(0, 2) - 4096))
    tail = fh.read().decode("utf-8", "replace")
n = int(tail[tail.rindex('"summary"'):].split('"submissions":', 1)[1].split(",", 1)[0])
print(json.dumps({{"seconds": seconds, "submissions": n, "driver_mb": driver_mb, "workers_mb": workers_mb}}))
"""

SPARK = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
t = time.perf_counter()
from budget_audit.spark.engine import get_session, run_spark

def descendants_peak_mb():
    # peak RSS (VmHWM) of the JVM and the sum over the Python workers, read from /proc before they end
    import os
    parent = {{}}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                parent[int(d)] = int(open(f"/proc/{{d}}/stat").read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    mine, todo = set(), [os.getpid()]
    while todo:
        p = todo.pop()
        for c, pp in parent.items():
            if pp == p and c not in mine:
                mine.add(c)
                todo.append(c)
    jvm = workers = 0.0
    for c in mine:
        try:
            text = open(f"/proc/{{c}}/status").read()
            cmd = open(f"/proc/{{c}}/cmdline").read()
        except OSError:
            continue
        hwm = next((int(l.split()[1]) / 1024 for l in text.splitlines() if l.startswith("VmHWM")), 0.0)
        if "java" in cmd.split("\\0")[0]:
            jvm = max(jvm, hwm)
        else:
            workers += hwm
    return jvm, workers
from budget_audit.spark.job import write_from_parquet
spark = get_session({master!r}, conf={{"spark.driver.memory": "4g"}})
t_up = time.perf_counter() - t
doc = run_spark([{inputs!r}], {pq!r}, spark=spark, chunk_size={chunk})
t_run = time.perf_counter() - t
run_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024     # the run itself, before any report is rebuilt
jvm_mb, workers_mb = descendants_peak_mb()
spark.stop()
t0 = time.perf_counter()
write_from_parquet({pq!r}, [("json", {out!r})], "zh")      # what `check --engine spark --format json -o` writes
t_json = time.perf_counter() - t0
print(json.dumps({{"seconds": t_run, "startup_s": t_up, "json_from_parquet_s": t_json,
                  "submissions": doc["summary"]["submissions"], "tasks": doc["engine"]["chunks"],
                  "driver_run_mb": run_mb, "driver_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "jvm_mb": jvm_mb, "workers_mb": workers_mb}}))
"""


def _child(code: str, env: dict[str, str]) -> dict:
    t = time.perf_counter()
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t
    if p.returncode:
        sys.stderr.write(p.stderr[-4000:])
        raise SystemExit(f"child failed ({p.returncode})")
    res = json.loads(p.stdout.strip().splitlines()[-1])
    res["wall_s"] = wall
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--indicators", type=int, default=24)
    ap.add_argument("--chunk-size", type=int, default=1000)
    ap.add_argument("--masters", default="local[2]", help="comma-separated Spark masters to time (\"\": none)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", help="keep the generated inputs and outputs in DIR")
    ap.add_argument("--skip-local", action="store_true")
    ap.add_argument("--jobs", type=int, default=2, help="local engine's worker processes (default 2)")
    ap.add_argument("--json-out")
    args = ap.parse_args(argv)

    from benchmarks.mixed_inputs import write_mixed

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-spark-"))
    gen = work / "inputs"
    t = time.perf_counter()
    if not gen.is_dir():                  # cached under --keep; written aside first: an interrupted run leaves no half set
        part = work / "inputs.part"
        shutil.rmtree(part, ignore_errors=True)
        write_mixed(part, args.n, args.seed, args.indicators)
        part.rename(gen)
    print(f"{args.n} mixed inputs in {gen} ({time.perf_counter() - t:.0f} s to write)", flush=True)
    env = {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1", "PYSPARK_PYTHON": sys.executable}
    rows = []
    if not args.skip_local:
        r = _child(LOCAL.format(root=str(ROOT), inputs=str(gen), out=str(work / "local.json"), jobs=args.jobs), env)
        rows.append({"engine": f"local --jobs {args.jobs}", **r})
        print(rows[-1], flush=True)
    for master in filter(None, args.masters.split(",")):      # --masters "": the local engine only
        pq = work / f"parquet-{master}"
        out = work / f"spark-{master}.json"
        r = _child(SPARK.format(root=str(ROOT), inputs=str(gen), pq=str(pq), out=str(out), master=master,
                                chunk=args.chunk_size), env)
        same = None if args.skip_local else out.read_bytes() == (work / "local.json").read_bytes()
        rows.append({"engine": f"spark {master}", **r, "identical_json": same})
        print(rows[-1], flush=True)
    print()
    print(f"| engine | submissions | tasks | wall s | run s | startup s | JSON from Parquet s | driver peak MB (run) | driver peak MB | JVM peak MB | Python workers MB | identical |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['engine']} | {r['submissions']} | {r.get('tasks', '—')} | {r['wall_s']:.0f} | {r['seconds']:.0f} | "
              f"{r.get('startup_s', 0):.0f} | {r.get('json_from_parquet_s', 0):.1f} | {r.get('driver_run_mb', r['driver_mb']):.0f} | {r['driver_mb']:.0f} | "
              f"{r.get('jvm_mb', 0):.0f} | {r.get('workers_mb', 0):.0f} | {r.get('identical_json', '—')} |")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(rows, indent=1), encoding="utf-8")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
