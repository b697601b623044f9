"""The figures a report's narrative states, read from its flowing text (`lines.flow`).

Formulaic sentences state the figures the rules compare: the budget paragraph ("年初预算数 2972.43 万元，
其中基本支出 1504.43 万元，项目支出 1468 万元。调整预算数 7280.19 万元，较年初调增 4307.76 万元 … 支出决算数
6965.62 万元（包含上年结转资金支出 8.06 万元），其中基本支出 …"), execution rates ("整体执行率为 97%，
项目资金执行率为 98%"), the total and grade ("自评得分为97.5分，评价等级为优") and section subtotals
("部门管理绩效评价得分为 16.5 分"). Each phrase is a label from a dictionary (data, below), glue words
(为 / 是 / 达到 / ：), then the figure with its unit; every figure found keeps the line it stood on.

"其中基本支出 … 项目支出 …" belong to the main figure before them (年初预算数 → initial, 支出决算数 →
expenditure). Phrases tested on real reports are in `tests/reports/phrases.yaml`. What no phrase
matches is not guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lines import Flow

#: budget label → key; "basic" / "project" are resolved against the main figure stated before them
BUDGET_PHRASES: dict[str, str] = {
    "年初预算数": "initial_budget", "年初预算": "initial_budget", "年初批复预算": "initial_budget",
    "部门预算总金额": "initial_budget",
    "调整预算数": "adjusted_budget", "调整后预算数": "adjusted_budget", "调整后预算": "adjusted_budget",
    "全年预算数": "adjusted_budget", "年中调整预算": "adjusted_budget", "调整预算": "adjusted_budget",
    "较年初调增": "increase", "比年初预算增加": "increase", "较年初增加": "increase", "调增": "increase",
    "较年初调减": "decrease", "比年初预算减少": "decrease", "较年初减少": "decrease", "调减": "decrease",
    "支出决算数": "expenditure", "全年执行数": "expenditure", "决算支出": "expenditure", "全年支出": "expenditure",
    "实际支出": "expenditure", "全年执行": "expenditure", "实际预算": "adjusted_budget", "经费预算": "adjusted_budget",
    "项目支出总额": "expenditure_project",
    "基本支出": "basic", "项目支出": "project",
    "上年结转资金支出": "prior_carryover_spent", "上年结转支出": "prior_carryover_spent",
    "上年结转结余资金": "prior_carryover", "上年结转资金": "prior_carryover",
    "年末结转和结余": "year_end_carryover", "年末结转结余": "year_end_carryover", "年末结余": "year_end_carryover",
}
#: the main figure that owns a following "其中基本支出 / 项目支出"
SPLIT_OWNER = {"initial_budget": "initial", "expenditure": "expenditure"}
SPLIT_KEYS = {("initial", "basic"): "initial_basic", ("initial", "project"): "initial_project",
              ("expenditure", "basic"): "expenditure_basic", ("expenditure", "project"): "expenditure_project"}

RATE_PHRASES: dict[str, str] = {
    "项目资金执行率": "project_execution_rate", "项目预算执行率": "project_execution_rate",
    "项目支出执行率": "project_execution_rate", "项目执行率": "project_execution_rate",
    "单位预算整体执行率": "execution_rate", "部门预算整体执行率": "execution_rate", "预算整体执行率": "execution_rate",
    "部门预算执行率": "execution_rate", "单位预算执行率": "execution_rate", "整体执行率": "execution_rate",
    "预算执行率": "execution_rate", "资金执行率": "execution_rate", "执行率": "execution_rate",
}
#: "自评分 20 分" is left out: after an execution rate it is the budget block's score, not the total
TOTAL_PHRASES = ("绩效自评得分", "自评得分", "自评总分", "自评分数", "自评总得分", "总体得分", "综合得分", "总得分", "总分")
GRADE_PHRASES = ("评价等级", "自评等级", "绩效等级", "评价结果", "自评结果", "等级", "自评为")
#: label/value pairs of budget-system exports ("预算数: 2.38 执行数: 2.38"): taken only after a colon, unit optional
COLON_BUDGET = {"预算数": "adjusted_budget", "执行数": "expenditure", "到位数": None}
GRADE_WORDS = ("优秀", "良好", "中等", "合格", "不合格", "较差", "优", "良", "中", "差")
_GRADE_WORD = "|".join(r"\s*".join(map(re.escape, w)) for w in sorted(GRADE_WORDS, key=len, reverse=True))  # "优 秀"

_GLUE = r"\s*(?:为|是|达到|达|:)?\s*"
_NUM = r"(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?)"


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


#: short labels that end longer names ("财政拨款项目支出", "基本建设支出"): taken only after punctuation or 其中
BARE_LABELS = ("基本支出", "项目支出", "实际支出", "调增", "调减")
_BARE = _alt(BARE_LABELS)
_BUDGET_RX = re.compile(rf"(?P<label>(?:(?<![\u4e00-\u9fff])|(?<=其中))(?:{_BARE})|"
                        rf"{_alt(set(BUDGET_PHRASES) - set(BARE_LABELS))}){_GLUE}(?:约)?{_NUM}\s*(?P<cu>亿元|万元|千元|元)")
_RATE_RX = re.compile(rf"(?P<label>{_alt(RATE_PHRASES)}){_GLUE}{_NUM}\s*%")
_TOTAL_RX = re.compile(rf"(?P<label>{_alt(TOTAL_PHRASES)})(?:{_GLUE}{_NUM}\s*分|\s*:\s*(?P<num2>[0-9]+(?:\.[0-9]+)?)(?![0-9.%]))")
_COLON_RX = re.compile(rf"(?<![\u4e00-\u9fff])(?P<label>{_alt(COLON_BUDGET)})\s*:\s*{_NUM}\s*(?P<cu>亿元|万元|千元|元)?(?![0-9.%])")
_GRADE_RX = re.compile(rf"(?P<label>{_alt(GRADE_PHRASES)})\s*(?:为|是|:|评定为|评为)?\s*[“\"'「]?\s*"
                       rf"(?P<grade>{_GRADE_WORD})(?![A-Za-z0-9\u4e00-\u9fff])|"
                       rf"(?P<label2>评为|评定为|等次为)\s*[“\"'「]?(?P<grade2>{_GRADE_WORD})(?=[”\"'」,.，。;；\s]|$)")
_SECTION_SCORE = r"\s*\(?\s*(?:绩效评价|评价|绩效|自评)?\s*(?:得分|自评分)(?:为|是|:)?\s*" + _NUM + r"\s*分"


@dataclass(frozen=True)
class Stated:
    """One figure the narrative states: its quantity (interchange name), value as printed, and where."""
    quantity: str
    value: str
    offset: int
    label: str


def _money(m: re.Match) -> str:
    return m["num"].replace(",", "") + ("" if m["cu"] == "万元" else m["cu"])


def read_narrative(fl: Flow, sections: dict[str, str]) -> list[Stated]:
    """Every figure stated in the flow. `sections` maps the names a report may use for a section
    (its name, code + name) to the section key, for subtotal phrases."""
    out: list[Stated] = []
    text = fl.text
    owner: str | None = None
    taken: list[tuple[int, int]] = []
    for m in _BUDGET_RX.finditer(text):
        key = BUDGET_PHRASES[m["label"]]
        if key in ("basic", "project"):
            if owner is None and key == "project":    # "项目支出609.74万元" on its own: the project's spending
                key = "expenditure_project"
            elif owner is None:
                continue
            else:
                key = SPLIT_KEYS[(owner, key)]
        elif key in SPLIT_OWNER:
            owner = SPLIT_OWNER[key]            # "年初预算数 … 其中基本支出 …": the splits that follow are its own
        elif key == "adjusted_budget":
            owner = None                        # no 基本/项目 split of the adjusted budget is stated
        out.append(Stated(f"budget:{key}", _money(m), m.start("num"), m["label"]))
        taken.append(m.span())
    for m in _COLON_RX.finditer(text):
        key = COLON_BUDGET[m["label"]]
        if key and not any(a <= m.start() < b for a, b in taken):
            out.append(Stated(f"budget:{key}", _money(m) if m["cu"] else m["num"], m.start("num"), m["label"]))
    for m in _RATE_RX.finditer(text):
        out.append(Stated(RATE_PHRASES[m["label"]], m["num"] + "%", m.start("num"), m["label"]))
    if sections:
        names = _alt(sections)
        rx = re.compile(rf"(?P<sec>{names})\s*{_SECTION_SCORE}")
        for m in rx.finditer(text):
            out.append(Stated(f"section:{sections[m['sec']]}", m["num"], m.start("num"), m["sec"]))
            taken.append(m.span())
    for m in _TOTAL_RX.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        num = "num" if m["num"] is not None else "num2"
        out.append(Stated("total", m[num], m.start(num), m["label"]))
    for m in _GRADE_RX.finditer(text):
        grade = "".join((m["grade"] or m["grade2"]).split())
        out.append(Stated("grade", grade, m.start("grade") if m["grade"] else m.start("grade2"),
                          m["label"] or m["label2"]))
    return sorted(out, key=lambda s: s.offset)
