"""Cells and references: (row, col) integers → "H12", a cell value as printed, where a cell stood."""

from __future__ import annotations

import re
from functools import lru_cache

from typing import Any

RATE_KEYS = ("execution_rate", "project_execution_rate")
MAX_HEADER_SCAN = 30
NO_SCORE_TABLE = ("找不到指标得分表（需要含 三级指标/权值/得分 列的表头）",
                  "no indicator score table found (a header row with 三级指标 / 权值 / 得分 columns is required)")

# --------------------------------------------------------------------------------------------
# cells and references
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=1024)
def col_letters(c: int) -> str:
    """0 → "A", 25 → "Z", 26 → "AA"."""
    s = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        s = chr(65 + rem) + s
    return s


def cell_name(r: int, c: int) -> str:
    """0-based row/column → "H12"."""
    return f"{col_letters(c)}{r + 1}"


class CellRef:
    """Where a cell stood: (row index, column index) → location dict. Parsers set `header_row`."""

    header_row: int | None = None

    def __call__(self, r: int, c: int) -> dict[str, Any]:  # pragma: no cover - interface
        raise NotImplementedError

    def cells(self, r: int, fields: list[tuple[str, int]], vals: dict[str, Any]) -> dict[str, dict[str, Any]]:
        """{field: location} of the (field, column) pairs on row `r` whose value in `vals` is not None: one call
        per row (SheetRef inlines it)."""
        return {f: self(r, c) for f, c in fields if vals[f] is not None}

    def where(self) -> str:
        """Human label of the table for `statements[].where` ("指标得分表", "indicators.csv")."""
        raise NotImplementedError  # pragma: no cover


def value(x: Any) -> Any:
    """A cell as printed: '' / whitespace → None, strings stripped, numbers/dates untouched."""
    if x is None or x == "":          # calamine's empty cell: the most common value by far
        return None
    if isinstance(x, str):
        s = x.strip()
        return s or None
    if isinstance(x, float) and x != x:   # NaN never comes from calamine, but from pandas it might
        return None
    return x


def values(row: list[Any]) -> list[Any]:
    """`[value(x) for x in row]`, the same rule inlined: a score table's rows are cleaned once each, without a
    function call per cell (tests/test_layout_values.py holds it to `value`)."""
    return [None if x is None or x == "" else ((x.strip() or None) if isinstance(x, str)
                                               else (None if isinstance(x, float) and x != x else x)) for x in row]


class MergedName(str):
    """The text of a name cell merged over this line (filled in by the workbook reader): the same indicator
    name on another scored line of it."""


def cell(row: list[Any], c: int | None) -> Any:
    if c is None or c >= len(row):
        return None
    return value(row[c])


def is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


_PLAIN_NUMBER_RX = re.compile(r"^\s*-?[0-9]+(?:\.[0-9]+)?\s*$")


def looks_numeric(x: Any) -> bool:
    """A number, or a cell printing only one (Word and PDF tables give every cell as text)."""
    return is_number(x) or (isinstance(x, str) and bool(_PLAIN_NUMBER_RX.match(x)))


def id_text(x: Any) -> str:
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x).strip()


