"""BUD — budget arithmetic: splits, adjustments, execution rates (stated vs computed from the figures,
as intervals from their rounded inputs), the budget block's score, overspending, negative amounts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..normalize import AMOUNT_KEYS, BUDGET_LABELS, Tables
from ..normalize.facts import rate_interval
from ..numeric import EPS, UNKNOWN_TOL
from ..parse.values import parse_value
from .base import RATE_INPUTS, TOL_FIGURE, TRUNCATION, Check, flag, gap, rule, truncated, unchecked


def _arithmetic(s: pd.DataFrame, rule_col: str, total: str, parts: list[tuple[str, float]], need_all: bool) -> None:
    """A stated total against the sum of its stated parts; the intervals of the parts add up."""
    cols = [c for c, _ in parts]
    present = s[cols].notna()
    applies = s[total].notna() & (present.all(axis=1) if need_all else present.any(axis=1))
    calc = sum(sign * s[c].fillna(0.0) for c, sign in parts)
    tol = sum(s[f"{c}_tol"].fillna(0.0) for c, _ in parts)
    s[f"{rule_col}_expected"] = calc.where(applies)
    s[f"{rule_col}_actual"] = s[total].where(applies)
    s[f"{rule_col}_tol"] = (tol + s[f"{total}_tol"]).where(applies)
    s[rule_col] = ((calc - s[total]).abs() - tol - s[f"{total}_tol"] - EPS).where(applies)


def _stated_rate(s: pd.DataFrame, rule_col: str, key: str, mid: pd.Series, lo: pd.Series, hi: pd.Series) -> None:
    """A stated rate against the interval computed from the figures (a cut rate may be a warning)."""
    applies = mid.notna() & s[key].notna()
    s[rule_col] = (gap(lo, hi, s[key], s[f"{key}_tol"]) - EPS).where(applies)
    s[f"{rule_col}_truncated"] = truncated(lo, hi, s[key], s[f"{key}_tol"], s["allow_truncation"])
    s[f"{rule_col}_expected"], s[f"{rule_col}_actual"] = mid.where(applies), s[key].where(applies)
    s[f"{rule_col}_tol"] = s[f"{key}_tol"].where(applies)


@rule('BUD001', 'initial-budget-split', 'error', '年初预算数与构成不符', 'Initial budget split',
      doc='Initial budget ≠ basic + project (when all three are stated).',
      checks=(Check('submissions', 'bud001', '年初预算数 {initial_budget_text}，基本支出 {initial_basic_text} + 项目支出 {initial_project_text} = {expected}', 'initial budget {initial_budget_text}, but basic {initial_basic_text} + project {initial_project_text} = {expected}', location='loc_initial_budget', expected='bud001_expected', actual='bud001_actual', tolerance='bud001_tol'),),
      tolerance=TOL_FIGURE + '; the intervals of the summed items add up',
      example='年初预算数 2972.43，基本支出 1504.43 + 项目支出 1468 = 2972.43')
def bud001(t: Tables) -> None:
    _arithmetic(t.submissions, "bud001", "initial_budget", [("initial_basic", 1), ("initial_project", 1)], True)


@rule('BUD002', 'adjusted-budget-arithmetic', 'error', '调整预算数计算不符', 'Adjusted budget arithmetic',
      doc='Adjusted budget ≠ initial budget + increase − decrease (a missing increase/decrease counts as 0 when the other is stated).',
      checks=(Check('submissions', 'bud002', '调整预算数 {adjusted_budget_text}，按年初预算数 + 调增 − 调减计算应为 {expected}', 'adjusted budget {adjusted_budget_text}; initial + increase − decrease = {expected}', location='loc_adjusted_budget', expected='bud002_expected', actual='bud002_actual', tolerance='bud002_tol'),),
      tolerance=TOL_FIGURE + '; the intervals of the summed items add up',
      example='调整预算数 7280.19，按年初预算数 + 调增 − 调减计算应为 7280.19')
def bud002(t: Tables) -> None:
    s = t.submissions
    _arithmetic(s, "bud002", "adjusted_budget", [("initial_budget", 1), ("increase", 1), ("decrease", -1)], False)
    # a missing increase/decrease counts as 0 only when the other one is stated
    s["bud002"] = s["bud002"].where((s["increase"].notna() | s["decrease"].notna()) & s["initial_budget"].notna())


@rule('BUD003', 'expenditure-split', 'error', '支出决算数与构成不符', 'Expenditure split',
      doc='Expenditure ≠ basic expenditure + project expenditure.',
      checks=(Check('submissions', 'bud003', '支出决算数 {expenditure_text}，基本支出 {expenditure_basic_text} + 项目支出 {expenditure_project_text} = {expected}', 'expenditure {expenditure_text}, but basic {expenditure_basic_text} + project {expenditure_project_text} = {expected}', location='loc_expenditure', expected='bud003_expected', actual='bud003_actual', tolerance='bud003_tol'),),
      tolerance=TOL_FIGURE + '; the intervals of the summed items add up',
      example='支出决算数 6965.62，基本支出 1542.73 + 项目支出 5422.89 = 6965.62')
def bud003(t: Tables) -> None:
    _arithmetic(t.submissions, "bud003", "expenditure", [("expenditure_basic", 1), ("expenditure_project", 1)], True)


@rule('BUD004', 'execution-rate-mismatch', 'error', '预算执行率计算不符', 'Execution rate mismatch',
      doc='The stated execution rate ≠ expenditure ÷ adjusted budget (the profile may name another numerator or denominator).',
      checks=(Check('submissions', 'bud004', '预算执行率写为 {execution_rate_text}，按 {rate_num_text} ÷ {rate_den_text} 计算应为 {expected}', 'execution rate stated {execution_rate_text}; {rate_num_text} ÷ {rate_den_text} = {expected}', location='loc_execution_rate', expected='bud004_expected', actual='bud004_actual', tolerance='bud004_tol', fmt='pct'),),
      tolerance=TOL_FIGURE + ' ("97%" is 96.5%..97.5%)' + TRUNCATION,
      unchecked={'rate_inputs_missing': RATE_INPUTS},
      example='预算执行率写为 97%，按 6965.62 ÷ 7280.19 计算应为 95.68%')
def bud004(t: Tables) -> None:
    s = t.submissions
    mid, lo, hi = s["rate_computed"], s["rate_lo"], s["rate_hi"]
    _stated_rate(s, "bud004", "execution_rate", mid, lo, hi)
    s["bud004_unchecked"] = unchecked(s["execution_rate"].notna() & mid.isna(), "rate_inputs_missing")


@rule('BUD005', 'project-execution-rate-mismatch', 'error', '项目资金执行率计算不符', 'Project execution rate mismatch',
      doc='The stated project execution rate ≠ project expenditure ÷ project adjusted budget (when both are stated).',
      checks=(Check('submissions', 'bud005', '项目资金执行率写为 {project_execution_rate_text}，按 {expenditure_project_text} ÷ {adjusted_project_text} 计算应为 {expected}', 'project execution rate stated {project_execution_rate_text}; {expenditure_project_text} ÷ {adjusted_project_text} = {expected}', location='loc_project_execution_rate', expected='bud005_expected', actual='bud005_actual', tolerance='bud005_tol', fmt='pct'),),
      tolerance=TOL_FIGURE + TRUNCATION,
      unchecked={'no_adjusted_project': ('项目资金执行率无法复核：未填报项目调整预算数', 'project execution rate cannot be recomputed: no project adjusted budget is stated'), 'rate_inputs_missing': RATE_INPUTS},
      example='项目资金执行率写为 98%，按 5422.89 ÷ 5600 计算应为 96.84%')
def bud005(t: Tables) -> None:
    s = t.submissions
    mid, lo, hi = rate_interval(s["expenditure_project"], s["expenditure_project_tol"].fillna(0),
                                s["adjusted_project"], s["adjusted_project_tol"].fillna(0))
    _stated_rate(s, "bud005", "project_execution_rate", mid, lo, hi)
    s["bud005_unchecked"] = np.where(s["project_execution_rate"].notna() & mid.isna(),
                                     np.where(s["adjusted_project"].isna(), "no_adjusted_project", "rate_inputs_missing"),
                                     None)


@rule('BUD006', 'execution-indicator-mismatch', 'error', '执行率指标完成值与预算数据不符', 'Execution indicator mismatch',
      doc='The score table\'s execution-rate indicator ("部门预算执行率", "预算执行率") has an actual value that differs from the rate computed from the budget figures.',
      checks=(Check('indicators', 'bud006', '{ind}：完成值 {actual_text}，按预算数据计算应为 {expected}', '{ind}: actual {actual_text}, the budget figures give {expected}', location='loc_actual', expected='bud006_expected', actual='bud006_actual', tolerance='bud006_tol', fmt='pct', indicator=True),),
      tolerance=TOL_FIGURE + TRUNCATION,
      unchecked={'rate_inputs_missing': RATE_INPUTS},
      example='B11 部门预算执行率：完成值 97%，按预算数据计算应为 95.68%')
def bud006(t: Tables) -> None:
    ind, sub = t.indicators, t.submissions
    rows = ind["is_execution_indicator"] & ind["actual_text"].notna()
    # each row's submission, looked up once (the figures then come by position, not a dict map per column)
    at = ind["submission_id"].map(dict(zip(sub["submission_id"], range(len(sub)))))
    known = at.notna().to_numpy() & (len(sub) > 0)
    at = at.fillna(0).to_numpy(dtype=np.int64)

    def per_row(col: str) -> pd.Series:
        vals = sub[col].to_numpy()
        return pd.Series(np.where(known, vals[at] if len(vals) else np.nan, np.nan), index=ind.index)

    rate, lo, hi = per_row("rate_computed"), per_row("rate_lo"), per_row("rate_hi")
    # only the execution-indicator rows (one or two per form) are parsed
    actual, tol = np.full(len(ind), np.nan), np.full(len(ind), np.nan)
    where = np.flatnonzero(rows.to_numpy(dtype=bool))
    for k, a in zip(where, ind["actual_text"].iloc[where].tolist()):
        v = parse_value(a, percent=True)
        if v.kind == "number":
            actual[k] = np.nan if v.number is None else v.number
            tol[k] = v.tol if v.tol is not None else UNKNOWN_TOL
    actual, tol = pd.Series(actual, index=ind.index), pd.Series(tol, index=ind.index)
    applies = rows & rate.notna() & actual.notna()
    ind["bud006"] = (gap(lo, hi, actual, tol) - EPS).where(applies)
    ind["bud006_truncated"] = truncated(lo, hi, actual, tol, per_row("allow_truncation").fillna(False).astype(bool))
    ind["bud006_expected"], ind["bud006_actual"] = rate.where(applies), actual.where(applies)
    ind["bud006_tol"] = tol.where(applies)
    ind["bud006_unchecked"] = unchecked(rows & rate.isna(), "rate_inputs_missing")


@rule('BUD007', 'execution-score-mismatch', 'error', '预算执行得分不符', 'Execution score mismatch',
      doc='For templates that score execution as weight × min(rate, 100%), the stated budget score differs.',
      checks=(Check('submissions', 'bud007', '预算执行得分 {actual}，按分值 {budget_weight:g} × 执行率计算应为 {expected}', 'budget execution score {actual}; weight {budget_weight:g} × rate = {expected}', location='loc_budget_score', expected='bud007_expected', actual='bud007_actual', tolerance='bud007_tol'),),
      tolerance=TOL_FIGURE,
      unchecked={'rate_inputs_missing': RATE_INPUTS,
                 'weight_missing': ('预算执行的分值未印出，无法复核其得分', 'the budget block prints no points (分值): its score cannot be recomputed')},
      profiles='profiles with a scored budget block (project-mof-100, project-20-80)',
      example='预算执行得分 10，按分值 10 × 执行率计算应为 9.57')
def bud007(t: Tables) -> None:
    s = t.submissions
    # the profile's template scores execution as weight × rate; a form with no template does when its own
    # budget block prints both the points (分值) and the score of execution
    own_block = s["score_formula"].isna() & ~s["templated"] & s["budget_weight"].notna()
    formula = (s["score_formula"] == "weight_times_rate") | own_block
    expected = s["budget_weight"] * np.minimum(s["rate_effective"], 1.0)
    applies = formula & s["budget_score"].notna() & expected.notna()
    s["bud007_expected"], s["bud007_actual"] = expected.where(applies), s["budget_score"].where(applies)
    s["bud007_tol"] = s["budget_score_tol"].where(applies)
    s["bud007"] = ((expected - s["budget_score"]).abs() - s["budget_score_tol"] - EPS).where(applies)
    open_ = formula & s["budget_score"].notna() & expected.isna()
    s["bud007_unchecked"] = np.where(open_ & s["rate_effective"].notna() & s["budget_weight"].isna(), "weight_missing",
                                     unchecked(open_, "rate_inputs_missing"))


@rule('BUD008', 'overspent', 'warning', '超预算支出', 'Overspent',
      doc='Expenditure exceeds the adjusted budget (rate > 100% beyond rounding).',
      checks=(Check('submissions', 'bud008', '支出 {rate_num_text} 超过预算 {rate_den_text}（执行率 {actual}）', 'expenditure {rate_num_text} exceeds the budget {rate_den_text} (rate {actual})', location='loc_expenditure', expected='bud008_expected', actual='bud008_actual', fmt='pct'),),
      tolerance=TOL_FIGURE,
      example='支出 120 超过预算 100（执行率 120%）')
def bud008(t: Tables) -> None:
    s = t.submissions
    mid = s["rate_computed"]
    s["bud008"] = (s["rate_lo"] - 1.0 - EPS).where(mid.notna())
    s["bud008_expected"], s["bud008_actual"] = pd.Series(1.0, index=s.index).where(mid.notna()), mid


@rule('BUD009', 'negative-amount', 'error', '预算金额为负', 'Negative amount',
      doc='A budget amount is negative (调减 excepted: it may be printed with a minus sign).',
      checks=(Check('submissions', 'bud009', '预算金额为负数：{negative_amounts}', 'negative budget amounts: {negative_amounts}', location='loc_initial_budget'),),
      example='预算金额为负数：支出决算数')
def bud009(t: Tables) -> None:
    s = t.submissions
    keys = [k for k in AMOUNT_KEYS if k != "decrease"]   # 调减 may be printed with a minus sign: not judged here
    labels = [BUDGET_LABELS[k] for k in keys]
    s["negative_amounts"] = ["、".join(lab for lab, v in zip(labels, row) if v < 0) or None
                             for row in s[keys].to_numpy()]
    s["bud009"] = flag(s["negative_amounts"].notna(), s["checkable"])


@rule('BUD010', 'low-execution-unexplained', 'warning', '执行率偏低未说明原因', 'Low execution unexplained',
      doc="The execution rate is below the profile's threshold (90%) and no reason is given.",
      checks=(Check('submissions', 'bud010', '预算执行率 {actual} 低于 {expected}，未说明原因', 'execution rate {actual} is below {expected} and no reason is given', location='loc_execution_rate', expected='low_threshold', actual='rate_effective', fmt='pct'),),
      example='预算执行率 85.00% 低于 90.00%，未说明原因')
def bud010(t: Tables) -> None:
    s = t.submissions
    low = s["rate_effective"] < s["low_threshold"]
    s["bud010"] = flag(low & s["budget_reason"].isna(), s["rate_effective"].notna())


@rule('BUD011', 'carryover-inconsistent', 'warning', '年末结转结余不符', 'Carry-over inconsistent',
      doc='The stated year-end carry-over ≠ adjusted budget + prior carry-over − expenditure (only when all are stated).',
      checks=(Check('submissions', 'bud011', '年末结转和结余 {year_end_carryover_text}，按调整预算数 + 上年结转 − 支出决算数计算应为 {expected}', 'year-end carry-over {year_end_carryover_text}; adjusted + prior carry-over − expenditure = {expected}', location='loc_year_end_carryover', expected='bud011_expected', actual='bud011_actual', tolerance='bud011_tol'),),
      tolerance=TOL_FIGURE + '; the intervals of the summed items add up',
      example='年末结转和结余 6.77，按调整预算数 + 上年结转 − 支出决算数计算应为 314.57')
def bud011(t: Tables) -> None:
    _arithmetic(t.submissions, "bud011", "year_end_carryover",
                [("adjusted_budget", 1), ("prior_carryover", 1), ("expenditure", -1)], True)


def _breakdown_gaps(items: tuple) -> tuple[float, float, float, float, str | None, str | None, object]:
    """The worst gap of a submission's stated breakdowns (NaN: none stated), with the worst one's figures,
    every failing breakdown described (zh, en) and the worst one's location."""
    if not items:
        return (np.nan, np.nan, np.nan, np.nan, None, None, None)
    worst, zh, en = None, [], []
    for label, total, ttol, psum, ptol, exhaustive, ttext, ptext, loc in items:
        tol = ttol + ptol
        g = (abs(psum - total) if exhaustive else psum - total) - tol - EPS
        if worst is None or g > worst[0]:
            worst = (g, psum, total, tol, loc)
        if g > 0:
            zh.append(f"{label} 写为 {ttext}，其中 {ptext} = {psum:.6g}")
            en.append(f"{label} is stated as {ttext}, its parts {ptext} = {psum:.6g}")
    assert worst is not None
    return (worst[0], worst[1], worst[2], worst[3], "；".join(zh) or None, "; ".join(en) or None, worst[4])


@rule('BUD012', 'breakdown-mismatch', 'error', '分项构成与合计不符', 'Breakdown mismatch',
      doc='A stated breakdown does not add up to its total: the 其中 rows of the budget grid (当年财政拨款 / 上年结转资金 / '
          '其他资金, 中央补助 / 地方资金) in each amount column, and label / amount blocks (a 年度预算资金总额 with its '
          '中央 / 市级 / 本级 lines; sub-blocks after a bare "其中：" add up to the outer block, line by line). '
          'Two or more listed parts are the complete list (an empty part is 0); a single 其中 line only may not exceed '
          'its total. The basic / project split is BUD001 / BUD003, not this rule.',
      checks=(Check('submissions', 'bud012', '分项构成与合计不符：{bud012_detail}',
                    'breakdown does not add up: {bud012_detail_en}', location='loc_bud012',
                    expected='bud012_expected', actual='bud012_actual', tolerance='bud012_tol'),),
      tolerance=TOL_FIGURE + '; the intervals of the summed items add up',
      example='分项构成与合计不符：计划生育家庭特别扶助制度补助资金 写为 321.25，其中 中央补助 166 + 市级资金 136 + 本级资金 20.25 = 322.25')
def bud012(t: Tables) -> None:
    s = t.submissions
    cols = list(zip(*[_breakdown_gaps(x if isinstance(x, tuple) else ()) for x in s["breakdowns"]])) \
        or [[] for _ in range(7)]
    gap_, expected, actual, tol, zh, en, loc = (pd.Series(list(c), index=s.index, dtype=object) for c in cols)
    new = pd.DataFrame({"bud012": pd.to_numeric(gap_, errors="coerce").where(s["checkable"]),
                        "bud012_expected": pd.to_numeric(expected, errors="coerce"),
                        "bud012_actual": pd.to_numeric(actual, errors="coerce"),
                        "bud012_tol": pd.to_numeric(tol, errors="coerce"),
                        "bud012_detail": zh, "bud012_detail_en": en, "loc_bud012": loc}, index=s.index)
    t.submissions = pd.concat([s, new], axis=1).copy()   # at once and consolidated: one column at a time fragments the wide frame
