"""The raw submission: what every reader produces, before any judgement.

Every reader (JSON, Excel workbook, CSV folder …) turns a file into one or more `RawSubmission`s
whose `data` has exactly the shape of the submission JSON in the interchange contract
(`unit`, `year`, `profile`, `budget`, `sections`, `groups`, `indicators`, `statements`), values as
printed (strings or numbers). `loc` maps a JSON-style path of `data` to where that value stood in
the file, so every finding can point at the cell:

    "indicators[3].score"     -> {"sheet": "指标得分表", "cell": "H12"}
    "budget.execution_rate"   -> {"file": "meta.yaml", "line": 7}
    "statements[0].value"     -> {"path": "statements[0].value"}   (JSON input)

`problems` carries what the reader itself found (STR007 unreadable, STR001 missing sheet/column):
a reader never raises on bad input.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Problem:
    """A reader-level finding (the file, a sheet or a column is wrong)."""

    rule: str                       # "STR007", "STR001" …
    detail_zh: str                  # what is wrong, in Chinese
    detail_en: str                  # the same in English
    location: dict[str, Any] | None = None


@dataclass
class RawSubmission:
    source: str                                   # the input path as given (or path#index for batches)
    id: str                                       # submission id, unique within a run
    data: dict[str, Any] | None                   # None when the input is unreadable
    loc: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    sha256: str | None = None
    reader: str = ""

    @property
    def skipped(self) -> bool:
        """A file of a kind the suite does not read, listed so that nothing in a folder vanishes (STR012)."""
        return self.data is None and any(p.rule == "STR012" for p in self.problems)

    @property
    def unreadable(self) -> bool:
        return self.data is None and not self.skipped

    def problems_of(self, *rules: str) -> list[Problem]:
        return [p for p in self.problems if p.rule in rules]

    def where(self, path: str) -> dict[str, Any] | str | None:
        """Location of a data path. JSON inputs are located by the path itself, kept as a plain string
        (the report turns it into {"path": …}): a batch has millions of cells, few of them in findings."""
        hit = self.loc.get(path)
        if hit is not None:
            return hit
        if self.reader == "json" and self.data is not None:
            return path
        return None


def file_sha256(path: Path) -> str | None:
    try:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None


def skipped(source: str, sid: str, zh: str, en: str, *, sha256: str | None = None) -> RawSubmission:
    """A file the suite does not read (STR012 info); listed in the report, never judged."""
    return RawSubmission(source=source, id=sid, data=None, sha256=sha256, reader="skip",
                         problems=[Problem("STR012", zh, en, {"file": source})])


def unreadable(source: str, sid: str, zh: str, en: str, *, sha256: str | None = None,
               reader: str = "") -> RawSubmission:
    """A submission that could not be opened at all (STR007); it still appears in the report."""
    return RawSubmission(source=source, id=sid, data=None, sha256=sha256, reader=reader,
                         problems=[Problem("STR007", zh, en, {"file": source})])
