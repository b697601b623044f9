"""Date targets (时效指标) are compared as dates: met is met, missed is missed, ambiguous is left open."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from budget_audit.parse.dates import date_met, parse_date
from budget_audit.parse.methods import compare


@pytest.mark.parametrize("target, actual, met", [
    ("9月前", "8月", True),
    ("9月前", "8月底", True),
    ("9月前", "10月", False),
    ("9月前", "9月", None),                  # before September, or by its end: a person decides
    ("11月底前完成", "11月完成", True),
    ("11月底前完成", "12月5日", False),
    ("2023年12月", "2023年12月", True),
    ("2023年12月", "2024年1月", False),
    ("2023年12月底前", "2023年11月", True),
    ("2023年底前", "2023年12月", True),
    ("2021年12月31日", "2021年12月31日", True),
    ("2021年12月31日", "2022年1月3日", False),
    ("9月前", "2023年8月", None),            # only one side names a year
])
def test_date_targets(target, actual, met):
    assert date_met(target, actual) is met
    c = compare(target, actual)
    assert c.met is met and not c.unit_mismatch   # a month is never "a number where a word is due"


@pytest.mark.parametrize("text", ["100%", "≥95%", "完成", "3个月", "12", "", None, "第三季度", "9月前后"])
def test_not_dates(text):
    assert parse_date(text) is None


def test_a_month_is_a_period():
    p = parse_date("2024年2月")
    assert (p.year, p.lo, p.hi) == (2024, 201, 229)


@given(st.text(max_size=30), st.text(max_size=30))
def test_never_raises(t, a):
    assert date_met(t, a) in (True, False, None)
