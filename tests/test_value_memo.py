"""`parse_value`'s memos (text, float, int cells) outlive `batch.clear_memos` (a form's cells repeat in every chunk of
a batch), bound themselves, key only exact types, and never change a value: every value read through them is the
value a parse with empty memos gives, on hand-made and random cells of odd types."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from budget_audit.batch import clear_memos
from budget_audit.parse import values as V

MEMOS = ("_STR_MEMO", "_FLOAT_MEMO", "_INT_MEMO")


class Text(str):
    """A str subclass: read as its text, never memoised under it."""


CELLS = [None, math.nan, math.inf, -math.inf, 0.0, -0.0, 1.0, 1, True, False, 0, -0, 2.0, 2, 0.5, 1.5, 97.0, 97,
         0.97, 1e-7, 1.0000000000001, 0.1 + 0.2, 10 ** 20, 10 ** 400, -3, 3.0, "1", "1.0", "１", "１．５", "1.5分", "",
         " ", "\u3000", "\n5\n", "5 ", "90%", "９０％", "≥90%", "≥ 90 %", "100%", "0.97", "97", "优", "優秀", "无", "/",
         "—", "nan", "NaN", "inf", "1e5", "2,255.52", "2972.43万元", "10万", "三千五", "一万二", "百分之九十", "10²",
         "90 95", "abc", "√", "≥3000人", "1O0人", Text("90%"), Text("1"), np.float64(1.5), np.int64(2), [], {}, (1,)]


def _fresh(x, percent):
    """parse_value with its memos empty: the value as parsed, not as remembered."""
    saved = {m: getattr(V, m).copy() for m in MEMOS}
    try:
        for m in MEMOS:
            getattr(V, m).clear()
        return V.parse_value(x, percent=percent)
    finally:
        for m in MEMOS:
            getattr(V, m).clear()
            getattr(V, m).update(saved[m])


def _same(a: V.Value, b: V.Value) -> bool:
    """Equal field by field and of the same types (1 is not 1.0), NaN equal to NaN, -0.0 not 0.0."""
    for f in V.Value.__slots__:
        x, y = getattr(a, f), getattr(b, f)
        if type(x) is not type(y):
            return False
        if isinstance(x, float):
            if not ((x == y and math.copysign(1, x) == math.copysign(1, y)) or (math.isnan(x) and math.isnan(y))):
                return False
        elif x != y:
            return False
    return True


@pytest.fixture(autouse=True)
def _empty(monkeypatch):
    for m in MEMOS:
        monkeypatch.setattr(V, m, {})


def test_the_memos_are_kept_across_chunks():
    first = [V.parse_value("1.5分"), V.parse_value(2.5), V.parse_value(7, percent=True)]
    clear_memos()
    again = [V.parse_value("1.5分"), V.parse_value(2.5), V.parse_value(7, percent=True)]
    assert all(a is b for a, b in zip(first, again))       # not parsed again after a chunk
    assert all(_same(a, _fresh(x, p)) for a, (x, p) in zip(first, [("1.5分", False), (2.5, False), (7, True)]))


def test_values_are_those_of_a_fresh_parse_on_random_cells():
    rnd = random.Random(7)
    seen = 0
    for _ in range(3000):
        x, p = rnd.choice(CELLS), rnd.random() < 0.4
        got = V.parse_value(x, percent=p)
        assert _same(got, _fresh(x, p)), (x, p)
        seen += 1
    assert seen and V._STR_MEMO and V._FLOAT_MEMO and V._INT_MEMO


def test_only_exact_types_are_memoised():
    """1.0, 1 and True are one dict key: one memo by the value would give the int the float's raw text ("1.0")
    and read True as the number 1."""
    got = [V.parse_value(x) for x in (1.0, 1, True, Text("1"), "1", np.float64(1.0))]
    assert [v.raw for v in got] == ["1.0", "1", "True", "1", "1", "1.0"]
    assert [v.kind for v in got] == ["number", "number", "invalid", "number", "number", "number"]
    assert set(V._FLOAT_MEMO) == {(1.0, False)} and set(V._INT_MEMO) == {(1, False)}
    assert all(type(k[0]) is str for k in V._STR_MEMO)
    assert all(_same(v, _fresh(x, False)) for v, x in zip(got, (1.0, 1, True, Text("1"), "1", np.float64(1.0))))
    # ±0.0 and NaN never enter the float memo (0.0 == -0.0 would give -0.0 the raw "0.0"; NaN never finds itself)
    assert V.parse_value(-0.0).raw == "-0.0" and V.parse_value(0.0).raw == "0.0"
    assert V.parse_value(math.nan).kind == "missing" and (0.0, False) not in V._FLOAT_MEMO


def test_the_memos_are_bounded_and_values_do_not_depend_on_them(monkeypatch):
    monkeypatch.setattr(V, "VALUE_MEMO_MAX", 5)
    for i in range(40):
        for x in (f"{i}分", float(i) + 0.5, i):
            assert _same(V.parse_value(x), _fresh(x, False))
            assert all(len(getattr(V, m)) <= 5 for m in MEMOS)
