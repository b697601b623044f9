"""Table-driven tests for budget_audit.parse.values (printed cell text -> typed Value)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budget_audit.parse.values import (
    OPERATORS,
    PLACEHOLDERS,
    Value,
    clean_text,
    decimals_tol,
    is_placeholder,
    parse_points,
    parse_unit,
    parse_value,
    split_code_name,
    split_label_points,
)

NAN = float("nan")


def check(v: Value, kind, number=None, tol=None, op=None, unit=None, percent=False):
    assert v.kind == kind, v
    if number is None:
        assert v.number is None, v
    else:
        assert v.number == pytest.approx(number, rel=1e-12, abs=1e-12), v
    if tol is None:
        assert v.tol is None, v
    else:
        assert v.tol == pytest.approx(tol, rel=1e-9), v
    assert v.op == op, v
    assert v.unit == unit, v
    assert v.percent is percent, v


# (input, percent_context, kind, number, tol, op, unit, percent)
NUMBER_CASES = [
    # rates
    ("97%", False, "number", 0.97, 0.005, None, "%", True),
    ("97 %", False, "number", 0.97, 0.005, None, "%", True),
    ("97.00%", False, "number", 0.97, 0.00005, None, "%", True),
    ("97.5%", False, "number", 0.975, 0.0005, None, "%", True),
    ("0.97", False, "number", 0.97, 0.005, None, None, False),
    ("97", True, "number", 0.97, 0.005, None, "%", True),
    ("97.68", True, "number", 0.9768, 0.00005, None, "%", True),
    ("1", True, "number", 1.0, 0.005, None, "%", True),
    ("0.97", True, "number", 0.97, 0.005, None, "%", True),
    ("0.9568", True, "number", 0.9568, 0.00005, None, "%", True),
    ("97%", True, "number", 0.97, 0.005, None, "%", True),
    ("0.0900000762939453", False, "number", 0.09, 0.005, None, None, False),
    ("0.0900000762939453", True, "number", 0.09, 0.005, None, "%", True),
    ("９７％", False, "number", 0.97, 0.005, None, "%", True),
    ("１００％", False, "number", 1.0, 0.005, None, "%", True),
    ("100百分比", False, "number", 1.0, 0.005, None, "%", True),
    ("95%以上", False, "number", 0.95, 0.005, ">=", "%", True),
    ("≥100百分比", False, "number", 1.0, 0.005, ">=", "%", True),
    ("不低于90%", False, "number", 0.90, 0.005, ">=", "%", True),
    ("不超过5%", False, "number", 0.05, 0.005, "<=", "%", True),
    ("5%以内", False, "number", 0.05, 0.005, "<=", "%", True),
    ("≥90%（含）", False, "number", 0.90, 0.005, ">=", "%", True),
    ("百分之九十五", False, "number", 0.95, 0.005, None, "%", True),
    # signs and separators
    ("＋5", False, "number", 5.0, 0.5, None, None, False),
    ("－3", False, "number", -3.0, 0.5, None, None, False),
    ("−3", False, "number", -3.0, 0.5, None, None, False),
    ("-0.5", False, "number", -0.5, 0.05, None, None, False),
    ("1,234.5", False, "number", 1234.5, 0.05, None, None, False),
    ("1，234.5", False, "number", 1234.5, 0.05, None, None, False),
    ("2972.43", False, "number", 2972.43, 0.005, None, None, False),
    ("7280.19", False, "number", 7280.19, 0.005, None, None, False),
    ("16.5", False, "number", 16.5, 0.05, None, None, False),
    ("1468", False, "number", 1468.0, 0.5, None, None, False),
    ("0", False, "number", 0.0, 0.5, None, None, False),
    (" 12 ", False, "number", 12.0, 0.5, None, None, False),
    # units glued, 万/亿 folded
    ("3100人", False, "number", 3100.0, 0.5, None, "人", False),
    ("2.3万人次", False, "number", 23000.0, 500.0, None, "人次", False),
    ("18.2万次", False, "number", 182000.0, 500.0, None, "次", False),
    ("300万元", False, "number", 3_000_000.0, 5000.0, None, "元", False),
    ("1.2亿元", False, "number", 120_000_000.0, 5_000_000.0, None, "元", False),
    ("2.3萬人次", False, "number", 23000.0, 500.0, None, "人次", False),
    ("≥24个", False, "number", 24.0, 0.5, ">=", "个", False),
    ("不少于12种", False, "number", 12.0, 0.5, ">=", "种", False),
    ("≥266米", False, "number", 266.0, 0.5, ">=", "米", False),
    ("1项以上", False, "number", 1.0, 0.5, ">=", "项", False),
    ("5次/年", False, "number", 5.0, 0.5, None, "次/年", False),
    ("0起", False, "number", 0.0, 0.5, None, "起", False),
    ("97%", False, "number", 0.97, 0.005, None, "%", True),
    ("3100人", True, "number", 3100.0, 0.5, None, "人", False),  # a unit beats percent context
    # operators in all glyphs and words
    ("=1份", False, "number", 1.0, 0.5, "=", "份", False),
    ("＝1份", False, "number", 1.0, 0.5, "=", "份", False),
    ("═1份", False, "number", 1.0, 0.5, "=", "份", False),
    ("﹦1份", False, "number", 1.0, 0.5, "=", "份", False),
    ("≧3000人", False, "number", 3000.0, 0.5, ">=", "人", False),
    ("≥ 3000人次", False, "number", 3000.0, 0.5, ">=", "人次", False),
    ("＞=3000", False, "number", 3000.0, 0.5, ">=", None, False),
    (">=3000", False, "number", 3000.0, 0.5, ">=", None, False),
    ("≦5", False, "number", 5.0, 0.5, "<=", None, False),
    ("<=5", False, "number", 5.0, 0.5, "<=", None, False),
    ("≤5%", False, "number", 0.05, 0.005, "<=", "%", True),
    ("大于0", False, "number", 0.0, 0.5, ">", None, False),
    ("小于3", False, "number", 3.0, 0.5, "<", None, False),
    ("低于5%", False, "number", 0.05, 0.005, "<", "%", True),
    ("高于80%", False, "number", 0.80, 0.005, ">", "%", True),
    (">0", False, "number", 0.0, 0.5, ">", None, False),
    ("＜3", False, "number", 3.0, 0.5, "<", None, False),
    # Chinese numerals
    ("两分", False, "number", 2.0, 0.5, None, "分", False),
    ("十个", False, "number", 10.0, 0.5, None, "个", False),
    ("三", False, "number", 3.0, 0.5, None, None, False),
    ("十二", False, "number", 12.0, 0.5, None, None, False),
    ("二十", False, "number", 20.0, 0.5, None, None, False),
    ("一百", False, "number", 100.0, 0.5, None, None, False),
    ("一百零五", False, "number", 105.0, 0.5, None, None, False),
    ("两千三百人", False, "number", 2300.0, 0.5, None, "人", False),
    ("不少于三场", False, "number", 3.0, 0.5, ">=", "场", False),
]


@pytest.mark.parametrize(
    "text,pct,kind,number,tol,op,unit,percent", NUMBER_CASES, ids=[f"{c[0]}|{c[1]}" for c in NUMBER_CASES]
)
def test_parse_value_numbers(text, pct, kind, number, tol, op, unit, percent):
    v = parse_value(text, percent=pct)
    check(v, kind, number, tol, op, unit, percent)
    assert v.raw == text
    assert v.label is None


# Python numbers from spreadsheet cells: precision unknown -> exact at 2 decimals
FLOAT_CASES = [
    (2972.43, False, 2972.43, 0.005, None, False),
    (2, False, 2.0, 0.005, None, False),
    (0, False, 0.0, 0.005, None, False),
    (-1.5, False, -1.5, 0.005, None, False),
    (0.0900000762939453, False, 0.09, 0.005, None, False),
    (2972.4300000000003, False, 2972.43, 0.005, None, False),
    (0.97, True, 0.97, 0.005, "%", True),
    (97.0, True, 0.97, 0.00005, "%", True),
    (97, True, 0.97, 0.00005, "%", True),
    (1, True, 1.0, 0.005, "%", True),
    (1.0, True, 1.0, 0.005, "%", True),
    (96.99999999999999, True, 0.97, 0.00005, "%", True),
]


@pytest.mark.parametrize("x,pct,number,tol,unit,percent", FLOAT_CASES, ids=[f"{c[0]!r}|{c[1]}" for c in FLOAT_CASES])
def test_parse_value_python_numbers(x, pct, number, tol, unit, percent):
    v = parse_value(x, percent=pct)
    check(v, "number", number, tol, None, unit, percent)
    assert v.raw == str(x)


MISSING_CASES = ["", "   ", "/", "-", "—", "——", "……", "...", "无", "不适用", "N/A", "n/a", "null",
                 "－", "一", "\u3000"]


@pytest.mark.parametrize("text", MISSING_CASES)
def test_parse_value_placeholders(text):
    v = parse_value(text)
    check(v, "missing")
    assert v.raw == text
    assert v.label == clean_text(text)
    assert is_placeholder(text)


@pytest.mark.parametrize("x", [None, NAN])
def test_parse_value_none_nan_missing(x):
    v = parse_value(x)
    check(v, "missing")
    assert v.raw is None
    assert v.label == ""


LABEL_CASES = ["达成预期指标", "效果明显", "有效", "高", "好", "是", "否", "完成", "规范", "较规范",
               "健全", "较健全", "不超支", "科学开展", "有", "优", "十分满意", "一般",
               "2023年12月底前完成", "√"]


@pytest.mark.parametrize("text", LABEL_CASES)
def test_parse_value_labels(text):
    v = parse_value(text)
    check(v, "label")
    assert v.label == text
    assert v.raw == text


@pytest.mark.parametrize(
    "text,label",
    [("達成預期指標", "达成预期指标"), ("效果顯著", "效果显著"), ("較規範", "较规范"), ("健 全", "健全")],
)
def test_parse_value_labels_cleaned(text, label):
    v = parse_value(text)
    assert v.kind == "label" and v.label == label and v.raw == text


INVALID_CASES = ["IO", "88.5.1", "1O0", "abc%", "12..5", "inf", "nan", "NaN", "-inf", "Infinity",
                 "1e5", "l00%", "IO分", "88.5.1分", "1,23", "97.", "90%-100%", "1" * 400]


@pytest.mark.parametrize("text", INVALID_CASES, ids=[t[:20] for t in INVALID_CASES])
def test_parse_value_invalid(text):
    v = parse_value(text)
    check(v, "invalid")
    assert v.raw == text


@pytest.mark.parametrize("x", [float("inf"), float("-inf"), True, 10**400])
def test_parse_value_invalid_python(x):
    check(parse_value(x), "invalid")


@pytest.mark.parametrize(
    "text,op,unit,percent",
    [("≥", ">=", None, False), ("≦", "<=", None, False), ("＝", "=", None, False),
     ("以上", ">=", None, False), ("人次", None, "人次", False), ("%", None, "%", True),
     ("万元", None, "元", False)],
)
def test_parse_value_operator_or_unit_only(text, op, unit, percent):
    v = parse_value(text)
    check(v, "label", None, None, op, unit, percent)


def test_parse_value_is_cached_and_stable():
    a = parse_value("2.3万人次")
    b = parse_value("2.3万人次")
    assert a == b and a is b
    assert parse_value("97", percent=True) != parse_value("97")


def test_tables_are_data():
    assert OPERATORS["≥"] == ">=" and OPERATORS["≧"] == ">=" and OPERATORS["═"] == "="
    assert OPERATORS["不少于"] == ">=" and OPERATORS["以内"] == "<=" and OPERATORS["低于"] == "<"
    assert set(OPERATORS.values()) == {"=", ">=", "<=", ">", "<"}
    for p in ("", "/", "-", "—", "——", "……", "无", "不适用", "N/A", "null"):
        assert p in PLACEHOLDERS


# ------------------------------------------------------------------------------------ points

@pytest.mark.parametrize(
    "x,number,op",
    [("30", 30.0, None), ("30分", 30.0, None), ("≤5", 5.0, "<="), ("≤5分", 5.0, "<="),
     ("1 分", 1.0, None), ("两分", 2.0, None), ("0.5分", 0.5, None), ("-2分", -2.0, None),
     ("5分以内", 5.0, "<=")],
)
def test_parse_points(x, number, op):
    v = parse_points(x)
    assert v.kind == "number"
    assert v.number == pytest.approx(number)
    assert v.op == op and v.unit == "分" and v.percent is False


def test_parse_points_python_number():
    v = parse_points(30)
    assert v.kind == "number" and v.number == 30.0 and v.unit == "分"


@pytest.mark.parametrize("x,kind", [("5%", "invalid"), ("30人", "invalid"), ("IO", "invalid"),
                                    ("/", "missing"), (None, "missing")])
def test_parse_points_not_points(x, kind):
    v = parse_points(x)
    assert v.kind == kind and v.number is None


# ------------------------------------------------------------------------------------ codes

@pytest.mark.parametrize(
    "text,expected",
    [
        ("A11决策制度的规范性", ("A11", "决策制度的规范性")),
        ("★C11 教学助手使用量", ("C11", "教学助手使用量")),
        ("产出指标", (None, "产出指标")),
        ("A部门决策", ("A", "部门决策")),
        ("F1加分项", ("F1", "加分项")),
        ("一、产出指标", (None, "产出指标")),
        ("（一）产出指标", (None, "产出指标")),
        ("1.数量指标", (None, "数量指标")),
        ("1.1数量指标", (None, "数量指标")),
        ("Ａ１１ 决策", ("A11", "决策")),
        ("a11决策", ("A11", "决策")),
        ("A11、决策", ("A11", "决策")),
        ("APP使用率", (None, "APP使用率")),
        ("A级景区数量", (None, "A级景区数量")),
        ("e政务平台", (None, "e政务平台")),
        ("B3 制度執行有效性", ("B3", "制度执行有效性")),
        ("", (None, "")),
        (None, (None, "")),
    ],
)
def test_split_code_name(text, expected):
    assert split_code_name(text) == expected


@pytest.mark.parametrize(
    "text,label,number,op",
    [
        ("C部门履职（30分）", "C部门履职", 30.0, None),
        ("A部门决策（1 分）", "A部门决策", 1.0, None),
        ("B部门管理（2 分）", "B部门管理", 2.0, None),
        ("F加减分项（≤5分）", "F加减分项", 5.0, "<="),
        ("产出指标(50分)", "产出指标", 50.0, None),
        ("满意度指标【10分】", "满意度指标", 10.0, None),
        ("得分(20分*执行率)", "得分", None, None),
        ("部门决策", "部门决策", None, None),
        ("项目(含二级)", "项目(含二级)", None, None),
        ("產出指標（50分）", "产出指标", 50.0, None),
    ],
)
def test_split_label_points(text, label, number, op):
    got_label, v = split_label_points(text)
    assert got_label == label
    if number is None:
        assert v is None
    else:
        assert v is not None and v.kind == "number"
        assert v.number == pytest.approx(number) and v.op == op and v.unit == "分"


# ------------------------------------------------------------------------------------ helpers

@pytest.mark.parametrize(
    "x,expected",
    [(" 項目\n指標 ", "项目指标"), (None, ""), (NAN, ""), ("\ufeffＡ１１\u3000決策", "A11决策"),
     ("權重 分值", "权重分值"), ("預算執行率", "预算执行率"), ("實際完成值", "实际完成值"),
     ("結餘", "结余"), ("總計", "总计"), ("評價說明", "评价说明"), ("９７％", "97%"), (12, "12")],
)
def test_clean_text(x, expected):
    assert clean_text(x) == expected


@pytest.mark.parametrize(
    "text,expected",
    [("97.00", 0.005), ("97", 0.5), ("16.5", 0.05), ("7280.19", 0.005), ("1,468", 0.5),
     ("97.00%", 0.005), ("-3.25", 0.005)],
)
def test_decimals_tol(text, expected):
    assert decimals_tol(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["abc", "", "1.2.3"])
def test_decimals_tol_rejects(text):
    with pytest.raises(ValueError):
        decimals_tol(text)


@pytest.mark.parametrize("text", ["完成", "0", "IO", "一百"])
def test_is_placeholder_false(text):
    assert not is_placeholder(text)


@pytest.mark.parametrize(
    "text,expected", [("万元", ("元", 4)), ("%", ("%", -2)), ("人次", ("人次", 0)), ("亿元", ("元", 8)),
                      ("xyz", (None, 0))]
)
def test_parse_unit(text, expected):
    assert parse_unit(text) == expected


# ------------------------------------------------------------------------------------ properties

_interesting = st.sampled_from(list("0123456789.,%％万亿元人次分≥≤=<>＝═﹦≧≦+-−－一二两十百千 　OIl/—…"))
_texts = st.one_of(
    st.text(max_size=30),
    st.lists(_interesting, max_size=12).map("".join),
    st.lists(st.one_of(_interesting, st.characters()), max_size=12).map("".join),
)


def _sane(v: Value):
    assert isinstance(v, Value)
    assert v.kind in ("missing", "number", "label", "invalid")
    if v.kind == "number":
        assert v.number is not None and math.isfinite(v.number)
        assert v.tol is not None and math.isfinite(v.tol) and v.tol > 0
    else:
        assert v.number is None and v.tol is None
    assert v.op in (None, "=", ">=", "<=", ">", "<")


@settings(max_examples=600, deadline=None)
@given(_texts, st.booleans())
def test_property_text_never_raises(text, pct):
    _sane(parse_value(text, percent=pct))
    _sane(parse_points(text))
    split_code_name(text)
    lbl, pv = split_label_points(text)
    assert isinstance(lbl, str) and (pv is None or pv.kind == "number")
    is_placeholder(text)
    clean_text(text)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers()), st.booleans())
def test_property_numbers_never_raise(x, pct):
    v = parse_value(x, percent=pct)
    _sane(v)
    if isinstance(x, float) and math.isnan(x):
        assert v.kind == "missing"
    elif isinstance(x, float) and math.isinf(x):
        assert v.kind == "invalid"


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=-10**9, max_value=10**9, places=3, allow_nan=False))
def test_property_plain_decimal_text_roundtrips(d):
    text = str(d)
    v = parse_value(text)
    assert v.kind == "number"
    assert v.number == pytest.approx(float(d), abs=1e-9)
    assert abs(v.number - float(d)) <= v.tol


def test_parse_value_other_numeric_types():
    from decimal import Decimal

    class F(float):
        pass

    check(parse_value(Decimal("2972.43")), "number", 2972.43, 0.005)
    check(parse_value(Decimal("NaN")), "missing")
    check(parse_value(F(97.0), percent=True), "number", 0.97, 0.00005, None, "%", True)
    assert parse_value(-0.0).raw == "-0.0" and parse_value(0.0).raw == "0.0"
    assert parse_value(-0.0).number == 0.0


# ---- numbers are never guessed (issue 10) ---------------------------------------------------------

@pytest.mark.parametrize("text,number", [
    ("三千五", 3500), ("两百五", 250), ("一万二", 12000), ("三万五千", 35000), ("十二万零五百", 120500),
    ("三千零五", 3005), ("一百零五", 105), ("十五", 15), ("五十五", 55), ("三千五百", 3500),
])
def test_colloquial_chinese_numerals(text, number):
    v = parse_value(text)
    assert v.kind == "number" and v.number == number, v


@pytest.mark.parametrize("text", ["90 95", "90\n95", "90\u300095", "10²", "10³", "①", "⑩分", "一万五十", "1 000"])
def test_text_that_is_not_one_number_is_invalid(text):
    assert parse_value(text).kind == "invalid"


def test_rate_text_has_one_rule_at_one():
    """In a rate column typed text ≤ 1 is a fraction, above 1 percent points: no jump at 1.5."""
    assert parse_value("1", percent=True).number == pytest.approx(1.0)
    assert parse_value("0.97", percent=True).number == pytest.approx(0.97)
    assert parse_value("1.5", percent=True).number == pytest.approx(0.015)
    assert parse_value("1.6", percent=True).number == pytest.approx(0.016)
    assert parse_value("97", percent=True).number == pytest.approx(0.97)


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=1.0001, max_value=1000, allow_nan=False).map(lambda x: f"{x:.2f}"))
def test_property_rate_text_above_one_is_points(text):
    v = parse_value(text, percent=True)
    if float(text) > 1:
        assert v.number == pytest.approx(float(text) / 100)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=9999), st.integers(min_value=0, max_value=9999))
def test_property_space_between_numbers_is_never_one_number(a, b):
    assert parse_value(f"{a} {b}").kind == "invalid"
    assert parse_value(f"{a}\n{b}").kind == "invalid"


_CN = "零一二三四五六七八九"


def _cn_of(n: int) -> str:
    """The standard (non-colloquial) writing of 1..9999."""
    out, zero = "", False
    for unit, ch in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, unit)
        if d:
            if zero:
                out += "零"
            out += _CN[d] + ch
            zero = False
        elif out:
            zero = True
    return out


@settings(max_examples=400, deadline=None)
@given(st.integers(min_value=2, max_value=9999))      # a lone 一 is an IME dash (a placeholder)
def test_property_standard_chinese_numerals_read_exactly(n):
    text = _cn_of(n)
    v = parse_value(text)
    assert v.kind == "number" and v.number == n, (text, v)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=9), st.sampled_from([("百", 100), ("千", 1000)]), st.integers(1, 9))
def test_property_colloquial_digit_after_hundred_or_thousand(a, unit, b):
    ch, u = unit
    assert parse_value(f"{_CN[a]}{ch}{_CN[b]}").number == a * u + b * u // 10
