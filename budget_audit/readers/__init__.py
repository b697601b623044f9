"""Readers: files → `RawSubmission`s with provenance. One module per format; readers never judge.

`read_inputs` takes any mix of files and directories (recursive). A directory that holds an
`indicators.csv` is one CSV-folder submission. Every input yields at least one submission —
an unreadable one carries STR007 — so every file appears in the report exactly once.
"""

from __future__ import annotations

import os
import stat
import traceback
from pathlib import Path
from typing import Iterable

from ..model import RawSubmission, file_sha256, skipped, unreadable
from .. import limits
from ..perf import batch_stage
from . import errors

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
MAX_BYTES = limits.Limits.file_bytes   # default; the limit in force is limits.current().file_bytes


def _read_file(path: Path, source: str, debug: bool) -> list[RawSubmission]:
    ext = path.suffix.lower()
    sha = None
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):            # a FIFO, a device (/dev/zero), a socket: never opened
            return [unreadable(source, path.stem, "不是普通文件（管道、设备或套接字），未读取",
                               "not a regular file (a pipe, device or socket): not read")]
        size = st.st_size
        lim = limits.current()
        if size > lim.file_bytes:
            return [unreadable(source, path.stem, f"文件过大（{size / 2**20:.0f} MB，限制 file_bytes = "
                               f"{lim.file_bytes / 2**20:.0f} MB）",
                               f"file too large ({size / 2**20:.0f} MB, limit file_bytes = {lim.file_bytes / 2**20:.0f} MB)")]
        sha = file_sha256(path)
        if size == 0:
            return [unreadable(source, path.stem, "文件为空（0 字节）", "the file is empty (0 bytes)", sha256=sha)]
        with limits.file_budget():
            return _dispatch(path, source, sha, ext)
    except (limits.LimitExceeded, limits.BudgetExceeded) as exc:
        return [unreadable(source, path.stem, exc.zh, exc.en, sha256=sha)]
    except RecursionError as exc:
        return [unreadable(source, path.stem, *errors.failure(exc), sha256=sha)]
    except Exception as exc:  # a reader bug must not stop the batch: report the file as unreadable
        if debug:
            traceback.print_exc()
        return [unreadable(source, path.stem, *errors.failure(exc), sha256=sha)]


def _dispatch(path: Path, source: str, sha: str | None, ext: str) -> list[RawSubmission]:
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
        from .package_guard import check_zip
        check_zip(path)
        return read_docx(path, source, sha)
    return [unreadable(source, path.stem, f"不支持的文件类型“{ext or '无扩展名'}”（支持 {SUPPORTED_TEXT}）",
                       f"unsupported file type {ext or '(none)'!r} (supported: {SUPPORTED_TEXT})", sha256=sha)]


def _read_csv_folder(path: Path, source: str, debug: bool) -> list[RawSubmission]:
    try:
        from .csv_reader import read_csv_folder
        with limits.file_budget():
            return read_csv_folder(path, source)
    except (limits.LimitExceeded, limits.BudgetExceeded) as exc:
        return [unreadable(source, path.name, exc.zh, exc.en)]
    except Exception as exc:
        if debug:
            traceback.print_exc()
        return [unreadable(source, path.name, *errors.failure(exc))]


SUPPORTED_TEXT = " ".join(sorted(SUPPORTED))


def label(p: Path) -> str:
    """A path as text for the report: bytes that are not UTF-8 (os.fsdecode's surrogates) shown as U+FFFD."""
    text = str(p)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "replace")


def _real(p: Path) -> Path | None:
    try:
        return p.resolve(strict=True)
    except (OSError, RuntimeError):             # a dangling link or a symlink loop
        return None


def _walk(d: Path, out: list[tuple[Path, str, str]], seen: set[Path]) -> None:
    real = _real(d)
    if real is None or real in seen:            # a symlink loop or a folder already walked: once only
        return
    seen.add(real)
    try:
        is_csv = (d / "indicators.csv").is_file()
        children = sorted(os.scandir(d), key=lambda e: e.name) if not is_csv else []
    except OSError:                             # no permission to list it: a finding, not a crash
        out.append((d, label(d), "denied"))
        return
    if is_csv:                                  # a CSV folder is one submission
        out.append((d, label(d), "csvdir"))
        return
    for entry in children:
        child = Path(entry.path)
        if entry.name.startswith("."):          # hidden files and folders (.git, .DS_Store) are not submissions
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            _walk(child, out, seen)
            continue
        try:
            link = entry.is_symlink()
        except OSError:
            link = True
        # not a link: its real path is the folder's real path and its name (`resolve` would lstat every
        # component of every file of a 10,000-file folder again), its type the folder listing's
        target = _real(child) if link else real / entry.name
        if target is None:
            out.append((child, label(child), "broken"))
        elif target in seen:                    # a second link to a file already listed
            continue
        elif not (child.is_file() if link else entry.is_file()):   # FIFO, device, socket: listed, never opened
            seen.add(target)
            out.append((child, label(child), "special"))
        elif child.suffix.lower() in SUPPORTED and not child.name.startswith("~$"):
            seen.add(target)
            out.append((child, label(child), "file"))
        else:                                   # listed as skipped, with the reason: nothing vanishes
            seen.add(target)
            out.append((child, label(child), "skip"))


CSV_FOLDER_PARTS = ("indicators.csv", "budget.csv", "statements.csv")


def expand(inputs: Iterable[str | Path]) -> list[tuple[Path, str, str]]:
    """Inputs → [(path, source label, kind)] in input order. kind: 'file', 'csvdir', 'skip', 'missing',
    'special' (not a regular file), 'broken' (a dangling link or loop), 'denied' (a folder that cannot be listed).

    A file named explicitly is always read (an unsupported one becomes STR007); inside directories a
    file of a kind the suite does not read is listed as skipped (STR012), with the reason. Symlinks are
    resolved once: each real file and folder is listed once, a link loop ends where it closes.
    """
    out: list[tuple[Path, str, str]] = []
    seen: set[Path] = set()
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            _walk(p, out, seen)
        elif p.is_file() and p.name in CSV_FOLDER_PARTS and (p.parent / "indicators.csv").is_file():
            # one file of a CSV folder (as pre-commit passes them): the folder is the submission, read once
            real = _real(p.parent)
            if real not in seen:
                seen.add(real)
                out.append((p.parent, str(p.parent), "csvdir"))
        elif p.is_file():
            out.append((p, label(p), "file"))
        elif os.path.lexists(p):
            out.append((p, label(p), "broken" if _real(p) is None else "special"))
        else:
            out.append((p, label(p), "missing"))
    return out


class NoInputs(Exception):
    """Nothing to check at all (an empty folder): the CLI says so and exits 2."""


@batch_stage
def read_inputs(inputs: Iterable[str | Path], *, debug: bool = False) -> list[RawSubmission]:
    inputs = list(inputs)
    listed = expand(inputs)
    if not listed:
        raise NoInputs("没有找到任何文件可检查（目录为空）/ no inputs: the folder(s) hold no file "
                       f"({', '.join(label(Path(i)) for i in inputs)})")
    subs = read_items(listed, debug=debug)
    _unique_ids(subs)
    return subs


def read_items(items: Iterable[tuple[Path, str, str]], *, debug: bool = False) -> list[RawSubmission]:
    """Read items from `expand` (path, source, kind), in order. Ids are NOT made unique here:
    `read_inputs` does it for its inputs, `budget_audit.batch` over the whole run (`unique_ids`)."""
    errors.DEBUG = debug
    subs: list[RawSubmission] = []
    for path, source, kind in items:
        subs.extend(read_item(path, source, kind, debug))
    return subs


def read_item(path: Path, source: str, kind: str, debug: bool = False) -> list[RawSubmission]:
    """One expanded input (`expand`) → its submissions: the one dispatch every engine uses (the local
    batch, a Spark task)."""
    if kind == "special":
        return [unreadable(source, path.stem or source, "不是普通文件（管道、设备或套接字），未读取",
                           "not a regular file (a pipe, device or socket): not read")]
    if kind == "broken":
        return [unreadable(source, path.stem or source, "链接无法解析（目标不存在或链接成环）",
                           "the link cannot be resolved (missing target or a link loop)")]
    if kind == "denied":
        return [unreadable(source, path.name or source, "没有权限读取该目录", "permission denied: the folder cannot be listed")]
    if kind == "missing":
        return [unreadable(source, path.stem or source, "文件或目录不存在", "no such file or directory")]
    if kind == "csvdir":
        return _read_csv_folder(path, source, debug)
    if kind == "skip":
        return [_skip(path, source)]
    return _read_file(path, source, debug)


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
    """The run-unique form of id `sid` given the ids `seen` so far (updated): `a`, `a~2`, `a~3` … A suffixed
    id already taken — a file itself named `a~2`, before or after the second `a` — is skipped, so ids never
    repeat: `a`, `a`, `a~2` → `a`, `a~2`, `a~2~2`. `seen[x]`: the last suffix given to `x` (1: only `x`)."""
    n = seen.get(sid, 0)
    if not n:
        seen[sid] = 1
        return sid
    while True:
        n += 1
        candidate = f"{sid}~{n}"
        if candidate not in seen:
            seen[sid] = n
            seen[candidate] = 1
            return candidate
