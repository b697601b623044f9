"""Build the corpus of real forms as the files units hold: each case's grid as a workbook (openpyxl, merged
cells where the form merges, values as printed), and — for the report readers — as a Word table and a PDF
table (the same grid and merges). Deterministic: the same case gives the same bytes.

    python tests/forms/build.py OUT_DIR        # writes OUT_DIR/<case id>.xlsx (and .docx, .pdf)
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"


def cases() -> list[dict[str, Any]]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(CASES.glob("*.yaml"))]


def write_xlsx(case: dict[str, Any], path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    wb = Workbook()
    wb.remove(wb.active)
    for sheet in case["workbook"]:
        ws = wb.create_sheet(sheet["sheet"])
        for r, row in enumerate(sheet["rows"], start=1):
            for c, v in enumerate(row, start=1):
                if v is not None:
                    cell = ws.cell(r, c, v)
                    if isinstance(v, str) and v.startswith("="):
                        cell.data_type = "s"     # "=8个" as printed: text, not a formula openpyxl would write uncomputed
                    if isinstance(v, str) and "\n" in v:
                        cell.alignment = Alignment(wrap_text=True)
        for m in sheet.get("merges") or []:
            ws.merge_cells(m)
    wb.properties.creator = "budget-audit corpus"
    from datetime import datetime
    wb.properties.created = wb.properties.modified = datetime(2024, 1, 1)
    wb.save(path)
    return path


def report_of(case: dict[str, Any]):
    from budget_audit.writers.report import Report, Table

    title: list[str] = []      # the form's own title is the table's first row, as published
    blocks = [Table([[None if v is None else str(v) for v in row] for row in s["rows"]], list(s.get("merges") or []))
              for s in case["workbook"]]
    return Report(title, blocks)


def build(out: Path, formats: tuple[str, ...] = ("xlsx",)) -> list[Path]:
    from budget_audit.writers.report import write_docx, write_pdf

    out.mkdir(parents=True, exist_ok=True)
    written = []
    for case in cases():
        if "xlsx" in formats:
            written.append(write_xlsx(case, out / f"{case['id']}.xlsx"))
        if "docx" in formats:
            written.append(write_docx(report_of(case), out / f"{case['id']}.docx"))
        if "pdf" in formats:
            written.append(write_pdf(report_of(case), out / f"{case['id']}.pdf"))
    return written


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[1]))
    for p in build(Path(sys.argv[1]), tuple(sys.argv[2:]) or ("xlsx",)):
        print(p)
