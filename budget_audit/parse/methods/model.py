"""Parsed scoring methods: the data types (`Method`, `Comparison`, `Recomputed`) and the kinds."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ...numeric import EPS
from ..values import Value, parse_value

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
