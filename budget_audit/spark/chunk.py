"""One chunk of inputs → the rows the Spark job stores, through the local pipeline's own functions.

A task gets a slice of the expanded input list (`readers.expand`, done once on the driver) and runs
exactly what `budget-audit check` runs on a batch: the readers, `pipeline.check_raws` (normalize →
measure → check → findings) and `report.build_report`. There is one implementation of every rule;
this module only flattens the chunk's report into rows.

Submission ids must be unique within the whole run, as `readers.read_inputs` makes them (a repeat
gets `~2`, `~3` … in input order). A chunk cannot know the ids of other chunks, so it keeps each
submission's *base* id (as the reader gave it) with its position in the input order (`seq`, the
index of the input; `sub_index`, the index within the input), makes ids unique within the chunk
for the pipeline, and the job recomputes the run-wide id afterwards (`engine.py`). Ids appear in no
message or location, so the findings do not depend on them.

When the parallel local batch's chunk API (`budget_audit.batch.run_chunk`) lands, `check_chunk`
can call it instead of `_read_items` + `check_raws`: the row layout here is what the job stores.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any, Iterable

from ..model import RawSubmission, unreadable
from ..perf import gc_paused
from ..pipeline import check_raws, load_checked_profile
from ..report import build_report
from ..rules import SEVERITIES

#: an expanded input: (seq = its index in the run's input order, path, source label, kind)
Item = tuple[int, str, str, str]

#: test hook: a directory; when it holds a file `armed`, the first task to see it renames it to
#: `fired` and fails (Spark retries the task). Proves that a retried task neither drops nor repeats.
FAIL_ONCE_ENV = "BUDGET_AUDIT_SPARK_FAIL_ONCE"

SUBMISSION_FIELDS = ["chunk", "seq", "sub_index", "base_id", "local_id", "source", "sha256", "unit", "year",
                     "profile", "profile_reason", "profile_reason_en", "status",
                     *[f"count_{s}" for s in SEVERITIES], "indicators", "machine_checked", "report_json"]
FINDING_FIELDS = ["chunk", "seq", "sub_index", "local_id", "finding_index", "rule", "slug", "severity", "section",
                  "indicator", "location_json", "expected_json", "actual_json", "tolerance_json",
                  "message_zh", "message_en", "report_json"]
#: the Spark schema of a chunk's output: one row per submission (kind 's'), per finding (kind 'f'),
#: and one per chunk (kind 'c': the chunk report's summary, report_json; summaries add up)
STAGE_FIELDS = ["kind", *dict.fromkeys(SUBMISSION_FIELDS + FINDING_FIELDS)]
_INT_FIELDS = {"chunk": "long", "year": "long", "seq": "long", "sub_index": "int", "finding_index": "int", "indicators": "long",
               "machine_checked": "long", **{f"count_{s}": "int" for s in SEVERITIES}}
STAGE_SCHEMA = ", ".join(f"{c} {_INT_FIELDS.get(c, 'string')}" for c in STAGE_FIELDS)


def jdump(value: Any) -> str:
    """A report value (number, text, bool, None, dict) as JSON text: Parquet keeps its exact type."""
    return json.dumps(value, ensure_ascii=False, sort_keys=False)


def _text(value: Any) -> str | None:
    """Text for a string column; a missing value (None, NaN) is null."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


def _year(value: Any) -> int | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value == int(value):
        return int(value)
    return None


def _read_items(items: Iterable[Item], debug: bool) -> tuple[list[RawSubmission], list[tuple[int, int]]]:
    """The readers on expanded inputs, as `read_inputs` dispatches them, without the run-wide id step."""
    from .. import readers

    raws: list[RawSubmission] = []
    origin: list[tuple[int, int]] = []
    with gc_paused():
        for seq, path, source, kind in items:
            p = Path(path)
            if kind == "missing":
                got = [unreadable(source, p.stem or source, "文件或目录不存在", "no such file or directory")]
            elif kind == "csvdir":
                got = readers._read_csv_folder(p, source, debug)
            elif kind == "skip":
                got = [readers._skip(p, source)]
            else:
                got = readers._read_file(p, source, debug)
            origin.extend((seq, j) for j in range(len(got)))
            raws.extend(got)
    return raws, origin


def _maybe_fail(items: list[Item]) -> None:
    flag_dir = os.environ.get(FAIL_ONCE_ENV)
    if not flag_dir or not items:
        return
    armed, fired = Path(flag_dir) / "armed", Path(flag_dir) / f"fired-{items[0][0]}"
    try:
        os.rename(armed, fired)          # atomic: exactly one task attempt wins
    except OSError:
        return
    raise RuntimeError(f"injected task failure (chunk starting at input {items[0][0]}; {FAIL_ONCE_ENV})")


def check_chunk(items: list[Item], profile: str | None = None, debug: bool = False
                ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    """read → normalize → measure → check → report on one chunk; (submission rows, finding rows,
    the chunk report's summary)."""
    items = sorted(items)
    _maybe_fail(items)
    chunk = items[0][0] if items else -1
    raws, origin = _read_items(items, debug)
    base_ids = [r.id for r in raws]
    from ..readers import _unique_ids
    _unique_ids(raws)                    # unique within the chunk; the job makes them unique run-wide
    where = {r.id: (o, b) for r, o, b in zip(raws, origin, base_ids)}
    forced = load_checked_profile(profile) if profile else None
    report = build_report(check_raws(raws, forced))
    subs: list[dict[str, Any]] = []
    finds: list[dict[str, Any]] = []
    for s in report["submissions"]:
        (seq, j), base = where[s["id"]]
        subs.append({
            "chunk": chunk, "seq": seq, "sub_index": j, "base_id": base, "local_id": s["id"],
            "source": s["source"], "sha256": _text(s["sha256"]), "unit": _text(s["unit"]), "year": _year(s["year"]),
            "profile": _text(s["profile"]), "profile_reason": _text(s["profile_reason"]),
            "profile_reason_en": _text(s["profile_reason_en"]), "status": s["status"],
            **{f"count_{k}": int(v) for k, v in s["counts"].items()},
            "indicators": s["checked"]["indicators"], "machine_checked": s["checked"]["machine_checked"],
            # the report's own entry (less id and findings), exactly: the report is rebuilt from it
            "report_json": jdump({k: v for k, v in s.items() if k not in ("id", "findings")}),
        })
        for k, f in enumerate(s["findings"]):
            finds.append({
                "chunk": chunk, "seq": seq, "sub_index": j, "local_id": s["id"], "finding_index": k,
                "rule": f["rule"], "slug": f["slug"], "severity": f["severity"],
                "section": _text(f["section"]), "indicator": _text(f["indicator"]),
                "location_json": jdump(f["location"]), "expected_json": jdump(f["expected"]),
                "actual_json": jdump(f["actual"]), "tolerance_json": jdump(f["tolerance"]),
                "message_zh": f["message"]["zh"], "message_en": f["message"]["en"],
                "report_json": jdump(f),     # the finding exactly as the report has it (every key)
            })
    return subs, finds, report["summary"]
