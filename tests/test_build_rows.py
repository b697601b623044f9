"""normalize.build's Builder (the perf5 cuts: profile parts worked out once per batch, column names formatted
once, each stated value parsed once, an indicator loop only over rows that can state something, NaN → 0 without
np.nan_to_num, section and statement rows as tuples) builds exactly the rows and frames of the Builder before them (a copy in tests/_old_build.py), on the
repository's examples and on random submissions with odd cells: bool/int/float/str that compare equal, None, NaN,
inf, empty, white space, full-width and traditional text, lists and objects where text is due."""

from __future__ import annotations

import copy
import json
import math
import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import _old_build as OLD
from budget_audit.model import RawSubmission
from budget_audit.normalize import build as NEW
from budget_audit.normalize import resolve_profile
from budget_audit.profiles import BUILTIN, load_profile

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT / "datasets"
ODD = [None, math.nan, math.inf, -math.inf, True, False, 0, 1, 1.0, -0.0, 0.0, "1", "1.0", "", " ", "\u3000", "\n",
       "无", "/", "—", "１．５", "1.5分", "≥5", "90%", "９０％", "100%", "2,255.52", "2972.43万元", "10万", "1亿",
       "-3", "−3", "abc", "nan", "inf", "1e5", "優秀", "良好", "合格", "A", "a1", "A1", "F", "F1", "加分项", "减分项",
       "部门决策", "  产出指标 ", "完成", "基本完成", "≥95%", "10²", "90 95", [], {}, ["x"], {"a": 1}, 2021, "2021年",
       2021.0, "元", "万元", "亿元", "千元", "initial_budget", "adjusted_budget"]


def _examples() -> list[RawSubmission]:
    import warnings

    from budget_audit.readers import read_inputs

    paths = sorted(str(p) for p in (DATASETS / "examples").iterdir()) + [str(DATASETS / "reference" / n) for n in (
        "nanjing-dianhua-2023.json", "nanjing-dianhua-2023.xlsx", "nanjing-dianhua-2023-report.docx")]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read_inputs(paths)


def _odd(rnd: random.Random):
    return copy.deepcopy(rnd.choice(ODD))


def _mutated(raw: RawSubmission, rnd: random.Random, k: int) -> RawSubmission:
    """The submission with a few fields set to odd cells (or dropped), and a few located."""
    r = copy.deepcopy(raw)
    r.id = f"{raw.id}~m{k}"
    d = r.data
    if d is None:
        return r
    for _ in range(rnd.randint(1, 12)):
        where = rnd.choice(["budget", "sections", "groups", "indicators", "statements", "top"])
        if where == "budget" and isinstance(d.get("budget"), dict):
            key = rnd.choice([*NEW.AMOUNT_KEYS, *NEW.RATE_KEYS, "weight", "score", "currency_unit", "reason",
                              "rate_denominator"])
            if rnd.random() < 0.15:
                d["budget"].pop(key, None)
            else:
                d["budget"][key] = _odd(rnd)
        elif where in ("sections", "groups", "indicators", "statements") and isinstance(d.get(where), list) \
                and d[where]:
            i = rnd.randrange(len(d[where]))
            item = d[where][i]
            if rnd.random() < 0.05:
                d[where][i] = _odd(rnd)          # not an object: skipped
            elif isinstance(item, dict):
                keys = list(item) + ["not_printed", "name_line", "quantity", "where", "value"]
                key = rnd.choice(keys)
                if key == "not_printed":
                    item[key] = rnd.choice([["weight"], ["score"], ["weight", "score"], None, "weight"])
                elif key == "quantity" and where == "statements":
                    item[key] = rnd.choice(["total", "grade", "section:A", "section:产出指标", "budget:execution_rate",
                                            "execution_rate", "indicator:A11", "indicator:C11", "budget:expenditure",
                                            " total ", 3, None])
                else:
                    item[key] = _odd(rnd)
        else:
            key = rnd.choice(["unit", "year", "title", "not_printed", "labels_found", "unreadable_figures",
                              "score_table", "statements", "groups"])
            if key in ("not_printed", "labels_found"):     # the readers' lists of field names
                d[key] = rnd.choice([["weight"], ["score"], ["unit", "year"], [], None])
            else:
                d[key] = rnd.choice([_odd(rnd), "none", [{"label": "调整预算数", "value": "7.50."}, "x"]])
    if rnd.random() < 0.3:      # a located statement or indicator cell, and a problem of the reader
        r.loc[f"statements[{rnd.randrange(4)}].value"] = {"sheet": "S", "cell": "B2"}
        r.loc[f"indicators[{rnd.randrange(4)}].actual"] = {"sheet": "S", "cell": "C3"}
    if rnd.random() < 0.2:
        from budget_audit.model import Problem

        r.problems.append(Problem(rnd.choice(["STR001", "STR007", "STR009", "STR010", "STR011"]), "zh", "en",
                                  rnd.choice([None, {"file": "f"}])))
    return r


def _build(mod, raws, forced):
    b = mod.Builder()
    for raw in copy.deepcopy(raws):
        profile, zh, en = resolve_profile(raw.data, forced, [])
        b.add_submission(raw, profile, (zh, en))
    return b


def _frames(b):
    """The four frames as build_tables makes them from a Builder's rows."""
    return (pd.DataFrame(b.ind, columns=NEW.IND_COLUMNS, dtype=None if b.ind["row"] else object),
            pd.DataFrame(b.sec, columns=NEW.SEC_COLUMNS), pd.DataFrame(b.sub),
            pd.DataFrame(b.stm, columns=NEW.STM_COLUMNS))


def _same(a, b) -> bool:
    """Equal, NaN equal to NaN, containers element by element (dict keys in order)."""
    if isinstance(a, float) and isinstance(b, float):
        return (a == b and math.copysign(1, a) == math.copysign(1, b)) or (math.isnan(a) and math.isnan(b))
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


def _assert_same_builders(raws, forced=None):
    old, new = _build(OLD, raws, forced), _build(NEW, raws, forced)
    for attr in ("ind", "sub"):
        assert _same(getattr(old, attr), getattr(new, attr)), attr
    # sections and statements: rows of their columns now, dicts before
    assert _same([tuple(d[c] for c in NEW.SEC_COLUMNS) for d in old.sec], new.sec)
    assert _same([tuple(d[c] for c in NEW.STM_COLUMNS) for d in old.stm], new.stm)
    for fo, fn in zip(_frames(old), _frames(new)):
        pd.testing.assert_frame_equal(fo, fn, check_exact=True)
        assert list(fo.dtypes.astype(str)) == list(fn.dtypes.astype(str))


@pytest.fixture(scope="module")
def examples():
    return _examples()


def test_the_examples_build_the_same_rows(examples):
    assert len(examples) >= 8
    _assert_same_builders(examples)
    for name in BUILTIN:
        _assert_same_builders(examples, load_profile(name))


@pytest.mark.parametrize("seed", range(6))
def test_random_submissions_build_the_same_rows(examples, seed):
    rnd = random.Random(seed)
    raws = [_mutated(rnd.choice(examples), rnd, k) for k in range(40)]
    forced = None if seed % 2 == 0 else load_profile(BUILTIN[seed % len(BUILTIN)])
    _assert_same_builders(raws, forced)


def test_a_submission_with_every_field_odd_builds_the_same_rows(examples):
    rnd = random.Random(99)
    raws = []
    for k, odd in enumerate(ODD):
        r = copy.deepcopy(examples[k % len(examples)])
        r.id = f"odd{k}"
        if r.data is None:
            continue
        for key in list(r.data.get("budget") or {}):
            r.data["budget"][key] = copy.deepcopy(odd)
        for lst in ("sections", "groups", "indicators", "statements"):
            for item in r.data.get(lst) or []:
                if isinstance(item, dict):
                    for key in list(item):
                        if rnd.random() < 0.5 and key != "quantity":
                            item[key] = copy.deepcopy(odd)
        raws.append(r)
    _assert_same_builders(raws)


def test_no_submission_and_unreadable_ones_build_the_same_rows(examples):
    from budget_audit.model import unreadable

    _assert_same_builders([])
    _assert_same_builders([unreadable("x.xlsx", "x", "zh", "en")])
    empty = copy.deepcopy(examples[0])
    empty.data = {"indicators": [], "sections": "x", "budget": [1]}
    _assert_same_builders([empty])


def test_the_totals_sum_as_numpy_does():
    """NaN → 0 then numpy's pairwise sum, as with np.nan_to_num: forty rows whose order changes a float sum."""
    rnd = random.Random(5)
    w = [rnd.choice([0.1, 0.2, 0.3, 1e-9, 1e9, math.nan]) for _ in range(40)]
    assert float(np.array([0.0 if x != x else x for x in w], dtype=float).sum()) == \
        float(np.nan_to_num(np.array(w, dtype=float)).sum())
