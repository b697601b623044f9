"""The one orchestrator: read → normalize → measure → check → findings, for a whole batch at once.

    read       budget_audit.readers      files → raw submissions (values as printed, with provenance)
    normalize  budget_audit.normalize    raw submissions → canonical tables + shared facts
    measure    budget_audit.rules        every rule's measure column on its table
    check      budget_audit.rules.schemas (pandera) or budget_audit.gx (Great Expectations): failing rows
    findings   budget_audit.findings     failing rows → the findings table
    report     budget_audit.report       findings → console / JSON / JUnit / xlsx (called by the CLI)

One pass over the batch, never a loop over submissions. Each stage imports only the stages above it
in this list; `.importlinter` states it and CI enforces it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

import pandas as pd

from .findings import findings_for
from .model import RawSubmission
from .normalize import Tables, build_tables
from .profiles import Profile, load_profile
from .readers import read_inputs
from .rules import check_profile, measure_all

#: an engine: the measured tables → {table: [(rule ID, row position)]} of failing rows (None: pandera)
Engine = Callable[[Tables], dict[str, list[tuple[str, int]]]]


@dataclass
class RunResult:
    tables: Tables
    findings: pd.DataFrame
    profiles: dict[str, Profile]


def load_checked_profile(name_or_path: str) -> Profile:
    """A profile by name or path, its rule overrides checked against the catalogue (ProfileError if not)."""
    return check_profile(load_profile(name_or_path))


def measured_tables(raws: Iterable[RawSubmission], forced: Profile | None = None) -> Tables:
    """normalize + measure: the canonical tables with every rule's column."""
    tables = build_tables(raws, forced)
    for p in tables.profiles.values():
        check_profile(p)
    measure_all(tables)
    return tables


def check_raws(raws: Iterable[RawSubmission], forced: Profile | None = None, engine: Engine | None = None) -> RunResult:
    tables = measured_tables(raws, forced)
    failures = engine(tables) if engine is not None else None
    return RunResult(tables, findings_for(tables, tables.profiles, failures), tables.profiles)


def run_check(inputs: Iterable[str], profile: str | None = None, *, debug: bool = False,
              engine: Engine | None = None) -> RunResult:
    """read → normalize → measure → check → findings for a whole batch."""
    forced = load_checked_profile(profile) if profile else None
    return check_raws(read_inputs(inputs, debug=debug), forced, engine)
