"""Text as lines with provenance, and the flowing text a narrative is read from.

Text and PDF reports, and the paragraphs of Word files, arrive as lines: `Line(text, loc)` with `loc`
the place it stood ({"file", "line"} for text, {"file", "page", "line"} for PDF, {"file", "paragraph"}
for Word). Published reports wrap sentences at the page width — often mid-word, with blank lines in
between ("项\\n\\n目支出 1468 万元") — so the narrative is read from a *flow*: the lines joined without a
separator, a paragraph break only after a sentence end or at a heading, and for every character the
line it came from.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from ...parse.values import TRAD_TO_SIMP


@dataclass(frozen=True)
class Line:
    text: str                       # as printed, surrounding whitespace stripped
    loc: dict[str, Any]             # where it stood


_HEADING_RX = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|[0-9]+[.、．](?![0-9])|附件|附表)")
_SENTENCE_END = ("。", "！", "？", "；", ";")


_FOLD = str.maketrans(TRAD_TO_SIMP)


def norm_line(text: str) -> str:
    """NFKC, traditional → simplified, whitespace runs → one space (spaces separate numbers: "总分 100 90")."""
    return " ".join(unicodedata.normalize("NFKC", text).split()).translate(_FOLD)


def is_heading(text: str) -> bool:
    return bool(_HEADING_RX.match(text))


@dataclass
class Flow:
    """Lines joined into one string; `line_at(offset)` is the Line a character came from."""
    text: str
    starts: list[int]               # offset of each joined line in `text`
    lines: list[Line]

    def line_at(self, offset: int) -> Line:
        return self.lines[max(0, bisect_right(self.starts, offset) - 1)]


def flow(lines: list[Line]) -> Flow:
    parts: list[str] = []
    starts: list[int] = []
    kept: list[Line] = []
    pos = 0
    prev = ""
    for ln in lines:
        t = norm_line(ln.text)
        if not t:
            continue
        # a heading, or the line after a sentence end, starts a new paragraph: labels never join across it
        sep = "\n" if parts and (is_heading(t) or is_heading(prev) or prev.endswith(_SENTENCE_END)) else ""
        pos += len(sep)
        parts.append(sep + t)
        starts.append(pos)
        kept.append(ln)
        pos += len(t)
        prev = t
    return Flow("".join(parts), starts, kept)
