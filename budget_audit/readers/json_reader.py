"""Submission JSON (interchange.md): one object, or an array of objects (a batch).

Hostile JSON is bounded before and after parsing: the file size (read_inputs), nesting depth and
element count (`limits.json_depth` / `json_elements`); lone surrogates (\\ud800) become U+FFFD so
that no output encoder fails on them; a repeated key in an object becomes a STR010 problem naming it instead of silently letting the later value win.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..limits import LimitExceeded, current
from ..model import Problem, RawSubmission, unreadable
from .errors import debug_text, os_failure
from .text import decode_bytes


class _Dups:
    """object_pairs_hook that keeps the last value (json's behaviour) and remembers repeated keys."""

    def __init__(self) -> None:
        self.by_id: dict[int, list[str]] = {}

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        d = dict(pairs)
        if len(d) != len(pairs):
            seen: set[str] = set()
            rep = []
            for k, _ in pairs:
                if k in seen and k not in rep:
                    rep.append(k)
                seen.add(k)
            self.by_id[id(d)] = rep
        return d


def _clean_str(s: str) -> str:
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:                  # a lone surrogate: not text any output can carry
        return s.encode("utf-8", "surrogatepass").decode("utf-8", "replace").replace("\ufffd\ufffd\ufffd", "\ufffd")


def _walk(doc: Any, dups: _Dups, lim) -> tuple[Any, list[tuple[str, str]]]:
    """Iteratively: depth and element limits, lone surrogates cleaned, repeated keys with their paths."""
    found: list[tuple[str, str]] = []           # (path of the object, key)
    n = 1                                       # the root; each container adds its children
    stack: list[tuple[Any, str, int]] = [(doc, "", 0)]
    while stack:
        node, path, depth = stack.pop()
        n += len(node) if isinstance(node, (dict, list)) else 0
        if n > lim.json_elements:
            raise LimitExceeded(f"JSON 元素过多（超过 {lim.json_elements} 个，限制 json_elements）",
                                f"the JSON holds more than {lim.json_elements} values (limit json_elements)")
        if depth > lim.json_depth:
            raise LimitExceeded(f"JSON 嵌套过深（超过 {lim.json_depth} 层，限制 json_depth）",
                                f"the JSON is nested more than {lim.json_depth} levels deep (limit json_depth)")
        if isinstance(node, dict):
            rep = dups.by_id.get(id(node))
            if rep:
                found.extend((path, k) for k in rep)
            bad = [k for k in node if isinstance(k, str) and _clean_str(k) is not k]
            for k in bad:
                node[_clean_str(k)] = node.pop(k)
            for k, v in node.items():
                if isinstance(v, str):
                    c = _clean_str(v)
                    if c is not v:
                        node[k] = c
                elif isinstance(v, (dict, list)):
                    stack.append((v, f"{path}.{k}" if path else k, depth + 1))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                if isinstance(v, str):
                    c = _clean_str(v)
                    if c is not v:
                        node[i] = c
                elif isinstance(v, (dict, list)):
                    stack.append((v, f"{path}[{i}]", depth + 1))
    if isinstance(doc, str):
        doc = _clean_str(doc)
    return doc, found


#: marks only a form reader sets ("this form prints no weight / score column": STR009 instead of a missing
#: figure); a JSON submission cannot set them, or it would excuse its own missing weights and scores
READER_MARKS = ("not_printed",)


def _drop_reader_marks(item: dict[str, Any]) -> None:
    for k in READER_MARKS:
        item.pop(k, None)
    inds = item.get("indicators")
    for ind in inds if isinstance(inds, list) else ():
        if isinstance(ind, dict):
            for k in READER_MARKS:
                ind.pop(k, None)


def read_json(path: Path, source: str, sha256: str | None) -> list[RawSubmission]:
    lim = current()

    def fail(zh: str, en: str, sid: str = path.stem, src: str = source) -> RawSubmission:
        return unreadable(src, sid, zh, en, sha256=sha256, reader="json")

    dups = _Dups()
    try:
        text = decode_bytes(path.read_bytes())
        if text.count(",") > 2 * lim.json_elements:        # cheap bound before parsing
            raise LimitExceeded(f"JSON 元素过多（超过 {lim.json_elements} 个，限制 json_elements）",
                                f"the JSON holds more than {lim.json_elements} values (limit json_elements)")
        doc = json.loads(text, object_pairs_hook=dups)
        doc, dup_keys = _walk(doc, dups, lim)
    except OSError as exc:
        return [fail(*os_failure(exc))]
    except UnicodeDecodeError:
        return [fail("文字编码无法识别（支持 UTF-8、带 BOM 的 UTF-8、UTF-16、GBK/GB18030）",
                     "unknown text encoding (UTF-8, UTF-8 with BOM, UTF-16 and GBK/GB18030 are supported)")]
    except RecursionError:
        return [fail(f"JSON 嵌套过深（超过 {lim.json_depth} 层，限制 json_depth）",
                     f"the JSON is nested more than {lim.json_depth} levels deep (limit json_depth)")]
    except json.JSONDecodeError as exc:
        zh, en = debug_text(exc)
        return [fail(f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）{zh}",
                     f"not valid JSON (line {exc.lineno}, column {exc.colno}){en}")]
    if isinstance(doc, dict):
        items, batch = [doc], False
    elif isinstance(doc, list):
        items, batch = doc, True
    else:
        return [fail("JSON 顶层必须是对象或对象数组", "the top level must be an object or an array of objects")]
    if batch and not items:
        return [fail("JSON 数组为空，没有任何填报", "the JSON array holds no submission")]
    by_item: dict[int, list[tuple[str, str]]] = {}
    for p, k in dup_keys:                       # "[3].indicators[0]" → item 3, path "indicators[0]"
        if batch:
            head, _, rest = p[1:].partition("]")
            by_item.setdefault(int(head), []).append((rest.lstrip("."), k))
        else:
            by_item.setdefault(0, []).append((p, k))
    out: list[RawSubmission] = []
    for i, item in enumerate(items):
        src = f"{source}#{i}" if batch else source
        default_id = f"{path.stem}#{i}" if batch else path.stem
        if not isinstance(item, dict):
            out.append(fail(f"第 {i} 项不是 JSON 对象", f"entry {i} is not a JSON object", default_id, src))
            continue
        _drop_reader_marks(item)
        sid = item.get("id")
        sid = str(sid) if isinstance(sid, (str, int)) and not isinstance(sid, bool) and str(sid).strip() else default_id
        raw = RawSubmission(source=src, id=sid, data=item, sha256=sha256, reader="json")
        for p, k in by_item.get(i, ()):
            where = f"{p}.{k}" if p else k
            raw.problems.append(Problem("STR010", f"键“{k}”在 {p or '顶层'} 中出现多次（只保留了最后一个值）",
                                        f"key {k!r} appears more than once in {p or 'the top level'} (only the last value is kept)",
                                        {"path": where}))
        out.append(raw)
    return out
