"""PDF reports (text layer, read with pdfplumber) → a `Document`.

- Ruled tables (`page.find_tables()`) become grids, each cell located by page, table, row and column;
  a table continued on the next page (same number of columns) is joined to the one before it, so a
  score table printed over several pages is one grid.
- The text outside the tables becomes lines, located by page and line.
- A page without a text layer (a scan: images or graphics but no characters) is reported: STR011 names
  the pages. When no page has text, nothing else is read — a scan is never "passed". An empty page is
  skipped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pdfplumber

from ..model import Problem, RawSubmission, unreadable
from .errors import debug_text
from .document import Document, Grid, assemble
from .layout import CellRef
from .layout.lines import Line

MAX_PAGES = 300          # a self-evaluation report is a few dozen pages; more is not a report


class PdfRef(CellRef):
    """Row r of a (possibly page-spanning) table → {"file", "page", "table", "row", "col"}."""

    def __init__(self, source: str, name: str) -> None:
        self.source, self.name = source, name
        self.rows: list[tuple[int, int, int]] = []     # per grid row: (page, table on that page, row in that table)
        self.header_row = None

    def __call__(self, r: int, c: int) -> dict[str, Any]:
        page, table, row = self.rows[r] if r < len(self.rows) else (0, 0, r)
        return {"file": self.source, "page": page, "table": table, "row": row + 1, "col": c + 1}

    def where(self) -> str:
        return self.name


def _inside(obj: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _cells(row: list[Any]) -> list[Any]:
    """A pdfplumber cell: None for the covered part of a merged cell, text with its line breaks joined."""
    return [None if v is None else "".join(str(v).split("\n")).strip() or None for v in row]


def read_pdf(path: Path, source: str, sha256: str | None) -> list[RawSubmission]:
    doc = Document(source, path.stem, sha256, "pdf")
    try:
        pdf = pdfplumber.open(str(path))
    except Exception as exc:
        zh, en = debug_text(exc)
        return [unreadable(source, path.stem, f"无法打开 PDF（文件损坏或已加密）{zh}",
                           f"cannot open the PDF (corrupt or encrypted){en}",
                           sha256=sha256, reader="pdf")]
    scanned: list[int] = []
    with pdf:
        if len(pdf.pages) > MAX_PAGES:
            return [unreadable(source, path.stem, f"PDF 共 {len(pdf.pages)} 页，超过 {MAX_PAGES} 页的上限",
                               f"the PDF has {len(pdf.pages)} pages, more than the limit of {MAX_PAGES}",
                               sha256=sha256, reader="pdf")]
        last: tuple[Grid, int] | None = None        # the open grid and its column count
        for pno, page in enumerate(pdf.pages, start=1):
            if not page.chars:
                if page.images or page.rects or page.curves:   # something is printed, but no text: a scan
                    scanned.append(pno)
                continue                                       # (an empty page has nothing to check)
            tables = page.find_tables()
            boxes = [t.bbox for t in tables]
            for k, t in enumerate(tables, start=1):
                rows = [_cells(r) for r in t.extract()]
                if not rows:
                    continue
                width = max(len(r) for r in rows)
                if last is not None and last[1] == width and k == 1 and _continues(page, t):
                    grid = last[0]
                else:
                    ref = PdfRef(source, f"第 {pno} 页表格 {k}")
                    grid = Grid(ref.name, [], ref)
                    doc.grids.append(grid)
                for i, r in enumerate(rows):
                    grid.rows.append(r + [None] * (width - len(r)))
                    grid.ref.rows.append((pno, k, i))
                last = (grid, width)
            text = page.filter(lambda o: o.get("object_type") != "char" or not _inside(o, boxes)).extract_text() or ""
            for i, t in enumerate(text.splitlines(), start=1):
                doc.lines.append(Line(t.strip(), {"file": source, "page": pno, "line": i}))
            if not _ends_with_table(page, boxes):
                last = None                          # text below the last table: no table runs on
    if scanned:
        pages = "、".join(map(str, scanned[:20])) + ("…" if len(scanned) > 20 else "")
        doc.problems.append(Problem(
            "STR011", f"第 {pages} 页没有文字层（扫描件），无法检查；请提供原始文件或先做文字识别（OCR）",
            f"page(s) {pages} have no text layer (a scan) and cannot be checked; provide the source file or OCR it first",
            {"file": source, "page": scanned[0]}))
    if scanned and not doc.lines and not doc.grids:
        return [_scan_only(doc)]
    return assemble(doc)


def _continues(page, table) -> bool:
    """A table at the top of a page continues the previous page's table of the same width."""
    return table.bbox[1] < page.height * 0.25


def _ends_with_table(page, boxes) -> bool:
    return bool(boxes) and max(b[3] for b in boxes) > page.height * 0.75


def _scan_only(doc: Document) -> RawSubmission:
    """A PDF that is all scan: no data was read; the submission carries only STR011."""
    return RawSubmission(source=doc.source, id=doc.sid, data={"indicators": [], "sections": [], "groups": [],
                                                              "statements": []},
                         problems=doc.problems, sha256=doc.sha256, reader="pdf")
