"""The annotated workbook: the unit's own workbook back, each finding on its cell.

`annotate_workbook(path, findings, lang)` loads the unit's workbook with openpyxl (formulas, merges,
data validations, conditional formats, styles and the unit's own comments kept; macros dropped:
the copy is always .xlsx), fills every cell a finding points at (error red, warning amber, info
blue; the worst severity of the findings on a cell wins), gives it a comment listing every finding
on it, and inserts a first sheet 校验结果 listing every finding with an internal hyperlink to its
cell. Findings without a cell (a JSON path, a missing sheet, the whole file) are listed on 校验结果
only. `.xls` / `.xlsb` / `.ods` workbooks (which openpyxl cannot open) become a plain `.xlsx` with the
same cell layout: values read with python-calamine, merges kept where calamine reports them.

Every text written here that comes from the input (messages quote cell text) goes through
`outputs.cell_text`: no formula injection, no XML-illegal characters. Values of an `.xls`/`.ods`
copy are written as typed string cells, so a unit's text "=HYPERLINK(…)" stays text.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..readers import EXCEL
from ..rules import CATALOGUE, SEVERITY_RANK
from .outputs import atomic_write, cell_text, xml_text
from .stable import stable_zip, workbook_created
from .render import _where

SHEET_TITLE = "校验结果"
OPENPYXL_SUFFIXES = {".xlsx", ".xlsm", ".xltx", ".xltm"}
FILLS = {"error": "FFB4B4", "warning": "FFD966", "info": "BDD7EE"}     # red, amber, blue
SEV_TEXT = {"zh": {"error": "错误", "warning": "警告", "info": "提示"},
            "en": {"error": "error", "warning": "warning", "info": "info"}}
TITLES = {r.id: (r.title_zh, r.title_en) for r in CATALOGUE}
_CELL_RX = re.compile(r"^\$?([A-Za-z]{1,3})\$?([1-9][0-9]{0,6})$")


class AnnotateError(Exception):
    """The workbook cannot be annotated (unreadable, not a workbook, output not writable)."""


@dataclass
class _Hit:
    severity: str
    lines: list[str] = field(default_factory=list)


def is_workbook(path: str | Path) -> bool:
    return Path(path).suffix.lower() in EXCEL


def source_file(source: str) -> Path:
    """The file a submission came from: a workbook holding several forms reports `file#k`."""
    p = Path(source)
    if p.is_file() or "#" not in source:
        return p
    return Path(source.rsplit("#", 1)[0])


def workbook_findings(report: dict[str, Any]) -> dict[Path, list[dict[str, Any]]]:
    """Workbook file → its findings (of every submission it holds), in report order."""
    out: dict[Path, list[dict[str, Any]]] = {}
    for sub in report["submissions"]:
        path = source_file(sub["source"])
        if not is_workbook(path):
            continue
        out.setdefault(path, []).extend(sub["findings"])
    return out


def _lang(finding: dict[str, Any], lang: str) -> str:
    msg = finding.get("message") or {}
    return str(msg.get(lang) or msg.get("zh") or "")


def _title(rule: str, lang: str) -> str:
    zh, en = TITLES.get(rule, ("", ""))
    return zh if lang == "zh" else en


def _load(path: Path):
    """The unit's workbook in openpyxl: itself (xlsx/xlsm), or a value copy (xls/xlsb/ods)."""
    import openpyxl

    if path.suffix.lower() in OPENPYXL_SUFFIXES:
        try:
            return openpyxl.load_workbook(path, keep_vba=False, rich_text=True), []
        except Exception as exc:            # openpyxl refuses what calamine read: keep the values at least
            wb = _value_copy(path)
            return wb, [(f"工作簿无法按原样打开（{type(exc).__name__}），此副本只保留单元格的值",
                         f"the workbook could not be opened as is ({type(exc).__name__}); this copy keeps the cell values only")]
    return _value_copy(path), [("原文件不是 .xlsx，此副本为同样单元格布局的 .xlsx（只保留值与合并单元格，不含格式与公式）",
                                "the original is not .xlsx: this is an .xlsx copy with the same cell layout "
                                "(values and merged cells; no formats or formulas)")]


def _value_copy(path: Path):
    """A plain xlsx with the calamine values of every sheet at the same cells, merges kept."""
    import datetime as dt

    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from python_calamine import CalamineWorkbook

    try:
        cal = CalamineWorkbook.from_path(str(path))
    except Exception:
        try:
            cal = CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
        except Exception as exc:
            raise AnnotateError(f"无法打开工作簿：{type(exc).__name__}: {exc} / "
                                f"cannot open the workbook: {type(exc).__name__}: {exc}") from exc
    wb = Workbook()
    wb.remove(wb.active)
    wb.budget_audit_titles = {}
    for name in cal.sheet_names:
        ws = wb.create_sheet(_safe_title(name, wb.sheetnames))
        wb.budget_audit_titles[name] = ws.title       # a name xlsx does not allow was changed: findings still land
        try:
            sheet = cal.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
            merges = sheet.merged_cell_ranges or []
        except Exception:
            continue
        widths: dict[int, int] = {}
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row, start=1):
                if v is None or v == "":
                    continue
                cell = ws.cell(row=r, column=c)
                if isinstance(v, str):
                    cell.value = xml_text(v)
                    cell.data_type = "s"        # the unit's text as typed, stored as text: never a formula
                elif isinstance(v, (dt.datetime, dt.date, dt.time, dt.timedelta, bool, int, float)):
                    cell.value = v
                else:
                    cell.value = str(v)
                    cell.data_type = "s"
                widths[c] = max(widths.get(c, 0), min(60, len(str(v)) * 2))
        for (r0, c0), (r1, c1) in merges:
            if (r0, c0) != (r1, c1):
                ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
        for c, w in widths.items():
            ws.column_dimensions[get_column_letter(c)].width = max(8, w)
    try:
        cal.close()
    except Exception:
        pass
    if not wb.sheetnames:
        wb.create_sheet("Sheet1")
    return wb


def _safe_title(name: str, taken: list[str]) -> str:
    title = re.sub(r"[\\/*?:\[\]]", "_", str(name))[:31] or "Sheet"
    base, k = title, 2
    while title in taken:
        title = f"{base[:27]}({k})"
        k += 1
    return title


def _anchor(ws, coord: str) -> str | None:
    """`coord` on `ws` as the cell that can hold a fill and a comment: the top-left of its merge."""
    m = _CELL_RX.match(coord or "")
    if not m:
        return None
    coord = f"{m.group(1).upper()}{m.group(2)}"
    for rng in ws.merged_cells.ranges:
        if coord in rng:
            return rng.start_cell.coordinate
    return coord


def _dropped_parts(path: Path) -> list[tuple[str, str]]:
    """What openpyxl does not carry over (pictures, charts): say so on 校验结果 rather than lose it silently."""
    if path.suffix.lower() not in OPENPYXL_SUFFIXES:
        return []
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
    except Exception:
        return []
    notes = []
    if any(n.startswith("xl/media/") or n.startswith("xl/charts/") for n in names):
        notes.append(("原工作簿中的图片或图表未复制到此副本（单元格、公式、合并与数据验证均保留）",
                      "pictures or charts of the original are not in this copy (cells, formulas, merges and "
                      "data validations are kept)"))
    if path.suffix.lower() in (".xlsm", ".xltm"):
        notes.append(("原工作簿中的宏未复制（副本为 .xlsx）", "macros of the original are not copied (the copy is .xlsx)"))
    return notes


def annotate_workbook(path: str | Path, findings: list[dict[str, Any]], lang: str = "zh",
                      *, unit: str | None = None) -> bytes:
    """The annotated copy of the workbook at `path` as .xlsx bytes (see the module docstring)."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    path = Path(path)
    lang = "en" if lang == "en" else "zh"
    li = 0 if lang == "zh" else 1
    sev_text = SEV_TEXT[lang]
    wb, notes = _load(path)
    notes += _dropped_parts(path)
    original = list(wb.worksheets)
    by_title = {ws.title: ws for ws in original}
    for name, title in getattr(wb, "budget_audit_titles", {}).items():
        by_title.setdefault(name, by_title[title])

    # 1. the cells: worst severity fills, the comment lists every finding on the cell
    hits: dict[tuple[str, str], _Hit] = {}
    links: list[tuple[str, str] | None] = []
    for f in findings:
        loc = f.get("location") or {}
        ws = by_title.get(str(loc.get("sheet"))) if isinstance(loc, dict) and "sheet" in loc else None
        coord = _anchor(ws, str(loc.get("cell", ""))) if ws is not None else None
        if ws is None or coord is None:
            links.append(None)
            continue
        links.append((ws.title, coord))
        hit = hits.setdefault((ws.title, coord), _Hit(f["severity"]))
        if SEVERITY_RANK[f["severity"]] < SEVERITY_RANK[hit.severity]:
            hit.severity = f["severity"]
        hit.lines.append(f"[{sev_text[f['severity']]}] {f['rule']} {_title(f['rule'], lang)}：{_lang(f, lang)}"
                         if lang == "zh" else
                         f"[{sev_text[f['severity']]}] {f['rule']} {_title(f['rule'], lang)}: {_lang(f, lang)}")
    for (title, coord), hit in hits.items():
        cell = by_title[title][coord]
        cell.fill = PatternFill(fill_type="solid", start_color=FILLS[hit.severity], end_color=FILLS[hit.severity])
        head = "budget-audit 校验：" if lang == "zh" else "budget-audit check:"
        text = "\n".join([head] + hit.lines)
        if cell.comment is not None and cell.comment.text:      # the unit's own note stays, ours follows it
            text = f"{cell.comment.text}\n——\n{text}"
        text = cell_text(text)
        cell.comment = Comment(text, "budget-audit", width=360, height=min(400, 40 + 18 * len(text) // 22 + 18 * text.count("\n")))

    # 2. the 校验结果 sheet, first
    ws = wb.create_sheet(_safe_title(SHEET_TITLE, wb.sheetnames), 0)
    for other in original:
        other.sheet_view.tabSelected = False
    ws.sheet_view.tabSelected = True
    wb.active = 0
    bold = Font(bold=True)
    counts = {s: sum(1 for f in findings if f["severity"] == s) for s in SEV_TEXT["zh"]}
    ws.append([cell_text(f"校验结果：{path.name}" if lang == "zh" else f"Check results: {path.name}")])
    ws["A1"].font = Font(bold=True, size=14)
    if unit:
        ws.append(["单位" if lang == "zh" else "Unit", cell_text(unit)])
    ws.append(["合计" if lang == "zh" else "Totals",
               "，".join(f"{sev_text[s]} {n}" for s, n in counts.items()) if lang == "zh" else
               ", ".join(f"{n} {sev_text[s]}" for s, n in counts.items())])
    for zh, en in notes:
        ws.append(["说明" if lang == "zh" else "Note", cell_text(zh if lang == "zh" else en)])
    ws.append([])
    header = (["序号", "严重程度", "规则", "规则名称", "说明", "位置"] if lang == "zh" else
              ["#", "Severity", "Rule", "Rule title", "Message", "Location"])
    ws.append(header)
    head_row = ws.max_row
    for c in ws[head_row]:
        c.font = bold
    for n, (f, link) in enumerate(zip(findings, links), start=1):
        where = f"{link[0]}!{link[1]}" if link else (_where(f.get("location")) or "—")
        ws.append([n, sev_text[f["severity"]], cell_text(f["rule"]), cell_text(_title(f["rule"], lang)),
                   cell_text(_lang(f, lang)), cell_text(where)])
        row = ws.max_row
        ws.cell(row=row, column=2).fill = PatternFill(fill_type="solid", start_color=FILLS[f["severity"]],
                                                      end_color=FILLS[f["severity"]])
        ws.cell(row=row, column=5).alignment = Alignment(wrap_text=True, vertical="top")
        if link:
            target = ws.cell(row=row, column=6)
            sheet = link[0].replace("'", "''")
            target.hyperlink = Hyperlink(ref=target.coordinate, location=f"'{sheet}'!{link[1]}",
                                         display=where)
            target.font = Font(color="0563C1", underline="single")
    if not findings:
        ws.append(["", "", "", "", "未发现问题" if lang == "zh" else "no findings", ""])
    ws.freeze_panes = ws.cell(row=head_row + 1, column=1)
    if findings:
        ws.auto_filter.ref = f"A{head_row}:F{ws.max_row}"
    for col, width in zip("ABCDEF", (6, 10, 9, 24, 80, 18)):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return stable_zip(buf.getvalue(), created=workbook_created(path))     # a rerun hands back the same bytes


def annotated_name(path: Path) -> str:
    """`单位.xlsx` → `单位-标注.xlsx` (`.xls` / `.ods` too: the copy is always .xlsx)."""
    return f"{path.stem}-标注.xlsx"


def annotate_report(report: dict[str, Any], lang: str = "zh") -> tuple[dict[Path, bytes], dict[Path, str]]:
    """Every workbook of the report → its annotated copy (bytes), and the workbooks that could not
    be annotated → why (an unreadable workbook has no cells to put the findings on)."""
    units: dict[Path, str | None] = {}
    unreadable: set[Path] = set()
    for sub in report["submissions"]:
        p = source_file(sub["source"])
        units.setdefault(p, sub.get("unit"))
        if sub["status"] == "unreadable":
            unreadable.add(p)
    out: dict[Path, bytes] = {}
    problems: dict[Path, str] = {}
    for path, findings in workbook_findings(report).items():
        if path in unreadable:
            problems[path] = "工作簿无法读取，未生成标注副本 / the workbook could not be read: no annotated copy"
            continue
        try:
            out[path] = annotate_workbook(path, findings, lang, unit=units.get(path))
        except AnnotateError as exc:
            problems[path] = str(exc)
    return out, problems


def write_annotations(report: dict[str, Any], target: str | Path,
                      lang: str = "zh") -> tuple[list[tuple[Path, Path]], dict[Path, str]]:
    """`check --annotate TARGET`: one workbook → TARGET is the file to write (or an existing
    directory to write `<name>-标注.xlsx` into); several workbooks → TARGET must be a directory
    (created when missing). Returns ([(workbook, written file)], {workbook: why not annotated});
    AnnotateError when nothing can be annotated or TARGET does not fit."""
    books = [p for p in workbook_findings(report)]
    if not books:
        raise AnnotateError("--annotate 只适用于工作簿（.xlsx .xlsm .xls .xlsb .ods）；输入中没有工作簿 / "
                            "--annotate needs a workbook input (.xlsx .xlsm .xls .xlsb .ods); none was given")
    target = Path(target)
    if any(target.resolve() == b.resolve() for b in books):
        raise AnnotateError(f"--annotate 不能覆盖原文件：{target} / --annotate must not overwrite the input {target}")
    if len(books) > 1:
        if target.exists() and not target.is_dir():
            raise AnnotateError(f"输入有 {len(books)} 个工作簿，--annotate 需要一个目录：{target} 是文件 / "
                                f"{len(books)} workbooks in the input: --annotate needs a directory, {target} is a file")
        if not target.exists() and target.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
            raise AnnotateError(f"输入有 {len(books)} 个工作簿，--annotate 需要一个目录而不是 {target.name} / "
                                f"{len(books)} workbooks in the input: --annotate needs a directory, not {target.name}")
    elif target.suffix.lower() != ".xlsx" and not target.is_dir():
        raise AnnotateError(f"标注副本是 .xlsx 文件：{target.name} / the annotated copy is an .xlsx file: {target.name}")
    copies, problems = annotate_report(report, lang)
    if not copies:
        raise AnnotateError("；".join(f"{p.name}: {why}" for p, why in problems.items()))
    written: list[tuple[Path, Path]] = []
    try:
        if len(books) > 1 or target.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            used: set[str] = set()
            for path, data in copies.items():
                name, k = annotated_name(path), 2
                while name in used:
                    name = f"{path.stem}-标注-{k}.xlsx"
                    k += 1
                used.add(name)
                atomic_write(target / name, data)
                written.append((path, target / name))
        else:
            for path, data in copies.items():
                atomic_write(target, data)
                written.append((path, target))
    except OSError as exc:
        raise AnnotateError(f"无法写入标注副本：{exc} / cannot write the annotated copy: {exc}") from exc
    return written, problems
