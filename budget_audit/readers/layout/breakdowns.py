"""Stated breakdowns of a budget figure (BUD012 reads them): which printed amounts the form says make up
which total. Reading only: every figure is kept as printed, with its cell.

Two layouts are read:

- the project form's budget grid: under the 年度资金总额 row, the 其中 rows (其中：当年财政拨款 / 上年结转资金 /
  其他资金, 其中：中央补助 / 地方资金 …), one breakdown per amount column (年初预算数, 全年预算数, 全年执行数);
- label / amount pairs down one column pair (transfer-payment checklists): a block "…年度预算资金总额： | 1084.25"
  with its 其中 rows (中央补助 / 市级资金 / 本级资金), and, after a bare "其中：" row, sub-blocks of the same shape;
  the outer total is then also the sum of the sub-blocks' totals, and each source line the sum of the
  sub-blocks' same source lines.

The basic / project split (其中：基本支出 / 项目支出) is not a breakdown here: it is read as budget figures and
checked by BUD001 / BUD003. A breakdown is `exhaustive` when the form lists two or more parts (the template's
complete list; an empty part is 0); a single "其中" line only says "of which" (the part may not exceed it).
"""

from __future__ import annotations

import re
from itertools import chain
from typing import Any

from ...parse.values import clean_text
from .. import headers as H
from .cells import CellRef, cell, looks_numeric, value

_AMOUNT_COLUMNS = ("initial_budget", "adjusted_budget", "expenditure")
_COLUMN_LABELS = {"initial_budget": "年初预算数", "adjusted_budget": "全年预算数", "expenditure": "全年执行数"}
_TOTAL_WORDS = ("总额", "合计", "总计")
_SPLIT_KEYS = ("initial_basic", "initial_project", "expenditure_basic", "expenditure_project")
_AMOUNT_RX = re.compile(r"^-?[0-9][0-9,]*(?:\.[0-9]+)?\s*(?:万元|亿元|千元|元)?$")
_SOURCE_KEYS = (("中央", "central_subsidy"), ("省级", "provincial_funds"), ("市级", "municipal_funds"),
                ("本级", "county_funds"), ("县级", "county_funds"))


def _text(x: Any) -> str:
    v = value(x)
    return clean_text(v) if isinstance(v, str) else ""


def _filled(x: Any) -> bool:
    """Something is printed in the cell (an empty string or spaces are nothing)."""
    x = value(x)
    return x is not None and not (isinstance(x, str) and not x.strip())


def _amount(x: Any) -> bool:
    """A cell printing an amount (a number, "620.82万元")."""
    v = value(x)
    return looks_numeric(v) or (isinstance(v, str) and bool(_AMOUNT_RX.match(clean_text(v))))


_FUND_WORDS = ("资金", "拨款", "补助", "结转", "结余", "财政", "收入", "经费", "自筹", "配套", "专项", "债券")


def _fund_line(label: str) -> bool:
    """A line that names a source of funds ("当年财政拨款", "其他资金", "中央补助"), not the next block of the form
    ("年度总体目标") nor a wrapped figure ("287 171")."""
    return any(w in label for w in _FUND_WORDS) and not _amount(label.split()[0] if label.split() else label)


def _part_label(text: str) -> str:
    s = text
    if s.startswith(H.BREAKDOWN_PREFIX):
        s = s[len(H.BREAKDOWN_PREFIX):].lstrip(":：,，、")
    return s


def _is_split(label: str) -> bool:
    return H.budget_key(label) in _SPLIT_KEYS


def _entry(label: str, column: str | None, total: tuple[Any, dict], parts: list[tuple[str, Any, dict]],
           exhaustive: bool) -> dict[str, Any]:
    return {"label": label, "column": column, "total": total[0], "total_loc": total[1],
            "parts": [{"label": pl, "value": pv, "loc": ploc} for pl, pv, ploc in parts], "exhaustive": exhaustive}


# --------------------------------------------------------------------------------------------
# the budget grid's 其中 rows
# --------------------------------------------------------------------------------------------

def _grid_breakdowns(rows: list[list[Any]], ref: CellRef, grid_columns, total_rows) -> list[dict[str, Any]]:
    """`grid_columns` / `total_rows`: how the budget grid's header and total row are recognised (blocks.py)."""
    out: list[dict[str, Any]] = []
    for r, head in enumerate(rows):
        cols = {k: c for k, c in grid_columns(head).items() if k in _AMOUNT_COLUMNS}
        if not cols or "expenditure" not in cols:
            continue
        for tr in range(r + 1, min(len(rows), r + 4)):
            lc = next((c for c, x in enumerate(rows[tr]) if isinstance(value(x), str)
                       and H.norm(value(x)) in total_rows), None)
            if lc is None:
                continue
            parts_rows: list[tuple[int, str]] = []
            for pr in range(tr + 1, min(len(rows), tr + 8)):
                row = rows[pr]
                label = _text(cell(row, lc))
                if not label or any(value(x) is not None for x in row[:lc]):
                    break
                if not parts_rows and not label.startswith(H.BREAKDOWN_PREFIX) or not _fund_line(_part_label(label)):
                    break
                if parts_rows and label.startswith(H.BREAKDOWN_PREFIX):
                    parts_rows = []         # a 其中 under a part: nested breakdowns, not one list; left unchecked
                    break
                parts_rows.append((pr, _part_label(label)))
            if not parts_rows or any(_is_split(pl) for _, pl in parts_rows):
                break
            total_label = _text(rows[tr][lc]).rstrip(":：")
            for key, c in cols.items():
                total = cell(rows[tr], c)
                cells = [cell(rows[pr], c) for pr, _ in parts_rows]
                if any(_filled(x) and not _amount(x) for x in cells):
                    continue                # a part printed as no amount ("80万", "待下达"): the sum cannot be checked
                parts = [(pl, x if _amount(x) else None, ref(pr, c)) for (pr, pl), x in zip(parts_rows, cells)]
                if not _amount(total) or all(pv is None for _, pv, _ in parts):
                    continue
                out.append(_entry(f"{total_label} {_COLUMN_LABELS[key]}", key, (total, ref(tr, c)), parts,
                                  len(parts) >= 2))
            break
        if out:
            break
    return out


# --------------------------------------------------------------------------------------------
# label / amount pairs down a column
# --------------------------------------------------------------------------------------------

def _pair_column(rows: list[list[Any]]) -> tuple[int, int] | None:
    """(first row, label column) of a run of label / amount pairs holding a 其中 line with an amount."""
    for r, row in enumerate(rows):
        for c in range(len(row) - 1):
            t = _text(row[c])
            if t.startswith(H.BREAKDOWN_PREFIX) and len(t) > 3 and _amount(row[c + 1]):
                top = r
                while top > 0 and _text(cell(rows[top - 1], c)) and not any(w in _text(rows[top][c]) for w in _TOTAL_WORDS):
                    top -= 1
                if any(w in _text(rows[top][c]) for w in _TOTAL_WORDS):
                    return top, c
                return None
    return None


def _pair_breakdowns(rows: list[list[Any]], ref: CellRef, budget_set) -> list[dict[str, Any]]:
    found = _pair_column(rows)
    if found is None:
        return []
    top, c = found
    blocks: list[dict[str, Any]] = []
    outer: dict[str, Any] | None = None
    cur: dict[str, Any] | None = None
    pending_sub = False
    for r in range(top, len(rows)):
        row = rows[r]
        label = _text(cell(row, c))
        if r > top and (not label or any(value(x) is not None for x in row[:c])):
            break
        amount = cell(row, c + 1)
        if _filled(amount) and not _amount(amount):
            if cur is not None:
                cur["cut"] = True           # the list goes on past a figure that is no amount: not complete
            if outer is not None:
                outer["subs_cut"] = True    # nor are the sub-blocks read so far all of them
            break
        at = (amount, ref(r, c + 1))
        if any(w in label for w in _TOTAL_WORDS):
            head = re.split(r"[(（]万元|年度预算资金总额|资金总额", label)[0].rstrip(":：)）")
            blk = {"label": label.rstrip(":：") if re.fullmatch(r"[0-9]*年?度?", head) else head,   # not just "2023"
                   "total": at, "parts": [], "subs": []}
            if pending_sub and outer is not None:
                outer["subs"].append(blk)
            else:
                outer = blk
                blocks.append(blk)
            cur, pending_sub = blk, False
        elif label.rstrip(":：") == H.BREAKDOWN_PREFIX:
            pending_sub = True
        elif cur is not None:
            if not _fund_line(_part_label(label)):
                break
            if cur["parts"] and label.startswith(H.BREAKDOWN_PREFIX):
                cur["cut"] = True           # a 其中 under a part: a nested breakdown, not one more part
                if outer is not None:
                    outer["subs_cut"] = True
                break
            cur["parts"].append((_part_label(label), amount, ref(r, c + 1)))
    out: list[dict[str, Any]] = []
    for blk in blocks:
        for b in (blk, *blk["subs"]):
            parts = b["parts"]
            if parts and not any(_is_split(pl) for pl, _, _ in parts) and b["total"][0] is not None:
                out.append(_entry(b["label"], None, b["total"], parts, len(parts) >= 2 and not b.get("cut")))
        subs = [s for s in blk["subs"] if s["total"][0] is not None or any(pv is not None for _, pv, _ in s["parts"])]
        if len(subs) >= 2 and blk["total"][0] is not None and not blk.get("subs_cut"):
            out.append(_entry(f"{blk['label']}（各分项合计）", None, blk["total"],
                              [(s["label"], s["total"][0], s["total"][1]) for s in subs], True))
            for pl, pv, ploc in blk["parts"]:
                same = [[(s["label"], spv, sloc) for spl, spv, sloc in s["parts"] if spl == pl] for s in subs]
                if pv is None or any(len(x) != 1 for x in same):
                    continue
                out.append(_entry(f"{blk['label']} {pl}（各分项合计）", None, (pv, ploc), [x[0] for x in same], True))
        if blk is blocks[0] and not budget_set():
            yield_budget = [("adjusted_budget", blk["total"][0], blk["total"][1], "年度预算资金总额")]
            for pl, pv, ploc in blk["parts"]:
                key = next((k for w, k in _SOURCE_KEYS if w in pl), None)
                if key:
                    yield_budget.append((key, pv, ploc, pl))
            out.append({"budget": yield_budget})
    return out


_IS_STR = str.__instancecheck__                 # isinstance(x, str), as a C callable for `filter`
_PART_POINTS_RX = re.compile(r"^(?:年度)?绩效(?:目标|指标)[(（]?([0-9]+(?:\.[0-9]+)?)分[)）]?$")


def _part_points(rows: list[list[Any]], ref: CellRef, b, texts: list[str]) -> None:
    """The points printed for the indicator part as a whole, "年度绩效目标(80分)" (20 + 80 forms): WGT003 compares
    them with the template. `texts`: the grid's text cells in row order."""
    hit = next((x for x in texts if "绩效" in x and len(x) < 30 and _PART_POINTS_RX.match(clean_text(x))), None)
    if hit is None:                 # most forms: no cell is looked at one by one
        return
    # the first cell holding that text is the first match (a cell with the same text before it would match too)
    r, c = next((r, c) for r, row in enumerate(rows) for c, x in enumerate(row) if isinstance(x, str) and x == hit)
    b.set_top("indicator_points", _PART_POINTS_RX.match(clean_text(hit)).group(1), ref(r, c))


_MALFORMED_RX = re.compile(r"^[0-9]+(?:\.[0-9]*){1,}$")
_DATE_LIKE_RX = re.compile(r"^(?:19|20)[0-9]{2}\.")
_AMOUNT_HEAD_WORDS = ("预算数", "决算数", "执行数", "金额", "资金")


def _malformed_figures(rows: list[list[Any]], ref: CellRef, b, stop: int) -> None:
    """A figure in an amount column (headed 预算数 / 决算数 / 执行数 / 金额, other cells numbers) printed so that it
    is no number ("7.50.", "1.2.3"): kept as printed with its row label, for STR002. Nothing is guessed."""
    bad_cols = {c for row in rows[:stop] for c, x in enumerate(row)
                if type(x) is str and x[:1].isdigit() and _MALFORMED_RX.match(x.strip())}
    for c in sorted(bad_cols):          # most forms have none: the columns are looked at only then
        head = None
        numbers = 0
        for r in range(stop):
            x = cell(rows[r], c)
            if isinstance(x, str) and any(w in clean_text(x) for w in _AMOUNT_HEAD_WORDS) and not _amount(x):
                head, numbers = clean_text(x), 0
            elif head is not None and looks_numeric(x):
                numbers += 1
            elif head is not None and isinstance(x, str) and _MALFORMED_RX.match(clean_text(x)) \
                    and not _DATE_LIKE_RX.match(clean_text(x)) and numbers >= 1:
                label = next((_text(v) for v in rows[r][:c] if _text(v)), "")
                b.add_unreadable_figure(f"{label} {head}".strip(), x, ref(r, c))


def parse_breakdowns(rows: list[list[Any]], ref: CellRef, b, stop: int | None = None, *, grid_columns,
                     total_rows) -> None:
    """Every stated breakdown of the grid onto the builder (`b.add_breakdown`); the outer total of a
    label / amount block is the form's budget when no budget grid gave one. Also the indicator part's points
    and the figures printed as no number. `grid_columns` / `total_rows` come from blocks.py (the budget grid)."""
    texts = list(filter(_IS_STR, chain.from_iterable(rows)))     # the grid's texts, once, without a Python step per cell
    _part_points(rows, ref, b, texts)
    _malformed_figures(rows, ref, b, len(rows) if stop is None else min(stop, len(rows)))
    # "其中" in no cell: the texts joined once (the separator is in no prefix, so no match spans two cells)
    if H.BREAKDOWN_PREFIX not in "\x00".join(texts):
        return
    budget = b.budget or {}
    entries = _grid_breakdowns(rows, ref, grid_columns, total_rows) or _pair_breakdowns(
        rows, ref, lambda: any(budget.get(k) is not None for k in _AMOUNT_COLUMNS))
    for e in entries:
        if "budget" in e:
            for key, val, loc, label in e["budget"]:
                b.set_budget(key, val, loc, label)
        else:
            b.add_breakdown(e)
