"""Reports as files: paragraphs and tables written as plain text, Word (python-docx) or PDF (reportlab).

Used to build the bundled reference report in three formats and to print the corpus of real forms as
the Word and PDF files auditors receive. A table is given as a grid — rows of cell text, `None` for
an empty cell — plus its merged ranges ("A3:A12"), exactly as a workbook holds it; the Word table
merges those cells, the PDF table spans them (`SPAN`), so the readers see what a real file shows.
reportlab uses the built-in CID font STSong-Light: no font file is needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_RANGE_RX = re.compile(r"([A-Z]+)([0-9]+):([A-Z]+)([0-9]+)")


@dataclass
class Table:
    rows: list[list[Any]]
    merges: list[str] = field(default_factory=list)
    title: str | None = None


@dataclass
class Report:
    """Title lines, then blocks in order: a paragraph (str) or a table (Table)."""
    title: list[str]
    blocks: list[str | Table]


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def spans(merges: list[str]) -> list[tuple[int, int, int, int]]:
    """"B3:C5" → (row0, col0, row1, col1), 0-based inclusive."""
    out = []
    for m in merges:
        g = _RANGE_RX.fullmatch(m)
        if g:
            out.append((int(g[2]) - 1, _col(g[1]), int(g[4]) - 1, _col(g[3])))
    return out


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def write_docx(report: Report, path: Path) -> Path:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    d = docx.Document()
    d.core_properties.author = "budget-audit"
    for t in report.title:
        p = d.add_paragraph(t)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for block in report.blocks:
        if isinstance(block, str):
            d.add_paragraph(block)
            continue
        if block.title:
            d.add_paragraph(block.title)
        width = max(len(r) for r in block.rows)
        table = d.add_table(rows=len(block.rows), cols=width)
        table.style = "Table Grid"
        for r, row in enumerate(block.rows):
            for c, v in enumerate(row):
                if v is not None:
                    cell = table.cell(r, c)
                    cell.text = _text(v)
                    for run in cell.paragraphs[0].runs:
                        run.font.size = Pt(8)
        for r0, c0, r1, c1 in spans(block.merges):
            table.cell(r0, c0).merge(table.cell(r1, c1))
    d.save(str(path))
    _pin_zip(path)
    return path


def write_pdf(report: Report, path: Path) -> Path:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as RLTable
    from reportlab.platypus import TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=10.5, leading=16, wordWrap="CJK")
    head = ParagraphStyle("head", parent=body, fontSize=14, leading=22, alignment=1)
    cell = ParagraphStyle("cell", fontName="STSong-Light", fontSize=6.5, leading=8.5, wordWrap="CJK")
    story: list[Any] = [Paragraph(t, head) for t in report.title] + [Spacer(1, 8)]
    for block in report.blocks:
        if isinstance(block, str):
            story.append(Paragraph(block, body))
            continue
        if block.title:
            story.append(Paragraph(block.title, body))
        width = max(len(r) for r in block.rows)
        data = [[Paragraph(_text(v), cell) if v is not None else "" for v in row] + [""] * (width - len(row))
                for row in block.rows]
        style = [("FONT", (0, 0), (-1, -1), "STSong-Light", 6.5), ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                 ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 2),
                 ("RIGHTPADDING", (0, 0), (-1, -1), 2)]
        style += [("SPAN", (c0, r0), (c1, r1)) for r0, c0, r1, c1 in spans(block.merges)]
        story.append(RLTable(data, colWidths=_widths(block.rows, A4[0] - 72), repeatRows=1, style=TableStyle(style)))
    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=36, rightMargin=36, topMargin=36,
                      bottomMargin=36, invariant=1, author="budget-audit", title=" ".join(report.title)).build(story)
    return path


def _widths(rows: list[list[Any]], total: float) -> list[float]:
    """Column widths by the longest text a column holds (numbers narrow, methods wide), within limits."""
    width = max(len(r) for r in rows)
    longest = [max((len(_text(r[c])) for r in rows if c < len(r)), default=1) for c in range(width)]
    weights = [min(max(n, 5), 24) for n in longest]
    return [total * w / sum(weights) for w in weights]


def _pin_zip(path: Path) -> None:
    """python-docx stamps the current time into the package: pin it, so a rebuild is byte-identical."""
    import io
    import zipfile

    src = path.read_bytes()
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in sorted(zin.infolist(), key=lambda i: i.filename):
            data = zin.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"<dcterms:(created|modified)([^>]*)>[^<]*</dcterms:\1>",
                              rb"<dcterms:\1\2>2024-01-01T00:00:00Z</dcterms:\1>", data)
            info = zipfile.ZipInfo(item.filename, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(info, data)
    path.write_bytes(buf.getvalue())
