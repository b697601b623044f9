"""Readers: files → `RawSubmission`s with provenance. One module per format; readers never judge.

`read_inputs` takes any mix of files and directories (recursive). A directory that holds an
`indicators.csv` is one CSV-folder submission. Every input yields at least one submission —
an unreadable one carries STR007 — so every file appears in the report exactly once.
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Iterable

from ..model import RawSubmission, file_sha256, skipped, unreadable
from ..perf import batch_stage

EXCEL = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
WORD = {".docx", ".doc"}
SUPPORTED = EXCEL | WORD | {".json", ".csv", ".txt", ".pdf"}
#: why a file in a folder is not read (STR012, info): listed, never silently dropped
SKIP_REASONS: dict[str, tuple[str, str]] = {
    **{e: ("图片文件，不是报告或表格（扫描件请先做文字识别）", "an image, not a report or a table (OCR a scan first)")
       for e in (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp")},
    **{e: ("压缩包，请解压后再检查", "an archive: unpack it and check its files")
       for e in (".zip", ".rar", ".7z", ".gz", ".tar")},
    **{e: ("WPS 格式，请另存为 .docx / .xlsx", "a WPS file: save it as .docx / .xlsx") for e in (".wps", ".et", ".dps")},
    **{e: ("网页文件，请另存为 .xlsx 或 PDF", "a web page: save it as .xlsx or PDF") for e in (".html", ".htm", ".mht")},
}
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
        if ext == ".pdf":
            from .pdf_reader import read_pdf
            return read_pdf(path, source, sha)
        if ext in WORD:
            from .docx_reader import read_docx
            return read_docx(path, source, sha)
        return [unreadable(source, path.stem, f"不支持的文件类型“{ext or '无扩展名'}”（支持 {SUPPORTED_TEXT}）",
                           f"unsupported file type {ext or '(none)'!r} (supported: {SUPPORTED_TEXT})", sha256=sha)]
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


SUPPORTED_TEXT = " ".join(sorted(SUPPORTED))


def _walk(d: Path, out: list[tuple[Path, str, str]]) -> None:
    if (d / "indicators.csv").is_file():        # a CSV folder is one submission
        out.append((d, str(d), "csvdir"))
        return
    for child in sorted(d.iterdir()):
        if child.name.startswith("."):          # hidden files and folders (.git, .DS_Store) are not submissions
            continue
        if child.is_dir():
            _walk(child, out)
        elif child.suffix.lower() in SUPPORTED and not child.name.startswith("~$"):
            out.append((child, str(child), "file"))
        else:                                   # listed as skipped, with the reason: nothing vanishes
            out.append((child, str(child), "skip"))


def expand(inputs: Iterable[str | Path]) -> list[tuple[Path, str, str]]:
    """Inputs → [(path, source label, kind)] with kind 'file', 'csvdir' or 'missing', in input order.

    A file named explicitly is always read (an unsupported one becomes STR007); inside directories a
    file of a kind the suite does not read is listed as skipped (STR012), with the reason.
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
    subs = read_items(expand(inputs), debug=debug)
    _unique_ids(subs)
    return subs


def read_items(items: Iterable[tuple[Path, str, str]], *, debug: bool = False) -> list[RawSubmission]:
    """Read items from `expand` (path, source, kind), in order. Ids are NOT made unique here:
    `read_inputs` does it for its inputs, `budget_audit.batch` over the whole run (`unique_ids`)."""
    subs: list[RawSubmission] = []
    for path, source, kind in items:
        if kind == "missing":
            subs.append(unreadable(source, path.stem or source, "文件或目录不存在", "no such file or directory"))
        elif kind == "csvdir":
            subs.extend(_read_csv_folder(path, source, debug))
        elif kind == "skip":
            subs.append(_skip(path, source))
        else:
            subs.extend(_read_file(path, source, debug))
    return subs


def _skip(path: Path, source: str) -> RawSubmission:
    if path.name.startswith("~$"):
        zh, en = "Office 临时锁定文件（原文件正被打开），不是填报文件", "an Office lock file (the workbook is open), not a submission"
    else:
        zh, en = SKIP_REASONS.get(path.suffix.lower(), (
            f"不支持的文件类型“{path.suffix or '无扩展名'}”，未检查（支持 {SUPPORTED_TEXT}）",
            f"file type {path.suffix or '(none)'!r} is not read (supported: {SUPPORTED_TEXT})"))
    return skipped(source, path.stem, zh, en)


def _unique_ids(subs: list[RawSubmission]) -> None:
    """Submission ids must be unique within a run: suffix repeats with their source order."""
    seen: dict[str, int] = {}
    for s in subs:
        s.id = unique_id(s.id, seen)


def unique_id(sid: str, seen: dict[str, int]) -> str:
    """The run-unique form of id `sid` given the ids `seen` so far (counts, updated): `a`, `a~2`, `a~3` …"""
    n = seen.get(sid, 0)
    seen[sid] = n + 1
    return f"{sid}~{n + 1}" if n else sid
