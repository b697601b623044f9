"""Shared, generic fixtures: the reference submission and writers for real test files."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Callable

import pytest

REPO = Path(__file__).resolve().parents[1]
DATASETS = REPO / "datasets"
REFERENCE_JSON = DATASETS / "reference" / "nanjing-dianhua-2023.json"


@pytest.fixture(scope="session")
def _reference() -> dict[str, Any]:
    return json.loads(REFERENCE_JSON.read_text(encoding="utf-8"))


@pytest.fixture
def seed(_reference: dict[str, Any]) -> dict[str, Any]:
    """The reference report as submission JSON (a fresh copy per test)."""
    return copy.deepcopy(_reference)


@pytest.fixture
def make_workbook(tmp_path: Path) -> Callable[..., Path]:
    """Write an .xlsx with openpyxl: {sheet name: rows}; `merges` {sheet: ["A3:A5", …]}."""

    def make(sheets: dict[str, list[list[Any]]], name: str = "book.xlsx",
             merges: dict[str, list[str]] | None = None) -> Path:
        from openpyxl import Workbook

        wb = Workbook()
        wb.remove(wb.active)
        for title, rows in sheets.items():
            ws = wb.create_sheet(title)
            for r, row in enumerate(rows, start=1):
                for c, v in enumerate(row, start=1):
                    if v is None:
                        continue
                    cell = ws.cell(row=r, column=c, value=v)
                    if isinstance(v, str) and v.startswith("="):
                        cell.data_type = "s"     # printed text such as "=1份", not a formula
            for rng in (merges or {}).get(title, []):
                ws.merge_cells(rng)
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        wb.save(path)
        return path

    return make


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """Write rows as CSV at tmp_path/<rel> in `encoding` ("gbk", "utf-8-sig", "utf-8")."""

    def write(rel: str, rows: list[list[Any]], encoding: str = "utf-8") -> Path:
        import csv
        import io

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        for row in rows:
            w.writerow(["" if v is None else v for v in row])
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(buf.getvalue().encode(encoding))
        return path

    return write
