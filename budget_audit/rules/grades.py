"""GRD — grade: the stated grade against the band of the total (bands from the profile)."""

from __future__ import annotations

from ..normalize import Tables
from .base import Check, flag, rule


@rule('GRD001', 'grade-mismatch', 'error', '评价等级与总分不符', 'Grade mismatch',
      doc='The stated grade differs from the band of the total (default 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 < 60; the profile says whether the bonus counts).',
      checks=(Check('submissions', 'grd001', '评价等级写为“{stated_grade}”，总分 {grade_total_txt} 对应等级应为“{grade_computed}”', 'stated grade {stated_grade}; a total of {grade_total_txt} is grade {grade_computed}', location='loc_grade', expected='grade_computed', actual='stated_grade'),),
      example='评价等级写为“优”，总分 85 对应等级应为“良”')
def grd001(t: Tables) -> None:
    s = t.submissions
    applies = s["stated_grade"].notna() & s["grade_total"].notna()
    s["grd001"] = flag(s["stated_grade"] != s["grade_computed"], applies)


@rule('GRD002', 'grade-relies-on-bonus', 'warning', '等级依赖加分', 'Grade relies on bonus',
      doc='Without the bonus points the total would fall into a lower band.',
      checks=(Check('submissions', 'grd002', '不计加分时总分 {base_total_txt} 仅为“{grade_without_bonus}”，等级“{grade_computed}”依赖加分', 'without bonus the total {base_total_txt} is only {grade_without_bonus}; grade {grade_computed} relies on the bonus', location='loc_grade', expected='grade_without_bonus', actual='grade_computed'),),
      example='不计加分时总分 88 仅为“良”，等级“优”依赖加分')
def grd002(t: Tables) -> None:
    s = t.submissions
    applies = (s["bonus_sum"].fillna(0) > 0) & s["counts_bonus"] & (s["n_indicators"] > 0)
    s["grd002"] = flag(s["grade_without_bonus"] != s["grade_computed"], applies)
