"""Table rows → a submission: the logic shared by the Excel and CSV readers.

Works on a list of rows (lists of cell values) plus a cell-reference function, so the same code
reads a worksheet and a CSV file: finding the header row among synonyms (`headers.py`), the score
table (codes glued to names, points in labels, merged-cell blanks carried down, repeated headers,
合计/小计 rows as statements, "其中" breakdowns, parent rows), key/value sheets (基本信息 / 预算执行 /
自评结论) and long-form batch tables. It does not judge or convert values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from ..model import Problem, RawSubmission
from ..values import clean_text, split_code_name, split_label_points
from . import headers as H

RATE_KEYS = ("execution_rate", "project_execution_rate")
MAX_HEADER_SCAN = 30
NO_SCORE_TABLE = ("找不到指标得分表（需要含 三级指标/权值/得分 列的表头）",
                  "no indicator score table found (a header row with 三级指标 / 权值 / 得分 columns is required)")

# --------------------------------------------------------------------------------------------
# cells and references
# --------------------------------------------------------------------------------------------


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

    def where(self) -> str:
        """Human label of the table for `statements[].where` ("指标得分表", "indicators.csv")."""
        raise NotImplementedError  # pragma: no cover


def value(x: Any) -> Any:
    """A cell as printed: '' / whitespace → None, strings stripped, numbers/dates untouched."""
    if x is None:
        return None
    if isinstance(x, str):
        s = x.strip()
        return s or None
    if isinstance(x, float) and x != x:   # NaN never comes from calamine, but from pandas it might
        return None
    return x


def _get(row: list[Any], c: int | None) -> Any:
    if c is None or c >= len(row):
        return None
    return value(row[c])


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _id_text(x: Any) -> str:
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x).strip()


# --------------------------------------------------------------------------------------------
# the submission being built
# --------------------------------------------------------------------------------------------


class Builder:
    """Collects one submission's data dict and its `loc` map."""

    def __init__(self) -> None:
        self.top: dict[str, Any] = {}
        self.budget: dict[str, Any] | None = None
        self.sections: list[dict[str, Any]] = []
        self.groups: list[dict[str, Any]] = []
        self.indicators: list[dict[str, Any]] = []
        self.statements: list[dict[str, Any]] = []
        self.loc: dict[str, dict[str, Any]] = {}
        self.problems: list[Problem] = []
        self._sec_index: dict[str, int] = {}
        self._grp_index: dict[tuple[str | None, str], int] = {}

    # ---- top-level fields ------------------------------------------------------------------
    def set_top(self, key: str, val: Any, loc: dict[str, Any] | None) -> None:
        if val is None or self.top.get(key) is not None:
            return
        self.top[key] = val
        if loc:
            self.loc[key] = loc

    # ---- budget ----------------------------------------------------------------------------
    def ensure_budget(self) -> dict[str, Any]:
        if self.budget is None:
            self.budget = {k: None for k in H.BUDGET_KEYS}
        return self.budget

    def set_budget(self, key: str, val: Any, loc: dict[str, Any] | None, label: str) -> None:
        budget = self.ensure_budget()
        if val is None:
            budget.setdefault(key, None)
            return
        if budget.get(key) is None:
            budget[key] = val
            if loc:
                self.loc[f"budget.{key}"] = loc
        elif key not in ("currency_unit", "reason"):
            # the same figure printed twice: keep both, so conflicts surface as XST001
            q = key if key in RATE_KEYS else f"budget:{key}"
            self.add_statement(q, val, label, loc)

    # ---- sections / groups -----------------------------------------------------------------
    def section(self, code: str | None, name: str | None, points: Any, loc: dict | None,
                points_loc: dict | None = None) -> str | None:
        key = code or name
        if not key:
            return None
        if key in self._sec_index:
            s = self.sections[self._sec_index[key]]
            i = self._sec_index[key]
            if s.get("points") is None and points is not None:
                s["points"] = points
                if points_loc or loc:
                    self.loc[f"sections[{i}].points"] = points_loc or loc
            if s.get("name") is None and name:
                s["name"] = name
                if loc:
                    self.loc[f"sections[{i}].name"] = loc
            return key
        i = len(self.sections)
        self.sections.append({"code": code, "name": name or None, "points": points})
        self._sec_index[key] = i
        if loc:
            for f, v in (("code", code), ("name", name)):
                if v:
                    self.loc[f"sections[{i}].{f}"] = loc
        if points is not None and (points_loc or loc):
            self.loc[f"sections[{i}].points"] = points_loc or loc
        return key

    def section_points(self, key: str, points: Any, loc: dict | None) -> None:
        i = self._sec_index.get(key)
        if i is not None and self.sections[i].get("points") is None and points is not None:
            self.sections[i]["points"] = points
            if loc:
                self.loc[f"sections[{i}].points"] = loc

    def group(self, section: str | None, code: str | None, name: str | None, points: Any,
              loc: dict | None, points_loc: dict | None = None) -> str | None:
        key = code or name
        if not key:
            return None
        k = (section, key)
        if k in self._grp_index:
            i = self._grp_index[k]
            g = self.groups[i]
            if g.get("points") is None and points is not None:
                g["points"] = points
                if points_loc or loc:
                    self.loc[f"groups[{i}].points"] = points_loc or loc
            return key
        i = len(self.groups)
        self.groups.append({"section": section, "code": code, "name": name or None, "points": points})
        self._grp_index[k] = i
        if loc:
            for f, v in (("code", code), ("name", name)):
                if v:
                    self.loc[f"groups[{i}].{f}"] = loc
            if section:
                self.loc[f"groups[{i}].section"] = loc
        if points is not None and (points_loc or loc):
            self.loc[f"groups[{i}].points"] = points_loc or loc
        return key

    def group_points(self, section: str | None, key: str, points: Any, loc: dict | None) -> None:
        i = self._grp_index.get((section, key))
        if i is not None and self.groups[i].get("points") is None and points is not None:
            self.groups[i]["points"] = points
            if loc:
                self.loc[f"groups[{i}].points"] = loc

    def section_key_for(self, text: str) -> str | None:
        """A section named in a statement label ("部门管理", "B部门管理", "B") → its key."""
        code, name = split_code_name(text)
        if code and len(code) == 1:
            return code
        name = name or text
        for s in self.sections:
            if s.get("name") and clean_text(s["name"]) == name:
                return s.get("code") or s["name"]
        return name or None

    # ---- indicators / statements -----------------------------------------------------------
    def add_indicator(self, ind: dict[str, Any], locs: dict[str, dict | None]) -> int:
        j = len(self.indicators)
        self.indicators.append(ind)
        for f, loc in locs.items():
            if loc is not None and ind.get(f) is not None:
                self.loc[f"indicators[{j}].{f}"] = loc
        return j

    def add_statement(self, quantity: str, val: Any, where: str | None, loc: dict | None,
                      label_loc: dict | None = None) -> None:
        if val is None:
            return
        k = len(self.statements)
        self.statements.append({"quantity": quantity, "value": val, "where": where})
        if loc:
            self.loc[f"statements[{k}].value"] = loc
        if label_loc or loc:
            self.loc[f"statements[{k}].quantity"] = label_loc or loc

    def problem(self, zh: str, en: str, location: dict | None, rule: str = "STR001") -> None:
        self.problems.append(Problem(rule, zh, en, location))

    # ---- result ----------------------------------------------------------------------------
    def data(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k in ("unit", "year", "profile", "project", "title"):
            if k in self.top:
                out[k] = self.top[k]
        if self.budget is not None:
            out["budget"] = self.budget
        out["sections"] = self.sections
        out["groups"] = self.groups
        out["indicators"] = self.indicators
        out["statements"] = self.statements
        return out

    def submission(self, source: str, sid: str, sha256: str | None, reader: str) -> RawSubmission:
        return RawSubmission(source=source, id=sid, data=self.data(), loc=self.loc, problems=self.problems,
                             sha256=sha256, reader=reader)


# --------------------------------------------------------------------------------------------
# score-table header
# --------------------------------------------------------------------------------------------

_GENERIC_NAME_HEADERS = frozenset(H.norm(x) for x in ("指标", "绩效指标", "评价指标"))


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


def _match_row(row: list[Any]) -> tuple[dict[str, int], dict[str, int]]:
    cols: dict[str, int] = {}
    batch: dict[str, int] = {}
    generic: list[tuple[str, int]] = []
    for c, x in enumerate(row):
        if not isinstance(x, str) or not x.strip():
            continue
        b = H.batch_field(x)
        if b and b not in batch:
            batch[b] = c
            if b in ("submission_id",):
                continue
        f = H.column_field(x)
        if f == "name" and H.norm(x) in _GENERIC_NAME_HEADERS:
            generic.append((f, c))     # "绩效指标" over a block: only when no 三级指标 column exists
        elif f and f not in cols:
            cols[f] = c
    for f, c in generic:
        if f not in cols:
            cols[f] = c
    return cols, batch


def _qualifies(cols: dict[str, int]) -> bool:
    key = {"name", "weight", "score"} & cols.keys()
    return ("name" in cols and len(key) >= 2) or (len(cols) >= 3 and bool(key))


def _has_numbers(row: list[Any]) -> bool:
    return any(_is_number(x) for x in row)


def find_header(rows: list[list[Any]], limit: int = MAX_HEADER_SCAN) -> Header | None:
    """The score table's header row (the first row with the most matching columns)."""
    best: tuple[int, dict[str, int], dict[str, int]] | None = None
    for r in range(min(len(rows), limit)):
        cols, batch = _match_row(rows[r])
        if _qualifies(cols) and (best is None or len(cols) > len(best[1])):
            best = (r, cols, batch)
    if best is None:
        return None
    r, cols, batch = best
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
    texts = {}
    for c in set(cols.values()) | set(batch.values()):
        for rr in range(first, last + 1):
            t = value(rows[rr][c]) if c < len(rows[rr]) else None
            if t is not None and (H.column_field(t) or H.batch_field(t)):
                texts[c] = str(t)
        if c not in texts:
            texts[c] = str(value(rows[r][c]) if c < len(rows[r]) else "") or col_letters(c)
    return Header(row=r, first=first, last=last, cols=cols, batch=batch, texts=texts)


def _is_repeat_header(row: list[Any], header: Header) -> bool:
    """A header row repeated after a page break: ≥ 2 cells naming their own column's field."""
    hits = 0
    for f, c in header.cols.items():
        x = _get(row, c)
        if isinstance(x, str) and H.column_field(x) == f:
            hits += 1
    return hits >= 2


FIELD_LABELS_ZH = {"name": "三级指标（指标名称）", "weight": "权值（分值）", "score": "得分"}


def report_missing_columns(header: Header, ref: CellRef, b: Builder, table_zh: str, table_en: str) -> None:
    """STR001 for each required column (name / weight / score) the header lacks."""
    for f in H.REQUIRED_FIELDS:
        if f not in header.cols:
            b.problem(f"{table_zh}第 {header.row + 1} 行的表头缺少“{FIELD_LABELS_ZH[f]}”列",
                      f"{table_en}: the header row {header.row + 1} has no {f} column ({FIELD_LABELS_ZH[f]})",
                      ref(header.row, min(header.cols.values(), default=0)))


# --------------------------------------------------------------------------------------------
# score-table rows
# --------------------------------------------------------------------------------------------

_SECTION_CODE_RX = re.compile(r"[A-Z]")
_GROUP_CODE_RX = re.compile(r"[A-Z][0-9]")
TEXT_FIELDS = ("description", "method", "note", "deviation_reason")
VALUE_FIELDS = ("description", "operator", "target", "unit", "actual", "weight", "score", "method", "note",
                "deviation_reason")


def _points_text(v: Any) -> Any:
    """The printed points of a label ("（≤5分）" → "≤5"), from split_label_points' Value."""
    if v is None:
        return None
    raw = v.raw if v.raw is not None else None
    if raw is None:
        return None
    raw = raw.strip()
    if raw.endswith("分"):
        raw = raw[:-1]
    return raw or None


def _label(text: Any) -> tuple[str | None, str, Any]:
    """Section/group label → (code, name, points as printed)."""
    label, pts = split_label_points(text)
    code, name = split_code_name(label)
    return code, name, _points_text(pts)


@dataclass
class _Pending:
    """A level-1/level-2 row with a weight and no indicator name: parent or leaf, decided later."""
    level: int
    key: str
    code: str | None
    name: str
    section: str | None
    row: int
    vals: dict[str, Any]
    label_loc: dict | None
    label_text: str
    has_children: bool = False


def parse_score_table(rows: list[list[Any]], ref: CellRef, b: Builder, header: Header,
                      indices: Iterable[int] | None = None) -> None:
    """Walk the rows below `header` into sections, groups, indicators and statements of `b`."""
    cols = header.cols
    ref.header_row = header.row
    table = ref.where()
    cur_sec: str | None = None
    cur_grp: str | None = None
    sec_loc: dict | None = None
    grp_loc: dict | None = None
    pend: dict[int, _Pending | None] = {1: None, 2: None}
    last_ind: int | None = None
    after_total = False
    has_section_col = "section" in cols

    def loc(r: int, f: str) -> dict | None:
        c = cols.get(f)
        return ref(r, c) if c is not None else None

    def finalize(level: int) -> None:
        nonlocal last_ind
        p = pend[level]
        pend[level] = None
        if p is None:
            return
        wloc = loc(p.row, "weight")
        if p.has_children:
            if p.level == 1:
                b.section_points(p.key, p.vals.get("weight"), wloc)
                if p.vals.get("score") is not None:
                    b.add_statement(f"section:{p.key}", p.vals["score"], f"{table} {p.label_text}",
                                    loc(p.row, "score"), p.label_loc)
            else:
                b.group_points(p.section, p.key, p.vals.get("weight"), wloc)
            return
        # no children: the labelled row is itself the scored row
        ind = {f: None for f in H.INDICATOR_FIELDS}
        ind.update({f: p.vals.get(f) for f in VALUE_FIELDS})
        ind["section"] = p.section if p.level == 2 else p.key
        ind["group"] = p.key if p.level == 2 else None
        ind["code"], ind["name"] = p.code, p.name
        locs = {f: loc(p.row, f) for f in VALUE_FIELDS}
        locs.update(section=sec_loc, group=grp_loc if p.level == 2 else None, code=p.label_loc, name=p.label_loc)
        last_ind = b.add_indicator(ind, locs)
        if p.level == 2 and pend[1] is not None:
            pend[1].has_children = True

    def mark_children() -> None:
        for lv in (1, 2):
            if pend[lv] is not None:
                pend[lv].has_children = True

    rng = indices if indices is not None else range(header.last + 1, len(rows))
    for r in rng:
        if r <= header.last and indices is None:
            continue
        row = rows[r]
        if all(value(x) is None for x in row):
            continue
        if _is_repeat_header(row, header):
            after_total = False
            continue
        vals = {f: _get(row, c) for f, c in cols.items()}
        sec_text, grp_text, name_text = vals.get("section"), vals.get("group"), vals.get("name")
        first_text = next((value(x) for x in row if isinstance(value(x), str)), None)
        labels = [t for t in (sec_text, grp_text, name_text, first_text) if isinstance(t, str)]
        weight, score = vals.get("weight"), vals.get("score")

        # ---- 合计 / 小计 / footers ----------------------------------------------------------
        if any(H.is_total_label(t) for t in labels):
            finalize(2)
            finalize(1)
            tl = next(t for t in labels if H.is_total_label(t))
            label_c = next((c for c, x in enumerate(row) if value(x) == tl), None)
            b.add_statement("total", score, f"{table} {clean_text(tl)}", loc(r, "score"),
                            ref(r, label_c) if label_c is not None else None)
            if b.indicators:
                after_total = True
            continue
        if any(H.is_subtotal_label(t) for t in labels):
            tl = next(t for t in labels if H.is_subtotal_label(t))
            prefix = H.strip_subtotal(tl)
            key = b.section_key_for(prefix) if prefix else cur_sec
            if key:
                label_c = next((c for c, x in enumerate(row) if value(x) == tl), None)
                b.add_statement(f"section:{key}", score, f"{table} {clean_text(tl)}", loc(r, "score"),
                                ref(r, label_c) if label_c is not None else None)
            continue
        if after_total and weight is None and score is None:
            continue        # notes and signatures below the total row
        if first_text is not None and H.is_footer(first_text) and weight is None and score is None:
            continue

        # ---- level 1 / level 2 labels -------------------------------------------------------
        if isinstance(sec_text, str):
            code, name, pts = _label(sec_text)
            key = code or name
            if key and key != cur_sec:
                finalize(2)
                finalize(1)
                cur_grp, grp_loc = None, None
            sec_loc = loc(r, "section")
            cur_sec = b.section(code, name, pts, sec_loc) or cur_sec
        if isinstance(grp_text, str):
            code, name, pts = _label(grp_text)
            key = code or name
            if key and key != cur_grp:
                finalize(2)
            grp_loc = loc(r, "group")
            cur_grp = b.group(cur_sec, code, name, pts, grp_loc) or cur_grp

        # single-column hierarchies: "A部门决策（15分）" / "A1决策机制" rows in the name column
        if name_text is not None and sec_text is None and grp_text is None and all(
                vals.get(f) is None for f in VALUE_FIELDS):
            code, name, pts = _label(name_text)
            if code and _SECTION_CODE_RX.fullmatch(code):
                finalize(2)
                finalize(1)
                sec_loc = loc(r, "name")
                cur_sec = b.section(code, name, pts, sec_loc) or cur_sec
                cur_grp, grp_loc = None, None
                continue
            if code and _GROUP_CODE_RX.fullmatch(code) and (cur_sec is None or code[0] == cur_sec[:1]):
                finalize(2)
                grp_loc = loc(r, "name")
                cur_grp = b.group(cur_sec, code, name, pts, grp_loc) or cur_grp
                continue
            if code is None and pts is not None and not has_section_col:
                finalize(2)
                finalize(1)
                sec_loc = loc(r, "name")
                cur_sec = b.section(None, name, pts, sec_loc) or cur_sec
                cur_grp, grp_loc = None, None
                continue

        # ---- the scored row ------------------------------------------------------------------
        if name_text is not None:
            if H.is_breakdown(name_text) and weight is None:
                continue
            code, name = split_code_name(name_text)
            if "code" in cols and vals.get("code") is not None:
                code = _id_text(vals["code"])
            ind = {f: None for f in H.INDICATOR_FIELDS}
            ind.update({f: vals.get(f) for f in VALUE_FIELDS})
            ind.update(section=cur_sec, group=cur_grp, code=code, name=name or None)
            locs = {f: loc(r, f) for f in VALUE_FIELDS}
            locs.update(section=sec_loc, group=grp_loc, name=loc(r, "name"),
                        code=loc(r, "code") if vals.get("code") is not None else loc(r, "name"))
            mark_children()
            last_ind = b.add_indicator(ind, locs)
            continue

        labelled = isinstance(sec_text, str) or isinstance(grp_text, str)
        if labelled and (weight is not None or score is not None):
            level = 2 if isinstance(grp_text, str) else 1
            key = cur_grp if level == 2 else cur_sec
            text = grp_text if level == 2 else sec_text
            code, name, _ = _label(text)
            finalize(2)
            if level == 1:
                finalize(1)
            pend[level] = _Pending(level, key or name, code, name, cur_sec, r,
                                   {f: vals.get(f) for f in VALUE_FIELDS},
                                   grp_loc if level == 2 else sec_loc, clean_text(text))
            continue
        if labelled:
            continue

        # ---- rows without any label ----------------------------------------------------------
        if weight is not None or score is not None:
            # a scored row whose name cell is empty (or a table without a name column)
            ind = {f: None for f in H.INDICATOR_FIELDS}
            ind.update({f: vals.get(f) for f in VALUE_FIELDS})
            ind.update(section=cur_sec, group=cur_grp)
            locs = {f: loc(r, f) for f in VALUE_FIELDS}
            locs.update(section=sec_loc, group=grp_loc)
            mark_children()
            last_ind = b.add_indicator(ind, locs)
            continue
        if last_ind is not None and any(vals.get(f) is not None for f in TEXT_FIELDS) and all(
                vals.get(f) is None for f in VALUE_FIELDS if f not in TEXT_FIELDS):
            # text wrapped onto the next row: rejoin it with the indicator above
            ind = b.indicators[last_ind]
            for f in TEXT_FIELDS:
                extra = vals.get(f)
                if extra is None:
                    continue
                ind[f] = extra if ind.get(f) is None else f"{ind[f]}{extra}"
                b.loc.setdefault(f"indicators[{last_ind}].{f}", loc(r, f))
    finalize(2)
    finalize(1)


def parse_preamble(rows: list[list[Any]], ref: CellRef, b: Builder, stop: int, *, title: bool = True) -> None:
    """Rows above the header: a title line, "项目名称：…" / "单位名称 | …" pairs, and the budget grid
    of the national project form (年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分)."""
    stop = min(stop, len(rows))
    title_set = not title
    for r in range(stop):
        row = rows[r]
        used: set[int] = set()
        for c, x in enumerate(row):
            v = value(x)
            if not isinstance(v, str) or c in used:
                continue
            label, val, vc = v, None, None
            m = re.match(r"^([^:：]{1,12})[:：](.*)$", v, re.S)
            if m:
                label, val, vc = m.group(1), value(m.group(2)), c
            key = H.info_key(label)
            if key is None:
                if not title_set and len(clean_text(v)) >= 6 and H.budget_key(v) is None:
                    b.set_top("title", v, ref(r, c))
                    title_set = True
                continue
            if val is None and not m:
                for c2 in range(c + 1, len(row)):
                    nxt = value(row[c2])
                    if nxt is not None:
                        if not (isinstance(nxt, str) and H.info_key(nxt)):
                            val, vc = nxt, c2
                            used.add(c2)
                        break
            if val is None:
                continue
            if key == "unit" and clean_text(val) in ("万元", "元", "亿元", "千元"):
                key = "currency_unit"
            if key == "currency_unit":
                b.set_budget("currency_unit", val, ref(r, vc), label)
            elif key != "title":
                b.set_top(key, val, ref(r, vc))
    _budget_grid(rows, ref, b, stop)


GRID_KEYS = ("initial_budget", "adjusted_budget", "expenditure", "weight", "execution_rate", "score")
GRID_TOTAL_ROWS = frozenset(H.norm(x) for x in ("年度资金总额", "资金总额", "项目资金总额", "合计", "总计", "年度资金"))


def _budget_grid(rows: list[list[Any]], ref: CellRef, b: Builder, stop: int) -> None:
    """The project form's budget block: a row of budget headers, then the 年度资金总额 row."""
    for r in range(stop):
        cols: dict[str, int] = {}
        for c, x in enumerate(rows[r]):
            if isinstance(x, str) and x.strip():
                k = H.budget_key(x)
                if k in GRID_KEYS and k not in cols:
                    cols[k] = c
        if len(cols) < 3 or not ({"initial_budget", "adjusted_budget", "expenditure"} & cols.keys()):
            continue
        m = re.search(r"(万元|亿元|千元|元)", " ".join(clean_text(x) for x in rows[r] if isinstance(x, str)))
        for rr in range(r + 1, min(stop, r + 6)):
            row = rows[rr]
            texts = [H.norm(x) for x in row if isinstance(x, str)]
            if not any(t in GRID_TOTAL_ROWS for t in texts):
                continue
            for k, c in cols.items():
                b.set_budget(k, _get(row, c), ref(rr, c), f"{ref.where()} {k}")
            if m:
                b.set_budget("currency_unit", m.group(1), ref(r, 0), "金额单位")
            return


# --------------------------------------------------------------------------------------------
# key/value sheets: 基本信息, 预算执行, 自评结论 (and budget.csv / statements.csv)
# --------------------------------------------------------------------------------------------


@dataclass
class KVLayout:
    start: int
    label: int
    value: int
    note: int | None = None
    where: int | None = None
    header_row: int | None = None
    value_header: str | None = None


def kv_layout(rows: list[list[Any]]) -> KVLayout:
    label_set = {H.norm(x) for x in H.KV_LABEL_HEADERS}
    value_set = {H.norm(x) for x in H.KV_VALUE_HEADERS}
    note_set = {H.norm(x) for x in H.KV_NOTE_HEADERS}
    where_set = {H.norm(x) for x in H.KV_WHERE_HEADERS}
    for r in range(min(len(rows), 10)):
        lc = vc = nc = wc = None
        vh = None
        for c, x in enumerate(rows[r]):
            n = H.norm(x) if isinstance(x, str) else ""
            if not n:
                continue
            if n in label_set and lc is None:
                lc = c
            elif n in value_set and vc is None:
                vc, vh = c, str(x)
            elif n in note_set and nc is None:
                nc = c
            elif n in where_set and wc is None:
                wc = c
        if lc is not None and vc is not None:
            return KVLayout(r + 1, lc, vc, nc, wc, r, vh)
    return KVLayout(0, 0, 1, 2, 2)


def _label_of(row: list[Any], lay: KVLayout) -> Any:
    return _get(row, lay.label)


def parse_kv(rows: list[list[Any]], ref: CellRef, b: Builder, kind: str) -> None:
    """`kind` is 'info', 'budget' or 'statements'."""
    lay = kv_layout(rows)
    ref.header_row = lay.header_row
    table = ref.where()
    context: str | None = None
    if kind == "budget" and lay.value_header:
        m = re.search(r"(万元|亿元|千元|元)", clean_text(lay.value_header))
        if m and lay.header_row is not None:
            b.ensure_budget()
            if b.budget is not None and b.budget.get("currency_unit") is None:
                b.set_budget("currency_unit", m.group(1), ref(lay.header_row, lay.value), lay.value_header)
    for r in range(lay.start, len(rows)):
        row = rows[r]
        label = _label_of(row, lay)
        if label is None or not isinstance(label, (str, int, float)):
            continue
        label = str(label)
        val = _get(row, lay.value)
        vloc = ref(r, lay.value)
        if kind == "info":
            key = H.info_key(label)
            if key == "currency_unit":
                b.set_budget("currency_unit", val, vloc, label)
            elif key:
                b.set_top(key, val, vloc)
        elif kind == "budget":
            key = H.budget_key(label, context)
            if key is None:
                continue
            if key in H.BUDGET_CONTEXT_PARENTS:
                context = key
            b.set_budget(key, val, vloc, label)
        else:
            q = statement_quantity(label, b)
            if q is None or val is None:
                continue
            where = _get(row, lay.where) if lay.where is not None else None
            b.add_statement(q, val, str(where) if where is not None else f"{table} {clean_text(label)}", vloc,
                            ref(r, lay.label))


def statement_quantity(label: str, b: Builder) -> str | None:
    """A 自评结论 label → statement quantity (total / grade / section:X / rates / budget:k / indicator:X)."""
    q = H.statement_label(label)
    if q:
        return q
    key = H.budget_key(label)
    if key and key not in ("currency_unit", "reason"):
        return key if key in RATE_KEYS else f"budget:{key}"
    text = clean_text(label)
    stem = H.strip_suffix(text, H.INDICATOR_STATEMENT_SUFFIXES)
    if stem:
        code, _ = split_code_name(stem)
        if code and len(code) >= 3:
            return f"indicator:{code}"
    stem = H.strip_suffix(text, H.SECTION_STATEMENT_SUFFIXES)
    if stem:
        key = b.section_key_for(stem)
        if key:
            return f"section:{key}"
    return None


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
        if all(value(x) is None for x in row) or _is_repeat_header(row, header):
            continue
        sid = _get(row, idc)
        if sid is not None:
            current = _id_text(sid)
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
                v = _get(rows[r], c)
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
