"""Byte-identical reruns for zip-based outputs (xlsx): openpyxl stamps the save time into docProps/core.xml
(dcterms:created / dcterms:modified) and into every zip member's header. `stable_zip` rewrites both with
one fixed instant, so the same report gives the same bytes on every run. A unit's annotated copy keeps its
own dcterms:created (their metadata, read from their file) and gets that same instant as dcterms:modified (the
fixed one where the workbook has none), so it is never "modified" before it was created."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
FIXED_W3CDTF = b"2000-01-01T00:00:00Z"
_STAMP_RX = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")
_CREATED_RX = re.compile(rb"<dcterms:created\b[^>]*>([^<]+)</dcterms:created>")


def workbook_created(path: str | Path) -> bytes | None:
    """The `dcterms:created` a workbook file itself carries (None: no zip, no core.xml, no such stamp).
    Read from the file, not from openpyxl, which fills a missing one with the time it loads it."""
    try:
        with zipfile.ZipFile(path) as z:
            found = _CREATED_RX.search(z.read("docProps/core.xml"))
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return None
    return found.group(1) if found else None


def stable_zip(data: bytes, created: bytes | None = None) -> bytes:
    """`data` (an xlsx) with every zip time fixed and both core.xml stamps set to one instant: `created`
    (a unit's annotated copy: its workbook's own creation date) or the fixed one."""
    stamp = created or FIXED_W3CDTF
    zin = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in zin.infolist():
            body = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _STAMP_RX.sub(lambda m: m.group(1) + stamp + m.group(2), body)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            z.writestr(fixed, body)
    return out.getvalue()
