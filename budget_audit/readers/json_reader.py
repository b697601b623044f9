"""Submission JSON (interchange.md): one object, or an array of objects (a batch)."""

from __future__ import annotations

import json
from pathlib import Path

from ..model import RawSubmission, unreadable
from .text import decode_bytes


def read_json(path: Path, source: str, sha256: str | None) -> list[RawSubmission]:
    try:
        text = decode_bytes(path.read_bytes())
        doc = json.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        return [unreadable(source, path.stem, f"无法读取文件：{exc}", f"cannot read file: {exc}",
                           sha256=sha256, reader="json")]
    except json.JSONDecodeError as exc:
        return [unreadable(source, path.stem,
                           f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）：{exc.msg}",
                           f"not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}",
                           sha256=sha256, reader="json")]
    if isinstance(doc, dict):
        items, batch = [doc], False
    elif isinstance(doc, list):
        items, batch = doc, True
    else:
        return [unreadable(source, path.stem, "JSON 顶层必须是对象或对象数组",
                           "the top level must be an object or an array of objects",
                           sha256=sha256, reader="json")]
    if batch and not items:
        return [unreadable(source, path.stem, "JSON 数组为空，没有任何填报", "the JSON array holds no submission",
                           sha256=sha256, reader="json")]
    out: list[RawSubmission] = []
    for i, item in enumerate(items):
        src = f"{source}#{i}" if batch else source
        default_id = f"{path.stem}#{i}" if batch else path.stem
        if not isinstance(item, dict):
            out.append(unreadable(src, default_id, f"第 {i} 项不是 JSON 对象", f"entry {i} is not a JSON object",
                                  sha256=sha256, reader="json"))
            continue
        sid = str(item.get("id") or default_id)
        out.append(RawSubmission(source=src, id=sid, data=item, sha256=sha256, reader="json"))
    return out
