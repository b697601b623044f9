"""Excel workbooks (.xlsx/.xlsm/.xls/.xlsb/.ods, read with python-calamine) → `RawSubmission`.

Reads the project's own workbook (`template.py`: 基本信息 / 预算执行 / 指标得分表 / 自评结论) and
real-world variants: a lone score-table sheet under any name, the header row anywhere in the first
30 rows, synonym / traditional-character / points-carrying headers in any column order, codes glued
to names, ★ marks, points in section labels, merged-cell blanks carried down, repeated headers
after page breaks, 合计/总分 and 小计 rows (→ statements), "其中" breakdown rows, parent rows that
repeat their block's weight, and long-form batch tables (a `submission_id` column).

The row logic (`find_header`, `parse_score_table`, `parse_kv`, `Builder`) lives in `table.py`,
shared with the CSV reader; this module opens workbooks, recognises broken or disguised files, and
picks the sheets. Readers never judge or convert values: strings stay as printed, Excel numbers
stay int/float.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ..model import RawSubmission, unreadable
from . import headers as H
from .layout import (
    NO_SCORE_TABLE,
    Builder,
    CellRef,
    Header,
    find_header,
    parse_kv,
    parse_preamble,
    parse_score_table,
    read_long_form,
    report_missing_columns,
    value,
)
from .errors import debug_text, os_failure
from .layout.cells import MergedName, col_letters
from .layout.forms import form_segments
from .layout.header import find_headers, table_rows


class SheetRef(CellRef):
    def __init__(self, sheet: str, offset: int = 0) -> None:
        self.sheet = sheet
        self.offset = offset          # a form that starts further down the sheet: rows are counted from it
        self._memo: dict[tuple[int, int], dict[str, Any]] = {}

    def __call__(self, r: int, c: int) -> dict[str, Any]:
        # one location dict per cell, shared by every field that cell gives (locations are never mutated)
        hit = self._memo.get((r, c))
        if hit is None:
            hit = self._memo[r, c] = {"sheet": self.sheet, "cell": f"{col_letters(c)}{r + self.offset + 1}"}   # cell_name
        return hit

    def cells(self, r: int, fields: list[tuple[str, int]], vals: dict[str, Any]) -> dict[str, dict[str, Any]]:
        # `__call__` inlined over a row's printed cells (the score-table walk asks for ~8 per row). Not through the
        # memo: no other field asks for these cells, so it would only be filled, never hit.
        sheet, line = self.sheet, r + self.offset + 1
        return {f: {"sheet": sheet, "cell": f"{col_letters(c)}{line}"} for f, c in fields if vals[f] is not None}

    def where(self) -> str:
        return self.sheet


# --------------------------------------------------------------------------------------------
# the workbook reader
# --------------------------------------------------------------------------------------------

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")

def _sniff(head: bytes) -> str:
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    probe = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").lower()
    if probe.startswith((b"<!doctype html", b"<html", b"<meta", b"<table", b"<head", b"<body", b"<style")) or (
            b"<table" in head.lower() and b"<" == probe[:1]):
        return "html"
    if probe.startswith(b"<?xml"):
        return "xml"
    if b"\x00" not in head:
        from .text import decode_bytes
        for cut in range(4 if len(head) >= 8192 else 1):     # the 8 KB probe may end inside a character
            try:
                decode_bytes(head[: len(head) - cut])
                return "text"
            except UnicodeDecodeError:
                pass
    return "unknown"


def _is_encrypted_ole(path: Path) -> bool:
    with open(path, "rb") as fh:
        tail = b""
        while True:
            chunk = fh.read(1 << 20)
            if not chunk:
                return False
            if ENCRYPTED_MARK in tail + chunk:
                return True
            tail = chunk[-len(ENCRYPTED_MARK):]


ENCRYPTED_MSG = ("工作簿已加密（设置了打开密码），无法读取；请去掉密码后另存为 .xlsx 再提交",
                 "the workbook is encrypted (password protected) and cannot be read; remove the password and "
                 "save it as .xlsx")


def read_xlsx(path: Path, source: str, sha256: str | None) -> list[RawSubmission]:
    path = Path(path)
    sid = path.stem

    def fail(zh: str, en: str) -> list[RawSubmission]:
        return [unreadable(source, sid, zh, en, sha256=sha256, reader="xlsx")]

    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(8192)
    except OSError as exc:
        return fail(*os_failure(exc))
    if size == 0:
        return fail("文件为空（0 字节）", "the file is empty (0 bytes)")
    kind = _sniff(head)
    if kind == "html":
        return fail("文件是网页（HTML）而不是 Excel 工作簿（常见于系统导出的“.xls”）；请用 Excel 打开后另存为 .xlsx",
                    "the file is an HTML page renamed as a workbook (a common '.xls' export); open it in Excel "
                    "and save it as .xlsx")
    if kind == "xml":
        return fail("文件是 XML（可能是 Excel 2003 XML 表格）而不是 .xlsx 工作簿；请用 Excel 打开后另存为 .xlsx",
                    "the file is XML (perhaps an Excel 2003 XML spreadsheet), not an .xlsx workbook; save it as .xlsx")
    if kind == "text":
        return fail("文件是纯文本（可能是改了扩展名的 CSV），不是 Excel 工作簿；CSV 请使用 .csv 扩展名",
                    "the file is plain text (perhaps a CSV renamed), not an Excel workbook; name CSV files .csv")
    if kind == "ole":
        try:
            if _is_encrypted_ole(path):
                return fail(*ENCRYPTED_MSG)
        except OSError as exc:
            return fail(*os_failure(exc))
        from .biff_guard import check_biff
        check_biff(path)                # a claimed DIMENSIONS over the limits: LimitExceeded (STR007)
    if kind == "zip":
        from .package_guard import check_zip
        check_zip(path)                 # LimitExceeded: read_inputs makes it the file's STR007
    try:
        from python_calamine import CalamineWorkbook, PasswordError
    except ImportError as exc:  # pragma: no cover - dependency missing
        return fail(f"缺少 python-calamine：{exc}", f"python-calamine is not installed: {exc}")
    try:
        try:
            wb = CalamineWorkbook.from_path(str(path))
        except PasswordError:
            raise
        except Exception:
            if kind not in ("zip", "ole"):
                raise
            # the extension lies (an .xlsx saved as .xls or the reverse): let calamine sniff the content
            buffer = io.BytesIO(path.read_bytes())
            wb = CalamineWorkbook.from_filelike(buffer)
    except PasswordError:
        return fail(*ENCRYPTED_MSG)
    except Exception as exc:
        what = "ZIP 包损坏或不是 .xlsx" if kind == "zip" else "文件损坏或不是 Excel 格式"
        zh, en = debug_text(exc)
        return fail(f"无法打开工作簿（{what}）{zh}",
                    f"cannot open the workbook ({'broken ZIP container or not .xlsx' if kind == 'zip' else 'corrupt or not an Excel file'})"
                    f"{en}")
    sheets: dict[str, list[list[Any]]] = {}
    merges: dict[str, list] = {}
    errors: list[str] = []
    try:
        names = list(wb.sheet_names)
    except Exception as exc:
        return fail("无法读取工作表列表（文件损坏）" + debug_text(exc)[0], "cannot list the sheets (corrupt file)" + debug_text(exc)[1])
    for name in names:
        try:
            sheet = wb.get_sheet_by_name(name)
            sheets[name] = sheet.to_python(skip_empty_area=False)
            merges[name] = sheet.merged_cell_ranges or []
        except PasswordError:
            return fail(*ENCRYPTED_MSG)
        except Exception as exc:
            errors.append(f"{name}{debug_text(exc)[1]}")
    try:
        wb.close()
    except Exception:
        pass
    if not sheets and errors:
        return fail(f"工作表无法读取（文件损坏）：{'; '.join(errors)}", f"no sheet could be read (corrupt file): {'; '.join(errors)}")
    if not any(any(value(x) is not None for x in row) for rows in sheets.values() for row in rows):
        return fail("工作簿为空（没有任何内容）", "the workbook is empty (no cell has a value)")
    return read_sheets(sheets, source, sid, sha256, merges=merges)


def read_sheets(sheets: dict[str, list[list[Any]]], source: str, sid: str, sha256: str | None,
                reader: str = "xlsx", merges: dict[str, list] | None = None) -> list[RawSubmission]:
    """Sheets (name → rows) → submissions. Split out for testing and for other grid sources."""
    kinds = {name: H.sheet_kind(name) for name in sheets}
    meta = {"info", "budget", "statements"}
    # once per sheet; a key/value sheet's header (基本信息 / 预算执行 / 自评结论) only when it can matter: no other
    # sheet has one (it is then the score table), or the sheet has merged cells that a header would fill in
    headers = {name: find_header(rows) for name, rows in sheets.items() if kinds[name] not in meta}
    need_meta = all(h is None for h in headers.values())
    for name, rows in sheets.items():
        if kinds[name] in meta:
            headers[name] = find_header(rows) if need_meta or (merges and merges.get(name)) else None
    for name, h in headers.items():
        if h is not None and merges and merges.get(name):
            _fill_merged_names(sheets[name], merges[name], h)
    candidates = ([n for n in sheets if kinds[n] == "scores"] + [n for n in sheets if kinds[n] is None]
                  + [n for n in sheets if kinds[n] in meta])
    score_sheet: str | None = None
    header: Header | None = None
    for n in candidates:
        h = headers[n]
        if h is not None:
            score_sheet, header = n, h
            break
    if header is not None and score_sheet is not None and "submission_id" in header.batch:
        rows = sheets[score_sheet]
        return read_long_form(rows, header, lambda: SheetRef(score_sheet), source, sha256, reader)

    forms = _forms(sheets, kinds, meta, headers)
    if len(forms) > 1:      # several forms: one per sheet, or one after another on a sheet
        return [_read_form(sheets[n][a:z], SheetRef(n, a), n, f"{source}#{k}", f"{sid}#{k}", sha256, reader)
                for k, (n, a, z) in enumerate(forms, start=1)]

    b = Builder()
    for kind in ("info", "budget"):
        for n in sheets:
            if kinds[n] == kind and n != score_sheet:
                parse_kv(sheets[n], SheetRef(n), b, kind)
                if kind == "info":   # "单位名称 | … | 评价年度 | …" grids and "单位名称：…" cells
                    parse_preamble(sheets[n], SheetRef(n), b, len(sheets[n]), title=False)
                break
    if header is None or score_sheet is None:
        # no score table: a header block and a budget block still give unit, year and budget
        for n in candidates:
            if kinds[n] not in meta:
                parse_preamble(sheets[n], SheetRef(n), b, len(sheets[n]))
        b.problem(*NO_SCORE_TABLE, {"file": source})
    else:
        rows = sheets[score_sheet]
        ref = SheetRef(score_sheet)
        _read_tables(rows, ref, b, score_sheet, header)
    for n in sheets:
        if kinds[n] == "statements" and n != score_sheet:
            parse_kv(sheets[n], SheetRef(n), b, "statements")
            break
    return [b.submission(source, sid, sha256, reader)]


def _fill_merged_names(rows: list[list[Any]], merges: list, header: Header) -> None:
    """A name cell merged down over several scored lines names each of them: the lines below the top-left cell
    get its text when they carry a weight or a score of their own. Other merged cells stay as calamine gives
    them (the value in the top-left cell only): a parent's weight merged down must not be counted twice."""
    name_c = header.cols.get("name")
    if name_c is None:
        return
    marks = [header.cols.get(f) for f in ("weight", "score")]
    for (r0, c0), (r1, c1) in merges:
        if not (c0 <= name_c <= c1) or r1 <= r0 or r0 <= header.last:
            continue
        text = rows[r0][c0] if r0 < len(rows) and c0 < len(rows[r0]) else None
        for rr in range(r0 + 1, min(r1, len(rows) - 1) + 1):
            row = rows[rr]
            if name_c < len(row) and value(row[name_c]) is None and any(
                    c is not None and c < len(row) and value(row[c]) is not None for c in marks):
                row[name_c] = MergedName(text)



def _forms(sheets: dict[str, list[list[Any]]], kinds: dict[str, str | None], meta: set[str],
           headers: dict[str, Header | None]) -> list[tuple[str, int, int]]:
    """(sheet, first row, end row) of every form: the sheets holding a score table, each split at form titles."""
    out = []
    for n in sheets:
        if kinds[n] in meta:
            continue
        segs = form_segments(sheets[n])
        if len(segs) > 1 or headers[n] is not None:
            out += [(n, a, z) for a, z in segs]
    return out


def _read_form(rows: list[list[Any]], ref: SheetRef, sheet: str, source: str, sid: str, sha256: str | None,
               reader: str) -> RawSubmission:
    b = Builder()
    header = find_header(rows)
    if header is None:
        parse_preamble(rows, ref, b, len(rows))
        b.problem(*NO_SCORE_TABLE, {"sheet": sheet, "cell": ref(0, 0)["cell"]})
    else:
        _read_tables(rows, ref, b, sheet, header)
    return b.submission(source, sid, sha256, reader)


def _read_tables(rows: list[list[Any]], ref: SheetRef, b: Builder, sheet: str, main: Header) -> None:
    """The header block above the first score table, then every score table of the sheet."""
    headers = find_headers(rows, main=main)
    parse_preamble(rows, ref, b, headers[0].first)
    for header, rng in zip(headers, table_rows(headers, len(rows))):
        parse_score_table(rows, ref, b, header, rng)
    report_missing_columns(headers[-1], ref, b, f"工作表“{sheet}”", f"sheet {sheet!r}")
