"""`normalize.facts.read_row`'s memo by the row's six cells outlives `batch.clear_memos` (a template's rows
repeat in every chunk of a batch), bounds itself, keys only exact types, and never changes a reading."""

from __future__ import annotations

import math
import random

import pytest

from budget_audit.batch import clear_memos
from budget_audit.normalize import facts as F

METHODS = [None, "", "达到90%得2分，未达到不得分", "达到90%得1.5分,未达到根据完成度得分", "酌情评分",
           "评价为“完成”得2分，“基本完成”得1分，“未完成”得0分", "每降低1个百分点扣0.5分", " 完成目标得满分 "]
TEXTS = [None, "", " ", "≥90%", "90%", "95%", "１００％", "≥3000人", "3000", "完成", "基本完成", "未完成", "优",
         "≤5天", "/", "无", "9月前", "8月", "nan", "NaN", "一百", "90 95", "e政务", "\u3000完成\u3000"]
OPS = [None, "", "≥", "正向", "<=", "="]
UNITS = [None, "", "%", "人", "万元", "天"]
WEIGHTS = [0.0, -0.0, 0.5, 1.0, 2.0, 3.0, 10.0]


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    monkeypatch.setattr(F, "_ROW_MEMO", {})


def test_the_memo_is_kept_across_chunks():
    key = ("达到90%得1.5分,未达到根据完成度得分", "≥90%", "85%", 1.5, None, None)
    first = F.read_row(*key)
    clear_memos()
    assert F.read_row(*key) is first           # not read again after a chunk
    assert first == F._read_row(*key)           # and what a fresh reading gives


def test_readings_are_those_of_a_fresh_reading_on_random_rows():
    rnd = random.Random(11)
    keys = [(rnd.choice(METHODS), rnd.choice(TEXTS), rnd.choice(TEXTS), rnd.choice(WEIGHTS), rnd.choice(OPS),
             rnd.choice(UNITS)) for _ in range(600)]
    keys += keys[:200]                           # repeats: read from the memo
    for k in keys:
        got, want = F.read_row(*k), F._read_row(*k)
        assert _same(got, want), k
    assert 0 < len(F._ROW_MEMO) <= len(set(keys))


def test_the_memo_is_bounded_and_results_do_not_depend_on_it(monkeypatch):
    monkeypatch.setattr(F, "ROW_MEMO_MAX", 5)
    for i in range(20):
        k = (f"达到{80 + i}%得2分，未达到不得分", f"≥{80 + i}%", f"{70 + i}%", 2.0, None, None)
        assert F.read_row(*k) == F._read_row(*k)
        assert len(F._ROW_MEMO) <= 5


def test_only_exact_types_are_memoised():
    """1.0, 1 and True are one dict key, but True is no number as printed: a memo keyed by the values would give
    the second and third row the first's reading."""
    m = "达到90%得2分，未达到不得分"
    rows = [(m, 1.0, 1.0, 2.0, None, None), (m, 1, 1, 2.0, None, None), (m, True, True, 2.0, None, None),
            (m, "1", "1", 2.0, None, None), (m, "1", "1", 2, None, None), (m, "1", "1", True, None, None),
            (m, math.nan, "1", 2.0, None, None)]
    got = [F.read_row(*k) for k in rows]
    assert all(_same(g, F._read_row(*k)) for g, k in zip(got, rows))
    assert got[2] != got[0]                       # True reads as no number: not the 1.0 row's reading
    assert set(F._ROW_MEMO) == {rows[3]}          # only the row of texts and a float weight was kept


def _same(a: F.RowReading, b: F.RowReading) -> bool:
    """Equal field by field, NaN equal to NaN."""
    return all(x == y or (isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y))
               for x, y in zip(a, b))
