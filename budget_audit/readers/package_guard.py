"""Checks on an Office package (xlsx/xlsm/ods/docx: a zip) *before* any library opens it.

- the zip directory (`infolist`, nothing decompressed): member count, each member's declared size,
  the sum of declared sizes, and each member's compression ratio;
- each xlsx worksheet, streamed and bounded: the cells' actual bounding box (the area calamine
  would allocate: one cell at A1 and one at XFD1048576 is 17 billion cells) and the row count,
  against `sheet_rows` / `sheet_cells`; the claimed `<dimension>` is reported beside it. A sheet of up
  to 1 MB is first bounded cheaply (`_within`: no `r="…"` outside one of the boxes A1:Z99, A1:Z9999,
  A1:ZZ999 that is within the limits — one literal-prefix regex search each, nothing built per cell);
  the exact box over every cell reference is computed only when no such box holds the sheet;
- an ods `content.xml`, streamed (`iterparse`, elements cleared as they end): the rows and columns that
  hold a value, counting `number-rows-repeated` / `number-columns-repeated` (one value cell repeated a
  million times is a million cells to a reader); empty repeats (LibreOffice pads every sheet with them)
  are not counted. The same limits.

Raises `LimitExceeded` with the zh/en reason; a broken zip is left to the reader (it has the wording).
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from pathlib import Path

from ..limits import LimitExceeded, Limits, current

_CELL_RX = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')
_ROW_RX = re.compile(rb'<(?:\w+:)?row\b')
_DIM_RX = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="([^"]*)"')
CHUNK = 1 << 20


def _col(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def check_zip(path: Path, limits: Limits | None = None) -> None:
    lim = limits or current()
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return                                   # not a (readable) zip: the reader says why
    with zf:
        infos = zf.infolist()
        if len(infos) > lim.zip_members:
            raise LimitExceeded(f"压缩包成员过多（{len(infos)} 个，限制 zip_members = {lim.zip_members}）",
                                f"too many members in the package ({len(infos)}, limit zip_members = {lim.zip_members})")
        total = 0
        for i in infos:
            total += i.file_size
            if i.file_size > lim.zip_member_bytes:
                raise LimitExceeded(
                    f"压缩包成员 {i.filename} 解压后过大（{i.file_size / 2**20:.0f} MB，限制 zip_member_bytes = "
                    f"{lim.zip_member_bytes / 2**20:.0f} MB），疑似压缩炸弹",
                    f"package member {i.filename} inflates to {i.file_size / 2**20:.0f} MB (limit zip_member_bytes = "
                    f"{lim.zip_member_bytes / 2**20:.0f} MB): a decompression bomb?")
            if i.file_size > CHUNK and i.file_size > lim.zip_ratio * max(i.compress_size, 1):
                ratio = i.file_size / max(i.compress_size, 1)
                raise LimitExceeded(
                    f"压缩包成员 {i.filename} 压缩比异常（{ratio:.0f}:1，限制 zip_ratio = {lim.zip_ratio:g}），疑似压缩炸弹",
                    f"package member {i.filename} has a compression ratio of {ratio:.0f}:1 (limit zip_ratio = "
                    f"{lim.zip_ratio:g}): a decompression bomb?")
        if total > lim.zip_total_bytes:
            raise LimitExceeded(
                f"压缩包解压后总计过大（{total / 2**20:.0f} MB，限制 zip_total_bytes = {lim.zip_total_bytes / 2**20:.0f} MB）",
                f"the package inflates to {total / 2**20:.0f} MB in all (limit zip_total_bytes = "
                f"{lim.zip_total_bytes / 2**20:.0f} MB)")
        for i in infos:
            if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml"):
                _check_sheet(zf, i, lim)
            elif i.filename == "content.xml":
                _check_ods(zf, i, lim)


_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_O = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_MAX_REPEAT = 1 << 31


def _repeat(el, attr: str) -> int:
    try:
        return min(max(int(el.get(_T + attr, "1")), 1), _MAX_REPEAT)
    except ValueError:
        return 1


def _check_ods(zf: zipfile.ZipFile, info: zipfile.ZipInfo, lim: Limits) -> None:
    """The value-bearing extent of each ods table (rows × columns, repeats counted) against the limits."""
    import xml.etree.ElementTree as ET

    table = f"{_T}table"
    row, cell, covered = f"{_T}table-row", f"{_T}table-cell", f"{_T}covered-table-cell"
    name, r, c, max_r, max_c, row_has = "", 0, 0, 0, 0, False

    def over() -> None:
        if max_r > lim.sheet_rows or max_r * max_c > lim.sheet_cells:
            raise LimitExceeded(
                f"工作表 {name} 的内容范围过大（{max_r} 行 × {max_c} 列，含重复行列 number-rows/columns-repeated；"
                f"限制 sheet_rows = {lim.sheet_rows}、sheet_cells = {lim.sheet_cells}）",
                f"sheet {name} holds values over {max_r} rows × {max_c} columns, repeats counted "
                f"(limits sheet_rows = {lim.sheet_rows}, sheet_cells = {lim.sheet_cells})")
    try:
        with zf.open(info) as fh:
            for event, el in ET.iterparse(fh, events=("start", "end")):
                tag = el.tag
                if event == "start":
                    if tag == table:
                        name, r, max_r, max_c = el.get(_T + "name", ""), 0, 0, 0
                    elif tag == row:
                        c, row_has = 0, False
                    continue
                if tag in (cell, covered):
                    rep = _repeat(el, "number-columns-repeated")
                    if el.get(_O + "value-type") is not None or len(el):
                        row_has = True
                        max_c = max(max_c, c + rep)
                    c += rep
                    el.clear()
                elif tag == row:
                    rep = _repeat(el, "number-rows-repeated")
                    if row_has:
                        max_r = r + rep
                        over()
                    r += rep
                    el.clear()
                elif tag == table:
                    over()
                    el.clear()
    except (ET.ParseError, zipfile.BadZipFile, OSError, EOFError, ValueError):
        return                                   # a damaged member: the reader reports it


# Boxes A1:{columns}{rows} a real form fits in, each with a search for a reference outside it: an `r="…"`
# attribute with more column letters or more row digits. The search matches every cell reference
# `_CELL_RX` matches outside the box (and any other such `r="…"`: the bound only errs wide); it starts with a
# literal (`r="`), so each is one fast scan of the member in C with nothing built per cell.
def _outside(letters: int, digits: int) -> re.Pattern:
    return re.compile(rb'r="(?:[A-Z]{%d}|[A-Z]{1,%d}[0-9]{%d})' % (letters + 1, letters, digits + 1))


_BOXES = [(99, 26, _outside(1, 2)), (9999, 26, _outside(1, 4)), (999, 702, _outside(2, 3))]


def _within(zf: zipfile.ZipFile, info: zipfile.ZipInfo, lim: Limits) -> bool:
    """True when the sheet cannot be over the limits: every cell reference lies in one of `_BOXES` that is
    within sheet_rows / sheet_cells, and the member is too small to hold sheet_rows rows. False: not known
    (a large member, or a reference past every box), `_check_sheet` computes the exact box. A box's rows are
    counted from row 0: the exact box starts at the smallest row found, and `A0` is one."""
    if info.file_size > CHUNK or info.file_size >= 4 * (lim.sheet_rows + 1):
        return False
    body = _inflated(zf, info)                   # the whole member: `_check_sheet` reads it as one chunk too
    return body is not None and any(rows + 1 <= lim.sheet_rows and (rows + 1) * cols <= lim.sheet_cells
                                    and not outside.search(body) for rows, cols, outside in _BOXES)


def _inflated(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    """A small member's bytes, read straight from its local header and inflated by zlib in one call (half of
    `zf.open(info).read()`'s cost: no buffered stream, no CRC pass). None for anything unusual — encrypted,
    another compression, a header that is not where the directory says, more than CHUNK bytes, bad deflate
    data: then `_check_sheet` reads it through `zipfile` (which says what is wrong) and computes the exact box."""
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return None
    try:
        fp = zf.fp
        fp.seek(info.header_offset)
        head = fp.read(30)
        if len(head) != 30 or head[:4] != b"PK\x03\x04":
            return None
        name_len, extra_len = struct.unpack("<HH", head[26:30])
        fp.seek(info.header_offset + 30 + name_len + extra_len)
        data = fp.read(info.compress_size)
        if len(data) != info.compress_size:
            return None
        if info.compress_type == zipfile.ZIP_STORED:
            return data if len(data) <= CHUNK else None
        inflate = zlib.decompressobj(-15)
        body = inflate.decompress(data, CHUNK + 1)
    except (OSError, ValueError, AttributeError, zlib.error):
        return None
    return body if len(body) <= CHUNK and not inflate.unconsumed_tail else None


def _check_sheet(zf: zipfile.ZipFile, info: zipfile.ZipInfo, lim: Limits) -> None:
    if _within(zf, info, lim):
        return
    rows = 0
    min_r = min_c = 1 << 30
    max_r = max_c = 0
    claimed = None
    tail = b""
    # every `<row` takes 4 bytes at least: a member smaller than that many rows cannot go over sheet_rows
    count_rows = info.file_size >= 4 * (lim.sheet_rows + 1)
    try:
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(CHUNK)
                if not chunk:
                    break
                buf = tail + chunk
                cut = max(buf.rfind(b"<"), 0) if len(chunk) == CHUNK else len(buf)   # keep a split tag whole
                body, tail = buf[:cut], buf[cut:]
                if len(tail) > 4 * CHUNK:            # no tag for megabytes: nothing to count in it
                    tail = b""
                if claimed is None:
                    m = _DIM_RX.search(body)
                    if m:
                        claimed = m.group(1).decode("ascii", "replace")
                if count_rows:
                    rows += len(_ROW_RX.findall(body))
                found = _CELL_RX.findall(body)
                if found:            # the bounding box over the distinct column letters and row numbers
                    letters, nums = zip(*found)
                    rs = [int(n) for n in set(nums)]
                    cs = [_col(x) for x in set(letters)]
                    min_r, max_r = min(min_r, *rs), max(max_r, *rs)
                    min_c, max_c = min(min_c, *cs), max(max_c, *cs)
                if rows > lim.sheet_rows:
                    break
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error):
        return                                   # a damaged member: the reader reports it
    name = info.filename.rsplit("/", 1)[-1]
    claim_zh = f"；声明的范围为 {claimed}" if claimed else ""
    claim_en = f"; it claims the range {claimed}" if claimed else ""
    if rows > lim.sheet_rows:
        raise LimitExceeded(f"工作表 {name} 行数过多（超过 {lim.sheet_rows} 行，限制 sheet_rows）{claim_zh}",
                            f"sheet {name} has more than {lim.sheet_rows} rows (limit sheet_rows){claim_en}")
    if max_r:
        height, width = max_r - min_r + 1, max_c - min_c + 1
        if height > lim.sheet_rows or height * width > lim.sheet_cells:
            raise LimitExceeded(
                f"工作表 {name} 的单元格分布范围过大（{height} 行 × {width} 列，限制 sheet_rows = {lim.sheet_rows}、"
                f"sheet_cells = {lim.sheet_cells}）{claim_zh}",
                f"sheet {name} spans {height} rows × {width} columns (limits sheet_rows = {lim.sheet_rows}, "
                f"sheet_cells = {lim.sheet_cells}){claim_en}")
