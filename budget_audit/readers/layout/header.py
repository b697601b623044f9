"""The score table's header: the row (or two) whose cells name indicator fields, among synonyms (`headers.py`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .. import headers as H
from .builder import Builder
from .cells import MAX_HEADER_SCAN, CellRef, cell, col_letters, is_number, looks_numeric, value

# --------------------------------------------------------------------------------------------
# score-table header
# --------------------------------------------------------------------------------------------

_GENERIC_NAME_HEADERS = frozenset(H.norm(x) for x in ("指标", "绩效指标", "评价指标"))
# A table printing two target/actual pairs, 目标值 → 目标完成值 and 标准值 → 评价指标值 (Jiangsu scoring tables):
# the scoring rule judges the 评价指标 against its 标准值, so that pair is the one read.
_PREFERRED = {"target": frozenset({H.norm("标准值")}), "actual": frozenset({H.norm("评价指标值")})}


@dataclass
class Header:
    row: int                                   # the main header row
    first: int                                 # first row of the header band
    last: int                                  # last row of the header band (data start after it)
    cols: dict[str, int]                       # indicator field → column
    batch: dict[str, int] = field(default_factory=dict)   # submission_id/unit/year/profile → column
    texts: dict[int, str] = field(default_factory=dict)   # column → header text as printed

    def field_of(self, c: int) -> str | None:
        for f, cc in self.cols.items():
            if cc == c:
                return f
        return None


@lru_cache(maxsize=65536)
def _classify(x: str) -> tuple[str | None, str | None, bool]:
    """(batch column, score-table field, generic name header?) of a header text: once per distinct text."""
    h = H.norm(x)                   # `column_field` and `batch_field` of x, normalised once
    f = H._column_field(h)
    return H._BATCH_INDEX.get(h), f, f == "name" and h in _GENERIC_NAME_HEADERS


@lru_cache(maxsize=65536)
def _names_field(x: str) -> bool:
    """A text cell naming a score-table field (`_match_cells` gives it a column): once per distinct text."""
    return bool(x.strip()) and _classify(x)[1] is not None


_IS_STR = str.__instancecheck__     # isinstance(x, str) as a C callable: `filter` drops numbers without a Python call


_NO_COLUMNS: tuple[dict[str, int], dict[str, int]] = ({}, {})


def _match_row(row: list[Any], copy: bool = True) -> tuple[dict[str, int], dict[str, int]]:
    """(field → column, batch field → column) of a row; `copy=False`: the memo's own dicts, only to read.

    A row with fewer than two cells naming a field is no header to any caller (a header, its second row and a
    long form's header all need two): it matches nothing. That test runs in C over the memo of distinct texts
    (`filter`, `map`), so the data rows of every sheet cost no Python call per cell."""
    try:
        if sum(map(_names_field, filter(_IS_STR, row))) < 2:
            cols, batch = _NO_COLUMNS
        else:
            cols, batch = _match_cells(tuple(row))
    except TypeError:               # an unhashable cell value
        cols, batch = _match_cells.__wrapped__(row)
    return (dict(cols), dict(batch)) if copy else (cols, batch)


@lru_cache(maxsize=8192)
def _match_cells(row: tuple[Any, ...] | list[Any]) -> tuple[dict[str, int], dict[str, int]]:
    """`_match_row` once per distinct row content (a form's rows are scanned by several header searches)."""
    cols: dict[str, int] = {}
    batch: dict[str, int] = {}
    generic: list[tuple[str, int]] = []
    for c, x in enumerate(row):
        if not isinstance(x, str) or not x.strip():
            continue
        b, f, generic_name = _classify(x)
        if b and b not in batch:
            batch[b] = c
            if b in ("submission_id",):
                continue
        if generic_name:
            generic.append((f, c))     # "绩效指标" over a block: only when no 三级指标 column exists
        elif f and (f not in cols or H.norm(x) in _PREFERRED.get(f, ())):
            cols[f] = c
    for f, c in generic:
        if f not in cols:
            cols[f] = c
    return cols, batch


def _qualifies(cols: dict[str, int]) -> bool:
    key = {"name", "weight", "score"} & cols.keys()
    return ("name" in cols and len(key) >= 2) or (len(cols) >= 3 and bool(key))


def _has_numbers(row: list[Any]) -> bool:
    return any(is_number(x) for x in row)


def find_header(rows: list[list[Any]], limit: int = MAX_HEADER_SCAN) -> Header | None:
    """The score table's header row (the first row with the most matching columns)."""
    best: tuple[int, dict[str, int], dict[str, int]] | None = None
    for r in range(min(len(rows), limit)):
        cols, batch = _match_row(rows[r], copy=False)
        if cols and _qualifies(cols) and (best is None or len(cols) > len(best[1])):
            best = (r, cols, batch)
    if best is None:
        return None
    return _build_header(rows, best[0], dict(best[1]), dict(best[2]))


def find_headers(rows: list[list[Any]], limit: int = MAX_HEADER_SCAN, main: Header | None = None) -> list[Header]:
    """Every score table of a grid, in order: the main header (`find_header`), and any other header row
    naming a different set of columns ("项目权重 | 评价内容 | 分值 | 自评分" above "一级指标 | 二级指标 | … | 自评分")
    — a header repeated after a page break is the same table."""
    main = main or find_header(rows, limit)
    if main is None:
        return []
    out = [main]
    for r in range(len(rows)):
        cols, batch = _match_row(rows[r], copy=False)
        named = "name" in cols or "description" in cols
        if not (named and ({"weight", "score"} & cols.keys()) and len(cols) >= 3):
            continue
        if any(h.first <= r <= h.last for h in out):     # a row of a header band already found
            continue
        h = _build_header(rows, r, dict(cols), dict(batch))
        if all(h.cols != o.cols for o in out):
            out.append(h)
    return sorted(out, key=lambda h: h.row)


def table_rows(headers: list[Header], n_rows: int) -> list[range]:
    """The rows of each table: from below its header to the next table's header."""
    return [range(h.last + 1, headers[i + 1].first if i + 1 < len(headers) else n_rows)
            for i, h in enumerate(headers)]


def _build_header(rows: list[list[Any]], r: int, cols: dict[str, int], batch: dict[str, int]) -> Header:
    first = last = r
    # two-row headers: "指标" over 一级/二级/三级, or 权值/得分 on the row below
    for rr in (r + 1, r - 1):
        if rr < 0 or rr >= len(rows) or _has_numbers(rows[rr]):
            continue
        extra, extra_batch = _match_row(rows[rr])
        if len(extra) < 2:
            continue
        used = set(cols.values())
        took = False
        for f, c in extra.items():
            if f in cols and cols[f] == c:
                continue
            generic = c in used and H.norm(rows[r][c] if c < len(rows[r]) else None) in _GENERIC_NAME_HEADERS
            if c in used and not generic:
                continue
            if generic:
                cols = {k: v for k, v in cols.items() if v != c}
            if f not in cols:
                cols[f] = c
                took = True
        for f, c in extra_batch.items():
            batch.setdefault(f, c)
        if took:
            first, last = min(first, rr), max(last, rr)
    if "name" not in cols and "description" in cols and cols["description"] < cols.get("weight", 10**6):
        cols["name"] = cols.pop("description")     # "评价内容 | 分值 | 得分": the content column names the rows
    cols = _level_points(rows, first, last, cols)
    score_above = _score_column_above(rows, first, cols) if "score" not in cols else None
    if score_above is not None:
        cols["score"] = score_above
    texts = {}
    for c in set(cols.values()) | set(batch.values()):
        for rr in range(first, last + 1):
            t = value(rows[rr][c]) if c < len(rows[rr]) else None
            if t is not None and (H.column_field(t) or H.batch_field(t)):
                texts[c] = str(t)
        if c not in texts:
            texts[c] = str(value(rows[r][c]) if c < len(rows[r]) else "") or col_letters(c)
    return Header(row=r, first=first, last=last, cols=cols, batch=batch, texts=texts)


def _score_column_above(rows: list[list[Any]], first: int, cols: dict[str, int]) -> int | None:
    """A points column headed by a number (the section's points, "| 实际完成指标值 | 50"), labelled only at the
    top of the form ("自评得分" over the header block): the column right of every named one whose header cell
    is a number and whose label above names the score."""
    last_named = max(cols.values(), default=-1)
    row = rows[first]
    for c in range(last_named + 1, len(row)):
        if not looks_numeric(row[c]):
            continue
        for rr in range(first - 1, -1, -1):
            x = value(rows[rr][c]) if c < len(rows[rr]) else None
            if isinstance(x, str) and H.column_field(x) == "score":
                return c
    return None


def _level_points(rows: list[list[Any]], first: int, last: int, cols: dict[str, int]) -> dict[str, int]:
    """Framework tables print a 分值 column after each level ("一级指标 | 分值 | 二级指标 | 分值 | 三级指标 | 分值"):
    the one after the indicator name is the weight, the others the section's and the group's points."""
    def columns_of(f: str) -> list[int]:
        return sorted({c for rr in range(first, last + 1) for c, x in enumerate(rows[rr])
                       if isinstance(x, str) and H.column_field(x) == f})

    points = columns_of("weight")
    out = dict(cols)
    scores = columns_of("score")
    if not points and len(scores) >= 3 and "name" in cols and scores[-1] > cols["name"]:
        # "一级指标 | 得分 | 二级指标 | 得分 | 三级指标 | 得分 | 评价标准 | 指标说明 | 得分": the columns headed 得分
        # after each level hold its points; only the last one holds the score
        points, out["score"] = scores[:-1], scores[-1]
    if len(points) < 2 or "name" not in cols:
        return out
    after = {f: next((c for c in points if c > out[f]), None) for f in ("section", "group", "name") if f in out}
    if after.get("name") is not None:
        out["weight"] = after["name"]
    for level, f in (("section_points", "section"), ("group_points", "group")):
        c = after.get(f)
        if c is not None and c != out.get("weight") and (f != "section" or c != after.get("group")):
            out[level] = c
    return out


def is_repeat_header(row: list[Any], header: Header) -> bool:
    """A header row repeated after a page break: ≥ 2 cells naming their own column's field."""
    n = len(row)
    return repeats_header({f: value(row[c]) if c < n else None for f, c in header.cols.items()})


def repeats_header(vals: dict[str, Any]) -> bool:
    """`is_repeat_header` of a row's cells already read as printed (field → value, the score-table walk's).
    Data rows are let go by the C-level count of cells naming any field (memoised per distinct value, mostly
    filled by the header search over the same rows) before the per-cell test of each cell's own field."""
    try:
        if sum(map(_names_field, filter(_IS_STR, vals.values()))) < 2:
            return False
    except TypeError:               # an unhashable cell value: the per-cell test alone
        pass
    hits = 0
    for f, x in vals.items():
        if isinstance(x, str) and H.column_field_str(x) == f:     # column_field of a str
            hits += 1
            if hits == 2:
                return True
    return False


FIELD_LABELS_ZH = {"name": "三级指标（指标名称）", "weight": "权值（分值）", "score": "得分"}


def report_missing_columns(header: Header, ref: CellRef, b: Builder, table_zh: str, table_en: str) -> None:
    """STR001 when the header has no indicator-name column. A form that prints no weight (or no score)
    column is a layout, not a mistake: one STR009 info says so, and the rows are not "missing" them —
    unless the rows carry their points in their names ("决策依据（4分）")."""
    where = ref(header.row, min(header.cols.values(), default=0))
    if "name" not in header.cols:
        b.problem(f"{table_zh}第 {header.row + 1} 行的表头缺少“{FIELD_LABELS_ZH['name']}”列",
                  f"{table_en}: the header row {header.row + 1} has no name column ({FIELD_LABELS_ZH['name']})", where)
    absent = [f for f in ("weight", "score") if not any(ind.get(f) is not None for ind in b.indicators)
              and any(f in (ind.get("not_printed") or ()) for ind in b.indicators)]
    if absent:
        b.not_printed.update(absent)
        zh = "、".join(FIELD_LABELS_ZH[f] for f in absent)
        b.problem(f"{table_zh}没有{zh}列：需要{zh}的规则不适用",
                  f"{table_en}: the form prints no {' or '.join(absent)} column; rules that need it do not apply",
                  where, rule="STR009")
    if "score" in absent and _declares_points(b) and not any(st.get("quantity") == "total" for st in b.statements):
        # points are printed ("预算执行情况(20分)", "年度绩效目标(80分)"): a scored form whose self-assessed scores
        # are missing altogether, not a layout without scores
        b.problem(f"{table_zh}标注了分值，却没有任何得分（无得分列、无总分）：自评得分未填报",
                  f"{table_en}: points are printed but no score at all (no score column, no total): the self-assessed "
                  f"scores are missing", where)


def _declares_points(b: Builder) -> bool:
    """The form prints the points of its parts: a budget block's 分值, the indicator part's, or a section's."""
    return ((b.budget or {}).get("weight") is not None or b.top.get("indicator_points") is not None
            or any(s.get("points") is not None for s in b.sections))


