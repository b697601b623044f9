"""MTH — scoring method (评分办法) consistency: each score recomputed from its printed method and the
stated actual value (read once per row in `normalize.facts`, see `parse.methods`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..normalize import Tables
from ..numeric import EPS, UNKNOWN_TOL
from .base import TOL_SCORE, Check, per_profile, rule

#: discrete methods give exact points; continuous ones are compared at the score's printed precision
DISCRETE = {"tiers", "all_or_nothing", "qualitative_bands_point"}


def score_tolerance(ind: pd.DataFrame) -> pd.Series:
    """The score's printed precision, at least ±0.005."""
    return np.maximum(ind["score_tol"].fillna(UNKNOWN_TOL), UNKNOWN_TOL)


def _scored(ind: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(ordinary scored rows, rows with both a score and a weight): what a method can be checked on."""
    return ind["kind"] == "normal", ind["score"].notna() & ind["weight"].notna()


def _met(ind: pd.DataFrame, value: bool) -> pd.Series:
    """Rows whose actual meets (value=True) or misses (value=False) the target; not comparable counts as neither."""
    met = ind["target_met"]
    return pd.Series([x is value for x in met.tolist()], index=ind.index, name=met.name)   # not Series.map: ~2× the time


@rule('MTH001', 'score-contradicts-method', 'error', '得分与评分办法不符', 'Score contradicts method',
      doc='Recomputing the score from the parsed scoring method (评分办法) and the stated actual value gives a different score. Tiers by label, thresholds with proportional fallback, all-or-nothing, per-unit deductions, qualitative bands and execution-rate formulas are recomputed; see `budget-audit explain-method`.',
      checks=(Check('indicators', 'mth001', '{ind}：{recomputed_zh}，自评 {actual} 分', '{ind}: {recomputed_en}; self-assigned {actual}', location='loc_score', expected='mth001_expected', actual='score', tolerance='mth001_tol', indicator=True),),
      tolerance=TOL_SCORE,
      example='B31 资产管理制度健全性：完成值「健全」按评分办法「制度健全得1分」应得 1 分，自评 0.5 分')
def mth001(t: Tables) -> None:
    ind = t.indicators
    scored, has_score = _scored(ind)
    low, high, score = ind["recomputed_low"], ind["recomputed_high"], ind["score"]
    tol = np.where(ind["method_kind"].isin(list(DISCRETE)), EPS, score_tolerance(ind))
    applies = scored & has_score & low.notna() & high.notna() & ind["method"].notna()
    ind["mth001"] = (np.maximum(low - score, score - high) - tol).where(applies)
    ind["mth001_tol"] = pd.Series(np.where(tol <= EPS, 0.0, tol), index=ind.index).where(applies)
    ind["mth001_expected"] = pd.Series(np.where(low == high, low, np.nan), index=ind.index).where(applies)


@rule('MTH002', 'met-target-partial-score', 'warning', '达标但未得满分', 'Met target, partial score',
      doc='The actual meets the target under its operator (or equals it, for qualitative targets), the score is below the weight, and no deviation reason is given. Raised only where MTH001 could not decide.',
      checks=(Check('indicators', 'mth002', '{ind}：完成值 {actual_text} 已达到目标 {target_text}，得分 {actual} 低于权值 {expected}，且未说明原因', '{ind}: actual {actual_text} meets the target {target_text}, but the score {actual} is below the weight {expected} with no reason given', location='loc_score', expected='weight', actual='score', indicator=True),),
      example='B32 资产管理是否按制度执行：完成值 是 已达到目标 是，得分 0.5 低于权值 1，且未说明原因')
def mth002(t: Tables) -> None:
    ind = t.indicators
    scored, has_score = _scored(ind)
    undecided = ind["mth001"].isna()   # raised only where MTH001 could not decide
    docked = ind["score"] < ind["weight"] - EPS
    ind["mth002"] = (_met(ind, True) & docked & ind["deviation_reason"].isna()).astype(float).where(
        scored & has_score & undecided)


@rule('MTH003', 'missed-target-full-score', 'error', '未达标却得满分', 'Missed target, full score',
      doc='The actual misses the target but the score equals the weight.',
      checks=(Check('indicators', 'mth003', '{ind}：完成值 {actual_text} 未达到目标 {target_text}，却得满分 {actual}', '{ind}: actual {actual_text} misses the target {target_text}, yet scores full marks {actual}', location='loc_score', expected='weight', actual='score', indicator=True),),
      example='C11 教学助手使用量：完成值 2900人 未达到目标 ≥3000人，却得满分 8')
def mth003(t: Tables) -> None:
    ind = t.indicators
    scored, has_score = _scored(ind)
    ind["mth003"] = (_met(ind, False) & (ind["score"] >= ind["weight"] - EPS)).astype(float).where(scored & has_score)


@rule('MTH004', 'method-not-checkable', 'info', '评分无法机器复核', 'Method not checkable',
      doc='The method text could not be parsed, or the actual value could not be compared with the target; the row is counted as not machine-checked (coverage is reported, never hidden).',
      checks=(Check('indicators', 'mth004', '{ind}：{mth004_reason}', '{ind}: not machine-checked ({mth004_reason_en})', location='loc_score', indicator=True),),
      example='F21 本年度违法违纪：评分办法为酌情扣分，无法机器复核')
def mth004(t: Tables) -> None:
    ind = t.indicators
    scored, has_score = _scored(ind)
    recomputed = ind["recomputed_low"].notna() & ind["recomputed_high"].notna()
    checked = scored & has_score & (recomputed | ind["target_met"].notna())
    discretionary = ind["method"].fillna("").str.contains("酌情")
    # bonus and deduction rows count as checked where SCR008 / SCR007 could judge them
    ind["machine_checked"] = checked | ((ind["kind"] == "bonus") & ind["scr008"].notna()) | (
        (ind["kind"] == "deduction") & ind["scr007"].notna() & ~discretionary)
    # a form that prints no weights says so once (STR009); its rows are not machine-checked, not one info each
    ind["mth004"] = (~ind["machine_checked"]).astype(float).where(ind["kind"].notna() & (ind["weight_kind"] != "not_printed"))
    special = ind["kind"] != "normal"
    reason = ind["method_reason"].fillna("无法比较完成值与目标值")
    ind["mth004_reason"] = np.where(
        special, np.where(discretionary, "评分办法为酌情扣分，无法机器复核", "加减分项无可复核的评分标准"), reason)
    ind["mth004_reason_en"] = np.where(
        special, np.where(discretionary, "the method is discretionary (酌情扣分)",
                          "no checkable schedule for this bonus/deduction row"),
        "the method or the actual value could not be compared: " + reason)


@rule('MTH005', 'unit-mismatch', 'warning', '目标值与完成值单位不一致', 'Unit mismatch',
      doc='Target and actual are in incompatible units (%, 人, 万元 …), or a numeric target got a word ("完成").',
      checks=(Check('indicators', 'mth005', '{ind}：目标值 {target_text} 与完成值 {actual_text} 单位不一致，无法比较', '{ind}: target {target_text} and actual {actual_text} are in incompatible units', location='loc_actual', indicator=True),),
      example='C11 教学助手使用量：目标值 ≥3000人 与完成值 95% 单位不一致，无法比较')
def mth005(t: Tables) -> None:
    ind = t.indicators
    applies = (ind["kind"] == "normal") & ind["target_text"].notna() & ind["actual_text"].notna()
    ind["mth005"] = ind["unit_mismatch"].astype(float).where(applies)


@rule('MTH006', 'missing-deviation-reason', 'warning', '未填写偏差原因', 'Missing deviation reason',
      doc="The target is missed or the score is below the weight, and the template's deviation-reason field (偏差原因分析及改进措施) is empty.",
      checks=(Check('indicators', 'mth006', '{ind}：未达成目标或未得满分（得分 {actual}/{expected}），未填写偏差原因分析及改进措施', '{ind}: target missed or score below weight ({actual}/{expected}) and no deviation reason is given', location='loc_score', expected='weight', actual='score', indicator=True),),
      profiles='profiles whose form has a deviation-reason field (project-mof-100, project-20-80)',
      example='群众满意度：未达成目标或未得满分（得分 8/10），未填写偏差原因分析及改进措施')
def mth006(t: Tables) -> None:
    ind = t.indicators
    scored, has_score = _scored(ind)
    needs_reason = per_profile(t, ind, lambda p: p.deviation_reason_field)
    missed_or_docked = _met(ind, False) | (ind["score"] < ind["weight"] - EPS)
    ind["mth006"] = (missed_or_docked & ind["deviation_reason"].isna()).astype(float).where(
        scored & has_score & needs_reason)


@rule('MTH007', 'score-above-proportional', 'error', '得分高于按比例计算的分值', 'Score above proportional',
      doc="A quantitative target was missed and, with no method text, the score exceeds the profile's default (proportional) score: weight × actual/target for ≥ targets, weight × target/actual for ≤ targets.",
      checks=(Check('indicators', 'mth007', '{ind}：{recomputed_zh}，自评 {actual} 分', '{ind}: {recomputed_en}; self-assigned {actual}', location='loc_score', expected='recomputed_high', actual='score', tolerance='mth007_tol', indicator=True),),
      tolerance=TOL_SCORE,
      example='培训人数：完成值 80人 未达到目标 ≥100人，按比例应得不超过 8 分，自评 10 分')
def mth007(t: Tables) -> None:
    ind = t.indicators
    scored, has_score = _scored(ind)
    recomputed = ind["recomputed_low"].notna() & ind["recomputed_high"].notna()
    quantitative_miss = _met(ind, False) & ind["method"].isna() & recomputed
    tol = score_tolerance(ind)
    ind["mth007"] = (ind["score"] - ind["recomputed_high"] - tol).where(scored & has_score & quantitative_miss)
    ind["mth007_tol"] = tol.where(ind["mth007"].notna())
