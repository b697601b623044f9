"""Renderers of the report dict: console text, JSON, Excel findings list, JUnit XML."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from ..rules import SEVERITIES
from .outputs import FORMATS, register

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
        def line(f: dict[str, Any], indent: str = "  ") -> str:
            sev = SEV_ZH[f["severity"]] if zh else f["severity"]
            where = _where(f["location"])
            where = f"  @{where}" if where else ""
            mark = ("  [已豁免]" if zh else "  [waived]") if f.get("waived") else \
                ("  [新增]" if zh else "  [new]") if f.get("baseline") == "new" else ""   # report.review
            return f"{indent}{c(f['severity'], sev.ljust(4 if zh else 7))} {f['rule']} {f['message']['zh' if zh else 'en']}{where}{mark}"

        heads = [f for f in s["findings"] if "caused_by" not in f]   # a consequence is listed under its primary
        for f in heads[:max_per_submission]:
            lines.append(line(f))
            for q in f.get("consequences", ()):
                lines.append(line(s["findings"][q["index"]], "      ↳ ") + (f"（由 {f['rule']} 引起）" if zh else f" (follows from {f['rule']})"))
        extra = len(heads) - max_per_submission
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
    sel = (report.get("run") or {}).get("selection")
    if sel and not sel.get("all_rules"):   # a filtered report says so: it must not read as a full check
        ign = ", ".join(sel["ignore"])
        lines.append(f"仅报告所选规则（{len(sel['rules'])} 条）：选择 {', '.join(sel['select'])}" + (f"，忽略 {ign}" if ign else "")
                     if zh else f"only the selected rules are reported ({len(sel['rules'])}): select "
                     f"{', '.join(sel['select'])}" + (f", ignore {ign}" if ign else ""))
    follow = sum(n.values()) - sum((sm.get("headline_findings") or n).values())
    if zh:
        lines.append(f"共 {sm['submissions']} 份：通过 {sm['passed']}，未通过 {sm['failed']}，无法读取 {sm['unreadable']}"
                     + (f"，未检查 {sm['skipped']}" if sm.get("skipped") else "") + "；"
                     f"错误 {n['error']}，警告 {n['warning']}，提示 {n['info']}"
                     + (f"（其中 {follow} 条由另一问题引起）" if follow else "")
                     + (f"；已豁免 {sum(sm['waived'].values())}" if sum(sm.get("waived", {}).values()) else ""))
    else:
        lines.append(f"{sm['submissions']} submissions: {sm['passed']} passed, {sm['failed']} failed, "
                     f"{sm['unreadable']} unreadable" + (f", {sm['skipped']} skipped" if sm.get("skipped") else "")
                     + f"; {n['error']} errors, {n['warning']} warnings, {n['info']} info"
                     + (f" ({follow} of them follow from another finding)" if follow else "")
                     + (f"; {sum(sm['waived'].values())} waived" if sum(sm.get("waived", {}).values()) else ""))
    return "\n".join(lines) + "\n"


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=1) + "\n"


@register("console")
def _console_bytes(report: dict[str, Any], lang: str) -> bytes:
    return console(report, lang).encode("utf-8")


@register("json", suffix=".json")
def _json_bytes(report: dict[str, Any], lang: str) -> bytes:
    return to_json(report).encode("utf-8")


from . import github, sarif  # noqa: E402,F401  (register the CI formats: github, sarif, junit)
from .junit import to_junit  # noqa: E402

__all__ = ["console", "to_json", "to_junit", "FORMATS", "SEVERITIES"]   # the auditor workbook: report/xlsx.py
