"""The rule catalogue: every rule is defined once, in its family module, by the `@rule` decorator.

Importing this package imports every family module, so the registry is complete; `CATALOGUE` is
the registry in catalogue order and `RULES` the same by ID. `measure_all` runs every rule's
measure on the canonical tables; `schemas.py` turns the checks into pandera schemas, `gx/` into
Great Expectations suites.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..normalize import Tables
from ..profiles import Profile, ProfileError
from . import budget, grades, methods, plausibility, scores, statements, structure, weights  # noqa: F401  (registration)
from . import cross, waivers  # noqa: F401,E402  (registration: XSB, WVR)
from .base import FAMILIES, SEVERITIES, SEVERITY_RANK, TABLES, Check, Rule, registered

CATALOGUE: tuple[Rule, ...] = registered()
RULES: dict[str, Rule] = {r.id: r for r in CATALOGUE}

__all__ = ["CATALOGUE", "RULES", "FAMILIES", "SEVERITIES", "SEVERITY_RANK", "TABLES", "Check", "Rule",
           "measure_all", "check_profile", "MeasureError"]


class MeasureError(RuntimeError):
    """A rule's measure did not produce its column: a bug, never reported as "passed"."""


def measure_all(t: Tables) -> None:
    """Run every rule's measure, in catalogue order, on the batch's canonical tables.

    A measure whose tables are all empty is not run (its columns are added as not applicable). After a
    measure, each of its check columns must exist on every non-empty table it names."""
    missing: dict[str, dict[str, pd.Series]] = {name: {} for name in TABLES}
    for r in CATALOGUE:
        frames = {c.table: t.table(c.table) for c in r.checks}
        if any(not df.empty for df in frames.values()):
            r.measure(t)
        for c in r.checks:
            df = t.table(c.table)
            if c.column not in df.columns:
                if not df.empty:
                    raise MeasureError(f"{r.id}: its measure wrote no column {c.column!r} on {c.table}")
                missing[c.table][c.column] = pd.Series(np.nan, index=df.index, dtype=float)
            if f"{c.column}_unchecked" not in df.columns:
                missing[c.table][f"{c.column}_unchecked"] = pd.Series(None, index=df.index, dtype=object)
    for name, cols in missing.items():      # added at once: one column at a time fragments a wide frame
        if cols:
            setattr(t, name, pd.concat([t.table(name), pd.DataFrame(cols)], axis=1))


def check_profile(profile: Profile) -> Profile:
    """A profile may only switch off or re-grade rules that exist (a typo must not silently do nothing)."""
    unknown = sorted(set(profile.rules) - set(RULES))
    if unknown:
        raise ProfileError(f"评价模板中有未知的规则编号 / invalid profile {profile.source or profile.name}: "
                           f"rules: unknown rule IDs {unknown}")
    if all(not profile.rules[r.id].enabled for r in CATALOGUE if r.id in profile.rules) and \
            all(r.id in profile.rules for r in CATALOGUE):
        raise ProfileError(f"没有启用任何规则 / no rules enabled: profile {profile.source or profile.name} "
                           f"disables every rule, so nothing would be checked")
    return profile
