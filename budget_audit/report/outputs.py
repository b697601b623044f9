"""Where reports go: the format registry, safe cell/XML text, and atomic writes.

Every output format is one entry of `FORMATS`: a function of (report dict, lang) returning the
bytes to write. `check` may write several formats in one pass (`--format json -o r.json --format
junit -o r.xml`); each file is written to a temporary sibling and renamed, so an interrupted run
never leaves a half-written report.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .tempfiles import not_a_file, open_temp

Writer = Callable[..., bytes]   # (report dict, lang, **options named in Format.options) -> bytes


@dataclass(frozen=True)
class Format:
    name: str
    write: Writer
    binary: bool = False        # True: needs -o FILE (never printed to a terminal)
    suffix: str = ""
    options: tuple[str, ...] = ()   # keyword options the writer takes (e.g. "fail_on"); others are not passed


FORMATS: dict[str, Format] = {}


def register(name: str, *, binary: bool = False, suffix: str = "",
             options: tuple[str, ...] = ()) -> Callable[[Writer], Writer]:
    def deco(fn: Writer) -> Writer:
        FORMATS[name] = Format(name, fn, binary, suffix, tuple(options))
        return fn
    return deco


# XML 1.0 forbids most C0 controls (and lone surrogates, U+FFFE/U+FFFF); openpyxl refuses them too.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def xml_text(value: Any) -> Any:
    """Text safe inside XML (xlsx, JUnit, SARIF-as-XML consumers): illegal characters removed."""
    return _ILLEGAL_XML.sub("", value) if isinstance(value, str) else value


def cell_text(value: Any) -> Any:
    """A value safe in a spreadsheet cell or CSV field: OWASP formula-injection rule (a leading
    = + - @ TAB CR gets a ' prefix so Excel shows it as text) plus XML-illegal characters removed.
    Numbers pass through unchanged (a negative number is a number, not a formula)."""
    if not isinstance(value, str):
        return value
    value = xml_text(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


_UMASK = os.umask(0o022)
os.umask(_UMASK)


def atomic_write(path: Path | str, data: bytes) -> None:
    """Write to a temporary file beside `path`, fsync, then rename over it: readers see the old
    file or the whole new one, never a partial one (also under SIGKILL). A device or FIFO is written in
    place (`tempfiles.not_a_file`)."""
    path = Path(path)
    if not_a_file(path):
        with open(path, "wb") as fh:
            fh.write(data)
        return
    fd, tmp = open_temp(path)          # also removes a stale temp file a killed run left for this output
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)      # mkstemp makes 0600: give the report the mode a plain open() would
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def emit(report: dict[str, Any], fmt: str, output: str | None, lang: str, **options: Any) -> None:
    """Render one format and write it to `output` (atomically) or to stdout. `options` (e.g.
    fail_on) go to the writers that declared them."""
    spec = FORMATS[fmt]
    data = spec.write(report, lang, **{k: v for k, v in options.items() if k in spec.options})
    if output == "-":                       # `-o -`: standard output (one of several formats, e.g. github in CI)
        if spec.binary:
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data.decode("utf-8"))
    elif output:
        atomic_write(output, data)
    elif spec.binary:
        raise ValueError(f"--format {fmt} 需要 --output FILE{spec.suffix} / --format {fmt} needs --output FILE{spec.suffix}")
    else:
        sys.stdout.write(data.decode("utf-8"))
