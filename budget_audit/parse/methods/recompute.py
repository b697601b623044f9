"""The range of scores a parsed method allows (a point, a band, or "not checkable" with a reason).

Always inside ``[0, weight]``. Also the bonus schedule check behind SCR008 (`schedule_can_form`) and
`recompute_row`, the cached fast path on the strings exactly as printed.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Callable

from ..values import Value
from .compare import (
    _NEG_WORDS,
    _align,
    _apply_unit,
    _canon,
    _generic,
    _is_pct,
    _is_word_placeholder,
    _match_tier,
    _norm_op,
    _parts,
    _rate,
    _satisfies,
    _tier_points,
    _tier_score,
    _top_tier,
    _units_compatible,
    _wordify,
    compare,
)
from .model import (
    DEFAULT_BANDS,
    EPS,
    Comparison,
    Method,
    Recomputed,
    _as_value,
    _as_weight,
)
from .parse import _OP_GLYPH, _with, parse_method

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


