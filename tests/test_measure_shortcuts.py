"""The measure/findings shortcuts held to the plain code they replace (copied here, never in the package).

Each test runs the old code path and the new one on hand-made and random inputs — odd types (bool, int,
float and str that compare equal), None, NaN, empty, unicode, whitespace — and compares values and dtypes.
"""

from __future__ import annotations

import math
import random
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from budget_audit.findings import _records
from budget_audit.normalize import Tables
from budget_audit.rules import RULES
from budget_audit.rules.base import per_profile
from budget_audit.rules.methods import _met
from budget_audit.rules.statements import _conflict

ODD = [None, np.nan, "", " ", "a", "A", " a ", "指标", "指标 ", 1, 1.0, True, False, 0, 0.0, "1", "1.0", "True", math.inf]


def _tables(sub: pd.DataFrame, profiles: dict) -> Tables:
    empty = pd.DataFrame({"submission_id": pd.Series(dtype=object)})
    return Tables(indicators=empty, sections=empty, submissions=sub, statements=empty, profiles=profiles)


PROFILES = {"p1": SimpleNamespace(name="p1", flag=True, num=1.5, text="一", none=None, big=math.inf),
            "p2": SimpleNamespace(name="p2", flag=False, num=np.nan, text="", none=None, big=2),
            "generic": SimpleNamespace(name="generic", flag=True, num=0.0, text=" x ", none=None, big=0)}
VALUES = [lambda p: p.flag, lambda p: p.num, lambda p: p.text, lambda p: p.none, lambda p: p.big,
          lambda p: p.name == "generic", lambda p: p.num if p.flag else np.nan, lambda p: (p.name,)]


def _per_profile_cases(rng: random.Random):
    ids = ["s1", "s2", "s3", "单位 4", " s5", "s1 "]
    for n_rows in (0, 1, 3, 40, 400):
        for id_dtype in ("str", object):
            sub_ids = rng.sample(ids, rng.randint(1, len(ids)))
            sub = pd.DataFrame({"submission_id": pd.Series(sub_ids, dtype=id_dtype),
                                "profile": pd.Series([rng.choice([*PROFILES, "unknown", None]) for _ in sub_ids],
                                                     dtype=rng.choice(["str", object]))})
            rows = [rng.choice(ids + ["nowhere"]) for _ in range(n_rows)]
            if rng.random() < 0.3 and rows:
                rows[rng.randrange(len(rows))] = None          # a missing id: the plain way
            df = pd.DataFrame({"submission_id": pd.Series(rows, dtype=id_dtype)},
                              index=pd.RangeIndex(n_rows) if rng.random() < 0.5 else pd.Index(range(100, 100 + n_rows)))
            yield _tables(sub, PROFILES), df
    # ids that compare equal across types (1, 1.0, True): a dict treats them as one key
    sub = pd.DataFrame({"submission_id": pd.Series([1, "1", 2.0], dtype=object), "profile": ["p1", "p2", "generic"]})
    df = pd.DataFrame({"submission_id": pd.Series([1, 1.0, True, "1", 2, 2.0, "2"] * 10, dtype=object)})
    yield _tables(sub, PROFILES), df


def test_per_profile_is_the_tables_per_profile():
    rng = random.Random(7)
    seen_fast = 0
    for _ in range(30):
        for t, df in _per_profile_cases(rng):
            for value in VALUES:
                plain = t.per_profile(df, value)
                got = per_profile(t, df, value)
                pd.testing.assert_series_equal(got, plain, check_exact=True)
                assert got.dtype == plain.dtype and got.name == plain.name
            ids = df["submission_id"]
            seen_fast += isinstance(ids.dtype, pd.StringDtype) and ids.notna().all() and len(df) >= 40
    assert seen_fast                                           # the shortcut itself was exercised


def test_per_profile_on_a_real_batch(measured):
    t = measured
    for df in (t.indicators, t.sections, t.submissions):
        for value in (lambda p: p.codes, lambda p: bool(p.sections), lambda p: p.deduction_sign < 0,
                      lambda p: p.overachievement_ratio if p.overachievement_ratio else np.nan,
                      lambda p: p.bonus.cap if p.bonus else math.inf, lambda p: p.deviation_reason_field):
            pd.testing.assert_series_equal(per_profile(t, df, value), t.per_profile(df, value), check_exact=True)


@pytest.fixture(scope="module")
def measured() -> Tables:
    from pathlib import Path

    from budget_audit.pipeline import measured_tables
    from budget_audit.readers import read_inputs

    examples = Path(__file__).resolve().parents[1] / "datasets" / "examples"
    return measured_tables(read_inputs([str(examples)]))


def _old_records(df: pd.DataFrame, positions: list[int], fields: tuple[str, ...]) -> list[dict]:
    from budget_audit.findings import _none_if_missing

    cols = [c for c in fields if c in df.columns]
    return [_none_if_missing(r) for r in df.iloc[positions][cols].to_dict("records")]


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and (a == b if not isinstance(a, dict) else a == b)


def test_records_take_the_columns_then_the_rows(measured):
    rng = random.Random(3)
    n = 60
    df = pd.DataFrame({
        "obj": pd.Series([rng.choice(ODD) for _ in range(n)], dtype=object),
        "text": pd.Series([rng.choice(["a", "指标", " ", "", None]) for _ in range(n)], dtype="str"),
        "num": [rng.choice([1.0, np.nan, -0.0, math.inf, 2.5]) for _ in range(n)],
        "int": list(range(n)), "flag": [rng.random() < 0.5 for _ in range(n)],
        "loc": [rng.choice([{"sheet": "表1", "cell": "B3"}, None, "path"]) for _ in range(n)],
        "nullable": pd.array([rng.choice([1, None]) for _ in range(n)], dtype="Int64"),
        "wide_unused": ["x"] * n,
    }, index=pd.Index(range(500, 500 + n)))
    for _ in range(50):
        positions = sorted(rng.sample(range(n), rng.randint(0, n)))
        fields = tuple(rng.sample(["obj", "text", "num", "int", "flag", "loc", "nullable", "absent"], rng.randint(1, 8)))
        old, new = _old_records(df, positions, fields), _records(df, positions, fields)
        assert len(old) == len(new)
        for a, b in zip(old, new):
            assert list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    ind = measured.indicators
    positions = list(range(0, len(ind), 3))
    fields = tuple(ind.columns[::2])
    assert repr(_old_records(ind, positions, fields)) == repr(_records(ind, positions, fields))


def test_met_is_the_old_map():
    rng = random.Random(5)
    cases = [pd.Series([], dtype=object), pd.Series([True, False, None], dtype=object),
             pd.Series([True, False, True]), pd.Series([1, 1.0, True, 0, 0.0, False, np.True_, None, np.nan], dtype=object),
             pd.Series([rng.choice([True, False, None, 1, "True"]) for _ in range(200)], dtype=object)]
    for met in cases:
        ind = pd.DataFrame({"target_met": met}, index=pd.Index(range(7, 7 + len(met))))
        for value in (True, False):
            old = ind["target_met"].map(lambda x: x is value)
            pd.testing.assert_series_equal(_met(ind, value), old, check_exact=True)


def _old_str001_missing(ind: pd.DataFrame) -> list:
    no_name = ind["name"].isna() & ind["code"].isna()
    no_w = (ind["weight_kind"] == "missing") & (ind["kind"] != "deduction")
    no_s = ind["score_kind"] == "missing"
    return ["、".join(n for n, f in (("指标名称", a), ("权值", b), ("得分", c)) if f) or None
            for a, b, c in zip(no_name, no_w, no_s)]


def test_str001_missing_fields_as_joined_per_row():
    rng = random.Random(11)
    empty_sub = pd.DataFrame({"submission_id": pd.Series(dtype=object)})
    for n in (1, 8, 300):
        for dtype in ("str", object):
            ind = pd.DataFrame({
                "submission_id": ["s"] * n,
                "name": pd.Series([rng.choice([None, "名称", "", " "]) for _ in range(n)], dtype=dtype),
                "code": pd.Series([rng.choice([None, "A11", ""]) for _ in range(n)], dtype=dtype),
                "weight_kind": pd.Series([rng.choice(["missing", "number", None, "invalid"]) for _ in range(n)], dtype=dtype),
                "kind": pd.Series([rng.choice(["normal", "deduction", "bonus", None]) for _ in range(n)], dtype=dtype),
                "score_kind": pd.Series([rng.choice(["missing", "number", None]) for _ in range(n)], dtype=dtype),
            })
            old = _old_str001_missing(ind)
            t = Tables(indicators=ind.copy(), sections=empty_sub, submissions=empty_sub, statements=empty_sub)
            RULES["STR001"].measure(t)
            got = t.indicators["missing_fields"]
            ref = ind.copy()
            ref["missing_fields"] = old                       # the column the old list made
            pd.testing.assert_series_equal(got, ref["missing_fields"], check_exact=True)


def test_xst001_reads_the_columns_as_iterating_them():
    rng = random.Random(13)
    quantities = ["total", "grade", "section:A", "budget:expenditure", "indicator:A11", "other", "评价"]
    for n in (0, 1, 50):
        for dtype in ("str", object):
            places = [tuple((rng.choice([1.0, 2.0, np.nan, 97.5]), rng.choice([0.0, 0.5]), rng.choice(["优", "良", "97.5"]))
                            for _ in range(rng.randint(0, 3))) for _ in range(n)]
            stm = pd.DataFrame({"quantity": pd.Series([rng.choice(quantities) for _ in range(n)], dtype=dtype),
                                "places": pd.Series(places, dtype=object)})
            old = [_conflict(q, p) for q, p in zip(stm["quantity"], stm["places"])]
            empty = pd.DataFrame({"submission_id": pd.Series(dtype=object)})
            t = Tables(indicators=empty, sections=empty, submissions=empty, statements=stm.copy())
            RULES["XST001"].measure(t)
            np.testing.assert_array_equal(t.statements["xst001"].to_numpy(dtype=float), np.array(old, dtype=float))


# ---- XSB: matches and the names in their messages read lists, not Series / arrays element by element ----

def _old_matches(fp: pd.DataFrame, key: pd.Series, differs: str) -> list:
    from budget_audit.rules.cross import MAX_NAMED, Match

    out = [Match() for _ in range(len(fp))]
    k = key.reset_index(drop=True)
    dup = k.notna() & k.duplicated(keep=False)
    if not dup.any():
        return out
    other = fp[differs].reset_index(drop=True)
    for _, pos in k[dup].groupby(k[dup]).groups.items():
        firsts: dict = {}
        sizes: dict = {}
        for i in pos:
            v = other[i]
            if pd.isna(v):
                continue
            sizes[v] = sizes.get(v, 0) + 1
            if len(firsts.setdefault(v, [])) < MAX_NAMED:
                firsts[v].append(i)
        if len(sizes) < 2:
            continue
        known = sum(sizes.values())
        for i in pos:
            v = other[i]
            if pd.isna(v):
                continue
            m = Match()
            for w, ps in firsts.items():
                if w != v:
                    m.extend(ps[:MAX_NAMED - len(m)])
                    if len(m) >= MAX_NAMED:
                        break
            m.n = known - sizes[v]
            out[i] = m
    return out


def _random_fingerprints(rng: random.Random, n: int) -> pd.DataFrame:
    from budget_audit.rules.cross import FP_COLUMNS

    fp = pd.DataFrame({
        "submission_id": pd.Series([f"s{i}" if rng.random() < 0.9 else f"单位 {i} " for i in range(n)], dtype="str"),
        "source": [f"f{i}.xlsx" for i in range(n)],
        "source_file": pd.Series([rng.choice(["a.xlsx", "b.xlsx", "c.xlsx", None]) for _ in range(n)], dtype="str"),
        "unit_key": pd.Series([rng.choice(["甲", "乙", "1", None, ""]) for _ in range(n)], dtype=object),
        "year": [rng.choice([2022.0, 2023.0, np.nan, 2023]) for _ in range(n)],
        "content": pd.Series([rng.choice(["h1#0", "h2#0", None]) for _ in range(n)], dtype=object),
        "indicators": pd.Series([rng.choice(["i1", "i2", None]) for _ in range(n)], dtype=object),
        "figures": pd.Series([rng.choice(["g1", "g2", None]) for _ in range(n)], dtype=object),
    })
    fp["year"] = pd.to_numeric(fp["year"], errors="coerce")
    return fp[FP_COLUMNS]


def test_cross_matches_and_messages_are_the_old_ones():
    from budget_audit.rules import cross

    rng = random.Random(17)
    for n in (0, 1, 2, 9, 80):
        for _ in range(10):
            fp = _random_fingerprints(rng, n)
            for key, differs in (("content", "source_file"), ("indicators", "unit_key"), ("figures", "year")):
                old, new = _old_matches(fp, fp[key], differs), cross._matches(fp, fp[key], differs)
                assert [(list(a), a.n) for a in old] == [(list(b), b.n) for b in new]
            if not n:
                continue
            m = cross.cross_matches(fp)
            for rid, with_unit in (("xsb001", True), ("xsb002", True), ("xsb003", False)):
                plain = (fp["submission_id"].array, fp["unit_key"].array, fp["year"].array)   # the old element access
                old_with = [cross._who(plain, x, with_unit) if x else None for x in m[rid]]
                assert cross.measure_columns(fp, m, rid)[f"{rid}_with"] == old_with


def test_row_hashes_are_the_categorized_hashes():
    """`cross._row_hashes` hashes its cleaned distinct texts with `categorize=False`: the same uint64 as the
    default (categorizing) `hash_array` the fingerprints were made with, on texts of every kind."""
    from budget_audit.rules import cross

    def old(df, cols):
        h = np.zeros(len(df), dtype=np.uint64)
        empty = pd.util.hash_array(np.array([""], dtype=object))[0]
        for c in cols:
            if c in df.columns:
                codes, uniques = pd.factorize(df[c], use_na_sentinel=True)
                clean = np.array([cross._WS.sub("", str(u)) for u in uniques] + [""], dtype=object)
                col = pd.util.hash_array(clean)[codes]
            else:
                col = np.full(len(df), empty, dtype=np.uint64)
            h = (h * np.uint64(1_000_003)) ^ col
        return h

    rng = random.Random(19)
    texts = ["", " ", "a", " a", "a ", "指标", "指 标", "\t\n", "nan", "None", "1", "1.0", "True", "\x00", "e\u0301", "é"]
    for n in (0, 1, 5, 200):
        for dtype in ("str", object):
            df = pd.DataFrame({c: pd.Series([rng.choice(texts + [None, np.nan, 1, 1.0, True]) if dtype is object
                                             else rng.choice(texts + [None]) for _ in range(n)], dtype=dtype)
                               for c in ("a", "b", "c")})
            for cols in (("a",), ("a", "b", "c"), ("c", "missing", "a")):
                np.testing.assert_array_equal(cross._row_hashes(df, cols), old(df, cols))


def _old_scr008(t: Tables) -> None:
    from budget_audit.parse.methods import schedule_can_form

    ind = t.indicators
    schedule_of = {name: tuple(p.bonus.schedule) if p.bonus else () for name, p in t.profiles.items()}
    sched = ind["profile"].map(schedule_of)
    ind["schedule"] = ind["profile"].map({name: "、".join(f"{x:g}" for x in s) for name, s in schedule_of.items()})
    cap = t.per_profile(ind, lambda p: p.bonus.cap if p.bonus else math.inf)
    applies = (ind["kind"] == "bonus") & ind["score"].notna() & sched.map(bool)
    ind["scr008"] = pd.Series([float(not schedule_can_form(sc, sd, cp)) if ap else np.nan
                               for sc, sd, cp, ap in zip(ind["score"].tolist(), sched.tolist(), cap.tolist(),
                                                         applies.tolist())], index=ind.index)


def test_scr008_judges_the_bonus_rows_as_before(measured):
    rng = random.Random(23)
    real = measured
    bonus = SimpleNamespace(schedule=[3, 2, 1, 0.5], cap=5)
    profiles = {"dept": SimpleNamespace(name="dept", bonus=bonus), "none": SimpleNamespace(name="none", bonus=None),
                "empty": SimpleNamespace(name="empty", bonus=SimpleNamespace(schedule=[], cap=math.inf))}
    cases = [(real.indicators.copy(), real.submissions, real.profiles)]
    for n in (1, 30, 300):      # (no empty table: measure_all never runs a measure whose tables are all empty)
        for dtype in ("str", object):
            sids = [f"s{i}" for i in range(5)]
            sub = pd.DataFrame({"submission_id": pd.Series(sids, dtype="str"),
                                "profile": pd.Series([rng.choice(["dept", "none", "empty", "gone"]) for _ in sids],
                                                     dtype="str")})
            ind = pd.DataFrame({
                "submission_id": pd.Series([rng.choice(sids) for _ in range(n)], dtype="str"),
                "profile": pd.Series([rng.choice(["dept", "none", "empty", "gone", None]) for _ in range(n)], dtype=dtype),
                "kind": pd.Series([rng.choice(["bonus", "normal", "deduction", None]) for _ in range(n)], dtype=dtype),
                "score": [rng.choice([0.5, 1.0, 3.5, 0.7, 6.0, -1.0, np.nan, 0.0, 5.0]) for _ in range(n)],
            }, index=pd.Index(range(40, 40 + n)))
            cases.append((ind, sub, profiles))
    for ind, sub, profs in cases:
        empty = pd.DataFrame({"submission_id": pd.Series(dtype=object)})
        a = Tables(indicators=ind.copy(), sections=empty, submissions=sub, statements=empty, profiles=profs)
        b = Tables(indicators=ind.copy(), sections=empty, submissions=sub, statements=empty, profiles=profs)
        _old_scr008(a)
        RULES["SCR008"].measure(b)
        pd.testing.assert_frame_equal(b.indicators, a.indicators, check_exact=True)
        if len(ind) > 100:
            assert b.indicators["scr008"].notna().any()
