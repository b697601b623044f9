"""Targets and actuals that are dates (时效指标): "9月前", "11月底前完成", "2023年12月", "2021年12月31日".

A date is read as the period it names (a day, a ten-day part of a month, a month, a year) and compared
as an interval, so that "met" is only said when every reading of both texts agrees, and "missed" only
when the actual is after the target under the most lenient reading. "9月前" is ambiguous (before
September, or by the end of it): an actual in September is neither met nor missed, it is left to a person.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

_DATE_RX = re.compile(
    r"^(?:(?P<y>20[0-9]{2})\s*年(?:度)?)?\s*"
    r"(?:(?P<m>1[0-2]|0?[1-9])\s*月(?:份)?)?\s*"
    r"(?:(?P<d>3[01]|[12][0-9]|0?[1-9])\s*[日号])?\s*"
    r"(?P<part>底|末|中旬|上旬|下旬|初)?\s*"
    r"(?P<by>之前|以前|前|以内|之内|内)?\s*"
    r"(?:全部|全面)?(?:完成|完工|竣工|实现|办结|到位|验收|投入使用|交付)?(?:任务)?$")
_PARTS = {"上旬": (1, 10), "中旬": (11, 20), "下旬": (21, 31), "初": (1, 10), "底": (31, 31), "末": (31, 31)}


@dataclass(frozen=True)
class DatePeriod:
    year: int | None
    lo: int          # month*100 + day, first day the text can mean
    hi: int          # last day it can mean
    by: bool         # "…前 / …以内": a deadline, not a date
    exact_end: bool  # the deadline is a named day or the period's end ("底", "31日"): no ambiguity

    def key(self, md: int) -> int:
        return (self.year or 0) * 10000 + md


def parse_date(text: object) -> DatePeriod | None:
    """The period a date text names, or None when the text is not (only) a date."""
    if not isinstance(text, str):
        return None
    s = re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")")
    m = _DATE_RX.match(s)
    if not m or not (m["m"] or (m["y"] and (m["part"] or m["by"] or "年" in s))):
        return None
    if not m["m"] and not m["y"]:
        return None
    year = int(m["y"]) if m["y"] else None
    if m["m"]:
        month = int(m["m"])
        last = calendar.monthrange(year or 2001, month)[1]
        if m["d"]:
            lo = hi = min(int(m["d"]), last)
        elif m["part"]:
            a, b = _PARTS[m["part"]]
            lo, hi = min(a, last), min(b, last)
        else:
            lo, hi = 1, last
        lo_md, hi_md = month * 100 + lo, month * 100 + hi
    else:                                   # "2023年底前", "2023年"
        if m["part"] in ("底", "末"):
            lo_md = hi_md = 1231
        else:
            lo_md, hi_md = 101, 1231
    exact = bool(m["d"]) or m["part"] in ("底", "末")
    return DatePeriod(year, lo_md, hi_md, bool(m["by"]), exact)


def date_met(target: object, actual: object) -> bool | None:
    """Does the actual date meet the target date? None when either is not a date, when only one names a
    year, or when the texts allow both answers."""
    t, a = parse_date(target), parse_date(actual)
    if t is None or a is None or (t.year is None) != (a.year is None) or a.by:
        return None
    a_lo, a_hi = a.key(a.lo), a.key(a.hi)
    t_lo, t_hi = t.key(t.lo), t.key(t.hi)
    # a deadline "9月前" means before September at the strictest, by its end at the most lenient
    strict = t_hi if (t.exact_end or not t.by) else t_lo - 1
    if a_hi <= strict:
        return True
    if a_lo > t_hi:
        return False
    return None
