"""Byte-identical reruns for zip-based outputs (xlsx): openpyxl stamps the save time into docProps/core.xml
(dcterms:created / dcterms:modified) and into every zip member's header. `stable_zip` rewrites both with
one fixed instant, so the same report gives the same bytes on every run. A unit's annotated copy keeps its
own dcterms:created (their metadata) and gets that same instant as dcterms:modified (the fixed one where the
workbook has none), so it is never "modified" before it was created."""

from __future__ import annotations

import io
import re
import zipfile

FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
FIXED_W3CDTF = b"2000-01-01T00:00:00Z"
_STAMP_RX = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")
_MODIFIED_RX = re.compile(rb"(<dcterms:modified\b[^>]*>)[^<]*(</dcterms:modified>)")
_CREATED_RX = re.compile(rb"<dcterms:created\b[^>]*>([^<]+)</dcterms:created>")


def stable_zip(data: bytes, keep_created: bool = False) -> bytes:
    zin = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in zin.infolist():
            body = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                if keep_created:
                    created = _CREATED_RX.search(body)
                    stamp = created.group(1) if created else FIXED_W3CDTF
                    body = _MODIFIED_RX.sub(lambda m: m.group(1) + stamp + m.group(2), body)
                else:
                    body = _STAMP_RX.sub(rb"\g<1>" + FIXED_W3CDTF + rb"\g<2>", body)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            z.writestr(fixed, body)
    return out.getvalue()
