"""Does an actual value meet its target? Labels, operators, units and scales, tier matching (MTH005).

Qualitative labels are compared negation- and hedge-aware (较健全 ≠ 健全, 未执行 ≠ 执行); numbers at the
actual's printed precision.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from ..dates import date_met, parse_date
from ..values import Value, clean_text, parse_unit, parse_value
from .model import EPS, Comparison, Method, _as_value
from .parse import _NUM, _TIER_PREFIX_RE, _UNIT_RE, _with, normalize_method_text

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
    elif a_word and target is not None and target.kind == "number" and (target.op or ">=") in (">=", ">", "="):
        actual = _with(actual, kind="label")    # "100%" answered "无": a word where a number is due (MTH005)
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
    if (td := parse_date(target.raw)) is not None and parse_date(actual.raw) is not None:
        # 时效 targets: "9月前" vs "8月" are dates, compared as periods (never a unit mismatch)
        met = date_met(target.raw, actual.raw)
        why = None if met is not None else f"完成时间“{actual.raw}”与目标“{target.raw}”无法确定先后"
        return Comparison(met, why, False, "<=" if td.by else "=")
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
def _unequal_condition(label: str) -> tuple[float, bool] | None:
    """A tier for every value but one: "实际支出率≠100%则不得分" → (1.0, percent)."""
    s = _canon(label)
    nums = list(_COND_NUM_RE.finditer(s))
    if len(nums) != 1 or not re.search(r"(?:≠|不等于)$", s[:nums[0].start()]):
        return None
    x, u = float(nums[0].group("num")), nums[0].group("unit") or ""
    return (x / 100.0, True) if u in ("%", "个百分点", "百分点", "百分比") else (x, False)


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
    if re.search(r"(?:≠|不等于)$", before):
        return None      # "≠100%则不得分" is no interval: `_unequal_condition` reads it
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
        unequal = [_unequal_condition(lab) for lab in labels]
        if any(u is not None for u in unequal) and all(c is None for c in conds):
            # the actual falls in a "≠X" tier unless it equals X within its printed precision; equal to X it
            # falls in no printed tier (the unprinted "=X" tier): not checkable, never guessed
            out = []
            for i, u in enumerate(unequal):
                if u is None:
                    continue
                a, tol = _rate(av) if (u[1] or (tv is not None and _is_pct(tv))) else (float(av.number), float(av.tol or 0.0))
                if abs(a - u[0]) > tol + EPS:
                    out.append(i)
            return tuple(out)
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


