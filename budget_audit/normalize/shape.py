"""The shape of a submission's fields, as the interchange contract fixes it: a field of the wrong kind
(an object as `sections`, `year: "abc"`) is a finding (STR001, naming the field), never silently ignored."""

from __future__ import annotations

import re
from typing import Any

from ..model import Problem

LISTS = {"sections": "一级指标列表", "groups": "二级指标列表", "indicators": "指标列表", "statements": "陈述列表"}
_YEAR_RX = re.compile(r"(19|20)[0-9]{2}")
_KIND_ZH = {"dict": "对象", "list": "数组", "str": "文本", "int": "数字", "float": "数字", "bool": "布尔值"}


def _kind(v: Any) -> tuple[str, str]:
    name = type(v).__name__
    return _KIND_ZH.get(name, name), {"dict": "an object", "list": "an array", "str": "text", "int": "a number",
                                       "float": "a number", "bool": "a boolean"}.get(name, name)


def shape_problems(data: dict[str, Any] | None, where) -> list[Problem]:
    if not isinstance(data, dict):
        return []
    out: list[Problem] = []
    for key, zh in LISTS.items():
        v = data.get(key)
        if v is not None and not isinstance(v, list):
            kz, ke = _kind(v)
            out.append(Problem("STR001", f"字段 {key}（{zh}）应为数组，实为{kz}，未读取",
                               f"field {key} must be an array, not {ke}: not read", where(key) or {"path": key}))
    b = data.get("budget")
    if b is not None and not isinstance(b, dict):
        kz, ke = _kind(b)
        out.append(Problem("STR001", f"字段 budget（预算执行）应为对象，实为{kz}，未读取",
                           f"field budget must be an object, not {ke}: not read", where("budget") or {"path": "budget"}))
    y = data.get("year")
    if y is not None and not (isinstance(y, str) and not y.strip()):
        text = y.isoformat() if hasattr(y, "isoformat") else str(y)
        ok = (isinstance(y, int) and not isinstance(y, bool) and 1900 <= y <= 2100) or (
            isinstance(y, float) and y.is_integer() and 1900 <= y <= 2100) or (
            not isinstance(y, (bool, int, float, dict, list)) and _YEAR_RX.search(text) is not None)
        if not ok:
            shown = text[:40]
            out.append(Problem("STR001", f"评价年度“{shown}”不是年份", f"the year {shown!r} is not a year",
                               where("year") or {"path": "year"}))
    return out
