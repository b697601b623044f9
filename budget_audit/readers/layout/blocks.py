"""What surrounds the score table: the preamble (title, "项目名称：…" pairs), the project form's budget
grid, and key/value sheets (基本信息 / 预算执行 / 自评结论, budget.csv / statements.csv)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ...parse.values import clean_text, is_placeholder, split_code_name
from .. import headers as H
from .breakdowns import parse_breakdowns
from .builder import Builder
from .cells import RATE_KEYS, CellRef, cell, looks_numeric, value

_YEAR_ROW_RX = re.compile(r"^[(（\[【]?\s*(20[0-9]{2})\s*年度?\s*[)）\]】]?$")
_VALUE_STOP_RX = re.compile(r"\s+(?:填报日期|填表日期|联系人|联系电话|负责人|日期)[:：]")


def _clean_label_value(val: Any) -> Any:
    """A label's value as printed, without a following label run into it ("某某局 填报日期:2021年4月")."""
    if not isinstance(val, str):
        return val
    v = _VALUE_STOP_RX.split(val, maxsplit=1)[0].strip()
    return None if not v or is_placeholder(v) or v in ("(略)", "（略）") else v


def parse_preamble(rows: list[list[Any]], ref: CellRef, b: Builder, stop: int, *, title: bool = True) -> None:
    """The header block above the score table: a title line, a year row ("（2023年度）"), label/value
    pairs ("项目名称：…", "单位名称 | …", the value after a colon, in the next non-empty cell to the right, or
    below), and the budget block."""
    stop = min(stop, len(rows))
    title_set = not title
    for r in range(stop):
        row = rows[r]
        used: set[int] = set()
        for c, x in enumerate(row):
            v = value(x)
            if not isinstance(v, str) or c in used:
                continue
            ym = _YEAR_ROW_RX.match(clean_text(v))
            if ym:
                b.set_top("year", ym.group(1), ref(r, c))
                b.saw("year")
                continue
            label, val, at = v, None, (r, c)
            m = re.match(r"^([^:：]{1,16})[:：](.*)$", v, re.S)
            if m:
                label, val = m.group(1), value(m.group(2))
            key = H.info_key(label) or H.info_key(label.split("/")[0].split("／")[0])
            if key is None and _budget_cell(v, r, c, ref, b):
                continue
            if key is None and m and val is None and _budget_pair(rows, r, c, label, ref, b, used):
                continue
            if key is None and H.norm(label) in _TOP_TOTAL_LABELS and _top_total(rows, r, c, label, val, bool(m), ref,
                                                                                  b, used):
                continue
            if key is None:
                if not title_set and len(clean_text(v)) >= 6 and H.budget_key(v) is None:
                    b.set_top("title", v, ref(r, c))
                    title_set = True
                continue
            b.saw(key)
            if val is None and not m:
                val, at = _value_beside(rows, r, c, stop, used)
            val = _clean_label_value(val)
            if isinstance(val, str) and "/" in label and "/" in val:     # "项目实施单位/项目负责人 | 某局/张三"
                val = val.split("/")[0].strip() or None
            if val is None:
                continue
            if key == "unit" and clean_text(val) in ("万元", "元", "亿元", "千元"):
                key = "currency_unit"
            if key == "currency_unit":
                b.set_budget("currency_unit", val, ref(*at), label)
            elif key != "title":
                b.set_top(key, val, ref(*at), H.unit_rank(label) if key == "unit" else 0)
    _budget_grid(rows, ref, b, stop)
    parse_breakdowns(rows, ref, b, stop, grid_columns=_grid_columns, total_rows=GRID_TOTAL_ROWS)


#: the self-assessed total as a form prints it in its header block ("自评得分 | 98", "自评总分:98"); not 总分 / 合计,
#: which head rows and columns of budget blocks
_TOP_TOTAL_LABELS = frozenset(H.norm(x) for x in ("自评总分", "自评得分", "自评总得分", "绩效自评得分", "自评分数"))


def _top_total(rows: list[list[Any]], r: int, c: int, label: str, val: Any, colon: bool, ref: CellRef, b: Builder,
               used: set[int]) -> bool:
    """The total printed in the header block: after the label's colon, else in the next non-empty cell of its row.
    Only a number is taken: the same label heading a column of the budget block has a label or nothing beside it."""
    at = (r, c)
    if not colon:
        row = rows[r]
        nxt = next((c2 for c2 in range(c + 1, len(row)) if value(row[c2]) is not None), None)
        if nxt is None:
            return False
        val, at = value(row[nxt]), (r, nxt)
    if val is None or not looks_numeric(val):
        return False
    used.add(at[1])
    b.add_statement("total", val, f"表头 {clean_text(label)}", ref(*at), ref(r, c))
    return True


_BUDGET_CELL_RX = re.compile(r"^(?:其中[:：]?\s*)?([^:：]{2,12})[:：]\s*([0-9][0-9,.]*\s*(?:万元|亿元|元)?)$")


def _budget_cell(text: str, r: int, c: int, ref: CellRef, b: Builder) -> bool:
    """A budget figure written as one cell, "其中:基本支出:1768.16万元" (department forms' 按支出性质分)."""
    m = _BUDGET_CELL_RX.match(clean_text(text))
    key = H.budget_key(m.group(1)) if m else None
    if key is None or key in ("currency_unit", "reason", "weight", "score"):
        return False
    b.set_budget(key, m.group(2), ref(r, c), m.group(1))
    return True


_PAIR_KEYS = ("initial_budget", "adjusted_budget", "expenditure", "execution_rate")


def _budget_pair(rows: list[list[Any]], r: int, c: int, label: str, ref: CellRef, b: Builder, used: set[int]) -> bool:
    """A budget figure as a label/value pair, "预算数: | 2.38 | 执行数: | 2.38" (budget-system exports). A number
    further right on the row, in a column labelled 自评得分 above, is the block's score."""
    key = H.budget_key(label)
    row = rows[r]
    nxt = next((c2 for c2 in range(c + 1, len(row)) if value(row[c2]) is not None), None)
    if key not in _PAIR_KEYS or nxt is None or not looks_numeric(row[nxt]):
        return False
    used.add(nxt)
    b.set_budget(key, row[nxt], ref(r, nxt), label)
    for c2 in range(len(row) - 1, nxt, -1):
        if looks_numeric(row[c2]) and c2 not in used and any(
                isinstance(value(rows[rr][c2]), str) and H.column_field(value(rows[rr][c2])) == "score"
                for rr in range(r) if c2 < len(rows[rr])):
            used.add(c2)
            if b.budget is None or b.budget.get("score") is None:
                b.set_budget("score", row[c2], ref(r, c2), "得分")
            break
    return True


def _value_beside(rows: list[list[Any]], r: int, c: int, stop: int, used: set[int]) -> tuple[Any, tuple[int, int]]:
    """The value of a label cell and where it stands: the next non-empty cell to the right (unless that is
    another label), else the cell below (unless that is a label)."""
    row = rows[r]
    for c2 in range(c + 1, len(row)):
        nxt = value(row[c2])
        if nxt is not None:
            if isinstance(nxt, str) and H.info_key(nxt):
                break
            used.add(c2)
            return nxt, (r, c2)
    labels_only = all(H.info_key(x) for x in row if isinstance(value(x), str))   # a row of labels, values below
    if labels_only and r + 1 < stop and c < len(rows[r + 1]):
        below = value(rows[r + 1][c])
        if isinstance(below, str) and not H.info_key(below) and H.budget_key(below) is None:
            return below, (r + 1, c)
    return None, (r, c)


GRID_KEYS = ("initial_budget", "adjusted_budget", "expenditure", "weight", "execution_rate", "score")
GRID_TOTAL_ROWS = frozenset(H.norm(x) for x in ("年度资金总额", "资金总额", "项目资金总额", "合计", "总计", "年度资金",
                                                 "年度财政资金总额", "财政资金总额", "年度财政资金", "总额", "资金合计"))
_POINTS_IN_LABEL_RX = re.compile(r"[(（]?\s*([0-9]+(?:\.[0-9]+)?)\s*分")
_RATE_OVER_RX = re.compile(r"([A-D])\s*/\s*([A-D])")
_COLUMN_LETTER_RX = re.compile(r"[(（]\s*([A-D])\s*[)）]?\s*$|([A-D])\s*[)）]\s*$")


_SOURCE_HEADS = ("中央", "省", "市级", "本级", "其他", "来源")


@lru_cache(maxsize=65536)
def _grid_text(x: str) -> tuple[str | None, str]:
    """(budget key, text without its parenthesised parts) of a cell text: once per distinct text."""
    return H.budget_key(x), re.sub(r"[(（][^)）]*[)）]", "", clean_text(x))


def _grid_columns(row: list[Any]) -> dict[str, int]:
    cols: dict[str, int] = {}
    bare: dict[str, int] = {}
    for c, x in enumerate(row):
        if isinstance(x, str) and x.strip():
            k, t = _grid_text(x)
            if k in GRID_KEYS and k not in cols:
                cols[k] = c
            bare.setdefault(t, c)
    # "来源 | 中央(万元) | 省、地(万元) | 本级(万元) | 其他(万元) | 合计(万元) | 执行数(万元) | 执行率": funds by source, the
    # 合计 column is the budget the rate is taken over
    if ("合计" in bare and "adjusted_budget" not in cols and "initial_budget" not in cols
            and sum(any(h in t for h in _SOURCE_HEADS) for t in bare) >= 2):
        cols["adjusted_budget"] = bare["合计"]
    return cols


def _block_points(header: list[Any], cols: dict[str, int]) -> str | None:
    """The budget block's points when no 分值 column gives them: "预算执行情况(万元)(20分)", "得分(20分*执行率)"."""
    texts = [clean_text(x) for x in header if isinstance(x, str)]
    for t in texts:
        if "分" in t and ("执行" in t or "预算" in t or "得分" in t or "资金" in t):
            m = _POINTS_IN_LABEL_RX.search(t)
            if m:
                return m.group(1)
    return None


def _rate_denominator(header: list[Any], cols: dict[str, int]) -> str | None:
    """"执行率(B/A)" over "年初预算数(A)": the rate is taken over the column marked A."""
    c = cols.get("execution_rate")
    m = _RATE_OVER_RX.search(clean_text(header[c])) if c is not None else None
    if not m:
        return None
    for key in ("initial_budget", "adjusted_budget"):
        kc = cols.get(key)
        if kc is not None:
            lm = _COLUMN_LETTER_RX.search(clean_text(header[kc]))
            if lm and (lm.group(1) or lm.group(2)) == m.group(2):
                return key
    return None


def _budget_grid(rows: list[list[Any]], ref: CellRef, b: Builder, stop: int) -> None:
    """The budget block: a row of budget headers (年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分, or
    预算数(A) | 执行数(B) | 执行率(B/A) | 得分(20分*执行率)), then the 年度资金总额 row; when the total row is
    empty the amounts stand on its first 其中 row. The block's points may be printed in a label."""
    for r in range(stop):
        cols = _grid_columns(rows[r])
        figures = {"initial_budget", "adjusted_budget", "expenditure"} & cols.keys()
        if len(cols) < 3 or not figures or not ({"expenditure", "execution_rate"} & cols.keys()):
            continue
        head = rows[r]
        m = re.search(r"(万元|亿元|千元|元)", " ".join(clean_text(x) for x in head if isinstance(x, str)))
        total_rows = [rr for rr in range(r + 1, min(stop, r + 6))
                      if any(H.norm(x) in GRID_TOTAL_ROWS for x in rows[rr] if isinstance(x, str))]
        if not total_rows and r + 1 < stop and all(looks_numeric(cell(rows[r + 1], cols[k])) for k in figures):
            total_rows = [r + 1]       # one unlabelled row of figures under the header
        for rr in total_rows[:1]:
            row = rows[rr]
            at = rr
            if all(cell(row, cols[k]) is None for k in figures):          # amounts only on a 其中 row
                at = next((i for i in range(rr + 1, min(stop, rr + 4))
                           if any(H.is_breakdown(t) for t in rows[i] if isinstance(t, str))), rr)
            for k, c in cols.items():
                b.set_budget(k, cell(rows[at], c), ref(at, c), f"{ref.where()} {k}")
            pts = _block_points(head, cols)
            if pts is not None and "weight" not in cols:
                b.set_budget("weight", pts, ref(r, 0), "预算执行分值")
            den = _rate_denominator(head, cols)
            if den:
                b.set_budget("rate_denominator", den, ref(r, cols["execution_rate"]), "执行率")
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
    return cell(row, lay.label)


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
        val = cell(row, lay.value)
        vloc = ref(r, lay.value)
        if kind == "info":
            key = H.info_key(label)
            if key:
                b.saw(key)
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
            where = cell(row, lay.where) if lay.where is not None else None
            b.add_statement(q, val, str(where) if where is not None else f"{table} {clean_text(label)}", vloc,
                            ref(r, lay.label))


def statement_quantity(label: str, b: Builder) -> str | None:
    """A 自评结论 label → statement quantity (total / grade / section:X / rates / budget:k / indicator:X)."""
    # memoised for text only (an untyped memo would answer the number 5 with what 5.0 gave)
    q, stem = (_label_quantity if type(label) is str else _label_quantity.__wrapped__)(label)
    if q:
        return q
    if stem:                        # a section's statement: which section depends on the form read so far
        key = b.section_key_for(stem)
        if key:
            return f"section:{key}"
    return None


@lru_cache(maxsize=65536)
def _label_quantity(label: str) -> tuple[str | None, str | None]:
    """(quantity, section name) of a statement label, all that depends on the label alone: once per distinct text."""
    q = H.statement_label(label)
    if q:
        return q, None
    key = H.budget_key(label)
    if key and key not in ("currency_unit", "reason"):
        return (key if key in RATE_KEYS else f"budget:{key}"), None
    text = clean_text(label)
    stem = H.strip_suffix(text, H.INDICATOR_STATEMENT_SUFFIXES)
    if stem:
        code, _ = split_code_name(stem)
        if code and len(code) >= 3:
            return f"indicator:{code}", None
    return None, H.strip_suffix(text, H.SECTION_STATEMENT_SUFFIXES)


