"""Readers: files → `RawSubmission`s with provenance. One module per format; readers never judge.

`read_inputs` takes any mix of files and directories (recursive). A directory that holds an
`indicators.csv` is one CSV-folder submission. Every input yields at least one submission —
an unreadable one carries STR007 — so every file appears in the report exactly once.
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Iterable

from ..model import RawSubmission, file_sha256, unreadable
from ..perf import batch_stage

EXCEL = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
SUPPORTED = EXCEL | {".json", ".csv", ".txt"}
MAX_BYTES = 200 * 1024 * 1024   # refuse absurd files rather than exhaust memory


def _read_file(path: Path, source: str, debug: bool) -> list[RawSubmission]:
    sha = file_sha256(path)
    ext = path.suffix.lower()
    try:
        size = path.stat().st_size
        if size == 0:
            return [unreadable(source, path.stem, "文件为空（0 字节）", "the file is empty (0 bytes)", sha256=sha)]
        if size > MAX_BYTES:
            return [unreadable(source, path.stem, f"文件过大（{size / 2**20:.0f} MB）", f"file too large ({size / 2**20:.0f} MB)",
                               sha256=sha)]
        if ext == ".json":
            from .json_reader import read_json
            return read_json(path, source, sha)
        if ext in EXCEL:
            from .xlsx_reader import read_xlsx
            return read_xlsx(path, source, sha)
        if ext == ".csv":
            from .csv_reader import read_csv_file
            return read_csv_file(path, source, sha)
        if ext == ".txt":
            from .text_reader import read_text_file
            return read_text_file(path, source, sha)
        return [unreadable(source, path.stem, f"不支持的文件类型“{ext or '无扩展名'}”（支持 .json .xlsx .xls .csv）",
                           f"unsupported file type {ext or '(none)'!r} (supported: .json .xlsx .xls .csv)", sha256=sha)]
    except Exception as exc:  # a reader bug must not stop the batch: report the file as unreadable
        if debug:
            traceback.print_exc()
        return [unreadable(source, path.stem, f"读取失败：{type(exc).__name__}: {exc}",
                           f"reading failed: {type(exc).__name__}: {exc}", sha256=sha)]


def _read_csv_folder(path: Path, source: str, debug: bool) -> list[RawSubmission]:
    try:
        from .csv_reader import read_csv_folder
        return read_csv_folder(path, source)
    except Exception as exc:
        if debug:
            traceback.print_exc()
        return [unreadable(source, path.name, f"读取失败：{type(exc).__name__}: {exc}",
                           f"reading failed: {type(exc).__name__}: {exc}")]


def _walk(d: Path, out: list[tuple[Path, str, str]]) -> None:
    if (d / "indicators.csv").is_file():        # a CSV folder is one submission
        out.append((d, str(d), "csvdir"))
        return
    for child in sorted(d.iterdir()):
        if child.name.startswith(".") or child.name.startswith("~$"):   # hidden files, Excel lock files
            continue
        if child.is_dir():
            _walk(child, out)
        elif child.suffix.lower() in SUPPORTED:
            out.append((child, str(child), "file"))


def expand(inputs: Iterable[str | Path]) -> list[tuple[Path, str, str]]:
    """Inputs → [(path, source label, kind)] with kind 'file', 'csvdir' or 'missing', in input order.

    A file named explicitly is always read (an unsupported one becomes STR007); inside directories
    only supported extensions are picked up.
    """
    out: list[tuple[Path, str, str]] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            _walk(p, out)
        elif p.is_file():
            out.append((p, str(p), "file"))
        else:
            out.append((p, str(p), "missing"))
    return out


@batch_stage
def read_inputs(inputs: Iterable[str | Path], *, debug: bool = False) -> list[RawSubmission]:
    subs: list[RawSubmission] = []
    for path, source, kind in expand(inputs):
        if kind == "missing":
            subs.append(unreadable(source, path.stem or source, "文件或目录不存在", "no such file or directory"))
        elif kind == "csvdir":
            subs.extend(_read_csv_folder(path, source, debug))
        else:
            subs.extend(_read_file(path, source, debug))
    _unique_ids(subs)
    return subs


def _unique_ids(subs: list[RawSubmission]) -> None:
    """Submission ids must be unique within a run: suffix repeats with their source order."""
    seen: dict[str, int] = {}
    for s in subs:
        n = seen.get(s.id, 0)
        seen[s.id] = n + 1
        if n:
            s.id = f"{s.id}~{n + 1}"
