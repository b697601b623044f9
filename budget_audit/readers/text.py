"""Text decoding shared by the text-based readers (JSON, CSV, YAML metadata)."""

from __future__ import annotations

ENCODINGS = ("utf-8-sig", "gb18030")  # utf-8-sig also reads plain UTF-8; GB18030 is a superset of GBK


def decode_bytes(raw: bytes) -> str:
    """Decode UTF-8 (with or without BOM) or GBK/GB18030; raise UnicodeDecodeError otherwise."""
    if raw.startswith(b"\xff\xfe") or raw.startswith(b"\xfe\xff"):
        return raw.decode("utf-16")
    last: UnicodeDecodeError | None = None
    for enc in ENCODINGS:
        try:
            return raw.decode(enc)
        except UnicodeDecodeError as exc:
            last = exc
    assert last is not None
    raise last
