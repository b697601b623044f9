"""The fast paths of the readers' row work (issue 11) give what the plain rule gives, value for value."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from budget_audit.readers import headers as H
from budget_audit.readers.layout.cells import MergedName, value, values
from budget_audit.readers.layout.score_table import is_template_slot
from budget_audit.rules.cross import _who

CELLS = [None, "", " ", "\u3000", "\n\t", " a ", "权值", "  红薯种植面积", MergedName(" 指标 "), MergedName(""),
         0, 1, -3, 0.0, 2.5, math.nan, float("inf"), True, False, dt.date(2023, 1, 2),
         dt.datetime(2023, 1, 2, 3, 4), dt.time(1, 2), dt.timedelta(days=1), "0", "—", "≥3000人"]


def test_values_is_value_per_cell():
    got = values(CELLS)
    want = [value(x) for x in CELLS]
    assert len(got) == len(want)
    for g, w, x in zip(got, want, CELLS):
        assert type(g) is type(w), x
        assert g == w or (isinstance(g, float) and math.isnan(g) and isinstance(w, float) and math.isnan(w)), x
    # and it is not trivially so: blanks are None, text stripped, a merged name's text a plain str
    assert got[:6] == [None] * 5 + ["a"]
    assert type(got[8]) is str and got[8] == "指标"
    assert got[15] is None                          # NaN (from pandas) is an empty cell


def _column_field_linear(h: str) -> str | None:
    """The prefix search before the first-character index: every prefix, longest first."""
    if not h:
        return None
    hit = H._COLUMN_INDEX.get(h)
    if hit:
        return hit
    for prefix, field in H._PREFIX_LIST:
        if h.startswith(prefix):
            return field
    return None


def test_prefix_index_matches_the_linear_search():
    assert all(p for p, _ in H._PREFIX_LIST)        # an empty prefix would match everything: the index drops it
    texts = [*H.COLUMN_SYNONYMS, *H.COLUMN_PREFIXES, "得分(20分)", "權值", "指标值说明", "评价标准及说明", "年度目标值（A）",
             "计量单位", "序号", "备注", "", "x", "完成值偏差原因"]
    texts += [w for ws in H.COLUMN_SYNONYMS.values() for w in ws]
    texts += [p + "补充" for p in H.COLUMN_PREFIXES]
    hits = 0
    for t in texts:
        h = H.norm(t)
        want = _column_field_linear(h)
        assert H._column_field(h) == want, t
        assert H.column_field_str(t) == H.column_field(t), t
        hits += want is not None
    assert hits > len(H.COLUMN_PREFIXES)            # the texts exercise the prefixes, not only misses


@pytest.mark.parametrize("name, vals, slot", [
    ("指标1:", {}, True),
    ("……", {"weight": None, "score": "-"}, True),
    ("……", {"weight": 5}, False),
    ("-", {"target": "—"}, True),
    ("决策依据", {}, False),
    (5, {}, False),
])
def test_template_slot(name, vals, slot):
    assert is_template_slot(name, vals) is slot
    assert is_template_slot(name, vals) is slot     # the memoised name test, asked again


def test_who_names_from_the_fingerprint_columns():
    fp = pd.DataFrame({"submission_id": ["a", "b", "c", "d", "e"], "unit_key": ["单位甲", None, "单位丙", "单位丁", "戊"],
                       "year": ["2023", None, "2024", "x", "2022"]})
    fp["year"] = pd.to_numeric(fp["year"], errors="coerce")
    cols = (fp["submission_id"].array, fp["unit_key"].array, fp["year"].array)

    def by_row(positions, with_unit):              # the message as one DataFrame row per submission gave it
        names = []
        for j in positions[:3]:
            r = fp.iloc[j]
            bits = [str(r["submission_id"])]
            if with_unit and r["unit_key"]:
                bits.append(str(r["unit_key"]))
            if not with_unit and pd.notna(r["year"]):
                bits.append(f"{int(r['year'])}")
            names.append(" ".join(bits))
        return "、".join(names) + (f" (+{len(positions) - len(names)})" if len(positions) > len(names) else "")

    for positions in ([0], [0, 2], [2, 3, 4, 0], [1, 3]):
        for with_unit in (True, False):
            assert _who(cols, positions, with_unit) == by_row(positions, with_unit)
    assert _who(cols, [0, 2], True) == "a 单位甲、c 单位丙"
    assert _who(cols, [0, 2, 3, 4], False) == "a 2023、c 2024、d (+1)"
    assert np.isnan(fp["year"].array[3])
