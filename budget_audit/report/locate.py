"""Where a finding is, for CI tools (SARIF, GitHub annotations, JUnit): the file and the place in it.

A finding's `location` dict says what the reader knew: a sheet and cell (workbooks), a line (text,
CSV), a page and line or a table cell on a page (PDF), a paragraph or a table cell (Word), a key
path (JSON). `place()` turns it into the file a CI tool should point at (the submission's own file;
for a CSV folder, the CSV inside it) plus a `line` only when it really is a line of that file, and a
short `position` text for everything else (never a made-up line number).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_BATCH_SUFFIX = re.compile(r"#[0-9]+$")     # "batch.json#3": entry 3 of a JSON array file


@dataclass(frozen=True)
class Place:
    path: str                                 # the file, as given on the command line (relative stays relative)
    line: int | None = None                   # a line of that file (text and CSV inputs only)
    position: str = ""                        # "预算执行!B15", "page 2, line 11", "budget.execution_rate" …
    properties: dict[str, Any] = field(default_factory=dict)   # the location's own keys (sheet, cell, page …)


def source_file(source: str) -> str:
    """The file a submission came from ("batch.json#3" → "batch.json")."""
    return _BATCH_SUFFIX.sub("", source)


def _file_of(source: str, loc_file: Any) -> str:
    src = source_file(source)
    if not loc_file:
        return src
    f = str(loc_file)
    if Path(f).is_absolute() or Path(f).exists():
        return f
    joined = Path(src) / f                      # a CSV folder's locations name the CSV inside the folder
    if Path(src).is_dir() or joined.exists():
        return joined.as_posix()
    return src if Path(src).exists() else f


def position_text(loc: dict[str, Any] | None) -> str:
    """A short, language-neutral description of a place inside a file."""
    if not loc:
        return ""
    if "sheet" in loc:
        return f"{loc['sheet']}!{loc.get('cell', '')}".rstrip("!")
    if "page" in loc:
        if "table" in loc:
            return f"page {loc['page']}, table {loc['table']}, row {loc.get('row')}, column {loc.get('col')}"
        return f"page {loc['page']}" + (f", line {loc['line']}" if loc.get("line") else "")
    if "paragraph" in loc:
        return f"paragraph {loc['paragraph']}"
    if "table" in loc:
        return f"table {loc['table']}, row {loc.get('row')}, cell {loc.get('cell')}"
    if "line" in loc:
        return f"line {loc['line']}" + (f", column {loc['column']}" if loc.get("column") else "")
    if "path" in loc:
        return str(loc["path"])
    return ""


def place(submission: dict[str, Any], finding: dict[str, Any]) -> Place:
    """The file and position of a finding of `submission` (a report dict entry)."""
    loc = finding.get("location") or {}
    path = _file_of(submission["source"], loc.get("file"))
    line = None
    if "line" in loc and "page" not in loc and isinstance(loc.get("line"), int) and loc["line"] > 0:
        line = int(loc["line"])               # a text or CSV line; a PDF's line counts within its page
    props = {k: v for k, v in loc.items() if k != "file" and v is not None}
    return Place(path, line, position_text(loc), props)
