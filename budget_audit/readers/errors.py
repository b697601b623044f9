"""Library exceptions → reasons a user can act on (zh, en). The raw text is shown only with --debug."""

from __future__ import annotations

import json
import zipfile

#: (substring of the exception's type name or text, lowercase) → (zh, en)
_PATTERNS: tuple[tuple[str, str, str], ...] = (
    ("cannot detect file format", "无法识别文件格式（文件已损坏，或扩展名与内容不符）",
     "the file format cannot be recognised (damaged, or the extension does not match the content)"),
    ("eocd", "压缩包结构损坏（文件不完整或已损坏）", "the package is damaged (truncated or corrupt zip)"),
    ("not a zip file", "不是有效的 Office 文件（压缩包结构损坏）", "not a valid Office file (not a zip package)"),
    ("badzipfile", "不是有效的 Office 文件（压缩包结构损坏）", "not a valid Office file (not a zip package)"),
    ("zip", "压缩包结构损坏（文件不完整或已损坏）", "the package is damaged (truncated or corrupt zip)"),
    ("password", "文件已加密，请去除密码后再检查", "the file is encrypted: remove the password and check again"),
    ("encrypt", "文件已加密，请去除密码后再检查", "the file is encrypted: remove the password and check again"),
    ("cfb", "旧版 Office 文件结构损坏或已加密", "a damaged or encrypted legacy Office file"),
    ("xml", "文件内部的 XML 结构损坏", "the file's internal XML is damaged"),
    ("permission", "没有读取权限", "permission denied"),
    ("pdf", "PDF 文件结构损坏", "the PDF structure is damaged"),
    ("unicode", "文字编码无法识别", "the text encoding cannot be recognised"),
    ("memory", "文件过大，无法在内存中处理", "the file is too large to process"),
    ("recursion", "文件结构嵌套过深", "the file's structure is nested too deeply"),
)


def reason(exc: BaseException) -> tuple[str, str]:
    """A plain reason for a reading failure, without the library's own wording."""
    if isinstance(exc, json.JSONDecodeError):
        return (f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）",
                f"not valid JSON (line {exc.lineno}, column {exc.colno})")
    if isinstance(exc, zipfile.BadZipFile):
        return _PATTERNS[3][1], _PATTERNS[3][2]
    if isinstance(exc, PermissionError):
        return "没有读取权限", "permission denied"
    text = f"{type(exc).__name__} {exc}".lower()
    for needle, zh, en in _PATTERNS:
        if needle in text:
            return zh, en
    return "文件无法解析（格式损坏或不受支持）", "the file cannot be parsed (damaged or an unsupported layout)"


def failure(exc: BaseException) -> tuple[str, str]:
    """(zh, en) STR007 detail: the mapped reason, plus the raw library text with --debug only."""
    zh, en = reason(exc)
    dzh, den = debug_text(exc)
    return f"读取失败：{zh}{dzh}", f"reading failed: {en}{den}"


#: set by `read_inputs` from --debug: whether messages carry the library's own text
DEBUG = False


def debug_text(exc: BaseException) -> tuple[str, str]:
    """'' normally; "（Type: text）" / " (Type: text)" with --debug. Appended to a reader's own reason."""
    if not DEBUG:
        return "", ""
    raw = f"{type(exc).__name__}: {exc}"
    return f"（{raw}）", f" ({raw})"


def os_reason(exc: OSError) -> tuple[str, str]:
    """An operating-system error as a reason: permission, missing, a folder, or the plain errno text."""
    import errno

    known = {errno.EACCES: ("没有读取权限", "permission denied"), errno.EPERM: ("没有读取权限", "permission denied"),
             errno.ENOENT: ("文件不存在", "no such file"), errno.EISDIR: ("这是一个目录", "it is a folder"),
             errno.ELOOP: ("链接成环", "a symlink loop"), errno.EIO: ("磁盘读取错误", "an I/O error")}
    zh, en = known.get(exc.errno, ("系统错误", "operating-system error"))
    dzh, den = debug_text(exc)
    return zh + dzh, en + den


def os_failure(exc: OSError) -> tuple[str, str]:
    zh, en = os_reason(exc)
    return f"无法读取文件：{zh}", f"cannot read file: {en}"
