"""The package guard's worksheet bound (`readers.package_guard`): a sheet is first bounded by a few searches
(`_within`), the exact bounding box computed only when that bound is over the limits. The decision and the
message must be those of the exact computation over every cell reference — held here to a tiny reference
of it (`_reference`: the guard as it was before the bound), on hand-made and random sheets and limits."""

from __future__ import annotations

import dataclasses
import io
import random
import re
import zipfile
from pathlib import Path

import pytest

from budget_audit.limits import LimitExceeded, Limits
from budget_audit.readers import package_guard as G
from budget_audit.readers.layout.cells import col_letters

CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')


def _reference(xml: bytes, lim: Limits) -> str | None:
    """The exact check: the box over every cell reference (`<c … r="…">`) against the limits; its English
    message, or None when within them (the rows count only matters for members over 4 × sheet_rows bytes)."""
    found = CELL.findall(xml)
    if not found:
        return None
    rows = [int(n) for _, n in found]
    cols = [G._col(x) for x, _ in found]
    height, width = max(rows) - min(rows) + 1, max(cols) - min(cols) + 1
    if height > lim.sheet_rows or height * width > lim.sheet_cells:
        return f"sheet sheet1.xml spans {height} rows × {width} columns"
    return None


def _sheet(cells_xml: bytes) -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><dimension ref="A1"/><sheetData>' + cells_xml + b"</sheetData></worksheet>")


def _package(tmp: Path, xml: bytes, compression: int = zipfile.ZIP_DEFLATED) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        zf.writestr("[Content_Types].xml", b"<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", xml)
    path = tmp / "book.xlsx"
    path.write_bytes(buf.getvalue())
    return path


def _guard(path: Path, lim: Limits) -> str | None:
    try:
        G.check_zip(path, lim)
    except LimitExceeded as exc:
        return exc.en
    return None


def _cells(refs: list[str]) -> bytes:
    return b"".join(b'<row r="1"><c r="%s" t="n"><v>1</v></c></row>' % r.encode() for r in refs)


CASES = {
    "far cell": (["A1", "XFD1048576"], Limits(), "spans 1048576 rows × 16384 columns"),
    "form sized": ([f"{c}{r}" for c in "ABCDEFGHIJ" for r in range(1, 80)], Limits(), None),
    "two letters, three digits": (["A1", "ZZ999"], Limits(), None),
    "four digits, one letter": (["A1", "Z9999"], Limits(), None),
    "four digits, two letters (exact)": (["A1", "ZZ9000"], Limits(), "spans 9000 rows × 702 columns"),
    "tight limits, small sheet": (["B2", "D5"], dataclasses.replace(Limits(), sheet_cells=10), "spans 4 rows × 3 columns"),
    "tight rows": (["A1", "A50"], dataclasses.replace(Limits(), sheet_rows=20), "spans 50 rows × 1 columns"),
    "box not from A1": (["C100000", "C300000"], Limits(), "spans 200001 rows × 1 columns"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bound_then_exact(tmp_path, name):
    refs, lim, expected = CASES[name]
    xml = _sheet(_cells(refs))
    got = _guard(_package(tmp_path, xml), lim)
    want = _reference(xml, lim)
    assert (got is None) == (want is None) == (expected is None), (got, want)
    if expected is not None:
        assert expected in got and got.startswith(want)


def test_reference_like_text_is_not_a_cell(tmp_path):
    """`r="XFD1048576"` in a string is past every bound (the search errs wide), but it is no cell: the exact
    box (A1 only) decides, so no false STR007."""
    xml = _sheet(b'<row r="1"><c r="A1" t="inlineStr"><is><t>r="XFD1048576"</t></is></c></row>')
    assert _guard(_package(tmp_path, xml), Limits()) is None


def test_namespaced_and_spaced_cells_count(tmp_path):
    """A cell tag with a namespace prefix, a newline before `r`, `r` not first: still inside the bound."""
    xml = _sheet(b'<x:row r="1"><x:c\nr="A1"/><c t="n" r="XFD1048576"/></x:row>')
    assert "spans 1048576 rows × 16384 columns" in _guard(_package(tmp_path, xml), Limits())


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2])
def test_every_compression_is_bounded(tmp_path, compression):
    """Stored and deflated members are read straight from the file; any other compression through zipfile."""
    xml = _sheet(_cells(["A1", "XFD1048576"]))
    assert "1048576 rows" in _guard(_package(tmp_path, xml, compression), Limits())


def test_damaged_member_is_left_to_the_reader(tmp_path):
    path = _package(tmp_path, _sheet(_cells(["A1", "B2"])))
    data = bytearray(path.read_bytes())
    at = data.find(b"xl/worksheets/sheet1.xml") + len("xl/worksheets/sheet1.xml")   # the local header's name
    data[at + 2: at + 40] = b"\xff" * 38                     # the deflate data garbled: no finding from the guard
    path.write_bytes(bytes(data))
    assert _guard(path, Limits()) is None


def test_random_sheets_match_the_reference(tmp_path):
    """Random references and limits: the guard decides exactly as the exact box over every cell does."""
    rng = random.Random(11)
    letters = [col_letters(c - 1) for c in (1, 2, 26, 27, 300, 702, 703, 16384)]
    for k in range(120):
        n = rng.randint(1, 6)
        refs = [f"{rng.choice(letters)}{rng.choice([1, 7, 99, 100, 999, 1000, 9999, 10000, 199999, 1048576])}"
                for _ in range(n)]
        lim = dataclasses.replace(Limits(), sheet_rows=rng.choice([10, 500, 200_000]),
                                  sheet_cells=rng.choice([100, 50_000, 5_000_000]))
        xml = _sheet(_cells(refs))
        got = _guard(_package(tmp_path, xml), lim)
        want = _reference(xml, lim)
        assert (got is None) == (want is None), (refs, lim, got, want)
        if want is not None:
            assert got.startswith(want), (refs, got, want)


@pytest.mark.parametrize("lim", [Limits(sheet_rows=99), Limits(sheet_cells=2574)])
def test_a_row_zero_reference_counts_as_a_row(tmp_path, lim):
    """The exact box counts from the smallest row found, row 0 included (A0 … Z99 is 100 rows): the cheap
    boxes must not let such a sheet through a limit the exact check stops."""
    p = tmp_path / "row0.xlsx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", '<worksheet><sheetData><row r="0"><c r="A0"><v>1</v></c></row>'
                   '<row r="99"><c r="Z99"><v>1</v></c></row></sheetData></worksheet>')
    with pytest.raises(LimitExceeded):
        G.check_zip(p, lim)
