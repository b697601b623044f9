"""Derived measures: one column per rule on its canonical table.

Convention (shared by pandera and Great Expectations): the column named after the rule in lower
case (`bud004`) holds how far the row is from compliance — a number ≤ 0 when compliant (for
tolerance rules, |computed − stated| minus the tolerance; for yes/no rules 1.0 = violated,
0.0 = fine) and NaN where the rule does not apply. A rule that could not be evaluated on a row it
should cover writes a reason code into `<rule>_unchecked` (reported as an info finding, never
silently skipped). Companion columns (`<rule>_expected`, `<rule>_actual`, `<rule>_tol`) feed the
messages. Every number comes from the row or its profile — no template constants here.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from .normalize import Tables
    from .profiles import Profile

EPS = 1e-9
CODE_RE_GROUP = r"^[A-Z][0-9]+\Z"


def _flag(cond, applies: pd.Series | None = None) -> pd.Series:
    """Boolean condition → 1.0 (violated) / 0.0, NaN where the rule does not apply."""
    out = pd.Series(np.asarray(cond, dtype=float), index=applies.index if applies is not None else getattr(cond, "index", None))
    if applies is not None:
        out = out.where(applies.astype(bool), np.nan)
    return out


def _gap(computed_lo, computed_hi, stated, tol) -> pd.Series:
    """Distance from the stated interval [stated ± tol] to the computed interval (≤ 0: consistent)."""
    return np.maximum(computed_lo - (stated + tol), (stated - tol) - computed_hi)


def _truncated(computed_lo, computed_hi, stated, tol, allowed) -> pd.Series:
    """A rate cut rather than rounded ("99.985%" printed as "99%") lies in [stated, stated + 2·tol):
    where the profile allows truncation such a value is a warning, not an error."""
    gap = np.maximum(computed_lo - (stated + 2 * tol), stated - computed_hi)
    return (gap <= EPS) & allowed


def derive_all(t: "Tables", profiles: dict[str, "Profile"]) -> None:
    sub = t.submissions
    prof_of = dict(zip(sub["submission_id"], sub["profile"])) if len(sub) else {}
    _derive_submissions(sub, profiles)
    _derive_indicators(t.indicators, sub, profiles, prof_of)
    _derive_sections(t.sections, profiles, prof_of)
    _derive_statements(t.statements)
    # Every rule column exists on its table even when the batch has no such rows.
    from .rules.catalogue import CATALOGUE
    for rule in CATALOGUE:
        for chk in rule.checks:
            df = t.table(chk.table)
            for col in (chk.column, f"{chk.column}_unchecked"):
                if col not in df.columns:
                    df[col] = pd.Series(np.nan if col == chk.column else None, index=df.index, dtype=float if col == chk.column else object)


# --------------------------------------------------------------------------------------------
def _derive_submissions(s: pd.DataFrame, profiles: dict[str, "Profile"]) -> None:
    if s.empty:
        return
    readable = ~s["unreadable"]
    # STR007 unreadable input; STR001 reader-level missing sheet/column or missing unit/year
    s["str007"] = _flag(s["unreadable"])
    missing = []
    for unit, year in zip(s["unit"], s["year"]):
        m = [n for n, v in (("单位名称", unit), ("评价年度", year)) if v is None or (isinstance(v, float) and math.isnan(v)) or str(v).strip() == ""]
        missing.append("、".join(m) or None)
    s["missing_fields"] = missing
    s["str001"] = _flag(s["missing_fields"].notna() | s["reader_problems"].notna(), readable)
    s["missing_fields_or_problem"] = s["missing_fields"].fillna(s["reader_problems"])
    en = {"单位名称": "unit name", "评价年度": "year"}
    s["missing_fields_or_problem_en"] = s["missing_fields"].map(
        lambda m: ", ".join(en.get(x, x) for x in m.split("、")) if isinstance(m, str) else None
    ).fillna(s["reader_problems_en"])
    s["str006"] = _flag(s["n_indicators"] == 0, readable)
    s["str002"] = _flag(s["budget_unparseable"].notna(), readable)
    # STR008 year stated differently (metadata vs title)
    year_num = pd.to_numeric(s["year"].astype(str).str.extract(r"(20[0-9]{2})")[0], errors="coerce")
    s["year_num"] = year_num
    both = year_num.notna() & s["title_year"].notna()
    s["str008"] = _flag(year_num != s["title_year"], both)

    # ---- budget arithmetic (BUD001–BUD003, BUD011): stated total vs sum of stated parts -------
    def arithmetic(rule: str, total: str, parts: list[tuple[str, float]], need_all: bool) -> None:
        cols = [c for c, _ in parts]
        present = s[[f"{c}" for c in cols]].notna()
        applies = s[total].notna() & (present.all(axis=1) if need_all else present.any(axis=1))
        calc = sum(sign * s[c].fillna(0.0) for c, sign in parts)
        tol = sum(s[f"{c}_tol"].fillna(0.0) for c, _ in parts)
        s[f"{rule}_expected"] = calc.where(applies)
        s[f"{rule}_actual"] = s[total].where(applies)
        s[f"{rule}_tol"] = (tol + s[f"{total}_tol"]).where(applies)
        s[rule] = ((calc - s[total]).abs() - tol - s[f"{total}_tol"] - EPS).where(applies)

    arithmetic("bud001", "initial_budget", [("initial_basic", 1), ("initial_project", 1)], True)
    inc_or_dec = s["increase"].notna() | s["decrease"].notna()
    s["decrease"] = s["decrease"].abs()   # 调减 is often printed with a minus sign: it is subtracted either way
    arithmetic("bud002", "adjusted_budget", [("initial_budget", 1), ("increase", 1), ("decrease", -1)], False)
    s["bud002"] = s["bud002"].where(inc_or_dec & s["initial_budget"].notna())
    arithmetic("bud003", "expenditure", [("expenditure_basic", 1), ("expenditure_project", 1)], True)
    arithmetic("bud011", "year_end_carryover", [("adjusted_budget", 1), ("prior_carryover", 1), ("expenditure", -1)], True)

    # ---- execution rates (BUD004, BUD005) with the interval their rounded inputs allow --------
    def rate(num: pd.Series, ntol: pd.Series, den: pd.Series, dtol: pd.Series):
        ok = num.notna() & den.notna() & (den - dtol > 0)
        mid = (num / den).where(ok)
        lo = ((num - ntol) / (den + dtol)).where(ok)
        hi = ((num + ntol) / (den - dtol)).where(ok)
        return mid, lo, hi

    num = _pick(s, "numerator_key")
    den = _pick(s, "denominator_key")
    mid, lo, hi = rate(num[0], num[1], den[0], den[1])
    s["rate_computed"], s["rate_lo"], s["rate_hi"] = mid, lo, hi
    s["rate_num_text"], s["rate_den_text"] = num[2], den[2]
    applies = mid.notna() & s["execution_rate"].notna()
    s["bud004"] = (_gap(lo, hi, s["execution_rate"], s["execution_rate_tol"]) - EPS).where(applies)
    s["bud004_truncated"] = _truncated(lo, hi, s["execution_rate"], s["execution_rate_tol"], s["allow_truncation"])
    s["bud004_expected"], s["bud004_actual"] = mid.where(applies), s["execution_rate"].where(applies)
    s["bud004_tol"] = s["execution_rate_tol"].where(applies)
    s["bud004_unchecked"] = np.where(s["execution_rate"].notna() & mid.isna(), "rate_inputs_missing", None)

    pmid, plo, phi = rate(s["expenditure_project"], s["expenditure_project_tol"].fillna(0),
                          s["adjusted_project"], s["adjusted_project_tol"].fillna(0))
    s["project_rate_computed"] = pmid
    applies = pmid.notna() & s["project_execution_rate"].notna()
    s["bud005"] = (_gap(plo, phi, s["project_execution_rate"], s["project_execution_rate_tol"]) - EPS).where(applies)
    s["bud005_truncated"] = _truncated(plo, phi, s["project_execution_rate"], s["project_execution_rate_tol"],
                                       s["allow_truncation"])
    s["bud005_expected"], s["bud005_actual"] = pmid.where(applies), s["project_execution_rate"].where(applies)
    s["bud005_tol"] = s["project_execution_rate_tol"].where(applies)
    s["bud005_unchecked"] = np.where(s["project_execution_rate"].notna() & pmid.isna(),
                                     np.where(s["adjusted_project"].isna(), "no_adjusted_project", "rate_inputs_missing"),
                                     None)

    # the rate the score table and the grade should use: computed where possible, else stated
    s["rate_effective"] = mid.fillna(s["execution_rate"])

    # BUD007 budget score = weight × min(rate, 100%)
    formula = s["score_formula"] == "weight_times_rate"
    expected = s["budget_weight"] * np.minimum(s["rate_effective"], 1.0)
    applies = formula & s["budget_score"].notna() & expected.notna()
    s["bud007_expected"], s["bud007_actual"] = expected.where(applies), s["budget_score"].where(applies)
    s["bud007_tol"] = s["budget_score_tol"].where(applies)
    s["bud007"] = ((expected - s["budget_score"]).abs() - s["budget_score_tol"] - EPS).where(applies)
    s["bud007_unchecked"] = np.where(formula & s["budget_score"].notna() & expected.isna(), "rate_inputs_missing", None)

    # BUD008 overspent: expenditure beyond the adjusted budget, beyond what rounding allows
    s["bud008"] = (lo - 1.0 - EPS).where(mid.notna())
    s["bud008_expected"], s["bud008_actual"] = pd.Series(1.0, index=s.index).where(mid.notna()), mid
    # BUD009 negative amounts (调减 may be printed with a minus sign: not judged here)
    from .normalize import AMOUNT_KEYS, BUDGET_LABELS
    keys = [k for k in AMOUNT_KEYS if k != "decrease"]
    labels = [BUDGET_LABELS[k] for k in keys]
    s["negative_amounts"] = ["、".join(lab for lab, v in zip(labels, row) if v < 0) or None
                             for row in s[keys].to_numpy()]
    s["bud009"] = _flag(s["negative_amounts"].notna(), readable)
    # BUD010 low execution without a reason
    low = s["rate_effective"] < s["low_threshold"]
    s["bud010"] = _flag(low & s["budget_reason"].isna(), s["rate_effective"].notna())

    # ---- totals (WGT001, SCR004, SCR005, SCR006) ---------------------------------------------
    has_rows = s["n_indicators"] > 0
    applies = has_rows & s["profile_total_weight"].notna()
    s["wgt001"] = ((s["weight_total"] - s["profile_total_weight"]).abs() - EPS).where(applies)
    s["wgt001_unchecked"] = np.where(has_rows & s["profile_total_weight"].isna(), "no_profile", None)
    applies = has_rows & s["stated_total"].notna()
    s["scr004"] = ((s["score_total"] - s["stated_total"]).abs() - s["stated_total_tol"] - EPS).where(applies)
    s["scr004_tol"] = s["stated_total_tol"].where(applies)
    applies = has_rows & s["profile_max_total"].notna()
    s["scr005"] = (s["score_total"] - s["profile_max_total"] - EPS).where(applies)
    s["scr005_unchecked"] = np.where(has_rows & s["profile_max_total"].isna(), "no_profile", None)
    applies = s["bonus_sum"].notna() & s["bonus_cap"].notna()
    s["scr006"] = (s["bonus_sum"] - s["bonus_cap"] - EPS).where(applies)
    s["scr006_unchecked"] = np.where(has_rows & ~s["templated"], "no_profile", None)

    # ---- grade (GRD001, GRD002) ----------------------------------------------------------------
    grade_total = s["score_total"].where(has_rows, s["stated_total"])
    grade_total = grade_total.where(s["counts_bonus"], s["score_total_without_bonus"])
    band = [profiles[p].grade_for(x) if not math.isnan(x) else None for p, x in zip(s["profile"], grade_total)]
    s["grade_total"], s["grade_computed"] = grade_total, band
    from .check import fmt_value
    s["grade_total_txt"] = grade_total.map(fmt_value)
    s["base_total_txt"] = s["score_total_without_bonus"].map(fmt_value)
    applies = s["stated_grade"].notna() & grade_total.notna()
    s["grd001"] = _flag(s["stated_grade"] != s["grade_computed"], applies)
    no_bonus = [profiles[p].grade_for(x) if not math.isnan(x) else None
                for p, x in zip(s["profile"], s["score_total_without_bonus"])]
    s["grade_without_bonus"] = no_bonus
    applies = s["bonus_sum"].fillna(0) > 0
    s["grd002"] = _flag(s["grade_without_bonus"] != s["grade_computed"], applies & s["counts_bonus"] & has_rows)


def _pick(s: pd.DataFrame, key_col: str) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Per row, the budget figure the profile names (numerator/denominator), its tolerance and text."""
    val = pd.Series(np.nan, index=s.index)
    tol = pd.Series(np.nan, index=s.index)
    txt = pd.Series(None, index=s.index, dtype=object)
    for key in s[key_col].dropna().unique():
        m = s[key_col] == key
        val = val.where(~m, s[key])
        tol = tol.where(~m, s[f"{key}_tol"].fillna(0.0))
        txt = txt.where(~m, s[f"{key}_text"])
    return val, tol, txt


# --------------------------------------------------------------------------------------------
def _derive_indicators(ind: pd.DataFrame, sub: pd.DataFrame, profiles, prof_of) -> None:
    if ind.empty:
        return
    prof = ind["submission_id"].map(prof_of)
    normal = ind["kind"] == "normal"
    bonus = ind["kind"] == "bonus"
    ded = ind["kind"] == "deduction"
    # STR001 missing name / weight / score (a deduction row may leave its weight empty: it is 0)
    no_name = ind["name"].isna() & ind["code"].isna()
    no_w = (ind["weight_kind"] == "missing") & ~ded
    no_s = ind["score_kind"] == "missing"
    parts = []
    for a, b_, c in zip(no_name, no_w, no_s):
        parts.append("、".join(n for n, f in (("指标名称", a), ("权值", b_), ("得分", c)) if f) or None)
    ind["missing_fields"] = parts
    ind["str001"] = _flag(ind["missing_fields"].notna())
    # STR002 text where a number is due
    bad_w = ind["weight_kind"].isin(["invalid", "label"])
    bad_s = ind["score_kind"].isin(["invalid", "label"])
    ind["unparseable_fields"] = np.where(bad_w & bad_s, "权值、得分", np.where(bad_w, "权值", np.where(bad_s, "得分", None)))
    ind["str002"] = _flag(bad_w | bad_s)
    ind["str002_text"] = np.where(bad_w, ind["weight_text"], ind["score_text"])
    # STR003 code hierarchy: A11 under A1 under A
    codes_style = prof.map(lambda p: profiles[p].codes)
    code = ind["code"].fillna("")
    group = ind["group"].fillna("")
    section = ind["section"].fillna("")
    codes_l, groups_l, sections_l = code.tolist(), group.tolist(), section.tolist()
    has_code = (code != "") & (codes_style != "none")
    group_is_code = group.str.match(CODE_RE_GROUP)
    section_is_code = section.str.match(r"^[A-Z]\Z")
    code_ok = code.str.match(r"^[A-Z][0-9]{2,}\Z")
    under_group = pd.Series([c.startswith(g) and len(c) > len(g) for c, g in zip(codes_l, groups_l)], index=ind.index)
    under_section = pd.Series([c.startswith(s_) for c, s_ in zip(codes_l, sections_l)], index=ind.index)
    group_under_section = pd.Series([g.startswith(s_) for g, s_ in zip(groups_l, sections_l)], index=ind.index)
    bad = ~code_ok | (group_is_code & ~under_group) | (section_is_code & ~under_section) | (
        group_is_code & section_is_code & ~group_under_section)
    ind["str003"] = _flag(bad, has_code)
    # STR004 duplicate indicator (same code, or same section+group+name) within a submission
    dup = ind.duplicated(["submission_id", "indicator_key"], keep=False)
    ind["str004"] = _flag(dup, ind["indicator_key"].notna())
    # STR005 section the profile does not define
    known = {p: set(profiles[p].section_keys().values()) for p in set(prof)}
    known_keys = {p: {k for k, _ in v} for p, v in known.items()}
    has_sections = prof.map(lambda p: bool(profiles[p].sections))
    is_known = pd.Series([sec in known_keys[p] for sec, p in zip(ind["section"].tolist(), prof.tolist())],
                         index=ind.index)
    ind["str005"] = _flag(~is_known, has_sections & ind["section"].notna())
    # WGT005 weight ≤ 0 / not finite on a scored row; a deduction row's weight must be 0
    w = ind["weight"]
    ind["wgt005"] = _flag(np.where(ded, w.fillna(0).abs() > EPS, ~(w > 0) | ~np.isfinite(w)),
                          ind["weight"].notna())
    # SCR001 score above weight (bonus rows too); SCR002 negative score on a non-deduction row
    applies = (normal | bonus) & ind["score"].notna() & ind["weight"].notna()
    ind["scr001"] = (ind["score"] - ind["weight"] - EPS).where(applies)
    ind["scr002"] = _flag(ind["score"] < 0, ~ded & ind["score"].notna())
    # SCR007 deduction rows must not add points
    written_positive = prof.map(lambda p: bool(profiles[p].deductions and profiles[p].deductions.written_as == "positive"))
    ind["scr007"] = _flag(np.where(written_positive, ind["score"] < 0, ind["score"] > 0), ded & ind["score"].notna())
    # SCR008 bonus must be formable from the schedule's values (each piece of work counted once)
    from .methods import schedule_can_form
    schedule_of = {p: tuple(pr.bonus.schedule) if pr.bonus else () for p, pr in profiles.items()}
    sched = prof.map(schedule_of)
    ind["profile"] = prof
    ind["schedule"] = prof.map({p: "、".join(f"{x:g}" for x in t) for p, t in schedule_of.items()})
    cap = prof.map({p: pr.bonus.cap if pr.bonus else math.inf for p, pr in profiles.items()})
    applies = bonus & ind["score"].notna() & sched.map(bool)
    ind["scr008"] = pd.Series([float(not schedule_can_form(sc, sd, cp)) if ap else np.nan
                               for sc, sd, cp, ap in zip(ind["score"].tolist(), sched.tolist(), cap.tolist(),
                                                         applies.tolist())], index=ind.index)
    # BUD006 the score table's execution-rate indicator vs the rate computed from the budget
    _derive_execution_indicator(ind, sub)
    from .scoring import derive_scoring
    derive_scoring(ind, sub, profiles, prof)


def _derive_execution_indicator(ind: pd.DataFrame, sub: pd.DataFrame) -> None:
    from .values import parse_value
    rows = ind["is_execution_indicator"] & ind["actual_text"].notna()
    rate = ind["submission_id"].map(dict(zip(sub["submission_id"], sub["rate_computed"])))
    lo = ind["submission_id"].map(dict(zip(sub["submission_id"], sub["rate_lo"])))
    hi = ind["submission_id"].map(dict(zip(sub["submission_id"], sub["rate_hi"])))
    vals = [parse_value(a, percent=True) if r else None for a, r in zip(ind["actual_text"], rows)]
    actual = pd.Series([v.number if v is not None and v.kind == "number" else np.nan for v in vals], index=ind.index)
    tol = pd.Series([(v.tol if v.tol is not None else 0.005) if v is not None and v.kind == "number" else np.nan
                     for v in vals], index=ind.index)
    applies = rows & rate.notna() & actual.notna()
    ind["bud006"] = (_gap(lo, hi, actual, tol) - EPS).where(applies)
    allowed = ind["submission_id"].map(dict(zip(sub["submission_id"], sub["allow_truncation"]))).fillna(False)
    ind["bud006_truncated"] = _truncated(lo, hi, actual, tol, allowed.astype(bool))
    ind["bud006_expected"], ind["bud006_actual"], ind["bud006_tol"] = rate.where(applies), actual.where(applies), tol.where(applies)
    ind["bud006_unchecked"] = np.where(rows & rate.isna(), "rate_inputs_missing", None)


# --------------------------------------------------------------------------------------------
def _derive_sections(sec: pd.DataFrame, profiles, prof_of) -> None:
    if sec.empty:
        return
    lvl1 = sec["level"] == 1
    lvl2 = sec["level"] == 2
    declared = sec["declared_points"].notna() & sec["weight_sum"].notna()
    diff = (sec["declared_points"] - sec["weight_sum"]).abs() - EPS
    sec["wgt002"] = diff.where(lvl1 & declared)
    sec["wgt004"] = diff.where(lvl2 & declared)
    prof = sec["submission_id"].map(prof_of)
    templated = prof.map(lambda p: bool(profiles[p].sections))
    applies = lvl1 & sec["profile_weight"].notna() & sec["weight_sum"].notna() & (sec["kind"] == "normal")
    # for templates whose split is binding (dept-overall) WGT002/WGT001 already cover it; WGT003 is the
    # "in principle" deviation warning and applies to every templated section
    sec["wgt003"] = ((sec["weight_sum"] - sec["profile_weight"]).abs() - EPS).where(applies)
    first_section = lvl1 & ~sec["submission_id"].where(lvl1).duplicated() # "not checked" is said once
    sec["wgt003_unchecked"] = np.where(first_section & ~templated, "no_profile", None)
    applies = lvl1 & sec["stated_subtotal"].notna() & sec["score_sum"].notna()
    sec["scr003"] = ((sec["score_sum"] - sec["stated_subtotal"]).abs() - sec["stated_tol"] - EPS).where(applies)
    sec["scr003_tol"] = sec["stated_tol"].where(applies)


QUANTITY_ZH = {"total": "总分", "grade": "评价等级", "execution_rate": "预算执行率",
               "project_execution_rate": "项目资金执行率"}


def _quantity_zh(q: str) -> str:
    from .normalize import BUDGET_LABELS

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


def _derive_statements(stm: pd.DataFrame) -> None:
    # xst001 itself is computed while collecting the places (normalize._statements)
    if not stm.empty:
        stm["quantity_zh"] = stm["quantity"].map(_quantity_zh)

