"""SCR — scores and totals: each score against its weight, subtotals and the total against the sums,
the profile's maximum and bonus cap, deduction signs, bonus schedules."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..normalize import Tables
from ..numeric import EPS
from ..parse.methods import schedule_can_form
from ..profiles import GENERIC
from .base import NO_PROFILE, TOL_FIGURE, Check, flag, per_profile, rule, unchecked


@rule('SCR001', 'score-exceeds-weight', 'error', '得分超过权值', 'Score exceeds weight',
      doc="A score is above the row's weight (bonus rows: above their weight); the budget block's score above its points (分值).",
      checks=(Check('indicators', 'scr001', '{ind}：得分 {actual} 超过权值 {expected}', '{ind}: score {actual} exceeds the weight {expected}', location='loc_score', expected='weight', actual='score', indicator=True),
              Check('submissions', 'scr001', '预算执行得分 {actual} 超过其分值 {expected}', 'the budget execution score {actual} exceeds its points {expected}', location='loc_budget_score', expected='budget_weight', actual='budget_score'),),
      example='C11 教学助手使用量：得分 9 超过权值 8')
def scr001(t: Tables) -> None:
    ind, s = t.indicators, t.submissions
    if not ind.empty:
        applies = ind["kind"].isin(["normal", "bonus"]) & ind["score"].notna() & ind["weight"].notna()
        ind["scr001"] = (ind["score"] - ind["weight"] - EPS).where(applies)
    if not s.empty:     # the budget block's score against its points (分值)
        applies = s["budget_score"].notna() & s["budget_weight"].notna()
        s["scr001"] = (s["budget_score"] - s["budget_weight"] - EPS).where(applies)


@rule('SCR002', 'negative-score', 'error', '得分为负', 'Negative score',
      doc='A score below 0 on a row that is not a deduction.',
      checks=(Check('indicators', 'scr002', '{ind}：得分 {actual} 为负数', '{ind}: score {actual} is negative', location='loc_score', actual='score', indicator=True),),
      example='A11 决策制度的规范性：得分 -1 为负数')
def scr002(t: Tables) -> None:
    ind = t.indicators
    ind["scr002"] = flag(ind["score"] < 0, (ind["kind"] != "deduction") & ind["score"].notna())


@rule('SCR003', 'section-score-mismatch', 'error', '一级指标得分小计不符', 'Section score mismatch',
      doc='A stated section subtotal (a table row or the narrative "部门管理绩效评价得分为 16.5 分") differs from the sum of that section\'s scores.',
      checks=(Check('sections', 'scr003', '一级指标“{sec}”得分小计写为 {stated_text}，按指标得分合计应为 {expected}', 'section {sec}: stated subtotal {stated_text}, its scores sum to {expected}', location='loc_stated', expected='score_sum', actual='stated_subtotal', tolerance='scr003_tol'),),
      tolerance=TOL_FIGURE + '; scores themselves are assigned points and count as exact',
      unchecked={'score_unreadable': ("该一级指标下有得分无法识别为数值（见 STR002），小计未按各项得分复核",
                                      "a score in the section is not a number (see STR002): the subtotal is not checked")},
      example='一级指标“B 部门管理”得分小计写为 17，按指标得分合计应为 16.5')
def scr003(t: Tables) -> None:
    sec, ind = t.sections, t.indicators
    stated = (sec["level"] == 1) & sec["stated_subtotal"].notna() & sec["score_sum"].notna()
    # as SCR004: a score printed as no number is not 0 in the section's sum
    bad = _unreadable_scores(ind, ["submission_id", "section"])
    unreadable = pd.Series([k in bad for k in zip(sec["submission_id"], sec["section"])], index=sec.index, dtype=bool)
    applies = stated & ~unreadable
    sec["scr003"] = ((sec["score_sum"] - sec["stated_subtotal"]).abs() - sec["stated_tol"] - EPS).where(applies)
    sec["scr003_tol"] = sec["stated_tol"].where(applies)
    sec["scr003_unchecked"] = unchecked(stated & unreadable, "score_unreadable")


def _unreadable_scores(ind: pd.DataFrame, by: list[str]) -> set:
    """The `by` keys (submission, or submission and section) of rows whose score is printed as no number (STR002)."""
    if ind.empty:
        return set()
    rows = ind.loc[ind["score_kind"].isin(["invalid", "label"]), by]
    return set(rows.itertuples(index=False, name=None)) if len(by) > 1 else set(rows[by[0]])


@rule('SCR004', 'total-score-mismatch', 'error', '总分不符', 'Total score mismatch',
      doc='The stated total ("自评得分为97.5分", a 合计 row) differs from the sum of all scores (bonus added, deductions subtracted, a scored budget block included).',
      checks=(Check('submissions', 'scr004', '自评总分写为 {stated_total_text}，按各项得分合计应为 {expected}', 'stated total {stated_total_text}; the scores sum to {expected}', location='loc_total', expected='score_total', actual='stated_total', tolerance='scr004_tol'),),
      tolerance=TOL_FIGURE + '; scores themselves are assigned points and count as exact',
      unchecked={'score_unreadable': ("有得分无法识别为数值（见 STR002），总分未按各项得分复核",
                                      "a score is not a number (see STR002): the total is not checked against the scores")},
      example='自评总分写为 98，按各项得分合计应为 97.5')
def scr004(t: Tables) -> None:
    s, ind = t.submissions, t.indicators
    stated = (s["n_indicators"] > 0) & s["stated_total"].notna()
    # a score printed as no number ("IO") is not 0: the sum of the others is not the sum, so it is not compared
    unreadable = s["submission_id"].isin(_unreadable_scores(ind, ["submission_id"]))
    applies = stated & ~unreadable
    s["scr004"] = ((s["score_total"] - s["stated_total"]).abs() - s["stated_total_tol"] - EPS).where(applies)
    s["scr004_tol"] = s["stated_total_tol"].where(applies)
    s["scr004_unchecked"] = unchecked(stated & unreadable, "score_unreadable")


@rule('SCR005', 'total-exceeds-maximum', 'error', '总分超过上限', 'Total exceeds maximum',
      doc='The total exceeds what the profile allows (base total + bonus cap): the total the form states, where it states one, else the sum of the scores. A stated total within the maximum over scores that sum above it is not this rule\'s: SCR004 says the two differ (and WGT001 when the weights sum above the template too).',
      checks=(Check('submissions', 'scr005', '总分 {actual} 超过模板允许的最高分 {expected}', "total {actual} exceeds the profile's maximum {expected}", location='loc_total', expected='profile_max_total', actual='scr005_total'),),
      unchecked={'no_profile': NO_PROFILE},
      profiles='profiles with a base total (not generic)',
      example='总分 106 超过模板允许的最高分 105')
def scr005(t: Tables) -> None:
    s = t.submissions
    has_rows = s["n_indicators"] > 0
    applies = has_rows & s["profile_max_total"].notna()
    # the message shows the figure in the cell it points at (loc_total): a stated 100 is not "总分 110"
    s["scr005_total"] = s["stated_total"].where(s["stated_total"].notna(), s["score_total"])
    s["scr005"] = (s["scr005_total"] - s["profile_max_total"] - EPS).where(applies)
    s["scr005_unchecked"] = unchecked(has_rows & s["profile_max_total"].isna(), "no_profile")


@rule('SCR006', 'bonus-over-cap', 'error', '加分超过上限', 'Bonus over cap',
      doc="The bonus section's scores sum above its cap (5 in dept-overall-105).",
      checks=(Check('submissions', 'scr006', '加分项合计 {actual} 分，超过上限 {expected} 分', 'bonus points sum to {actual}, above the cap of {expected}', location='loc_total', expected='bonus_cap', actual='bonus_sum'),),
      unchecked={'no_profile': NO_PROFILE},
      profiles='profiles with a bonus section (dept-overall-105)',
      example='加分项合计 6 分，超过上限 5 分')
def scr006(t: Tables) -> None:
    s = t.submissions
    applies = s["bonus_sum"].notna() & s["bonus_cap"].notna()
    s["scr006"] = (s["bonus_sum"] - s["bonus_cap"] - EPS).where(applies)
    # only an unknown template leaves the bonus cap open; a known one without a bonus section has none to check
    unknown = per_profile(t, s, lambda p: p.name == GENERIC).astype(bool)
    s["scr006_unchecked"] = unchecked((s["n_indicators"] > 0) & ~s["templated"] & unknown, "no_profile")


@rule('SCR007', 'deduction-sign', 'error', '减分项符号错误', 'Deduction sign',
      doc='A deduction row adds points (the profile says whether deductions are written as negative scores or as positive amounts to subtract).',
      checks=(Check('indicators', 'scr007', '{ind}：减分项得分 {actual} 的符号与模板约定不符（不得加分）', '{ind}: deduction score {actual} has the wrong sign (a deduction cannot add points)', location='loc_score', actual='score', indicator=True),),
      profiles='profiles with a deduction section (dept-overall-105)',
      example='F21 本年度违法违纪：减分项得分 2 的符号与模板约定不符（不得加分）')
def scr007(t: Tables) -> None:
    ind = t.indicators
    positive = per_profile(t, ind, lambda p: p.deduction_sign < 0)   # deductions written as amounts to subtract
    ind["scr007"] = flag(np.where(positive, ind["score"] < 0, ind["score"] > 0),
                         (ind["kind"] == "deduction") & ind["score"].notna())


@rule('SCR008', 'bonus-off-schedule', 'warning', '加分不符合加分标准', 'Bonus off schedule',
      doc="A bonus score cannot be formed from the schedule's values (dept-overall-105: 3, 2, 1, 0.5; the same piece of work counts once).",
      checks=(Check('indicators', 'scr008', '{ind}：加分 {actual} 无法由加分标准（{schedule}）组成', '{ind}: bonus {actual} cannot be formed from the schedule ({schedule})', location='loc_score', actual='score', indicator=True),),
      profiles='profiles with a bonus schedule (dept-overall-105)',
      example='F11 本年度收到各级荣誉表彰：加分 0.7 无法由加分标准（3、2、1、0.5）组成')
def scr008(t: Tables) -> None:
    ind = t.indicators
    schedule_of = {name: tuple(p.bonus.schedule) if p.bonus else () for name, p in t.profiles.items()}
    # each row's schedule looked up as `Series.map(schedule_of)` does (NaN for an unknown profile), in a list:
    # mapping to tuples, pandas first tries to store them as text (~5× the time)
    sched = [schedule_of.get(name, np.nan) for name in ind["profile"].tolist()]
    ind["schedule"] = ind["profile"].map({name: "、".join(f"{x:g}" for x in s) for name, s in schedule_of.items()})
    cap = per_profile(t, ind, lambda p: p.bonus.cap if p.bonus else math.inf)
    applies = (ind["kind"] == "bonus") & ind["score"].notna() & pd.Series([bool(x) for x in sched], index=ind.index)
    out = np.full(len(ind), np.nan)
    scores, caps = ind["score"].tolist(), cap.tolist()
    for i in np.flatnonzero(applies.to_numpy(dtype=bool)).tolist():      # only the bonus rows are judged
        out[i] = float(not schedule_can_form(scores[i], sched[i], caps[i]))
    ind["scr008"] = pd.Series(out, index=ind.index)
