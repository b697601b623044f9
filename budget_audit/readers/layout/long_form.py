"""Long-form batch tables (a `submission_id` column): one submission per id, in first-appearance order."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from ...model import RawSubmission
from .builder import Builder
from .cells import CellRef, cell, id_text, value
from .header import Header, is_repeat_header, report_missing_columns
from .score_table import parse_score_table

# --------------------------------------------------------------------------------------------
# long-form batch tables (shared with CSV)
# --------------------------------------------------------------------------------------------


def read_long_form(rows: list[list[Any]], header: Header, make_ref: Callable[[], CellRef], source: str,
                   sha256: str | None, reader: str) -> list[RawSubmission]:
    """One submission per `submission_id`, in first-appearance order."""
    idc = header.batch["submission_id"]
    order: list[str] = []
    members: dict[str, list[int]] = {}
    current: str | None = None
    for r in range(header.last + 1, len(rows)):
        row = rows[r]
        if all(value(x) is None for x in row) or is_repeat_header(row, header):
            continue
        sid = cell(row, idc)
        if sid is not None:
            current = id_text(sid)
        if current is None:
            continue
        if current not in members:
            order.append(current)
            members[current] = []
        members[current].append(r)
    out: list[RawSubmission] = []
    for i, sid in enumerate(order):
        b = Builder()
        ref = make_ref()
        for key in ("unit", "year", "profile"):
            c = header.batch.get(key)
            if c is None:
                continue
            for r in members[sid]:
                v = cell(rows[r], c)
                if v is not None:
                    b.set_top(key, v, ref(r, c))
                    break
        parse_score_table(rows, ref, b, header, members[sid])
        report_missing_columns(header, ref, b, f"“{ref.where()}”", repr(ref.where()))
        out.append(b.submission(f"{source}#{i}", sid, sha256, reader))
    if not out:
        b = Builder()
        b.problem("长表中没有任何填报行（submission_id 列为空）", "the long-form table holds no rows with a submission_id",
                  {"file": source})
        out.append(b.submission(source, Path(source).stem, sha256, reader))
    return out
