"""`json.dumps(obj, ensure_ascii=False, indent=1)`, as nested `level` spaces deep in a report, ~3× faster.

With `indent`, the standard library encodes in pure Python (its C encoder has no indentation): a generator
per container and a `yield` per token. A streamed batch report encodes every submission entry that way in
the parent process, after the last chunk (the cross-submission findings are only known then), so that cost
was the serial tail of a run. `indented` builds the same text with one call per container and the C string
encoder for every string (`json.encoder.encode_basestring`, the function `json.dumps` itself uses), the
same order of type tests, the same float and key spellings: byte for byte the same text (held to
`json.dumps` by tests/test_jsontext.py on random documents).
"""

from __future__ import annotations

from json.encoder import encode_basestring
from typing import Any

_INF = float("inf")
_float_repr = float.__repr__
_int_repr = int.__repr__


def _float(o: float) -> str:
    """`json`'s float spelling (allow_nan: NaN, Infinity, -Infinity; else the shortest repr)."""
    if o != o:
        return "NaN"
    if o == _INF:
        return "Infinity"
    if o == -_INF:
        return "-Infinity"
    return _float_repr(o)


def _key(k: Any) -> str:
    """A dict key as `json` writes it: strings as they are; float, bool, None and int keys spelled as JSON."""
    if isinstance(k, str):
        return encode_basestring(k)
    if isinstance(k, float):
        return encode_basestring(_float(k))
    if k is True:
        return '"true"'
    if k is False:
        return '"false"'
    if k is None:
        return '"null"'
    if isinstance(k, int):
        return encode_basestring(_int_repr(k))
    raise TypeError(f"keys must be str, int, float, bool or None, not {k.__class__.__name__}")


def _text(o: Any, nl: str) -> str:
    """`o` as JSON; `nl` is the newline and indentation of the line `o` starts on. Type tests in `json`'s order
    (str, None, True, False, int, float, list/tuple, dict): an int or float subclass is written as its base."""
    if isinstance(o, str):
        return encode_basestring(o)
    if o is None:
        return "null"
    if o is True:
        return "true"
    if o is False:
        return "false"
    if isinstance(o, int):
        return _int_repr(o)
    if isinstance(o, float):
        return _float(o)
    if isinstance(o, (list, tuple)):
        if not o:
            return "[]"
        inner = nl + " "
        return "[" + inner + ("," + inner).join(
            [encode_basestring(v) if type(v) is str else "null" if v is None else _text(v, inner) for v in o]
        ) + nl + "]"
    if isinstance(o, dict):
        if not o:
            return "{}"
        inner = nl + " "
        return "{" + inner + ("," + inner).join(
            [(encode_basestring(k) if type(k) is str else _key(k)) + ": "
             + (encode_basestring(v) if type(v) is str else "null" if v is None else _text(v, inner))
             for k, v in o.items()]
        ) + nl + "}"
    raise TypeError(f"Object of type {o.__class__.__name__} is not JSON serializable")


def indented(obj: Any, level: int = 0) -> str:
    """`json.dumps(obj, ensure_ascii=False, indent=1).replace("\\n", "\\n" + " " * level)`, byte for byte."""
    return _text(obj, "\n" + " " * level)
