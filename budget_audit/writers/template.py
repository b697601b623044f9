"""The workbook a unit fills in (填报模板), and writers that turn a submission dict into files.

`write_workbook(path, profile, data=None)` writes an .xlsx with openpyxl:

- ``基本信息``   项目 | 内容: 单位名称, 评价年度, 评价模板, 金额单位 (+ 项目名称 for project forms)
- ``预算执行``   项目 | 数值 | 说明: one row per budget figure (年初预算数, 其中：基本支出 … 执行率偏低原因)
- ``指标得分表`` title row, then 一级指标 | 二级指标 | 三级指标 | 指标说明 | 指标性质 | 标准值 | 度量单位 |
  完成值 | 权值 | 得分 | 评分办法 | 评价要点 | 偏差原因分析及改进措施; section labels carry their
  points ("A部门决策（15分）"), codes are glued to names ("A11决策制度的规范性"), level-1/level-2
  cells are merged over their block (the value stands on the first row only, like real files),
  and a final 合计 row sums 权值 and 得分 with formulas.
- ``自评结论``   项目 | 数值 | 出处: 自评总分, 评价等级, section subtotals ("B部门管理得分"), rates …

Blank (``data=None``): the profile's sections/groups pre-filled with empty indicator rows, input
hints as cell comments, data validation (评价等级 优/良/中/差, 指标性质 =/≥/≤, 权值/得分 decimals
≥ 0 except deduction rows), frozen headers, column widths, bold headers. Filled: every value of a
submission dict (used to build datasets); `readers.xlsx_reader` reads it back to the same data.

Long because it lays out four sheets cell by cell (labels, merges, styles, hints, data validation), each
in its own function; the CSV-folder writer is `writers/csv_folder.py`.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


from ..profiles import Profile, load_declared, load_profile
from ..readers import headers as H

COMMENT_AUTHOR = "budget-audit"
FIRST_DATA_ROW = 3          # row 1: title, row 2: header
BLANK_ROWS_PER_GROUP = 3
BLANK_ROWS_PER_SECTION = 4
BLANK_ROWS_GENERIC = 15
FIXED_TIME = "2024-01-01T00:00:00Z"

#: standard level-2 groups of the MOF project form (财预〔2020〕10号 附件 1), by section name
TEMPLATE_GROUPS: dict[str, tuple[str, ...]] = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}

COLUMN_WIDTHS = {"section": 18, "group": 20, "name": 30, "description": 28, "operator": 9, "target": 12,
                 "unit": 9, "actual": 12, "weight": 8, "score": 8, "method": 40, "note": 22,
                 "deviation_reason": 30}
WRAP_FIELDS = {"section", "group", "name", "description", "method", "note", "deviation_reason"}

HEADER_HINTS = {
    "section": "一级指标及其分值，如“A部门决策（15分）”“产出指标（50分）”。合并单元格：只在本块第一行填写。",
    "group": "二级指标，如“A1决策机制”“数量指标”；可带分值“（5分）”。合并单元格：只在本块第一行填写。",
    "name": "三级指标名称，编码可与名称连写，如“A11决策制度的规范性”；核心指标可加★。",
    "description": "指标说明：考核什么。",
    "operator": "指标性质：=、≥、≤（也可直接写在标准值里，如“≥3000人”）。",
    "target": "标准值 / 年度指标值，如 ≥3000人、90%、规范、=1份。",
    "unit": "度量单位，如 人、人次、%、份、万元。",
    "actual": "实际完成值；与标准值使用相同单位。",
    "weight": "权值（该指标满分）。加分项填上限；减分项填 0。",
    "score": "自评得分：不得超过权值；减分项填负数（如 -1）。",
    "method": "评分办法，如“达到90%得2分，未达到根据完成度得分”。",
    "note": "评价要点 / 佐证材料。",
    "deviation_reason": "未达到目标或未得满分时必须填写偏差原因及改进措施。",
}

DEVIATION_OPTIONAL = ("选填：本评价模板不要求填写偏差原因分析及改进措施（不检查 MTH006）；"
                      "如得分低于分值而目标已达成，可在此说明扣分原因。")


def header_hint(field: str, prof: Profile) -> str:
    """The hint on a score-table header: what the profile requires (the 偏差原因 column is required only
    where the profile has `deviation_reason_field`)."""
    if field == "deviation_reason" and not prof.deviation_reason_field:
        return DEVIATION_OPTIONAL
    return HEADER_HINTS[field]


INFO_ROWS: tuple[tuple[str, str, str], ...] = (
    ("unit", "单位名称", "预算单位全称，与公章一致。"),
    ("year", "评价年度", "四位年份，如 2023。"),
    ("profile", "评价模板", "dept-overall-105（部门整体 105 分）、project-mof-100（财政部项目支出 100 分）、"
                        "generic（通用），或自定义模板文件路径。"),
    ("currency_unit", "金额单位", "预算执行表中金额的单位：万元 或 元。"),
)

BUDGET_HINTS = {
    "initial_budget": "年初批复的预算数 = 基本支出 + 项目支出",
    "adjusted_budget": "= 年初预算数 + 调增 − 调减",
    "expenditure": "= 基本支出决算 + 项目支出决算",
    "execution_rate": "= 支出决算数 ÷ 调整预算数，如 95.68%",
    "project_execution_rate": "= 项目支出决算 ÷ 项目调整预算数",
    "year_end_carryover": "= 调整预算数 + 上年结转 − 支出决算数",
    "weight": "预算执行率指标的分值（项目支出表为 10 分）",
    "score": "= 分值 × min(执行率, 100%)",
    "reason": "执行率低于 90% 时必须说明原因",
}
DEPT_BUDGET_ROWS = ("initial_budget", "initial_basic", "initial_project", "increase", "decrease", "adjusted_budget",
                    "adjusted_project", "expenditure", "expenditure_basic", "expenditure_project", "prior_carryover",
                    "prior_carryover_spent", "year_end_carryover", "execution_rate", "project_execution_rate",
                    "reason")
PROJECT_BUDGET_ROWS = ("initial_budget", "adjusted_budget", "expenditure", "prior_carryover", "execution_rate",
                       "weight", "score", "reason")
GENERIC_BUDGET_ROWS = DEPT_BUDGET_ROWS[:-1] + ("weight", "score", "reason")
PROJECT_BUDGET_LABELS = {"adjusted_budget": "全年预算数", "expenditure": "全年执行数"}
AMOUNT_KEYS = {"initial_budget", "initial_basic", "initial_project", "increase", "decrease", "adjusted_budget",
               "adjusted_project", "expenditure", "expenditure_basic", "expenditure_project", "prior_carryover",
               "prior_carryover_spent", "year_end_carryover"}

STATEMENT_WORDS = {"total": "自评总分", "grade": "评价等级", "execution_rate": "预算执行率",
                   "project_execution_rate": "项目资金执行率"}
GRADES = ("优", "良", "中", "差")

_NUMBER_RX = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]*[1-9])?")


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def _resolve_profile(profile: Profile | str | Path | None, data: dict | None) -> Profile:
    if isinstance(profile, Profile):
        return profile
    if profile is not None:
        return load_profile(str(profile))
    declared = (data or {}).get("profile")
    if isinstance(declared, str) and declared.strip():
        try:
            return load_declared(declared.strip())
        except Exception:
            pass
    return load_profile("generic")


def cell_value(v: Any) -> Any:
    """A printed value → what a unit would type: plain decimals become numbers, the rest text."""
    if v is None:
        return None
    if isinstance(v, (bool, int, float)):
        return v
    s = str(v)
    if _NUMBER_RX.fullmatch(s):
        return int(s) if "." not in s else float(s)
    return s


def text_value(v: Any) -> str:
    """A value for CSV: numbers as printed (2.0 → "2"), None → ""."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _points_suffix(points: Any) -> str:
    if points is None or points == "":
        return ""
    p = text_value(points).strip()
    if not p:
        return ""
    return f"（{p}）" if p.endswith("分") else f"（{p}分）"


def _put(cell, v: Any):
    """Set a cell's value; text starting with "=" ("=1份", "=") stays text, never a formula."""
    cell.value = v
    if isinstance(v, str) and v.startswith("="):
        cell.data_type = "s"
    return cell


def _fmt_num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


@dataclass
class _Group:
    key: str | None
    label: str | None
    kind: str = "normal"
    indicators: list[dict[str, Any]] = field(default_factory=list)
    blank_rows: int = 0


@dataclass
class _Section:
    key: str | None
    label: str | None
    kind: str = "normal"
    groups: list[_Group] = field(default_factory=list)
    blank_rows: int = 0


def _blank_blocks(profile: Profile) -> list[_Section]:
    out: list[_Section] = []
    for s in profile.sections:
        label = f"{s.code or ''}{s.names[0]}{_points_suffix(_fmt_num(s.weight))}"
        sec = _Section(s.code or s.names[0], label, s.kind)
        if s.groups:
            for g in s.groups:
                pts = _points_suffix(_fmt_num(g.weight)) if g.weight else ""
                sec.groups.append(_Group(g.code or g.names[0], f"{g.code or ''}{g.names[0]}{pts}", g.kind,
                                         blank_rows=BLANK_ROWS_PER_GROUP))
        elif s.names[0] in TEMPLATE_GROUPS:
            for gname in TEMPLATE_GROUPS[s.names[0]]:
                sec.groups.append(_Group(gname, gname, blank_rows=BLANK_ROWS_PER_GROUP))
        else:
            sec.groups.append(_Group(None, None, blank_rows=BLANK_ROWS_PER_SECTION))
        out.append(sec)
    if not out:
        out.append(_Section(None, None, groups=[_Group(None, None, blank_rows=BLANK_ROWS_GENERIC)]))
    return out


def _data_blocks(data: dict[str, Any], profile: Profile) -> list[_Section]:
    """Sections → groups → indicators of a submission dict, in the order they first appear."""
    sec_kinds = {k: kind for k, (_, kind) in profile.section_keys().items()}
    grp_kinds = profile.group_kinds()
    sections: list[_Section] = []
    by_key: dict[str, _Section] = {}
    alias: dict[str, str] = {}

    def add_section(code: Any, name: Any, points: Any) -> _Section:
        key = text_value(code or name) or None
        if key in by_key:
            return by_key[key]
        label = f"{text_value(code) if code else ''}{text_value(name) if name else ''}{_points_suffix(points)}" or None
        sec = _Section(key, label, sec_kinds.get(text_value(code)) or sec_kinds.get(text_value(name)) or "normal")
        sections.append(sec)
        if key is not None:
            by_key[key] = sec
        for a in (code, name):
            if a:
                alias.setdefault(text_value(a), key or "")
        return sec

    for s in data.get("sections") or []:
        if isinstance(s, dict):
            add_section(s.get("code"), s.get("name"), s.get("points"))

    def section_of(x: Any) -> _Section:
        k = text_value(x) or None
        if k is None:
            if None not in by_key:
                sec = _Section(None, None)
                sections.insert(0, sec)   # unlabelled rows first, or they would inherit a label above
                by_key[None] = sec  # type: ignore[index]
            return by_key[None]  # type: ignore[index]
        k = alias.get(k, k)
        if k in by_key:
            return by_key[k]
        code = k if re.fullmatch(r"[A-Z]", k) else None
        return add_section(code, None if code else k, None)

    galias: dict[tuple[int, str], _Group] = {}

    def add_group(sec: _Section, code: Any, name: Any, points: Any) -> _Group:
        key = text_value(code or name) or None
        for a in (key, text_value(code) if code else None, text_value(name) if name else None):
            if a and (id(sec), a) in galias:
                return galias[(id(sec), a)]
        if key is None:
            for g in sec.groups:
                if g.key is None:
                    return g
        label = f"{text_value(code) if code else ''}{text_value(name) if name else ''}{_points_suffix(points)}" or None
        kind = "normal"
        for k in (text_value(code) if code else None, text_value(name) if name else None,
                  f"{text_value(code) if code else ''}{text_value(name) if name else ''}"):
            if k and grp_kinds.get(k, "normal") != "normal":
                kind = grp_kinds[k]
        g = _Group(key, label, kind if sec.kind == "normal" else sec.kind)
        if key is None:
            sec.groups.insert(0, g)
        else:
            sec.groups.append(g)
        for a in (key, text_value(code) if code else None, text_value(name) if name else None):
            if a:
                galias[(id(sec), a)] = g
        return g

    for g in data.get("groups") or []:
        if isinstance(g, dict):
            add_group(section_of(g.get("section")), g.get("code"), g.get("name"), g.get("points"))
    for ind in data.get("indicators") or []:
        if not isinstance(ind, dict):
            continue
        sec = section_of(ind.get("section"))
        gk = ind.get("group")
        grp = add_group(sec, gk if gk and re.fullmatch(r"[A-Z][0-9]+", text_value(gk)) else None,
                        None if gk and re.fullmatch(r"[A-Z][0-9]+", text_value(gk)) else gk, None)
        grp.indicators.append(ind)
    for sec in sections:
        if not sec.groups:
            sec.groups.append(_Group(None, None, blank_rows=1))
        for g in sec.groups:
            if not g.indicators and not g.blank_rows:
                g.blank_rows = 1
    return sections


def _statement_label(q: str, data: dict[str, Any]) -> str:
    if q in STATEMENT_WORDS:
        return STATEMENT_WORDS[q]
    if q.startswith("section:"):
        key = q[len("section:"):]
        for s in data.get("sections") or []:
            if isinstance(s, dict) and key in (text_value(s.get("code")), text_value(s.get("name"))):
                return f"{text_value(s.get('code')) if s.get('code') else ''}{text_value(s.get('name')) if s.get('name') else ''}得分"
        return f"{key}得分"
    if q.startswith("budget:"):
        key = q[len("budget:"):]
        return H.BUDGET_LABELS.get(key, (q,))[0]
    if q.startswith("indicator:"):
        return f"{q[len('indicator:'):]}完成值"
    return q


def _indicator_label(ind: dict[str, Any]) -> str | None:
    code, name = ind.get("code"), ind.get("name")
    code_t = text_value(code) if code else ""
    name_t = text_value(name) if name is not None else ""
    if code_t and not name_t.startswith(code_t):
        return f"{code_t}{name_t}"
    return name_t or None


# --------------------------------------------------------------------------------------------
# the workbook
# --------------------------------------------------------------------------------------------


def write_template(profile: Profile | str, path: str | Path, *, reproducible: bool = False) -> Path:
    """A blank workbook for `profile` (the CLI's `template` command)."""
    return write_workbook(path, profile, None, reproducible=reproducible)


def write_workbook(path: str | Path, profile: Profile | str | Path | None = None,
                   data: dict[str, Any] | None = None, *, reproducible: bool = False) -> Path:
    """Blank template (data None) or a filled workbook from a submission dict.

    `reproducible=True` pins timestamps so the same input gives byte-identical files (datasets).
    """
    from openpyxl import Workbook

    path = Path(path)
    prof = _resolve_profile(profile, data)
    wb = Workbook()
    ws_info = wb.active
    ws_info.title = H.SHEET_INFO
    _info_sheet(ws_info, prof, data)
    _budget_sheet(wb.create_sheet(H.SHEET_BUDGET), prof, data)
    _score_sheet(wb.create_sheet(H.SHEET_SCORES), prof, data)
    _statement_sheet(wb.create_sheet(H.SHEET_STATEMENTS), prof, data)
    wb.active = 2
    path.parent.mkdir(parents=True, exist_ok=True)
    if reproducible:
        import datetime as _dt
        fixed = _dt.datetime(2024, 1, 1)
        wb.properties.creator = COMMENT_AUTHOR
        wb.properties.created = fixed
    wb.save(path)
    if reproducible:
        _pin_zip(path)
    return path


def _styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="999999")
    return {
        "bold": Font(bold=True),
        "title": Font(bold=True, size=14),
        "fill": PatternFill("solid", fgColor="DDEBF7"),
        "section_fill": PatternFill("solid", fgColor="F2F2F2"),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "wrap": Alignment(wrap_text=True, vertical="center"),
        "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
    }


def _comment(text: str):
    from openpyxl.comments import Comment

    c = Comment(text, COMMENT_AUTHOR)
    c.width, c.height = 260, 110
    return c


def _kv_header(ws, titles: tuple[str, ...], widths: tuple[int, ...]) -> None:
    from openpyxl.utils import get_column_letter

    st = _styles()
    for j, (t, w) in enumerate(zip(titles, widths), start=1):
        c = ws.cell(row=1, column=j, value=t)
        c.font, c.fill, c.border, c.alignment = st["bold"], st["fill"], st["border"], st["center"]
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.freeze_panes = "A2"


def _dv(kind: str, **kw):
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(type=kind, allow_blank=True, **kw)
    dv.showErrorMessage = kw.get("showErrorMessage", True)
    return dv


def _info_sheet(ws, prof: Profile, data: dict | None) -> None:
    st = _styles()
    _kv_header(ws, ("项目", "内容"), (14, 48))
    rows = list(INFO_ROWS)
    if (data or {}).get("project") is not None or (data is None and prof.budget_block is not None):
        rows.append(("project", "项目名称", "被评价的项目名称。"))
    budget = (data or {}).get("budget") or {}
    for i, (key, label, hint) in enumerate(rows, start=2):
        a = ws.cell(row=i, column=1, value=label)
        a.font, a.border = st["bold"], st["border"]
        a.comment = _comment(hint)
        if data is None:
            v = {"profile": prof.name, "currency_unit": "万元"}.get(key)
        elif key == "currency_unit":
            v = budget.get("currency_unit") if isinstance(budget, dict) else None
        else:
            v = data.get(key)
        b = _put(ws.cell(row=i, column=2), cell_value(v) if key == "year" else v)
        b.border = st["border"]
        if key == "year":
            dv = _dv("whole", operator="between", formula1="1990", formula2="2100")
            dv.error, dv.errorTitle = "评价年度应为四位年份，如 2023", "评价年度"
            ws.add_data_validation(dv)
            dv.add(b.coordinate)
        elif key == "currency_unit":
            dv = _dv("list", formula1='"万元,元"')
            dv.error, dv.errorTitle = "请选择 万元 或 元", "金额单位"
            ws.add_data_validation(dv)
            dv.add(b.coordinate)
        elif key == "profile":
            dv = _dv("list", formula1='"dept-overall-105,project-mof-100,generic"', showErrorMessage=False)
            dv.prompt, dv.promptTitle = "内置模板可下拉选择；自定义模板请填写文件路径", "评价模板"
            dv.showInputMessage = True
            ws.add_data_validation(dv)
            dv.add(b.coordinate)


def _budget_sheet(ws, prof: Profile, data: dict | None) -> None:
    st = _styles()
    _kv_header(ws, ("项目", "数值", "说明"), (26, 18, 44))
    if prof.budget_block is not None:
        keys = list(PROJECT_BUDGET_ROWS)
    elif prof.sections:
        keys = list(DEPT_BUDGET_ROWS)
    else:
        keys = list(GENERIC_BUDGET_ROWS)
    budget = (data or {}).get("budget") if data is not None else None
    budget = budget if isinstance(budget, dict) else {}
    for k, v in budget.items():
        if k not in keys and k != "currency_unit" and v is not None:
            keys.append(k)
    amount_dv = _dv("decimal", operator="greaterThanOrEqual", formula1="0")
    amount_dv.error, amount_dv.errorTitle = "金额应为不小于 0 的数字", "预算金额"
    amount_dv.errorStyle = "warning"
    ws.add_data_validation(amount_dv)
    for i, key in enumerate(keys, start=2):
        label = PROJECT_BUDGET_LABELS.get(key) if prof.budget_block is not None else None
        label = label or H.BUDGET_LABELS.get(key, (key,))[0]
        a = ws.cell(row=i, column=1, value=label)
        a.border = st["border"]
        if not label.startswith("其中"):
            a.font = st["bold"]
        if data is None:
            v = prof.budget_block.weight if (key == "weight" and prof.budget_block is not None) else None
            v = int(v) if isinstance(v, float) and v.is_integer() else v
        else:
            v = cell_value(budget.get(key))
        b = _put(ws.cell(row=i, column=2), v)
        b.border = st["border"]
        c = ws.cell(row=i, column=3, value=BUDGET_HINTS.get(key))
        c.border, c.alignment = st["border"], st["wrap"]
        if key in AMOUNT_KEYS:
            amount_dv.add(b.coordinate)
        if key in BUDGET_HINTS:
            a.comment = _comment(BUDGET_HINTS[key])


def _score_sheet(ws, prof: Profile, data: dict | None) -> None:
    from openpyxl.utils import get_column_letter

    st = _styles()
    fields = [f for f, _ in H.TEMPLATE_COLUMNS]
    col = {f: j for j, f in enumerate(fields, start=1)}
    ncol = len(fields)
    # title row
    if data is not None and data.get("title"):
        title = str(data["title"])
    elif data is not None and data.get("unit") and data.get("year"):
        title = f"{text_value(data['year'])}年{data['unit']}绩效评价指标得分表"
    else:
        title = "绩效评价指标得分表"
    t = ws.cell(row=1, column=1, value=title)
    t.font, t.alignment = st["title"], st["center"]
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    ws.row_dimensions[1].height = 28
    for f, label in H.TEMPLATE_COLUMNS:
        c = ws.cell(row=2, column=col[f], value=label)
        c.font, c.fill, c.border, c.alignment = st["bold"], st["fill"], st["border"], st["center"]
        c.comment = _comment(header_hint(f, prof))
        ws.column_dimensions[get_column_letter(col[f])].width = COLUMN_WIDTHS[f]
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=1).coordinate

    blocks = _blank_blocks(prof) if data is None else _data_blocks(data, prof)
    r = FIRST_DATA_ROW
    normal_rows: list[int] = []
    deduction_rows: list[int] = []
    for sec in blocks:
        sec_start = r
        for g in sec.groups:
            g_start = r
            items: list[dict[str, Any] | None] = list(g.indicators) or [None] * max(g.blank_rows, 1)
            for ind in items:
                (deduction_rows if g.kind == "deduction" else normal_rows).append(r)
                for f in fields:
                    c = ws.cell(row=r, column=col[f])
                    c.border = st["border"]
                    if f in WRAP_FIELDS:
                        c.alignment = st["wrap"]
                if ind is not None:
                    _put(ws.cell(row=r, column=col["name"]), _indicator_label(ind))
                    for f in fields:
                        if f in ("section", "group", "name"):
                            continue
                        v = ind.get(f)
                        if v is not None:
                            _put(ws.cell(row=r, column=col[f]), cell_value(v))
                r += 1
            if g.label:
                c = _put(ws.cell(row=g_start, column=col["group"]), g.label)
                c.alignment = st["wrap"]
            if r - g_start > 1:
                ws.merge_cells(start_row=g_start, start_column=col["group"], end_row=r - 1, end_column=col["group"])
        if sec.label:
            c = _put(ws.cell(row=sec_start, column=col["section"]), sec.label)
            c.font, c.alignment = st["bold"], st["wrap"]
        if r - sec_start > 1:
            ws.merge_cells(start_row=sec_start, start_column=col["section"], end_row=r - 1,
                           end_column=col["section"])
    last = r - 1
    # 合计 row: formulas, so the total follows the scores while the unit types
    wl, sl = get_column_letter(col["weight"]), get_column_letter(col["score"])
    tc = ws.cell(row=r, column=1, value="合计")
    tc.font, tc.alignment = st["bold"], st["center"]
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=col["weight"] - 1)
    for f, letter in (("weight", wl), ("score", sl)):
        c = ws.cell(row=r, column=col[f], value=f"=SUM({letter}{FIRST_DATA_ROW}:{letter}{max(last, FIRST_DATA_ROW)})")
        c.font = st["bold"]
    for j in range(1, ncol + 1):
        ws.cell(row=r, column=j).border = st["border"]

    # data validation
    op = _dv("list", formula1='"=,≥,≤"')
    op.error, op.errorTitle = "指标性质请选择 =、≥ 或 ≤", "指标性质"
    ws.add_data_validation(op)
    op.add(f"{get_column_letter(col['operator'])}{FIRST_DATA_ROW}:{get_column_letter(col['operator'])}{last}")
    nonneg = _dv("decimal", operator="greaterThanOrEqual", formula1="0")
    nonneg.error, nonneg.errorTitle = "权值、得分应为不小于 0 的数字", "权值 / 得分"
    ws.add_data_validation(nonneg)
    for rr in normal_rows:
        nonneg.add(f"{wl}{rr}:{sl}{rr}")
    if deduction_rows:
        negative = prof.deduction_sign > 0   # deduction rows carry scores ≤ 0
        zero_w = _dv("decimal", operator="equal", formula1="0")
        zero_w.error, zero_w.errorTitle = "减分项的权值为 0", "权值"
        ded = _dv("decimal", operator="lessThanOrEqual" if negative else "greaterThanOrEqual", formula1="0")
        ded.error = "减分项得分填负数（如 -1）" if negative else "减分项填扣分数（不小于 0）"
        ded.errorTitle = "减分项得分"
        ws.add_data_validation(zero_w)
        ws.add_data_validation(ded)
        for rr in deduction_rows:
            zero_w.add(f"{wl}{rr}")
            ded.add(f"{sl}{rr}")


def _statement_sheet(ws, prof: Profile, data: dict | None) -> None:
    st = _styles()
    _kv_header(ws, ("项目", "数值", "出处"), (24, 16, 30))
    rows: list[tuple[str, Any, Any]] = []
    if data is None:
        rows.append(("total", None, None))
        rows.append(("grade", None, None))
        for s in prof.sections:
            rows.append((f"section:{s.code or s.names[0]}", None, None))
        rows.append(("execution_rate", None, None))
        if prof.budget_block is None and prof.sections:
            rows.append(("project_execution_rate", None, None))
        fake = {"sections": [{"code": s.code, "name": s.names[0]} for s in prof.sections]}
        labels = [_statement_label(q, fake) for q, _, _ in rows]
    else:
        for s in data.get("statements") or []:
            if isinstance(s, dict) and s.get("quantity"):
                rows.append((str(s["quantity"]), s.get("value"), s.get("where")))
        labels = [_statement_label(q, data) for q, _, _ in rows]
    grade_dv = _dv("list", formula1='"' + ",".join(GRADES) + '"')
    grade_dv.error, grade_dv.errorTitle = "评价等级请选择 优、良、中、差", "评价等级"
    ws.add_data_validation(grade_dv)
    score_dv = _dv("decimal", operator="greaterThanOrEqual", formula1="0")
    score_dv.error, score_dv.errorTitle = "得分应为不小于 0 的数字", "得分"
    score_dv.errorStyle = "warning"
    ws.add_data_validation(score_dv)
    for i, ((q, v, where), label) in enumerate(zip(rows, labels), start=2):
        a = ws.cell(row=i, column=1, value=label)
        a.font, a.border = st["bold"], st["border"]
        b = _put(ws.cell(row=i, column=2), cell_value(v))
        b.border = st["border"]
        c = _put(ws.cell(row=i, column=3), where)
        c.border, c.alignment = st["border"], st["wrap"]
        if q == "grade":
            grade_dv.add(b.coordinate)
            if data is None:
                a.comment = _comment("按总分对应等级：优 ≥ 90，良 ≥ 80，中 ≥ 60，差 < 60（以评价模板为准）。")
        elif q == "total" or q.startswith("section:"):
            score_dv.add(b.coordinate)
            if data is None and q == "total":
                a.comment = _comment("报告正文中写明的自评总分（含加减分）。")


def _pin_zip(path: Path) -> None:
    """Rewrite the .xlsx with fixed timestamps (zip entries and docProps/core.xml)."""
    with zipfile.ZipFile(path) as zin:
        items = [(i, zin.read(i.filename)) for i in zin.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, payload in items:
            if info.filename == "docProps/core.xml":
                payload = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                                 rb"\g<1>" + FIXED_TIME.encode() + rb"\g<2>", payload)
            zi = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = info.external_attr
            zout.writestr(zi, payload)
    path.write_bytes(buf.getvalue())
