"""MTH / PLA measures: recompute each score from its 评分办法 and flag implausible self-scoring.

The scoring-method parser (`methods.py`) reads the free-text method; here every indicator row is
recomputed once (cached on the distinct (method, target, actual, weight, operator) combinations,
which repeat heavily across a batch) and the results become measure columns, like every other
rule (see derive.py for the convention).
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd

from .methods import compare, normalize_operator, parse_method, recompute
from .values import parse_value

EPS = 1e-9
# discrete methods give exact points; continuous ones are compared at the score's printed precision
DISCRETE = {"tiers", "all_or_nothing", "qualitative_bands_point"}


class RowScore(NamedTuple):
    """One indicator row read against its method (cached: rows repeat heavily across a batch)."""
    kind: str
    low: float | None
    high: float | None
    reason: str | None
    met: bool | None
    unit_mismatch: bool
    explanation_zh: str
    explanation_en: str
    copies_target: bool
    target: float
    actual: float
    actual_percent: bool
    op: str | None


@lru_cache(maxsize=131072)
def _score_row(method: str | None, target: str | None, actual: str | None, weight: float, operator: str | None,
               unit: str | None):
    m = parse_method(method)
    t = parse_value(target)
    a = parse_value(actual, percent=bool(t.percent))
    r = recompute(m, t, a, weight, operator=operator, unit=unit)
    c = compare(t, a, operator, unit=unit)
    return RowScore(
        kind=m.kind, low=r.low, high=r.high, reason=r.reason, met=c.met, unit_mismatch=c.unit_mismatch,
        explanation_zh=r.explanation_zh, explanation_en=r.explanation_en,
        copies_target=(t.kind == "number" and a.kind == "number" and t.number is not None
                       and a.number is not None and a.number == t.number),
        target=t.number if t.kind == "number" else math.nan, actual=a.number if a.kind == "number" else math.nan,
        actual_percent=bool(a.percent), op=c.op or normalize_operator(operator))


def _plain(col: pd.Series) -> list:
    """Column values as Python objects, missing text as None (NaN keys would defeat the cache)."""
    if col.dtype.kind == "f":
        return col.tolist()
    return [None if v is None or v != v else v for v in col.tolist()]


def derive_scoring(ind: pd.DataFrame, sub: pd.DataFrame, profiles, prof: pd.Series) -> None:
    scored = ind["kind"] == "normal"
    res = [_score_row(m, t, a, w, o, u) if s and not math.isnan(w) else None
           for m, t, a, w, o, u, s in zip(*(_plain(ind[c]) for c in ("method", "target_text", "actual_text", "weight",
                                                                     "operator", "unit")), scored.tolist())]

    def col(name: str, default=np.nan) -> pd.Series:
        return pd.Series([getattr(r, name) if r is not None else default for r in res], index=ind.index)

    kind = col("kind", None)
    low, high = col("low").astype(float), col("high").astype(float)
    reason = col("reason", None)
    met = col("met", None)
    unit_mismatch = col("unit_mismatch", False).astype(bool)
    ind["method_kind"] = kind
    ind["recomputed_low"], ind["recomputed_high"] = low, high
    # explanations end a sentence; the message template continues it
    ind["recomputed_zh"] = col("explanation_zh", None).map(lambda t: t.rstrip("。. ") if isinstance(t, str) else t)
    ind["recomputed_en"] = col("explanation_en", None).map(lambda t: t.rstrip("。. ") if isinstance(t, str) else t)
    score, weight = ind["score"], ind["weight"]
    has_score = score.notna() & weight.notna()
    recomputed = low.notna() & high.notna()
    has_method = ind["method"].notna()
    # MTH001: a printed method recomputes to a different score
    tol = np.where(kind.isin(list(DISCRETE)), EPS, np.maximum(ind["score_tol"].fillna(0.005), 0.005))
    outside = np.maximum(low - score, score - high)
    applies = scored & has_score & recomputed & has_method
    ind["mth001"] = (outside - tol).where(applies)
    ind["mth001_tol"] = pd.Series(np.where(tol <= EPS, 0.0, tol), index=ind.index).where(applies)
    ind["mth001_expected"] = pd.Series(np.where(low == high, low, np.nan), index=ind.index).where(applies)
    # MTH002: target met, points docked, no reason, and MTH001 could not decide
    met_true = met.map(lambda x: x is True)
    met_false = met.map(lambda x: x is False)
    no_reason = ind["deviation_reason"].isna()
    undecided = ~(applies)
    ind["mth002"] = (met_true & (score < weight - EPS) & no_reason).astype(float).where(scored & has_score & undecided)
    # MTH003: target missed, full marks anyway
    ind["mth003"] = (met_false & (score >= weight - EPS)).astype(float).where(scored & has_score)
    # MTH005: incompatible units between target and actual
    ind["mth005"] = unit_mismatch.astype(float).where(scored & ind["target_text"].notna() & ind["actual_text"].notna())
    # MTH006: missed / docked without the template's deviation-reason field filled in
    needs_reason = prof.map(lambda p: profiles[p].deviation_reason_field)
    ind["mth006"] = ((met_false | (score < weight - EPS)) & no_reason).astype(float).where(scored & has_score & needs_reason)
    # MTH007: no method text, quantitative target missed, score above the default proportional score
    quantitative_miss = met_false & ~has_method & recomputed
    mth007_tol = np.maximum(ind["score_tol"].fillna(0.005), 0.005)
    ind["mth007"] = (score - high - mth007_tol).where(scored & has_score & quantitative_miss)
    ind["mth007_tol"] = mth007_tol.where(ind["mth007"].notna())
    # MTH004 (info): the row's score could not be recomputed — coverage, never hidden
    checked = scored & has_score & (recomputed | met.notna())
    discretionary = ind["method"].fillna("").str.contains("酌情")
    ind["machine_checked"] = checked | ((ind["kind"] == "bonus") & ind["scr008"].notna()) | (
        (ind["kind"] == "deduction") & ind["scr007"].notna() & ~discretionary)
    ind["mth004"] = (~ind["machine_checked"]).astype(float).where(ind["kind"].notna())
    special = ind["kind"] != "normal"
    ind["mth004_reason"] = np.where(
        special, np.where(discretionary, "评分办法为酌情扣分，无法机器复核", "加减分项无可复核的评分标准"),
        reason.fillna("无法比较完成值与目标值"))
    ind["mth004_reason_en"] = np.where(
        special, np.where(discretionary, "the method is discretionary (酌情扣分)", "no checkable schedule for this bonus/deduction row"),
        "the method or the actual value could not be compared: " + reason.fillna("无法比较完成值与目标值"))

    # PLA002 an actual written as a percentage (rate, coverage, satisfaction) above 100%
    a_num, t_num = col("actual").astype(float), col("target").astype(float)
    a_pct = col("actual_percent", False).astype(bool)
    ind["pla002"] = (a_num - 1.0 - EPS).where(scored & a_pct & a_num.notna())
    # PLA005 an actual beats its target by more than the profile's ratio (where the profile asks)
    ratio = prof.map(lambda p: profiles[p].overachievement_ratio if profiles[p].overachievement_ratio else np.nan)
    op = col("op", None).fillna(">=")
    over = np.where(op.isin(["<=", "<"]), t_num / a_num.replace(0, np.nan) - 1.0, a_num / t_num.replace(0, np.nan) - 1.0)
    ind["pla005"] = (pd.Series(over, index=ind.index) - ratio - EPS).where(
        scored & a_num.notna() & (t_num > 0) & ratio.notna() & ~unit_mismatch)
    ind["pla005_ratio"] = ratio

    # submission-level plausibility (PLA001, PLA003, PLA004) on the submissions table
    exact_copy = col("copies_target", False).astype(bool)
    quant = scored & t_num.notna() & a_num.notna()
    g = pd.DataFrame({"sid": ind["submission_id"], "normal": scored & has_score,
                      "full": scored & has_score & (score >= weight - EPS), "quant": quant,
                      "copy": quant & exact_copy})
    agg = g.groupby("sid").sum(numeric_only=True)
    sid = sub["submission_id"]
    n_normal = sid.map(agg["normal"]).fillna(0)
    n_full = sid.map(agg["full"]).fillna(0)
    n_quant = sid.map(agg["quant"]).fillna(0)
    n_copy = sid.map(agg["copy"]).fillna(0)
    sub["pla001"] = (n_full == n_normal).astype(float).where(n_normal >= 3)
    sub["pla003"] = (n_copy == n_quant).astype(float).where(n_quant >= 3)
    sub["n_quantitative"] = n_quant
    grade = sub["stated_grade"].fillna(sub["grade_computed"])
    top = [profiles[p].grade_bands[0].grade for p in sub["profile"]]
    sub["top_grade"] = top
    sub["pla004"] = ((grade == pd.Series(top, index=sub.index)) & (sub["rate_effective"] < sub["low_threshold"])
                     ).astype(float).where(sub["rate_effective"].notna() & grade.notna())
