"""The HTML report (`--format html -o report.html`): one self-contained file an auditor reads.

No CDN, no external file: the charts are inline SVG drawn here, the table's sorting and filtering is a
small inline script, the style is inline. Chinese first (English with `--lang en`). Built with Jinja2
(autoescape on) from `templates/report.html.j2`.

Size and speed: the submissions table and the findings are one JSON block (with a string table:
messages, rules and locations repeat across a batch), gzip-compressed and base64-encoded inside a
<script> element, decompressed by the browser's own DecompressionStream; the script renders the table
a page at a time (sorting and filtering work on the data, not on 10,000 DOM rows) and a submission's
findings when it is opened. 10,000 submissions stay well under 20 MB and open in a few seconds. The
script writes every value with textContent, never as HTML.
"""

from __future__ import annotations

import base64
import gzip
import json
import math
from typing import Any, Iterable

from markupsafe import Markup, escape

from ..rules import RULES, SEVERITIES
from .outputs import register
from .render import SEV_ZH, STATUS_ZH, _where

STATUSES = ("passed", "failed", "unreadable", "skipped")
SEV_COLOR = {"error": "#c0392b", "warning": "#d68910", "info": "#2e86c1"}
STATUS_COLOR = {"passed": "#1e8449", "failed": "#c0392b", "unreadable": "#7d3c98", "skipped": "#5d6d7e"}

TEXT = {
    "zh": {"title": "预算绩效自评价校验报告", "overview": "总览", "submissions": "份填报", "by_status": "按状态",
           "by_rule": "按规则统计", "charts": "分布", "table": "填报清单", "filter": "筛选（文件、单位、编号）…",
           "all": "全部状态", "rule": "规则", "rule_title": "规则名称", "severity": "级别", "count": "次数",
           "subs_hit": "涉及份数", "file": "文件", "unit": "单位", "year": "年度", "profile": "模板", "status": "状态",
           "total": "总分", "rate": "执行率", "errors": "错误", "warnings": "警告", "infos": "提示", "waived": "已豁免",
           "findings": "问题", "where": "位置", "indicator": "指标", "message": "说明", "expected": "应为",
           "actual": "实际", "none": "无问题", "h_total": "自评总分分布", "h_rate": "预算执行率分布",
           "h_findings": "每份填报的问题数（错误+警告）", "n": "份数", "shown": "显示", "of": "共", "new": "新增",
           "persisting": "既有", "resolved": "已解决", "tool": "工具版本", "rules_version": "规则版本",
           "no_data": "无数据", "close": "关闭", "click": "点击文件名查看问题及所在单元格",
           "expired": "豁免已过期", "more": "显示更多", "noscript": "填报清单需要启用 JavaScript 才能显示。"},
    "en": {"title": "Budget performance self-evaluation check report", "overview": "Overview",
           "submissions": "submissions", "by_status": "By status", "by_rule": "Findings by rule",
           "charts": "Distributions", "table": "Submissions", "filter": "Filter (file, unit, id)…",
           "all": "all statuses", "rule": "rule", "rule_title": "title", "severity": "severity", "count": "count",
           "subs_hit": "submissions", "file": "file", "unit": "unit", "year": "year", "profile": "profile",
           "status": "status", "total": "total", "rate": "execution", "errors": "errors", "warnings": "warnings",
           "infos": "info", "waived": "waived", "findings": "findings", "where": "location", "indicator": "indicator",
           "message": "message", "expected": "expected", "actual": "actual", "none": "no findings",
           "h_total": "Total score", "h_rate": "Budget execution rate",
           "h_findings": "Findings per submission (errors + warnings)", "n": "submissions", "shown": "showing",
           "of": "of", "new": "new", "persisting": "persisting", "resolved": "resolved", "tool": "tool",
           "rules_version": "rules", "no_data": "no data", "close": "close",
           "click": "click a file name for its findings and their cells", "expired": "waiver expired",
           "more": "show more", "noscript": "the submissions table needs JavaScript."},
}


# ---- charts: inline SVG ------------------------------------------------------------------------------
def _nums(values: Iterable[Any]) -> list[float]:
    return [float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)]


def histogram_svg(values: Iterable[Any], edges: list[float], labels: list[str], title: str, y_label: str,
                  no_data: str, color: str = "#2e86c1", width: int = 460, height: int = 210) -> Markup:
    """A histogram as inline SVG: bin i holds edges[i] <= v < edges[i+1] (the last bin is closed)."""
    vals = _nums(values)
    counts = [0] * (len(edges) - 1)
    for v in vals:
        i = next((k for k in range(len(counts)) if v < edges[k + 1]), len(counts) - 1)
        if v >= edges[0]:
            counts[i] += 1
        else:
            counts[0] += 1
    left, bottom, top = 36, 34, 24
    plot_w, plot_h = width - left - 8, height - bottom - top
    peak = max(counts) or 1
    bw = plot_w / len(counts)
    out = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
           f'<text x="{width / 2}" y="15" text-anchor="middle" class="ct">{escape(title)}</text>',
           f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 8}" y2="{top + plot_h}" class="ax"/>',
           f'<text x="4" y="{top + 8}" class="cl">{peak}</text><text x="4" y="{top + plot_h}" class="cl">0</text>']
    if not vals:
        out.append(f'<text x="{width / 2}" y="{top + plot_h / 2}" text-anchor="middle" class="cl">{escape(no_data)}</text>')
    for i, c in enumerate(counts):
        h = plot_h * c / peak
        x = left + i * bw
        out.append(f'<rect class="bar" x="{x + 1:.1f}" y="{top + plot_h - h:.1f}" width="{bw - 2:.1f}" height="{h:.1f}" '
                   f'fill="{color}"><title>{escape(labels[i])}: {c} {escape(y_label)}</title></rect>')
        if c:
            out.append(f'<text x="{x + bw / 2:.1f}" y="{top + plot_h - h - 3:.1f}" text-anchor="middle" class="cl">{c}</text>')
        if len(counts) <= 12 or i % 2 == 0:
            out.append(f'<text x="{x + bw / 2:.1f}" y="{top + plot_h + 14}" text-anchor="middle" class="cl">'
                       f'{escape(labels[i])}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def bars_svg(items: list[tuple[str, int, str]], title: str, width: int = 380) -> Markup:
    """Horizontal bars: (label, count, colour)."""
    row, left = 22, 110
    height = 28 + row * max(1, len(items))
    peak = max((n for _, n, _ in items), default=0) or 1
    out = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
           f'<text x="{width / 2}" y="15" text-anchor="middle" class="ct">{escape(title)}</text>']
    for i, (label, n, color) in enumerate(items):
        y = 24 + i * row
        w = (width - left - 50) * n / peak
        out.append(f'<text x="{left - 6}" y="{y + 14}" text-anchor="end" class="cl">{escape(label)}</text>'
                   f'<rect class="bar" x="{left}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" fill="{color}">'
                   f'<title>{escape(label)}: {n}</title></rect>'
                   f'<text x="{left + w + 4:.1f}" y="{y + 14}" class="cl">{n}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def _score_edges(scores: list[float]) -> tuple[list[float], list[str]]:
    hi = max([100.0, *scores]) if scores else 100.0
    top = 10 * math.ceil(hi / 10)
    edges = [0.0, 60.0, *[float(x) for x in range(70, int(top), 5)], float(top) + 1e-9]
    labels = ["<60"] + [f"{int(a)}–{int(b)}" if b < top else f"≥{int(a)}" for a, b in zip(edges[1:-1], edges[2:])]
    return edges, labels


# ---- the data the page's script reads ------------------------------------------------------------------
class _Strings:
    """A string table: each distinct string once, referred to by index."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.index: dict[str, int] = {}

    def __call__(self, s: Any) -> int:
        s = "" if s is None else str(s)
        i = self.index.get(s)
        if i is None:
            i = self.index[s] = len(self.items)
            self.items.append(s)
        return i


def _short(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v)


def _round(v: Any, digits: int) -> float | None:
    return round(float(v), digits) if _nums([v]) else None


def _cell(v: Any) -> str:
    """A table cell: '' for nothing (None, NaN), 2023 for 2023.0."""
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _findings_data(report: dict[str, Any], key: str, table: list[list[Any]]) -> str:
    """The data the page's script reads: the submissions table's rows, the findings, a string table."""
    st = _Strings()
    subs = []
    for s in report["submissions"]:
        found = []
        for f in s["findings"]:
            flags = ("w" if f.get("waived") else "") + ("x" if f.get("waiver_expired") else "") + \
                    {"new": "n", "persisting": "p"}.get(f.get("baseline") or "", "")
            found.append([SEVERITIES.index(f["severity"]), st(f["rule"]), st(f.get("indicator") or f.get("section")),
                         st(_where(f.get("location"))), st(f["message"][key]), st(_short(f.get("expected"))),
                         st(_short(f.get("actual"))), flags])
        resolved = [[SEVERITIES.index(f["severity"]) if f.get("severity") in SEVERITIES else 2, st(f.get("rule")),
                     st(f.get("indicator") or f.get("section")), st(_where(f.get("location"))),
                     st((f.get("message") or {}).get(key))] for f in s.get("resolved", [])]
        subs.append([found, resolved] if resolved else [found])
    data = {"strings": st.items, "subs": subs, "rows": table,
            "titles": {rid: (r.title_zh if key == "zh" else r.title_en) for rid, r in RULES.items()}}
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # gzip + base64: a block of [A-Za-z0-9+/=] only (nothing a <script> element could misread), a few MB at 10k
    return base64.b64encode(gzip.compress(raw, 6, mtime=0)).decode("ascii")


def to_html(report: dict[str, Any], lang: str = "zh") -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    key = "zh" if lang == "zh" else "en"
    t = TEXT[key]
    subs = report["submissions"]
    sm = report["summary"]
    by_rule: dict[str, dict[str, Any]] = {}
    for s in subs:
        for f in s["findings"]:
            if f.get("waived"):
                continue
            e = by_rule.setdefault(f["rule"], {"rule": f["rule"], "slug": f["slug"], "n": 0, "subs": set(),
                                               "sev": {x: 0 for x in SEVERITIES}})
            e["n"] += 1
            e["sev"][f["severity"]] += 1
            e["subs"].add(s["id"])
    rules = sorted(by_rule.values(), key=lambda e: (-e["sev"]["error"], -e["n"], e["rule"]))
    for e in rules:
        r = RULES.get(e["rule"])
        e["title"] = (r.title_zh if key == "zh" else r.title_en) if r else e["slug"]
        e["subs"] = len(e["subs"])
    scores = _nums(s.get("total_score") for s in subs if s["status"] not in ("unreadable", "skipped"))
    rates = _nums(s.get("execution_rate") for s in subs if s["status"] not in ("unreadable", "skipped"))
    score_edges, score_labels = _score_edges(scores)
    rate_edges = [0.0, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0, 1.0 + 1e-9, 10.0]
    rate_labels = ["<50%", "50–60%", "60–70%", "70–80%", "80–85%", "85–90%", "90–95%", "95–100%", "100%", ">100%"]
    per_sub = [s["counts"]["error"] + s["counts"]["warning"] for s in subs]
    top = max(per_sub, default=0)
    f_edges = [0, 1, 2, 3, 4, 6, 11, 21, max(top + 1, 22)]
    f_labels = ["0", "1", "2", "3", "4–5", "6–10", "11–20", ">20"]
    charts = [
        histogram_svg(scores, score_edges, score_labels, t["h_total"], t["n"], t["no_data"], "#2e86c1"),
        histogram_svg(rates, rate_edges, rate_labels, t["h_rate"], t["n"], t["no_data"], "#16a085"),
        histogram_svg(per_sub, [float(x) for x in f_edges], f_labels, t["h_findings"], t["n"], t["no_data"], "#c0392b"),
        bars_svg([((STATUS_ZH[x] if key == "zh" else x), sm.get(x, 0) or 0, STATUS_COLOR[x]) for x in STATUSES],
                 t["by_status"]),
    ]
    # the submissions table: rows the script renders (a page at a time; sorted and filtered over the data)
    rows = [[s["source"], _cell(s.get("unit")), _cell(s.get("year")), _cell(s.get("profile")),
             STATUSES.index(s["status"]) if s["status"] in STATUSES else 1,
             _round(s.get("total_score"), 2), _round(s.get("execution_rate"), 6), s["counts"]["error"],
             s["counts"]["warning"], s["counts"]["info"], sum((s.get("waived") or {}).values()), s["id"]]
            for s in subs]
    env = Environment(loader=PackageLoader("budget_audit.report", "templates"),
                      autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)
    return env.get_template("report.html.j2").render(
        lang=key, t=t, tool=report.get("tool", {}), summary=sm, statuses=STATUSES,
        status_label={x: (STATUS_ZH[x] if key == "zh" else x) for x in STATUSES}, status_color=STATUS_COLOR,
        sev_label={x: (SEV_ZH[x] if key == "zh" else x) for x in SEVERITIES}, sev_color=SEV_COLOR,
        severities=SEVERITIES, rules=rules, charts=charts, n_rows=len(rows),
        data=Markup(_findings_data(report, key, rows)))


@register("html", binary=True, suffix=".html")
def _html_bytes(report: dict[str, Any], lang: str) -> bytes:
    return to_html(report, lang).encode("utf-8")
