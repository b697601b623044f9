"""WGT — weights: the total and each section's and group's weights against what the form declares and
what the profile prescribes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..normalize import Tables
from ..numeric import EPS
from ..profiles import GENERIC
from .base import NO_PROFILE, NO_SPLIT, Check, flag, per_profile, rule, unchecked


def _declared_gap(sec: pd.DataFrame) -> pd.Series:
    """|declared points − weight sum| beyond float noise, where a section or group declares its points."""
    declared = sec["declared_points"].notna() & sec["weight_sum"].notna()
    return ((sec["declared_points"] - sec["weight_sum"]).abs() - EPS).where(declared)


@rule('WGT001', 'weight-total-mismatch', 'error', '权值合计不符', 'Weight total mismatch',
      doc='The sum of all indicator weights (plus a scored budget block) differs from the profile total (105 for dept-overall-105: 100 + 5 bonus).',
      checks=(Check('submissions', 'wgt001', '全部指标权值合计 {actual}，评价模板规定应为 {expected}', 'indicator weights sum to {actual}; the profile requires {expected}', location='loc_total', expected='profile_total_weight', actual='weight_total'),),
      unchecked={'no_profile': NO_PROFILE},
      profiles='profiles with a total (not generic)',
      example='全部指标权值合计 100，评价模板规定应为 105')
def wgt001(t: Tables) -> None:
    s = t.submissions
    has_rows = s["n_indicators"] > 0
    applies = has_rows & s["profile_total_weight"].notna()
    s["wgt001"] = ((s["weight_total"] - s["profile_total_weight"]).abs() - EPS).where(applies)
    s["wgt001_unchecked"] = unchecked(has_rows & s["profile_total_weight"].isna(), "no_profile")


@rule('WGT002', 'section-weight-mismatch', 'error', '一级指标分值与权值合计不符', 'Section weight mismatch',
      doc='The points a section declares ("C部门履职（30分）") differ from the sum of its indicators\' weights.',
      checks=(Check('sections', 'wgt002', '一级指标“{sec}”标注 {expected} 分，其下指标权值合计 {actual} 分', 'section {sec} declares {expected} points; its indicators weigh {actual}', location='loc_points', expected='declared_points', actual='weight_sum'),),
      example='一级指标“A 部门决策”标注 1 分，其下指标权值合计 15 分')
def wgt002(t: Tables) -> None:
    sec = t.sections
    sec["wgt002"] = _declared_gap(sec).where(sec["level"] == 1)


@rule('WGT003', 'section-weight-off-template', 'warning', '一级指标权值偏离模板', 'Section weight off template',
      doc='A section\'s weight sum differs from the profile\'s standard weight for it (the MOF project form\'s 10/50/30/10 split holds "in principle"); so do the points of a scored budget block (分值 10) and the points the form declares for its indicator part as a whole ("年度绩效目标(90分)": the total less the block).',
      checks=(Check('sections', 'wgt003', '一级指标“{sec}”权值合计 {actual} 分，模板标准为 {expected} 分', "section {sec} weighs {actual}; the template's standard is {expected}", location='loc_points', expected='profile_weight', actual='weight_sum'),
              Check('submissions', 'wgt003_part', '{wgt003_part_zh}标注 {actual} 分，模板标准为 {expected} 分',
                    "{wgt003_part_en} declares {actual} points; the template's standard is {expected}",
                    location='loc_wgt003_part', expected='wgt003_part_expected', actual='wgt003_part_actual')),
      unchecked={'no_profile': NO_PROFILE, 'no_split': NO_SPLIT},
      profiles='profiles with section weights (not generic)',
      example='一级指标“产出指标”权值合计 40 分，模板标准为 50 分')
def wgt003(t: Tables) -> None:
    sec = t.sections
    if not sec.empty:      # (the measure also runs for the submissions check when no form has a section)
        lvl1 = sec["level"] == 1
        # for templates whose split is binding (dept-overall) WGT002/WGT001 already cover it; WGT003 is the
        # "in principle" deviation warning and applies to every templated section
        applies = lvl1 & sec["profile_weight"].notna() & sec["weight_sum"].notna() & (sec["kind"] == "normal")
        sec["wgt003"] = ((sec["weight_sum"] - sec["profile_weight"]).abs() - EPS).where(applies)
        first_section = lvl1 & ~sec["submission_id"].where(lvl1).duplicated()   # "not checked" is said once
        templated = per_profile(t, sec, lambda p: bool(p.sections))
        known = per_profile(t, sec, lambda p: p.name != GENERIC)       # a template that sets no split (20 + 80)
        sec["wgt003_unchecked"] = np.where(first_section & ~templated & known, "no_split",
                                           unchecked(first_section & ~templated, "no_profile"))
    # the parts of a project form whose template scores a budget block: the block's 分值, the indicator part's points
    s = t.submissions
    block = per_profile(t, s, lambda p: p.budget_block.weight if p.budget_block and p.section_weights_are_guidance
                          else np.nan).astype(float)
    rest = per_profile(t, s, lambda p: p.total_weight - p.budget_block.weight
                         if p.budget_block and p.total_weight and p.section_weights_are_guidance else np.nan).astype(float)
    gap_block = ((s["budget_weight"] - block).abs() - EPS).where(block.notna() & s["budget_weight"].notna())
    gap_part = ((s["indicator_points"] - rest).abs() - EPS).where(rest.notna() & s["indicator_points"].notna())
    worst = np.fmax(gap_block, gap_part)
    both = (gap_block > 0) & (gap_part > 0)       # both named; the part's figures carried
    use_part = both | (gap_part.notna() & ~(gap_block > gap_part))
    text = [(f"预算执行标注 {bw:g} 分（模板标准 {bs:g} 分），绩效指标部分" if b else "预算执行" if not u else "绩效指标部分",
             f"the budget block declares {bw:g} points (standard {bs:g}), the indicator part" if b
             else "the budget block" if not u else "the indicator part")
            for b, u, bw, bs in zip(both, use_part, s["budget_weight"], block)]
    new = pd.DataFrame({
        "wgt003_part": worst,
        "wgt003_part_expected": rest.where(use_part, block),
        "wgt003_part_actual": s["indicator_points"].where(use_part, s["budget_weight"]),
        "wgt003_part_zh": [x[0] for x in text], "wgt003_part_en": [x[1] for x in text],
        "loc_wgt003_part": s["loc_indicator_points"].where(use_part, s["loc_budget_weight"])}, index=s.index)
    t.submissions = pd.concat([s, new], axis=1)     # at once: one column at a time fragments the wide frame


@rule('WGT004', 'group-weight-mismatch', 'error', '二级指标分值与权值合计不符', 'Group weight mismatch',
      doc="A level-2 group declares points that differ from the sum of its indicators' weights.",
      checks=(Check('sections', 'wgt004', '二级指标“{sec}”标注 {expected} 分，其下指标权值合计 {actual} 分', 'group {sec} declares {expected} points; its indicators weigh {actual}', location='loc_points', expected='declared_points', actual='weight_sum'),),
      example='二级指标“B1 预算执行”标注 5 分，其下指标权值合计 6 分')
def wgt004(t: Tables) -> None:
    sec = t.sections
    sec["wgt004"] = _declared_gap(sec).where(sec["level"] == 2)


@rule('WGT005', 'invalid-weight', 'error', '权值无效', 'Invalid weight',
      doc="A scored indicator's weight is ≤ 0 or not finite, or a deduction row's weight is not 0.",
      checks=(Check('indicators', 'wgt005', '{ind}：权值 {weight_text} 无效（评分指标权值须大于 0，减分项权值须为 0）', '{ind}: weight {weight_text} is invalid (scored rows need a weight > 0, deduction rows 0)', location='loc_weight', actual='weight', indicator=True),),
      example='C11 教学助手使用量：权值 0 无效（评分指标权值须大于 0，减分项权值须为 0）')
def wgt005(t: Tables) -> None:
    ind = t.indicators
    w = ind["weight"]
    ind["wgt005"] = flag(np.where(ind["kind"] == "deduction", w.fillna(0).abs() > EPS, ~(w > 0) | ~np.isfinite(w)),
                         w.notna())
