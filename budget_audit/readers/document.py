"""A report as read from its file: lines and grids with provenance → one raw submission.

The text, PDF and Word readers each produce a `Document`: the report's lines (narrative and any table
printed as text) and its grids (Word tables, ruled PDF tables). `assemble` runs the same recognisers
whatever the format:

- the title block (the first lines before a heading): title, year, and — for a department report —
  the unit;
- label/value lines ("单位名称：…", "主管部门 …  实施单位 …") and a budget block printed as a form;
- the score table: from a grid through the workbook layout engine (`layout.header` / `score_table`),
  else from the lines (`layout.text_table`);
- the narrative (`layout.narrative`): budget figures, rates, total, grade, section subtotals, each
  with the line it is on.

Figures stated in several places become several statements, so XST001 compares them. A document in
which nothing could be recognised says so (STR001 "no score table"); it is never "passed". A grid that
holds several forms one after another (`layout.forms`) gives one submission per form, as a sheet does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..model import Problem, RawSubmission
from . import headers as H
from .layout import (
    NO_SCORE_TABLE,
    Builder,
    CellRef,
    find_header,
    parse_preamble,
    parse_score_table,
    report_missing_columns,
)
from .layout.blocks import GRID_TOTAL_ROWS, _clean_label_value
from .layout.builder import unit_in_title
from .layout.forms import RowsFrom, form_segments, has_total_row
from .layout.header import find_headers, table_rows
from .layout.lines import Line, flow, is_heading, norm_line
from .layout.narrative import read_narrative
from .layout.text_table import find_text_header, parse_text_table

#: section names a narrative may give a subtotal for, beyond the sections its own table names
COMMON_SECTIONS = ("产出指标", "效益指标", "满意度指标", "成本指标", "项目决策", "项目过程", "项目产出", "项目效益",
                   "部门决策", "部门管理", "部门履职", "履职效益", "履职效率", "履职绩效", "可持续发展能力", "加减分项")


@dataclass
class Grid:
    """A table of a document: rows of cell values as printed, and where each cell stood."""
    name: str
    rows: list[list[Any]]
    ref: CellRef


@dataclass
class Document:
    source: str
    sid: str
    sha256: str | None
    reader: str
    lines: list[Line] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class LineGrid(CellRef):
    """Lines split into space-separated cells: row r is lines[r], a cell is located by its line."""

    def __init__(self, lines: list[Line], name: str) -> None:
        self.lines = lines
        self.name = name
        self.header_row = None

    def __call__(self, r: int, c: int) -> dict[str, Any]:
        return dict(self.lines[r].loc)

    def where(self) -> str:
        return self.name


_TITLE_YEAR_RX = re.compile(r"(20[0-9]{2})\s*年")
_DEPT_TITLE_RX = re.compile(r"^(?:.*?20[0-9]{2}年度?)?(?P<unit>.+?)(?:20[0-9]{2}年度?)?(?P<kind>部门|单位)?整体(?:预算|支出)*"
                            r"(?:绩效)?(?:自评价?|评价)(?:报告)?$")
_LABEL_LINE_RX = re.compile(r"^(?P<label>单位名称|部门名称|部门\(单位\)名称|预算单位|填报单位|项目名称|主管部门|"
                            r"项目实施单位|实施单位)\s*:\s*(?P<value>\S.*)$")
_LABEL_KEYS = {"项目名称": "project", "主管部门": "unit"}


def _title_block(lines: list[Line], b: Builder) -> int:
    """Title lines: the first non-empty lines before the first heading (at most 4). Returns how many."""
    title: list[Line] = []
    for ln in lines:
        t = norm_line(ln.text)
        if not t:
            continue
        if is_heading(t) or len(title) == 4 or "。" in t or ":" in t or len(t.split()) >= 4 or H.info_key(t.split()[0]):
            break                       # a heading, a sentence, a label line or a row of cells ends the title
        title.append(ln)
    if not title:
        return 0
    text = "".join(norm_line(ln.text).replace(" ", "") for ln in title)
    b.set_top("title", text, title[0].loc)
    m = _DEPT_TITLE_RX.match(text)
    unit = unit_in_title(text)
    if unit and not m:     # "南县就业服务中心2023年项目支出绩效自评报告": the unit stands before the year
        b.set_top("unit_from_title", unit, title[0].loc)
    if m:   # "…局部门整体支出…" names 某局; "某某单位整体支出…" names 某某单位
        unit = m["unit"] if len(m["unit"]) >= 4 or not m["kind"] else m["unit"] + m["kind"]
        if len(unit) >= 4:
            b.set_top("unit_from_title", unit, title[0].loc)
    return len(title)


def _label_lines(lines: list[Line], b: Builder) -> None:
    for ln in lines:
        m = _LABEL_LINE_RX.match(norm_line(ln.text))
        if m:
            key = _LABEL_KEYS.get(m["label"], "unit")
            b.set_top(key, _clean_label_value(m["value"].strip()), ln.loc)


_PLAIN_NUMBER_RX = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def token_grid(lines: list[Line], header: list[str]) -> list[list[Any]]:
    """Lines of a table printed as text → rows aligned to the header's columns.

    Cells are separated by spaces, but merged or empty cells leave no token, so a row has fewer tokens than
    the header. The row is anchored on its numbers: the last pair of plain numbers stands under 分值 | 得分
    (or the last number under 得分 when the form has no weight column); the tokens before it fill the columns
    before the weight from the right (the merged section cell on the left is the one missing), the tokens
    after it the columns after the score from the left. A line without numbers is not a row."""
    fields = [H.column_field(t) for t in header]
    width = len(header)
    w_c = fields.index("weight") if "weight" in fields else None
    s_c = fields.index("score") if "score" in fields else None
    out: list[list[Any]] = []
    for ln in lines:
        toks = ln.text.split()
        nums = [i for i, t in enumerate(toks) if _PLAIN_NUMBER_RX.fullmatch(t)]
        row: list[Any] = [None] * width
        if w_c is not None and s_c == w_c + 1:
            pairs = [i for i in nums if i + 1 in nums]
            if not pairs:
                out.append(row)
                continue
            i, span, first_after = pairs[-1], (w_c, s_c), s_c + 1
        elif s_c is not None and nums:
            i, span, first_after = nums[-1], (s_c,), s_c + 1
        else:
            out.append(row)
            continue
        for k, c in enumerate(span):
            row[c] = toks[i + k]
        before, after = toks[:i], toks[i + len(span):]
        left = span[0]
        if len(before) > left and left > 0:                 # more tokens than columns: the first ones belong together
            before = [" ".join(before[:len(before) - left + 1])] + before[len(before) - left + 1:]
        for k, t in enumerate(reversed(before[-left:] if left else [])):
            row[left - 1 - k] = t
        room = width - first_after
        if after and room > 0:
            after = after[:room - 1] + [" ".join(after[room - 1:])] if len(after) > room else after
            for k, t in enumerate(after):
                row[first_after + k] = t
        out.append(row)
    return out


def _form_lines(lines: list[Line]) -> list[Line]:
    """Lines printed like a form (cells separated by spaces, no sentence — or led by a form label such as
    年度资金总额 whose last cell is a note): a budget block, label cells."""
    out = []
    for ln in lines:
        toks = ln.text.split()
        if len(toks) < 2:
            continue
        lead = H.norm(toks[0])
        if "。" not in ln.text or lead in GRID_TOTAL_ROWS or H.info_key(toks[0]) or H.budget_key(toks[0]):
            out.append(ln)
    return out


def _section_names(b: Builder) -> dict[str, str]:
    names: dict[str, str] = {}
    for s in b.sections:
        key = s.get("code") or s.get("name")
        if s.get("name"):
            names[norm_line(s["name"]).replace(" ", "")] = key
            if s.get("code"):
                names[s["code"] + norm_line(s["name"]).replace(" ", "")] = key
    for n in COMMON_SECTIONS:
        names.setdefault(n, n)
    return names


def _headings(lines: list[Line]) -> list[str]:
    """For each line, the heading it stands under ("二、评价结论"), for the statements' `where`."""
    out, cur = [], ""
    for ln in lines:
        t = norm_line(ln.text).replace(" ", "")
        if t and is_heading(t):
            cur = t[:20]
        out.append(cur)
    return out


def _narrative(lines: list[Line], b: Builder, where: str) -> None:
    fl = flow(lines)
    head_of = dict(zip((id(ln) for ln in lines), _headings(lines)))
    for st in read_narrative(fl, _section_names(b)):
        ln = fl.line_at(st.offset)
        place = head_of.get(id(ln)) or where
        if st.quantity.startswith("budget:"):
            key = st.quantity[len("budget:"):]
            b.set_budget(key, st.value, ln.loc, place)
            if b.budget is not None and b.budget.get("currency_unit") is None:
                b.set_budget("currency_unit", "万元", None, place)
        elif st.quantity in ("execution_rate", "project_execution_rate"):
            b.set_budget(st.quantity, st.value, ln.loc, place)
        else:
            b.add_statement(st.quantity, st.value, place, ln.loc)


def _grids(doc: Document, b: Builder) -> bool:
    """Grids with a score-table header hold score tables (every table of a grid, as on a sheet); the others
    may hold the header block and the budget block. Returns whether a score table was read."""
    found = False
    for g in doc.grids:
        headers = find_headers(g.rows)
        if not headers:
            parse_preamble(g.rows, g.ref, b, len(g.rows), title="title" not in b.top)
            continue
        parse_preamble(g.rows, g.ref, b, headers[0].first, title="title" not in b.top)   # a title inside the table
        for header, rng in zip(headers, table_rows(headers, len(g.rows))):
            parse_score_table(g.rows, g.ref, b, header, rng)
        report_missing_columns(headers[-1], g.ref, b, f"“{g.name}”", repr(g.name))
        found = True
    return found


_CODE_LINE_RX = re.compile(r"^\s*(?:[A-Z][0-9]\S*\s+)?[A-Z][0-9]{2,}\S")


def _text_form(lines: list[Line], source: str, b: Builder) -> tuple[bool, list[Line]]:
    """A score table printed as lines with space-separated cells, read by the workbook layout engine on a
    grid of aligned tokens; the table ends at its 总分 / 合计 line. Returns (found, the lines left for the
    narrative)."""
    rows = [ln.text.split() for ln in lines]
    header = find_header(rows, limit=len(rows))
    if header is None:
        return False, lines
    start = header.last + 1
    end = next((i + 1 for i in range(start, len(rows)) if rows[i] and H.is_total_label(rows[i][0])), len(rows))
    width = max(len(r) for r in rows[header.row:start])
    head = [r + [None] * (width - len(r)) for r in rows[:start]]
    body = token_grid(lines[start:end], head[header.row])
    ref = LineGrid(lines, source)
    parse_score_table(head + body, ref, b, header)
    report_missing_columns(header, ref, b, "指标得分表", "the score table")
    table = set(range(header.first, start)) | {start + k for k, row in enumerate(body) if any(x is not None for x in row)}
    return bool(b.indicators), [ln for i, ln in enumerate(lines) if i not in table]


def _grid_forms(doc: Document) -> list[tuple[Grid, int, int]]:
    """(grid, first row, end row) of every form when the document holds several, else []:
    - a grid holding forms one after another (a unit's project forms printed into one table), split as a
      workbook's sheet is (`layout.forms`);
    - several grids that each hold a whole score table, down to its own 总分 / 合计 row (a form per table). A
      score table continued in a second table (a page break) has no total before its end, so it stays one form.
    The other grids (a budget summary, a table of funds) are not read into any form: which form they belong to
    cannot be told."""
    segs = [(g, form_segments(g.rows)) for g in doc.grids]
    headed = [(g, h) for g in doc.grids for h in [find_headers(g.rows)] if h]
    if any(len(s) > 1 for _, s in segs):
        return [(g, a, z) for g, s in segs for a, z in s if len(s) > 1 or find_headers(g.rows)]
    if len(headed) > 1 and all(has_total_row(g.rows, h[0].last + 1) for g, h in headed):
        return [(g, 0, len(g.rows)) for g, _ in headed]
    return []


def _grid_form(doc: Document, g: Grid, a: int, z: int, k: int) -> RawSubmission:
    """One form of a multi-form grid, read from its own rows as a workbook's form is: its title, header block,
    budget block and score table. The document's text outside the grids is not read into any form: a figure
    in it cannot be told apart as one form's (compared with every form, it would accuse all but one)."""
    b = Builder()
    b.problems.extend(doc.problems)
    rows, ref = g.rows[a:z], RowsFrom(g.ref, a)
    headers = find_headers(rows)
    if not headers:
        parse_preamble(rows, ref, b, len(rows))
        b.problem(*NO_SCORE_TABLE, ref(0, 0))
    else:
        parse_preamble(rows, ref, b, headers[0].first)
        for header, rng in zip(headers, table_rows(headers, len(rows))):
            parse_score_table(rows, ref, b, header, rng)
        report_missing_columns(headers[-1], ref, b, f"“{g.name}”", repr(g.name))
    return b.submission(f"{doc.source}#{k}", f"{doc.sid}#{k}", doc.sha256, doc.reader)


def _line_forms(doc: Document) -> list[tuple[int, int]]:
    """(first line, end line) of every form of a document without grids whose lines print several score tables,
    each under its own form title after the previous one's 总分 / 合计 line (`layout.forms`); else []. A part
    without a score table of its own (the report's text before the first form) stays with the form after it,
    the last part with the form before it: only a new score table starts a new form."""
    rows = [ln.text.split() for ln in doc.lines]
    segs = form_segments(rows)
    if len(segs) < 2:
        return []
    tabled = [find_text_header(doc.lines[a:z]) is not None or find_header(rows[a:z], limit=z - a) is not None
              for a, z in segs]
    if sum(tabled) < 2:
        return []
    starts = [a for (a, _), t in zip(segs, tabled) if t]
    starts[0] = 0
    return list(zip(starts, starts[1:] + [len(rows)]))


def assemble(doc: Document) -> list[RawSubmission]:
    forms = _grid_forms(doc)
    if len(forms) > 1:
        return [_grid_form(doc, g, a, z, k) for k, (g, a, z) in enumerate(forms, start=1)]
    parts = _line_forms(doc) if not doc.grids else []
    if parts:       # each form's lines read as a document of their own, as a report with one form is
        return [raw for k, (a, z) in enumerate(parts, start=1)
                for raw in assemble(Document(f"{doc.source}#{k}", f"{doc.sid}#{k}", doc.sha256, doc.reader,
                                             doc.lines[a:z], [], list(doc.problems)))]
    b = Builder()
    b.problems.extend(doc.problems)
    lines = doc.lines
    n_title = _title_block(lines, b)
    _label_lines(lines, b)
    found = _grids(doc, b)
    narrative = lines
    if not found:
        h = find_text_header(lines)
        coded = h is not None and any(_CODE_LINE_RX.match(ln.text) for ln in lines[h + 1:h + 40])
        if h is not None and coded:           # rows led by indicator codes ("A11决策制度的规范性 …")
            end = parse_text_table(lines, h, b, "指标得分表")
            found = True
            narrative = lines[:h] + lines[end:]
        else:                                 # a form printed as text: cells separated by spaces
            found, narrative = _text_form(lines, doc.source, b)
        form = _form_lines(narrative[n_title:])
        if form:
            parse_preamble([ln.text.split() for ln in form], LineGrid(form, doc.source), b, len(form), title=False)
    _narrative(narrative, b, doc.source)
    if b.top.get("unit") is None and b.top.get("unit_from_title"):
        b.set_top("unit", b.top["unit_from_title"], b.loc.get("unit_from_title"))
    b.top.pop("unit_from_title", None)
    b.loc.pop("unit_from_title", None)
    if not found and not b.indicators:
        if b.statements or b.budget:        # a report without its table: its text is still checked (STR006 info)
            b.top["score_table"] = "none"
        else:                               # nothing recognised at all: never "passed"
            b.problem(*NO_SCORE_TABLE, {"file": doc.source})
    return [b.submission(doc.source, doc.sid, doc.sha256, doc.reader)]
