"""Regenerate every generated dataset (deterministic: same code → byte-identical files).

    .venv/bin/python datasets/build.py

- reference/nanjing-dianhua-2023.xlsx   the reference report (reference/*.json, hand-transcribed) as a workbook
- reference/nanjing-dianhua-2023-report.{txt,pdf,docx}
                                        the reference report written in the project's own words (its figures
                                        and table from the transcription), as a text, a PDF and a Word file
- templates/<profile>.xlsx              blank workbooks for the three built-in profiles
- examples/*.json / *.xlsx / *-csv/     clean submissions (no error-level finding) for each profile

The example figures are fictional; every derived figure (sums, rates, proportional scores,
totals) is computed here with exact decimal arithmetic and printed rounded, so the examples stay
consistent when an input number is edited.
"""

from __future__ import annotations

import json
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from budget_audit.writers.csv_folder import write_csv_folder  # noqa: E402
from budget_audit.writers.report import Report, Table, write_docx, write_pdf  # noqa: E402
from budget_audit.writers.template import write_template, write_workbook  # noqa: E402

PROFILES = ("dept-overall-105", "project-mof-100", "generic")
D = Decimal


def r(x: Decimal, places: int = 2) -> str:
    """Round half up to `places` decimals and print without trailing zeros ("6.85", "15", "19.5")."""
    q = x.quantize(D(1).scaleb(-places), rounding=ROUND_HALF_UP)
    s = format(q.normalize(), "f")
    return s


def pct(x: Decimal, places: int = 2) -> str:
    return r(x * 100, places) + "%"


def ind(section: str | None, group: str | None, code: str | None, name: str, description: str | None,
        target: Any, actual: Any, weight: Any, score: Any, method: str | None = None, *, operator: str | None = None,
        unit: str | None = None, note: str | None = None, deviation_reason: str | None = None) -> dict[str, Any]:
    return {"section": section, "group": group, "code": code, "name": name, "description": description,
            "operator": operator, "target": target, "unit": unit, "actual": actual,
            "weight": str(weight), "score": str(score), "method": method, "note": note,
            "deviation_reason": deviation_reason}


def proportional(weight: int, actual: str, target: str) -> str:
    """weight × actual ÷ target for a missed ≥ target, rounded to 2 decimals."""
    return r(D(weight) * D(actual) / D(target))


# --------------------------------------------------------------------------------------------
# dept-overall-105: a department, A–F, 105 points
# --------------------------------------------------------------------------------------------


def dept_example() -> dict[str, Any]:
    initial_basic, initial_project = D("820.50"), D("1200.00")
    increase, decrease = D("310.20"), D("50.00")
    exp_basic, exp_project = D("818.30"), D("1385.60")
    prior = D("12.40")
    initial = initial_basic + initial_project
    adjusted = initial + increase - decrease
    adjusted_project = initial_project + increase - decrease        # the adjustments were project money
    expenditure = exp_basic + exp_project
    rate = pct(expenditure / adjusted)
    project_rate = pct(exp_project / adjusted_project)
    year_end = adjusted + prior - expenditure
    budget = {
        "currency_unit": "万元",
        "initial_budget": f"{initial:.2f}", "initial_basic": f"{initial_basic:.2f}",
        "initial_project": f"{initial_project:.2f}", "increase": f"{increase:.2f}", "decrease": f"{decrease:.2f}",
        "adjusted_budget": f"{adjusted:.2f}", "adjusted_project": f"{adjusted_project:.2f}",
        "expenditure": f"{expenditure:.2f}", "expenditure_basic": f"{exp_basic:.2f}",
        "expenditure_project": f"{exp_project:.2f}", "prior_carryover": f"{prior:.2f}",
        "prior_carryover_spent": None, "year_end_carryover": f"{year_end:.2f}",
        "execution_rate": rate, "project_execution_rate": project_rate,
        "weight": None, "score": None, "reason": None,
    }
    c21 = proportional(7, "93", "95")
    inds = [
        ind("A", "A1", "A11", "决策制度的规范性", "决策制度是否规范", "规范", "规范", 2, 2,
            "评价为“规范”得2分，“较规范”得1分，“不规范”得0分"),
        ind("A", "A1", "A12", "决策流程的科学性", "决策流程是否科学", "科学", "科学", 2, 2,
            "评价为“科学”得2分，“较科学”得1分，“不科学”得0分"),
        ind("A", "A1", "A13", "决策执行监督制衡机制", "决策执行是否有监督制衡机制", "有", "有", 1, 1, "有机制得1分，无机制得0分"),
        ind("A", "A2", "A21", "中长期规划明确性", "是否有中长期规划", "有", "有", 2, 2, "有规划得2分，规划不完整得1分，无规划得0分"),
        ind("A", "A2", "A22", "中长期规划与部门职能的匹配性", "中长期规划与部门职能是否匹配", "匹配", "匹配", 2, 2,
            "匹配得2分，较匹配得1分，不匹配得0分"),
        ind("A", "A3", "A31", "年度工作计划明确性", "是否有年度工作计划", "有", "有", 2, 2, "有计划得2分，计划不完整得1分，无计划得0分"),
        ind("A", "A3", "A32", "年度工作计划与部门职能的匹配性", "年度工作计划是否与部门职能匹配", "匹配", "匹配", 2, 2,
            "匹配得2分，较匹配得1分，不匹配得0分"),
        ind("A", "A4", "A41", "预算编制科学规范", "预算编制是否科学", "科学", "科学", 1, 1, "评价为“科学”得1分，“不科学”得0分"),
        ind("A", "A4", "A42", "预算编制与重点工作任务的匹配性", "预算编制是否与重点工作任务匹配", "匹配", "匹配", 1, 1,
            "匹配得1分，不匹配得0分"),
        ind("B", "B1", "B11", "部门预算执行率", "支出决算数÷调整预算数", "≥90%", rate, 3, 3, "达到90%得3分，未达到根据完成度得分"),
        ind("B", "B1", "B12", "项目资金执行率", "项目支出决算数÷项目调整预算数", "≥90%", project_rate, 2, 2,
            "达到90%得2分，未达到根据完成度得分"),
        ind("B", "B1", "B13", "“三公”经费控制率", "“三公”经费控制情况", "不超支", "不超支", 1, 1, "不超支得1分，超支得0分"),
        ind("B", "B1", "B14", "预决算信息公开情况", "预决算是否按时在“双平台”公开", "是", "是", 2, 2, "已公开得2分，未公开得0分"),
        ind("B", "B2", "B21", "收支管理制度健全性", "收支管理制度是否健全", "健全", "较健全", 1, "0.5",
            "制度健全得1分，制度较健全得0.5分，无制度得0分",
            deviation_reason="部分收支审批流程尚未形成书面制度；2024年6月前修订《财务收支管理办法》"),
        ind("B", "B2", "B22", "收支管理是否按制度执行", "收支管理制度是否执行", "是", "是", 1, 1,
            "制度已执行得1分，未充分执行得0.5分，未执行得0分"),
        ind("B", "B3", "B31", "资产管理制度健全性", "资产管理制度是否健全", "健全", "健全", 1, 1,
            "制度健全得1分，制度较健全得0.5分，无制度得0分"),
        ind("B", "B3", "B32", "资产管理是否按制度执行", "资产管理制度是否执行", "是", "是", 1, 1,
            "制度已执行得1分，未充分执行得0.5分，未执行得0分"),
        ind("B", "B4", "B41", "政府采购管理制度健全性", "政府采购管理制度是否健全", "健全", "健全", 1, 1,
            "制度健全得1分，制度较健全得0.5分，无制度得0分"),
        ind("B", "B4", "B42", "政府采购管理是否按制度执行", "政府采购管理制度是否执行", "是", "是", 1, 1,
            "制度已执行得1分，未充分执行得0.5分，未执行得0分"),
        ind("B", "B5", "B51", "内部控制建设情况", "是否建立内部控制制度", "是", "是", 2, 2, "已建立得2分，未建立得0分"),
        ind("B", "B5", "B52", "内部控制执行情况", "内部控制制度是否执行", "是", "是", 2, 2,
            "制度已执行得2分，未充分执行得1分，未执行得0分"),
        ind("B", "B6", "B61", "绩效目标管理", "绩效目标是否按要求编报", "是", "是", 1, 1, "已编报得1分，未编报得0分"),
        ind("B", "B6", "B62", "绩效信息公开", "绩效信息是否按规定公开", "是", "是", 1, 1, "已公开得1分，未公开得0分"),
        ind("C", "C1", "C11", "中小学教学装备配备学校数", "年度装备配备计划完成情况", "≥120所", "126所", 8, 8,
            "达到120所得8分，未达到根据完成度得分"),
        ind("C", "C2", "C21", "实验教学开出率", "演示和分组实验开出比例", "≥95%", "93%", 7, c21,
            "达到95%得7分，未达到根据完成度得分",
            deviation_reason="部分农村学校实验员缺编，开出率未达目标；2024年通过区域共享实验员补足"),
        ind("C", "C3", "C31", "装备管理培训人次", "装备管理员及教师培训人次", "≥1500人次", "1620人次", 8, 8,
            "达到1500人次得8分，未达到根据完成度得分"),
        ind("C", "C4", "C41", "装备质量抽检批次", "全年装备质量抽检批次", "=24批次", "24批次", 7, 7,
            "达到24批次得7分，未完成不得分"),
        ind("D", "D1", "D11", "学校装备达标率", "装备配置达到省定标准的学校比例", "≥95%", "97.5%", 8, 8,
            "达到95%得8分，未达到根据完成度得分"),
        ind("D", "D2", "D21", "功能教室使用率", "功能教室课表排课使用比例", "≥85%", "88%", 7, 7,
            "达到85%得7分，未达到根据完成度得分"),
        ind("D", "D3", "D31", "师生满意度", "问卷调查满意比例", "≥90%", "94%", 8, 8, "达到90%得8分，未达到根据完成度得分"),
        ind("D", "D4", "D41", "装备维修服务响应率", "报修后48小时内响应的比例", "≥95%", "98%", 7, 7,
            "达到95%得7分，未达到根据完成度得分"),
        ind("E", "E1", "E11", "装备管理平台升级", "装备管理平台升级完成情况", "完成", "完成", 2, 2, "完成得2分，未完成不得分"),
        ind("E", "E2", "E21", "专业技术人员培训人数", "专业技术人员参加培训人数", "≥40人", "45人", 3, 3,
            "达到40人得3分，未达到根据完成度得分"),
        ind("F", "F1", "F11", "本年度收到各级荣誉表彰", "部门（单位）受到国务院、省级、市级嘉奖", "1项", "1项", 5, 1,
            "受到国务院嘉奖加3分，受到省级嘉奖加2分，得到市级考核一等奖加1分，得到市级考核二等奖加0.5分；同一项工作不累计加分",
            note="2023年度市级综合考核一等奖"),
        ind("F", "F2", "F21", "本年度违法违纪", "部门（单位）或工作人员违法违纪", "0", "0", 0, 0, "酌情扣分"),
    ]
    section_names = {"A": "部门决策", "B": "部门管理", "C": "部门履职", "D": "履职绩效", "E": "可持续发展能力",
                     "F": "加减分项"}
    group_names = {"A1": "决策机制", "A2": "中长期规划", "A3": "年度工作计划", "A4": "部门预算编制",
                   "B1": "预算执行", "B2": "收支管理", "B3": "资产管理", "B4": "政府采购管理", "B5": "内部控制管理",
                   "B6": "预算绩效管理", "C1": "教学装备配备", "C2": "实验教学", "C3": "装备管理培训", "C4": "装备质量监管",
                   "D1": "装备达标", "D2": "装备使用", "D3": "服务满意度", "D4": "维修服务", "E1": "信息化建设",
                   "E2": "人力资源建设", "F1": "加分项", "F2": "减分项"}
    weights = {s: sum(D(i["weight"]) for i in inds if i["section"] == s) for s in section_names}
    scores = {s: sum(D(i["score"]) for i in inds if i["section"] == s) for s in section_names}
    total = sum(scores.values())
    assert sum(weights.values()) == 105 and weights == {"A": 15, "B": 20, "C": 30, "D": 30, "E": 5, "F": 5}
    sections = [{"code": c, "name": n, "points": r(weights[c])} for c, n in section_names.items()]
    groups = [{"section": g[0], "code": g, "name": n, "points": None} for g, n in group_names.items()]
    statements = [{"quantity": "total", "value": r(total), "where": "二、评价结论"},
                  {"quantity": "grade", "value": "优", "where": "二、评价结论"}]
    statements += [{"quantity": f"section:{c}", "value": r(scores[c]), "where": f"三、（{'一二三四五六'[k]}）"}
                   for k, c in enumerate(section_names)]
    statements += [{"quantity": "execution_rate", "value": rate, "where": "一、（二）2"},
                   {"quantity": "project_execution_rate", "value": project_rate, "where": "一、（二）2"}]
    return {"id": "dept-overall-105-clean", "unit": "示例市教育技术装备中心", "year": 2023,
            "profile": "dept-overall-105", "budget": budget, "sections": sections, "groups": groups,
            "indicators": inds, "statements": statements}


# --------------------------------------------------------------------------------------------
# project-mof-100: one project, national form
# --------------------------------------------------------------------------------------------


def project_example() -> dict[str, Any]:
    initial, adjusted, expenditure = D("500.00"), D("520.00"), D("499.20")
    rate = expenditure / adjusted
    weight = D(10)
    score = weight * min(rate, D(1))
    budget = {"currency_unit": "万元", "initial_budget": f"{initial:.2f}", "adjusted_budget": f"{adjusted:.2f}",
              "expenditure": f"{expenditure:.2f}", "execution_rate": pct(rate), "weight": r(weight),
              "score": r(score), "reason": None}
    cost_per_bike = r(expenditure * 10000 / 3050)
    quality = proportional(10, "93", "95")
    inds = [
        ind("产出指标", "数量指标", None, "公共自行车投放数量", "全年在网运营车辆数", "3000", "3050", 10, 10,
            operator="≥", unit="辆"),
        ind("产出指标", "数量指标", None, "维护站点数量", "日常维护的租赁站点数", "150", "152", 10, 10, operator="≥", unit="个"),
        ind("产出指标", "质量指标", None, "车辆完好率", "抽查车辆中完好车辆比例", "95%", "93%", 10, quality, operator="≥",
            unit="%", deviation_reason="部分车辆老化且备件采购延迟，完好率未达目标；2024年一季度完成老旧车辆更换"),
        ind("产出指标", "时效指标", None, "故障车辆修复及时率", "故障车辆24小时内修复比例", "90%", "92%", 10, 10,
            operator="≥", unit="%"),
        ind("产出指标", "成本指标", None, "单车年均运维成本", "全年运维支出÷在网车辆数", "1700", cost_per_bike, 10, 10,
            operator="≤", unit="元"),
        ind("效益指标", "社会效益指标", None, "日均骑行人次", "全年骑行人次÷365", "12000", "12800", 15, 15,
            operator="≥", unit="人次"),
        ind("效益指标", "可持续影响指标", None, "系统正常运行率", "调度系统全年正常运行时间比例", "98%", "99.2%", 15, 15,
            operator="≥", unit="%"),
        ind("满意度指标", "服务对象满意度指标", None, "市民满意度", "问卷调查满意比例", "90%", "93%", 10, 10,
            operator="≥", unit="%"),
    ]
    names = ("产出指标", "效益指标", "满意度指标")
    weights = {s: sum(D(i["weight"]) for i in inds if i["section"] == s) for s in names}
    scores = {s: sum(D(i["score"]) for i in inds if i["section"] == s) for s in names}
    assert weights == {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
    total = score + sum(scores.values())
    sections = [{"code": None, "name": n, "points": r(weights[n])} for n in names]
    groups = []
    for i in inds:
        g = {"section": i["section"], "code": None, "name": i["group"], "points": None}
        if g not in groups:
            groups.append(g)
    statements = [{"quantity": "total", "value": r(total), "where": "自评结论"},
                  {"quantity": "grade", "value": "优", "where": "自评结论"}]
    statements += [{"quantity": f"section:{n}", "value": r(scores[n]), "where": "自评结论"} for n in names]
    return {"id": "project-mof-100-clean", "unit": "示例市城市管理局", "project": "公共自行车系统运营维护项目",
            "year": 2023, "profile": "project-mof-100", "budget": budget, "sections": sections, "groups": groups,
            "indicators": inds, "statements": statements}


# --------------------------------------------------------------------------------------------
# generic: a small table without a profile
# --------------------------------------------------------------------------------------------


def generic_example() -> dict[str, Any]:
    initial, increase, expenditure = D("140.00"), D("10.00"), D("141.30")
    adjusted = initial + increase
    rate = pct(expenditure / adjusted, 1)
    satisfaction = proportional(20, "88", "90")
    inds = [
        ind("工作完成情况", None, None, "社区活动开展场次", "全年组织社区文体活动场次", "≥24场", "26场", 20, 20,
            "达到24场得20分，未达到根据完成度得分"),
        ind("工作完成情况", None, None, "困难群众走访覆盖率", "走访困难群众户数÷在册户数", "≥95%", "96%", 20, 20,
            "达到95%得20分，未达到根据完成度得分"),
        ind("工作完成情况", None, None, "居民满意度", "问卷调查满意比例", "≥90%", "88%", 20, satisfaction,
            "达到90%得20分，未达到根据完成度得分",
            deviation_reason="老旧小区居民对活动场地意见较多；2024年增设两处活动点"),
        ind("资金管理情况", None, None, "资金使用合规性", "资金使用是否符合财务制度", "合规", "合规", 20, 20,
            "合规得20分，不合规得0分"),
        ind("资金管理情况", None, None, "预算执行率", "支出数÷全年预算数", "≥90%", rate, 20, 20,
            "达到90%得20分，未达到根据完成度得分"),
    ]
    names = ("工作完成情况", "资金管理情况")
    weights = {s: sum(D(i["weight"]) for i in inds if i["section"] == s) for s in names}
    scores = {s: sum(D(i["score"]) for i in inds if i["section"] == s) for s in names}
    total = sum(scores.values())
    return {
        "id": "generic-clean", "unit": "示例市某街道办事处", "year": 2023,
        "budget": {"currency_unit": "万元", "initial_budget": f"{initial:.2f}", "increase": f"{increase:.2f}",
                   "adjusted_budget": f"{adjusted:.2f}", "expenditure": f"{expenditure:.2f}",
                   "execution_rate": rate},
        "sections": [{"code": None, "name": n, "points": r(weights[n])} for n in names],
        "groups": [],
        "indicators": inds,
        "statements": [{"quantity": "total", "value": r(total), "where": "评价结论"},
                       {"quantity": "grade", "value": "优", "where": "评价结论"}]
        + [{"quantity": f"section:{n}", "value": r(scores[n]), "where": "评价结论"} for n in names],
    }


# --------------------------------------------------------------------------------------------


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------------------------
# the reference report as the files auditors receive: text, PDF, Word
# --------------------------------------------------------------------------------------------

REPORT_HEADER = ("一级指标", "二级指标", "三级指标", "指标说明", "标准值", "完成值", "权值", "得分", "评分办法", "评价要点")


def reference_narrative(d: dict[str, Any]) -> tuple[list[str], list[str | Table], int]:
    """The report in the project's own words: every figure comes from the transcription `d`.
    Returns (title lines, blocks before the table, index where the table goes)."""
    b = d["budget"]
    st = {s["quantity"]: s["value"] for s in d["statements"]}
    unit, year = d["unit"], d["year"]
    title = [f"{year}年度{unit}", "整体支出绩效自评价报告"]
    blocks: list[str | Table] = [
        "一、单位基本情况",
        "（一）单位概况",
        f"{unit}承担全市教育信息化的规划、资源建设、技术服务和教师培训等工作。本报告依据其公开的自评价报告"
        "整理，用作检查工具的参考样例。",
        "（二）收支情况",
        f"{year}年度，本单位年初预算数{b['initial_budget']}万元，其中基本支出{b['initial_basic']}万元，项目支出"
        f"{b['initial_project']}万元。年内预算调整后，调整预算数{b['adjusted_budget']}万元，较年初调增{b['increase']}万元，"
        f"主要用于基本建设。全年支出决算数{b['expenditure']}万元（包含上年结转资金支出{b['prior_carryover_spent']}万元），"
        f"其中基本支出{b['expenditure_basic']}万元，项目支出{b['expenditure_project']}万元，年末结转和结余"
        f"{b['year_end_carryover']}万元。",
        f"本年度单位预算整体执行率为{b['execution_rate']}，项目资金执行率为{b['project_execution_rate']}。",
        "二、评价结论",
        f"对照部门整体支出绩效评价指标体系逐项打分，本单位{year}年度自评得分为{st['total']}分，评价等级为{st['grade']}。",
        "三、各部分评价情况",
        "（一）部门决策",
        f"决策制度和流程完整，年度计划和预算编制与单位职能相符。部门决策绩效评价得分为{st['section:A']}分。",
        "（二）部门管理",
        f"部门预算执行率为{b['execution_rate']}，项目资金执行率为{b['project_execution_rate']}；部分项目按合同进度付款，"
        f"尚未达到付款条件。部门管理绩效评价得分为{st['section:B']}分。",
        "（三）部门履职",
        f"各项年度工作任务按计划完成。部门履职评价得分为{st['section:C']}分。",
        "（四）履职绩效",
        "平台使用、竞赛活动和资源建设等指标均达到目标值。",
        "（五）可持续发展能力",
        f"信息化建设和教师培训持续推进。可持续发展能力绩效评价得分为{st['section:E']}分。",
        "（六）加减分项",
        f"本年度获得一项市级以上荣誉表彰。加减分项得分为{st['section:F']}分。",
        "四、存在的问题和改进措施",
        "个别采购合同未写明服务期限，已补充合同管理要求。",
        f"附件：{year}年{unit}整体绩效评价指标得分表",
    ]
    return title, blocks, len(blocks)


def reference_table(d: dict[str, Any]) -> Table:
    """The score table as the report prints it: section and group cells merged down their rows, 合计 last."""
    from openpyxl.utils import get_column_letter as L

    sections = {s["code"]: s for s in d["sections"]}
    groups = {g["code"]: g for g in d["groups"]}
    rows: list[list[Any]] = [list(REPORT_HEADER)]
    merges: list[str] = []
    spans: dict[str, list[int]] = {}
    for it in d["indicators"]:
        r = len(rows)
        sec, grp = sections[it["section"]], groups[it["group"]]
        first_sec = spans.setdefault("s" + it["section"], [r, r])
        first_grp = spans.setdefault("g" + it["group"], [r, r])
        first_sec[1] = first_grp[1] = r
        rows.append([f"{sec['code']}{sec['name']}（{sec['points']}分）" if first_sec[0] == r else None,
                     f"{grp['code']}{grp['name']}" if first_grp[0] == r else None,
                     f"{it['code']}{it['name']}", it["description"], it["target"], it["actual"], it["weight"],
                     it["score"], it["method"], it["note"]])
    for col, prefix in ((1, "s"), (2, "g")):
        for key, (a, z) in spans.items():
            if key[0] == prefix and z > a:
                merges.append(f"{L(col)}{a + 1}:{L(col)}{z + 1}")
    total = next(s["value"] for s in d["statements"] if s["quantity"] == "total" and "合计" in (s["where"] or ""))
    weights = sum(Decimal(i["weight"]) for i in d["indicators"])
    rows.append(["合计", None, None, None, None, None, r_(weights), total, None, None])
    merges.append(f"A{len(rows)}:F{len(rows)}")
    return Table(rows, merges)


def r_(x: Decimal) -> str:
    return format(x.normalize(), "f")


def reference_text(title: list[str], blocks: list[str | Table], table: Table, width: int = 30) -> str:
    """The report as the text a PDF's text layer gives: paragraphs wrapped at `width` characters (mid-word,
    as printed), the table as lines — section and group lines, one line per indicator, its note below."""
    out = list(title) + [""]
    for block in blocks:
        text = str(block)
        out += [text[i:i + width] for i in range(0, len(text), width)] + [""]
    out.append(" ".join(REPORT_HEADER))
    for row in table.rows[1:-1]:
        sec, grp, name, *cells = row
        if sec:
            out.append(sec)
        if grp:
            out.append(grp)
        *head, note = cells
        out.append(" ".join([name] + [str(c) for c in head if c is not None]))
        if note:
            out.append(note)
    out.append(" ".join(str(c) for c in table.rows[-1] if c is not None))
    return "\n".join(out) + "\n"


def build_reference_report(ref: dict[str, Any], folder: Path) -> list[Path]:
    title, blocks, _ = reference_narrative(ref)
    table = reference_table(ref)
    stem = folder / "nanjing-dianhua-2023-report"
    txt = stem.with_suffix(".txt")
    txt.write_text(reference_text(title, blocks, table), encoding="utf-8")
    report = Report(title, [*blocks, table])
    return [txt, write_pdf(report, stem.with_suffix(".pdf")), write_docx(report, stem.with_suffix(".docx"))]


def build(root: Path = HERE) -> list[Path]:
    written: list[Path] = []
    ref = json.loads((root / "reference" / "nanjing-dianhua-2023.json").read_text(encoding="utf-8"))
    written.append(write_workbook(root / "reference" / "nanjing-dianhua-2023.xlsx", ref.get("profile"), ref,
                                  reproducible=True))
    written += build_reference_report(ref, root / "reference")
    for p in PROFILES:
        written.append(write_template(p, root / "templates" / f"{p}.xlsx", reproducible=True))
    ex = root / "examples"
    dept, project, generic = dept_example(), project_example(), generic_example()
    for data in (dept, project, generic):
        path = ex / f"{data['id']}.json"
        write_json(path, data)
        written.append(path)
        written.append(write_workbook(ex / f"{data['id']}.xlsx", data.get("profile"), data, reproducible=True))
    written.append(write_csv_folder(ex / "dept-overall-105-clean-csv", dept, encoding="gbk"))
    written.append(write_csv_folder(ex / "project-mof-100-clean-csv", project, encoding="utf-8-sig", flat=True))
    return written


if __name__ == "__main__":
    for p in build():
        print(p.relative_to(HERE))
