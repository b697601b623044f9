"""Fuzz targets shared by the bounded hypothesis tests (tests/test_fuzz.py, default run) and the long
harness (`python -m tests.fuzz.harness`, ≥ 1M executions, outside the default run).

Each target takes bytes (or text) and must never raise: whatever the input, the parsers return a value,
the readers return submissions (an unreadable one carries STR007)."""

from __future__ import annotations

import io
import math
import tempfile
import zipfile
from pathlib import Path

from budget_audit.parse.methods import compare, explain, parse_method, recompute
from budget_audit.parse.values import clean_text, parse_points, parse_value, split_code_name, split_label_points

KINDS = ("missing", "number", "label", "invalid")


def value_target(text: str) -> None:
    for pct in (False, True):
        v = parse_value(text, percent=pct)
        assert v.kind in KINDS
        if v.kind == "number":
            assert v.number is not None and math.isfinite(v.number) and v.tol is not None and v.tol > 0
    parse_points(text)
    split_code_name(text)
    split_label_points(text)
    clean_text(text)


def method_target(text: str, target: str = "≥90%", actual: str = "95%", weight: float = 10.0) -> None:
    m = parse_method(text)
    r = recompute(m, target, actual, weight)
    lo, hi = r.low, r.high
    if lo is not None and hi is not None:
        assert -1e-9 <= lo <= hi + 1e-9 and hi <= weight + 1e-9, (text, lo, hi)
    compare(target, actual)
    explain(text, target=target, actual=actual, weight=weight)


def _read(path: Path):
    from budget_audit.readers import read_inputs

    subs = read_inputs([str(path)])
    assert subs, "every input yields a submission"
    for s in subs:
        if s.data is None:
            assert s.problems, "an unreadable input says why"
    return subs


def json_target(data: bytes, directory: Path) -> None:
    p = directory / "fuzz.json"
    p.write_bytes(data)
    _read(p)


def workbook_target(data: bytes, directory: Path, suffix: str = ".xlsx") -> None:
    p = directory / f"fuzz{suffix}"
    p.write_bytes(data)
    _read(p)


def mutate_zip(base: bytes, member: str, pos: int, chunk: bytes) -> bytes:
    """The workbook with bytes of one member overwritten at `pos` (a damaged sheet, styles or strings)."""
    zin = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for i in zin.infolist():
            body = zin.read(i.filename)
            if i.filename == member and body:
                k = pos % len(body)
                body = body[:k] + chunk + body[k + len(chunk):]
            z.writestr(i.filename, body)
    return out.getvalue()


def tmpdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="ba-fuzz-"))
