"""The Spark engine's output, and the report rebuilt from it.

An output directory holds

    submissions/   Parquet, one row per submission (every input is listed, even with no finding):
                   submission_id, seq, sub_index, source, sha256, unit, year, profile,
                   profile_reason, profile_reason_en, status, count_error, count_warning,
                   count_info, indicators, machine_checked (typed, null when missing), and
                   report_json: the report's entry for it (less id and findings) as JSON text
    findings/      Parquet, one row per finding, the report JSON's fields: submission_id, seq,
                   sub_index, finding_index, source, rule, slug, severity, section, indicator,
                   message_zh, message_en, and location_json, expected_json, actual_json,
                   tolerance_json (JSON text: a value may be a number, a text or null, and keeps
                   its exact type); report_json: the finding as the report has it (every key)
    summary.json   the report's `tool` and `summary`, and the summary lines `check` prints

`seq` is the input's position in the run (`sub_index` the submission's within a JSON batch file),
`finding_index` the finding's position in its submission: sorted by them the rows are the local
report's order. `report_from_parquet` rebuilds the report dict exactly as `report.build_report`
builds it, so every local format (`report.outputs.FORMATS`: console, json, junit, xlsx …) can be
written from the Parquet without running anything again. Reads with pyarrow only (no Spark).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

from .. import RULES_VERSION, __version__
from ..rules import SEVERITIES

SUBMISSION_COLUMNS = ["submission_id", "seq", "sub_index", "source", "sha256", "unit", "year", "profile",
                      "profile_reason", "profile_reason_en", "status", *[f"count_{s}" for s in SEVERITIES],
                      "indicators", "machine_checked", "report_json"]
FINDING_COLUMNS = ["submission_id", "seq", "sub_index", "finding_index", "source", "rule", "slug", "severity",
                   "section", "indicator", "location_json", "expected_json", "actual_json", "tolerance_json",
                   "message_zh", "message_en", "report_json"]
STATUSES = ("passed", "failed", "unreadable", "skipped")


def _sorted(path: Path, columns: list[str], order: list[str]):
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=columns)
    return table.sort_by([(c, "ascending") for c in order]) if table.num_rows else table


def _pylist(table, batch: int) -> Iterator[dict[str, Any]]:
    """The table's rows as dicts, `batch` rows at a time (Arrow holds the table; Python only a slice)."""
    for start in range(0, table.num_rows, batch):
        yield from table.slice(start, batch).to_pylist()


def tool() -> dict[str, Any]:
    return {"name": "budget-audit", "version": __version__, "rules_version": RULES_VERSION}


def finding_dict(row: dict[str, Any]) -> dict[str, Any]:
    """A finding row → the finding as the report JSON has it (the same keys in the same order)."""
    if row.get("report_json"):
        return json.loads(row["report_json"])
    return {
        "rule": row["rule"], "slug": row["slug"], "severity": row["severity"],
        "section": row["section"], "indicator": row["indicator"],
        "location": json.loads(row["location_json"]), "expected": json.loads(row["expected_json"]),
        "actual": json.loads(row["actual_json"]), "tolerance": json.loads(row["tolerance_json"]),
        "message": {"zh": row["message_zh"], "en": row["message_en"]},
    }


def summary_of(status_counts: dict[str, int], severity_counts: dict[str, int]) -> dict[str, Any]:
    return {"submissions": sum(status_counts.get(s, 0) for s in STATUSES),
            **{s: int(status_counts.get(s, 0)) for s in STATUSES},
            "findings": {s: int(severity_counts.get(s, 0)) for s in SEVERITIES}}


def add_summaries(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """The run's report summary from its chunks' summaries: every count adds up (nested dicts too)."""
    def add(a: Any, b: Any) -> Any:
        if isinstance(a, dict):
            return {k: add(v, b.get(k, 0) if isinstance(b, dict) else 0) for k, v in a.items()}
        return a + b if isinstance(a, (int, float)) and isinstance(b, (int, float)) else a
    total: dict[str, Any] = {}
    for i, p in enumerate(parts):
        total = p if i == 0 else add(total, p)
    return total or summary_of({}, {})


def entry_from_rows(sub: dict[str, Any], findings: list[dict[str, Any]]) -> dict[str, Any]:
    """A submission row and its finding rows (in finding_index order) → the report's entry, key for key."""
    body = json.loads(sub["report_json"])
    fs = [finding_dict(f) for f in findings]
    entry: dict[str, Any] = {"id": sub["submission_id"]}
    for k, v in body.items():
        entry[k] = fs if k == "findings" else v
    if "findings" not in body:
        entry["findings"] = fs
    return entry


def entries_from_parquet(out_dir: str | Path, batch: int = 2000) -> Iterator[dict[str, Any]]:
    """The report's submission entries of a Spark run, in the local report's order, one at a time: the
    Parquet is held as Arrow (compact), and Python dicts exist for `batch` rows at a time, so a report
    rebuilt from 100k submissions streams like the local one."""
    out = Path(out_dir)
    subs = _sorted(out / "submissions", SUBMISSION_COLUMNS, ["seq", "sub_index"])
    order = ["seq", "sub_index", "finding_index"]
    # the finding's report JSON and its keys only: the typed columns are for BI tools, and would double the memory
    table = _sorted(out / "findings", ["submission_id", *order, "report_json"], order)
    if table.column("report_json").null_count:     # rows written without it: rebuilt from the typed columns
        table = _sorted(out / "findings", FINDING_COLUMNS, order)
    finds = _pylist(table, batch)
    pending = next(finds, None)       # both tables are in (seq, sub_index) order: a submission's findings follow
    for s in _pylist(subs, batch):
        key, mine = (s["seq"], s["sub_index"]), []     # the submission's key (its id is unique too, but the key is the row's)
        while pending is not None and (pending["seq"], pending["sub_index"]) == key:
            mine.append(pending)
            pending = next(finds, None)
        yield entry_from_rows(s, mine)
    if pending is not None:           # a finding of no listed submission: the Parquet is not a run's output
        raise ValueError(f"finding of an unknown submission in {out}: {pending['submission_id']} "
                         f"(input {pending['seq']}, {pending['sub_index']})")


def summary_from_parquet(out_dir: str | Path) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The run's report summary and `run` block (summary.json: the chunks' summaries added up), or — for an
    output without summary.json — the summary counted from the submissions table."""
    out = Path(out_dir)
    if (out / "summary.json").is_file():
        doc = read_summary(out)
        return doc["summary"], doc.get("run")
    import pyarrow.parquet as pq

    table = pq.read_table(out / "submissions", columns=["status", *[f"count_{k}" for k in SEVERITIES]])
    statuses = table.column("status").to_pylist()
    return summary_of({st: statuses.count(st) for st in STATUSES},
                      {k: int(sum(table.column(f"count_{k}").to_pylist())) for k in SEVERITIES}), None


def report_from_parquet(out_dir: str | Path) -> dict[str, Any]:
    """The report dict of a Spark run, identical to what `build_report` gives for the same inputs (with the
    run's `run` block when the run recorded one). The whole report in memory: for a consumer of the whole
    report (waivers, baseline, --annotate, a collected format); the streamed formats use
    `entries_from_parquet`."""
    summary, run = summary_from_parquet(out_dir)
    report = {"tool": tool(), "submissions": list(entries_from_parquet(out_dir)), "summary": summary}
    if run is not None:
        report["run"] = run
    return report


def summary_lines(summary: dict[str, Any], top_rules: list[tuple[str, int]],
                  worst: list[tuple[str, int]], lang: str = "zh", run: dict[str, Any] | None = None) -> str:
    """The closing lines of the console report (`report.render.console`), from aggregates: the most
    frequent non-info rules (rule, count; at most 5), the files with most errors (source, errors;
    at most 5, in input order among equals), then `console`'s own tail (the selection note, the totals
    with the consequences and waivers), as the local batch console prints it (`report.stream.ConsoleSink`).
    A test holds it to `console`'s text."""
    from ..report.render import console

    zh = lang == "zh"
    lines: list[str] = []
    if summary["submissions"] > 1:
        if top_rules:
            lines.append(("最常见的问题：" if zh else "most frequent: ") + ("，" if zh else ", ").join(
                f"{r} ×{k}" for r, k in top_rules))
        if worst:
            lines.append(("错误最多的文件：" if zh else "most errors: ") + ("，" if zh else ", ").join(
                f"{Path(src).name} ({k})" for src, k in worst))
    tail = console({"submissions": [], "summary": summary, **({"run": run} if run is not None else {})}, lang, False)
    return "\n".join(lines) + ("\n" if lines else "") + tail


def read_summary(out_dir: str | Path) -> dict[str, Any]:
    return json.loads((Path(out_dir) / "summary.json").read_text(encoding="utf-8"))
