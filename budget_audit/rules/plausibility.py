"""PLA — plausibility: patterns a reviewer should look at (warnings, never errors)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..normalize import Tables
from ..numeric import EPS
from .base import Check, per_profile, rule


def _count(sub: pd.DataFrame, ind: pd.DataFrame, mask: pd.Series) -> pd.Series:
    """Per submission row: how many of its indicator rows `mask` selects."""
    per = mask.groupby(ind["submission_id"]).sum() if len(ind) else pd.Series(dtype=float)
    return sub["submission_id"].map(per).fillna(0)


@rule('PLA001', 'all-full-marks', 'warning', '全部指标满分', 'All full marks',
      doc='Every non-bonus indicator has full marks (at least three scored rows): a reviewer should look.',
      checks=(Check('submissions', 'pla001', '全部 {n_full_marks:.0f} 项指标均为满分，请复核自评是否客观', 'all {n_full_marks:.0f} indicators have full marks; check the self-assessment is objective', location='loc_total'),),
      example='全部 39 项指标均为满分，请复核自评是否客观')
def pla001(t: Tables) -> None:
    s, ind = t.submissions, t.indicators
    weighted = (ind["kind"] == "normal") & ind["weight"].notna()
    scored = weighted & ind["score"].notna()
    # full marks = the score equals the weight: a score above its weight is SCR's error, not "full marks";
    # a blank score means not every row is known, so "all" cannot be said
    full = scored & ((ind["score"] - ind["weight"]).abs() <= EPS)
    n_weighted, n_scored, n_full = _count(s, ind, weighted), _count(s, ind, scored), _count(s, ind, full)
    s["n_full_marks"] = n_full
    s["pla001"] = (n_full == n_scored).astype(float).where((n_scored >= 3) & (n_scored == n_weighted))


@rule('PLA002', 'ratio-above-100', 'warning', '比率超过100%', 'Ratio above 100%',
      doc="A rate / coverage / satisfaction indicator's actual, written as a percentage, exceeds 100%.",
      checks=(Check('indicators', 'pla002', '{ind}：完成值 {actual_text} 超过 100%', '{ind}: actual {actual_text} exceeds 100%', location='loc_actual', indicator=True),),
      example='D11 教育公共服务平台服务师生的数量：完成值 105% 超过 100%')
def pla002(t: Tables) -> None:
    ind = t.indicators
    a = ind["actual_num"]
    ind["pla002"] = (a - 1.0 - EPS).where((ind["kind"] == "normal") & ind["actual_percent"] & a.notna())


@rule('PLA003', 'actuals-copy-targets', 'warning', '完成值照抄目标值', 'Actuals copy targets',
      doc='Every quantitative actual equals its target exactly (at least three quantitative rows).',
      checks=(Check('submissions', 'pla003', '全部 {n_quantitative:.0f} 项定量指标的完成值与目标值完全相同，疑似照抄', 'all {n_quantitative:.0f} quantitative actuals equal their targets exactly', location='loc_total'),),
      example='全部 8 项定量指标的完成值与目标值完全相同，疑似照抄')
def pla003(t: Tables) -> None:
    s, ind = t.submissions, t.indicators
    quant = (ind["kind"] == "normal") & ind["target_num"].notna() & ind["actual_num"].notna()
    n_quant, n_copy = _count(s, ind, quant), _count(s, ind, quant & ind["copies_target"])
    s["pla003"] = (n_copy == n_quant).astype(float).where(n_quant >= 3)
    s["n_quantitative"] = n_quant


@rule('PLA004', 'top-grade-low-execution', 'warning', '执行率偏低却评为优', 'Top grade, low execution',
      doc="The grade is the top band (优) while the execution rate is below the profile's threshold (90%).",
      checks=(Check('submissions', 'pla004', '评价等级为“{top_grade}”，但预算执行率仅 {actual}（低于 {expected}）', 'grade {top_grade} while the execution rate is only {actual} (below {expected})', location='loc_grade', expected='low_threshold', actual='rate_effective', fmt='pct'),),
      example='评价等级为“优”，但预算执行率仅 82.00%（低于 90.00%）')
def pla004(t: Tables) -> None:
    s = t.submissions
    grade = s["stated_grade"].fillna(s["grade_computed"])
    s["top_grade"] = [t.profiles[p].grade_bands[0].grade for p in s["profile"]]
    s["pla004"] = ((grade == s["top_grade"]) & (s["rate_effective"] < s["low_threshold"])).astype(float).where(
        s["rate_effective"].notna() & grade.notna())


@rule('PLA005', 'overachievement', 'warning', '大幅超额完成', 'Overachievement',
      doc="An actual beats its target by more than the profile's ratio (30%): the target was likely set too low (MOF asks to reduce such scores).",
      checks=(Check('indicators', 'pla005', '{ind}：完成值 {actual_text} {pla005_beats}目标 {target_text} 逾 {pla005_ratio:.0%}，目标可能{pla005_judge}', '{ind}: actual {actual_text} beats the target {target_text} by more than {pla005_ratio:.0%}; the target may be too {pla005_judge_en}', location='loc_actual', indicator=True),),
      profiles='profiles that set `overachievement_ratio` (project-mof-100, project-20-80, generic); the department framework dept-overall-105 does not ask for it',
      example='培训人次：完成值 1500人次 超出目标 ≥1000人次 逾 30%，目标可能偏低')
def pla005(t: Tables) -> None:
    ind = t.indicators
    ratio = per_profile(t, ind, lambda p: p.overachievement_ratio if p.overachievement_ratio else np.nan)
    a, tg = ind["actual_num"], ind["target_num"]
    op = ind["compare_op"].fillna(">=")
    ceiling = op.isin(["<=", "<"]).to_numpy()
    over = np.where(ceiling, tg / a.replace(0, np.nan) - 1.0, a / tg.replace(0, np.nan) - 1.0)
    # a ceiling ("≤202.6万元") is beaten by coming in under it: the target is then too loose, not too low
    ind["pla005_beats"] = np.where(ceiling, "优于", "超出")
    ind["pla005_judge"] = np.where(ceiling, "偏宽松", "偏低")
    ind["pla005_judge_en"] = np.where(ceiling, "loose", "low")
    ind["pla005"] = (pd.Series(over, index=ind.index) - ratio - EPS).where(
        (ind["kind"] == "normal") & a.notna() & (tg > 0) & ratio.notna() & ~ind["unit_mismatch"])
    ind["pla005_ratio"] = ratio
