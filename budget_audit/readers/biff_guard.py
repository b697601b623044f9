"""Checks on a legacy Excel workbook (.xls: BIFF5/BIFF8 in an OLE compound file) *before* calamine opens it.

Every worksheet's DIMENSIONS record states the range of rows and columns it uses (Excel writes it
before the cells); a reader sizes the sheet by it. A claimed range over `sheet_rows` / `sheet_cells`
is refused (`LimitExceeded`: the file's STR007, the claim named). The `Workbook` (or `Book`) stream is
walked record by record (olefile; the file is already under `file_bytes`); a damaged stream is left to
the reader, which has the wording for it.
"""

from __future__ import annotations

import struct
from pathlib import Path

from ..limits import LimitExceeded, Limits, current

DIMENSIONS = 0x0200
BOF = 0x0809


def claimed_ranges(data: bytes) -> list[tuple[int, int]]:
    """(rows, columns) claimed by each DIMENSIONS record of a BIFF stream, in order."""
    out = []
    pos, end = 0, len(data)
    while pos + 4 <= end:
        rtype, size = struct.unpack_from("<HH", data, pos)
        body = pos + 4
        if body + size > end:
            break
        if rtype == DIMENSIONS:
            if size >= 14:                          # BIFF8: rwMic, rwMac (u32), colMic, colMac (u16)
                r0, r1, c0, c1 = struct.unpack_from("<IIHH", data, body)
            elif size >= 10:                        # BIFF5/7: all u16
                r0, r1, c0, c1 = struct.unpack_from("<HHHH", data, body)
            else:
                r0 = r1 = c0 = c1 = 0
            out.append((max(r1 - r0, 0), max(c1 - c0, 0)))
        pos = body + size
    return out


def check_biff(path: Path, limits: Limits | None = None) -> None:
    lim = limits or current()
    try:
        import olefile
    except ImportError:                             # pragma: no cover - a dependency; missing: calamine alone
        return
    try:
        if not olefile.isOleFile(str(path)):
            return
        with olefile.OleFileIO(str(path)) as ole:
            stream = next((s for s in ("Workbook", "Book") if ole.exists(s)), None)
            if stream is None:
                return
            data = ole.openstream(stream).read()
    except Exception:                               # olefile raises many types on damaged files
        return
    for k, (rows, cols) in enumerate(claimed_ranges(data), start=1):
        if rows > lim.sheet_rows or rows * cols > lim.sheet_cells:
            raise LimitExceeded(
                f"第 {k} 个工作表声明的范围过大（DIMENSIONS 记录：{rows} 行 × {cols} 列，限制 sheet_rows = "
                f"{lim.sheet_rows}、sheet_cells = {lim.sheet_cells}），未读取",
                f"sheet {k} claims {rows} rows × {cols} columns in its DIMENSIONS record (limits sheet_rows = "
                f"{lim.sheet_rows}, sheet_cells = {lim.sheet_cells}): not read")
