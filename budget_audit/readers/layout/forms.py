"""Several forms one after another in one grid (a sheet, a Word table, a PDF table): where each one starts.

Units print a department's project forms into one document or one sheet, each form under its own title
("项目支出绩效自评表") right after the previous form's 总分 / 合计 row. Each form is its own submission: read
as one, its indicators, budget blocks and totals would be added together and checked as one form's.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ...parse.values import clean_text
from .. import headers as H
from .cells import CellRef, value

_FORM_TITLE_RX = re.compile(r"(?:自评表|评价表|自评报告|绩效目标表|评分表)[)）]?$")

#: `is_total_label` once per distinct text: every row's first two values are tested
_total_text = lru_cache(maxsize=65536)(H.is_total_label)


def _first_two(row: list[Any]) -> list[Any]:
    """The first two values of a row: all that is looked at for a title or a total."""
    texts = []
    for x in row:
        if x is None or x == "":
            continue
        v = value(x)
        if v is not None:
            texts.append(v)
            if len(texts) == 2:
                break
    return texts


def _is_total(texts: list[Any]) -> bool:
    return any(isinstance(t, str) and _total_text(t) for t in texts)


def has_total_row(rows: list[list[Any]], start: int = 0) -> bool:
    """Whether a 总分 / 合计 row stands at or below row `start`: a form's score table ends with it."""
    return any(_is_total(_first_two(row)) for row in rows[start:])


def form_segments(rows: list[list[Any]]) -> list[tuple[int, int]]:
    """(first row, end row) of each form of the grid: a new form starts at a title row (its only cell names a
    self-evaluation form) after the previous form's 总分 / 合计 row. One segment, the whole grid, when there is
    no such title."""
    starts, seen_total = [0], False
    for r, row in enumerate(rows):
        texts = _first_two(row)
        if not texts:
            continue
        t0 = texts[0]
        if _is_total(texts):
            seen_total = True
        elif seen_total and len(texts) == 1 and isinstance(t0, str) and _FORM_TITLE_RX.search(clean_text(t0)):
            starts.append(r)
            seen_total = False
    return list(zip(starts, starts[1:] + [len(rows)]))


class RowsFrom(CellRef):
    """A form that starts `offset` rows down a grid: its row r is the grid's row r + offset, located as the grid
    locates it (a sheet's own `SheetRef` takes the offset itself)."""

    def __init__(self, ref: CellRef, offset: int) -> None:
        self.ref, self.offset = ref, offset
        self.header_row = None

    def __call__(self, r: int, c: int) -> dict[str, Any]:
        return self.ref(r + self.offset, c)

    def where(self) -> str:
        return self.ref.where()
