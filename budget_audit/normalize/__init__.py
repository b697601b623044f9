"""Normalize: raw submissions → four canonical tables for the whole batch at once, plus the facts
several rules share.

- `build.py`    parses every value and builds the rows of `indicators`, `sections`, `submissions`
                and `statements` (sums per section and group, totals, every place a quantity is stated);
- `facts.py`    computes what more than one rule reads: the execution rate from the budget figures
                (an interval, from rounded inputs), the grade band of the total, and each indicator
                row read against its scoring method (`parse.methods`);
- `profile_select.py` picks each submission's profile (forced, declared or detected, with the reason).

Judging is not done here: the rules (`budget_audit.rules`) compute their measure columns on these tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import numpy as np
import pandas as pd

from ..model import Problem, RawSubmission
from ..perf import batch_stage
from ..profiles import Profile
from .build import (AMOUNT_KEYS, BUDGET_LABELS, IND_COLUMNS, INDICATOR_LOCATIONS, RATE_KEYS, SEC_COLUMNS,
                    STM_COLUMNS, Builder, indicator_location)
from .breakdowns import submission_extras
from .facts import add_facts
from .profile_select import detect_profile, resolve_profile
from .shape import shape_problems

__all__ = ["Tables", "build_tables", "detect_profile", "resolve_profile", "indicator_location",
           "INDICATOR_LOCATIONS", "AMOUNT_KEYS", "RATE_KEYS", "BUDGET_LABELS"]

TABLE_NAMES = ("indicators", "sections", "submissions", "statements")


@dataclass
class Tables:
    indicators: pd.DataFrame
    sections: pd.DataFrame
    submissions: pd.DataFrame
    statements: pd.DataFrame
    raws: list[RawSubmission] = field(default_factory=list)
    profiles: dict[str, Profile] = field(default_factory=dict)   # by name, every profile the batch uses

    def table(self, name: str) -> pd.DataFrame:
        return getattr(self, name)

    def profile_names(self, df: pd.DataFrame) -> pd.Series:
        """The profile name of each row of a table (by its submission)."""
        sub = self.submissions
        return df["submission_id"].map(dict(zip(sub["submission_id"], sub["profile"])))

    def per_profile(self, df: pd.DataFrame, value: Callable[[Profile], Any]) -> pd.Series:
        """`value(profile)` for each row of a table: profile numbers travel with the rows."""
        names = self.profile_names(df)
        return names.map({n: value(p) for n, p in self.profiles.items()})


@batch_stage
def build_tables(raws: Iterable[RawSubmission], forced: Profile | None = None) -> Tables:
    """The canonical tables of a batch, with the shared facts; no rule has run yet."""
    b = Builder()
    raws = list(raws)
    profiles: dict[str, Profile] = {}
    for raw in raws:
        refused: list[tuple[str, str]] = []
        profile, zh, en = resolve_profile(raw.data, forced, refused)
        raw.problems.extend(shape_problems(raw.data, raw.where))
        for rzh, ren in refused:          # a submission named a profile file: refused, and said so (STR001)
            raw.problems.append(Problem("STR001", rzh, ren, raw.where("profile") or {"file": raw.source}))
        profiles[profile.name] = profile
        b.add_submission(raw, profile, (zh, en))
    ind = pd.DataFrame(b.ind, columns=IND_COLUMNS, dtype=None if b.ind["row"] else object)   # no rows: object columns, as before
    sec = pd.DataFrame(b.sec, columns=SEC_COLUMNS)
    sub = pd.DataFrame(b.sub)
    # stated breakdowns (BUD012), part points (WGT003): one row per submission, in order (else matched by id)
    by_id = {r.id: r for r in raws}
    order = raws if len(raws) == len(sub) else [by_id[i] for i in sub.get("submission_id", [])]
    sub = pd.concat([sub, submission_extras(order, sub.get("currency_unit", [])).set_axis(sub.index)], axis=1)
    stm = pd.DataFrame(b.stm, columns=STM_COLUMNS)
    for df in (ind, sec, sub, stm):   # a unique row number per table: findings map back to rows by it
        df["row_id"] = np.arange(len(df), dtype="int64")
    tables = Tables(ind, sec, sub, stm, raws, profiles)
    add_facts(tables)
    return tables
