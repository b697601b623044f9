"""Tests for budget_audit.parse.methods: the 评分办法 reader, target comparison and score recomputation.

Seed rows are copied here as literals (the tests must run from a clean clone, without ../shared).
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budget_audit.parse.methods import (
    KINDS,
    Comparison,
    Method,
    Recomputed,
    compare,
    describe,
    explain,
    labels_equivalent,
    match_tier,
    normalize_method_text,
    parse_method,
    recompute,
    recompute_row,
    schedule_can_form,
)
from budget_audit.parse.values import Value, parse_value

CORPUS_PATH = Path(__file__).with_name("method_corpus.yaml")
CORPUS: list[dict] = yaml.safe_load(CORPUS_PATH.read_text(encoding="utf-8"))


def approx(x, rel=1e-9, abs_=1e-9):
    return pytest.approx(x, rel=rel, abs=abs_)


# ================================================================================================
# Corpus: every phrasing parses as expected
# ================================================================================================

def _tier_expect(points):
    """Corpus notation → (points, share): 2 → (2, None); full → (None, 1); share:0.5; open."""
    if isinstance(points, (int, float)):
        return float(points), None
    if points == "full":
        return None, 1.0
    if points == "open":
        return None, None
    if isinstance(points, str) and points.startswith("share:"):
        return None, float(points.split(":", 1)[1])
    raise AssertionError(f"bad corpus tier points {points!r}")


def _check_value(v: Value | None, spec, what: str) -> None:
    if spec is None:
        assert v is None, f"{what}: expected none, got {v}"
        return
    assert v is not None, f"{what}: expected {spec}, got None"
    if isinstance(spec, (int, float)):
        spec = {"number": spec}
    assert v.kind == "number", f"{what}: {v}"
    if "number" in spec:
        assert v.number == approx(spec["number"]), f"{what}: number {v.number} != {spec['number']}"
    if "op" in spec:
        assert v.op == spec["op"], f"{what}: op {v.op} != {spec['op']}"
    if "unit" in spec:
        assert v.unit == spec["unit"], f"{what}: unit {v.unit} != {spec['unit']}"


@pytest.mark.parametrize("entry", CORPUS, ids=[e["id"] for e in CORPUS])
def test_corpus_entry(entry):
    m = parse_method(entry["text"])
    assert m.kind == entry["kind"], f"{entry['text']!r}: kind {m.kind} ({describe(m)})"
    assert m.text == entry["text"]
    if "tiers" in entry:
        got = [(lab, pts, sh) for (lab, pts), sh in zip(m.tiers, m.tier_shares)]
        want = [(lab, *_tier_expect(p)) for lab, p in entry["tiers"]]
        assert len(got) == len(want), got
        for (gl, gp, gs), (wl, wp, ws) in zip(got, want):
            assert gl == wl
            assert (gp is None and wp is None) or gp == approx(wp), (gl, gp, wp)
            assert (gs is None and ws is None) or gs == approx(ws), (gl, gs, ws)
    if "threshold" in entry:
        _check_value(m.threshold, entry["threshold"], "threshold")
    if "zero_below" in entry:
        _check_value(m.zero_below, entry["zero_below"], "zero_below")
    if "full_points" in entry:
        if entry["full_points"] is None:
            assert m.full_points is None
        else:
            assert m.full_points == approx(entry["full_points"])
    if "deduction" in entry:
        per, step = entry["deduction"]
        assert m.deduction is not None
        assert m.deduction[0] == approx(per) and m.deduction[1] == approx(step)
    for key in ("direction", "per_unit", "fallback", "no_double_count"):
        if key in entry:
            assert getattr(m, key) == entry[key], key
    if "cap" in entry:
        assert (m.cap is None) if entry["cap"] is None else m.cap == approx(entry["cap"])
    if "schedule" in entry:
        assert list(m.schedule) == [approx(x) for x in entry["schedule"]]
    if "schedule_labels" in entry:
        assert list(m.schedule_labels) == entry["schedule_labels"]
    if "bands" in entry:
        assert [(b[0], approx(b[1]), approx(b[2])) for b in m.bands] == [tuple(b) for b in entry["bands"]]
    # every parse can be described in both languages
    assert describe(m, "zh") and describe(m, "en")


def test_corpus_size_distinct_and_parse_rate(capsys):
    texts = [e["text"] for e in CORPUS]
    assert len(texts) == len(set(texts)), "duplicate corpus texts"
    assert len(set(texts)) >= 70
    assert len({e["id"] for e in CORPUS}) == len(CORPUS)
    assert {e["kind"] for e in CORPUS} == set(KINDS)  # every kind is exercised
    parsed = [e for e in CORPUS if parse_method(e["text"]).kind != "unknown"]
    rate = len(parsed) / len(CORPUS)
    with capsys.disabled():
        print(f"\n[method corpus] {len(CORPUS)} phrasings, parse rate {rate:.1%} "
              f"({len(parsed)}/{len(CORPUS)} not 'unknown')")
    assert rate >= 0.95


def test_parse_is_cached_and_total():
    t = "达到90%得2分，未达到根据完成度得分"
    assert parse_method(t) is parse_method(t)
    for junk in (None, "", "   ", "？？", "123", "得分", "abc", "\n", "分" * 500, "每" * 50, "((((("):
        m = parse_method(junk)
        assert m.kind in KINDS
        assert isinstance(describe(m), str)


def test_method_is_hashable_and_frozen():
    m = parse_method("制度健全得1分，制度较健全得0.5分，无制度得0分")
    assert hash(m) == hash(Method(m.kind, m.text, tiers=m.tiers, tier_shares=m.tier_shares))
    with pytest.raises(Exception):
        m.kind = "x"  # type: ignore[misc]


def test_normalisation():
    assert normalize_method_text("评价为“规范”得 2 分，\n“较规范”得1分") == "评价为规范得2分,较规范得1分"
    assert normalize_method_text("得分＝分值＊执行率") == "得分=分值×执行率"
    assert normalize_method_text("每低一个百分点扣零点五分") == "每低1个百分点扣0.5分"
    assert normalize_method_text("80%～100%") == "80%-100%"
    assert normalize_method_text("得到市级考核一等奖加1分") == "得到市级考核一等奖加1分"  # 一等奖 stays


# ================================================================================================
# Comparison
# ================================================================================================

V = parse_value


@pytest.mark.parametrize("target, actual, op, met", [
    ("≥3000人", "3100人", None, True),       # seed C11
    ("≥3000人", "2999人", None, False),
    ("=1份", "1份", None, True),             # seed C21
    ("≥2万人次", "2.3万人次", None, True),   # seed C31: 23,000 ≥ 20,000
    ("≥2万人次", "19999人次", None, False),
    ("≥60%", "60%", None, True),             # seed D21: met at the boundary
    ("≥60%", "59.9%", None, False),
    ("90%", "97%", None, True),              # seed B11, no operator → ≥
    ("90%", "97", None, True),               # plain 97 in a rate context = 97 %
    ("90%", "0.97", None, True),
    ("90%", "0.85", None, False),
    ("90%", "1", None, True),                # "1" meaning 100 %
    ("≤5%", "4%", None, True),
    ("≤5%", "6%", None, False),
    ("5%", "6%", "≤", True if False else False),  # the 指标性质 column decides the operator
    ("5%", "4%", "≤", True),
    ("5%以内", "5.4%", None, False),
    ("95%以上", "96%", None, True),
    ("不少于12种", "12种", None, True),
    ("≥15万次", "18.2万次", None, True),
    ("≥150万人次", "180万人次", None, True),
    (">90%", "90%", None, False),
    ("0", "0", None, True),                  # seed F21
])
def test_compare_numbers(target, actual, op, met):
    c = compare(V(target), V(actual), op)
    assert c.met is met, c
    assert not c.unit_mismatch


@pytest.mark.parametrize("target, actual, met", [
    ("是", "是", True),
    ("完成", "完成", True),
    ("完成", "已完成", True),
    ("完成", "全部完成", True),
    ("有", "有", True),
    ("达成预期指标", "达成", True),
    ("达成", "达成预期指标", True),
    ("健全", "健全", True),
    ("规范", "规范", True),
    ("不超支", "不超支", True),
    ("不超支", "未超支", True),
    ("不超支", "超支", False),
    ("健全", "较健全", False),
    ("规范", "基本规范", False),
    ("完成", "未完成", False),
    ("完成", "部分完成", False),
    ("是", "否", False),
    ("有", "无", False),
    ("无", "无", True),
    ("完成", "是", True),
])
def test_compare_labels(target, actual, met):
    c = compare(V(target), V(actual))
    assert c.met is met, c
    assert not c.unit_mismatch


def test_compare_unrelated_labels_undecided():
    c = compare(V("规范"), V("科学"))
    assert c.met is None and not c.unit_mismatch


@pytest.mark.parametrize("target, actual", [
    ("≥3000人", "95%"),      # 人 vs %
    ("≥95%", "3100人"),
    ("≥3000人", "完成"),     # a word where a number is due
    ("≥10万元", "12个"),
    ("≥30天", "31人"),
])
def test_compare_unit_mismatch(target, actual):
    c = compare(V(target), V(actual))
    assert c.met is None
    assert c.unit_mismatch is True
    assert c.reason


def test_compare_missing_values():
    c = compare(V("≥90%"), V("/"))
    assert c.met is None and not c.unit_mismatch and "缺失" in c.reason
    c = compare(V(""), V("95%"))
    assert c.met is None and not c.unit_mismatch


def test_compare_zero_target_with_word():
    assert compare(V("0"), V("无")).met is True  # 违法违纪 0 起 / 无


def test_compare_returns_comparison_with_numbers():
    c = compare(V("≥2万人次"), V("2.3万人次"))
    assert isinstance(c, Comparison)
    assert c.op == ">=" and c.target_number == approx(20000) and c.actual_number == approx(23000)


def test_labels_equivalent_table():
    assert labels_equivalent("达成预期指标", "达成") is True
    assert labels_equivalent("健全", "较健全") is False
    assert labels_equivalent("规范", "科学") is None


# ================================================================================================
# Tier matching (incl. the negation traps)
# ================================================================================================

SOUND = parse_method("制度健全得1分，制度较健全得0.5分，无制度得0分")
EXEC = parse_method("制度已执行得1分，未充分执行得0.5分，未执行得0分")
OVERSPEND = parse_method("不超支得1分，超支得0分")
NORM = parse_method("评价为“规范”得2分，“较规范”得1分，“不规范”得0分")
PLAN = parse_method("有规划得2分，规划不完整得1分，无规划得0分")
MECH = parse_method("有机制得1分，无机制得0分")


def _tier(m: Method, actual, target=None, weight=None):
    hits = match_tier(m, actual, target, weight)
    return [m.tiers[i][0] for i in hits]


@pytest.mark.parametrize("method, actual, tier", [
    (SOUND, "健全", "制度健全"),
    (SOUND, "制度健全", "制度健全"),
    (SOUND, "较健全", "制度较健全"),       # trap: must NOT match 健全
    (SOUND, "制度较健全", "制度较健全"),
    (SOUND, "基本健全", "制度较健全"),     # 基本 is a hedge like 较
    (SOUND, "无制度", "无制度"),           # trap: must NOT match 制度健全
    (SOUND, "无", "无制度"),
    (EXEC, "执行", "制度已执行"),
    (EXEC, "已执行", "制度已执行"),
    (EXEC, "未执行", "未执行"),             # trap: must NOT match 执行 / 未充分执行
    (EXEC, "未充分执行", "未充分执行"),
    (EXEC, "否", "未执行"),
    (OVERSPEND, "不超支", "不超支"),        # trap: must NOT match 超支
    (OVERSPEND, "未超支", "不超支"),
    (OVERSPEND, "超支", "超支"),
    (NORM, "规范", "规范"),
    (NORM, "较规范", "较规范"),
    (NORM, "不规范", "不规范"),
    (NORM, "“规范”", "规范"),
    (PLAN, "有", "有规划"),
    (PLAN, "规划不完整", "规划不完整"),
    (PLAN, "无", "无规划"),
    (MECH, "有", "有机制"),
    (MECH, "无机制", "无机制"),
])
def test_tier_matching(method, actual, tier):
    assert _tier(method, actual) == [tier]


def test_tier_negation_traps_never_cross():
    assert "制度健全" not in _tier(SOUND, "较健全")
    assert "制度健全" not in _tier(SOUND, "无制度")
    assert "制度已执行" not in _tier(EXEC, "未执行")
    assert "未充分执行" not in _tier(EXEC, "未执行")
    assert "超支" not in _tier(OVERSPEND, "不超支")
    assert "不超支" not in _tier(OVERSPEND, "超支")


def test_tier_target_equivalence():
    # actual "是" names no tier; it equals the target "是", and the top tier is the full-marks tier
    assert _tier(EXEC, "是", "是", 1) == ["制度已执行"]
    assert _tier(SOUND, "是", "是", 1) == ["制度健全"]
    # top tier not the full-marks tier (weight 2, top tier 1 point): no guess
    assert _tier(parse_method("制度已执行得1分，未执行得0分，未充分执行得0.5分"), "到位", "到位", 2) == []
    # …but with weight 1 the top tier is the full-marks tier
    assert _tier(parse_method("制度已执行得1分，未执行得0分，未充分执行得0.5分"), "到位", "到位", 1) == ["制度已执行"]


def test_tier_numeric_conditions():
    m = parse_method("≥95%得2分，90%（含）-95%得1分，低于90%得0分")
    assert _tier(m, "96%") == ["≥95%"]
    assert _tier(m, "95%") == ["≥95%"]
    assert _tier(m, "92%") == ["90%-95%"]
    assert _tier(m, "90%") == ["90%-95%"]
    assert _tier(m, "89%") == ["低于90%"]


def test_tier_ambiguous_is_not_guessed():
    m = parse_method("按时完成得2分，延期完成得1分，未完成得0分")
    assert _tier(m, "完成") == []
    r = recompute(m, "按时完成", "完成", 2)
    assert r.low is None and r.reason


# ================================================================================================
# Recompute: the seed rows (copied from the seed report as literals)
# ================================================================================================

SEED_ROWS = [
    # code, method, target, actual, weight, stated score, expected (low, high)
    ("A11", "评价为“规范”得2分，“较规范”得1分，“不规范”得0分", "规范", "规范", 2, 2, (2, 2)),
    ("A13", "有机制得1分，无机制得0分", "有", "有", 1, 1, (1, 1)),
    ("A21", "有规划得2分，规划不完整得1分，无规划得0分", "有", "有", 2, 2, (2, 2)),
    ("B11", "达到90%得2分，未达到根据完成度得分", "90%", "97%", 2, 2, (2, 2)),
    ("B13", "不超支得1分，超支得0分", "不超支", "不超支", 1, 1, (1, 1)),
    ("B14", "已公开得1分，未公开得0分", "是", "是", 1, 1, (1, 1)),
    ("B21", "制度健全得1分，制度较健全得0.5分，无制度得0分", "健全", "健全", 1, 1, (1, 1)),
    ("B22", "制度已执行得1分，未充分执行得0.5分，未执行得0分", "是", "是", 1, 1, (1, 1)),
    ("B31", "制度健全得1分，制度较健全得0.5分，无制度得0分", "健全", "健全", 1, 0.5, (1, 1)),
    ("B32", "制度已执行得1分，未充分执行得0.5分，未执行得0分", "是", "是", 1, 0.5, (1, 1)),
    ("B41", "制度健全得1分，制度较健全得0.5分，无制度得0分", "健全", "健全", 1, 0.5, (1, 1)),
    ("B51", "制度健全得1分，制度较健全得0.5分，无制度得0分", "健全", "健全", 1, 0.5, (1, 1)),
    ("B52", "制度已执行得1分，未充分执行得0.5分，未执行得0分", "是", "是", 1, 0.5, (1, 1)),
    ("B61", "制度健全得1分，制度较健全得0.5分，无制度得0分", "是", "是", 1, 0.5, (1, 1)),
    ("B62", "制度已执行得1分，未充分执行得0.5分，未执行得0分", "是", "是", 1, 0.5, (1, 1)),
    ("B63", "有报告得1分，无报告得0分", "有", "有", 1, 1, (1, 1)),
    ("B71", "已建立得1分，未建立得0分", "是", "是", 1, 1, (1, 1)),
    ("B72", "科学开展得1分，未开展得0分", "科学开展", "科学开展", 1, 1, (1, 1)),
    ("C11", "达到3000人得8分，未达到根据完成度得分", "≥3000人", "3100人", 8, 8, (8, 8)),
    ("C21", "达到1份得7分，未完成不得分", "=1份", "1份", 7, 7, (7, 7)),
    ("C31", "达到2万人次得7分，未达到根据完成度得分", "≥2万人次", "2.3万人次", 7, 7, (7, 7)),
    ("C41", "达到150条得8分，未达到根据完成度得分", "≥150条", "208条", 8, 8, (8, 8)),
    ("D11", "达到95%得8分，未达到根据完成度得分", "≥95%", "99%", 8, 8, (8, 8)),
    ("D21", "达到60%得7分，未达到根据完成度得分", "≥60%", "60%", 7, 7, (7, 7)),
    ("D31", "达到150万人次得7分，未达到根据完成度得分", "≥150万人次", "180万人次", 7, 7, (7, 7)),
    ("D41", "达到15万次得8分，未达到根据完成度得分", "≥15万次", "18.2万次", 8, 8, (8, 8)),
    ("E11", "完成得2分，未完成不得分", "完成", "完成", 2, 2, (2, 2)),
    ("E21", "达到24个得3分，未达到根据完成度得分", "≥24个", "40个", 3, 3, (3, 3)),
]


@pytest.mark.parametrize("row", SEED_ROWS, ids=[r[0] for r in SEED_ROWS])
def test_seed_rows(row):
    code, method, target, actual, weight, score, (lo, hi) = row
    r = recompute(parse_method(method), V(target), V(actual), weight)
    assert (r.low, r.high) == (approx(lo), approx(hi)), (code, r)
    assert r.met is True
    assert r.reason is None
    assert r.explanation_zh and r.explanation_en


@pytest.mark.parametrize("code", ["B31", "B41", "B51", "B32", "B52", "B61", "B62"])
def test_seed_rows_contradicting_the_method(code):
    row = next(r for r in SEED_ROWS if r[0] == code)
    r = recompute(parse_method(row[1]), V(row[2]), V(row[3]), row[4])
    assert r.contains(row[5]) is False  # the unit gave 0.5, the method says 1 → MTH001
    assert r.low == 1


def test_seed_f11_bonus():
    method = "受到国务院嘉奖加3分，受到省级嘉奖加2分，得到市级考核一等奖加1分，得到市级考核二等奖加0.5分；同一项工作不累计加分"
    m = parse_method(method)
    assert m.kind == "bonus_schedule" and m.schedule == (3, 2, 1, 0.5) and m.no_double_count
    r = recompute(m, V("1项"), V("1项以上"), 5, cap=5)
    assert r.low == approx(0.5) and r.high == approx(5)
    assert r.contains(1)
    assert schedule_can_form(1, m.schedule, 5)


def test_seed_f21_discretionary():
    r = recompute(parse_method("酌情扣分"), V("0"), V("0"), 0)
    assert r.low is None and r.high is None
    assert r.kind == "discretionary"
    assert "酌情" in r.reason


# ================================================================================================
# Recompute: each kind
# ================================================================================================

def test_threshold_proportional_miss_ge():
    m = parse_method("达到3000人得8分，未达到根据完成度得分")
    r = recompute(m, V("≥3000人"), V("2700人"), 8)
    assert r.met is False
    assert r.low == approx(8 * 2699.5 / 3000) and r.high == approx(8 * 2700.5 / 3000)
    assert r.contains(7.2)


def test_threshold_proportional_miss_le():
    m = parse_method("控制在5%以内得2分，超出按比例扣分")
    r = recompute(m, V("≤5%"), V("8%"), 2)
    assert r.met is False
    assert r.contains(2 * 5 / 8, 0.005)


def test_threshold_proportional_rate_plain_number():
    m = parse_method("达到90%得2分，未达到根据完成度得分")
    r = recompute(m, V("90%"), V("81"), 2)  # "81" in a rate context = 81 %
    assert r.contains(1.8, 0.01)


def test_threshold_proportional_floor():
    m = parse_method("满意度达到90%以上得满分，未达到按比例得分，低于60%不得分")
    assert recompute(m, V("≥90%"), V("50%"), 10).high == 0
    assert recompute(m, V("≥90%"), V("72%"), 10).contains(8, 0.01)


def test_threshold_uses_target_when_method_has_no_number():
    m = parse_method("完成目标得满分，未完成按完成比例得分")
    r = recompute(m, V("≥200人"), V("150人"), 4)
    assert r.contains(3, 0.01)


def test_all_or_nothing():
    m = parse_method("达到1份得7分，未完成不得分")
    assert recompute(m, V("=1份"), V("0份"), 7).high == 0
    assert recompute(m, V("=1份"), V("2份"), 7).low == 7


def test_bare_threshold_range_on_miss():
    m = parse_method("达到95%得满分")
    r = recompute(m, V("≥95%"), V("90%"), 10)
    assert r.low == 0 and r.high == approx(10 * 0.905 / 0.95)


@pytest.mark.parametrize("actual, lo, hi", [
    ("100%", 10, 10),
    ("95%", 7.25, 7.75),        # 5 points below, 0.5 each → 2.5 off; ± the printed precision (94.5–95.5%)
    ("95.0%", 7.475, 7.525),
    ("95.5%", 7.5, 8.0),        # 4.5 points below: 2.0 (whole steps) … 2.5 (a part step counted)
    ("70%", 0, 0),              # 30 points below: floor at 0 (扣完为止)
])
def test_per_unit_deduction_pp(actual, lo, hi):
    m = parse_method("执行率达到100%得满分，每低1个百分点扣0.5分，扣完为止")
    r = recompute(m, V("100%"), V(actual), 10)
    assert r.low == approx(lo, abs_=1e-6) and r.high == approx(hi, abs_=1e-6), r


def test_per_unit_deduction_per_person_against_target():
    m = parse_method("每少1人扣0.1分")
    r = recompute(m, V("≥3000人"), V("2990人"), 5)
    assert r.contains(4.0) and r.high - r.low <= 0.1 + 1e-9
    assert not r.contains(3.0, 0.005)


def test_per_unit_deduction_above_with_cap():
    m = parse_method("每超过1%扣1分，最多扣3分")
    r = recompute(m, V("≤5%"), V("12%"), 5)
    assert r.low == approx(2) and r.high == approx(2)  # 7 points over, at most 3 off


def test_per_unit_deduction_count():
    m = parse_method("每发现一处问题扣0.5分，扣完为止")
    assert recompute(m, V("0"), V("3处"), 2).low == approx(0.5)
    assert recompute(m, V("0"), V("无"), 2).low == approx(2)


def test_qualitative_bands():
    m = parse_method("达成年度指标得分值的80%-100%，部分达成并具有一定效果得分值的60%-80%，未达成且效果较差得0-60%")
    r = recompute(m, V("达成年度指标"), V("达成年度指标"), 10)
    assert (r.low, r.high) == (approx(8), approx(10))
    r = recompute(m, V("达成年度指标"), V("部分达成"), 10)
    assert (r.low, r.high) == (approx(6), approx(8))
    r = recompute(m, V("达成年度指标"), V("未达成"), 10)
    assert (r.low, r.high) == (approx(0), approx(6))


@pytest.mark.parametrize("method", ["得分=分值×执行率", "权重*预算执行率", "20分*执行率", "预算执行率×分值"])
def test_execution_rate(method):
    m = parse_method(method)
    r = recompute(m, V("100%"), V("95.68%"), 20)
    assert r.contains(20 * 0.9568, 1e-6)
    assert recompute(m, V("100%"), V("103%"), 20).low == approx(20)  # min(rate, 100 %)


def test_execution_rate_plain_number():
    r = recompute(parse_method("得分=分值×执行率"), None, V("97"), 10)
    assert r.contains(9.7, 1e-6)


def test_bonus_schedule_labels_and_zero():
    m = parse_method("受到国务院嘉奖加3分，受到省级嘉奖加2分，得到市级考核一等奖加1分，得到市级考核二等奖加0.5分；同一项工作不累计加分")
    r = recompute(m, None, V("获得市级考核一等奖"), 5, cap=5)
    assert (r.low, r.high) == (approx(1), approx(1))
    assert recompute(m, None, V("0"), 5).high == 0
    assert recompute(m, None, V("无"), 5).high == 0


def test_discretionary_and_unknown_not_checkable():
    for text in ("酌情扣分", "视情况扣分", "分值2分"):
        r = recompute(parse_method(text), V("完成"), V("完成"), 2)
        assert r.low is None and r.high is None and r.reason


def test_default_mof():
    d = parse_method(None)
    assert d.kind == "default"
    assert recompute(d, V("≥100人"), V("120人"), 5).low == 5
    r = recompute(d, V("≥100人"), V("80人"), 5)
    assert r.contains(4, 0.01) and r.met is False
    r = recompute(d, V("≤10%"), V("20%"), 4)
    assert r.contains(2, 0.05)
    r = recompute(d, V("达成预期指标"), V("达成预期指标"), 10)
    assert (r.low, r.high) == (approx(8), approx(10))
    r = recompute(d, V("达成预期指标"), V("部分达成"), 10)
    assert (r.low, r.high) == (approx(6), approx(8))
    r = recompute(d, V("完成"), V("未完成"), 10)
    assert (r.low, r.high) == (approx(0), approx(6))
    assert recompute(d, V("完成"), V("完成"), 10, default=None).low is None


def test_unit_mismatch_in_recompute():
    r = recompute(parse_method("达到3000人得8分，未达到根据完成度得分"), V("≥3000人"), V("完成"), 8)
    assert r.low is None and r.unit_mismatch
    r = recompute(parse_method(None), V("≥3000人"), V("95%"), 8)
    assert r.low is None and r.unit_mismatch


def test_weight_problems():
    m = parse_method("达到90%得2分，未达到根据完成度得分")
    assert recompute(m, V("90%"), V("97%"), float("nan")).low is None
    assert recompute(m, V("90%"), V("97%"), None).low is None
    assert recompute(m, V("90%"), V("97%"), "2").low == 2


def test_full_points_above_weight_clamped():
    r = recompute(parse_method("达到90%得5分，未达到根据完成度得分"), V("90%"), V("97%"), 2)
    assert r.high == 2


def test_recompute_accepts_strings_and_row_fast_path():
    a = recompute("达到90%得2分，未达到根据完成度得分", "90%", "97%", 2)
    b = recompute_row("达到90%得2分，未达到根据完成度得分", "90%", "97%", 2.0)
    assert a.low == b.low == 2
    assert isinstance(b, Recomputed)


# ================================================================================================
# Bonus schedule formability (SCR008)
# ================================================================================================

@pytest.mark.parametrize("score, ok", [
    (0, True), (0.5, True), (1, True), (1.5, True), (2, True), (3, True), (3.5, True), (5, True),
    (0.3, False), (1.2, False), (5.5, False), (-1, False), (float("nan"), False),
])
def test_schedule_can_form(score, ok):
    assert schedule_can_form(score, (3, 2, 1, 0.5), 5) is ok


def test_schedule_can_form_distinct_and_no_cap():
    assert schedule_can_form(6, (3, 2, 1), None) is True
    assert schedule_can_form(6, (3, 2, 1), 5) is False
    assert schedule_can_form(4, (3,), None) is False
    assert schedule_can_form(6, (3,), None) is True
    assert schedule_can_form(6, (3,), None, distinct=True) is False
    assert schedule_can_form(2, (), 5) is False


# ================================================================================================
# Human readings
# ================================================================================================

def test_describe_examples():
    assert describe(parse_method("制度健全得1分，制度较健全得0.5分，无制度得0分")) == \
        "分档评分：制度健全=1分；制度较健全=0.5分；无制度=0分"
    assert "proportional" in describe(parse_method("达到90%得2分，未达到根据完成度得分"), "en")
    assert "min" in describe(parse_method("20分*执行率"), "en")
    assert "不累计" in describe(parse_method(
        "受到国务院嘉奖加3分，受到省级嘉奖加2分；同一项工作不累计加分"))


def test_explain_full():
    out = explain("制度健全得1分，制度较健全得0.5分，无制度得0分", target="健全", actual="健全", weight=1)
    assert "tiers" in out and "制度健全" in out and "应得 1 分" in out
    out = explain("达到3000人得8分，未达到根据完成度得分", target="≥3000人", actual="2700人", weight="8", lang="en")
    assert "threshold_proportional" in out and "expected" in out
    assert "酌情" in explain("酌情扣分")


# ================================================================================================
# Properties: whatever the inputs, low/high stay inside [0, weight]
# ================================================================================================

METHOD_TEXTS = [e["text"] for e in CORPUS] + [None, "", "得分=分值×执行率"]
TARGETS = ["≥3000人", "=1份", "≥2万人次", "90%", "≥60%", "≤5%", "5%以内", "规范", "健全", "是", "有",
           "完成", "不超支", "达成预期指标", "0", "/", "", "≥24个", "不少于12种", "≥100%", "≤30天"]
ACTUAL_WORDS = ["规范", "较规范", "不规范", "健全", "较健全", "无制度", "是", "否", "有", "无", "完成",
                "未完成", "部分完成", "不超支", "超支", "达成", "部分达成", "未达成", "/", "", "1项以上",
                "获得市级考核一等奖", "IO", "88.5.1", "——", "科学开展", "按时完成"]


@st.composite
def actuals(draw):
    kind = draw(st.sampled_from(["word", "number", "percent", "unit"]))
    if kind == "word":
        return draw(st.sampled_from(ACTUAL_WORDS))
    x = draw(st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False))
    if kind == "number":
        return f"{x:.{draw(st.integers(0, 3))}f}"
    if kind == "percent":
        return f"{draw(st.floats(min_value=0, max_value=300)):.{draw(st.integers(0, 2))}f}%"
    return f"{x:.{draw(st.integers(0, 2))}f}{draw(st.sampled_from(['人', '人次', '万人次', '份', '个', '条', '天', '元', '万元', '处']))}"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=st.sampled_from(METHOD_TEXTS),
    target=st.one_of(st.sampled_from(TARGETS), st.none()),
    actual=actuals(),
    weight=st.one_of(st.floats(min_value=0, max_value=100, allow_nan=False, allow_infinity=False),
                     st.sampled_from([0.0, 0.5, 1.0, 2.0, 7.0, 8.0, 10.0, 20.0])),
    operator=st.sampled_from([None, "≥", "≤", "=", ">", "<", "定性"]),
)
def test_property_range_within_weight(method, target, actual, weight, operator):
    r = recompute(parse_method(method), target, actual, weight, operator=operator)
    assert r.kind in KINDS
    if r.low is None:
        assert r.high is None and r.reason
    else:
        assert r.high is not None and r.reason is None
        assert -1e-12 <= r.low <= r.high <= weight + 1e-12, r
        assert math.isfinite(r.low) and math.isfinite(r.high)
    assert isinstance(r.explanation_zh, str) and isinstance(r.explanation_en, str)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=60))
def test_property_parse_never_raises(text):
    m = parse_method(text)
    assert m.kind in KINDS
    r = recompute(m, "≥90%", "95%", 5)
    assert r.low is None or 0 <= r.low <= r.high <= 5


@settings(max_examples=200, deadline=None)
@given(score=st.floats(min_value=-2, max_value=8, allow_nan=False),
       sched=st.lists(st.sampled_from([3, 2, 1, 0.5]), min_size=1, max_size=4, unique=True))
def test_property_schedule_formable_means_sum(score, sched):
    if schedule_can_form(score, sched, 5):
        assert -1e-6 <= score <= 5 + 1e-6
        assert abs(score * 2 - round(score * 2)) < 1e-5  # only halves can be formed from these values


# ================================================================================================
# More layouts seen in real tables
# ================================================================================================

def test_mixed_label_and_numeric_tiers():
    m = parse_method("全部完成得满分，完成80%以上得3分，完成80%以下不得分")
    assert recompute(m, "100%", "100%", 5).low == 5       # 100 % is 全部完成, not just "80%以上"
    assert recompute(m, "100%", "90%", 5).low == 3
    assert recompute(m, "100%", "80%", 5).low == 3        # 以上 includes the boundary
    assert recompute(m, "100%", "70%", 5).high == 0
    assert recompute(m, "100%", "全部完成", 5).low == 5


def test_numeric_tiers_with_subject_and_double_inequality():
    m = parse_method("完成率≥95%，得满分；85%≤完成率<95%，得3分；完成率<85%，不得分")
    assert [recompute(m, "≥95%", a, 5).low for a in ("96%", "95%", "90%", "85%", "84%")] == [5, 5, 3, 3, 0]


def test_per_event_deduction_without_verb():
    m = parse_method("发生违法违纪行为的，每起扣1分")
    r = recompute(m, "0", "2起", 3)
    assert (r.low, r.high) == (1, 1)
    assert recompute(m, "0", "0", 3).low == 3


def test_compare_accepts_strings_in_rate_context():
    assert compare("90%", "97").met is True
    assert compare("90%", "85").met is False
    assert compare("≥3000人", "3100人").met is True


def test_open_tier_range():
    m = parse_method("完成得2分，部分完成酌情得分，未完成不得分")
    r = recompute(m, "完成", "部分完成", 2)
    assert (r.low, r.high) == (0, 2)
    assert recompute(m, "完成", "完成", 2).low == 2


def test_share_tiers():
    m = parse_method("满意度≥90%得满分，80%-90%得一半分值，低于80%不得分")
    assert recompute(m, "≥90%", "85%", 4).low == approx(2)
    assert recompute(m, "≥90%", "92%", 4).low == approx(4)
    assert recompute(m, "≥90%", "70%", 4).high == 0


def test_schedule_can_form_infinite_cap_and_odd_inputs():
    assert schedule_can_form(1.0, (3, 2, 1, 0.5), math.inf) is True
    assert schedule_can_form(1.3, (3, 2, 1, 0.5), math.inf) is False
    assert schedule_can_form(1, [3, 2, 1, 0.5], 5.0) is True
    assert schedule_can_form(1, None, 5) is False
    assert schedule_can_form("1", (1,), 5) is True
    assert schedule_can_form("x", (1,), 5) is False


def test_empty_cells_mean_no_method():
    for empty in (None, float("nan"), "", "  ", "/", "—", "无"):
        assert parse_method(empty).kind == "default", empty


def test_unit_column_applies_to_bare_numbers():
    c = compare("≥3000", "95%", unit="人")          # MTH005 through the 度量单位 column
    assert c.met is None and c.unit_mismatch
    c = compare("50", "60", unit="万元")
    assert c.met is True and c.target_number == approx(500000)
    r = recompute(None, "≥3000", "2700", 8, unit="人")
    assert r.contains(7.2)


def test_normalize_operator():
    from budget_audit.parse.methods import normalize_operator

    assert [normalize_operator(x) for x in ("≥", "≧", ">=", "大于等于", "≤", "＝", "=", "<", None, float("nan"))] == \
        [">=", ">=", ">=", ">=", "<=", "=", "=", "<", None, None]


def test_met_only_within_printed_precision_accepts_full_or_proportional():
    """"26万次" against ≥26.3万次 is met only at the edge of its rounding: 5 and the proportional 4.94 both fit."""
    from budget_audit.parse.methods import recompute_row

    r = recompute_row("达到26.3万次得5分，未达到根据完成度得分", "≥26.3万次", "26万次", 5)
    assert r.low == pytest.approx(5 * 25.5 / 26.3) and r.high == 5
    assert r.low <= 5 * 26 / 26.3 <= r.high
    exact = recompute_row("达到60%得7分，未达到根据完成度得分", "≥60%", "60%", 7)
    assert (exact.low, exact.high) == (7, 7)
    missed = recompute_row("达到1份得7分，未完成不得分", "=1份", "0份", 7)
    assert (missed.low, missed.high) == (0, 0)
