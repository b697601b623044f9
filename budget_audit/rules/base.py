"""Rule and Check: the shape of a catalogue entry (see catalogue.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Check:
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
    checks: tuple[Check, ...] = ()
    tolerance: str = "none: the condition is exact"
    unchecked: dict[str, tuple[str, str]] = field(default_factory=dict)   # reason code → (zh, en)
    profiles: str = "all profiles"
    example: str = ""               # example message (zh), for the docs
    gx: str | None = None           # None: expressible in GX; else the reason it is not

    @property
    def family(self) -> str:
        return self.id[:3]
