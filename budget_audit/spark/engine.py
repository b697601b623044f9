"""The Spark job: the expanded file list is distributed, each task checks one chunk with the local
batch's own chunk function (`chunk.check_chunk` → `batch.run_chunk`), and the findings and
submissions are written as Parquet.

    expand inputs (driver) → DataFrame (seq, path, source, kind, chunk) → repartitionByRange(chunk)
    → mapInArrow: check_chunk per chunk → stage rows (persisted: computed once)
    → run-wide submission ids (the base ids in input order to the driver, `readers.unique_id` as locally)
    → XSB over the whole run on the driver (`report.crossrun`, as the local batch does it): the
      fingerprint rows (one small row per submission) in input order, `CrossRun.findings()`, and the
      matched submissions' rows rebuilt with their XSB findings (`crossrun.merge`)
    → submissions/ and findings/ Parquet + summary.json (store.py)

Every input is accounted for: an unreadable file is a submission with STR007 (the readers do that);
a failed task is retried by Spark (`spark.task.maxFailures`, in local mode `local[N,F]`), its
partial output discarded, and the driver checks that every input's `seq` is present and that no
(seq, sub_index) repeats before it reports anything. The driver holds the fingerprint rows and the
entries of the submissions an XSB rule matched (not the others').
"""

from __future__ import annotations

import json
import math
import os
import sys
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..readers import expand, unique_id
from .chunk import STAGE_FIELDS, STAGE_SCHEMA, check_chunk, entry_rows
from .store import FINDING_COLUMNS, SUBMISSION_COLUMNS, add_summaries, entry_from_rows, summary_lines, tool

DEFAULT_MASTER = "local[*,3]"            # local mode: all cores, a failed task is tried up to 3 times
MASTER_ENV = "BUDGET_AUDIT_SPARK_MASTER"
DEFAULT_CHUNK = 1000                     # submissions' files per task (architecture.md: ~1,000 a chunk)


class IncompleteRun(RuntimeError):
    """The job's output does not list every input exactly once (never expected; never reported as a pass)."""


def get_session(master: str | None = None, app: str = "budget-audit", conf: dict[str, str] | None = None):
    """The active SparkSession (under spark-submit / Databricks), or a new one.

    Without a master from spark-submit, `master` (else $BUDGET_AUDIT_SPARK_MASTER, else local[*,3]) is
    used; local mode binds to 127.0.0.1, runs its Python workers with this interpreter, has no UI and
    few shuffle partitions."""
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None and master is None:
        return active
    # under spark-submit (a JVM gateway is already up) the master is the one spark-submit was given
    submitted = bool(os.environ.get("PYSPARK_GATEWAY_PORT") or os.environ.get("SPARK_ENV_LOADED"))
    master = master or os.environ.get(MASTER_ENV) or (None if submitted else DEFAULT_MASTER)
    builder = SparkSession.builder.appName(app)
    if master:
        builder = builder.master(master)
    if master is None or master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
        builder = (builder.config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
                   .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1"))
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    for k, v in (conf or {}).items():
        builder = builder.config(k, v)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel(os.environ.get("BUDGET_AUDIT_SPARK_LOG", "ERROR"))
    return spark


def expand_items(inputs: Iterable[str]) -> list[tuple[int, str, str, str]]:
    """The run's inputs in order, as the local engine walks them: (seq, path, source, kind)."""
    return [(i, str(p), src, kind) for i, (p, src, kind) in enumerate(expand(inputs))]


def _pa_schema():
    import pyarrow as pa

    types = {"long": pa.int64(), "int": pa.int32(), "string": pa.string()}
    return pa.schema([(name, types[t]) for name, t in (f.split(" ") for f in STAGE_SCHEMA.split(", "))])


def _task(profile: str | None, debug: bool, rules: list[str] | None = None):
    """The function each task runs: its arrow batches of items → stage rows, one chunk at a time. The
    driver's settings travel with it: the auditor's profile directories and the limits."""
    from .. import limits
    from ..profiles import profile_dirs

    dirs, lim = [str(d) for d in profile_dirs()], limits.current()

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        from ..profiles import allow_profile_dirs

        allow_profile_dirs(dirs)
        limits.configure(lim)
        schema = _pa_schema()
        chunks: dict[int, list[tuple[int, str, str, str]]] = {}
        for batch in batches:
            for r in batch.to_pylist():
                chunks.setdefault(r["chunk"], []).append((r["seq"], r["path"], r["source"], r["kind"]))
        for key in sorted(chunks):
            rows = [{c: r.get(c) for c in STAGE_FIELDS} for r in check_chunk(chunks[key], profile, debug, rules)]
            for i in range(0, len(rows), 20_000):
                yield pa.RecordBatch.from_pylist(rows[i:i + 20_000], schema=schema)
    return run


def _is_local(path: str) -> bool:
    return "://" not in path or path.startswith("file://")


def run_spark(inputs: Iterable[str] | None, out_dir: str, *, profile: str | None = None, spark=None,
              chunk_size: int = DEFAULT_CHUNK, debug: bool = False,
              items: list[tuple[int, str, str, str]] | None = None, rules: list[str] | None = None,
              run: dict[str, Any] | None = None) -> dict[str, Any]:
    """Check every input on Spark; write `out_dir`/submissions, /findings (Parquet) and summary.json.
    `rules`: the selected rule IDs (--select/--ignore; None: all); `run`: the report's `run` block, kept in
    summary.json. Returns the summary document (store.py)."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    from ..report.crossrun import CrossRun, merge, tally

    spark = spark or get_session()
    items = items if items is not None else expand_items(inputs or [])
    if profile:                          # a broken profile fails here, once, before any task runs
        from ..pipeline import load_checked_profile
        load_checked_profile(profile)
    rules = list(rules) if rules is not None else None
    n_chunks = math.ceil(len(items) / chunk_size)      # 0 for an empty folder: an empty report, as locally
    rows = [(seq, path, source, kind, seq // chunk_size) for seq, path, source, kind in items]
    files = spark.createDataFrame(rows, "seq long, path string, source string, kind string, chunk long")
    files = files.repartitionByRange(max(1, n_chunks), "chunk")
    stage = files.mapInArrow(_task(profile, debug, rules), STAGE_SCHEMA).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        subs = stage.filter(F.col("kind") == "s")
        # run-wide ids exactly as the local batch gives them: `unique_id` over the base ids in input order, on
        # the driver (one short row per submission), joined back by (seq, sub_index)
        seen: dict[str, int] = {}
        named = [(r["seq"], r["sub_index"], unique_id(r["base_id"], seen)) for r in
                 subs.select("seq", "sub_index", "base_id").orderBy("seq", "sub_index").toLocalIterator()]
        del seen
        run_ids = spark.createDataFrame(named, "seq long, sub_index int, submission_id string")
        del named
        subs = subs.join(run_ids, ["seq", "sub_index"], "left").persist(StorageLevel.MEMORY_AND_DISK)
        ids = subs.select("chunk", "local_id", "submission_id", "source")
        finds = stage.filter(F.col("kind") == "f").drop("source").join(ids, ["chunk", "local_id"], "left")

        n_rows, n_seq, n_keys = subs.agg(F.count(F.lit(1)), F.countDistinct("seq"),
                                         F.countDistinct("seq", "sub_index")).first()
        if n_seq != len(items) or n_keys != n_rows:
            raise IncompleteRun(f"{len(items)} inputs, {n_seq} accounted for; {n_rows} submission rows, "
                                f"{n_keys} distinct: the Spark output is incomplete or repeats a submission")
        parts = [json.loads(r["report_json"]) for r in
                 stage.filter(F.col("kind") == "c").orderBy("chunk").select("report_json").collect()]
        summary = add_summaries([p["summary"] for p in parts])
        if len(parts) != n_chunks or summary["submissions"] != n_rows:
            raise IncompleteRun(f"{n_chunks} chunks, {len(parts)} summaries; {n_rows} submission rows, "
                                f"{summary['submissions']} in the summaries")

        # XSB over the whole run (report.crossrun, as the local batch): every submission's fingerprint row,
        # in input order, under its run-wide id, on the driver (one small row per submission)
        cross = CrossRun(rules)
        for p in parts:
            cross.add([], [], p["cross_profiles"])
        fps = [] if not cross.wanted else (
            stage.filter(F.col("kind") == "x").select("chunk", "local_id", "seq", "sub_index", "report_json")
            .join(ids.select("chunk", "local_id", "submission_id"), ["chunk", "local_id"], "left")
            .orderBy("seq", "sub_index").select("submission_id", "report_json").toLocalIterator())
        batch_rows, batch_ids = [], []
        for r in fps:
            batch_rows.append(json.loads(r["report_json"]))
            batch_ids.append(r["submission_id"])
        cross.add(batch_rows, batch_ids, {})
        del batch_rows, batch_ids
        extra = cross.findings()
        del cross
        final_subs = subs.select(*SUBMISSION_COLUMNS)
        final_finds = finds.select(*FINDING_COLUMNS)
        if extra:            # the matched submissions' entries, merged on the driver, replace their rows
            hit = spark.createDataFrame([(k,) for k in extra], "submission_id string")
            old_subs = subs.join(F.broadcast(hit), "submission_id").select(*SUBMISSION_COLUMNS).collect()
            old_finds: dict[str, list[dict[str, Any]]] = {}
            for r in finds.join(F.broadcast(hit), "submission_id").select(*FINDING_COLUMNS).collect():
                old_finds.setdefault(r["submission_id"], []).append(r.asDict())
            new_subs, new_finds = [], []
            for r in old_subs:
                row = r.asDict()
                sid = row["submission_id"]
                entry = entry_from_rows(row, sorted(old_finds.get(sid, []), key=lambda f: f["finding_index"]))
                before = tally(entry)
                merge(entry, extra[sid])
                summary = add_summaries([summary, tally(entry)])
                summary = _subtract(summary, before)
                where = {"submission_id": sid, "seq": row["seq"], "sub_index": row["sub_index"]}
                sub, fs = entry_rows(entry, where)
                new_subs.append({c: sub[c] for c in SUBMISSION_COLUMNS})
                new_finds.extend({c: (row["source"] if c == "source" else f[c]) for c in FINDING_COLUMNS} for f in fs)
            final_subs = (final_subs.join(F.broadcast(hit), "submission_id", "left_anti").select(*SUBMISSION_COLUMNS)
                          .unionByName(spark.createDataFrame(new_subs, final_subs.schema)))
            final_finds = (final_finds.join(F.broadcast(hit), "submission_id", "left_anti").select(*FINDING_COLUMNS)
                           .unionByName(spark.createDataFrame(new_finds, final_finds.schema)))
        final_subs.write.mode("overwrite").parquet(f"{out_dir}/submissions")
        final_finds.write.mode("overwrite").parquet(f"{out_dir}/findings")
        top = [(r["rule"], int(r["count"])) for r in
               final_finds.filter(F.col("severity") != "info").groupBy("rule").count()
               .orderBy(F.desc("count"), F.asc("rule")).limit(5).collect()]
        worst = [(r["source"], int(r["count_error"])) for r in
                 final_subs.filter(F.col("count_error") > 0).orderBy(F.desc("count_error"), "seq", "sub_index")
                 .select("source", "count_error").limit(5).collect()]
    finally:
        stage.unpersist()
        if "subs" in locals():
            subs.unpersist()
    doc = {"tool": tool(), "summary": summary, "top_rules": top, "most_errors": worst,
           "console": {lang: summary_lines(summary, top, worst, lang, run) for lang in ("zh", "en")},
           "engine": {"name": "spark", "master": spark.sparkContext.master, "inputs": len(items),
                      "chunks": n_chunks, "chunk_size": chunk_size}}
    if run is not None:
        doc["run"] = run
    if _is_local(out_dir):
        path = Path(out_dir.removeprefix("file://")) / "summary.json"
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return doc


def _subtract(total: dict[str, Any], part: dict[str, Any]) -> dict[str, Any]:
    """`total` less `part` (summary-shaped dicts; nested counts too)."""
    out: dict[str, Any] = {}
    for k, v in total.items():
        p = part.get(k, 0)
        out[k] = _subtract(v, p if isinstance(p, dict) else {}) if isinstance(v, dict) else (
            v - p if isinstance(v, (int, float)) and isinstance(p, (int, float)) else v)
    return out
