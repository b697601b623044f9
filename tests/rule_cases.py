"""Rule cases as data: for every rule of the catalogue, submissions that must fail it and near misses
that must pass it.

A case is (rule, expect, name, mutate, profile) plus what a failing finding must say:

- ``rule``     the rule ID (``budget_audit.rules.CATALOGUE``);
- ``expect``   ``"fail"``: the run yields at least one finding of the rule, at its default severity
  (cases named ``unchecked-…`` expect the rule's *info* coverage finding instead and count as
  neither pass nor fail); ``"pass"``: no finding of the rule at all;
- ``name``     short, kebab-case; unique per rule;
- ``mutate``   a function that edits a deep copy of the base submission in place (or returns a
  replacement object, e.g. something that is not a submission at all);
- ``profile``  ``None`` → ``BASE_DEPT`` (dept-overall-105); ``"project-mof-100"`` → ``BASE_PROJECT``;
  ``"generic"`` → ``BASE_GENERIC`` (the department base declared as ``generic``);
- ``indicator`` / ``section``: for row-level rules, the row the failing finding must name;
- ``expected`` / ``actual`` / ``tolerance``: the numbers (or grade words) the finding must carry;

The bases are clean: no error and no warning (``test_rules.py`` asserts it). ``BASE_DEPT`` is the
reference report (``datasets/reference/nanjing-dianhua-2023.json``) with its defects fixed: section
points A 15 / B 20, the execution rate stated as 6965.62 ÷ 7280.19 = 95.68 % everywhere, the seven
B rows the printed method gives full marks scored 1 (B subtotal 20), a title carrying the year (STR008
becomes checkable), and A21 docked to the 1-point tier of its method ("规划不完整") so that not every row
has full marks (PLA001): total 100, grade 优.

The module is plain data + helpers: no pytest import, so scripts can reuse it.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable


# ================================================================================================
# bases
# ================================================================================================

# dept-overall-105: the reference report with its defects fixed. A21 keeps a partial score (actual
# “规划不完整”, the 1-point tier of its printed method) so that not every row has full marks (PLA001):
# total 100 = A 14 + B 20 + C 30 + D 30 + E 5 + F 1, grade 优.
BASE_DEPT: dict = {
    "unit": "南京市电化教育馆(南京市教育信息化中心)",
    "year": 2023,
    "title": "南京市电化教育馆2023年度部门整体支出绩效自评价报告",
    "profile": "dept-overall-105",
    "budget": {
        "currency_unit": "万元",
        "initial_budget": "2972.43",
        "initial_basic": "1504.43",
        "initial_project": "1468",
        "increase": "4307.76",
        "decrease": None,
        "adjusted_budget": "7280.19",
        "adjusted_project": None,
        "expenditure": "6965.62",
        "expenditure_basic": "1542.73",
        "expenditure_project": "5422.89",
        "prior_carryover": None,
        "prior_carryover_spent": "8.06",
        "year_end_carryover": "6.77",
        "execution_rate": "95.68%",
        "project_execution_rate": "98%",
        "weight": None,
        "score": None,
        "reason": None,
    },
    "sections": [
        {"code": "A", "name": "部门决策", "points": "15"},
        {"code": "B", "name": "部门管理", "points": "20"},
        {"code": "C", "name": "部门履职", "points": "30"},
        {"code": "D", "name": "履职绩效", "points": "30"},
        {"code": "E", "name": "可持续发展能力", "points": "5"},
        {"code": "F", "name": "加减分项", "points": "≤5"},
    ],
    "groups": [
        {"section": "A", "code": "A1", "name": "决策机制", "points": None},
        {"section": "A", "code": "A2", "name": "中长期规划", "points": None},
        {"section": "A", "code": "A3", "name": "年度工作计划", "points": None},
        {"section": "A", "code": "A4", "name": "部门预算编制", "points": None},
        {"section": "B", "code": "B1", "name": "预算执行", "points": None},
        {"section": "B", "code": "B2", "name": "收支管理", "points": None},
        {"section": "B", "code": "B3", "name": "资产管理", "points": None},
        {"section": "B", "code": "B4", "name": "政府采购管理", "points": None},
        {"section": "B", "code": "B5", "name": "建设项目管理", "points": None},
        {"section": "B", "code": "B6", "name": "内部控制管理", "points": None},
        {"section": "B", "code": "B7", "name": "预算绩效管理", "points": None},
        {"section": "C", "code": "C1", "name": "南京智慧教育平台使用情况", "points": None},
        {"section": "C", "code": "C2", "name": "教育信息化发展研究与宣传工作完成情况", "points": None},
        {"section": "C", "code": "C3", "name": "教育技术竞赛活动工作完成情况", "points": None},
        {"section": "C", "code": "C4", "name": "新闻宣传工作完成情况", "points": None},
        {"section": "D", "code": "D1", "name": "教育公共服务平台工作完成情况", "points": None},
        {"section": "D", "code": "D2", "name": "教育技术竞赛活动完成情况", "points": None},
        {"section": "D", "code": "D3", "name": "线上付费知识资源建设工作完成情况", "points": None},
        {"section": "D", "code": "D4", "name": "教育电视制作与教育信息化宣传", "points": None},
        {"section": "E", "code": "E1", "name": "信息化建设情况", "points": None},
        {"section": "E", "code": "E2", "name": "人力资源建设情况", "points": None},
        {"section": "F", "code": "F1", "name": "加分项", "points": None},
        {"section": "F", "code": "F2", "name": "减分项", "points": None},
    ],
    "indicators": [
        {"section": "A", "group": "A1", "code": "A11", "name": "决策制度的规范性", "description": "决策制度是否规范", "operator": None, "target": "规范", "unit": None, "actual": "规范", "weight": "2", "score": "2", "method": "评价为“规范”得2分，“较规范”得1分，“不规范”得0分", "note": None, "deviation_reason": None},
        {"section": "A", "group": "A1", "code": "A12", "name": "决策流程的科学性", "description": "决策流程是否科学", "operator": None, "target": "科学", "unit": None, "actual": "科学", "weight": "2", "score": "2", "method": "评价为“科学”得2分，“较科学”得1分，“不科学”得0分", "note": None, "deviation_reason": None},
        {"section": "A", "group": "A1", "code": "A13", "name": "决策执行监督制衡机制", "description": "决策执行是否有监督制衡机制", "operator": None, "target": "有", "unit": None, "actual": "有", "weight": "1", "score": "1", "method": "有机制得1分，无机制得0分", "note": None, "deviation_reason": None},
        {"section": "A", "group": "A2", "code": "A21", "name": "中长期规划明确性", "description": "是否有中长期规划", "operator": None, "target": "有", "unit": None, "actual": "规划不完整", "weight": "2", "score": "1", "method": "有规划得2分，规划不完整得1分，无规划得0分", "note": None, "deviation_reason": None},
        {"section": "A", "group": "A2", "code": "A22", "name": "中长期规划与部门职能的匹配性", "description": "中长期规划与部门职能是否匹配", "operator": None, "target": "匹配", "unit": None, "actual": "匹配", "weight": "2", "score": "2", "method": "匹配得2分，较匹配得1分，不匹配得0分", "note": None, "deviation_reason": None},
        {"section": "A", "group": "A3", "code": "A31", "name": "年度工作计划明确性", "description": "是否有年度工作计划", "operator": None, "target": "有", "unit": None, "actual": "有", "weight": "2", "score": "2", "method": "有计划得2分，计划不完整得1分，无计划得0分", "note": None, "deviation_reason": None},
        {"section": "A", "group": "A3", "code": "A32", "name": "年度工作计划与部门职能的匹配性", "description": "年度工作计划是否与部门职能匹配", "operator": None, "target": "匹配", "unit": None, "actual": "匹配", "weight": "2", "score": "2", "method": "匹配得2分，较匹配得1分，不匹配得0分", "note": None, "deviation_reason": None},
        {"section": "A", "group": "A4", "code": "A41", "name": "预算编制科学规范", "description": "预算编制是否科学", "operator": None, "target": "科学", "unit": None, "actual": "科学", "weight": "1", "score": "1", "method": "评价为“科学”得1分，“不科学”得0分", "note": None, "deviation_reason": None},
        {"section": "A", "group": "A4", "code": "A42", "name": "预算编制与重点工作任务的匹配性", "description": "预算编制是否与重点工作任务匹配", "operator": None, "target": "匹配", "unit": None, "actual": "匹配", "weight": "1", "score": "1", "method": "匹配得1分，不匹配得0分", "note": None, "deviation_reason": None},
        {"section": "B", "group": "B1", "code": "B11", "name": "部门预算执行率", "description": "部门预算执行情况", "operator": None, "target": "90%", "unit": None, "actual": "95.68%", "weight": "2", "score": "2", "method": "达到90%得2分，未达到根据完成度得分", "note": None, "deviation_reason": None},
        {"section": "B", "group": "B1", "code": "B12", "name": "项目资金执行率", "description": "项目资金执行情况", "operator": None, "target": "90%", "unit": None, "actual": "98%", "weight": "2", "score": "2", "method": "达到90%得2分，未达到根据完成度得分", "note": None, "deviation_reason": None},
        {"section": "B", "group": "B1", "code": "B13", "name": "“三公”经费控制率", "description": "“三公”经费控制情况", "operator": None, "target": "不超支", "unit": None, "actual": "不超支", "weight": "1", "score": "1", "method": "不超支得1分，超支得0分", "note": None, "deviation_reason": None},
        {"section": "B", "group": "B1", "code": "B14", "name": "预决算信息公开情况", "description": "预决算是否在“双平台”进行公开，内容和时限是否符合要求", "operator": None, "target": "是", "unit": None, "actual": "是", "weight": "1", "score": "1", "method": "已公开得1分，未公开得0分", "note": "提供截图或者照片进行佐证", "deviation_reason": None},
        {"section": "B", "group": "B2", "code": "B21", "name": "收支管理制度健全性", "description": "收支管理制度是否健全", "operator": None, "target": "健全", "unit": None, "actual": "健全", "weight": "1", "score": "1", "method": "制度健全得1分，制度较健全得0.5分，无制度得0分", "note": None, "deviation_reason": None},
        {"section": "B", "group": "B2", "code": "B22", "name": "收支管理是否按制度执行", "description": "收支管理制度是否执行", "operator": None, "target": "是", "unit": None, "actual": "是", "weight": "1", "score": "1", "method": "制度已执行得1分，未充分执行得0.5分，未执行得0分", "note": None, "deviation_reason": None},
        {"section": "B", "group": "B3", "code": "B31", "name": "资产管理制度健全性", "description": "资产管理制度是否健全", "operator": None, "target": "健全", "unit": None, "actual": "健全", "weight": "1", "score": "1", "method": "制度健全得1分，制度较健全得0.5分，无制度得0分", "note": None, "deviation_reason": None},
        {"section": "B", "group": "B3", "code": "B32", "name": "资产管理是否按制度执行", "description": "资产管理制度是否执行", "operator": None, "target": "是", "unit": None, "actual": "是", "weight": "1", "score": "1", "method": "制度已执行得1分，未充分执行得0.5分，未执行得0分", "note": None, "deviation_reason": None},
        {"section": "B", "group": "B4", "code": "B41", "name": "政府采购管理制度健全性", "description": "政府采购管理制度是否健全", "operator": None, "target": "健全", "unit": None, "actual": "健全", "weight": "1", "score": "1", "method": "制度健全得1分，制度较健全得0.5分，无制度得0分", "note": None, "deviation_reason": None},
        {"section": "B", "group": "B4", "code": "B42", "name": "政府采购管理是否按制度执行", "description": "政府采购管理制度是否执行", "operator": None, "target": "是", "unit": None, "actual": "是", "weight": "1", "score": "1", "method": "制度已执行得1分，未充分执行得0.5分，未执行得0分", "note": None, "deviation_reason": None},
        {"section": "B", "group": "B5", "code": "B51", "name": "建设项目管理制度健全性", "description": "建设项目管理制度是否健全", "operator": None, "target": "健全", "unit": None, "actual": "健全", "weight": "1", "score": "1", "method": "制度健全得1分，制度较健全得0.5分，无制度得0分", "note": None, "deviation_reason": None},
        {"section": "B", "group": "B5", "code": "B52", "name": "建设项目管理是否按制度执行", "description": "建设项目管理制度是否执行", "operator": None, "target": "是", "unit": None, "actual": "是", "weight": "1", "score": "1", "method": "制度已执行得1分，未充分执行得0.5分，未执行得0分", "note": None, "deviation_reason": None},
        {"section": "B", "group": "B6", "code": "B61", "name": "内部控制建设情况", "description": "是否建立内部控制制度", "operator": None, "target": "是", "unit": None, "actual": "是", "weight": "1", "score": "1", "method": "制度健全得1分，制度较健全得0.5分，无制度得0分", "note": "是否有内部控制制度落实在手册等文本上", "deviation_reason": None},
        {"section": "B", "group": "B6", "code": "B62", "name": "内部控制执行情况", "description": "内部控制制度是否执行", "operator": None, "target": "是", "unit": None, "actual": "是", "weight": "1", "score": "1", "method": "制度已执行得1分，未充分执行得0.5分，未执行得0分", "note": "通过重新执行程序评价内控是否有效", "deviation_reason": None},
        {"section": "B", "group": "B6", "code": "B63", "name": "内部控制监督评价", "description": "是否有内部控制评价报告", "operator": None, "target": "有", "unit": None, "actual": "有", "weight": "1", "score": "1", "method": "有报告得1分，无报告得0分", "note": "是否有单位内部内控评价报告", "deviation_reason": None},
        {"section": "B", "group": "B7", "code": "B71", "name": "组织管理情况", "description": "是否建立指标体系", "operator": None, "target": "是", "unit": None, "actual": "是", "weight": "1", "score": "1", "method": "已建立得1分，未建立得0分", "note": None, "deviation_reason": None},
        {"section": "B", "group": "B7", "code": "B72", "name": "工作开展情况", "description": "绩效评价工作开展情况", "operator": None, "target": "科学开展", "unit": None, "actual": "科学开展", "weight": "1", "score": "1", "method": "科学开展得1分，未开展得0分", "note": "考察政策（项目）是否有5个报告", "deviation_reason": None},
        {"section": "B", "group": "B7", "code": "B73", "name": "绩效信息公开", "description": "绩效信息是否按照规定的内容和时限在“双平台”进行公开", "operator": None, "target": "是", "unit": None, "actual": "是", "weight": "1", "score": "1", "method": "已公开得1分，未公开得0分", "note": None, "deviation_reason": None},
        {"section": "C", "group": "C1", "code": "C11", "name": "教学助手使用量", "description": "智慧教育平台使用情况", "operator": None, "target": "≥3000人", "unit": None, "actual": "3100人", "weight": "8", "score": "8", "method": "达到3000人得8分，未达到根据完成度得分", "note": None, "deviation_reason": None},
        {"section": "C", "group": "C2", "code": "C21", "name": "《2022年度南京市智慧教育区域发展研究报告》数", "description": "信息化发展研究完成情况", "operator": None, "target": "=1份", "unit": None, "actual": "1份", "weight": "7", "score": "7", "method": "达到1份得7分，未完成不得分", "note": None, "deviation_reason": None},
        {"section": "C", "group": "C3", "code": "C31", "name": "参赛师生数量", "description": "教育技术竞赛活动开展情况", "operator": None, "target": "≥2万人次", "unit": None, "actual": "2.3万人次", "weight": "7", "score": "7", "method": "达到2万人次得7分，未达到根据完成度得分", "note": None, "deviation_reason": None},
        {"section": "C", "group": "C4", "code": "C41", "name": "发布宣传信息条数", "description": "宣传工作完成情况", "operator": None, "target": "≥150条", "unit": None, "actual": "208条", "weight": "8", "score": "8", "method": "达到150条得8分，未达到根据完成度得分", "note": None, "deviation_reason": None},
        {"section": "D", "group": "D1", "code": "D11", "name": "教育公共服务平台服务师生的数量", "description": "全市师生开通“人人通”空间比例", "operator": None, "target": "≥95%", "unit": None, "actual": "99%", "weight": "8", "score": "8", "method": "达到95%得8分，未达到根据完成度得分", "note": None, "deviation_reason": None},
        {"section": "D", "group": "D2", "code": "D21", "name": "教育技术竞赛优秀作品数量", "description": "教育技术竞赛活动开展情况", "operator": None, "target": "≥60%", "unit": None, "actual": "60%", "weight": "7", "score": "7", "method": "达到60%得7分，未达到根据完成度得分", "note": None, "deviation_reason": None},
        {"section": "D", "group": "D3", "code": "D31", "name": "期刊文献资源使用师生人数", "description": "特色教育资源使用情况", "operator": None, "target": "≥150万人次", "unit": None, "actual": "180万人次", "weight": "7", "score": "7", "method": "达到150万人次得7分，未达到根据完成度得分", "note": None, "deviation_reason": None},
        {"section": "D", "group": "D4", "code": "D41", "name": "相关点击量", "description": "南京教育官方微信、微博、官网的新媒体运营情况", "operator": None, "target": "≥15万次", "unit": None, "actual": "18.2万次", "weight": "8", "score": "8", "method": "达到15万次得8分，未达到根据完成度得分", "note": None, "deviation_reason": None},
        {"section": "E", "group": "E1", "code": "E11", "name": "办公oa升级改造", "description": "办公oa升级改造完成情况", "operator": None, "target": "完成", "unit": None, "actual": "完成", "weight": "2", "score": "2", "method": "完成得2分，未完成不得分", "note": None, "deviation_reason": None},
        {"section": "E", "group": "E2", "code": "E21", "name": "教师信息化应用与管理能力提升培训相关活动成果", "description": "教师信息化应用与管理能力提升培训完成情况", "operator": None, "target": "≥24个", "unit": None, "actual": "40个", "weight": "3", "score": "3", "method": "达到24个得3分，未达到根据完成度得分", "note": None, "deviation_reason": None},
        {"section": "F", "group": "F1", "code": "F11", "name": "本年度收到各级荣誉表彰", "description": "部门（单位）受到国务院、省级、市级嘉奖", "operator": None, "target": "1项", "unit": None, "actual": "1项以上", "weight": "5", "score": "1", "method": "受到国务院嘉奖加3分，受到省级嘉奖加2分，得到市级考核一等奖加1分，得到市级考核二等奖加0.5分；同一项工作不累计加分", "note": None, "deviation_reason": None},
        {"section": "F", "group": "F2", "code": "F21", "name": "本年度违法违纪", "description": "部门（单位）或工作人员违法违纪", "operator": None, "target": "0", "unit": None, "actual": "0", "weight": "0", "score": "0", "method": "酌情扣分", "note": None, "deviation_reason": None},
    ],
    "statements": [
        {"quantity": "total", "value": "100", "where": "二、评价结论"},
        {"quantity": "grade", "value": "优", "where": "二、评价结论"},
        {"quantity": "section:A", "value": "14", "where": "三、（一）"},
        {"quantity": "section:B", "value": "20", "where": "三、（二）"},
        {"quantity": "section:C", "value": "30", "where": "三、（三）"},
        {"quantity": "section:E", "value": "5", "where": "三、（五）"},
        {"quantity": "section:F", "value": "1", "where": "三、（六）"},
        {"quantity": "execution_rate", "value": "95.68%", "where": "一、（二）2"},
        {"quantity": "execution_rate", "value": "95.68%", "where": "三、（二）"},
        {"quantity": "project_execution_rate", "value": "98%", "where": "三、（二）"},
        {"quantity": "total", "value": "100", "where": "附件 合计"},
    ],
}


# project-mof-100: the MOF project form — budget block (weight 10, score 10 × min(rate, 100 %) = 9.57 at
# 191.36 ÷ 200.00 = 95.68 %), 产出 50 / 效益 30 / 满意度 10 with level-2 groups, no codes, default methods
# (no method text). 参训教师满意度 misses its target (93 % of ≥95 %): 10 × 93/95 = 9.79, reason given.
# Total 9.57 + 89.79 = 99.36, grade 优.
BASE_PROJECT: dict = {
    "unit": "南京市某区教育局",
    "year": 2023,
    "title": "2023年度教师信息化能力提升项目支出绩效自评表",
    "profile": "project-mof-100",
    "budget": {
        "currency_unit": "万元",
        "initial_budget": "180.00",
        "increase": "20.00",
        "decrease": None,
        "adjusted_budget": "200.00",
        "expenditure": "191.36",
        "execution_rate": "95.68%",
        "weight": "10",
        "score": "9.57",
        "reason": None,
    },
    "sections": [
        {"code": None, "name": "产出指标", "points": "50"},
        {"code": None, "name": "效益指标", "points": "30"},
        {"code": None, "name": "满意度指标", "points": "10"},
    ],
    "groups": [
        {"section": "产出指标", "code": None, "name": "数量指标", "points": "20"},
        {"section": "产出指标", "code": None, "name": "质量指标", "points": "10"},
        {"section": "产出指标", "code": None, "name": "时效指标", "points": "10"},
        {"section": "产出指标", "code": None, "name": "成本指标", "points": "10"},
        {"section": "效益指标", "code": None, "name": "社会效益指标", "points": "20"},
        {"section": "效益指标", "code": None, "name": "可持续影响指标", "points": "10"},
        {"section": "满意度指标", "code": None, "name": "服务对象满意度指标", "points": "10"},
    ],
    "indicators": [
        {"section": "产出指标", "group": "数量指标", "code": None, "name": "培训教师人数", "operator": "≥", "target": "500", "unit": "人", "actual": "520", "weight": "10", "score": "10", "method": None, "deviation_reason": None},
        {"section": "产出指标", "group": "数量指标", "code": None, "name": "采购终端设备数量", "operator": "=", "target": "200", "unit": "台", "actual": "200", "weight": "10", "score": "10", "method": None, "deviation_reason": None},
        {"section": "产出指标", "group": "质量指标", "code": None, "name": "设备验收合格率", "operator": "≥", "target": "98%", "unit": "%", "actual": "100%", "weight": "10", "score": "10", "method": None, "deviation_reason": None},
        {"section": "产出指标", "group": "时效指标", "code": None, "name": "项目完成及时性", "operator": "=", "target": "按时完成", "unit": None, "actual": "按时完成", "weight": "10", "score": "10", "method": None, "deviation_reason": None},
        {"section": "产出指标", "group": "成本指标", "code": None, "name": "项目总成本", "operator": "≤", "target": "200", "unit": "万元", "actual": "191.36", "weight": "10", "score": "10", "method": None, "deviation_reason": None},
        {"section": "效益指标", "group": "社会效益指标", "code": None, "name": "教师信息化应用能力", "operator": "=", "target": "显著提升", "unit": None, "actual": "显著提升", "weight": "20", "score": "20", "method": None, "deviation_reason": None},
        {"section": "效益指标", "group": "可持续影响指标", "code": None, "name": "平台持续运行年限", "operator": "≥", "target": "3", "unit": "年", "actual": "3", "weight": "10", "score": "10", "method": None, "deviation_reason": None},
        {"section": "满意度指标", "group": "服务对象满意度指标", "code": None, "name": "参训教师满意度", "operator": "≥", "target": "95%", "unit": "%", "actual": "93%", "weight": "10", "score": "9.79", "method": None, "deviation_reason": "部分教师认为培训时间安排偏紧，下年度改为分散培训"},
    ],
    "statements": [
        {"quantity": "total", "value": "99.36", "where": "自评得分"},
        {"quantity": "grade", "value": "优", "where": "评价结论"},
        {"quantity": "section:产出指标", "value": "50", "where": "产出指标小计"},
        {"quantity": "section:满意度指标", "value": "9.79", "where": "满意度指标小计"},
        {"quantity": "execution_rate", "value": "95.68%", "where": "预算执行情况"},
    ],
}

# generic: the project form declared `generic` — only template-free rules run; WGT001, WGT003, SCR005 and
# SCR006 report "not checked" (info).
BASE_GENERIC: dict = {**copy.deepcopy(BASE_PROJECT), "profile": "generic"}


# ================================================================================================
# helpers: small, declarative edits of a submission dict
# ================================================================================================

def _ind(d: dict, key: str) -> dict:
    """The indicator whose code (or, without codes, name) is `key`."""
    for it in d["indicators"]:
        if it.get("code") == key or (not it.get("code") and it.get("name") == key):
            return it
    raise KeyError(key)


def _entry(items: list[dict], key: str) -> dict:
    for it in items:
        if it.get("code") == key or it.get("name") == key:
            return it
    raise KeyError(key)


def set_statement(d: dict, quantity: str, *values: str) -> None:
    """Give every place stating `quantity` a value (one value: all places; several: in order).
    A quantity not stated yet gets a new statement."""
    places = [s for s in d["statements"] if s["quantity"] == quantity]
    while len(places) < len(values) or not places:    # more values than places: state it somewhere else too
        places.append({"quantity": quantity, "value": None, "where": f"附件（{len(places) + 1}）"})
        d["statements"].append(places[-1])
    for i, s in enumerate(places):
        s["value"] = values[min(i, len(values) - 1)]


def set_rate(d: dict, text: str | float) -> None:
    """State the execution rate as `text` everywhere it appears (budget, narrative, score table)."""
    d["budget"]["execution_rate"] = text
    set_statement(d, "execution_rate", text)
    for it in d["indicators"]:
        if it.get("name") in ("部门预算执行率", "预算执行率"):
            it["actual"] = text


_DELETE = object()   # edit(top={key: _DELETE}) removes a top-level key


def _bd(total: Any, *parts: Any, exhaustive: bool = True) -> dict:
    """A stated breakdown (BUD012): "年度资金总额 全年预算数" with its 其中 rows 当年财政拨款 / 其他资金."""
    labels = ("当年财政拨款", "其他资金", "上年结转资金")
    return {"label": "年度资金总额 全年预算数", "column": "adjusted_budget", "total": total,
            "parts": [{"label": lab, "value": v} for lab, v in zip(labels, parts)], "exhaustive": exhaustive}


def edit(*, top: dict | None = None, budget: dict | None = None, ind: dict | None = None,
         sections: dict | None = None, groups: dict | None = None, stmts: dict | None = None,
         rate: str | float | None = None, add: list | None = None, drop: tuple = (),
         then: Callable[[dict], Any] | None = None) -> Callable[[dict], None]:
    """A mutation from declarative parts:
    top={"unit": ""}, budget={"expenditure": "7300.00"}, ind={"C11": {"score": "9"}},
    sections={"A": {"points": "1"}}, groups={"B1": {"points": "5"}}, stmts={"total": "99"} (or a
    tuple of values, one per place), rate="97%", add=[indicator, …], drop=("F21",)."""
    def mutate(d: dict) -> None:
        for k, v in (top or {}).items():
            if v is _DELETE:
                d.pop(k, None)
            else:
                d[k] = v
        d["budget"].update(budget or {})
        for key, fields in (ind or {}).items():
            _ind(d, key).update(fields)
        for key, fields in (sections or {}).items():
            _entry(d["sections"], key).update(fields)
        for key, fields in (groups or {}).items():
            _entry(d["groups"], key).update(fields)
        for q, v in (stmts or {}).items():
            set_statement(d, q, *(v if isinstance(v, tuple) else (v,)))
        if rate is not None:
            set_rate(d, rate)
        for key in drop:
            d["indicators"].remove(_ind(d, key))
        d["indicators"].extend(copy.deepcopy(add or []))
        if then is not None:
            then(d)
    return mutate



# ---- file cases: inputs that are not JSON (a scanned PDF, a file a folder should list as skipped) -----------

def _pdf(path: Path, pages: list[list[str] | None]) -> Path:
    """A PDF with reportlab: a page of text lines (CID font, no font file needed), or None for a page that is
    only an image — what a scanner produces."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for lines in pages:
        if lines is None:
            c.setFillGray(0.85)
            c.rect(60, 80, 470, 680, stroke=0, fill=1)          # a grey "photo" of a page: no text layer
        else:
            c.setFont("STSong-Light", 12)
            for i, text in enumerate(lines):
                c.drawString(72, 770 - 20 * i, text)
        c.showPage()
    c.save()
    return path


def pdf_of(pages_text: tuple[bool, ...]) -> Callable[[Path, Any], Path]:
    """A PDF case: one page per flag, True = a page of text from the submission, False = a scanned page."""
    def build(directory: Path, sub: Any) -> Path:
        text = [f"{sub['year']}年度{sub['unit']}整体支出绩效自评价报告", "自评得分为100分，评价等级为优。"]
        return _pdf(directory / f"{sub['id']}.pdf", [text if t else None for t in pages_text])
    return build


def workbook_of(rows: list[list[Any]]) -> Callable[[Path, Any], Path]:
    """A workbook case: one sheet holding `rows` as printed (a form laid out by a unit, not our template)."""
    def build(directory: Path, sub: Any) -> Path:
        from openpyxl import Workbook

        wb = Workbook()
        wb.properties.title = sub["id"]      # two cases of one form are two files, never byte-identical (XSB001)
        for row in rows:
            wb.active.append(row)
        path = directory / f"{sub['id']}.xlsx"
        wb.save(path)
        return path
    return build


def text_of(text: str) -> Callable[[Path, Any], Path]:
    """A text-report case: the report as a .txt file."""
    def build(directory: Path, sub: Any) -> Path:
        path = directory / f"{sub['id']}.txt"
        path.write_text(text, encoding="utf-8")
        return path
    return build


#: a 20 + 80 project form: targets, actuals and scores, no weight column
NO_WEIGHT_FORM = [["2023年度某某项目自评表"], ["单位名称", "某某县农业农村局"],
                  ["一级指标", "二级指标", "三级指标", "年初目标值", "实际完成值", "得分"],
                  ["产出指标", "数量指标", "培训人数", "≥100人", "120人", 40],
                  [None, "质量指标", "合格率", "≥95%", "98%", 40], ["总分", None, None, None, None, 80]]
WEIGHTED_FORM = [["2023年度某某项目自评表"], ["单位名称", "某某县农业农村局"],
                 ["一级指标", "二级指标", "三级指标", "年初目标值", "实际完成值", "分值", "得分"],
                 ["产出指标", "数量指标", "培训人数", "≥100人", "120人", 50, 50],
                 [None, "质量指标", "合格率", "≥95%", "98%", 50, 50], ["总分", None, None, None, None, 100, 100]]
NARRATIVE_ONLY = ("2023年度某某县农业农村局整体支出绩效自评价报告\n一、评价结论\n"
                  "本单位年初预算数100万元，支出决算数95万元，预算执行率为95%。自评得分为95分，评价等级为优。\n")


def json_text_of(edit_text: Callable[[str], str]) -> Callable[[Path, Any], Path]:
    """A JSON-text case: the submission written as JSON, then edited as text (a repeated key cannot be a dict)."""
    def build(directory: Path, sub: Any) -> Path:
        path = directory / f"{sub['id']}.json"
        path.write_text(edit_text(json.dumps(sub, ensure_ascii=False, indent=1)), encoding="utf-8")
        return path
    return build


def in_folder(suffix: str, content: bytes) -> Callable[[Path, Any], Path]:
    """A folder case: a folder holding one file `<case id><suffix>`; the folder is the input."""
    def build(directory: Path, sub: Any) -> Path:
        folder = directory / f"folder-{sub['id']}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{sub['id']}{suffix}").write_bytes(content)
        return folder
    return build


def nothing(d: dict) -> None:
    """The base as it is (for a pass case the base itself is the near miss)."""


def duplicate(key: str, **fields: Any) -> Callable[[dict], None]:
    def mutate(d: dict) -> None:
        row = copy.deepcopy(_ind(d, key))
        row.update(fields)
        d["indicators"].append(row)
    return mutate


def unnamed_twice(key: str) -> Callable[[dict], None]:
    """The row `key` with its name lost (no code either), and a second such row in the same group."""
    def mutate(d: dict) -> None:
        row = _ind(d, key)
        row["name"] = None
        d["indicators"].append(copy.deepcopy(row))
    return mutate


def _row(section: str, group: str | None, code: str | None, name: str, weight: str, score: str, **kw: Any) -> dict:
    row = {"section": section, "group": group, "code": code, "name": name, "operator": None, "target": None,
           "unit": None, "actual": None, "weight": weight, "score": score, "method": None, "deviation_reason": None}
    row.update(kw)
    return row


def dept_as_generic(*then: Callable[[dict], Any]) -> Callable[[dict], dict]:
    """Replace the submission by the department base declared `generic` (then apply `then`)."""
    def mutate(_d: dict) -> dict:
        d = copy.deepcopy(BASE_DEPT)
        d["profile"] = "generic"
        for fn in then:
            fn(d)
        return d
    return mutate


# ================================================================================================
# cases
# ================================================================================================

@dataclass(frozen=True)
class Case:
    rule: str
    expect: str                                   # "fail" | "pass"
    name: str
    mutate: Callable[[dict], Any]
    profile: str | None = None                    # None (dept-overall-105) | "project-mof-100" | "generic"
    indicator: str | None = None                  # row-level fail: the indicator the finding names
    section: str | None = None                    # row-level fail: the section (or group) it names
    expected: Any = None                          # the finding's expected value (number or grade word)
    actual: Any = None
    tolerance: float | None = None
    says: str | None = None                       # a text the failing finding's message (zh or en) contains
    file: Callable[[Path, Any], Path] | None = None   # a file case: writes its input (from the mutated base), returns it
    # (or a list of paths: the first is the case's input, the others companions, named by their file stems)
    companions: tuple[Callable[[dict], Any], ...] = ()  # batch-level rules: edits of a copy of the case's
    # submission, each one more submission in the same run (id `<case id>~c<n>`), never asserted on itself
    waivers: tuple[dict, ...] = ()                # waivers applied to the run (`submission` defaults to the case id)

    @property
    def unchecked(self) -> bool:
        """A coverage case: expects the rule's info "not checked" finding; neither pass nor fail."""
        return self.name.startswith("unchecked-")

    @property
    def id(self) -> str:
        return f"{self.rule}-{self.expect}-{self.name}"

    def base(self) -> dict:
        return {None: BASE_DEPT, "dept-overall-105": BASE_DEPT, "project-mof-100": BASE_PROJECT,
                "generic": BASE_GENERIC}[self.profile]

    def submission(self) -> Any:
        """A deep copy of the base with the mutation applied (a dict, or whatever `mutate` returned)."""
        d = copy.deepcopy(self.base())
        out = self.mutate(d)
        obj = d if out is None else out
        if isinstance(obj, dict):
            obj["id"] = self.id
        return obj


P = "project-mof-100"
G = "generic"
RATE = 6965.62 / 7280.19               # 0.956791 — the seed's execution rate, 95.68 %
C = Case

CASES: list[Case] = [
    # ---------------------------------------------------------------- STR: structure and input
    C("STR001", "fail", "score-missing", edit(ind={"C11": {"score": None}}), indicator="C11", section="C"),
    C("STR001", "fail", "weight-placeholder", edit(ind={"C11": {"weight": "/"}}), indicator="C11"),
    C("STR001", "fail", "unit-name-empty", edit(top={"unit": " "})),
    C("STR001", "fail", "year-missing", edit(top={"year": None, "title": "部门整体支出绩效自评价报告"})),
    C("STR001", "pass", "year-only-in-title", edit(top={"year": None})),   # "2023年度…" in the title is the year
    C("STR001", "fail", "message-names-missing-unit", edit(top={"unit": None}), says="单位名称"),
    C("STR001", "pass", "score-zero-is-stated", edit(ind={"C11": {"score": "0"}})),
    C("STR001", "pass", "deduction-weight-left-empty", edit(ind={"F21": {"weight": None}})),
    C("STR001", "fail", "unchecked-unit-label-not-found", nothing, file=workbook_of(WEIGHTED_FORM[:1] + WEIGHTED_FORM[2:]),
      says="未能在文件中识别单位名称"),
    C("STR001", "pass", "unit-label-found-on-form", nothing, file=workbook_of(WEIGHTED_FORM)),
    C("STR002", "fail", "score-ocr-IO", edit(ind={"C11": {"score": "IO"}}), indicator="C11"),
    C("STR002", "fail", "weight-88.5.1", edit(ind={"C11": {"weight": "88.5.1"}}), indicator="C11"),
    C("STR002", "fail", "score-word", edit(ind={"B14": {"score": "完成"}}), indicator="B14"),
    C("STR002", "fail", "budget-amount-damaged", edit(budget={"expenditure_basic": "1542.7.3"})),
    C("STR002", "fail", "base-data-figure-trailing-point", edit(then=lambda d: d.update(
        unreadable_figures=[{"label": "水费、电费、差旅费 2018年预算数", "value": "7.50."}])), says="“7.50.”"),
    C("STR002", "pass", "fullwidth-digits", edit(ind={"C11": {"score": "８"}})),
    C("STR002", "pass", "score-with-unit", edit(ind={"C11": {"score": "8分"}})),
    C("STR003", "fail", "code-outside-its-group", edit(ind={"A22": {"code": "A52"}}), indicator="A52", section="A"),
    C("STR003", "fail", "group-outside-its-section", edit(ind={"A22": {"group": "B2", "code": "B25"}}),
      indicator="B25", section="A"),
    C("STR003", "fail", "code-without-digits", edit(ind={"A22": {"code": "AB"}}), indicator="AB"),
    C("STR003", "pass", "renumbered-within-group", edit(ind={"A22": {"code": "A23"}})),
    C("STR003", "pass", "three-digit-code", edit(ind={"A22": {"code": "A210"}})),
    C("STR004", "fail", "same-code-twice", duplicate("A11"), indicator="A11", section="A"),
    C("STR004", "fail", "same-name-in-group-no-codes", duplicate("培训教师人数"), profile=P,
      section="产出指标", says="培训教师人数"),
    C("STR004", "fail", "finding-names-the-uncoded-row", duplicate("培训教师人数"), profile=P,
      indicator="培训教师人数", section="产出指标"),
    C("STR004", "pass", "same-name-other-group", duplicate("设备验收合格率", group="时效指标"), profile=P),
    C("STR004", "pass", "same-name-other-code", duplicate("A11", code="A14")),
    # two rows whose names the page lost are not one indicator twice: each is a STR001 (no name), not a STR004
    C("STR004", "pass", "two-rows-without-name-or-code", unnamed_twice("培训教师人数"), profile=P),
    C("STR005", "fail", "section-G", edit(add=[_row("G", "G1", "G11", "其他", "1", "1")]), indicator="G11", section="G"),
    C("STR005", "fail", "message-names-the-profile", edit(add=[_row("G", "G1", "G11", "其他", "1", "1")]),
      indicator="G11", says="dept-overall-105"),
    C("STR005", "fail", "project-unknown-section", edit(add=[_row("其他指标", "其他", None, "宣传报道", "1", "1")]),
      profile=P, section="其他指标", says="宣传报道"),
    C("STR005", "pass", "section-by-alias-name",
      lambda d: [it.update(section="履职效益") for it in d["indicators"] if it["section"] == "D"]),
    C("STR006", "fail", "no-indicator-rows", edit(top={"indicators": []})),
    C("STR006", "pass", "single-indicator-row", lambda d: d.update(indicators=d["indicators"][:1])),
    C("STR006", "fail", "unchecked-report-without-table", nothing, file=text_of(NARRATIVE_ONLY), says="没有指标得分表"),
    C("STR007", "fail", "batch-entry-not-an-object", lambda d: "not a submission"),
    C("STR007", "fail", "batch-entry-is-a-list", lambda d: [d]),
    C("STR007", "pass", "extra-keys-are-ignored",
      edit(top={"remarks": "附件另附"}, then=lambda d: d["indicators"][0].update(extra_column=1))),
    C("STR008", "fail", "title-says-2022", edit(top={"title": "南京市电化教育馆2022年度部门整体支出绩效自评价报告"}),
      expected=2022, actual=2023),
    C("STR008", "pass", "year-as-text", edit(top={"year": "2023年度"})),
    C("STR008", "pass", "title-without-year", edit(top={"title": "部门整体支出绩效自评价报告"})),
    C("STR009", "fail", "form-without-weight-column", nothing, file=workbook_of(NO_WEIGHT_FORM), says="权值"),
    C("STR009", "pass", "form-with-weight-column", nothing, file=workbook_of(WEIGHTED_FORM)),
    C("STR010", "fail", "score-key-twice", nothing, file=json_text_of(lambda t: t.replace('"score": "2"', '"score": "1", "score": "2"', 1)),
      says="score"),
    C("STR010", "fail", "top-level-unit-twice", nothing, file=json_text_of(lambda t: t.replace("{", '{"unit": "某单位", ', 1)),
      says="unit"),
    C("STR010", "pass", "same-key-in-different-objects", nothing, file=json_text_of(lambda t: t)),
    C("STR011", "fail", "all-pages-scanned", nothing, file=pdf_of((False, False)), says="扫描件"),
    C("STR011", "fail", "one-page-scanned", nothing, file=pdf_of((True, False)), says="第 2 页"),
    C("STR011", "pass", "text-layer-pdf", nothing, file=pdf_of((True,))),
    C("STR012", "fail", "image-in-folder", nothing, file=in_folder(".png", b"\x89PNG\r\n\x1a\n"), says="图片"),
    C("STR012", "pass", "text-report-in-folder", nothing,
      file=in_folder(".txt", "2023年度某某单位整体支出绩效自评价报告\n自评得分为100分。\n".encode())),
    # ---------------------------------------------------------------- WGT: weights
    C("WGT001", "fail", "weights-sum-to-106", edit(ind={"C11": {"weight": "9"}}), expected=105, actual=106),
    C("WGT001", "fail", "project-budget-block-missing", edit(budget={"weight": None, "score": None}), profile=P,
      expected=100, actual=90),
    C("WGT001", "pass", "weights-shifted-within-section",
      edit(ind={"C11": {"weight": "9"}, "C21": {"weight": "6", "score": "6"}})),
    C("WGT001", "pass", "project-budget-block-counts", nothing, profile=P),
    C("WGT001", "fail", "unchecked-no-profile", nothing, profile=G),
    C("WGT002", "fail", "section-A-declares-1", edit(sections={"A": {"points": "1"}}), section="A",
      expected=1, actual=15),
    C("WGT002", "fail", "project-output-declares-40", edit(sections={"产出指标": {"points": "40"}}), profile=P,
      section="产出指标", expected=40, actual=50),
    C("WGT002", "pass", "points-with-unit", edit(sections={"A": {"points": "15分", }, "B": {"points": "20 分"}})),
    C("WGT002", "pass", "bonus-section-at-most-5", edit(sections={"F": {"points": "≤5分"}})),
    C("WGT003", "fail", "project-split-40-30-20", edit(
        drop=("采购终端设备数量",), sections={"产出指标": {"points": "40"}, "满意度指标": {"points": "20"}},
        groups={"数量指标": {"points": "10"}, "服务对象满意度指标": {"points": "20"}},
        add=[_row("满意度指标", "服务对象满意度指标", None, "学校满意度", "10", "10", operator="≥", target="90%",
                  unit="%", actual="96%")]),
      profile=P, section="产出指标", expected=50, actual=40),
    C("WGT003", "pass", "project-weights-12.5-7.5", edit(ind={"培训教师人数": {"weight": "12.5", "score": "12.5"},
                                                              "采购终端设备数量": {"weight": "7.5", "score": "7.5"}}),
      profile=P),
    C("WGT003", "pass", "dept-standard-split", nothing),
    C("WGT003", "fail", "project-budget-block-20-points", edit(budget={"weight": "20", "score": "19.14"}), profile=P,
      expected=10, actual=20, says="预算执行标注 20 分"),
    C("WGT003", "fail", "indicator-part-declares-98", edit(top={"indicator_points": "98分"}), profile=P,
      expected=90, actual=98, says="绩效指标部分标注 98 分"),
    C("WGT003", "pass", "indicator-part-declares-90", edit(top={"indicator_points": "90"}), profile=P),
    C("WGT003", "fail", "unchecked-no-profile", nothing, profile=G, section="产出指标"),
    C("WGT004", "fail", "group-B1-declares-5", edit(groups={"B1": {"points": "5"}}), section="B1",
      expected=5, actual=6),
    C("WGT004", "fail", "project-group-declares-15", edit(groups={"数量指标": {"points": "15"}}), profile=P,
      section="数量指标", expected=15, actual=20),
    C("WGT004", "pass", "group-B1-declares-6", edit(groups={"B1": {"points": "6分"}})),
    C("WGT005", "fail", "weight-zero", edit(ind={"C11": {"weight": "0", "score": "0"}}), indicator="C11", actual=0),
    C("WGT005", "fail", "weight-negative", edit(ind={"C11": {"weight": "-8"}}), indicator="C11", actual=-8),
    C("WGT005", "fail", "deduction-weight-1", edit(ind={"F21": {"weight": "1"}}), indicator="F21", actual=1),
    C("WGT005", "pass", "small-positive-weight", edit(ind={"B14": {"weight": "0.5", "score": "0.5"}})),
    C("WGT005", "pass", "deduction-weight-0.0", edit(ind={"F21": {"weight": "0.0"}})),
    # ---------------------------------------------------------------- SCR: scores and totals
    C("SCR001", "fail", "score-9-of-8", edit(ind={"C11": {"score": "9"}}), indicator="C11", section="C",
      expected=8, actual=9),
    C("SCR001", "fail", "bonus-5.5-of-5", edit(ind={"F11": {"score": "5.5"}}), indicator="F11", expected=5, actual=5.5),
    C("SCR001", "pass", "score-equals-weight", edit(ind={"C11": {"score": "8.00"}})),
    C("SCR001", "pass", "bonus-equals-weight", edit(ind={"F11": {"score": "5"}})),
    C("SCR001", "fail", "budget-score-above-its-points", edit(budget={"score": "99"}), profile=P, expected=10, actual=99),
    C("SCR001", "pass", "budget-score-equals-its-points", edit(budget={"expenditure": "201.00", "score": "10"}),
      profile=P),
    C("SCR002", "fail", "score-minus-1", edit(ind={"A11": {"score": "-1"}}), indicator="A11", actual=-1),
    C("SCR002", "pass", "deduction-row-negative", edit(ind={"F21": {"score": "-1"}})),
    C("SCR002", "pass", "score-zero", edit(ind={"A11": {"score": "0"}})),
    C("SCR003", "fail", "B-stated-19", edit(stmts={"section:B": "19"}), section="B", expected=20, actual=19,
      tolerance=0.5),
    C("SCR003", "fail", "unchecked-score-unreadable", edit(ind={"C11": {"score": "IO"}})),
    C("SCR003", "fail", "one-decimal-subtotal-is-exact", edit(ind={"B31": {"score": "0.5"}},
                                                               stmts={"section:B": "20.0"}),
      section="B", expected=19.5, actual=20, tolerance=0.05),
    C("SCR003", "pass", "seed-16.5-vs-exact-sum", edit(
        ind={k: {"score": "0.5"} for k in ("B31", "B32", "B41", "B51", "B52", "B61", "B62")},
        stmts={"section:B": "16.5", "total": "96.5"})),
    C("SCR003", "pass", "integer-subtotal-covers-half", edit(ind={"B31": {"score": "0.5"}},
                                                              stmts={"section:B": "20", "total": "99.5"})),
    C("SCR003", "pass", "project-subtotal-by-name", nothing, profile=P),
    C("SCR004", "fail", "total-99", edit(stmts={"total": "99"}), expected=100, actual=99, tolerance=0.5),
    C("SCR004", "fail", "one-decimal-total-is-exact", edit(ind={"B31": {"score": "0.5"}},
                                                            stmts={"section:B": "19.5", "total": "100.0"}),
      expected=99.5, actual=100, tolerance=0.05),
    C("SCR004", "fail", "project-budget-score-left-out", edit(stmts={"total": "89.79"}), profile=P,
      expected=99.36, actual=89.79),
    C("SCR004", "pass", "total-100.0", edit(stmts={"total": "100.0"})),
    # a score that is not a number ("IO", OCR of 10) is not 0: the total is not compared with the other scores' sum
    C("SCR004", "fail", "unchecked-score-unreadable", edit(ind={"C11": {"score": "IO"}})),
    C("SCR004", "pass", "integer-total-covers-half", edit(ind={"B31": {"score": "0.5"}},
                                                           stmts={"section:B": "19.5", "total": "100"})),
    C("SCR004", "pass", "deduction-subtracted", edit(ind={"F21": {"score": "-2"}}, stmts={"total": "98",
                                                                                          "section:F": "-1"})),
    C("SCR005", "fail", "total-106", edit(ind={"F11": {"score": "5"}, "C11": {"weight": "10", "score": "10"}},
                                         stmts={"total": "106", "section:C": "32", "section:F": "5"}),
      expected=105, actual=106),
    C("SCR005", "pass", "total-exactly-105", edit(ind={"F11": {"score": "5"}, "A21": {"actual": "有", "score": "2"}},
                                                  stmts={"total": "105", "section:A": "15", "section:F": "5"})),
    C("SCR005", "fail", "unchecked-no-profile", nothing, profile=G),
    # the stated total is the one judged where the form states one: 106 stated over scores of 100 is over the
    # maximum; 105 stated over scores of 106 is within it (SCR004 says the scores sum to 106)
    C("SCR005", "fail", "stated-106-over-scores-of-100", edit(stmts={"total": "106"}), expected=105, actual=106),
    C("SCR005", "pass", "stated-105-over-scores-of-106",
      edit(ind={"F11": {"score": "5"}, "C11": {"weight": "10", "score": "10"}},
           stmts={"total": "105", "section:C": "32", "section:F": "5"})),
    C("SCR006", "fail", "bonus-6", edit(ind={"F11": {"weight": "6", "score": "6"}}), expected=5, actual=6),
    C("SCR006", "fail", "two-bonus-rows-3-and-3", edit(
        ind={"F11": {"weight": "3", "score": "3"}},
        add=[_row("F", "F1", "F12", "本年度获得上级表彰", "2", "3")]), expected=5, actual=6),
    C("SCR006", "pass", "bonus-exactly-5", edit(ind={"F11": {"score": "5"}}, stmts={"total": "104", "section:F": "5"})),
    C("SCR006", "fail", "unchecked-no-profile", nothing, profile=G),
    C("SCR007", "fail", "deduction-adds-2", edit(ind={"F21": {"score": "2"}}), indicator="F21", section="F", actual=2),
    C("SCR007", "pass", "deduction-minus-2", edit(ind={"F21": {"score": "-2"}})),
    C("SCR007", "pass", "deduction-zero", nothing),
    C("SCR008", "fail", "bonus-0.7", edit(ind={"F11": {"score": "0.7"}}), indicator="F11", actual=0.7),
    C("SCR008", "fail", "bonus-0.25", edit(ind={"F11": {"score": "0.25"}}), indicator="F11", actual=0.25),
    C("SCR008", "fail", "message-lists-the-schedule", edit(ind={"F11": {"score": "0.7"}}), indicator="F11",
      says="3、2、1、0.5"),
    C("SCR008", "pass", "bonus-1.5-is-1-plus-0.5", edit(ind={"F11": {"score": "1.5"}})),
    C("SCR008", "pass", "bonus-5-is-3-plus-2", edit(ind={"F11": {"score": "5"}})),
    # ---------------------------------------------------------------- GRD: grade
    C("GRD001", "fail", "grade-良-for-100", edit(stmts={"grade": "良"}), expected="优", actual="良"),
    C("GRD001", "fail", "grade-优-for-89.5", edit(ind={"C11": {"score": "0"}, "C21": {"score": "4.5"}},
                                                 stmts={"total": "89.5", "section:C": "19.5"}),
      expected="良", actual="优"),
    C("GRD001", "fail", "message-gives-the-total", edit(stmts={"grade": "良"}), says="总分 100"),
    C("GRD001", "pass", "total-exactly-90-优", edit(ind={"C11": {"score": "0"}, "C21": {"score": "5"}},
                                                  stmts={"total": "90", "section:C": "20"})),
    C("GRD001", "pass", "grade-word-优秀", edit(stmts={"grade": "优秀"})),
    C("GRD001", "pass", "project-grade", nothing, profile=P),
    C("GRD002", "fail", "bonus-lifts-89-to-优", edit(ind={"C11": {"score": "0"}, "C21": {"score": "5"}},
                                                   stmts={"total": "90", "section:C": "20"}),
      expected="良", actual="优"),
    C("GRD002", "fail", "message-gives-the-total-without-bonus", edit(
        ind={"C11": {"score": "0"}, "C21": {"score": "5"}}, stmts={"total": "90", "section:C": "20"}),
      says="总分 89"),
    C("GRD002", "pass", "without-bonus-still-90", edit(ind={"C11": {"score": "0"}, "C21": {"score": "6"}},
                                                       stmts={"total": "91", "section:C": "21"})),
    # ---------------------------------------------------------------- MTH: scoring method
    C("MTH001", "fail", "seed-B31-full-tier-scored-0.5", edit(ind={"B31": {"score": "0.5"}}), indicator="B31",
      section="B", expected=1, actual=0.5),
    C("MTH001", "fail", "proportional-but-full-marks", edit(ind={"C11": {"actual": "2700人", "score": "8"}}),
      indicator="C11", actual=8),
    C("MTH001", "fail", "tier-below-printed", edit(ind={"A21": {"score": "0"}}), indicator="A21", expected=1, actual=0),
    C("MTH001", "pass", "proportional-7.2", edit(ind={"C11": {"actual": "2700人", "score": "7.2"}})),
    C("MTH001", "pass", "middle-tier-0.5", edit(ind={"B31": {"actual": "制度较健全", "score": "0.5"}})),
    C("MTH001", "pass", "threshold-met-exactly", edit(ind={"C11": {"actual": "3000人"}})),
    C("MTH002", "fail", "met-target-docked-no-method", edit(ind={"B32": {"method": None, "score": "0.5"}}),
      indicator="B32", expected=1, actual=0.5),
    C("MTH002", "pass", "met-target-docked-with-reason",
      edit(ind={"B32": {"method": None, "score": "0.5", "deviation_reason": "资产盘点未覆盖全部下属单位"}})),
    C("MTH002", "pass", "method-decides-not-mth002", edit(ind={"B32": {"score": "0.5"}})),
    C("MTH003", "fail", "missed-target-full-marks", edit(ind={"C11": {"actual": "2900人"}}), indicator="C11",
      expected=8, actual=8),
    C("MTH003", "fail", "project-missed-full-marks", edit(ind={"培训教师人数": {"actual": "480"}}), profile=P,
      section="产出指标", says="培训教师人数", expected=10, actual=10),
    C("MTH003", "pass", "target-met-exactly", edit(ind={"C11": {"actual": "3000人"}})),
    C("MTH003", "pass", "missed-target-partial", edit(ind={"C11": {"actual": "2900人", "score": "7.73"}})),
    C("MTH004", "fail", "discretionary-deduction", nothing, indicator="F21", section="F"),
    C("MTH004", "fail", "method-unparseable", edit(ind={"C11": {"method": "由专家组综合评定", "actual": "良好"}}),
      indicator="C11"),
    C("MTH004", "pass", "deduction-method-checkable", edit(ind={"F21": {"method": "每发生一起违法违纪扣1分"}})),
    C("MTH005", "fail", "percent-vs-people", edit(ind={"C11": {"actual": "95%"}}), indicator="C11"),
    C("MTH005", "fail", "target-words-vs-percent", edit(ind={"C41": {"actual": "95%"}}), indicator="C41"),
    C("MTH005", "fail", "unit-column-vs-percent", edit(ind={"C11": {"target": "≥3000", "unit": "人", "actual": "95%"}}),
      indicator="C11"),
    C("MTH005", "pass", "same-unit-other-scale", edit(ind={"C31": {"actual": "23000人次"}})),
    C("MTH006", "fail", "docked-without-reason", edit(ind={"参训教师满意度": {"deviation_reason": None}}), profile=P,
      section="满意度指标", says="参训教师满意度", expected=10, actual=9.79),
    C("MTH006", "fail", "missed-full-marks-without-reason", edit(ind={"培训教师人数": {"actual": "480"}}), profile=P,
      section="产出指标", says="培训教师人数", expected=10, actual=10),
    C("MTH006", "pass", "docked-with-reason", nothing, profile=P),
    C("MTH006", "pass", "dept-form-has-no-reason-field", nothing),
    C("MTH007", "fail", "above-proportional-ge", edit(ind={"培训教师人数": {"actual": "400", "score": "9"}}),
      profile=P, section="产出指标", says="培训教师人数", expected=8.01, actual=9),
    C("MTH007", "fail", "above-proportional-le", edit(ind={"项目总成本": {"actual": "220", "score": "9.5"}}),
      profile=P, section="产出指标", says="项目总成本", actual=9.5),
    C("MTH007", "pass", "exactly-proportional", edit(ind={"培训教师人数": {"actual": "400", "score": "8"}}), profile=P),
    # ---------------------------------------------------------------- BUD: budget arithmetic
    C("BUD001", "fail", "basic-off-by-1", edit(budget={"initial_basic": "1503.43"}), expected=2971.43,
      actual=2972.43, tolerance=0.51),
    C("BUD001", "fail", "two-decimals-everywhere", edit(budget={"initial_basic": "1504.00", "initial_project": "1468.00"}),
      expected=2972.0, actual=2972.43, tolerance=0.015),
    C("BUD001", "fail", "json-numbers-are-exact-at-2-decimals", edit(budget={"initial_basic": 1504.0,
                                                                            "initial_project": 1468}),
      expected=2972.0, actual=2972.43, tolerance=0.015),
    C("BUD001", "pass", "integer-project-interval-covers", edit(budget={"initial_basic": "1504.00"})),
    C("BUD002", "fail", "increase-4307.00", edit(budget={"increase": "4307.00"}), expected=7279.43, actual=7280.19,
      tolerance=0.015),
    C("BUD002", "pass", "integer-increase-interval-covers", edit(budget={"increase": "4308"})),
    C("BUD002", "pass", "increase-and-decrease", edit(budget={"increase": "4317.76", "decrease": "10.00"})),
    C("BUD002", "pass", "decrease-printed-with-minus", edit(budget={"increase": "4317.76", "decrease": "-10.00"})),
    C("BUD003", "fail", "basic-spend-1540.73", edit(budget={"expenditure_basic": "1540.73"}), expected=6963.62,
      actual=6965.62, tolerance=0.015),
    C("BUD003", "pass", "integer-project-spend-covers", edit(budget={"expenditure_project": "5423"})),
    C("BUD004", "fail", "seed-97%", edit(budget={"execution_rate": "97%"}), expected=RATE, actual=0.97, tolerance=0.005),
    C("BUD004", "fail", "95.67%-two-decimals", edit(rate="95.67%"), expected=RATE, actual=0.9567, tolerance=0.00005),
    C("BUD004", "fail", "95.6%-one-decimal", edit(rate="95.6%"), expected=RATE, actual=0.956, tolerance=0.0005),
    C("BUD004", "fail", "97%-misses-96.4%", edit(budget={"adjusted_budget": "1000.00", "expenditure": "964.00"},
                                                rate="97%"), expected=0.964, actual=0.97, tolerance=0.005),
    C("BUD004", "fail", "json-number-0.97", edit(rate=0.97), expected=RATE, actual=0.97, tolerance=0.005),
    C("BUD004", "pass", "95.68%-vs-95.679", nothing),
    C("BUD004", "pass", "json-number-0.9568", edit(rate=0.9568)),
    C("BUD004", "pass", "95.7%-one-decimal", edit(rate="95.7%")),
    C("BUD004", "pass", "96%-whole-percent", edit(rate="96%")),
    C("BUD004", "pass", "fraction-0.9568", edit(rate="0.9568")),
    C("BUD004", "pass", "97%-covers-96.6%", edit(budget={"adjusted_budget": "1000.00", "expenditure": "966.00"},
                                                rate="97%")),
    C("BUD004", "fail", "unchecked-no-adjusted-budget", edit(budget={"adjusted_budget": None})),
    C("BUD005", "fail", "project-budget-5600", edit(budget={"adjusted_project": "5600"}), expected=5422.89 / 5600,
      actual=0.98, tolerance=0.005),
    C("BUD005", "pass", "project-budget-5533.56", edit(budget={"adjusted_project": "5533.56"})),
    C("BUD005", "pass", "97.9%-within-98%", edit(budget={"adjusted_project": "5540"})),
    C("BUD005", "fail", "unchecked-no-adjusted-project", nothing),
    C("BUD006", "fail", "B11-actual-97%", edit(ind={"B11": {"actual": "97%"}}), indicator="B11", section="B",
      expected=RATE, actual=0.97, tolerance=0.005),
    C("BUD006", "pass", "B11-actual-95.7%", edit(ind={"B11": {"actual": "95.7%"}})),
    C("BUD006", "pass", "B11-fraction-0.957", edit(ind={"B11": {"actual": "0.957"}})),
    C("BUD006", "pass", "generic-project-rate-indicator-is-not-the-overall-rate", dept_as_generic(), profile=G),
    C("BUD006", "fail", "unchecked-no-budget", edit(budget={"adjusted_budget": None}), indicator="B11"),
    C("BUD007", "fail", "score-10-exact", edit(budget={"score": 10}), profile=P, expected=9.568, actual=10,
      tolerance=0.005),
    C("BUD007", "fail", "score-9.5", edit(budget={"score": "9.5"}), profile=P, expected=9.568, actual=9.5,
      tolerance=0.05),
    C("BUD007", "pass", "score-9.6-one-decimal", edit(budget={"score": "9.6"}), profile=P),
    C("BUD007", "pass", "capped-at-weight", edit(budget={"expenditure": "201.00", "score": "10.00"}), profile=P),
    C("BUD007", "fail", "form-without-template-prints-weight-and-score", edit(top={"profile": "generic"},
      budget={"score": 10}), profile=P, expected=9.568, actual=10),
    C("BUD007", "pass", "falls-back-to-stated-rate", edit(budget={"adjusted_budget": None}), profile=P),
    C("BUD007", "fail", "unchecked-no-rate", edit(budget={"adjusted_budget": None}, rate="—"), profile=P),
    C("BUD008", "fail", "spent-7300-of-7280.19", edit(budget={"expenditure": "7300.00"}), expected=1.0,
      actual=7300 / 7280.19),
    C("BUD008", "pass", "spent-equals-budget", edit(budget={"expenditure": "7280.19"})),
    C("BUD008", "pass", "over-only-by-rounding", edit(budget={"adjusted_budget": "7280", "expenditure": "7280.4"})),
    C("BUD009", "fail", "negative-carryover", edit(budget={"year_end_carryover": "-6.77"}), says="年末结转和结余"),
    C("BUD009", "fail", "negative-expenditure", edit(budget={"expenditure_basic": "-1542.73"}), says="基本支出决算"),
    C("BUD009", "pass", "decrease-printed-with-minus", edit(budget={"increase": "4317.76", "decrease": "-10.00"})),
    C("BUD010", "fail", "rate-82%-no-reason", edit(budget={"expenditure": "6000.00"}), expected=0.9,
      actual=6000 / 7280.19),
    C("BUD010", "pass", "rate-82%-explained", edit(budget={"expenditure": "6000.00",
                                                           "reason": "两个信息化项目延期至2024年实施"})),
    C("BUD010", "pass", "rate-exactly-90%", edit(budget={"adjusted_budget": "1000.00", "expenditure": "900.00"})),
    C("BUD011", "fail", "prior-carryover-stated", edit(budget={"prior_carryover": "10.00"}), expected=324.57,
      actual=6.77, tolerance=0.02),
    C("BUD011", "pass", "integer-carryover-covers", edit(budget={"prior_carryover": "10.00", "year_end_carryover": "325"})),
    C("BUD012", "fail", "parts-80-and-19-of-100", edit(then=lambda d: d.update(breakdowns=[_bd("100.00", "80.00", "19.00")])),
      expected=99.0, actual=100.0, tolerance=0.015, says="当年财政拨款 80.00 + 其他资金 19.00"),
    C("BUD012", "fail", "one-of-which-above-total", edit(then=lambda d: d.update(
        breakdowns=[_bd("100.00", "120.00", exhaustive=False)])), expected=120.0, actual=100.0, tolerance=0.01),
    C("BUD012", "pass", "integer-part-interval-covers", edit(then=lambda d: d.update(breakdowns=[_bd("100.00", "80", "19.6")]))),
    C("BUD012", "pass", "one-of-which-below-total", edit(then=lambda d: d.update(
        breakdowns=[_bd("100.00", "80.00", exhaustive=False)]))),
    C("BUD012", "pass", "empty-part-is-0", edit(then=lambda d: d.update(breakdowns=[_bd("100.00", "100.00", None)]))),
    # ---------------------------------------------------------------- XST: statements
    C("XST001", "fail", "total-100-vs-98", edit(stmts={"total": ("100", "98")}), says="total"),
    C("XST001", "fail", "total-100-vs-99.0", edit(stmts={"total": ("100", "99.0")}), says="total"),
    C("XST001", "pass", "total-100-vs-99-touch-at-99.5", edit(stmts={"total": ("100", "99")})),
    C("XST001", "fail", "rate-budget-vs-narrative", edit(stmts={"execution_rate": ("97%", "95.68%")}),
      says="execution_rate"),
    C("XST001", "fail", "grade-优-vs-良", edit(stmts={"grade": ("优", "良")}), says="grade"),
    C("XST001", "fail", "section-B-20-vs-19.5", edit(then=lambda d: d["statements"].append(
        {"quantity": "section:B", "value": "19.4", "where": "附件 小计"})), says="section:B"),
    C("XST001", "fail", "message-names-the-quantity-zh", edit(stmts={"total": ("100", "98")}), says="“总分”"),
    C("XST001", "pass", "total-100-vs-100.0", edit(stmts={"total": ("100", "100.0")})),
    C("XST001", "pass", "rate-95.68%-vs-95.7%", edit(stmts={"execution_rate": ("95.68%", "95.7%")})),
    C("XST001", "pass", "grade-优-vs-优秀", edit(then=lambda d: d["statements"].append(
        {"quantity": "grade", "value": "优秀", "where": "附件"}))),
    # ---------------------------------------------------------------- PLA: plausibility
    C("PLA001", "fail", "every-row-full-marks", edit(ind={"A21": {"actual": "有", "score": "2"}},
                                                     stmts={"total": "101", "section:A": "15"})),
    C("PLA001", "pass", "one-row-docked", nothing),
    C("PLA001", "pass", "one-blank-one-above-weight",        # not "all full marks": one unknown, one over its weight
      edit(ind={"A21": {"actual": "有", "score": None}, "A11": {"score": "3"}})),
    C("PLA001", "pass", "project-one-row-docked", nothing, profile=P),
    C("PLA002", "fail", "coverage-105%", edit(ind={"D11": {"actual": "105%"}}), indicator="D11"),
    C("PLA002", "fail", "project-pass-rate-101%", edit(ind={"设备验收合格率": {"actual": "101%"}}), profile=P,
      section="产出指标", says="设备验收合格率"),
    C("PLA002", "pass", "coverage-exactly-100%", edit(ind={"D11": {"actual": "100%"}})),
    C("PLA003", "fail", "project-actuals-copy-targets", edit(ind={
        "培训教师人数": {"actual": "500"}, "设备验收合格率": {"actual": "98%"}, "项目总成本": {"actual": "200"},
        "参训教师满意度": {"actual": "95%", "score": "10", "deviation_reason": None}},
        stmts={"total": "99.57", "section:满意度指标": "10"}), profile=P),
    C("PLA003", "pass", "one-actual-differs", edit(ind={
        "设备验收合格率": {"actual": "98%"}, "项目总成本": {"actual": "200"},
        "参训教师满意度": {"actual": "95%", "score": "10", "deviation_reason": None}},
        stmts={"total": "99.57", "section:满意度指标": "10"}), profile=P),
    C("PLA004", "fail", "优-at-82%", edit(budget={"expenditure": "6000.00", "reason": "项目延期"}),
      expected=0.9, actual=6000 / 7280.19),
    C("PLA004", "pass", "优-at-exactly-90%", edit(budget={"adjusted_budget": "1000.00", "expenditure": "900.00"})),
    C("PLA004", "pass", "中-at-82%", edit(budget={"expenditure": "6000.00", "reason": "项目延期"},
                                          ind={"C11": {"score": "0"}, "C21": {"score": "0"}, "C31": {"score": "0"}},
                                          stmts={"grade": "中", "total": "78", "section:C": "8"})),
    C("PLA005", "fail", "project-32%-over", edit(ind={"培训教师人数": {"actual": "660"}}), profile=P,
      section="产出指标", says="培训教师人数"),
    C("PLA005", "fail", "cost-far-below-cap-op-in-target",
      edit(ind={"项目总成本": {"operator": None, "target": "≤200", "actual": "140"}}), profile=P,
      section="产出指标", says="项目总成本"),
    C("PLA005", "fail", "cost-far-below-cap-op-column", edit(ind={"项目总成本": {"actual": "140"}}), profile=P,
      section="产出指标", says="项目总成本"),
    # under a ceiling is better than the target, and the ceiling too loose: not "超出目标 … 目标可能偏低"
    C("PLA005", "fail", "a-ceiling-reads-as-too-loose", edit(ind={"项目总成本": {"actual": "140"}}), profile=P,
      section="产出指标", says="优于目标 200 逾 30%，目标可能偏宽松"),
    C("PLA005", "fail", "a-floor-reads-as-too-low", edit(ind={"培训教师人数": {"actual": "660"}}), profile=P,
      section="产出指标", says="超出目标 500 逾 30%，目标可能偏低"),
    C("PLA005", "pass", "project-exactly-30%-over", edit(ind={"培训教师人数": {"actual": "650"}}), profile=P),
    C("PLA005", "pass", "dept-framework-does-not-ask", nothing),
]


# ---- XSB: cross-submission checks. Each case and its companions carry a C11 actual no other case has, so
# they match each other only (every other case is a copy of a base: their tables are alike by design).

def c11(actual: str) -> Callable[[dict], None]:
    return edit(ind={"C11": {"actual": actual}})


def twin_files(change: Callable[[dict], Any] | None = None) -> Callable[[Path, Any], list[Path]]:
    """The case's submission as `<case id>.json` and a copy as `<case id>-copy.json` (byte-identical unless
    `change` edits the copy): the same file handed in twice under two names."""
    def build(directory: Path, sub: Any) -> list[Path]:
        first = directory / f"{sub['id']}.json"
        sub = {k: v for k, v in sub.items() if k != "id"}        # ids come from the file names
        first.write_text(json.dumps(sub, ensure_ascii=False, indent=1), encoding="utf-8")
        other = copy.deepcopy(sub)
        if change is not None:
            change(other)
        second = directory / f"{first.stem}-copy.json"
        second.write_text(json.dumps(other, ensure_ascii=False, indent=1), encoding="utf-8")
        return [first, second]
    return build


CASES += [
    C("XSB001", "fail", "same-file-under-two-names", c11("3101人"), file=twin_files()),
    C("XSB001", "pass", "resubmission-one-score-differs", c11("3102人"),
      file=twin_files(edit(ind={"C41": {"score": "7"}}, stmts={"total": "99", "section:C": "29"}))),
    C("XSB002", "fail", "two-units-one-table", edit(top={"unit": "某县甲单位"}, then=c11("3103人")),
      companions=(edit(top={"unit": "某县乙单位"}),)),
    C("XSB002", "pass", "same-template-other-actuals", edit(top={"unit": "某县丙单位"}, then=c11("3104人")),
      companions=(edit(top={"unit": "某县丁单位"}, ind={"C41": {"actual": "209条"}}),)),
    C("XSB003", "fail", "last-years-report-re-used", edit(top={"unit": "某县戊单位"}, then=c11("3105人")),
      companions=(edit(top={"year": 2022, "title": "南京市电化教育馆2022年度部门整体支出绩效自评价报告"}),)),
    C("XSB003", "pass", "next-year-figures-differ", edit(top={"unit": "某县己单位"}, then=c11("3106人")),
      companions=(edit(top={"year": 2022, "title": "南京市电化教育馆2022年度部门整体支出绩效自评价报告"},
                       budget={"expenditure": "6900.00"}, rate="94.78%"),)),
]

# ---- WVR: waivers (applied by the review pass over the report; `run_batch` applies every case's waivers)
SCORE_9 = edit(ind={"C11": {"score": "9"}})          # SCR001 on C11
CASES += [
    C("WVR001", "fail", "expired-waiver-still-matches", SCORE_9, says="2020-01-01",
      waivers=({"rule": "SCR001", "indicator": "C11", "reason": "已说明", "expires": "2020-01-01"},)),
    C("WVR001", "pass", "waiver-in-force", SCORE_9,
      waivers=({"rule": "SCR001", "indicator": "C11", "reason": "已说明", "expires": "2999-12-31"},)),
    C("WVR001", "pass", "expired-waiver-matches-nothing", nothing,
      waivers=({"rule": "SCR001", "reason": "已说明", "expires": "2020-01-01"},)),
]


# ================================================================================================
# the batch: every case (and every base) in one run of the real pipeline
# ================================================================================================

BASES: dict[str, tuple[str | None, dict]] = {
    "base-dept": (None, BASE_DEPT), "base-project": (P, BASE_PROJECT), "base-generic": (G, BASE_GENERIC)}
GROUPS = {None: "dept", P: "project", G: "generic"}


@dataclass
class Batch:
    findings: Any                    # pandas.DataFrame of findings (check.FINDING_COLUMNS)
    tables: Any                      # normalize.Tables of the run (of the first group that ran, after a crash)
    ids: dict[str, str]              # case id / base name → submission id in the run
    group_of: dict[str, str]         # case id / base name → profile group (dept | project | generic)
    errors: dict[str, str]           # group → exception text, when a group could not be run at all


def write_batch(directory: Path) -> tuple[list[Path], dict[str, str], dict[str, str]]:
    """Write one JSON array per profile group; return (paths, id map, group of each id)."""
    directory.mkdir(parents=True, exist_ok=True)
    groups: dict[str, list[Any]] = {g: [] for g in GROUPS.values()}
    ids: dict[str, str] = {}
    group_of: dict[str, str] = {}
    for name, (profile, base) in BASES.items():
        d = copy.deepcopy(base)
        d["id"] = name
        groups[GROUPS[profile]].append(d)
        ids[name], group_of[name] = name, GROUPS[profile]
    seen = set()
    files: list[Path] = []
    for case in CASES:
        assert case.id not in seen, f"duplicate case id {case.id}"
        seen.add(case.id)
        g = GROUPS[case.profile]
        if case.file is not None:        # its own input file, named after the case: the submission id is the case id
            built = case.file(directory, case.submission())
            built = built if isinstance(built, list) else [built]
            files.extend(built)
            ids[case.id], group_of[case.id] = case.id, g
            for extra in built[1:]:     # companion files: their stems are their ids
                ids[extra.stem], group_of[extra.stem] = extra.stem, g
            continue
        obj = case.submission()
        ids[case.id] = case.id if isinstance(obj, dict) else f"cases-{g}#{len(groups[g])}"
        group_of[case.id] = g
        groups[g].append(obj)
        for n, mutate in enumerate(case.companions, start=1):
            other = copy.deepcopy(obj)
            other = mutate(other) or other
            other["id"] = f"{case.id}~c{n}"
            ids[other["id"]], group_of[other["id"]] = other["id"], g
            groups[g].append(other)
    paths = []
    for g, items in groups.items():
        p = directory / f"cases-{g}.json"
        p.write_text(json.dumps(items, ensure_ascii=False, indent=1), encoding="utf-8")
        paths.append(p)
    return paths + files, ids, group_of


_MEMO: dict[str, Batch] = {}


def run_batch(directory: Path) -> Batch:
    """Run every case in one `run_check` call (memoised per process). Should a whole group break the run
    (a broken built-in profile raises before any finding), the groups are run separately so the others still
    report; `errors` then names the broken group."""
    if "batch" in _MEMO:
        return _MEMO["batch"]
    import pandas as pd

    from budget_audit.pipeline import run_check

    paths, ids, group_of = write_batch(directory)
    errors: dict[str, str] = {}
    try:
        res = run_check([str(p) for p in paths])
        findings, tables = res.findings, res.tables
    except Exception:                       # isolate the broken group(s)
        parts, tables = [], None
        for p in paths:
            try:
                r = run_check([str(p)])
            except Exception as exc:        # noqa: BLE001 — reported through Batch.errors
                errors[p.stem.removeprefix("cases-")] = f"{type(exc).__name__}: {exc}"
                continue
            parts.append(r.findings)
            tables = tables or r.tables
        findings = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    findings = _with_waiver_findings(findings, tables)
    batch = Batch(findings, tables, ids, group_of, errors)
    _MEMO["batch"] = batch
    return batch


def _with_waiver_findings(findings: Any, tables: Any) -> Any:
    """The cases' waivers (each scoped to its case's submission) applied by the review pass over the report of
    the run; the WVR findings it adds join the findings table like any other."""
    import pandas as pd

    from budget_audit.findings import FINDING_COLUMNS
    from budget_audit.pipeline import RunResult
    from budget_audit.report import build_report
    from budget_audit.report.review import Review, Waiver

    waivers = [Waiver.model_validate({**w, "submission": c.id}) for c in CASES for w in c.waivers]
    if not waivers or tables is None:
        return findings
    report = Review(waivers).apply(build_report(RunResult(tables, findings, tables.profiles)))
    rows = [{"submission_id": s["id"], "rule": f["rule"], "slug": f["slug"], "severity": f["severity"],
             "section": f["section"], "indicator": f["indicator"], "location": f["location"],
             "expected": f["expected"], "actual": f["actual"], "tolerance": f["tolerance"],
             "message_zh": f["message"]["zh"], "message_en": f["message"]["en"], "table": "submissions",
             "row_order": (0, -1)}
            for s in report["submissions"] for f in s["findings"] if f["rule"].startswith("WVR")]
    return pd.concat([findings, pd.DataFrame(rows, columns=FINDING_COLUMNS)], ignore_index=True) if rows else findings


def cases_for(rule: str) -> list[Case]:
    return [c for c in CASES if c.rule == rule]
