"""One chunk of inputs → the rows the Spark job stores, by the local batch's own chunk function.

A task gets a slice of the expanded input list (`readers.expand`, done once on the driver) and runs
`batch.run_chunk` on it — exactly what a local `budget-audit check` runs on each chunk of a batch
(the readers, `pipeline.check_raws`, `report.build_report`; no XSB finding: those are decided over
the whole run by the driver, `report.crossrun`). There is one implementation of every rule and of
the chunk; this module only flattens a chunk's entries into rows.

Submission ids must be unique within the whole run, as `readers.read_inputs` makes them (a repeat
gets `~2`, `~3` … in input order). A chunk cannot know the ids of other chunks, so it keeps each
submission's *base* id (as the reader gave it) with its position in the input order (`seq`, the
index of the input; `sub_index`, the index within the input); the chunk's ids are unique within
the chunk (`local_id`) and the job recomputes the run-wide id afterwards (`engine.py`).
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

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
#: the Spark schema of a chunk's output: one row per submission (kind 's'), per finding (kind 'f'), per
#: submission's fingerprint for the XSB rules (kind 'x', report_json: `crossrun.chunk_cross`'s row), and one
#: per chunk (kind 'c': report_json = {"summary": the chunk's summary (summaries add up), "cross_profiles": …})
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


def entry_rows(s: dict[str, Any], where: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A report entry → its submission row and its finding rows; `where` adds the placement columns
    (chunk, seq, sub_index, local_id; or submission_id …)."""
    sub = {
        **where, "source": s["source"], "sha256": _text(s["sha256"]), "unit": _text(s["unit"]), "year": _year(s["year"]),
        "profile": _text(s["profile"]), "profile_reason": _text(s["profile_reason"]),
        "profile_reason_en": _text(s["profile_reason_en"]), "status": s["status"],
        **{f"count_{k}": int(v) for k, v in s["counts"].items()},
        "indicators": s["checked"]["indicators"], "machine_checked": s["checked"]["machine_checked"],
        # the report's own entry (less id; findings: a placeholder that keeps their place), exactly
        "report_json": jdump({k: (None if k == "findings" else v) for k, v in s.items() if k != "id"}),
    }
    finds = []
    for k, f in enumerate(s["findings"]):
        finds.append({
            **where, "finding_index": k, "rule": f["rule"], "slug": f["slug"], "severity": f["severity"],
            "section": _text(f["section"]), "indicator": _text(f["indicator"]),
            "location_json": jdump(f["location"]), "expected_json": jdump(f["expected"]),
            "actual_json": jdump(f["actual"]), "tolerance_json": jdump(f["tolerance"]),
            "message_zh": f["message"]["zh"], "message_en": f["message"]["en"],
            "report_json": jdump(f),     # the finding exactly as the report has it (every key)
        })
    return sub, finds


def check_chunk(items: list[Item], profile: str | None = None, debug: bool = False,
                rules: list[str] | None = None) -> list[dict[str, Any]]:
    """`batch.run_chunk` on one chunk → its stage rows (kinds c, s, f, x; see STAGE_FIELDS)."""
    from ..batch import run_chunk
    from ..report.crossrun import tally
    from .store import add_summaries

    items = sorted(items)
    _maybe_fail(items)
    chunk = items[0][0] if items else -1
    res = run_chunk([[path, kind, source] for _, path, source, kind in items], profile, debug=debug, rules=rules)
    rows: list[dict[str, Any]] = [{"kind": "c", "chunk": chunk, "report_json": jdump(
        {"summary": add_summaries([tally(e) for e in res.entries]), "cross_profiles": res.cross_profiles})}]
    nth: dict[int, int] = {}
    for s, base, k, fp in zip(res.entries, res.base_ids, res.item_of, res.cross, strict=True):
        seq = items[k][0]
        j = nth[seq] = nth.get(seq, -1) + 1
        where = {"chunk": chunk, "seq": seq, "sub_index": j, "local_id": s["id"]}
        sub, finds = entry_rows(s, where)
        rows.append({"kind": "s", "base_id": base, **sub})
        rows.extend({"kind": "f", **f} for f in finds)
        rows.append({"kind": "x", **where, "report_json": jdump(fp)})
    return rows
