"""Read a 评分办法 text into a `Method`: text normalisation and the table of patterns (`_PATTERNS`).

`_PATTERNS` is a list of ``(kind, compiled regex, builder)`` entries tried in order; the first entry whose
regex matches and whose builder accepts the text wins. To teach the reader a new phrasing, add a row (or
widen a regex) and a corpus entry in ``tests/method_corpus.yaml``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Callable

from ..values import Value, clean_text, parse_value
from .model import DEFAULT_BANDS, Method

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


#: parse_method's memo, by method text. Kept across the chunks of a batch on purpose: a template's methods
#: repeat in every workbook of a batch, and parsing them again in each chunk of 500 cost ~0.85 ms per
#: workbook (300 generated workbooks, ~10 distinct methods each). `batch.clear_memos` empties the lru caches
#: of this package after each chunk; this plain dict is not one of them, so it bounds itself: emptied when
#: it holds `METHOD_MEMO_MAX` texts (a `Method` is ~1–2 KB: a few MB at most).
_METHOD_MEMO: dict = {}
METHOD_MEMO_MAX = 4096


def parse_method(text: str | None) -> Method:
    """Parse a 评分办法 text into a `Method` (never raises; unknown phrasing → kind 'unknown').
    Pure: memoised by the text (see `_METHOD_MEMO`); only a str is memoised (1, 1.0 and True are one dict key)."""
    if type(text) is not str:
        return _parse_method(text)
    m = _METHOD_MEMO.get(text)
    if m is None:
        if len(_METHOD_MEMO) >= METHOD_MEMO_MAX:
            _METHOD_MEMO.clear()
        m = _METHOD_MEMO[text] = _parse_method(text)
    return m


def _parse_method(text: str | None) -> Method:
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


