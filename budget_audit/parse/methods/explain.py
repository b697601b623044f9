"""Human readings of a parsed method: `describe` (one line) and `explain` (behind `budget-audit explain-method`)."""

from __future__ import annotations

from ...numeric import UNKNOWN_TOL
from .compare import compare
from .model import EPS, Method, _as_value, _as_weight
from .parse import parse_method
from .recompute import _fmt, _fmt_bare, _fmt_val, recompute

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
                ok = r.contains(sv, UNKNOWN_TOL)
                lines.append(("所报得分：" if zh else "Stated score: ") + _fmt(sv) + "  " +
                             (("一致" if zh else "consistent") if ok else ("不一致（MTH001）" if zh else "contradicts the method (MTH001)")))
    elif tv is not None or av is not None:
        lines.append("（未给出分值，无法复核得分）" if zh else "(no weight given: score not recomputed)")
    return "\n".join(lines)
