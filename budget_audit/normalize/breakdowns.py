"""The stated breakdowns of a submission (`breakdowns` in the data: a total and the parts the form says make
it up) parsed into numbers with their printed tolerance, for BUD012. Judging is left to the rule."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from ..model import RawSubmission
from ..parse.values import parse_value
from .build import _as_amount, _num, _tol


def _fmt(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def breakdown_facts(raw: RawSubmission, cu: str) -> tuple:
    """One tuple per checkable breakdown: (label, total, total tol, sum of parts, tol of the sum, exhaustive,
    total as printed, parts as printed, location of the total). A breakdown whose total is not an amount, or
    with no part stated, is left out (nothing to compare); a part that is not an amount leaves it out too."""
    out = []
    items = (raw.data or {}).get("breakdowns")
    for i, bd in enumerate(items if isinstance(items, list) else []):
        if not isinstance(bd, dict) or not isinstance(bd.get("parts"), list):
            continue
        total, ok = _as_amount(parse_value(bd.get("total")), cu)
        if not ok or total.kind != "number":
            continue
        nums, tols, texts, fine = [], [], [], True
        for p in bd["parts"]:
            pv = p.get("value") if isinstance(p, dict) else None
            v, ok = _as_amount(parse_value(pv), cu)
            if v.kind == "missing":
                continue
            if not ok or v.kind != "number":
                fine = False
                break
            nums.append(_num(v))
            tols.append(_tol(v))
            texts.append(f"{p.get('label') or ''} {_fmt(pv)}".strip())
        if not fine or not nums or any(math.isnan(x) for x in nums):
            continue
        out.append((str(bd.get("label") or ""), _num(total), _tol(total), float(sum(nums)), float(sum(tols)),
                    bool(bd.get("exhaustive", True)), _fmt(bd.get("total")), " + ".join(texts),
                    raw.where(f"breakdowns[{i}].total")))
    return tuple(out)


def part_points(raw: RawSubmission) -> tuple[float, float, Any, Any]:
    """The points the form declares for its indicator part as a whole ("年度绩效目标(80分)"): (number, tol,
    as printed, location); NaN when not printed."""
    pts = (raw.data or {}).get("indicator_points")
    v = parse_value(pts)
    if v.kind != "number":
        return (math.nan, math.nan, None, None)
    return (_num(v), _tol(v), _fmt(pts), raw.where("indicator_points"))


def submission_extras(raws: list[RawSubmission], currency_units) -> pd.DataFrame:
    """The submissions-table columns of this module, one row per submission in order."""
    rows = []
    for raw, cu in zip(raws, currency_units):
        pts = part_points(raw)
        rows.append({"breakdowns": breakdown_facts(raw, cu or "万元"), "indicator_points": pts[0],
                     "indicator_points_tol": pts[1], "indicator_points_text": pts[2], "loc_indicator_points": pts[3]})
    return pd.DataFrame(rows, columns=["breakdowns", "indicator_points", "indicator_points_tol",
                                       "indicator_points_text", "loc_indicator_points"])
