"""Score-table rows → indicators, sections, groups and the statements printed in the table.

Codes glued to names, points in labels, merged-cell blanks carried down, repeated headers, 合计/小计 rows as
statements, "其中" breakdowns, parent rows that repeat their block's weight, wrapped text rejoined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from ...parse.values import clean_text, split_code_name, split_label_points
from .. import headers as H
from .builder import Builder
from .cells import CellRef, cell, id_text, value
from .header import Header, is_repeat_header

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
        if is_repeat_header(row, header):
            after_total = False
            continue
        vals = {f: cell(row, c) for f, c in cols.items()}
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
                code = id_text(vals["code"])
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


