"""Score-table rows → indicators, sections, groups and the statements printed in the table.

Each row is classified once, then handled by one method:

- blank rows, repeated headers (page breaks), footnotes and signatures below the total — skipped;
- 合计 / 总分 rows → the stated total; 小计 rows → a stated section subtotal;
- section / group labels (their own column, merged down their block, or one label column with codes:
  "A部门决策（15分）", "A1决策机制"; numbered parents "一、投入") → sections and groups with their declared
  points; a labelled row that carries points but no indicator name is a parent if rows follow under
  it, else itself the scored row;
- template placeholders ("指标1:", "……", "-" with nothing else) — ignored;
- "其中" breakdown rows without a weight — not indicators;
- the scored rows; text wrapped onto the next row is rejoined with the row above.

Codes glued to names are split off; points in a name ("决策依据（4分）") are the weight when the form has
no weight column. Nothing is judged or converted here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import Any, Iterable

from ...parse.values import (
    clean_text,
    is_placeholder,
    split_code_name,
    split_label_points,
)
from .. import headers as H
from .builder import Builder
from .cells import CellRef, MergedName, cell, id_text, value, values
from .header import Header, repeats_header

_IS_STR = str.__instancecheck__                 # isinstance(x, str) as a C callable for `filter`
_SECTION_CODE_RX = re.compile(r"[A-Z]")
_GROUP_CODE_RX = re.compile(r"[A-Z][0-9]")
_NUMBERED_PARENT_RX = re.compile(r"^[一二三四五六七八九十]+[、.．]")
_TEMPLATE_SLOT_RX = re.compile(r"^(?:指标|目标)[0-9一二三四五六七八九十]+[:：]?$")
TEXT_FIELDS = ("description", "method", "note", "deviation_reason")
VALUE_FIELDS = ("description", "operator", "target", "unit", "actual", "weight", "score", "method", "note",
                "deviation_reason")
NUMBER_FIELDS = ("operator", "target", "unit", "actual", "weight", "score")


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
    try:
        return _label_cached(text)
    except TypeError:               # an unhashable cell value
        return _label_cached.__wrapped__(text)


@lru_cache(maxsize=65536)
def _label_cached(text: Any) -> tuple[str | None, str, Any]:
    """`_label` once per distinct label text (a section label is read again on every row of its block)."""
    label, pts = split_label_points(text)
    code, name = split_code_name(label)
    return code, name, _points_text(pts)


def is_template_slot(name: Any, vals: dict[str, Any]) -> bool:
    """A row left from the template: "指标1:" / "……" / "-" as its name and nothing filled in."""
    try:
        slot = _slot_name(name)
    except TypeError:               # an unhashable cell value
        slot = _slot_name.__wrapped__(name)
    if not slot:                    # the cheap test first: most names are real
        return False
    return all(vals.get(f) is None or is_placeholder(vals.get(f)) for f in NUMBER_FIELDS)


@lru_cache(maxsize=65536)
def _slot_name(name: Any) -> bool:
    """A template slot's name ("指标1:" / "……" / "-"): once per distinct name text."""
    text = clean_text(name)
    return bool(is_placeholder(text) or _TEMPLATE_SLOT_RX.match(text))


@lru_cache(maxsize=65536)
def _label_kind(text: str) -> int:
    """1 when a label text is a 合计/总分 label, 2 when a 小计 label (3 both): once per distinct text."""
    return (1 if H.is_total_label(text) else 0) | (2 if H.is_subtotal_label(text) else 0)


@lru_cache(maxsize=65536)
def _name_facts(text: str) -> tuple[bool, bool, str | None, str]:
    """(template slot name?, "其中" breakdown?, code, name) of a scored row's name text: once per distinct text
    (a form's indicator names repeat across every workbook filled in from it)."""
    code, name = split_code_name(text)
    return _slot_name(text), H.is_breakdown(text), code, name


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


class ScoreTableReader:
    """Walks the rows below a header into the sections, groups, indicators and statements of a Builder."""

    def __init__(self, rows: list[list[Any]], ref: CellRef, b: Builder, header: Header) -> None:
        self.rows, self.ref, self.b, self.header = rows, ref, b, header
        self.cols = header.cols
        ref.header_row = header.row
        self.table = ref.where()
        self.sec: str | None = None
        self.grp: str | None = None
        self.sec_loc: dict | None = None
        self.grp_loc: dict | None = None
        self.pend: dict[int, _Pending | None] = {1: None, 2: None}
        self.last_ind: int | None = None
        self.after_total = False
        self.has_section_col = "section" in self.cols
        self.weights_in_names = "weight" not in self.cols
        self.value_cols = [(f, self.cols[f]) for f in VALUE_FIELDS if f in self.cols]   # (field, column) printed
        self.value_fields = [f for f, _ in self.value_cols]
        # their values out of a row's field → value dict in one C call (always a tuple, even for one field)
        self.get_values = (itemgetter(*self.value_fields) if len(self.value_fields) > 1
                           else lambda vals: tuple(vals[f] for f in self.value_fields))
        self.blank = dict.fromkeys(H.INDICATOR_FIELDS)    # an indicator with no field filled in (copied per row)
        self.unprinted = [f for f in ("weight", "score") if f not in self.cols]

    # ---- helpers ------------------------------------------------------------------------------
    def loc(self, r: int, f: str) -> dict | None:
        c = self.cols.get(f)
        return self.ref(r, c) if c is not None else None

    def label_cell(self, row: list[Any], text: str, r: int) -> dict | None:
        c = next((c for c, x in enumerate(row) if value(x) == text), None)
        return self.ref(r, c) if c is not None else None

    def finalize(self, level: int) -> None:
        p = self.pend[level]
        self.pend[level] = None
        if p is None:
            return
        b = self.b
        wloc = self.loc(p.row, "weight")
        if p.has_children:
            if p.level == 1:
                b.section_points(p.key, p.vals.get("weight"), wloc)
                if p.vals.get("score") is not None:
                    b.add_statement(f"section:{p.key}", p.vals["score"], f"{self.table} {p.label_text}",
                                    self.loc(p.row, "score"), p.label_loc)
            else:
                b.group_points(p.section, p.key, p.vals.get("weight"), wloc)
            return
        # no children: the labelled row is itself the scored row
        ind = {f: None for f in H.INDICATOR_FIELDS}
        ind.update({f: p.vals.get(f) for f in VALUE_FIELDS})
        ind["section"] = p.section if p.level == 2 else p.key
        ind["group"] = p.key if p.level == 2 else None
        ind["code"], ind["name"] = p.code, p.name
        locs = {f: self.loc(p.row, f) for f in VALUE_FIELDS}
        locs.update(section=self.sec_loc, group=self.grp_loc if p.level == 2 else None, code=p.label_loc,
                    name=p.label_loc)
        self.last_ind = b.add_indicator(ind, locs)
        if p.level == 2 and self.pend[1] is not None:
            self.pend[1].has_children = True

    def finalize_all(self) -> None:
        self.finalize(2)
        self.finalize(1)

    def mark_children(self) -> None:
        for lv in (1, 2):
            if self.pend[lv] is not None:
                self.pend[lv].has_children = True

    def open_section(self, code: str | None, name: str, pts: Any, loc: dict | None) -> None:
        self.finalize_all()
        self.sec_loc = loc
        self.sec = self.b.section(code, name, pts, loc) or self.sec
        self.grp, self.grp_loc = None, None

    # ---- the walk -------------------------------------------------------------------------------
    def run(self, indices: Iterable[int] | None = None) -> None:
        rng = indices if indices is not None else range(self.header.last + 1, len(self.rows))
        for r in rng:
            if r <= self.header.last and indices is None:
                continue
            self.row(r)
        self.finalize_all()

    def row(self, r: int) -> None:
        row = self.rows[r]
        v = values(row)                 # every cell as printed, once
        if v.count(None) == len(v):
            return
        n = len(v)
        vals = {f: v[c] if c < n else None for f, c in self.cols.items()}     # `cell`, inlined: every row
        if repeats_header(vals):        # `is_repeat_header` over the cells already cleaned
            self.after_total = False
            return
        sec_text, grp_text, name_text = vals.get("section"), vals.get("group"), vals.get("name")
        first_text = next(filter(_IS_STR, v), None)
        labels = list(filter(_IS_STR, (sec_text, grp_text, name_text, first_text)))
        if any(map(_label_kind, labels)) and self.total_or_subtotal(r, row, labels, vals):
            return
        weight, score = vals.get("weight"), vals.get("score")
        if self.after_total and weight is None and score is None:
            return          # notes and signatures below the total row
        if first_text is not None and H.is_footer(first_text) and weight is None and score is None:
            return
        labelled = isinstance(sec_text, str) or isinstance(grp_text, str)
        if labelled:                    # most rows of a merged label column carry none
            self.level_labels(r, sec_text, grp_text)
        if name_text is not None and sec_text is None and grp_text is None and self.single_column_label(r, name_text, vals):
            return
        if name_text is not None:
            self.scored_row(r, name_text, vals)
            return
        if labelled:
            if weight is not None or score is not None:
                self.labelled_points(r, sec_text, grp_text, vals)
            return
        if weight is not None or score is not None:
            self.unnamed_row(r, vals)
            return
        self.wrapped_text(r, vals)

    # ---- row kinds --------------------------------------------------------------------------------
    def total_or_subtotal(self, r: int, row: list[Any], labels: list[str], vals: dict[str, Any]) -> bool:
        b = self.b
        tl = sub = None
        for t in labels:                # the first total label, else the first subtotal label
            kind = _label_kind(t)
            if kind & 1:
                tl = t
                break
            if kind & 2 and sub is None:
                sub = t
        if tl is not None:
            self.finalize_all()
            b.add_statement("total", vals.get("score"), f"{self.table} {clean_text(tl)}", self.loc(r, "score"),
                            self.label_cell(row, tl, r))
            if b.indicators:
                self.after_total = True
            return True
        tl = sub
        if tl is not None:
            prefix = H.strip_subtotal(tl)
            key = b.section_key_for(prefix) if prefix else self.sec
            if key:
                b.add_statement(f"section:{key}", vals.get("score"), f"{self.table} {clean_text(tl)}",
                                self.loc(r, "score"), self.label_cell(row, tl, r))
            return True
        return False

    def level_labels(self, r: int, sec_text: Any, grp_text: Any) -> None:
        row = self.rows[r]
        if isinstance(sec_text, str):
            code, name, pts = _label_cached(sec_text)      # a str: hashable, `_label`'s memo directly
            pts = pts if pts is not None else cell(row, self.cols.get("section_points"))
            key = code or name
            if key and key != self.sec:
                self.finalize_all()
                self.grp, self.grp_loc = None, None
            self.sec_loc = self.loc(r, "section")
            self.sec = self.b.section(code, name, pts, self.sec_loc) or self.sec
        if isinstance(grp_text, str):
            code, name, pts = _label_cached(grp_text)
            pts = pts if pts is not None else cell(row, self.cols.get("group_points"))
            key = code or name
            if key and key != self.grp:
                self.finalize(2)
            self.grp_loc = self.loc(r, "group")
            self.grp = self.b.group(self.sec, code, name, pts, self.grp_loc) or self.grp

    def single_column_label(self, r: int, name_text: str, vals: dict[str, Any]) -> bool:
        """Hierarchies in one column: "A部门决策（15分）" / "A1决策机制" rows, "一、投入（20分）" parents."""
        numbered = bool(_NUMBERED_PARENT_RX.match(clean_text(name_text)))
        if not numbered and not all(vals.get(f) is None for f in VALUE_FIELDS):
            return False
        code, name, pts = _label(name_text)
        if numbered and not self.has_section_col:
            # "一、投入（20分）": a section; with points on its row it is a parent if rows follow under it
            # (its weight the section's points, its score a stated subtotal), else itself a scored row
            label, lpts = split_label_points(clean_text(name_text))
            sname = split_code_name(label)[1]
            self.open_section(None, sname, _points_text(lpts), self.loc(r, "name"))
            if vals.get("weight") is not None or vals.get("score") is not None:
                self.pend[1] = _Pending(1, self.sec, None, sname, None, r, {f: vals.get(f) for f in VALUE_FIELDS},
                                        self.sec_loc, clean_text(name_text))
            return True
        if code and _SECTION_CODE_RX.fullmatch(code):
            self.open_section(code, name, pts, self.loc(r, "name"))
            return True
        if code and _GROUP_CODE_RX.fullmatch(code) and (self.sec is None or code[0] == self.sec[:1]):
            self.finalize(2)
            self.grp_loc = self.loc(r, "name")
            self.grp = self.b.group(self.sec, code, name, pts, self.grp_loc) or self.grp
            return True
        if code is None and pts is not None and not self.has_section_col:
            self.open_section(None, name, pts, self.loc(r, "name"))
            return True
        return False

    def scored_row(self, r: int, name_text: str, vals: dict[str, Any]) -> None:
        # memoised for text only: an untyped memo would give the number 5 the name of 5.0 ("5" vs "5.0")
        slot, breakdown, code, name = (_name_facts if type(name_text) is str else _name_facts.__wrapped__)(name_text)
        if slot and is_template_slot(name_text, vals):
            return
        weight, score = vals.get("weight"), vals.get("score")
        if breakdown and weight is None:
            return
        raw = self.rows[r][self.cols["name"]]
        if weight is None and score is None and self.last_ind is not None:
            if isinstance(raw, str) and raw[:2].isspace():
                return      # an indented line under a scored row ("  红薯种植面积"): its detail, not an indicator
            if _detail_of(self.b.indicators[self.last_ind], vals):
                return      # the same, its indentation lost (a PDF's text): under a scored row with no target of its own
        if "code" in self.cols and vals.get("code") is not None:
            code = id_text(vals["code"])
        ind = self.blank.copy()
        ind.update(zip(self.value_fields, self.get_values(vals)))    # the fields not printed stay None
        ref = self.ref
        locs = ref.cells(r, self.value_cols, vals)      # no location for an empty cell
        name_loc = ref(r, self.cols["name"])
        if self.weights_in_names:      # no weight column: "决策依据（4分）" carries the row's points
            label, pts = split_label_points(name)
            if pts is not None:
                ind["weight"], locs["weight"] = _points_text(pts), name_loc
        ind.update(section=self.sec, group=self.grp, code=code, name=name or None)
        if isinstance(raw, MergedName):   # another line under a merged name cell
            ind["name_line"] = sum(1 for i in self.b.indicators if i.get("name") == ind["name"]) + 1
        if self.unprinted:       # this table prints no such column (another table of the form may)
            absent = [f for f in self.unprinted if ind.get(f) is None]
            if absent:
                ind["not_printed"] = absent
        locs.update(section=self.sec_loc, group=self.grp_loc, name=name_loc,
                    code=self.loc(r, "code") if vals.get("code") is not None else name_loc)
        self.mark_children()
        self.last_ind = self.b.add_indicator(ind, locs)

    def labelled_points(self, r: int, sec_text: Any, grp_text: Any, vals: dict[str, Any]) -> None:
        level = 2 if isinstance(grp_text, str) else 1
        key = self.grp if level == 2 else self.sec
        text = grp_text if level == 2 else sec_text
        code, name, _ = _label(text)
        self.finalize(2)
        if level == 1:
            self.finalize(1)
        self.pend[level] = _Pending(level, key or name, code, name, self.sec, r,
                                    {f: vals.get(f) for f in VALUE_FIELDS},
                                    self.grp_loc if level == 2 else self.sec_loc, clean_text(text))

    def unnamed_row(self, r: int, vals: dict[str, Any]) -> None:
        """A scored row whose name cell is empty (or a table without a name column)."""
        ind = {f: None for f in H.INDICATOR_FIELDS}
        ind.update({f: vals.get(f) for f in VALUE_FIELDS})
        ind.update(section=self.sec, group=self.grp)
        locs = {f: self.loc(r, f) for f in VALUE_FIELDS}
        locs.update(section=self.sec_loc, group=self.grp_loc)
        self.mark_children()
        self.last_ind = self.b.add_indicator(ind, locs)

    def wrapped_text(self, r: int, vals: dict[str, Any]) -> None:
        """Text wrapped onto the next row: rejoin it with the indicator above."""
        if self.last_ind is None or not any(vals.get(f) is not None for f in TEXT_FIELDS) or any(
                vals.get(f) is not None for f in VALUE_FIELDS if f not in TEXT_FIELDS):
            return
        ind = self.b.indicators[self.last_ind]
        for f in TEXT_FIELDS:
            extra = vals.get(f)
            if extra is None:
                continue
            ind[f] = extra if ind.get(f) is None else f"{ind[f]}{extra}"
            self.b.loc.setdefault(f"indicators[{self.last_ind}].{f}", self.loc(r, f))


def _detail_of(parent: dict[str, Any], vals: dict[str, Any]) -> bool:
    """A line without points, with a target or an actual, right under a scored row that has points but neither
    target nor actual ("★补助各类粮食作物种植面积 | 10 | | | 10" then "红薯种植面积 | | 5.5亩 | 5.5亩")."""
    return ((parent.get("weight") is not None or parent.get("score") is not None)
            and parent.get("target") is None and parent.get("actual") is None
            and (vals.get("target") is not None or vals.get("actual") is not None))


def parse_score_table(rows: list[list[Any]], ref: CellRef, b: Builder, header: Header,
                      indices: Iterable[int] | None = None) -> None:
    """Walk the rows below `header` into sections, groups, indicators and statements of `b`."""
    ScoreTableReader(rows, ref, b, header).run(indices)
