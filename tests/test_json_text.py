"""The JSON report's writer (`report.stream._nested`) gives json.dumps(indent=1, ensure_ascii=False)'s bytes."""

from __future__ import annotations

import enum
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budget_audit.report.stream import _nested


def reference(obj, level: int) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1).replace("\n", "\n" + " " * level)


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                    st.text())
keys = st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.booleans(), st.none())
documents = st.recursive(scalars, lambda kids: st.one_of(st.lists(kids), st.tuples(kids, kids),
                                                         st.dictionaries(keys, kids)), max_leaves=40)


@settings(max_examples=400, deadline=None)
@given(documents, st.integers(min_value=0, max_value=3))
def test_the_same_text_as_json_dumps(obj, level):
    assert _nested(obj, level) == reference(obj, level)


class Kind(str, enum.Enum):
    A = "甲"


class Size(enum.IntEnum):
    BIG = 3


class Text(str):
    pass


def test_subclasses_and_specials_as_json_writes_them():
    obj = {"nan": math.nan, "inf": [math.inf, -math.inf], "neg0": -0.0, "big": 1e300, Kind.A: Kind.A,
           Size.BIG: Size.BIG, "text": Text("合并单元格"), "esc": 'a"\\\n\t\u2028\x00', True: False, None: 1,
           2.5: (), "empty": {}}
    for level in (0, 2):
        assert _nested(obj, level) == reference(obj, level)


@pytest.mark.parametrize("bad", [{"x": {1, 2}}, {(1, 2): 1}, [object()]])
def test_what_json_refuses_is_refused(bad):
    with pytest.raises(TypeError):
        json.dumps(bad, indent=1)
    with pytest.raises(TypeError):
        _nested(bad, 1)
