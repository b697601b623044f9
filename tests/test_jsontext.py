"""`report.jsontext.indented` is `json.dumps(obj, ensure_ascii=False, indent=1)` nested `level` deep, byte for
byte: on random documents (every JSON type, awkward floats, strings with quotes, controls, surrogates,
non-string keys, tuples, int/float subclasses), on real report entries, and in its errors."""

from __future__ import annotations

import enum
import json
import math
import random

import pytest

from budget_audit.report.jsontext import indented


def reference(obj, level: int = 0) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1).replace("\n", "\n" + " " * level)


class Level(enum.IntEnum):
    LOW = 1


class Score(float):
    pass


FLOATS = [0.0, -0.0, 1.5, 85.25, 1e16, 1e-7, 1.0000000000000002, 123456789.123, float("nan"), float("inf"),
          -float("inf"), 2.5e-308, Score(3.25)]
STRINGS = ["", "a", '引号"反斜杠\\', "行\n换\r\t", "\x00\x01\x1f\x7f", "\u2028\u2029", "\ud800 lone", "扬州市园林绿化管理中心",
           "</script>", "😀"]
KEYS = ["k", "中文", 'q"', 1, -7, 2.5, float("nan"), True, False, None, Level.LOW]


def doc(rng: random.Random, depth: int = 0):
    kind = rng.randrange(9 if depth < 4 else 6)
    if kind == 0:
        return rng.choice(STRINGS)
    if kind == 1:
        return rng.choice([None, True, False])
    if kind == 2:
        return rng.choice([0, 1, -5, 10**30, Level.LOW])
    if kind == 3:
        return rng.choice(FLOATS)
    if kind in (4, 5):
        return rng.choice(STRINGS + [None])
    if kind == 6:
        return [doc(rng, depth + 1) for _ in range(rng.randrange(4))]
    if kind == 7:
        return tuple(doc(rng, depth + 1) for _ in range(rng.randrange(3)))
    return {rng.choice(KEYS): doc(rng, depth + 1) for _ in range(rng.randrange(5))}


def test_random_documents_match_json_dumps():
    rng = random.Random(3)
    for n in range(3000):
        obj = doc(rng)
        level = n % 4
        assert indented(obj, level) == reference(obj, level), obj


def test_report_entry_shapes():
    entry = {"id": "W1", "counts": {"error": 0, "warning": 1}, "findings": [
        {"rule": "XSB001", "location": {"file": "/a/b.xlsx"}, "expected": None, "actual": 85.5,
         "tolerance": 0.01, "message": {"zh": "文件内容相同", "en": "same"}},
        {"rule": "MTH004", "location": {}, "expected": [1, 2.5, None], "actual": [], "tolerance": math.inf}],
        "checked": {"indicators": 40}, "caused_by": {"index": 0, "rule": "SCR001"}}
    for level in (0, 1, 2):
        assert indented(entry, level) == reference(entry, level)


def test_unserializable_raises_type_error_like_json():
    for bad in ({"x": {1, 2}}, [object()], {(1, 2): 3}, b"bytes"):
        with pytest.raises(TypeError):
            reference(bad)
        with pytest.raises(TypeError):
            indented(bad)
