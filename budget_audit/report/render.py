"""Renderers of the report dict: console text, JSON, Excel findings list, JUnit XML."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from ..rules import SEVERITIES
from .outputs import FORMATS, cell_text, register, xml_text

SEV_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
STATUS_ZH = {"passed": "通过", "failed": "未通过", "unreadable": "无法读取", "skipped": "未检查"}
COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m", "passed": "\033[32m",
          "failed": "\033[31m", "unreadable": "\033[35m", "skipped": "\033[36m"}


def _where(loc: dict[str, Any] | None) -> str:
    if not loc:
        return ""
    if "sheet" in loc:
        return f"{loc['sheet']}!{loc.get('cell', '')}"
    name = Path(str(loc.get("file", ""))).name
    if "page" in loc:   # PDF: a line of a page, or a cell of a table on a page
        if "table" in loc:
            return f"{name} 第{loc['page']}页 表{loc['table']} 第{loc['row']}行第{loc['col']}列"
        return f"{name} 第{loc['page']}页" + (f" 第{loc['line']}行" if loc.get("line") else "")
    if "paragraph" in loc:
        return f"{name} 第{loc['paragraph']}段"
    if "table" in loc:  # Word table cell
        return f"{name} 表{loc['table']} 第{loc['row']}行第{loc['cell']}格"
    if "line" in loc:
        col = f" {loc['column']}" if loc.get("column") else ""
        return f"{name}:{loc['line']}{col}"
    if "path" in loc:
        return str(loc["path"])
    if "file" in loc:
        return Path(str(loc["file"])).name
    return ""


def console(report: dict[str, Any], lang: str = "zh", color: bool | None = None, max_per_submission: int = 200) -> str:
    if color is None:
        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")

    def c(key: str, text: str) -> str:
        return f"{COLORS[key]}{text}\033[0m" if color else text

    zh = lang == "zh"
    lines: list[str] = []
    for s in report["submissions"]:
        status = STATUS_ZH[s["status"]] if zh else s["status"]
        checked = s["checked"]
        share = (f"{checked['machine_checked']}/{checked['indicators']}" if checked["indicators"] else "0/0")
        head = (f"■ {s['source']}  [{c(s['status'], status)}]  模板 {s['profile']}（{s['profile_reason']}）"
                f"  指标 {checked['indicators']} 行，机器复核 {share}" if zh else
                f"■ {s['source']}  [{c(s['status'], status)}]  profile {s['profile']} ({s['profile_reason_en']})"
                f"  {checked['indicators']} indicator rows, machine-checked {share}")
        if s["status"] in ("skipped", "unreadable"):     # nothing was read: no template, no rows to speak of
            head = f"■ {s['source']}  [{c(s['status'], status)}]"
        lines.append(head)
        for f in s["findings"][:max_per_submission]:
            sev = SEV_ZH[f["severity"]] if zh else f["severity"]
            where = _where(f["location"])
            where = f"  @{where}" if where else ""
            lines.append(f"  {c(f['severity'], sev.ljust(4 if zh else 7))} {f['rule']} {f['message']['zh' if zh else 'en']}{where}")
        extra = len(s["findings"]) - max_per_submission
        if extra > 0:
            lines.append(f"  … 另有 {extra} 条（用 --format json 查看全部）" if zh else f"  … {extra} more (use --format json)")
        lines.append("")
    sm = report["summary"]
    n = sm["findings"]
    if sm["submissions"] > 1:   # the auditor's overview: which rules fail most, which files fail most
        rules: dict[str, int] = {}
        for s in report["submissions"]:
            for f in s["findings"]:
                if f["severity"] != "info":
                    rules[f["rule"]] = rules.get(f["rule"], 0) + 1
        top = sorted(rules.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
        worst = sorted((s for s in report["submissions"] if s["counts"]["error"]),
                       key=lambda s: -s["counts"]["error"])[:5]
        if top:
            lines.append(("最常见的问题：" if zh else "most frequent: ") + ("，" if zh else ", ").join(
                f"{r} ×{k}" for r, k in top))
        if worst:
            lines.append(("错误最多的文件：" if zh else "most errors: ") + ("，" if zh else ", ").join(
                f"{Path(s['source']).name} ({s['counts']['error']})" for s in worst))
    if zh:
        lines.append(f"共 {sm['submissions']} 份：通过 {sm['passed']}，未通过 {sm['failed']}，无法读取 {sm['unreadable']}"
                     + (f"，未检查 {sm['skipped']}" if sm.get("skipped") else "") + "；"
                     f"错误 {n['error']}，警告 {n['warning']}，提示 {n['info']}")
    else:
        lines.append(f"{sm['submissions']} submissions: {sm['passed']} passed, {sm['failed']} failed, "
                     f"{sm['unreadable']} unreadable" + (f", {sm['skipped']} skipped" if sm.get("skipped") else "")
                     + f"; {n['error']} errors, {n['warning']} warnings, {n['info']} info")
    return "\n".join(lines) + "\n"


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=1) + "\n"


@register("console")
def _console_bytes(report: dict[str, Any], lang: str) -> bytes:
    return console(report, lang).encode("utf-8")


@register("json", suffix=".json")
def _json_bytes(report: dict[str, Any], lang: str) -> bytes:
    return to_json(report).encode("utf-8")


@register("junit", suffix=".xml")
def _junit_bytes(report: dict[str, Any], lang: str) -> bytes:
    return to_junit(report, lang).encode("utf-8")


@register("xlsx", binary=True, suffix=".xlsx")
def _xlsx_bytes(report: dict[str, Any], lang: str) -> bytes:
    import io

    from .stable import stable_zip

    buf = io.BytesIO()
    to_xlsx(report, buf, lang)
    return stable_zip(buf.getvalue())        # fixed timestamps: reruns are byte-identical


def to_junit(report: dict[str, Any], lang: str = "zh") -> str:
    """One testsuite per submission, one testcase per rule that fired at error/warning level."""
    key = "zh" if lang == "zh" else "en"
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<testsuites>"]
    for s in report["submissions"]:
        bad = [f for f in s["findings"] if f["severity"] in ("error", "warning")]
        out.append(f"  <testsuite name={quoteattr(xml_text(s['source']))} tests=\"{max(1, len(bad))}\" "
                   f"failures=\"{sum(f['severity'] == 'error' for f in bad)}\">")
        if not bad:
            out.append(f"    <testcase classname={quoteattr(xml_text(s['id']))} name=\"all-rules\"/>")
        for f in bad:
            name = f"{f['rule']} {f['indicator'] or f['section'] or ''}".strip()
            out.append(f"    <testcase classname={quoteattr(xml_text(s['id']))} name={quoteattr(xml_text(name))}>")
            tag = "failure" if f["severity"] == "error" else "system-out"
            if tag == "failure":
                out.append(f"      <failure type={quoteattr(f['slug'])} message={quoteattr(xml_text(f['message'][key]))}/>")
            else:
                out.append(f"      <system-out>{escape(xml_text('warning: ' + f['message'][key]))}</system-out>")
            out.append("    </testcase>")
        out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


def _append(sheet, values) -> None:
    """Every value from a submission is neutralised: no formula injection, no XML-illegal characters."""
    sheet.append([cell_text(v) for v in values])


def to_xlsx(report: dict[str, Any], path, lang: str = "zh") -> None:
    """An auditor's workbook: 汇总 (per submission), 问题清单 (one row per finding, filterable), 规则统计."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    zh = lang == "zh"
    key = "zh" if zh else "en"
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总" if zh else "Summary"
    head = (["文件", "编号", "单位", "年度", "模板", "状态", "错误", "警告", "提示", "指标行", "机器复核"] if zh else
            ["file", "id", "unit", "year", "profile", "status", "errors", "warnings", "info", "indicators", "machine-checked"])
    _append(ws, head)
    for s in report["submissions"]:
        _append(ws, [s["source"], s["id"], s.get("unit"), s.get("year"), s["profile"],
                   STATUS_ZH[s["status"]] if zh else s["status"], s["counts"]["error"], s["counts"]["warning"],
                   s["counts"]["info"], s["checked"]["indicators"], s["checked"]["machine_checked"]])
    fl = wb.create_sheet("问题清单" if zh else "Findings")
    _append(fl, ["文件", "单位", "规则", "规则名", "级别", "一级指标", "指标", "位置", "应为", "实际", "容差", "说明"] if zh else
              ["file", "unit", "rule", "slug", "severity", "section", "indicator", "location", "expected", "actual",
               "tolerance", "message"])
    counts: dict[tuple[str, str], int] = {}
    for s in report["submissions"]:
        for f in s["findings"]:
            _append(fl, [s["source"], s.get("unit"), f["rule"], f["slug"], SEV_ZH[f["severity"]] if zh else f["severity"],
                       f["section"], f["indicator"], _where(f["location"]),
                       *(v if isinstance(v, (int, float, type(None))) else str(v)
                         for v in (f["expected"], f["actual"], f["tolerance"])),
                       f["message"][key]])
            counts[(f["rule"], f["severity"])] = counts.get((f["rule"], f["severity"]), 0) + 1
    st = wb.create_sheet("规则统计" if zh else "By rule")
    _append(st, ["规则", "级别", "次数"] if zh else ["rule", "severity", "count"])
    for (rule, sev), n in sorted(counts.items(), key=lambda kv: -kv[1]):
        _append(st, [rule, SEV_ZH[sev] if zh else sev, n])
    fill = PatternFill("solid", fgColor="DDEBF7")
    for sheet in (ws, fl, st):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = fill
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
        for i, width in enumerate([36, 16, 10, 22, 8, 10, 14, 16, 10, 10, 8, 80][: sheet.max_column], start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
    wb.save(path)


__all__ = ["console", "to_json", "to_junit", "to_xlsx", "FORMATS", "SEVERITIES"]
