"""Byte-identical reruns for zip-based outputs (xlsx): openpyxl stamps the save time into docProps/core.xml
(dcterms:created / dcterms:modified) and into every zip member's header. `stable_zip` rewrites both with
one fixed instant, so the same report gives the same bytes on every run."""

from __future__ import annotations

import io
import re
import zipfile

FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
FIXED_W3CDTF = b"2000-01-01T00:00:00Z"
_STAMP_RX = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def stable_zip(data: bytes) -> bytes:
    zin = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in zin.infolist():
            body = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _STAMP_RX.sub(rb"\g<1>" + FIXED_W3CDTF + rb"\g<2>", body)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            z.writestr(fixed, body)
    return out.getvalue()
