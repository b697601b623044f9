"""A score table printed as text lines (a PDF's text layer, a .txt report): rows rebuilt from the lines.

The table comes after its header line ("一级指标 二级指标 三级指标 指标说明 标准值 完成值 权值 得分 评分办法
评价要点"). Cells are separated by spaces, but a row spans several lines and a cell may be cut across
lines ("评价为“规范”得2分，“较规" / "范”得1分，…"). Rows are recognised by their codes:

- a section line: letter + name + declared points, "B部门管理（2 分）" (repeated after page breaks);
- a group line: "A1决策机制", alone or in front of its first indicator ("C1南京… C11教学助手使用量 …");
- an indicator record: from its code ("A11决策制度的规范性") to the next code, section or 合计 line.

In a record the weight and the score are the pair of plain numbers that closes the head; before them
stand name, description, target and actual, after them the scoring method, which continues on the
next lines until it ends a clause ("…得0分"); short lines after a complete method are the 评价要点 note.
The 合计 line gives the stated total. Values are kept as printed; nothing is judged here.
"""

from __future__ import annotations

import re
from typing import Any

from .. import headers as H
from .builder import Builder
from .lines import Line, norm_line
from .score_table import _label

_TOKEN_RX = re.compile(r"\S+")
_PLAIN_NUMBER_RX = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_INDICATOR_RX = re.compile(r"[A-Z][0-9]{2,}(?![0-9])")
_GROUP_RX = re.compile(r"[A-Z][0-9](?![0-9])")
_SECTION_RX = re.compile(r"(?P<code>[A-Z])(?![0-9A-Za-z])(?P<rest>.*[(（].*分.*[)）])\s*")
#: a method ends a clause with points ("…得0分", "…加0.5分", "不得分", "酌情扣分"), not with a word like "未充分"
_METHOD_DONE_RX = re.compile(r"(?:[0-9]分|得分|扣分|加分|减分|。)[。;；]?$")
_TOTAL_WORDS = frozenset({"合计", "总计", "总分", "合计得分", "得分合计"})
MIN_HEADER_FIELDS = 4


def find_text_header(lines: list[Line]) -> int | None:
    """Index of the score table's header line: ≥ 4 cells naming indicator fields, name/weight/score among them."""
    for i, ln in enumerate(lines):
        fields = {H.column_field(t) for t in ln.text.split()}
        fields.discard(None)
        if len(fields) >= MIN_HEADER_FIELDS and {"weight", "score"} <= fields and fields & {"name", "section"}:
            return i
    return None


def _is_header_line(text: str) -> bool:
    fields = {H.column_field(t) for t in text.split()} - {None}
    return len(fields) >= MIN_HEADER_FIELDS


class _Record:
    """One indicator row being assembled from its lines."""

    def __init__(self, code: str, name: str, line: Line, section: str | None, group: str | None) -> None:
        self.code, self.name = code, name
        self.section, self.group = section, group
        self.head: list[tuple[str, Line]] = []      # tokens after the code+name, until the weight/score pair
        self.weight = self.score = None
        self.locs: dict[str, dict] = {"code": line.loc, "name": line.loc}
        self.method = ""
        self.note = ""
        self.closed = False                          # the weight/score pair has been seen

    def add(self, tokens: list[str], line: Line) -> None:
        if self.closed:
            self._after(" ".join(tokens), line)
            return
        self.head.extend((t, line) for t in tokens)
        pair = self._anchor()
        if pair is None:
            return
        i = pair
        (w, wl), (s, sl) = self.head[i], self.head[i + 1]
        rest = [t for t, _ in self.head[i + 2:]]
        self.head = self.head[:i]
        self.weight, self.score = w, s
        self.locs.update(weight=wl.loc, score=sl.loc)
        self.closed = True
        if rest:
            self.method = "".join(rest)
            self.locs["method"] = line.loc

    def _anchor(self) -> int | None:
        """The last pair of plain numbers with at least target and actual before it."""
        found = None
        for i in range(2, len(self.head) - 1):
            if _PLAIN_NUMBER_RX.fullmatch(self.head[i][0]) and _PLAIN_NUMBER_RX.fullmatch(self.head[i + 1][0]):
                found = i
        return found

    def _after(self, text: str, line: Line) -> None:
        text = text.replace(" ", "")
        if not self.method or not _METHOD_DONE_RX.search(self.method) or text[:1] in "，,；;、。":
            self.method += text                     # the method continues on this line
            self.locs.setdefault("method", line.loc)
        else:
            self.note += text                       # a complete method: what follows is the note column
            self.locs.setdefault("note", line.loc)

    def indicator(self) -> tuple[dict[str, Any], dict[str, dict]]:
        head = [t for t, _ in self.head]
        target = head[-2] if len(head) >= 2 else None
        actual = head[-1] if head else None
        desc = "".join(head[:-2]) or None
        locs = dict(self.locs)
        if len(self.head) >= 2:
            locs["target"], locs["actual"] = self.head[-2][1].loc, self.head[-1][1].loc
        if desc:
            locs["description"] = self.head[0][1].loc
        ind = {f: None for f in H.INDICATOR_FIELDS}
        ind.update(section=self.section, group=self.group, code=self.code, name=self.name or None,
                   description=desc, target=target, actual=actual, weight=self.weight, score=self.score,
                   method=self.method or None, note=self.note or None)
        return ind, locs


def parse_text_table(lines: list[Line], header: int, b: Builder, where: str) -> int:
    """Read the score table below `lines[header]` into `b`; return the index after its last line."""
    section: str | None = None
    group: str | None = None
    rec: _Record | None = None
    end = len(lines)

    def close() -> None:
        nonlocal rec
        if rec is not None and rec.closed:
            ind, locs = rec.indicator()
            b.add_indicator(ind, locs)
        elif rec is not None:      # a code without its weight/score pair: the row could not be read
            b.problem(f"{where}第 {rec.locs['code'].get('line', '?')} 行的指标 {rec.code} 未能读出权值和得分",
                      f"{where}: indicator {rec.code} on line {rec.locs['code'].get('line', '?')}: no weight/score "
                      "could be read", rec.locs["code"], rule="STR001")
        rec = None

    for i in range(header + 1, len(lines)):
        ln = lines[i]
        text = ln.text.strip()
        if not text or _is_header_line(text):
            continue
        tokens = _TOKEN_RX.findall(text)
        first = norm_line(tokens[0])
        if first in _TOTAL_WORDS:
            close()
            nums = [t for t in tokens[1:] if _PLAIN_NUMBER_RX.fullmatch(t)]
            if nums:
                b.add_statement("total", nums[-1], f"{where} {first}", ln.loc)
            end = i + 1
            break
        m = _SECTION_RX.fullmatch(norm_line(text).replace(" ", ""))
        if m and not _INDICATOR_RX.match(first):
            close()
            code, name, pts = _label(text)
            section = b.section(code, name, pts, ln.loc) or section
            group = None
            continue
        if _GROUP_RX.match(first) and not _INDICATOR_RX.match(first):
            close()
            code, name, pts = _label(tokens[0])
            group = b.group(section, code, name, pts, ln.loc) or group
            tokens = tokens[1:]
            if not tokens:
                continue
            first = norm_line(tokens[0])
        im = _INDICATOR_RX.match(first)
        if im:
            close()
            rec = _Record(im.group(0), tokens[0][im.end():].strip(), ln, section, group)
            rec.add(tokens[1:], ln)
            continue
        if rec is not None:
            rec.add(tokens, ln)
    close()
    return end
