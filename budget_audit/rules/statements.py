"""XST — statements that contradict each other: one quantity stated in several places (narrative,
table, budget block) with values whose printed intervals do not overlap."""

from __future__ import annotations

import math

from ..normalize import BUDGET_LABELS, Tables
from ..numeric import EPS
from .base import Check, rule

QUANTITY_ZH = {"total": "总分", "grade": "评价等级", "execution_rate": "预算执行率",
               "project_execution_rate": "项目资金执行率"}


def _quantity_zh(q: str) -> str:
    if q in QUANTITY_ZH:
        return QUANTITY_ZH[q]
    kind, _, key = q.partition(":")
    if kind == "section":
        return f"{key} 得分小计"
    if kind == "budget":
        return BUDGET_LABELS.get(key, key)
    if kind == "indicator":
        return f"{key} 完成值"
    return q


def _conflict(quantity: str, places: tuple) -> float:
    """1.0 when the places disagree, 0.0 when they agree, NaN when the quantity is stated once.

    Each place is (number or NaN, tolerance, word). Grades compare as words; numbers agree when their
    printed intervals overlap; a mix of numbers and words compares the words."""
    if len(places) < 2:
        return math.nan
    if quantity == "grade":
        return float(len({w for _, _, w in places}) > 1)
    if all(not math.isnan(n) for n, _, _ in places):
        lo = max(n - tol for n, tol, _ in places)
        hi = min(n + tol for n, tol, _ in places)
        return float(lo > hi + EPS)
    return float(len({w for _, _, w in places}) > 1)


@rule('XST001', 'conflicting-statements', 'error', '同一数据多处表述不一致', 'Conflicting statements',
      doc='The same quantity (total, grade, a section subtotal, a budget figure, a rate) is stated in two places with different values (e.g. narrative vs table).',
      checks=(Check('statements', 'xst001', '“{quantity_zh}”多处表述不一致：{values}', '{quantity} is stated differently in several places: {values}', location='loc'),),
      tolerance='two numeric statements agree when their printed intervals overlap',
      example='“总分”多处表述不一致：二、评价结论：97.5；附件 合计：98')
def xst001(t: Tables) -> None:
    stm = t.statements
    stm["xst001"] = [_conflict(q, places) for q, places in zip(stm["quantity"].tolist(), stm["places"].tolist())]
    stm["quantity_zh"] = stm["quantity"].map(_quantity_zh)
