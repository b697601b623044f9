"""A rule is one definition: the `@rule` decorator and the registry it fills.

Everything about a rule stands together in its family module (`structure.py` STR, `weights.py` WGT,
`scores.py` SCR, `grades.py` GRD, `methods.py` MTH, `budget.py` BUD, `statements.py` XST,
`plausibility.py` PLA, `cross.py` XSB, `waivers.py` WVR): ID, slug, default severity, titles, documentation, message templates and the
*measure* — the function that computes the rule's column on its canonical table:

    @rule("SCR002", "negative-score", "error", "得分为负", "Negative score",
          doc="A score below 0 on a row that is not a deduction.",
          checks=(Check("indicators", "scr002", "{ind}：得分 {actual} 为负数", "{ind}: score {actual} is negative",
                        location="loc_score", actual="score", indicator=True),),
          example="A11 决策制度的规范性：得分 -1 为负数")
    def scr002(t: Tables) -> None:
        ind = t.indicators
        ind["scr002"] = flag(ind["score"] < 0, (ind["kind"] != "deduction") & ind["score"].notna())

The convention every engine shares: the column named in a `Check` holds how far the row is from
compliance — ≤ 0 compliant, NaN not applicable (pandera runs `Check.le(0)`, GX
`expect_column_values_to_be_between(max_value=0)` on it). A rule that could not evaluate a row it
should cover writes a reason code into `<column>_unchecked`; the reason's message is in `unchecked`.
Companion columns (`<rule>_expected`, `_actual`, `_tol`) feed the messages. Numbers come from the row
and its profile, never from the rule.

The registry is the catalogue: there is no other list of rule IDs. Its public contract (ID, slug,
severity) is frozen in `rules.lock`, which `budget-audit docs` regenerates and a test compares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

import numpy as np
import pandas as pd

from ..numeric import EPS

if TYPE_CHECKING:
    from ..normalize import Tables

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
#: the rule families, in catalogue order; measures run in this order (a later family may read an earlier one's column)
FAMILIES = ("STR", "WGT", "SCR", "GRD", "MTH", "BUD", "XST", "PLA", "XSB", "WVR")
TABLES = ("indicators", "sections", "submissions", "statements")

# ---- text shared by several rules' docs and coverage messages ----------------------------------------
NO_PROFILE = ("未识别评价模板，此项不检查（请用 --profile 指定模板）",
              "not checked: no profile (template unknown; pass --profile)")
NO_SPLIT = ("评价模板未规定一级指标的分值划分，此项不检查", "not checked: the profile sets no split of the points over sections")
RATE_INPUTS = ("缺少计算执行率所需的预算数据，无法复核", "cannot be recomputed: the budget figures it needs are missing")
TOL_FIGURE = ("a stated figure printed with d decimals stands for v ± ½·10^-d; it is consistent when the "
              "computed value (itself an interval when computed from rounded figures) overlaps it, plus 1e-9")
TRUNCATION = ("; where the profile sets `tolerance.allow_truncation`, a rate inside the truncation interval "
              "[v, v + 10^-d) but outside the rounding one is a warning, not an error")
TOL_SCORE = ("tier, all-or-nothing and schedule methods give exact points; proportional and per-unit methods "
             "are compared at the score's printed precision (at least ±0.005)")
EXACT = "none: the condition is exact"


@dataclass(frozen=True)
class Check:
    """One measure column of a rule on one canonical table, and how its failing rows read."""

    table: str                      # indicators | sections | submissions | statements
    column: str                     # measure column: compliant when ≤ 0, NaN = not applicable
    zh: str                         # message template (Chinese)
    en: str                         # message template (English)
    location: str | None = None     # column holding the location dict
    expected: str | None = None     # column with the expected value (for the report)
    actual: str | None = None       # column with the actual value
    tolerance: str | None = None    # column with the tolerance used (none: exact comparison, reported as 0)
    fmt: str = "num"                # how expected/actual print: num | pct
    indicator: bool = False         # the finding is about an indicator row


@dataclass(frozen=True)
class Rule:
    id: str
    slug: str
    severity: str
    title_zh: str
    title_en: str
    doc: str                        # what it checks and why (English, for the rule docs)
    checks: tuple[Check, ...]
    measure: Callable[["Tables"], None]
    tolerance: str = EXACT
    unchecked: dict[str, tuple[str, str]] = field(default_factory=dict)   # reason code → (zh, en)
    profiles: str = "all profiles"
    example: str = ""               # example message (zh), for the docs

    @property
    def family(self) -> str:
        return self.id[:3]


class CatalogueError(ValueError):
    """A rule definition breaks the convention (caught at import time, not in a report)."""


_REGISTRY: dict[str, Rule] = {}
_ID_RX = re.compile(r"[A-Z]{3}[0-9]{3}")
_SLUG_RX = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def rule(id: str, slug: str, severity: str, title_zh: str, title_en: str, *, doc: str,
         checks: tuple[Check, ...], tolerance: str = EXACT, unchecked: dict[str, tuple[str, str]] | None = None,
         profiles: str = "all profiles", example: str = "") -> Callable[[Callable], Callable]:
    """Register the decorated function as the measure of rule `id` (see the module docstring)."""
    problems = []
    if not _ID_RX.fullmatch(id) or id[:3] not in FAMILIES:
        problems.append(f"ID {id!r} is not a known family + 3 digits")
    if not _SLUG_RX.fullmatch(slug):
        problems.append(f"slug {slug!r} is not kebab-case")
    if severity not in SEVERITIES:
        problems.append(f"severity {severity!r} is not one of {SEVERITIES}")
    if not checks:
        problems.append("no check: a rule needs at least one measure column")
    for c in checks:
        if c.table not in TABLES:
            problems.append(f"check on unknown table {c.table!r}")
    if not doc.strip() or not title_zh.strip() or not title_en.strip():
        problems.append("title and doc must not be empty")
    if id in _REGISTRY:
        problems.append("defined twice")
    if any(r.slug == slug for r in _REGISTRY.values() if r.id != id):
        problems.append(f"slug {slug!r} is used by another rule")
    if problems:
        raise CatalogueError(f"rule {id}: " + "; ".join(problems))

    def register(measure: Callable[["Tables"], None]) -> Callable[["Tables"], None]:
        _REGISTRY[id] = Rule(id, slug, severity, title_zh, title_en, doc, tuple(checks), measure, tolerance,
                             dict(unchecked or {}), profiles, example)
        return measure

    return register


def registered() -> tuple[Rule, ...]:
    """Every registered rule in catalogue order (family, then number)."""
    return tuple(sorted(_REGISTRY.values(), key=lambda r: (FAMILIES.index(r.family), r.id)))


# ---- helpers shared by measures ------------------------------------------------------------------------

def flag(cond, applies: pd.Series | None = None) -> pd.Series:
    """Boolean condition → 1.0 (violated) / 0.0, NaN where the rule does not apply."""
    out = pd.Series(np.asarray(cond, dtype=float),
                    index=applies.index if applies is not None else getattr(cond, "index", None))
    if applies is not None:
        out = out.where(applies.astype(bool), np.nan)
    return out


def gap(computed_lo, computed_hi, stated, tol) -> pd.Series:
    """Distance from the stated interval [stated ± tol] to the computed interval (≤ 0: consistent)."""
    return np.maximum(computed_lo - (stated + tol), (stated - tol) - computed_hi)


def truncated(computed_lo, computed_hi, stated, tol, allowed) -> pd.Series:
    """A rate cut rather than rounded ("99.985%" printed as "99%") lies in [stated, stated + 2·tol):
    where the profile allows truncation such a value is a warning, not an error."""
    g = np.maximum(computed_lo - (stated + 2 * tol), stated - computed_hi)
    return (g <= EPS) & allowed


def per_profile(t: "Tables", df: pd.DataFrame, value: Callable) -> pd.Series:
    """`t.per_profile(df, value)`, the same Series, computed on the table's distinct submission ids and
    taken back to its rows by position: the plain way maps every row twice (id → profile name → value),
    ~7 ms a call on a chunk's 20,000 indicator rows. pandas maps each element on its own, so the values and
    the dtype are the same. Ids other than text (NaN, numbers: 1, 1.0 and True are one key) go the plain way,
    as does a table of about one row per submission (nothing to save)."""
    ids = df["submission_id"]
    if not isinstance(ids.dtype, pd.StringDtype):
        return t.per_profile(df, value)
    codes, distinct = pd.factorize(ids)
    if (len(codes) and codes.min() < 0) or 4 * len(distinct) > len(codes):    # a NaN id; or few rows per id: plain
        return t.per_profile(df, value)
    small = t.per_profile(pd.DataFrame({"submission_id": pd.Series(distinct, dtype=ids.dtype)}), value)
    return pd.Series(small.array.take(codes), index=df.index, name=small.name)


def unchecked(cond, reason: str) -> np.ndarray:
    """The `<column>_unchecked` column: `reason` where `cond` holds, else None."""
    return np.where(cond, reason, None)
