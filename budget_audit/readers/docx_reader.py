"""Word reports (.docx, read with python-docx) → a `Document`; .doc (Word 97) gets a clear STR007.

The body is walked in document order: each paragraph is a line (located by paragraph number), each
table a grid (located by table, row and cell). A merged cell appears once, in its top-left place:
python-docx returns the same cell object for every grid position a merge covers, so a repeat of the
cell to the left or above is left empty — as calamine shows a merged range of a workbook.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from ..model import RawSubmission, unreadable
from .errors import debug_text
from .document import Document, Grid, assemble
from .layout import CellRef
from .layout.lines import Line

DOC_MSG = ("这是旧版 Word 文档（.doc），无法直接读取；请在 Word 或 WPS 中“另存为”.docx（或 PDF）后再提交",
           "this is a legacy Word document (.doc) and cannot be read; save it as .docx (or PDF) in Word or WPS and "
           "submit that")


class DocxRef(CellRef):
    def __init__(self, source: str, table: int) -> None:
        self.source, self.table = source, table
        self.header_row = None

    def __call__(self, r: int, c: int) -> dict[str, Any]:
        return {"file": self.source, "table": self.table, "row": r + 1, "cell": c + 1}

    def where(self) -> str:
        return f"表格 {self.table}"


def _grid(table) -> list[list[Any]]:
    rows: list[list[Any]] = []
    above: list[Any] = []
    for row in table.rows:
        out, seen = [], []
        left = None
        for i, cell in enumerate(row.cells):
            tc = cell._tc
            merged = tc is left or (i < len(above) and tc is above[i])
            out.append(None if merged else (cell.text.rstrip() if cell.text.strip() else None))   # leading spaces mark detail lines, as in a workbook
            seen.append(tc)
            left = tc
        rows.append(out)
        above = seen
    return rows


def read_docx(path: Path, source: str, sha256: str | None) -> list[RawSubmission]:
    if path.suffix.lower() == ".doc":
        return [unreadable(source, path.stem, *DOC_MSG, sha256=sha256, reader="docx")]
    try:
        d = docx.Document(str(path))
    except Exception as exc:
        zh, en = debug_text(exc)
        return [unreadable(source, path.stem, f"无法打开 Word 文档（文件损坏或不是 .docx）{zh}",
                           f"cannot open the Word document (corrupt or not .docx){en}",
                           sha256=sha256, reader="docx")]
    doc = Document(source, path.stem, sha256, "docx")
    n_par = n_tab = 0
    for child in d.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            n_par += 1
            text = Paragraph(child, d).text
            for part in text.splitlines() or [""]:
                doc.lines.append(Line(part.strip(), {"file": source, "paragraph": n_par}))
        elif tag == "tbl":
            n_tab += 1
            ref = DocxRef(source, n_tab)
            doc.grids.append(Grid(ref.where(), _grid(Table(child, d)), ref))
    return assemble(doc)
