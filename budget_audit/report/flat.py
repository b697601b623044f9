"""The findings as one long table for BI tools: `--format csv` and `--format parquet`, the same columns.

One row per finding (waived ones included, flagged), with its submission's fields beside it. Column
names are stable English identifiers whatever `--lang` says; the texts come in both languages. CSV is
UTF-8 with a BOM (Excel opens it right) and every text goes through `cell_text` (a field starting
with = + - @ cannot become a formula); Parquet keeps typed columns (numbers as float64).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Iterator

from ..rules import RULES
from .outputs import cell_text, register
from .render import _where

COLUMNS = ["submission_id", "source", "unit", "year", "profile", "status", "rule", "slug", "rule_title_zh",
           "rule_title_en", "severity", "section", "indicator", "location", "location_json", "expected", "actual",
           "tolerance", "expected_text", "actual_text", "message_zh", "message_en", "waived", "waiver_reason",
           "waiver_expires", "baseline"]
NUMERIC = ("expected", "actual", "tolerance", "year")


def _num(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _year(v: Any) -> float | None:
    if _num(v) is not None:
        return float(v)
    try:
        return float(str(v)[:4]) if v is not None and str(v)[:4].isdigit() else None
    except ValueError:
        return None


def finding_rows(report: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every finding of the report as a flat row (`COLUMNS`)."""
    for s in report["submissions"]:
        for f in s["findings"]:
            r = RULES.get(f["rule"])
            w = f.get("waived") or {}
            loc = f.get("location")
            yield {
                "submission_id": s["id"], "source": s["source"], "unit": s.get("unit"), "year": _year(s.get("year")),
                "profile": s.get("profile"), "status": s["status"], "rule": f["rule"], "slug": f["slug"],
                "rule_title_zh": r.title_zh if r else None, "rule_title_en": r.title_en if r else None,
                "severity": f["severity"], "section": _text(f.get("section")), "indicator": _text(f.get("indicator")),
                "location": _where(loc) or None,
                "location_json": json.dumps(loc, ensure_ascii=False, sort_keys=True) if loc else None,
                "expected": _num(f.get("expected")), "actual": _num(f.get("actual")),
                "tolerance": _num(f.get("tolerance")),
                "expected_text": _text(f.get("expected")), "actual_text": _text(f.get("actual")),
                "message_zh": f["message"]["zh"], "message_en": f["message"]["en"],
                "waived": bool(w), "waiver_reason": w.get("reason"), "waiver_expires": w.get("expires"),
                "baseline": f.get("baseline"),
            }


def _text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def to_csv(report: dict[str, Any]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS)
    for row in finding_rows(report):
        w.writerow(["" if row[c] is None else cell_text(row[c]) if isinstance(row[c], str) else
                    ("true" if row[c] else "false") if isinstance(row[c], bool) else
                    (f"{row[c]:.10g}" if isinstance(row[c], float) else row[c]) for c in COLUMNS])
    return buf.getvalue().encode("utf-8-sig")


def to_parquet(report: dict[str, Any]) -> bytes:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:   # an optional extra
        raise ValueError("--format parquet 需要 pyarrow（pip install 'budget-audit[parquet]'）/ "
                         "--format parquet needs pyarrow (pip install 'budget-audit[parquet]')") from exc
    types = {c: pa.float64() if c in NUMERIC else pa.bool_() if c == "waived" else pa.string() for c in COLUMNS}
    schema = pa.schema([(c, types[c]) for c in COLUMNS])
    cols: dict[str, list[Any]] = {c: [] for c in COLUMNS}
    for row in finding_rows(report):
        for c in COLUMNS:
            cols[c].append(row[c])
    table = pa.Table.from_pydict(cols, schema=schema)
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd")
    return buf.getvalue()


@register("csv", binary=True, suffix=".csv")
def _csv_bytes(report: dict[str, Any], lang: str) -> bytes:
    return to_csv(report)


@register("parquet", binary=True, suffix=".parquet")
def _parquet_bytes(report: dict[str, Any], lang: str) -> bytes:
    return to_parquet(report)
