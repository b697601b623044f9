"""评分办法 (scoring method): read the free-text method of an indicator and recompute its score.

Three layers, each usable on its own:

* `parse_method(text) -> Method` — a table-driven reader. `_PATTERNS` is a list of
  ``(kind, compiled regex, builder)`` entries tried in order; the first entry whose regex matches
  and whose builder accepts the text wins. Nothing about one method style is hidden in an
  if-chain: to teach the reader a new phrasing, add a row (or widen a regex) and a corpus entry in
  ``tests/method_corpus.yaml``.
* `compare(target, actual, operator) -> Comparison` — does the actual value meet the target?
  (operators, units and scales, qualitative labels, printed-precision tolerance; MTH005).
* `recompute(method, target, actual, weight) -> Recomputed` — the range of scores the method
  allows (a point, a band, or "not checkable" with a reason). Always inside ``[0, weight]``.

Plus `describe` (one-line reading of a parsed method), `explain` (the full printable explanation
behind ``budget-audit explain-method``), `schedule_can_form` (SCR008) and `recompute_row` (the
cached fast path taking the strings exactly as printed; 400k rows run in well under 2 s).

Everything is pure and cached; no function raises on messy input.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from .values import Value, clean_text, parse_unit, parse_value

__all__ = [
    "Method", "Comparison", "Recomputed", "KINDS", "CHECKABLE_KINDS",
    "parse_method", "compare", "recompute", "recompute_row", "match_tier", "labels_equivalent",
    "schedule_can_form", "describe", "explain", "normalize_method_text", "normalize_operator", "DEFAULT_BANDS",
]

EPS = 1e-9

#: every kind `parse_method` can return
KINDS = (
    "tiers", "threshold_proportional", "all_or_nothing", "threshold", "per_unit_deduction",
    "qualitative_bands", "execution_rate", "bonus_schedule", "discretionary", "default", "unknown",
)
#: kinds whose score can be recomputed (given a usable actual value)
CHECKABLE_KINDS = frozenset(KINDS) - {"discretionary", "unknown"}

#: MOF default bands for qualitative indicators: 达成 80–100 %, 部分达成 60–80 %, 未达成 0–60 %
DEFAULT_BANDS: tuple[tuple[str, float, float], ...] = (
    ("达成", 0.8, 1.0), ("部分达成", 0.6, 0.8), ("未达成", 0.0, 0.6))


# ================================================================================================
# Data types
# ================================================================================================

@dataclass(frozen=True, slots=True)
class Method:
    """A parsed 评分办法.

    kind            one of `KINDS`
    text            the method text as given (None → "")
    tiers           ((label, points), …) for `tiers`; points None = a share of the weight (see
                    tier_shares: 1.0 for "得满分", 0.5 for "得一半分值"; share None = an open,
                    discretionary tier "部分完成酌情得分")
    tier_shares     one entry per tier (None when the tier has fixed points)
    threshold       the threshold printed in the method ("达到90%" → Value 0.9, op '>='); None
                    when the method refers to the target ("完成目标得满分")
    full_points     points for meeting the threshold / base of a deduction ("得8分"); None = weight
    deduction       (per, step_points) for `per_unit_deduction`: every `per` (in the actual's base
                    units: 1 个百分点 = 0.01) of shortfall costs `step_points`
    direction       per_unit_deduction: 'below' | 'above' | 'late' | 'count'
    per_unit        per_unit_deduction: the unit of `per` as printed ('%' for 个百分点, '人', '天', '处' …)
    bands           ((label, low share, high share), …) for `qualitative_bands`
    schedule        bonus values in printed order ((3, 2, 1, 0.5) for the seed's F11)
    schedule_labels the honour each schedule value is for
    cap             bonus cap ("最高加5分"), or the most a deduction may take ("最多扣3分")
    no_double_count "同一项工作不累计加分"
    repeatable      "每获得一项…加1分" (a per-item bonus)
    exhaust         "扣完为止" (deductions floor at 0 — always applied anyway)
    zero_below      "低于60%不得分" floor of a proportional / deduction method
    fallback        threshold kinds: 'proportional' | 'zero' | 'unspecified' | 'discretionary'
    reason          why the method is not machine-checkable (discretionary / unknown), Chinese
    """

    kind: str
    text: str = ""
    tiers: tuple[tuple[str, float | None], ...] = ()
    tier_shares: tuple[float | None, ...] = ()
    threshold: Value | None = None
    full_points: float | None = None
    deduction: tuple[float, float] | None = None
    direction: str | None = None
    per_unit: str | None = None
    bands: tuple[tuple[str, float, float], ...] = ()
    schedule: tuple[float, ...] = ()
    schedule_labels: tuple[str, ...] = ()
    cap: float | None = None
    no_double_count: bool = False
    repeatable: bool = False
    exhaust: bool = False
    zero_below: Value | None = None
    fallback: str | None = None
    reason: str | None = None
    _hash: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:  # hash once: Method is a cache key on the 400k-row path
        object.__setattr__(self, "_hash", hash((
            self.kind, self.text, self.tiers, self.tier_shares, self.threshold, self.full_points,
            self.deduction, self.direction, self.bands, self.schedule, self.cap,
            self.no_double_count, self.repeatable, self.zero_below, self.fallback)))

    def __hash__(self) -> int:
        return self._hash

    @property
    def checkable(self) -> bool:
        return self.kind in CHECKABLE_KINDS


@dataclass(frozen=True, slots=True)
class Comparison:
    """Result of comparing an actual value with its target.

    met            True / False, or None when it cannot be decided (missing value, unit
                   mismatch, unrelated labels)
    reason         why met is None (Chinese), or a note
    unit_mismatch  incompatible units or a word where a number is due (MTH005)
    op             the operator used
    target_number, actual_number, actual_tol   the aligned numbers (same unit and scale) when both
                   sides are numeric
    """

    met: bool | None
    reason: str | None = None
    unit_mismatch: bool = False
    op: str | None = None
    target_number: float | None = None
    actual_number: float | None = None
    actual_tol: float = 0.0


@dataclass(frozen=True, slots=True)
class Recomputed:
    """The score range a method allows.

    low, high        acceptable scores (low == high for a point); None when not checkable
    kind             method kind used ('default' when the profile default applied)
    reason           why not checkable (Chinese), None when checkable
    met              whether the actual meets the target (None = undecided)
    explanation_zh / explanation_en   one-paragraph human explanation
    matched          the tier / band label the actual fell into, if any
    unit_mismatch    target and actual have incompatible units (MTH005)
    """

    low: float | None
    high: float | None
    kind: str
    reason: str | None
    met: bool | None
    explanation_zh: str
    explanation_en: str
    matched: str | None = None
    unit_mismatch: bool = False

    @property
    def checkable(self) -> bool:
        return self.low is not None

    def contains(self, score: float, tol: float = 0.0) -> bool | None:
        """Is `score` (± tol) inside [low, high]? None when not checkable."""
        if self.low is None or self.high is None:
            return None
        return self.low - tol - EPS <= score <= self.high + tol + EPS


# ================================================================================================
# Text normalisation
# ================================================================================================

_QUOTES_RE = re.compile("[\"'“”‘’「」『』〝〞〟＂＇`´″′]")
_PUNCT = str.maketrans({
    "，": ",", "﹐": ",", "､": "、", "；": ";", "﹔": ";", "。": ";", "．": ".", "：": ":", "！": ";",
    "？": ";", "（": "(", "）": ")", "【": "(", "】": ")", "〔": "(", "〕": ")", "[": "(", "]": ")",
    "*": "×", "✕": "×", "╳": "×", "✖": "×", "•": "×", "·": "×",
    "≧": "≥", "≦": "≤", "＝": "=", "═": "=", "﹦": "=", "÷": "/", "／": "/",
    "～": "-", "~": "-", "〜": "-", "—": "-", "–": "-", "－": "-", "―": "-", "‐": "-",
})
_WORD_OPS = (
    (">=", "≥"), ("＞=", "≥"), ("=>", "≥"), ("<=", "≤"), ("＜=", "≤"), ("=<", "≤"),
    ("大于或等于", "≥"), ("大于等于", "≥"), ("小于或等于", "≤"), ("小于等于", "≤"),
    ("乘以", "×"), ("乘", "×"), ("除以", "/"),
    ("(含)", ""), ("(含本数)", ""), ("(含本级)", ""), ("(不含)", ""),
)
_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}
_CN_NUM_RE = re.compile(
    "(?<=[每低少扣加得减超差计给到于过多达为在按])"
    "([零〇一二两三四五六七八九十]{1,3}(?:点[零〇一二三四五六七八九]{1,2})?|半)"
    "(?=个百分点|百分点|个|处|次|项|人|天|日|条|份|篇|起|例|家|名|分|%|倍|周|月|年)")
_CN_PER_RE = re.compile(
    "(每[\u4e00-\u9fff]{0,4}?)([一二两三四五六七八九十]{1,3})(?=个|处|次|项|人|天|日|条|份|篇|起|例|家|名|%)")
_TIMES_RE = re.compile(r"(?<=[\u4e00-\u9fff\d%)])[xX](?=[\u4e00-\u9fff\d(])")
_RANGE_RE = re.compile(r"(?<=[\d%])(?:-|至|到)(?=\d)")


def _cn_int(s: str) -> int | None:
    if not s:
        return None
    if "十" in s:
        a, _, b = s.partition("十")
        hi = _CN_DIGIT.get(a, None) if a else 1
        lo = _CN_DIGIT.get(b, None) if b else 0
        if hi is None or lo is None:
            return None
        return hi * 10 + lo
    if len(s) == 1:
        return _CN_DIGIT.get(s)
    digits = [_CN_DIGIT.get(c) for c in s]
    if any(d is None for d in digits):
        return None
    return int("".join(str(d) for d in digits))


def _cn_sub(m: re.Match[str]) -> str:
    s = m.group(1)
    if s == "半":
        return "0.5"
    whole, _, frac = s.partition("点")
    n = _cn_int(whole)
    if n is None:
        return s
    if frac:
        fd = "".join(str(_CN_DIGIT.get(c, "")) for c in frac)
        return f"{n}.{fd}"
    return str(n)


@lru_cache(maxsize=65536)
def normalize_method_text(text: str | None) -> str:
    """Canonical form of a method text: NFKC, simplified, no whitespace or quotes, ASCII punctuation,
    one spelling per operator, small Chinese numerals as digits, ranges as "a-b"."""
    if text is None:
        return ""
    try:
        s = clean_text(text)
    except Exception:  # pragma: no cover - values.clean_text should never raise
        s = unicodedata.normalize("NFKC", str(text))
    s = unicodedata.normalize("NFKC", s)
    s = re.sub(r"\s+", "", s)
    s = _QUOTES_RE.sub("", s)
    s = s.translate(_PUNCT)
    for a, b in _WORD_OPS:
        if a in s:
            s = s.replace(a, b)
    s = _TIMES_RE.sub("×", s)
    s = _CN_NUM_RE.sub(_cn_sub, s)
    s = _CN_PER_RE.sub(lambda m: m.group(1) + str(_cn_int(m.group(2)) or m.group(2)), s)
    s = _RANGE_RE.sub("-", s)
    s = re.sub(r"([,;、])[,;、]+", r"\1", s)
    return s.strip(",;、")


# ================================================================================================
# Shared regex pieces
# ================================================================================================

_NUM = r"\d+(?:\.\d+)?"
_UNIT_WORDS = sorted([
    "%", "‰", "个百分点", "百分点", "百分比", "万人次", "万人", "万元", "亿元", "万次", "万份", "万个",
    "万条", "万册", "万", "千元", "元", "人次", "人", "个工作日", "工作日", "个月", "个", "项", "份",
    "条", "次", "天", "日", "篇", "家", "名", "场", "期", "所", "件", "本", "册", "套", "台", "种",
    "批", "部", "节", "门", "处", "起", "例", "户", "位", "课时", "学时", "小时", "月", "年", "公里",
    "千米", "米", "平方米", "亩", "吨", "辆", "座", "张", "间", "分钟", "周", "集", "期次", "所次",
], key=len, reverse=True)
_UNIT_RE = "(?:" + "|".join(re.escape(u) for u in _UNIT_WORDS) + ")"
_PRE_OPS = {
    "达到": ">=", "达": ">=", "完成": ">=", "实现": ">=", "≥": ">=", "不少于": ">=", "不低于": ">=",
    "至少": ">=", "超过": ">", "高于": ">", "大于": ">", ">": ">",
    "≤": "<=", "不超过": "<=", "不高于": "<=", "不大于": "<=", "控制在": "<=", "小于": "<",
    "低于": "<", "少于": "<", "<": "<", "不足": "<", "=": "=", "为": "=", "在": None,
}
_POST_OPS = {"及以上": ">=", "以上": ">=", "以内": "<=", "之内": "<=", "以下": "<=", "及以下": "<="}
_PRE_RE = "(?:" + "|".join(re.escape(k) for k in sorted(_PRE_OPS, key=len, reverse=True)) + ")"
_POST_RE = "(?:" + "|".join(re.escape(k) for k in sorted(_POST_OPS, key=len, reverse=True)) + ")"
_OP_GLYPH = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}

#: "达到90%得2分" / "≥95%得满分" / "控制在5%以内的得2分"
_AWARD_RE = re.compile(
    rf"(?P<pre>{_PRE_RE})?(?P<num>{_NUM})(?P<unit>{_UNIT_RE})?(?P<post>{_POST_RE})?"
    rf"(?:的|者|时|则)?,?(?:可?得|计|给|评)(?:(?P<pts>{_NUM})分|(?P<full>满分|全分))")
#: "完成目标得满分" / "达到目标值得8分"
_TARGET_AWARD_RE = re.compile(
    rf"(?:完成|达到|实现|达成|满足)(?:了)?(?:年度|全年|预期|既定|计划|绩效)?(?:目标|指标|任务|计划|预期|要求|标准)"
    rf"(?:值|数|任务)?(?:的|者|时|则)?,?(?:可?得|计|给)(?:(?P<pts>{_NUM})分|(?P<full>满分|全分))")
_ZERO_WORDS = r"(?:不得分|不计分|不给分|得0分|计0分|0分|零分|扣完|扣除全部分|扣全部分)"
#: "低于60%不得分"
_ZERO_BELOW_RE = re.compile(
    rf"(?:低于|不足|少于|<|未达到|小于)(?P<num>{_NUM})(?P<unit>{_UNIT_RE})?(?:的|者|时|则)?,?{_ZERO_WORDS}")
_POINTS_RE = re.compile(rf"(?P<pts>{_NUM})分")


def _f(x: str | None) -> float | None:
    try:
        return float(x) if x is not None else None
    except ValueError:
        return None


def _threshold_value(pre: str | None, num: str, unit: str | None, post: str | None) -> Value:
    op = _POST_OPS.get(post or "") or _PRE_OPS.get(pre or "") or ">="
    unit = unit or ""
    if unit in ("个百分点", "百分点", "百分比"):
        unit = "%"
    raw = f"{_OP_GLYPH.get(op, '≥')}{num}{unit}"
    v = parse_value(raw)
    if v.kind != "number":
        v = parse_value(f"{_OP_GLYPH.get(op, '≥')}{num}")
    if v.op is None and v.kind == "number":
        v = _with(v, op=op)
    return v


def _with(v: Value, **kw) -> Value:
    d = {k: getattr(v, k) for k in ("raw", "kind", "number", "tol", "op", "unit", "label", "percent")}
    d.update(kw)
    return Value(**d)


def _clauses(s: str) -> list[str]:
    return [c for c in re.split(r"[,;]", s) if c]


# ================================================================================================
# Builders (one per table entry; return None to let the next entry try)
# ================================================================================================

def _b_default(m: re.Match[str], s: str, text: str) -> Method | None:
    return Method("default", text)


_EXEC_FULL_RE = re.compile(rf"(?P<pts>{_NUM})分\)?×|×\(?(?P<pts2>{_NUM})分?(?:$|[,;)])")


def _b_exec(m: re.Match[str], s: str, text: str) -> Method | None:
    mm = _EXEC_FULL_RE.search(s)
    full = _f(mm.group("pts") or mm.group("pts2")) if mm else None
    return Method("execution_rate", text, full_points=full)


_BONUS_ITEM_RE = re.compile(
    rf"(?P<label>[^,;:、]*?)(?:的|者|时|则)?,?(?:加|奖励|另加)(?P<pts>{_NUM})分")
_BONUS_CAP_RE = re.compile(
    rf"(?:最高|最多|上限|累计最高|累计不超过|加分不超过|总分不超过|最高不超过|不超过|封顶)(?:可)?(?:加|为|得)?(?P<a>{_NUM})分"
    rf"|加满(?P<b>{_NUM})分(?:为止)?|(?P<c>{_NUM})分封顶|以(?P<d>{_NUM})分为限")
_NO_DOUBLE_RE = re.compile(r"不累计|不重复|不叠加|不累加|按最高|就高|取最高|只计一次|计一次|不重复计分|不兼得")
_REPEAT_RE = re.compile(r"每(?:获得?|受到|得到|有|项|次|个|篇|人)")
_BONUS_PREFIX_RE = re.compile(
    r"^(?:每(?:获得?|受到|得到|有)?(?:\d+|一)?(?:项|次|个)?)?(?:受到|得到|获得|荣获|获|被评为|被|凡|如|若|对)*")


def _b_bonus(m: re.Match[str], s: str, text: str) -> Method | None:
    cap = None
    mc = _BONUS_CAP_RE.search(s)
    if mc:
        cap = _f(next(g for g in mc.groups() if g))
    body = _BONUS_CAP_RE.sub("", s)
    items = []
    for mi in _BONUS_ITEM_RE.finditer(body):
        label = _BONUS_PREFIX_RE.sub("", mi.group("label"))
        if not label:  # "获市级以上表彰的，每项加1分": the honour is in the clause before
            before = re.split(r"[,;]", body[:mi.start()].rstrip(",;"))[-1]
            label = _TIER_SUFFIX_RE.sub("", _BONUS_PREFIX_RE.sub("", before))
        items.append((label, float(mi.group("pts"))))
    if not items:
        return None
    return Method(
        "bonus_schedule", text, schedule=tuple(p for _, p in items),
        schedule_labels=tuple(lab for lab, _ in items), cap=cap,
        no_double_count=bool(_NO_DOUBLE_RE.search(s)), repeatable=bool(_REPEAT_RE.search(s)))


_BAND_CLAUSE_RE = re.compile(
    rf"^(?P<label>.*?)(?:的|者|时|则)?,?(?:可?得|按|计|给)?(?:指标)?(?:分值|权重|满分|总分)?的?"
    rf"(?P<lo>{_NUM})%?-(?P<hi>{_NUM})%(?:的)?(?:分值|权重|分|计分|得分)?$")


def _b_bands(m: re.Match[str], s: str, text: str) -> Method | None:
    bands = []
    for c in _clauses(s):
        mb = _BAND_CLAUSE_RE.match(c)
        if mb:
            lo, hi = float(mb.group("lo")) / 100, float(mb.group("hi")) / 100
            if lo > hi:
                lo, hi = hi, lo
            label = _TIER_PREFIX_RE.sub("", mb.group("label"))
            bands.append((label, lo, min(hi, 1.0)))
    if len(bands) >= 2:
        return Method("qualitative_bands", text, bands=tuple(bands))
    if "部分达成" in s and not _POINTS_RE.search(s):
        return Method("qualitative_bands", text, bands=DEFAULT_BANDS)
    return None


_DED_RE = re.compile(
    r"每(?P<dir>低于|低|少于|少|降低|下降|减少|相差|差|不足|超过|超出|超|高于|多于|多|增加|增长|上升|"
    r"延迟|延期|逾期|推迟|晚于|晚|滞后|发现|出现|发生|存在|有|被)?了?(?:目标值?|标准值?|计划)?"
    rf"(?P<n>{_NUM})?(?P<unit>个百分点|百分点|{_UNIT_RE})?(?P<what>[^\d,;扣减]{{0,10}}?),?"
    rf"(?:扣|减|扣除|扣减)(?P<pts>{_NUM})分")
_DIR = {
    **dict.fromkeys(("低于", "低", "少于", "少", "降低", "下降", "减少", "相差", "差", "不足"), "below"),
    **dict.fromkeys(("超过", "超出", "超", "高于", "多于", "多", "增加", "增长", "上升"), "above"),
    **dict.fromkeys(("延迟", "延期", "逾期", "推迟", "晚于", "晚", "滞后"), "late"),
    **dict.fromkeys(("发现", "出现", "发生", "存在", "有", "被"), "count"),
}
_DED_CAP_RE = re.compile(
    rf"(?:最多|最高|累计最多|累计最高|最多可|最高可)扣(?P<a>{_NUM})分|扣分不超过(?P<b>{_NUM})分|扣满(?P<c>{_NUM})分")
_EXHAUST_RE = re.compile(r"扣完为止|扣至0分?|扣完本项分|直至扣完|扣完即止|扣分至0|扣到0|分值扣完")
_BASE_RE = re.compile(
    rf"以(?P<num>{_NUM})(?P<unit>{_UNIT_RE})?为(?:基准|标准|基数|目标)|在(?P<num2>{_NUM})(?P<unit2>{_UNIT_RE})?(?:的)?基础上")


def _b_deduction(m: re.Match[str], s: str, text: str) -> Method | None:
    md = _DED_RE.search(s)
    if not md:
        return None
    n = float(md.group("n")) if md.group("n") else 1.0
    unit = md.group("unit") or ""
    # no verb ("每起扣1分", "每项扣0.5分"): a per-event deduction
    direction = _DIR.get(md.group("dir"), "below") if md.group("dir") else "count"
    if unit in ("个百分点", "百分点", "%", "百分比"):
        per, unit = n / 100.0, "%"
    elif unit.startswith("万"):
        per = n * 1e4
    elif unit.startswith("亿"):
        per = n * 1e8
    elif unit == "千元":
        per = n * 1e3
    else:
        per = n
    threshold = None
    ma = _AWARD_RE.search(s)
    if ma and ma.start() < md.start():
        threshold = _threshold_value(ma.group("pre"), ma.group("num"), ma.group("unit"), ma.group("post"))
        full = _f(ma.group("pts"))
    else:
        full = None
        mt = _TARGET_AWARD_RE.search(s)
        if mt:
            full = _f(mt.group("pts"))
    mb = _BASE_RE.search(s)
    if threshold is None and mb:
        num, un = (mb.group("num"), mb.group("unit")) if mb.group("num") else (mb.group("num2"), mb.group("unit2"))
        threshold = _threshold_value(None, num, un, None)
        if direction == "above":
            threshold = _with(threshold, op="<=")
    if threshold is None:  # "低于95%的，每低1个百分点扣0.5分"
        mlow = re.search(rf"(?:低于|不足|少于|未达到)(?P<num>{_NUM})(?P<unit>{_UNIT_RE})?(?:的|者|时)?,?每", s)
        mhigh = re.search(rf"(?:超过|超出|高于)(?P<num>{_NUM})(?P<unit>{_UNIT_RE})?(?:的|者|时)?,?每", s)
        if mlow:
            threshold = _threshold_value("达到", mlow.group("num"), mlow.group("unit"), None)
        elif mhigh:
            threshold = _threshold_value("≤", mhigh.group("num"), mhigh.group("unit"), None)
    cap = None
    mc = _DED_CAP_RE.search(s)
    if mc:
        cap = _f(next(g for g in mc.groups() if g))
    mz = _ZERO_BELOW_RE.search(s)
    zero_below = _threshold_value("≥", mz.group("num"), mz.group("unit"), None) if mz else None
    return Method(
        "per_unit_deduction", text, threshold=threshold, full_points=full,
        deduction=(per, float(md.group("pts"))), direction=direction, per_unit=unit or None, cap=cap,
        exhaust=bool(_EXHAUST_RE.search(s)), zero_below=zero_below)


def _first_award(s: str) -> re.Match[str] | None:
    for ma in _AWARD_RE.finditer(s):
        pts = ma.group("pts")
        if ma.group("full") or (pts is not None and float(pts) > 0):
            return ma
    return None


def _positive_awards(s: str) -> int:
    n = 0
    for c in _clauses(s):
        for mp in re.finditer(rf"(?:可?得|计|给|评)(?:(?P<pts>{_NUM})分|满分|全分)", c):
            if mp.group("pts") is None or float(mp.group("pts")) > 0:
                n += 1
    return n


def _b_proportional(m: re.Match[str], s: str, text: str) -> Method | None:
    ma = _first_award(s)
    threshold = full = None
    if ma:
        threshold = _threshold_value(ma.group("pre"), ma.group("num"), ma.group("unit"), ma.group("post"))
        full = _f(ma.group("pts"))
    else:
        mt = _TARGET_AWARD_RE.search(s)
        if mt:
            full = _f(mt.group("pts"))
    mz = _ZERO_BELOW_RE.search(s)
    zero_below = _threshold_value("≥", mz.group("num"), mz.group("unit"), None) if mz else None
    return Method("threshold_proportional", text, threshold=threshold, full_points=full,
                  zero_below=zero_below, fallback="proportional")


_FALLBACK_ZERO_RE = re.compile(
    rf"(?:未|没有|没|不|否则|其他|其余|反之|低于|不足|少于|小于|<|超过|超出|高于|>)[^,;]*?{_ZERO_WORDS}|^{_ZERO_WORDS}$")
_FALLBACK_DISC_RE = re.compile(r"酌情|视情况|视情节|酌定|酌减")


def _b_threshold(m: re.Match[str], s: str, text: str) -> Method | None:
    ma = _first_award(s)
    if ma is None or _positive_awards(s) > 1:
        return None  # several awards: graded tiers, handled by the tiers entry
    # the other clauses must all be fallbacks / notes; the award's own clause may carry a subject
    # before it ("满意度≥90%得3分")
    start = max(s.rfind(",", 0, ma.start()), s.rfind(";", 0, ma.start())) + 1
    subject = s[start:ma.start()]
    if re.search(r"\d|得|分", subject):
        return None
    rest = s[ma.end():].strip(",;")
    if start > 0:
        rest = s[:start].strip(",;") + "," + rest
    for c in _clauses(rest):
        if not (_FALLBACK_ZERO_RE.search(c) or _FALLBACK_DISC_RE.search(c) or _IGNORABLE_RE.match(c)):
            return None  # an unrecognised clause: do not guess
    threshold = _threshold_value(ma.group("pre"), ma.group("num"), ma.group("unit"), ma.group("post"))
    full = _f(ma.group("pts"))
    if any(_FALLBACK_ZERO_RE.search(c) for c in _clauses(rest)):
        return Method("all_or_nothing", text, threshold=threshold, full_points=full, fallback="zero")
    fallback = "discretionary" if _FALLBACK_DISC_RE.search(rest) else "unspecified"
    return Method("threshold", text, threshold=threshold, full_points=full, fallback=fallback)


# --- tiers ---------------------------------------------------------------------------------------

_TIER_PREFIX_RE = re.compile(
    r"^(?:评分标准|评分办法|评分规则|标准|其中)?:?(?:经评价|评价结果为|评价结果|评价为|评定为|评为|认定为|如|若|凡|对|如果|结果为|为)?")
_TIER_SUFFIX_RE = re.compile(r"(?:的|者|可|,)+$")  # not 时 / 则: 及时, 按时, 否则 are labels
_TIER_RULES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], tuple[float | None, float | None, bool]]]] = [
    # (regex on one clause, → (points, share, open))
    (re.compile(rf"^(?P<label>.*?)(?:可?得|计|给|评|记|获)(?P<pts>{_NUM})分(?:值)?$"),
     lambda mm: (float(mm.group("pts")), None, False)),
    (re.compile(rf"^(?P<label>.*?){_ZERO_WORDS}$"), lambda mm: (0.0, None, False)),
    (re.compile(r"^(?P<label>.*?)(?:可?得|计|给)?(?:满分|全分|全部分值)$"), lambda mm: (None, 1.0, False)),
    (re.compile(rf"^(?P<label>.*?)(?:可?得|计|给)(?:分值|权重|满分)的?(?P<pct>{_NUM})%$"),
     lambda mm: (None, float(mm.group("pct")) / 100, False)),
    (re.compile(rf"^(?P<label>.*?)(?:可?得|计|给)(?P<pct>{_NUM})%的?(?:分值|权重|分)$"),
     lambda mm: (None, float(mm.group("pct")) / 100, False)),
    (re.compile(r"^(?P<label>.*?)(?:可?得|计|给)?(?:一半|半数|50%)(?:的)?(?:分值|分|权重)?$|^(?P<label2>.*?)(?:分值)?减半$"),
     lambda mm: (None, 0.5, False)),
    (re.compile(r"^(?P<label>.*?)(?:酌情|视情况|视情节|酌定)(?:得|给|计|打|扣|评|减)分$"),
     lambda mm: (None, None, True)),
    (re.compile(rf"^(?P<label>[^()]+?)\((?P<pts>{_NUM})分\)$"), lambda mm: (float(mm.group("pts")), None, False)),
    (re.compile(rf"^(?P<pts>{_NUM})分:(?P<label>.+)$"), lambda mm: (float(mm.group("pts")), None, False)),
]
_IGNORABLE_RE = re.compile(
    rf"^(?:扣完为止|满分为止|得满分为止|加满为止|最高不超过(?:{_NUM}分|分值|满分)|最多得(?:{_NUM}分|满分)|"
    rf"(?:本项)?(?:满分|分值|总分|共)(?:为)?{_NUM}分|最高{_NUM}分|不超过(?:分值|满分)|封顶|"
    rf"(?:得分)?最高不超过本项分值|以此类推|依此类推|分值{_NUM}分)$")
_POINTS_HINT_RE = re.compile(rf"分|{_ZERO_WORDS}")


def _b_tiers(m: re.Match[str], s: str, text: str) -> Method | None:
    parts = re.split(r"([,;、])", s)
    pieces = [(parts[i], parts[i - 1] if i else "") for i in range(0, len(parts), 2)]
    # merge pieces without a points expression into the next one, keeping the separator
    # ("制度健全、执行有效得2分", "完成率≥95%，得满分")
    merged: list[str] = []
    buf = ""
    for p, sep in pieces:
        if not p:
            continue
        buf = f"{buf}{sep if sep == '、' else ''}{p}" if buf else p
        if _POINTS_HINT_RE.search(p) or _IGNORABLE_RE.match(p):
            merged.append(buf)
            buf = ""
    if buf:
        if merged and not _POINTS_HINT_RE.search(buf):
            return None  # a trailing clause with no points: not a tier list
        merged.append(buf)
    tiers: list[tuple[str, float | None]] = []
    shares: list[float | None] = []
    for clause in merged:
        if _IGNORABLE_RE.match(clause):
            continue
        for rx, conv in _TIER_RULES:
            mm = rx.match(clause)
            if mm:
                label = mm.groupdict().get("label") or mm.groupdict().get("label2") or ""
                label = _TIER_SUFFIX_RE.sub("", _TIER_PREFIX_RE.sub("", label))
                if not label or "每" in label:
                    return None
                pts, share, _open = conv(mm)
                tiers.append((label, pts))
                shares.append(share)
                break
        else:
            return None
    if not tiers or all(p is None and sh is None for p, sh in zip((t[1] for t in tiers), shares)):
        return None
    return Method("tiers", text, tiers=tuple(tiers), tier_shares=tuple(shares))


_DISC_RE_TXT = (
    r"酌情|视情况|视情节|视具体情况|酌定|酌减|酌加|综合评定|综合评判|综合评价打分|综合打分|专家(?:打分|评分|评议|评审)|"
    r"评价组(?:打分|评定|评分)|主观|根据(?:实际|具体)?(?:完成|工作|开展|落实|执行)?情况(?:打分|评分|得分|给分|计分)|"
    r"由[^,;]*(?:打分|评分|评定)")


def _b_discretionary(m: re.Match[str], s: str, text: str) -> Method | None:
    return Method("discretionary", text, reason=f"评分办法为主观评分（“{m.group(0)}”），无法机器复核")


#: The pattern table: (kind, regex, builder) tried in order; a builder may decline (None).
_PATTERNS: list[tuple[str, re.Pattern[str], Callable[[re.Match[str], str, str], Method | None]]] = [
    ("default", re.compile(r"^(?:|/+|-+|\.+|…+|无|暂无|不适用|空|略|同上|见说明)$"), _b_default),
    ("execution_rate", re.compile(
        rf"(?:分值|权重|权值|满分|总分|{_NUM}分)\)?×\(?(?:预算|资金|项目|实际|资金预算|全年)*执行率"
        rf"|执行率\)?×\(?(?:分值|权重|权值|满分|本项分值|{_NUM})"
        rf"|(?:按|根据|以)(?:预算|资金|项目|实际)*执行率(?:计算|折算)?(?:得分|计分|评分|分值)"
        rf"|(?:支出|执行数|决算数|实际支出)/(?:调整后?|全年)?(?:预算|预算数)\)?×"), _b_exec),
    ("bonus_schedule", re.compile(rf"(?:加|奖励)(?:{_NUM})分"), _b_bonus),
    ("qualitative_bands", re.compile(
        rf"部分达成|{_NUM}%?-{_NUM}%(?:的)?(?:分值|权重)|(?:分值|权重)的?{_NUM}%?-{_NUM}%"), _b_bands),
    ("per_unit_deduction", re.compile(r"每[^,;]{0,16}?(?:扣|减)(?:除|减)?\d+(?:\.\d+)?分"), _b_deduction),
    ("threshold_proportional", re.compile(
        r"按比例|按照比例|比例(?:得分|计分|计算|扣分)|完成度|完成比例|完成率×|×完成率|按(?:实际)?完成率|"
        r"实际(?:完成)?(?:值|数)?/(?:目标|计划|预期|年度目标)(?:值|数)?|/(?:目标|计划)(?:值|数)|"
        r"按(?:实际)?完成(?:值|数|情况)?(?:占比|比例)|折算(?:得分|计分)|按完成进度"), _b_proportional),
    ("all_or_nothing", _AWARD_RE, _b_threshold),
    ("tiers", re.compile(rf"(?:得|计|给|评|记|获){_NUM}分|满分|全分|{_ZERO_WORDS}|\({_NUM}分\)|一半|减半"), _b_tiers),
    ("discretionary", re.compile(_DISC_RE_TXT), _b_discretionary),
]


@lru_cache(maxsize=65536)
def parse_method(text: str | None) -> Method:
    """Parse a 评分办法 text into a `Method` (never raises; unknown phrasing → kind 'unknown')."""
    if isinstance(text, str):
        raw = text
    elif text is None or (isinstance(text, float) and text != text) or type(text).__name__ in ("NAType", "NaTType"):
        raw = ""  # an empty cell (None / NaN / pandas NA) → the profile default applies
    else:
        raw = str(text)
    s = normalize_method_text(raw)
    for _kind, rx, builder in _PATTERNS:
        mm = rx.search(s)
        if mm is None:
            continue
        try:
            out = builder(mm, s, raw)
        except Exception:  # pragma: no cover - defensive: a builder bug must not stop a batch
            out = None
        if out is not None:
            return out
    return Method("unknown", raw, reason="评分办法无法解析（未识别的写法）")


# ================================================================================================
# Labels
# ================================================================================================

_HEDGE = ("未充分", "不充分", "不完全", "未完全", "不够", "大部分", "部分", "基本", "比较", "较", "一般",
          "尚可", "欠", "有待", "略")
_NEG = ("尚未", "没有", "未", "不", "无", "没", "非", "否", "缺乏", "缺少", "缺")
_LABEL_STRIP_RE = re.compile(r"[()（）:：,，;；。.!！、\s]|的|了")
_AFFIRM_CORES = frozenset({
    "", "是", "完成", "达成", "实现", "达到", "达标", "符合", "满足", "具备", "合格", "通过",
    "达成预期", "达成预期指标", "达成年度指标", "达成目标", "达成指标", "达到预期", "达到预期目标",
    "达到目标", "实现预期目标", "实现目标", "完成任务", "完成目标", "完成年度目标", "按要求完成",
    "符合要求", "满足要求", "已完成", "全部完成", "完成既定目标", "好", "良好", "正常",
})
_SYNONYMS = {"好": "良好", "显著": "明显", "效果显著": "效果明显", "有效果": "有效", "提高": "提升",
             "执行到位": "执行", "落实": "执行", "按时": "及时", "准时": "及时"}
_CATCH_ALL = frozenset({"否则", "其他", "其它", "其余", "其他情况", "其余情况", "其它情况", "反之", "以外"})


@lru_cache(maxsize=65536)
def _canon(label: str | None) -> str:
    if label is None:
        return ""
    s = normalize_method_text(label)
    s = _TIER_PREFIX_RE.sub("", s)
    s = _LABEL_STRIP_RE.sub("", s)
    return s


_MARKERS = tuple(sorted([(h, "hedge") for h in _HEDGE] + [(n, "neg") for n in _NEG],
                         key=lambda x: -len(x[0])))


@lru_cache(maxsize=65536)
def _parts(label: str | None) -> tuple[str, str]:
    """(modifier class, core): 'none' | 'hedge' (较/基本/部分/未充分) | 'neg' (不/未/无/否).

    The first marker in the label decides (the longest one at that position): 未达成且效果较差 is
    negated, 制度较健全 hedged, 未充分执行 hedged, 规划不完整 negated."""
    s = _canon(label)
    best: tuple[int, int, str, str] | None = None
    for word, cls in _MARKERS:
        i = s.find(word)
        if i >= 0 and (best is None or (i, -len(word)) < (best[0], best[1])):
            best = (i, -len(word), word, cls)
    mod = "none"
    if best is not None:
        i, _, word, mod = best
        s = s[:i] + s[i + len(word):]
    s = s.replace("已经", "").replace("已", "")
    s = re.sub(r"^(?:有|是|均|全部|全面|能够|能)", "", s)
    return mod, _SYNONYMS.get(s, s)


def _generic(label: str | None) -> bool:
    return _parts(label)[1] in _AFFIRM_CORES


@lru_cache(maxsize=65536)
def labels_equivalent(target: str | None, actual: str | None) -> bool | None:
    """Does the actual label meet the target label? True / False / None (unrelated words)."""
    ct, ca = _canon(target), _canon(actual)
    if not ct or not ca:
        return None
    if ct == ca:
        return True
    (mt, kt), (ma, ka) = _parts(target), _parts(actual)
    related = kt == ka or (kt and ka and (kt in ka or ka in kt))
    if mt == ma and related:
        return True
    if mt == "none":
        if ma == "none":
            if _generic(actual) or _generic(target):
                return True
            return None
        # hedged / negated actual against a positive target
        return False if (related or _generic(actual) or _generic(target) or not ka) else None
    if mt == "neg":
        if ma == "neg":
            return True if (not kt or not ka or _generic(target) or _generic(actual)) else None
        if ma == "none" and related:
            return False
        return None
    # hedged target ("基本完成"): a full or equally hedged actual meets it
    if ma in ("none", "hedge") and related:
        return True
    if ma == "neg":
        return False
    return None


# ================================================================================================
# Numbers, units, operators
# ================================================================================================

_OPS = {
    ">=": ">=", "≥": ">=", "≧": ">=", "=>": ">=", "大于等于": ">=", "不少于": ">=", "不低于": ">=",
    "正向": ">=", "正向指标": ">=", "以上": ">=", "达到": ">=",
    "<=": "<=", "≤": "<=", "≦": "<=", "=<": "<=", "小于等于": "<=", "不超过": "<=", "不高于": "<=",
    "反向": "<=", "反向指标": "<=", "以内": "<=", "以下": "<=",
    ">": ">", "大于": ">", "高于": ">", "<": "<", "小于": "<", "低于": "<",
    "=": "=", "＝": "=", "═": "=", "﹦": "=", "等于": "=", "定性": "=",
}

_UNIT_FAMILY: dict[str, frozenset[str]] = {}
for _fam, _units in {
    "pct": ("%", "百分比", "个百分点", "百分点"),
    "person": ("人", "人次", "名", "位", "人员", "户"),
    "count": ("个", "项", "份", "条", "次", "篇", "件", "本", "册", "套", "台", "场", "期", "家", "所", "种",
              "批", "部", "节", "门", "处", "起", "例", "集", "张", "座", "间", "辆", "人次", "期次", "所次"),
    "money": ("元", "万元", "亿元", "千元"),
    "days": ("天", "日", "工作日", "个工作日"),
}.items():
    for _u in _units:
        _UNIT_FAMILY[_u] = _UNIT_FAMILY.get(_u, frozenset()) | {_fam}


def normalize_operator(op: str | None) -> str | None:
    """An 指标性质 / operator cell ("≥", "≧", "大于等于", "正向", "≤", "=" …) → '>=' | '<=' | '>' | '<' |
    '=' | None."""
    return _norm_op(op)


def _norm_op(op: str | None) -> str | None:
    if op is None or (isinstance(op, float) and op != op):
        return None
    if not isinstance(op, str):
        return None
    if op is None:
        return None
    s = str(op).strip()
    if not s:
        return None
    if s in _OPS:
        return _OPS[s]
    try:
        s2 = clean_text(s)
    except Exception:  # pragma: no cover
        s2 = s
    return _OPS.get(s2)


def _units_compatible(u1: str | None, u2: str | None) -> bool:
    if not u1 or not u2 or u1 == u2:
        return True
    f1, f2 = _UNIT_FAMILY.get(u1), _UNIT_FAMILY.get(u2)
    if f1 is None or f2 is None:
        return False
    return bool(f1 & f2)


def _is_pct(v: Value) -> bool:
    return bool(v.percent) or v.unit in ("%", "百分比")


def _rate(v: Value) -> tuple[float, float]:
    """A number read in a rate context: "97" → 0.97, "0.97" → 0.97, "1" → 1.0."""
    x, tol = float(v.number), float(v.tol or 0.0)
    if not _is_pct(v) and abs(x) > 1.5:
        return x / 100.0, tol / 100.0
    return x, tol


def _align(target: Value, actual: Value) -> tuple[float, float, float] | str:
    """(target number, actual number, actual tol) on one scale, or a mismatch description."""
    tp, ap = _is_pct(target), _is_pct(actual)
    if tp and not ap:
        if actual.unit and actual.unit not in ("%",):
            return f"目标为百分比，完成值单位为“{actual.unit}”"
        a, ta = _rate(actual)
        return float(target.number), a, ta
    if ap and not tp:
        if target.unit and target.unit not in ("%",):
            return f"目标单位为“{target.unit}”，完成值为百分比"
        t, _ = _rate(target)
        return t, float(actual.number), float(actual.tol or 0.0)
    if not _units_compatible(target.unit, actual.unit):
        return f"目标单位“{target.unit}”与完成值单位“{actual.unit}”不一致"
    return float(target.number), float(actual.number), float(actual.tol or 0.0)


def _satisfies(a: float, tol: float, op: str, t: float) -> bool:
    if op == ">=":
        return a + tol + EPS >= t
    if op == ">":
        return a > t + EPS
    if op == "<=":
        return a - tol - EPS <= t
    if op == "<":
        return a < t - EPS
    # '=': equal within the printed precision; above an "=" target counts as achieved
    return abs(a - t) <= tol + EPS or a > t


_NEG_WORDS = frozenset({"无", "否", "没有", "未发生", "未发现", "零", "无此情况", "不存在", "没", "未出现"})
#: placeholders that are also meaningful words in a qualitative context ("无机制" tier, target "无")
_WORD_PLACEHOLDERS = frozenset({"无"})


def _is_word_placeholder(v: Value | None) -> bool:
    return v is not None and v.kind == "missing" and (v.label or "") in _WORD_PLACEHOLDERS


def _wordify(target: Value | None, actual: Value | None) -> tuple[Value | None, Value | None]:
    """Read "无" (a placeholder for values.py) as the word 无 where the other side is qualitative
    (or a zero target): target "无" / actual "无", tiers "有机制/无机制", target 0 违法违纪 / actual 无."""
    t_word = _is_word_placeholder(target)
    a_word = _is_word_placeholder(actual)
    if not (t_word or a_word):
        return target, actual
    t_q = target is not None and (target.kind == "label" or t_word or (
        target.kind == "number" and target.number == 0))
    a_q = actual is not None and (actual.kind == "label" or a_word)
    if a_word and (t_q or target is None or target.kind == "missing"):
        actual = _with(actual, kind="label")
    if t_word and (a_q or (actual is not None and actual.kind == "label")):
        target = _with(target, kind="label")
    return target, actual


def _apply_unit(v: Value | None, unit: str | None) -> Value | None:
    """Give a bare number the 度量单位 column's unit ("≥3000" + "人" → 3000 人; "50" + "万元" → 500000 元)."""
    if v is None or not unit or v.kind != "number" or v.unit or v.percent:
        return v
    try:
        canon, p10 = parse_unit(unit)
    except Exception:  # pragma: no cover
        return v
    if canon is None:
        return v
    k = 10.0 ** p10
    return _with(v, number=float(v.number) * k, tol=float(v.tol or 0.0) * k, unit=canon, percent=canon == "%")


def compare(target: Value | str | None, actual: Value | str | None, operator: str | None = None, *,
            unit: str | None = None) -> Comparison:
    """Does `actual` meet `target`?

    Operator: the 指标性质 column (`operator`), else the target's own (≥3000人), else '>=' for
    numbers and '=' for labels. Numbers are aligned to one scale (97 vs 90% → 0.97); the actual's
    printed precision decides boundary cases (60% meets ≥60%). Incompatible units, or a word where
    a number is due, give met None with unit_mismatch True (MTH005). Strings are parsed with
    `values.parse_value` (the actual in a rate context when the target is a percentage); `unit` is
    the 度量单位 column, given to bare numbers on either side.
    """
    tv = _apply_unit(_as_value(target), unit)
    av = _apply_unit(_as_value(actual, percent=bool(tv is not None and tv.kind == "number" and _is_pct(tv))), unit)
    return _compare(tv, av, _norm_op(operator))


@lru_cache(maxsize=65536)
def _compare(target: Value | None, actual: Value | None, operator: str | None) -> Comparison:
    target, actual = _wordify(target, actual)
    op = _norm_op(operator) or (target.op if target is not None else None)
    if actual is None or actual.kind == "missing":
        return Comparison(None, "完成值缺失", False, op)
    if target is None or target.kind == "missing":
        return Comparison(None, "目标值缺失", False, op)
    if target.kind == "invalid" or actual.kind == "invalid":
        return Comparison(None, "目标值或完成值无法识别", False, op)
    tnum, anum = target.kind == "number", actual.kind == "number"
    if tnum and anum:
        op = op or ">="
        al = _align(target, actual)
        if isinstance(al, str):
            return Comparison(None, al, True, op)
        t, a, ta = al
        return Comparison(_satisfies(a, ta, op, t), None, False, op, t, a, ta)
    if tnum and not anum:
        lab = _canon(actual.label or actual.raw)
        if float(target.number) == 0 and (lab in _NEG_WORDS or _parts(lab)[0] == "neg"):
            return Comparison(True, None, False, op or "=")  # target 0 (违法违纪0起), actual 无
        return Comparison(None, f"数值目标的完成值为文字“{actual.label or actual.raw}”", True, op or ">=")
    if anum and not tnum:
        mt, kt = _parts(target.label or target.raw)
        if mt == "none" and _generic(target.label or target.raw):
            if _is_pct(actual):
                return Comparison(float(actual.number) + float(actual.tol or 0) + EPS >= 1.0, None, False, "=")
            if float(actual.number) > 0 and kt in ("", "完成", "实现", "达到"):
                return Comparison(True, None, False, "=")
        if mt == "neg" and not kt and float(actual.number) == 0:
            return Comparison(True, None, False, "=")
        return Comparison(None, f"文字目标“{target.label or target.raw}”的完成值为数值", True, op or "=")
    eq = labels_equivalent(target.label or target.raw, actual.label or actual.raw)
    if eq is None:
        return Comparison(None, f"完成值“{actual.label or actual.raw}”与目标“{target.label or target.raw}”无法对应",
                          False, op or "=")
    return Comparison(eq, None, False, op or "=")


# ================================================================================================
# Tier matching
# ================================================================================================

_COND_NUM_RE = re.compile(rf"(?P<num>{_NUM})(?P<unit>{_UNIT_RE})?")


@lru_cache(maxsize=65536)
def _label_condition(label: str) -> tuple[float, bool, float, bool, bool] | None:
    """A numeric tier label as an interval: (lo, lo_inclusive, hi, hi_inclusive, percent)."""
    s = _canon(label)
    nums = list(_COND_NUM_RE.finditer(s))
    if not nums or len(nums) > 2:
        return None

    def scale(mm: re.Match[str]) -> tuple[float, bool]:
        x, u = float(mm.group("num")), mm.group("unit") or ""
        if u in ("%", "个百分点", "百分点", "百分比"):
            return x / 100.0, True
        if u.startswith("万"):
            return x * 1e4, False
        if u.startswith("亿"):
            return x * 1e8, False
        return x, False

    if len(nums) == 2:
        (a, pa), (b, pb) = scale(nums[0]), scale(nums[1])
        if pa != pb and "%" in s:  # "90-95%"
            a, b, pa = (a / 100 if not pa else a), (b / 100 if not pb else b), True
        between = s[nums[0].end():nums[1].start()]
        if between not in ("-", "~", "至", "到", "—", "≤", "<", "≤x<", "") and not re.fullmatch(r"[≤<][^\d]*[≤<]", between):
            return None
        lo, hi = min(a, b), max(a, b)
        hi_inc = hi >= 1.0 - EPS if pa else False
        return lo, True, hi, hi_inc, pa
    mm = nums[0]
    x, pct = scale(mm)
    before, after = s[:mm.start()], s[mm.end():]
    if re.search(r"(?:≥|不低于|不少于|达到|至少|大于等于)$", before) or re.match(r"(?:及以上|以上)", after):
        return x, True, math.inf, True, pct
    if re.search(r"(?:>|高于|超过|大于)$", before):
        return x, False, math.inf, True, pct
    if re.search(r"(?:≤|不超过|不高于|不大于|控制在)$", before) or re.match(r"(?:以内|之内|及以下)", after):
        return -math.inf, True, x, True, pct
    if re.search(r"(?:<|低于|少于|不足|未达到|小于)$", before) or re.match(r"以下", after):
        return -math.inf, True, x, False, pct
    if re.search(r"(?:完成|实现)$", before):
        return x, True, math.inf, True, pct
    return x, True, x, True, pct


def _in_condition(cond: tuple[float, bool, float, bool, bool], a: float, tol: float) -> bool:
    lo, lo_inc, hi, hi_inc, _ = cond
    if lo == hi:
        return abs(a - lo) <= tol + EPS
    ok_lo = (a + tol + EPS >= lo) if lo_inc else (a > lo + EPS)
    ok_hi = (a - tol - EPS <= hi) if hi_inc else (a < hi - EPS)
    return ok_lo and ok_hi


def _tier_score(actual: str, label: str) -> int:
    """How well an actual label fits a tier label (0 = not at all). Modifiers must agree:
    较健全 never fits 健全, 未执行 never fits 执行, 不超支 never fits 超支, 无制度 never fits 制度."""
    ca, cl = _canon(actual), _canon(label)
    if not ca or not cl:
        return 0
    if ca == cl:
        return 100
    (ma, ka), (ml, kl) = _parts(actual), _parts(label)
    if ma != ml:
        return 0
    if ka and ka == kl:
        return 90
    if ka and kl and (ka in kl or kl in ka):
        return 50 + min(len(ka), len(kl))
    if ca in cl or cl in ca:
        return 10 + min(len(ca), len(cl))
    return 0


def match_tier(method: Method, actual: Value | str | None, target: Value | str | None = None,
               weight: float | None = None, operator: str | None = None) -> tuple[int, ...]:
    """Indices of the tiers the actual falls into (usually one; empty = no match).

    Order: numeric conditions ("≥95%"); exact label; containment with modifiers agreeing
    (较/基本/部分 = hedge, 不/未/无/否 = negation); then, when the actual meets the target (both
    "是"), the top tier if it is the full-marks tier; then a generic 是/有/完成 → the single
    unmodified tier, a generic 否/无 → the single negated (or catch-all) tier.
    """
    if not method.tiers:
        return ()
    av = actual if isinstance(actual, Value) or actual is None else parse_value(actual)
    tv = target if isinstance(target, Value) or target is None else parse_value(target)
    return _match_tier(method, av, tv, None if weight is None else float(weight), _norm_op(operator))


@lru_cache(maxsize=65536)
def _match_tier(method: Method, av: Value | None, tv: Value | None, weight: float | None,
                op: str | None) -> tuple[int, ...]:
    tiers = method.tiers
    if _is_word_placeholder(av):  # "无" (a placeholder for values.py) names the 无… tier
        av = _with(av, kind="label")
    if av is None or av.kind in ("missing", "invalid"):
        return ()
    labels = [t[0] for t in tiers]
    catch = [i for i, lab in enumerate(labels) if _canon(lab) in _CATCH_ALL]
    # 1. numeric actual against numeric tier labels
    if av.kind == "number":
        conds = [_label_condition(lab) for lab in labels]
        if any(c is not None for c in conds):
            hits = []
            for i, c in enumerate(conds):
                if c is None:
                    continue
                if c[4] or (tv is not None and _is_pct(tv)):
                    a, tol = _rate(av)
                else:
                    a, tol = float(av.number), float(av.tol or 0.0)
                if _in_condition(c, a, tol):
                    hits.append(i)
            if _is_pct(av) or (tv is not None and _is_pct(tv)):
                a, tol = _rate(av)
                if a + tol + EPS >= 1.0:  # 100 %: "全部完成得满分" beats "完成80%以上得3分"
                    done = [i for i, (lab, c) in enumerate(zip(labels, conds)) if c is None
                            and i not in catch and _parts(lab)[0] == "none" and _parts(lab)[1] in _AFFIRM_CORES]
                    if len(done) == 1:
                        return (done[0],)
            if hits:
                return tuple(hits)
            if catch:
                return tuple(catch)
    # 2. label matching
    alabel = av.label if av.kind != "number" else None
    if alabel:
        scores = [(_tier_score(alabel, lab), i) for i, lab in enumerate(labels) if i not in catch]
        best = max((sc for sc, _ in scores), default=0)
        if best > 0:
            top = [i for sc, i in scores if sc == best]
            if len({tiers[i][1] for i in top}) == 1 and len({method.tier_shares[i] for i in top}) == 1:
                return (top[0],)
            return ()  # ambiguous between tiers worth different points
    # 3. target equivalence: actual meets the target and the top tier is the full-marks tier
    if tv is not None and tv.kind != "missing":
        cmp = compare(tv, av, op)
        if cmp.met:
            # the target itself may name a tier ("健全" → 制度健全)
            if tv.kind != "number" and tv.label:
                tsc = [(_tier_score(tv.label, lab), i) for i, lab in enumerate(labels) if i not in catch]
                tb = max((sc for sc, _ in tsc), default=0)
                if tb > 0:
                    top = [i for sc, i in tsc if sc == tb]
                    if len(top) == 1:
                        return (top[0],)
            ti = _top_tier(method, weight)
            if ti is not None:
                return (ti,)
        elif cmp.met is False:
            neg = [i for i, lab in enumerate(labels) if i not in catch and _parts(lab)[0] == "neg"]
            if len(neg) == 1:
                return (neg[0],)
            if catch:
                return tuple(catch)
    # 4. generic yes / no words
    if alabel:
        mod, core = _parts(alabel)
        if mod == "none" and core in _AFFIRM_CORES:
            plain = [i for i, lab in enumerate(labels) if i not in catch and _parts(lab)[0] == "none"
                     and _label_condition(lab) is None]
            if len(plain) == 1:
                return (plain[0],)
        if mod == "neg" and (core in _AFFIRM_CORES or _canon(alabel) in _NEG_WORDS):
            neg = [i for i, lab in enumerate(labels) if i not in catch and _parts(lab)[0] == "neg"]
            if len(neg) == 1:
                return (neg[0],)
            if not neg and catch:
                return tuple(catch)
    return ()


def _tier_points(method: Method, i: int, weight: float) -> tuple[float, float]:
    pts, share = method.tiers[i][1], method.tier_shares[i] if i < len(method.tier_shares) else None
    if pts is not None:
        return pts, pts
    if share is not None:
        return share * weight, share * weight
    # open (discretionary) tier: between the neighbouring fixed tiers
    fixed = sorted({_tier_points(method, j, weight)[0] for j in range(len(method.tiers))
                    if j != i and (method.tiers[j][1] is not None or method.tier_shares[j] is not None)})
    if not fixed:
        return 0.0, weight
    return fixed[0], fixed[-1]


def _top_tier(method: Method, weight: float | None) -> int | None:
    """Index of the highest tier if it is the full-marks tier."""
    w = weight if weight is not None else math.inf
    best, best_i = -math.inf, None
    for i in range(len(method.tiers)):
        if method.tiers[i][1] is None and method.tier_shares[i] is None:
            continue
        p = _tier_points(method, i, w if w != math.inf else 1.0)[0] if method.tiers[i][1] is None else method.tiers[i][1]
        if p > best:
            best, best_i = p, i
    if best_i is None:
        return None
    pts, share = method.tiers[best_i][1], method.tier_shares[best_i]
    if pts is None and share is not None and share >= 1.0 - EPS:
        return best_i
    if pts is not None and (weight is None or pts >= weight - EPS):
        return best_i
    return None


# ================================================================================================
# Bonus schedule
# ================================================================================================

@lru_cache(maxsize=4096)
def _formable(schedule: tuple[int, ...], cap: int, distinct: bool) -> frozenset[int]:
    reach = {0}
    if distinct:
        for v in schedule:
            reach |= {r + v for r in reach if r + v <= cap}
    else:
        changed = True
        while changed:
            new = {r + v for r in reach for v in schedule if v > 0 and r + v <= cap} - reach
            changed = bool(new)
            reach |= new
    return frozenset(reach)


def schedule_can_form(score: float, schedule, cap: float | None = None, *,
                      distinct: bool = False, tol: float = 1e-6) -> bool:
    """Can a bonus `score` be formed as a sum of schedule values (SCR008)?

    Each piece of work counts once (at one level), but several pieces of work may each earn a
    value, so values may repeat unless `distinct=True`. The sum never exceeds `cap`. 0 (no
    honours) is always formable.
    """
    try:
        score = float(score)
    except (TypeError, ValueError):
        return False
    if not math.isfinite(score) or score < -tol:
        return False
    if abs(score) <= tol:
        return True
    try:
        vals = [float(v) for v in (schedule or ()) if v is not None and math.isfinite(float(v)) and float(v) > 0]
    except (TypeError, ValueError):
        return False
    if not vals:
        return False
    if cap is not None:
        try:
            cap = float(cap)
        except (TypeError, ValueError):
            cap = None
        if cap is not None and not math.isfinite(cap):
            cap = None  # "no cap" written as inf
    if cap is not None and score > float(cap) + tol:
        return False
    units = tuple(sorted({int(round(v * 100)) for v in vals}))
    target = int(round(score * 100))
    if abs(target / 100 - score) > max(tol, 1e-6):
        return False
    limit = target if cap is None else min(target, int(round(float(cap) * 100)))
    return target in _formable(units, limit, distinct)


# ================================================================================================
# Recompute
# ================================================================================================

def _fmt(x: float | None) -> str:
    if x is None:
        return "—"
    if x in (math.inf, -math.inf):
        return "∞"
    s = f"{x:.4f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _fmt_val(v: Value | None) -> str:
    if v is None:
        return "—"
    if v.raw:
        return str(v.raw).strip()
    if v.kind == "number":
        if _is_pct(v):
            return f"{_fmt(float(v.number) * 100)}%"
        return f"{_fmt(v.number)}{v.unit or ''}"
    return v.label or "—"


def _fmt_bare(v: Value | None) -> str:
    """A threshold without its operator glyph: "≥70%" → "70%"."""
    return _fmt_val(v).lstrip("≥≤=<>")


def _clamp(lo: float, hi: float, weight: float) -> tuple[float, float]:
    lo = min(max(lo, 0.0), weight)
    hi = min(max(hi, 0.0), weight)
    if lo > hi:
        lo, hi = hi, lo
    return lo, hi


class _Ctx:
    __slots__ = ("method", "target", "actual", "weight", "op", "default", "cap", "schedule")

    def __init__(self, method, target, actual, weight, op, default, cap, schedule):
        self.method, self.target, self.actual, self.weight = method, target, actual, weight
        self.op, self.default, self.cap, self.schedule = op, default, cap, schedule


def _result(ctx: _Ctx, lo: float | None, hi: float | None, zh: str, en: str, *, met: bool | None = None,
            reason: str | None = None, kind: str | None = None, matched: str | None = None,
            unit_mismatch: bool = False, point: float | None = None) -> Recomputed:
    kind = kind or ctx.method.kind
    if lo is None or hi is None:
        lo = hi = None
        reason = reason or "无法复核"
        zh = f"{zh}无法机器复核：{reason}。" if zh else f"无法机器复核：{reason}。"
        en = f"{en} Not machine-checkable ({reason})." if en else f"Not machine-checkable ({reason})."
    else:
        lo, hi = _clamp(lo, hi, ctx.weight)
        if abs(hi - lo) < 1e-9:
            rng_zh, rng_en = f"应得 {_fmt(lo)} 分", f"expected {_fmt(lo)}"
        elif point is not None and lo - EPS <= point <= hi + EPS:
            rng_zh = f"应得约 {_fmt(point)} 分（按完成值的印刷精度 {_fmt(lo)}–{_fmt(hi)}）"
            rng_en = f"expected about {_fmt(point)} ({_fmt(lo)}–{_fmt(hi)} at the actual's printed precision)"
        else:
            rng_zh, rng_en = f"应得 {_fmt(lo)}–{_fmt(hi)} 分", f"expected {_fmt(lo)}–{_fmt(hi)}"
        zh = f"{zh}{rng_zh}（分值 {_fmt(ctx.weight)}）。"
        en = f"{en} {rng_en} (weight {_fmt(ctx.weight)})."
    return Recomputed(lo, hi, kind, reason, met, zh, en.strip(), matched, unit_mismatch)


def _full(ctx: _Ctx) -> float:
    fp = ctx.method.full_points
    return ctx.weight if fp is None else min(fp, ctx.weight)


def _base(ctx: _Ctx) -> Value | None:
    """The value a threshold method scores against: the method's own threshold, else the target."""
    th = ctx.method.threshold
    tg = ctx.target
    if th is None:
        return tg
    if tg is not None and tg.kind == "number" and ctx.actual is not None and ctx.actual.kind == "number":
        if isinstance(_align(th, ctx.actual), str) and not isinstance(_align(tg, ctx.actual), str):
            return tg  # the method's number is in other units; the target is usable
    return th


def _op_for(ctx: _Ctx, base: Value | None) -> str:
    return (ctx.op or (ctx.target.op if ctx.target is not None and ctx.target.kind == "number" else None)
            or (base.op if base is not None else None) or ">=")


def _target_cmp(ctx: _Ctx) -> Comparison:
    if ctx.target is None:
        return Comparison(None, "目标值缺失")
    return compare(ctx.target, ctx.actual, ctx.op)


def _rc_threshold(ctx: _Ctx) -> Recomputed:
    m = ctx.method
    base = _base(ctx)
    full = _full(ctx)
    tcmp = _target_cmp(ctx)
    a = ctx.actual
    if a is None or a.kind in ("missing", "invalid"):
        return _result(ctx, None, None, "", "", reason="完成值缺失或无法识别")
    if base is None or base.kind != "number":
        # no number to score against: fall back to the target comparison (labels)
        if tcmp.met is True:
            return _result(ctx, full, full, "达到目标，", "Target met,", met=True)
        if tcmp.met is False and m.kind == "all_or_nothing":
            return _result(ctx, 0.0, 0.0, "未达到目标，", "Target missed,", met=False)
        return _result(ctx, None, None, "", "", met=tcmp.met, reason=tcmp.reason or "缺少可比较的目标值",
                       unit_mismatch=tcmp.unit_mismatch)
    if a.kind != "number":
        lab = a.label or a.raw or ""
        if tcmp.met is True or (_parts(lab)[0] == "none" and _generic(lab) and ctx.target is None):
            return _result(ctx, full, full, f"完成值“{lab}”视为达到目标，", f"Actual “{lab}” taken as meeting the target,",
                           met=True)
        return _result(ctx, None, None, "", "", met=tcmp.met,
                       reason=f"数值目标的完成值为文字“{lab}”", unit_mismatch=True)
    al = _align(base, a)
    if isinstance(al, str):
        return _result(ctx, None, None, "", "", met=None, reason=al, unit_mismatch=True)
    t, x, tol = al
    op = _op_for(ctx, base)
    met = tcmp.met if tcmp.met is not None else _satisfies(x, tol, op, t)
    met_base = _satisfies(x, tol, op, t)
    head_zh = f"完成值 {_fmt_val(a)} 对标 {_OP_GLYPH.get(op, op)}{_fmt_bare(base)}，"
    head_en = f"Actual {_fmt_val(a)} vs {_OP_GLYPH.get(op, op)}{_fmt_bare(base)}:"
    if met_base:
        if _satisfies(x, 0.0, op, t) or not (m.kind in ("threshold_proportional", "all_or_nothing")
                                              or m.fallback == "proportional"):
            return _result(ctx, full, full, head_zh + "已达到，", head_en + " met,", met=met)
        # met only within the actual's printed precision ("26万" for ≥26.3万): both readings are defensible
        low = 0.0 if m.kind == "all_or_nothing" else full * _prop_range(x, tol, t, op)[0]
        return _result(ctx, low, full, head_zh + "仅在印刷精度内达到，满分或按比例得分均可，",
                       head_en + " met only within its printed precision: full or proportional marks,", met=met)
    zb = m.zero_below
    if zb is not None and zb.kind == "number":
        zal = _align(zb, a)
        if not isinstance(zal, str) and not _satisfies(zal[1], zal[2], ">=", zal[0]):
            return _result(ctx, 0.0, 0.0, head_zh + f"低于{_fmt_bare(zb)}不得分，",
                           head_en + f" below {_fmt_bare(zb)} scores 0,", met=met)
    fb = m.fallback
    if m.kind == "all_or_nothing":
        return _result(ctx, 0.0, 0.0, head_zh + "未达到，不得分，", head_en + " missed, all-or-nothing:", met=met)
    lo_r, hi_r = _prop_range(x, tol, t, op)
    if m.kind == "threshold_proportional" or fb == "proportional":
        mid = _prop_range(x, 0.0, t, op)[0]
        return _result(ctx, full * lo_r, full * hi_r, head_zh + "未达到，按完成比例计分，",
                       head_en + " missed, proportional:", met=met, point=full * mid)
    if fb == "discretionary":
        return _result(ctx, 0.0, full, head_zh + "未达到，未达部分酌情评分，",
                       head_en + " missed, the method leaves the partial score to judgement:", met=met)
    # fallback not stated: anything from 0 up to the proportional score (profile default ceiling)
    return _result(ctx, 0.0, full * hi_r, head_zh + "未达到，办法未写明未达标时的计分，取 0 至按比例得分，",
                   head_en + " missed, the method states no rule for a miss (0 up to proportional):", met=met)


def _prop_range(x: float, tol: float, t: float, op: str) -> tuple[float, float]:
    """(low, high) of the completion ratio, ≤ 1, from the actual's printed precision."""
    def ratio(v: float) -> float:
        if op in ("<=", "<"):
            if v <= 0:
                return 1.0
            return min(max(t / v, 0.0), 1.0)
        if t <= 0:
            return 1.0
        return min(max(v / t, 0.0), 1.0)
    r1, r2 = ratio(x - tol), ratio(x + tol)
    return min(r1, r2), max(r1, r2)


def _rc_deduction(ctx: _Ctx) -> Recomputed:
    m = ctx.method
    per, step = m.deduction or (1.0, 0.0)
    full = _full(ctx)
    a = ctx.actual
    tcmp = _target_cmp(ctx)
    max_ded = min(m.cap, full) if m.cap is not None else full
    if a is None or a.kind in ("missing", "invalid"):
        return _result(ctx, None, None, "", "", reason="完成值缺失或无法识别")
    if m.direction == "count":
        if a.kind != "number":
            lab = a.label or a.raw or ""
            if _canon(lab) in _NEG_WORDS or _parts(lab)[0] == "neg":
                return _result(ctx, full, full, f"未发生扣分情形（“{lab}”），", f"No deductible event (“{lab}”),", met=True)
            return _result(ctx, None, None, "", "", reason=f"完成值“{lab}”不是次数", unit_mismatch=True)
        base = 0.0
        if ctx.target is not None and ctx.target.kind == "number" and _units_compatible(ctx.target.unit, a.unit):
            base = float(ctx.target.number)
        n = max(float(a.number) - base, 0.0)
        d = min(math.ceil(n / per - 1e-9) * step, max_ded) if per > 0 else 0.0
        dlo = min(math.floor(n / per + 1e-9) * step, max_ded) if per > 0 else 0.0
        return _result(ctx, full - d, full - dlo, f"发生 {_fmt(n)} 次扣分情形，每{_fmt(per)}次扣{_fmt(step)}分，",
                       f"{_fmt(n)} deductible events at {_fmt(step)} per {_fmt(per)},", met=n <= 0)
    base = _base(ctx)
    if a.kind != "number":
        lab = a.label or a.raw or ""
        if tcmp.met is True or (m.direction == "late" and _parts(lab)[0] == "none" and
                                ("按时" in lab or "及时" in lab or "按期" in lab or _generic(lab))):
            return _result(ctx, full, full, f"完成值“{lab}”视为达到目标，", f"Actual “{lab}” taken as meeting the target,",
                           met=True)
        return _result(ctx, None, None, "", "", met=tcmp.met, reason=f"完成值为文字“{lab}”，无法计算差额",
                       unit_mismatch=base is not None and base.kind == "number")
    if base is None or base.kind != "number":
        if m.direction == "late" and (base is None or base.kind != "number"):
            base = None
            n = float(a.number)  # days late
            d_hi = min(math.ceil(n / per - 1e-9) * step, max_ded)
            d_lo = min(math.floor(n / per + 1e-9) * step, max_ded)
            return _result(ctx, full - d_hi, full - d_lo, f"延迟 {_fmt(n)}，", f"{_fmt(n)} late,", met=n <= 0)
        return _result(ctx, None, None, "", "", reason="缺少扣分基准（目标值）", met=tcmp.met)
    al = _align(base, a)
    if isinstance(al, str):
        return _result(ctx, None, None, "", "", reason=al, unit_mismatch=True)
    t, x, tol = al
    if m.direction in ("above", "late"):
        op = "<="
    else:
        op = ">="
    met = tcmp.met if tcmp.met is not None else _satisfies(x, tol, op, t)
    if _satisfies(x, tol, op, t):
        return _result(ctx, full, full, f"完成值 {_fmt_val(a)} 达到基准 {_fmt_val(base)}，不扣分，",
                       f"Actual {_fmt_val(a)} meets {_fmt_val(base)}, no deduction,", met=met)
    zb = m.zero_below
    if zb is not None and zb.kind == "number":
        zal = _align(zb, a)
        if not isinstance(zal, str) and not _satisfies(zal[1], zal[2], ">=", zal[0]):
            return _result(ctx, 0.0, 0.0, f"完成值低于{_fmt_bare(zb)}，不得分，",
                           f"Actual below {_fmt_val(zb)} scores 0,", met=met)
    gap_lo = (t - (x + tol)) if op == ">=" else ((x - tol) - t)
    gap_hi = (t - (x - tol)) if op == ">=" else ((x + tol) - t)
    gap_lo, gap_hi = max(gap_lo, 0.0), max(gap_hi, 0.0)
    if per <= 0:
        return _result(ctx, None, None, "", "", reason="扣分单位无效")
    gap = max((t - x) if op == ">=" else (x - t), 0.0)
    s_mid, s_lo, s_hi = gap / per, gap_lo / per, gap_hi / per
    # accepted readings: whole steps at the printed value (floor / ceil: "不足1个百分点" counted or
    # not) and the continuous deduction over the actual's printed precision
    cands = (math.floor(s_mid + 1e-9) * step, math.ceil(s_mid - 1e-9) * step, s_lo * step, s_hi * step)
    d_lo, d_hi = min(min(cands), max_ded), min(max(cands), max_ded)
    word = "低" if op == ">=" else "超"
    return _result(ctx, full - d_hi, full - d_lo,
                   f"完成值 {_fmt_val(a)} 较基准 {_fmt_val(base)} {word} {_fmt(gap / per)} 个扣分单位（每单位扣{_fmt(step)}分），",
                   f"Actual {_fmt_val(a)} is {_fmt(gap / per)} steps {'below' if op == '>=' else 'above'} "
                   f"{_fmt_val(base)} at {_fmt(step)} per step,", met=met)


def _band_for(ctx: _Ctx, bands: tuple[tuple[str, float, float], ...]) -> tuple[list[int], bool | None]:
    a = ctx.actual
    tcmp = _target_cmp(ctx)
    # direct label match against the band labels (达成 / 部分达成 / 未达成)
    if a is not None and a.kind == "label":
        scores = [(_tier_score(a.label or "", b[0]), i) for i, b in enumerate(bands)]
        best = max((sc for sc, _ in scores), default=0)
        if best > 0:
            return [i for sc, i in scores if sc == best][:1], tcmp.met
    mods = [_parts(b[0])[0] for b in bands]
    top = [i for i, md in enumerate(mods) if md == "none"][:1] or [0]
    if tcmp.met is True:
        return top, True
    if a is not None and a.kind == "label":
        mod = _parts(a.label or "")[0]
        hits = [i for i, md in enumerate(mods) if md == mod and mod != "none"]
        if hits:
            return hits[:1], tcmp.met if tcmp.met is not None else False
    if tcmp.met is False:
        return [i for i in range(len(bands)) if i not in top], False
    return [], tcmp.met


def _rc_bands(ctx: _Ctx, bands: tuple[tuple[str, float, float], ...] | None = None,
              kind: str | None = None) -> Recomputed:
    bands = bands or ctx.method.bands or DEFAULT_BANDS
    w = ctx.weight
    a = ctx.actual
    if a is None or a.kind in ("missing", "invalid"):
        return _result(ctx, None, None, "", "", reason="完成值缺失或无法识别", kind=kind)
    idx, met = _band_for(ctx, bands)
    if not idx:
        tcmp = _target_cmp(ctx)
        return _result(ctx, None, None, "", "", met=met, kind=kind,
                       reason=tcmp.reason or "无法判断达成程度", unit_mismatch=tcmp.unit_mismatch)
    lo = min(bands[i][1] for i in idx) * w
    hi = max(bands[i][2] for i in idx) * w
    names = "/".join(bands[i][0] for i in idx)
    return _result(ctx, lo, hi, f"完成值“{_fmt_val(a)}”属“{names}”档（分值的{_fmt(lo / w * 100 if w else 0)}%–"
                   f"{_fmt(hi / w * 100 if w else 0)}%），",
                   f"Actual “{_fmt_val(a)}” falls in band “{names}”,", met=met, kind=kind, matched=names)


def _rc_tiers(ctx: _Ctx) -> Recomputed:
    m = ctx.method
    a = ctx.actual
    if a is None or a.kind in ("missing", "invalid"):
        return _result(ctx, None, None, "", "", reason="完成值缺失或无法识别")
    hits = _match_tier(m, a, ctx.target, ctx.weight, ctx.op)
    tcmp = _target_cmp(ctx) if ctx.target is not None else Comparison(None)
    if not hits:
        return _result(ctx, None, None, "", "", met=tcmp.met, unit_mismatch=tcmp.unit_mismatch,
                       reason=f"完成值“{_fmt_val(a)}”无法对应到评分档次（{'、'.join(t[0] for t in m.tiers)}）")
    lo = min(_tier_points(m, i, ctx.weight)[0] for i in hits)
    hi = max(_tier_points(m, i, ctx.weight)[1] for i in hits)
    names = "/".join(m.tiers[i][0] for i in hits)
    met = tcmp.met
    if met is None:
        top = _top_tier(m, ctx.weight)
        met = None if top is None else (top in hits)
    why_zh = why_en = ""
    if a.kind == "label" and len(hits) == 1 and _tier_score(a.label or "", m.tiers[hits[0]][0]) == 0:
        if tcmp.met is True:
            why_zh, why_en = "（完成值与目标值一致，视为达到该档）", " (the actual equals the target)"
        else:
            why_zh, why_en = "（按肯定/否定含义对应）", " (by its yes/no meaning)"
    return _result(ctx, lo, hi, f"完成值“{_fmt_val(a)}”对应“{names}”档{why_zh}，",
                   f"Actual “{_fmt_val(a)}” falls in tier “{names}”{why_en},", met=met, matched=names)


def _rc_exec(ctx: _Ctx) -> Recomputed:
    a = ctx.actual
    full = _full(ctx)
    if a is None or a.kind != "number":
        return _result(ctx, None, None, "", "", reason="执行率缺失或不是数值",
                       unit_mismatch=a is not None and a.kind == "label")
    if a.unit and a.unit not in ("%", "百分比"):
        return _result(ctx, None, None, "", "", reason=f"执行率的单位为“{a.unit}”", unit_mismatch=True)
    r, tol = _rate(a)
    lo, hi = full * min(max(r - tol, 0.0), 1.0), full * min(max(r + tol, 0.0), 1.0)
    tcmp = _target_cmp(ctx)
    return _result(ctx, lo, hi, f"得分 = {_fmt(full)} × min(执行率 {_fmt(r * 100)}%, 100%)，",
                   f"score = {_fmt(full)} × min(rate {_fmt(r * 100)}%, 100%):", met=tcmp.met,
                   point=full * min(max(r, 0.0), 1.0))


def _rc_bonus(ctx: _Ctx) -> Recomputed:
    m = ctx.method
    sched = m.schedule or tuple(ctx.schedule or ())
    cap = m.cap if m.cap is not None else (ctx.cap if ctx.cap is not None and math.isfinite(ctx.cap) else ctx.weight)
    cap = min(cap, ctx.weight) if ctx.weight > 0 else cap
    a = ctx.actual
    note_zh = f"加分标准 {'/'.join(_fmt(v) for v in sched)} 分，上限 {_fmt(cap)} 分" + (
        "，同一项工作不累计" if m.no_double_count else "") + "；得分须能由加分标准组合而成。"
    note_en = (f"bonus schedule {'/'.join(_fmt(v) for v in sched)}, cap {_fmt(cap)}"
               + ("; the same work counts once" if m.no_double_count else "") + "; the score must be a sum of schedule values.")
    if not sched:
        return _result(ctx, None, None, "", "", reason="加分标准为空")
    if a is None or a.kind in ("missing", "invalid"):
        return _result(ctx, 0.0, cap, "完成值未说明获奖情况，" + note_zh, "Actual does not state the honours; " + note_en)
    if a.kind == "number":
        n = float(a.number)
        if n <= 0:
            return _result(ctx, 0.0, 0.0, "无加分事项，", "No bonus items,", met=False)
        k = max(int(math.floor(n + 1e-9)), 1)
        lo = min(k * min(sched), cap)
        hi = cap if (a.op in (">=", ">") or m.repeatable) else min(k * max(sched), cap)
        return _result(ctx, lo, hi, f"完成值 {_fmt_val(a)}（{k} 项{'及以上' if a.op in ('>=', '>') else ''}），{note_zh}",
                       f"Actual {_fmt_val(a)} ({k} item(s){' or more' if a.op in ('>=', '>') else ''}); {note_en}", met=True)
    lab = a.label or a.raw or ""
    c = _canon(lab)
    if c in _NEG_WORDS or _parts(lab)[0] == "neg":
        return _result(ctx, 0.0, 0.0, f"完成值“{lab}”，无加分，", f"Actual “{lab}”: no bonus,", met=False)
    hits = [v for label, v in zip(m.schedule_labels, m.schedule)
            if label and (_canon(label) in c or (_parts(label)[1] and _parts(label)[1] in c))]
    if hits:
        # several honours named: at least the highest, at most all of them (if they are separate works)
        hi = sum(hits)
        return _result(ctx, min(max(hits), cap), min(hi, cap), f"完成值“{lab}”对应加分 {'/'.join(_fmt(h) for h in hits)} 分，",
                       f"Actual “{lab}” matches bonus values {'/'.join(_fmt(h) for h in hits)},", met=True)
    if _generic(lab):
        return _result(ctx, min(min(sched), cap), cap, f"完成值“{lab}”，{note_zh}", f"Actual “{lab}”; {note_en}", met=True)
    return _result(ctx, 0.0, cap, f"完成值“{lab}”未写明获奖级别，{note_zh}", f"Actual “{lab}” names no level; {note_en}")


def _rc_not_checkable(ctx: _Ctx) -> Recomputed:
    m = ctx.method
    tcmp = _target_cmp(ctx) if ctx.target is not None and ctx.actual is not None else Comparison(None)
    return _result(ctx, None, None, "", "", met=tcmp.met, reason=m.reason or "评分办法无法机器复核",
                   unit_mismatch=tcmp.unit_mismatch)


def _rc_default(ctx: _Ctx) -> Recomputed:
    if ctx.default not in ("mof",):
        return _result(ctx, None, None, "", "", reason="未给出评分办法，且模板无默认办法", kind="default")
    t, a = ctx.target, ctx.actual
    tcmp = _target_cmp(ctx)
    if t is not None and t.kind == "number":
        if tcmp.met is None:
            return _result(ctx, None, None, "", "", met=None, reason=tcmp.reason or "无法比较", kind="default",
                           unit_mismatch=tcmp.unit_mismatch)
        w = ctx.weight
        op = tcmp.op or ">="
        if tcmp.met:
            return _result(ctx, w, w, "未列评分办法，按财政部默认办法：达到目标得满分，",
                           "No method printed; MOF default: target met, full marks,", met=True, kind="default")
        lo_r, hi_r = _prop_range(tcmp.actual_number, tcmp.actual_tol, tcmp.target_number, op)
        mid = _prop_range(tcmp.actual_number, 0.0, tcmp.target_number, op)[0]
        return _result(ctx, w * lo_r, w * hi_r, "未列评分办法，按财政部默认办法：未达目标按完成比例计分，",
                       "No method printed; MOF default: target missed, proportional,", met=False, kind="default",
                       point=w * mid)
    if t is None or t.kind == "missing":
        if a is not None and a.kind == "label" and _parts(a.label or "")[0] != "none":
            return _rc_bands(ctx, DEFAULT_BANDS, kind="default")
        return _result(ctx, None, None, "", "", reason="未列评分办法且目标值缺失", kind="default")
    r = _rc_bands(ctx, DEFAULT_BANDS, kind="default")
    if r.low is None:
        return r
    return Recomputed(r.low, r.high, "default", None, r.met,
                      "未列评分办法，按财政部默认办法（定性指标分档）：" + r.explanation_zh,
                      "No method printed; MOF default for qualitative indicators: " + r.explanation_en,
                      r.matched, r.unit_mismatch)


#: recompute dispatch table: method kind → scorer
_RECOMPUTERS: dict[str, Callable[[_Ctx], Recomputed]] = {
    "tiers": _rc_tiers,
    "threshold_proportional": _rc_threshold,
    "all_or_nothing": _rc_threshold,
    "threshold": _rc_threshold,
    "per_unit_deduction": _rc_deduction,
    "qualitative_bands": _rc_bands,
    "execution_rate": _rc_exec,
    "bonus_schedule": _rc_bonus,
    "discretionary": _rc_not_checkable,
    "unknown": _rc_not_checkable,
    "default": _rc_default,
}


def _as_value(v: Value | str | float | None, *, percent: bool = False) -> Value | None:
    if v is None or isinstance(v, Value):
        return v
    return parse_value(v, percent=percent)


def _as_weight(weight) -> float | None:
    try:
        w = float(weight)
    except (TypeError, ValueError):
        try:
            w = parse_value(weight).number  # "2分"
            w = float(w) if w is not None else None
        except Exception:
            w = None
    if w is None or not math.isfinite(w):
        return None
    return w


def recompute(method: Method | str | None, target: Value | str | None, actual: Value | str | None, weight: float, *,
              operator: str | None = None, default: str | None = "mof", cap: float | None = None,
              schedule: tuple[float, ...] | None = None, unit: str | None = None) -> Recomputed:
    """The range of scores `method` allows for this target / actual / weight.

    `operator` is the 指标性质 column if any; `default` the profile's default method ("mof", or
    None for none) used when the method text is empty; `cap` / `schedule` the profile's bonus cap and
    schedule, used when a bonus method does not print them. low/high are always within
    [0, weight]; not checkable → low = high = None and `reason` says why (Chinese). `unit` is the
    度量单位 column (given to bare numbers: "≥3000" + 人).
    """
    if not isinstance(method, Method):
        method = parse_method(method)
    tv = _apply_unit(_as_value(target), unit)
    av = _apply_unit(_as_value(actual, percent=bool(tv is not None and tv.kind == "number" and _is_pct(tv))), unit)
    return _recompute(method, tv, av, _as_weight(weight), _norm_op(operator),
                      default, None if cap is None else float(cap),
                      None if schedule is None else tuple(float(x) for x in schedule))


@lru_cache(maxsize=131072)
def _recompute(method: Method, target: Value | None, actual: Value | None, weight: float | None,
               op: str | None, default: str | None, cap: float | None,
               schedule: tuple[float, ...] | None) -> Recomputed:
    if weight is None or weight < 0:
        ctx = _Ctx(method, target, actual, 0.0, op, default, cap, schedule)
        return _result(ctx, None, None, "", "", reason="分值缺失或无效")
    if method.kind in ("tiers", "qualitative_bands", "bonus_schedule", "per_unit_deduction", "default") and (
            _is_word_placeholder(actual) or _is_word_placeholder(target)):
        if method.kind in ("bonus_schedule", "tiers") and _is_word_placeholder(actual):
            actual = _with(actual, kind="label")
        target, actual = _wordify(target, actual)
    ctx = _Ctx(method, target, actual, weight, op, default, cap, schedule)
    if weight == 0 and method.kind != "bonus_schedule":
        if method.kind in ("discretionary", "unknown"):
            return _rc_not_checkable(ctx)
        return _result(ctx, 0.0, 0.0, "分值为0，", "Weight 0,")
    try:
        return _RECOMPUTERS.get(method.kind, _rc_not_checkable)(ctx)
    except Exception as exc:  # pragma: no cover - defensive: never stop a batch
        return _result(ctx, None, None, "", "", reason=f"复核时出错：{type(exc).__name__}")


@lru_cache(maxsize=262144)
def recompute_row(method_text: str | None, target: str | float | None, actual: str | float | None,
                  weight, operator: str | None = None, default: str | None = "mof",
                  cap: float | None = None, unit: str | None = None) -> Recomputed:
    """Fast path for batch runs: the cells exactly as printed (cached on the raw strings)."""
    return recompute(parse_method(method_text), target, actual, weight,
                     operator=operator, default=default, cap=cap, unit=unit)


# ================================================================================================
# Human readings
# ================================================================================================

def _tier_str(m: Method, i: int, lang: str) -> str:
    label, pts = m.tiers[i]
    share = m.tier_shares[i] if i < len(m.tier_shares) else None
    if pts is not None:
        v = f"{_fmt(pts)}分" if lang == "zh" else _fmt(pts)
    elif share is not None:
        if abs(share - 1.0) < EPS:
            v = "满分" if lang == "zh" else "full marks"
        else:
            v = f"分值×{_fmt(share * 100)}%" if lang == "zh" else f"{_fmt(share * 100)}% of weight"
    else:
        v = "酌情" if lang == "zh" else "discretionary"
    return f"{label}={v}" if lang == "zh" else f"{label} → {v}"


def describe(method: Method | str | None, lang: str = "zh") -> str:
    """One-line human reading of a parsed method."""
    m = method if isinstance(method, Method) else parse_method(method)
    zh = lang != "en"
    full = (f"{_fmt(m.full_points)}分" if m.full_points is not None else "满分") if zh else (
        _fmt(m.full_points) if m.full_points is not None else "full marks")
    th = _fmt_val(m.threshold) if m.threshold is not None else ("目标值" if zh else "the target")
    k = m.kind
    if k == "tiers":
        body = "；".join(_tier_str(m, i, "zh" if zh else "en") for i in range(len(m.tiers)))
        return f"分档评分：{body}" if zh else f"tiers: {'; '.join(_tier_str(m, i, 'en') for i in range(len(m.tiers)))}"
    if k == "threshold_proportional":
        zb = (f"；低于{_fmt_bare(m.zero_below)}不得分" if zh else f"; below {_fmt_bare(m.zero_below)} scores 0") \
            if m.zero_below is not None else ""
        return (f"达标得{full}（基准 {th}），未达标按完成比例计分（≥ 目标：分值×实际/目标；≤ 目标：分值×目标/实际）{zb}"
                if zh else f"threshold {th}: met → {full}; missed → proportional (weight × actual/target, "
                f"or target/actual for ≤ targets){zb}")
    if k == "all_or_nothing":
        return f"达到 {th} 得{full}，未达到不得分" if zh else f"all-or-nothing: {th} met → {full}, otherwise 0"
    if k == "threshold":
        extra = ("未达标酌情评分" if m.fallback == "discretionary" else "未写明未达标时的计分") if zh else (
            "partial score left to judgement" if m.fallback == "discretionary" else "no rule stated for a miss")
        return f"达到 {th} 得{full}；{extra}" if zh else f"threshold {th} met → {full}; {extra}"
    if k == "per_unit_deduction":
        per, step = m.deduction or (1.0, 0.0)
        pct = m.per_unit == "%"
        per_s = _fmt(per * 100) if pct else _fmt(per)
        unit_z = "个百分点" if pct else (m.per_unit or "")
        unit_e = " percentage point(s)" if pct else (m.per_unit or "")
        dirs = {"below": ("低于基准每", "below"), "above": ("超出基准每", "above"),
                "late": ("每延迟", "late against"), "count": ("每发生", "per event")}
        dz, de = dirs.get(m.direction or "below", dirs["below"])
        base_z = f"（基准 {th}）" if m.direction not in ("count",) else ""
        capz = f"，最多扣{_fmt(m.cap)}分" if m.cap is not None else ""
        cape = f", at most {_fmt(m.cap)}" if m.cap is not None else ""
        zb = (f"；低于{_fmt_bare(m.zero_below)}不得分" if zh else f"; below {_fmt_bare(m.zero_below)} scores 0") \
            if m.zero_below is not None else ""
        if zh:
            return f"从{full}起扣分{base_z}：{dz}{per_s}{unit_z}扣{_fmt(step)}分{capz}，扣完为止{zb}"
        if m.direction == "count":
            return f"per-unit deduction from {full}: {_fmt(step)} per {per_s}{unit_e} event(s){cape}, floor 0{zb}"
        return (f"per-unit deduction from {full}: {_fmt(step)} per {per_s}{unit_e} {de} {th}{cape}, floor 0{zb}")
    if k == "qualitative_bands":
        if zh:
            return "定性分档：" + "；".join(f"{b[0]} {_fmt(b[1] * 100)}%–{_fmt(b[2] * 100)}%分值" for b in m.bands)
        return "qualitative bands: " + "; ".join(f"{b[0]} {_fmt(b[1] * 100)}–{_fmt(b[2] * 100)}% of weight" for b in m.bands)
    if k == "execution_rate":
        return (f"得分 = {full if m.full_points is not None else '分值'} × min(执行率, 100%)" if zh else
                f"score = {full if m.full_points is not None else 'weight'} × min(execution rate, 100%)")
    if k == "bonus_schedule":
        items = "；".join(f"{lab or '?'}+{_fmt(v)}" for lab, v in zip(m.schedule_labels, m.schedule))
        capz = f"，上限 {_fmt(m.cap)} 分" if m.cap is not None else "，上限见模板"
        cape = f", cap {_fmt(m.cap)}" if m.cap is not None else ", cap from the profile"
        nd_z = "，同一项工作不累计" if m.no_double_count else ""
        nd_e = ", the same work counts once" if m.no_double_count else ""
        return (f"加分：{items}{capz}{nd_z}" if zh else
                f"bonus schedule: {', '.join(f'{lab} +{_fmt(v)}' for lab, v in zip(m.schedule_labels, m.schedule))}{cape}{nd_e}")
    if k == "discretionary":
        return "主观评分（酌情），无法机器复核" if zh else "discretionary scoring, not machine-checkable"
    if k == "default":
        return ("未列评分办法：适用模板默认办法（达标满分；未达标按比例；定性指标 达成80–100%/部分达成60–80%/未达成0–60%）"
                if zh else "no method printed: profile default (met → full; missed → proportional; qualitative bands "
                "80–100/60–80/0–60%)")
    return f"无法解析：{m.reason or ''}" if zh else "not understood (unknown phrasing)"


def explain(text: str | None, target: str | None = None, actual: str | None = None, weight=None,
            lang: str = "zh", operator: str | None = None, score=None) -> str:
    """The printable explanation behind `budget-audit explain-method`."""
    m = parse_method(text)
    zh = lang != "en"
    lines = []
    lines.append(("评分办法：" if zh else "Method: ") + (str(text).strip() if text else "—"))
    lines.append(("解析类型：" if zh else "Kind: ") + m.kind)
    lines.append(("解读：" if zh else "Reading: ") + describe(m, "zh" if zh else "en"))
    if m.reason and m.kind in ("discretionary", "unknown"):
        lines.append(("原因：" if zh else "Reason: ") + m.reason)
    tv, av = _as_value(target), _as_value(actual)
    if tv is not None or av is not None:
        lines.append(("目标值：" if zh else "Target: ") + _fmt_val(tv) + ("    完成值：" if zh else "    Actual: ") + _fmt_val(av))
        if tv is not None and av is not None:
            c = compare(tv, av, operator)
            met = {True: ("达到" if zh else "met"), False: ("未达到" if zh else "missed"),
                   None: ("无法判断" if zh else "undecided")}[c.met]
            extra = f"（{c.reason}）" if c.reason else ""
            if c.unit_mismatch:
                extra += "，单位不一致（MTH005）" if zh else ", unit mismatch (MTH005)"
            lines.append(("比较：" if zh else "Comparison: ") + f"{met}{extra}" + (f"  [{c.op}]" if c.op else ""))
    w = _as_weight(weight) if weight is not None else None
    if w is not None:
        r = recompute(m, tv, av, w, operator=operator)
        lines.append(("复核：" if zh else "Recomputed: ") + (r.explanation_zh if zh else r.explanation_en))
        if score is not None and r.low is not None:
            sv = _as_weight(score)
            if sv is not None:
                ok = r.contains(sv, 0.005)
                lines.append(("所报得分：" if zh else "Stated score: ") + _fmt(sv) + "  " +
                             (("一致" if zh else "consistent") if ok else ("不一致（MTH001）" if zh else "contradicts the method (MTH001)")))
    elif tv is not None or av is not None:
        lines.append("（未给出分值，无法复核得分）" if zh else "(no weight given: score not recomputed)")
    return "\n".join(lines)
