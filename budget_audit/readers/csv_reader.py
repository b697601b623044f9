"""CSV inputs → `RawSubmission`.

- A CSV folder (`indicators.csv` + optional `meta.yaml`/`meta.json`, `budget.csv`, `statements.csv`)
  is one submission; `indicators.csv` has the score table's columns (same synonyms as the
  workbook), either hierarchical (section/group rows like the sheet) or flat (一级指标/二级指标
  filled on every row).
- A lone CSV file is one submission's score table, or, with a `submission_id` column, a long-form
  batch (one submission per id, in first-appearance order).

Encodings: UTF-8, UTF-8 with BOM, GBK/GB18030 (`text.decode_bytes`); anything else is STR007.
The row logic is shared with the workbook reader (`table.parse_score_table` / `parse_kv`).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import yaml

from ..model import RawSubmission, file_sha256, unreadable
from .layout import (
    NO_SCORE_TABLE,
    Builder,
    CellRef,
    find_header,
    parse_kv,
    parse_preamble,
    parse_score_table,
    read_long_form,
    report_missing_columns,
)
from ..limits import current
from ..profiles import AliasBomb, refuse_alias_bomb
from .errors import debug_text, os_failure, os_reason
from .text import decode_bytes

META_FILES = ("meta.yaml", "meta.yml", "meta.json")
DECODE_MSG = ("{name} 的文字编码无法识别（支持 UTF-8、带 BOM 的 UTF-8、GBK/GB18030）",
              "{name}: unknown text encoding (UTF-8, UTF-8 with BOM and GBK/GB18030 are supported)")


class CsvRef(CellRef):
    """(row, column) → {"file": "indicators.csv", "line": 12, "column": "得分"}."""

    def __init__(self, name: str, rows: list[list[Any]], lines: list[int]) -> None:
        self.name = name
        self.rows = rows
        self.lines = lines
        self.header_row = None

    def __call__(self, r: int, c: int) -> dict[str, Any]:
        col = None
        if self.header_row is not None and c < len(self.rows[self.header_row]):
            col = (self.rows[self.header_row][c] or "").strip() or None
        return {"file": self.name, "line": self.lines[r] if r < len(self.lines) else r + 1,
                "column": col or f"第{c + 1}列"}

    def where(self) -> str:
        return self.name


def parse_csv_text(text: str) -> tuple[list[list[Any]], list[int]]:
    """Rows of cells ('' kept, readers treat it as empty) and the 1-based line each row starts on.
    More lines than the sheet_rows limit: LimitExceeded (counted before any row is built)."""
    from ..limits import LimitExceeded

    lim = current().sheet_rows
    if text.count("\n") > lim:
        raise LimitExceeded(f"CSV 行数过多（超过 {lim} 行，限制 sheet_rows）", f"the CSV has more than {lim} lines (limit sheet_rows)")
    sample = text[:8192]
    delimiter = ","
    first = sample.splitlines()[0] if sample else ""
    for cand in ("\t", ";"):
        if first.count(cand) > first.count(",") and first.count(cand) > 0:
            delimiter = cand
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[Any]] = []
    lines: list[int] = []
    prev = 0
    for rec in reader:
        lines.append(prev + 1)
        prev = reader.line_num
        rows.append(list(rec))
    return rows, lines


def _read_limited(path: Path) -> bytes:
    """A file of a CSV folder, within the file_bytes limit (LimitExceeded: the folder's STR007)."""
    from ..limits import LimitExceeded

    lim = current().file_bytes
    size = path.stat().st_size
    if size > lim:
        raise LimitExceeded(f"{path.name} 过大（{size / 2**20:.0f} MB，限制 file_bytes = {lim / 2**20:.0f} MB）",
                            f"{path.name} is too large ({size / 2**20:.0f} MB, limit file_bytes = {lim / 2**20:.0f} MB)")
    return path.read_bytes()


def _load_csv(path: Path) -> tuple[list[list[Any]], list[int]]:
    """Raises UnicodeDecodeError / OSError / csv.Error."""
    return parse_csv_text(decode_bytes(_read_limited(path)))


# --------------------------------------------------------------------------------------------
# meta.yaml / meta.json
# --------------------------------------------------------------------------------------------


def _line_map(text: str) -> dict[str, int]:
    """Data path ("budget.execution_rate", "statements[2].value") → 1-based line, via YAML nodes."""
    out: dict[str, int] = {}
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return out

    def walk(n: Any, path: str) -> None:
        if n is None:
            return
        if path:
            out[path] = n.start_mark.line + 1
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                key = str(k.value)
                walk(v, f"{path}.{key}" if path else key)
        elif isinstance(n, yaml.SequenceNode):
            for i, v in enumerate(n.value):
                walk(v, f"{path}[{i}]")

    walk(node, "")
    return out


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_meta(path: Path) -> tuple[dict[str, Any] | None, dict[str, int], str | None]:
    """(document, path → line, error message "zh\nen")."""
    try:
        text = decode_bytes(_read_limited(path))
    except UnicodeDecodeError:
        return None, {}, DECODE_MSG[0].format(name=path.name) + "\n" + DECODE_MSG[1].format(name=path.name)
    except OSError as exc:
        zh, en = os_reason(exc)
        return None, {}, f"无法读取 {path.name}：{zh}\ncannot read {path.name}: {en}"
    try:
        if path.suffix != ".json":
            refuse_alias_bomb(text, path.name)   # a "billion laughs" meta.yaml: refused before it is built
        doc = json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=_Loader)
    except AliasBomb:
        lim = current()
        return None, {}, (f"{path.name} 的 YAML 别名过多或展开过大（限制 yaml_aliases = {lim.yaml_aliases}、yaml_nodes = "
                          f"{lim.yaml_nodes}），疑似“别名炸弹”，未读取\n"
                          f"{path.name} has too many YAML aliases or expands too far (limits yaml_aliases = "
                          f"{lim.yaml_aliases}, yaml_nodes = {lim.yaml_nodes}): refused as an alias bomb")
    except (json.JSONDecodeError, yaml.YAMLError, RecursionError) as exc:
        zh, en = debug_text(exc)
        where = ""
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            where = f"（第 {mark.line + 1} 行）"
        elif isinstance(exc, json.JSONDecodeError):
            where = f"（第 {exc.lineno} 行）"
        return None, {}, f"{path.name} 无法解析{where}{zh}\n{path.name} cannot be parsed{where.replace('（第 ', ' (line ').replace(' 行）', ')')}{en}"
    if doc is None:
        return {}, {}, None
    if not isinstance(doc, dict):
        return None, {}, f"{path.name} 顶层必须是映射（键: 值）\n{path.name}: the top level must be a mapping"
    return doc, _line_map(text), None


def _read_meta(name: str, doc: dict[str, Any], lines: dict[str, int], b: Builder) -> None:
    """Fill `b` with meta.yaml / meta.json's unit, year, profile, budget, sections and groups."""

    def loc(p: str) -> dict[str, Any]:
        line = lines.get(p)
        return {"file": name, "line": line} if line else {"file": name, "path": p}

    for key in ("unit", "year", "profile", "project", "title"):
        if doc.get(key) is not None:
            b.set_top(key, doc[key], loc(key))
    budget = doc.get("budget")
    if isinstance(budget, dict):
        b.ensure_budget()
        for k, v in budget.items():
            b.set_budget(str(k), v, loc(f"budget.{k}"), f"{name} budget.{k}")
    for i, s in enumerate(doc.get("sections") or []):
        if isinstance(s, dict):
            p = f"sections[{i}]"
            b.section(_s(s.get("code")), _s(s.get("name")), s.get("points"), loc(f"{p}.name" if f"{p}.name" in lines else p),
                      loc(f"{p}.points") if s.get("points") is not None else None)
    for i, g in enumerate(doc.get("groups") or []):
        if isinstance(g, dict):
            p = f"groups[{i}]"
            b.group(_s(g.get("section")), _s(g.get("code")), _s(g.get("name")), g.get("points"),
                    loc(f"{p}.name" if f"{p}.name" in lines else p),
                    loc(f"{p}.points") if g.get("points") is not None else None)


def _s(x: Any) -> str | None:
    if x is None:
        return None
    t = str(x).strip()
    return t or None


def _meta_statements(name: str, doc: dict[str, Any], lines: dict[str, int], b: Builder) -> None:
    for i, st in enumerate(doc.get("statements") or []):
        if not isinstance(st, dict) or not st.get("quantity"):
            continue
        p = f"statements[{i}]"
        line = lines.get(f"{p}.value") or lines.get(p)
        b.add_statement(str(st["quantity"]), st.get("value"), _s(st.get("where")) or f"{name} {p}",
                        {"file": name, "line": line} if line else {"file": name, "path": p})


# --------------------------------------------------------------------------------------------
# readers
# --------------------------------------------------------------------------------------------


def read_csv_folder(path: Path, source: str) -> list[RawSubmission]:
    path = Path(path)
    sid = path.name
    ind_path = path / "indicators.csv"
    sha = file_sha256(ind_path)

    def fail(zh: str, en: str) -> list[RawSubmission]:
        return [unreadable(source, sid, zh, en, sha256=sha, reader="csv")]

    try:
        raw = _read_limited(ind_path)
    except OSError as exc:
        zh, en = os_reason(exc)
        return fail(f"无法读取 indicators.csv：{zh}", f"cannot read indicators.csv: {en}")
    if not raw.strip():
        return fail("indicators.csv 为空", "indicators.csv is empty")
    try:
        rows, lines = parse_csv_text(decode_bytes(raw))
    except UnicodeDecodeError:
        return fail(DECODE_MSG[0].format(name="indicators.csv"), DECODE_MSG[1].format(name="indicators.csv"))
    except csv.Error as exc:
        return fail(f"indicators.csv 不是有效的 CSV：{exc}", f"indicators.csv is not valid CSV: {exc}")

    b = Builder()
    meta = next((path / m for m in META_FILES if (path / m).is_file()), None)
    doc: dict[str, Any] | None = None
    mlines: dict[str, int] = {}
    if meta is not None:
        doc, mlines, err = _load_meta(meta)
        if err or doc is None:
            zh, _, en = (err or "").partition("\n")
            return fail(zh, en or zh)
        _read_meta(meta.name, doc, mlines, b)
    budget_csv = path / "budget.csv"
    if budget_csv.is_file():
        try:
            brows, blines = _load_csv(budget_csv)
        except (UnicodeDecodeError, csv.Error, OSError):
            return fail(DECODE_MSG[0].format(name="budget.csv"), DECODE_MSG[1].format(name="budget.csv"))
        parse_kv(brows, CsvRef("budget.csv", brows, blines), b, "budget")

    ref = CsvRef("indicators.csv", rows, lines)
    header = find_header(rows)
    if header is None:
        b.problem(*NO_SCORE_TABLE, {"file": "indicators.csv"})
    else:
        parse_preamble(rows, ref, b, header.first)
        parse_score_table(rows, ref, b, header)
        report_missing_columns(header, ref, b, "indicators.csv ", "indicators.csv")

    if meta is not None and doc:
        _meta_statements(meta.name, doc, mlines, b)
    st_csv = path / "statements.csv"
    if st_csv.is_file():
        try:
            srows, slines = _load_csv(st_csv)
        except (UnicodeDecodeError, csv.Error, OSError):
            return fail(DECODE_MSG[0].format(name="statements.csv"), DECODE_MSG[1].format(name="statements.csv"))
        parse_kv(srows, CsvRef("statements.csv", srows, slines), b, "statements")
    return [b.submission(source, sid, sha, "csv")]


def read_csv_file(path: Path, source: str, sha256: str | None) -> list[RawSubmission]:
    path = Path(path)
    sid = path.stem

    def fail(zh: str, en: str) -> list[RawSubmission]:
        return [unreadable(source, sid, zh, en, sha256=sha256, reader="csv")]

    try:
        raw = path.read_bytes()
    except OSError as exc:
        return fail(*os_failure(exc))
    if not raw.strip():
        return fail("文件为空", "the file is empty")
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return fail("文件是二进制文件（可能是改了扩展名的 Excel 工作簿），不是 CSV",
                    "the file is binary (perhaps a renamed Excel workbook), not CSV")
    try:
        rows, lines = parse_csv_text(decode_bytes(raw))
    except UnicodeDecodeError:
        return fail(DECODE_MSG[0].format(name=path.name), DECODE_MSG[1].format(name=path.name))
    except csv.Error as exc:
        return fail(f"不是有效的 CSV：{exc}", f"not valid CSV: {exc}")
    name = path.name
    header = find_header(rows)
    if header is not None and "submission_id" in header.batch:
        return read_long_form(rows, header, lambda: CsvRef(name, rows, lines), source, sha256, "csv")
    b = Builder()
    ref = CsvRef(name, rows, lines)
    if header is None:
        b.problem(*NO_SCORE_TABLE, {"file": name})
    else:
        parse_preamble(rows, ref, b, header.first)
        parse_score_table(rows, ref, b, header)
        report_missing_columns(header, ref, b, f"{name} ", name)
    return [b.submission(source, sid, sha256, "csv")]
