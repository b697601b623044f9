"""Plain-text reports (.txt, UTF-8 / UTF-8 with BOM / GB18030) → a `Document` of numbered lines."""

from __future__ import annotations

from pathlib import Path

from ..model import RawSubmission, unreadable
from .document import Document, assemble
from .layout.lines import Line
from .text import decode_bytes


def read_text_file(path: Path, source: str, sha256: str | None) -> list[RawSubmission]:
    try:
        text = decode_bytes(path.read_bytes())
    except UnicodeDecodeError:
        return [unreadable(source, path.stem, "文字编码无法识别（支持 UTF-8、带 BOM 的 UTF-8、GBK/GB18030）",
                           "unknown text encoding (UTF-8, UTF-8 with BOM and GBK/GB18030 are supported)",
                           sha256=sha256, reader="text")]
    lines = [Line(t.strip(), {"file": source, "line": i}) for i, t in enumerate(text.splitlines(), start=1)]
    return assemble(Document(source, path.stem, sha256, "text", lines=lines))
