"""Readers on real files: workbooks written by openpyxl, CSV encoded in GBK / UTF-8 with BOM."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from budget_audit.readers import read_inputs
from budget_audit.readers.csv_reader import read_csv_file, read_csv_folder
from budget_audit.readers.headers import INDICATOR_FIELDS, column_field
from budget_audit.readers.layout import cell_name, col_letters
from budget_audit.readers.xlsx_reader import read_xlsx
from budget_audit.writers.csv_folder import write_csv_folder
from budget_audit.writers.template import write_workbook
from budget_audit.parse.values import clean_text

_NUM = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def n(v: Any) -> Any:
    """Compare printed values across formats: numbers as float, text stripped, '' → None."""
    if v is None:
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return float(v)
    s = str(v).strip()
    if not s:
        return None
    return float(s) if _NUM.fullmatch(s) else s


def read1(path: Path):
    subs = read_xlsx(path, str(path), "sha")
    assert len(subs) == 1
    return subs[0]


def str007(sub) -> bool:
    return sub.data is None and [p.rule for p in sub.problems] == ["STR007"]


def rules(sub) -> list[str]:
    return [p.rule for p in sub.problems]


# ============================================================================================
# our own workbook: write → read gives the same data, loc points at the cells
# ============================================================================================


@pytest.fixture
def seed_book(seed, tmp_path):
    path = write_workbook(tmp_path / "seed.xlsx", seed["profile"], seed)
    return path, read1(path)


class TestRoundTrip:
    def test_no_problems_and_ids(self, seed_book):
        path, sub = seed_book
        assert sub.problems == []
        assert sub.id == "seed" and sub.reader == "xlsx" and sub.sha256 == "sha"

    def test_top_fields(self, seed, seed_book):
        _, sub = seed_book
        for key in ("unit", "year", "profile"):
            assert n(sub.data[key]) == n(seed[key])

    def test_every_indicator_field(self, seed, seed_book):
        _, sub = seed_book
        got = sub.data["indicators"]
        assert len(got) == len(seed["indicators"]) == 39
        for want, have in zip(seed["indicators"], got):
            assert set(have) == set(INDICATOR_FIELDS)
            for f in INDICATOR_FIELDS:
                w, h = n(want[f]), n(have[f])
                if f == "name":   # labels are split by values.split_code_name (clean_text applied)
                    w = clean_text(w)
                assert h == w, (want["code"], f, want[f], have[f])

    def test_every_budget_key(self, seed, seed_book):
        _, sub = seed_book
        for key, want in seed["budget"].items():
            assert n(sub.data["budget"].get(key)) == n(want), key

    def test_statements_in_order(self, seed, seed_book):
        _, sub = seed_book
        got = [(s["quantity"], n(s["value"]), s["where"]) for s in sub.data["statements"]]
        want = [(s["quantity"], n(s["value"]), s["where"]) for s in seed["statements"]]
        assert got == want

    def test_sections_and_groups(self, seed, seed_book):
        _, sub = seed_book
        assert [(s["code"], s["name"], n(s["points"])) for s in sub.data["sections"]] == [
            (s["code"], s["name"], n(s["points"])) for s in seed["sections"]]
        assert [(g["section"], g["code"], g["name"]) for g in sub.data["groups"]] == [
            (g["section"], g["code"], g["name"]) for g in seed["groups"]]

    def test_loc_points_at_the_cells(self, seed_book):
        from openpyxl import load_workbook

        path, sub = seed_book
        wb = load_workbook(path)
        checked = 0
        for p, loc in sub.loc.items():
            assert set(loc) == {"sheet", "cell"}, p
            cell = wb[loc["sheet"]][loc["cell"]].value
            obj: Any = sub.data
            for part in re.findall(r"[^.\[\]]+", p):
                obj = obj[int(part)] if part.isdigit() else obj[part]
            if re.fullmatch(r"(indicators\[\d+\]\.(name|code|section|group))|((sections|groups)\[\d+\]\.\w+)"
                            r"|statements\[\d+\]\.quantity", p):
                assert cell is not None and clean_text(obj) in clean_text(cell) or p.endswith("quantity"), (p, cell)
            else:
                assert n(cell) == n(obj), (p, cell, obj)
            checked += 1
        assert checked > 39 * 8
        # a few exact cells of the layout
        assert sub.loc["indicators[9].actual"] == {"sheet": "指标得分表", "cell": "H12"}
        assert sub.loc["indicators[9].score"] == {"sheet": "指标得分表", "cell": "J12"}
        assert sub.loc["budget.execution_rate"]["sheet"] == "预算执行"
        assert sub.loc["sections[0].points"] == {"sheet": "指标得分表", "cell": "A3"}
        assert sub.loc["statements[0].value"] == {"sheet": "自评结论", "cell": "B2"}
        assert sub.loc["year"] == {"sheet": "基本信息", "cell": "B3"}

    def test_every_value_has_a_loc(self, seed_book):
        _, sub = seed_book
        for j, ind in enumerate(sub.data["indicators"]):
            for f, v in ind.items():
                if v is not None:
                    assert f"indicators[{j}].{f}" in sub.loc, (j, f)
        for k, v in sub.data["budget"].items():
            if v is not None:
                assert f"budget.{k}" in sub.loc
        for k in range(len(sub.data["statements"])):
            assert f"statements[{k}].value" in sub.loc

    def test_merged_blocks_carry_section_and_group_down(self, seed_book):
        from openpyxl import load_workbook

        path, sub = seed_book
        ws = load_workbook(path)["指标得分表"]
        assert any(str(r) .startswith("A3:A") for r in ws.merged_cells.ranges)
        a12 = next(i for i in sub.data["indicators"] if i["code"] == "A12")
        assert (a12["section"], a12["group"]) == ("A", "A1")
        assert ws[sub.loc["indicators[1].name"]["cell"]].value == "A12决策流程的科学性"
        assert ws["A4"].value is None and ws["B4"].value is None   # blanks under the merge

    def test_extension_lies_xls(self, seed_book, tmp_path):
        path, _ = seed_book
        fake = tmp_path / "seed-as.xls"
        fake.write_bytes(path.read_bytes())
        sub = read1(fake)
        assert sub.problems == [] and len(sub.data["indicators"]) == 39

    def test_csv_folder_round_trip_gbk(self, seed, tmp_path):
        folder = write_csv_folder(tmp_path / "seed-csv", seed, encoding="gbk")
        raw = (folder / "indicators.csv").read_bytes()
        raw.decode("gbk")
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        sub = read_csv_folder(folder, str(folder))[0]
        assert sub.problems == [] and sub.id == "seed-csv" and sub.reader == "csv"
        for want, have in zip(seed["indicators"], sub.data["indicators"], strict=True):
            for f in INDICATOR_FIELDS:
                w = clean_text(want[f]) if f == "name" else n(want[f])
                assert n(have[f]) == n(w), (want["code"], f)
        for key, want in seed["budget"].items():
            assert n(sub.data["budget"].get(key)) == n(want), key
        assert [(s["quantity"], n(s["value"])) for s in sub.data["statements"]] == [
            (s["quantity"], n(s["value"])) for s in seed["statements"]]
        assert sub.loc["indicators[0].score"] == {"file": "indicators.csv", "line": 2, "column": "得分"}
        assert sub.loc["budget.execution_rate"]["file"] == "meta.yaml"
        line = sub.loc["budget.execution_rate"]["line"]
        assert "execution_rate" in (folder / "meta.yaml").read_text(encoding="utf-8").splitlines()[line - 1]


# ============================================================================================
# real-world variants
# ============================================================================================

HEADER_TRAD = ["一級指標", "二級指標", "三級指標", "權重", "年度指標值", "實際完成值", "得分(20分)", "評分標準", "未完成原因"]


@pytest.fixture
def lone_sheet(make_workbook):
    rows = [
        ["2023年某某局整体绩效评价指标得分表"],
        ["填报单位：某某局", None, None, None, None, None, "单位：万元"],
        HEADER_TRAD,
        ["A部門決策（5分）", "A1決策機制", "A11决策制度的规范性", 2, "规范", "规范", 2, "规范得2分", None],
        [None, None, "★A12决策流程的科学性", 3, "科学", "科学", 3, "科学得3分", None],
        ["B部门管理（10分）", "B1预算执行", "B11部门预算执行率", 4, "≥90%", "95%", 4, "达到90%得4分", None],
        [None, None, "其中：基本支出执行率", None, None, "96%", None, None, None],
        HEADER_TRAD,
        [None, "B2资产管理", "B21资产管理制度健全性", 6, "健全", "较健全", 5, "健全得6分，较健全得5分", "部分制度未更新"],
        ["B小计", None, None, 10, None, None, 9, None, None],
        ["合计", None, None, 15, None, None, 14, None, None],
        ["注：本表由单位自评填写"],
    ]
    path = make_workbook({"Sheet1": rows}, "lone.xlsx")
    return path, read1(path)


class TestVariants:
    def test_lone_score_sheet_any_name(self, lone_sheet):
        _, sub = lone_sheet
        assert sub.problems == []
        assert sub.id == "lone" and sub.data["budget"]["initial_budget"] is None   # no budget sheet
        codes = [(i["section"], i["group"], i["code"], i["name"]) for i in sub.data["indicators"]]
        assert codes == [("A", "A1", "A11", "决策制度的规范性"), ("A", "A1", "A12", "决策流程的科学性"),
                         ("B", "B1", "B11", "部门预算执行率"), ("B", "B2", "B21", "资产管理制度健全性")]

    def test_traditional_synonym_headers_in_any_order(self, lone_sheet):
        _, sub = lone_sheet
        b21 = sub.data["indicators"][3]
        assert (b21["weight"], b21["score"], b21["target"], b21["actual"]) == (6, 5, "健全", "较健全")
        assert b21["method"] == "健全得6分，较健全得5分" and b21["deviation_reason"] == "部分制度未更新"
        assert sub.loc["indicators[3].score"] == {"sheet": "Sheet1", "cell": "G9"}
        assert sub.loc["indicators[3].weight"] == {"sheet": "Sheet1", "cell": "D9"}

    def test_points_in_labels_and_traditional_names(self, lone_sheet):
        _, sub = lone_sheet
        assert sub.data["sections"] == [{"code": "A", "name": "部门决策", "points": "5"},
                                        {"code": "B", "name": "部门管理", "points": "10"}]
        assert [g["code"] for g in sub.data["groups"]] == ["A1", "B1", "B2"]
        assert sub.loc["sections[0].points"] == {"sheet": "Sheet1", "cell": "A4"}

    def test_total_and_subtotal_rows_are_statements(self, lone_sheet):
        _, sub = lone_sheet
        st = [(s["quantity"], s["value"]) for s in sub.data["statements"]]
        assert st == [("section:B", 9), ("total", 14)]
        assert sub.loc["statements[1].value"] == {"sheet": "Sheet1", "cell": "G11"}
        assert all(i["name"] not in ("合计", "小计") for i in sub.data["indicators"])

    def test_preamble_title_unit_currency(self, lone_sheet):
        _, sub = lone_sheet
        assert sub.data["title"] == "2023年某某局整体绩效评价指标得分表"
        assert sub.data["unit"] == "某某局"
        assert sub.data["budget"]["currency_unit"] == "万元"
        assert sub.loc["unit"] == {"sheet": "Sheet1", "cell": "A2"}

    def test_breakdown_row_and_repeated_header_skipped(self, lone_sheet):
        _, sub = lone_sheet
        names = [i["name"] for i in sub.data["indicators"]]
        assert not any("其中" in x for x in names) and "三级指标" not in names and len(names) == 4

    def test_parent_rows_with_weights(self, make_workbook):
        rows = [
            ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
            ["产出指标", None, None, None, None, 50, 48, None],
            [None, "数量指标", None, None, None, 20, 20, None],
            [None, None, "投放车辆", "≥3000辆", "3050辆", 20, 20, None],
            [None, "质量指标", None, None, None, 30, 28, None],
            [None, None, "车辆完好率", "≥95%", "93%", 30, 28, "车辆老化"],
            ["满意度指标", "服务对象满意度指标", None, "≥90%", "93%", 10, 10, None],
        ]
        sub = read1(make_workbook({"自评表": rows}))
        assert [(i["section"], i["group"], i["name"], i["weight"]) for i in sub.data["indicators"]] == [
            ("产出指标", "数量指标", "投放车辆", 20), ("产出指标", "质量指标", "车辆完好率", 30),
            ("满意度指标", "服务对象满意度指标", "服务对象满意度指标", 10)]
        assert sub.data["sections"][0] == {"code": None, "name": "产出指标", "points": 50}
        assert sub.loc["sections[0].points"] == {"sheet": "自评表", "cell": "F2"}
        assert [(g["name"], g["points"]) for g in sub.data["groups"]] == [
            ("数量指标", 20), ("质量指标", 30), ("服务对象满意度指标", None)]
        assert [(s["quantity"], s["value"]) for s in sub.data["statements"]] == [("section:产出指标", 48)]

    def test_real_merged_cells(self, make_workbook):
        rows = [["一级指标", "二级指标", "三级指标", "权值", "得分"],
                ["产出指标（20分）", "数量指标", "指标甲", 10, 10],
                [None, None, "指标乙", 5, 4],
                [None, "质量指标", "指标丙", 5, 5],
                ["满意度指标", "满意度", "满意度调查", 10, 9]]
        sub = read1(make_workbook({"表1": rows}, merges={"表1": ["A2:A4", "B2:B3"]}))
        assert [(i["section"], i["group"]) for i in sub.data["indicators"]] == [
            ("产出指标", "数量指标"), ("产出指标", "数量指标"), ("产出指标", "质量指标"), ("满意度指标", "满意度")]
        assert sub.loc["indicators[1].section"] == {"sheet": "表1", "cell": "A2"}

    def test_single_column_hierarchy(self, make_workbook):
        rows = [["三级指标", "标准值", "完成值", "权值", "得分"],
                ["A部门决策（1 分）"], ["A1决策机制"], ["A11决策制度的规范性", "规范", "规范", 2, 2],
                ["B部门管理（2 分）"], ["B1预算执行"], ["B11部门预算执行率", "90%", "97%", 2, 2]]
        sub = read1(make_workbook({"附件": rows}))
        assert [(s["code"], s["points"]) for s in sub.data["sections"]] == [("A", "1"), ("B", "2")]
        assert [(i["section"], i["group"], i["code"]) for i in sub.data["indicators"]] == [
            ("A", "A1", "A11"), ("B", "B1", "B11")]

    def test_wrapped_text_rows_rejoined(self, make_workbook):
        rows = [["三级指标", "权值", "得分", "评分办法"],
                ["A11决策制度的规范性", 2, 2, "评价为“规范”得2分，“较规"],
                [None, None, None, "范”得1分"]]
        sub = read1(make_workbook({"S": rows}))
        assert len(sub.data["indicators"]) == 1
        assert sub.data["indicators"][0]["method"] == "评价为“规范”得2分，“较规范”得1分"

    @pytest.mark.parametrize("word", ["合计", "总分", "总计", "合  计"])
    def test_total_words(self, make_workbook, word):
        rows = [["三级指标", "权值", "得分"], ["甲", 60, 55], ["乙", 40, 40], [word, 100, 95]]
        sub = read1(make_workbook({"S": rows}))
        assert [i["name"] for i in sub.data["indicators"]] == ["甲", "乙"]
        assert sub.data["statements"] == [{"quantity": "total", "value": 95, "where": f"S {clean_text(word)}"}]

    def test_named_subtotal_and_rows_after_the_total(self, make_workbook):
        rows = [["一级指标", "三级指标", "权值", "得分"],
                ["产出指标", "甲", 60, 55], [None, "乙", 20, 20], ["产出指标合计", None, 80, 75],
                ["满意度指标", "丙", 20, 18],
                ["合计", None, 100, 93],
                ["满意度指标", "丁（补录）", 0, 0],
                ["填表人：张三", None, None, None]]
        sub = read1(make_workbook({"S": rows}))
        assert [i["name"] for i in sub.data["indicators"]] == ["甲", "乙", "丙", "丁(补录)"]   # names go through clean_text (NFKC)
        assert [(s["quantity"], s["value"]) for s in sub.data["statements"]] == [("section:产出指标", 75),
                                                                                  ("total", 93)]

    def test_header_found_below_title_rows_and_numbers_kept(self, make_workbook):
        rows = [[None], ["项目支出绩效自评表"], ["（2023年度）"], [None],
                ["序号", "绩效指标", "指标性质", "年度目标值", "度量单位", "全年实际值", "权重", "自评得分", "偏差原因"],
                [1, "★培训人次", "≥", 3000, "人次", 3100, 10.0, 9.5, "个别场次取消"]]
        sub = read1(make_workbook({"Sheet1": rows}))
        i = sub.data["indicators"][0]
        assert (i["name"], i["operator"], i["target"], i["unit"], i["actual"], i["weight"], i["score"]) == (
            "培训人次", "≥", 3000, "人次", 3100, 10.0, 9.5)
        assert isinstance(i["target"], (int, float)) and isinstance(i["score"], float)
        assert sub.loc["indicators[0].score"] == {"sheet": "Sheet1", "cell": "H6"}

    def test_two_row_header(self, make_workbook):
        rows = [["指标", None, None, "权值", "得分"],
                ["一级指标", "二级指标", "三级指标", None, None],
                ["产出指标", "数量指标", "指标甲", 10, 9]]
        sub = read1(make_workbook({"S": rows}))
        i = sub.data["indicators"][0]
        assert (i["section"], i["group"], i["name"], i["weight"], i["score"]) == ("产出指标", "数量指标", "指标甲", 10, 9)

    def test_missing_score_column_is_one_str009_naming_the_sheet(self, make_workbook):
        """A form that prints no score column (a target-completion form) is a layout: one info, not an error per row."""
        rows = [["一级指标", "二级指标", "三级指标", "权值", "评分办法"], ["A部门决策", "A1决策机制", "A11甲", 2, "…"]]
        sub = read1(make_workbook({"得分表": rows}))
        assert rules(sub) == ["STR009"]
        p = sub.problems[0]
        assert "得分表" in p.detail_zh and "得分" in p.detail_zh
        assert p.location["sheet"] == "得分表"
        assert sub.data["indicators"][0]["weight"] == 2     # what could be read is still returned

    def test_no_score_table(self, make_workbook):
        sub = read1(make_workbook({"基本信息": [["项目", "内容"], ["单位名称", "某局"], ["评价年度", 2023]]}))
        assert rules(sub) == ["STR001"] and "找不到指标得分表" in sub.problems[0].detail_zh
        assert sub.data["unit"] == "某局" and sub.data["indicators"] == []

    def test_meta_sheets_optional(self, lone_sheet):
        _, sub = lone_sheet
        assert "year" not in sub.data and "profile" not in sub.data

    def test_national_project_form(self, make_workbook):
        rows = [
            ["项目支出绩效自评表"],
            ["（2023年度）"],
            ["项目名称", "公共自行车运营维护", None, None, None, None, None, None],
            ["主管部门", "某市城管局", None, None, "实施单位", "某市公共自行车公司"],
            ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
            [None, "年度资金总额", 500, 520, 499.2, 10, "96%", 9.6],
            [None, "其中：当年财政拨款", 500, 520, 499.2, None, None, None],
            ["年度总体目标", "预期目标", None, None, "实际完成情况"],
            [None, "保障公共自行车正常运营", None, None, "已完成"],
            ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
            [None, "产出指标", "数量指标", "投放车辆数", "≥3000辆", "3050辆", 20, 20, None],
            [None, None, "质量指标", "车辆完好率", "≥95%", "93%", 20, 19.58, "车辆老化"],
            [None, "满意度指标", "服务对象满意度指标", "市民满意度", "≥90%", "93%", 10, 10, None],
            ["总分", None, None, None, None, None, 100, 99.18],
        ]
        sub = read1(make_workbook({"自评表": rows}))
        assert sub.problems == []
        d = sub.data
        # the unit is the one that carries out (and evaluates) the project: 实施单位 before 主管部门
        assert (d["project"], d["unit"], d["title"]) == ("公共自行车运营维护", "某市公共自行车公司", "项目支出绩效自评表")
        b = d["budget"]
        assert (b["initial_budget"], b["adjusted_budget"], b["expenditure"], b["weight"], b["execution_rate"],
                b["score"], b["currency_unit"]) == (500, 520, 499.2, 10, "96%", 9.6, "万元")
        assert sub.loc["budget.score"] == {"sheet": "自评表", "cell": "H6"}
        assert [(i["section"], i["group"], i["name"], i["score"]) for i in d["indicators"]] == [
            ("产出指标", "数量指标", "投放车辆数", 20), ("产出指标", "质量指标", "车辆完好率", 19.58),
            ("满意度指标", "服务对象满意度指标", "市民满意度", 10)]
        assert [(s["quantity"], s["value"]) for s in d["statements"]] == [("total", 99.18)]

    def test_info_sheet_as_grid(self, make_workbook):
        sheets = {"基本信息": [["单位名称", "某局", "评价年度", 2023], ["评价模板：dept-overall-105"]],
                  "得分表": [["三级指标", "权值", "得分"], ["甲", 1, 1]]}
        sub = read1(make_workbook(sheets))
        assert (sub.data["unit"], sub.data["year"], sub.data["profile"]) == ("某局", 2023, "dept-overall-105")
        assert sub.loc["year"] == {"sheet": "基本信息", "cell": "D1"}

    def test_long_form_workbook(self, make_workbook):
        rows = [["submission_id", "单位名称", "三级指标", "权值", "得分"],
                ["u1", "甲单位", "指标一", 50, 50], ["u2", "乙单位", "指标一", 100, 90], ["u1", None, "指标二", 50, 45]]
        subs = read_xlsx(make_workbook({"batch": rows}), "b.xlsx", None)
        assert [(s.id, s.source, s.data["unit"], len(s.data["indicators"])) for s in subs] == [
            ("u1", "b.xlsx#0", "甲单位", 2), ("u2", "b.xlsx#1", "乙单位", 1)]
        assert subs[0].loc["indicators[1].score"] == {"sheet": "batch", "cell": "E4"}


def test_cell_names():
    assert [col_letters(i) for i in (0, 7, 25, 26, 27, 701, 702)] == ["A", "H", "Z", "AA", "AB", "ZZ", "AAA"]
    assert cell_name(11, 7) == "H12"


@pytest.mark.parametrize("header,field", [("權值", "weight"), ("分值", "weight"), ("权重", "weight"),
                                          ("得分（20分）", "score"), ("年度指标值", "target"), ("年度目标值", "target"),
                                          ("全年实际值", "actual"), ("实际完成值", "actual"), ("评分标准", "method"),
                                          ("未完成原因", "deviation_reason"), ("偏差原因分析及改进措施", "deviation_reason"),
                                          ("指标性质", "operator"), ("度量单位", "unit"), ("項目", None),
                                          ("三级指标", "name"), ("一级指标", "section")])
def test_header_synonyms(header, field):
    assert column_field(header) == field


# ============================================================================================
# broken files → STR007, never an exception
# ============================================================================================


class TestBroken:
    def test_random_bytes(self, tmp_path):
        p = tmp_path / "random.xlsx"
        p.write_bytes(os.urandom(4096))
        assert str007(read1(p))

    def test_empty_file(self, tmp_path):
        p = tmp_path / "empty.xlsx"
        p.write_bytes(b"")
        sub = read1(p)
        assert str007(sub) and "空" in sub.problems[0].detail_zh

    def test_text_renamed(self, tmp_path):
        p = tmp_path / "table.xlsx"
        p.write_text("三级指标,权值,得分\n甲,1,1\n", encoding="utf-8")
        sub = read1(p)
        assert str007(sub) and "文本" in sub.problems[0].detail_zh

    def test_encrypted_ole(self, tmp_path):
        p = tmp_path / "locked.xlsx"
        p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000 + "EncryptedPackage".encode("utf-16-le")
                      + b"\x00" * 3000)
        sub = read1(p)
        assert str007(sub) and "加密" in sub.problems[0].detail_zh and "encrypted" in sub.problems[0].detail_en

    def test_broken_ole(self, tmp_path):
        p = tmp_path / "old.xls"
        p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(2000))
        assert str007(read1(p))

    def test_html_renamed_as_xls(self, tmp_path):
        p = tmp_path / "export.xls"
        p.write_text("<html><body><table><tr><td>三级指标</td></tr></table></body></html>", encoding="utf-8")
        sub = read1(p)
        assert str007(sub) and "HTML" in sub.problems[0].detail_zh

    def test_zip_that_is_not_a_workbook(self, tmp_path):
        import zipfile

        p = tmp_path / "notbook.xlsx"
        with zipfile.ZipFile(p, "w") as z:
            z.writestr("hello.txt", "hi")
        assert str007(read1(p))

    def test_truncated_workbook(self, seed, tmp_path):
        full = write_workbook(tmp_path / "full.xlsx", seed["profile"], seed)
        p = tmp_path / "cut.xlsx"
        p.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
        assert str007(read1(p))

    def test_empty_workbook(self, tmp_path):
        from openpyxl import Workbook

        p = tmp_path / "blank.xlsx"
        Workbook().save(p)
        sub = read1(p)
        assert str007(sub) and "为空" in sub.problems[0].detail_zh

    def test_dispatch_never_raises(self, tmp_path):
        (tmp_path / "a.xlsx").write_bytes(os.urandom(100))
        (tmp_path / "b.xlsx").write_bytes(b"")
        (tmp_path / "c.xls").write_text("<html></html>")
        (tmp_path / "d.csv").write_bytes(b"a,b\n\xff\xff,1\n")
        subs = read_inputs([tmp_path])
        assert [s.id for s in subs] == ["a", "b", "c", "d"]
        assert all(str007(s) for s in subs)


# ============================================================================================
# CSV
# ============================================================================================

HIER_ROWS = [
    ["一级指标", "二级指标", "三级指标", "标准值", "完成值", "权值", "得分", "评分办法"],
    ["A部门决策（5分）", "A1决策机制", "A11决策制度的规范性", "规范", "规范", "2", "2", "规范得2分"],
    ["", "", "A12决策流程的科学性", "科学", "科学", "3", "3", "科学得3分"],
    ["B部门管理（2分）", "B1预算执行", "B11部门预算执行率", "≥90%", "97%", "2", "1.5", "达到90%得2分"],
    ["合计", "", "", "", "", "7", "6.5", ""],
]


class TestCsv:
    def test_gbk_folder_with_meta_yaml(self, write_csv, tmp_path):
        write_csv("unit-a/indicators.csv", HIER_ROWS, "gbk")
        (tmp_path / "unit-a" / "meta.yaml").write_text(
            "unit: 甲单位\nyear: 2023\nprofile: dept-overall-105\nbudget:\n  adjusted_budget: '100.00'\n"
            "  expenditure: '97.00'\n  execution_rate: 97%\nstatements:\n  - {quantity: grade, value: 优, where: 结论}\n",
            encoding="utf-8")
        sub = read_csv_folder(tmp_path / "unit-a", "unit-a")[0]
        assert sub.problems == [] and sub.id == "unit-a"
        d = sub.data
        assert (d["unit"], d["year"], d["profile"]) == ("甲单位", 2023, "dept-overall-105")
        assert [(i["section"], i["group"], i["code"], i["weight"], i["score"]) for i in d["indicators"]] == [
            ("A", "A1", "A11", "2", "2"), ("A", "A1", "A12", "3", "3"), ("B", "B1", "B11", "2", "1.5")]
        assert [(s["code"], s["points"]) for s in d["sections"]] == [("A", "5"), ("B", "2")]
        assert d["budget"]["execution_rate"] == "97%" and d["budget"]["adjusted_budget"] == "100.00"
        assert [(s["quantity"], s["value"]) for s in d["statements"]] == [("total", "6.5"), ("grade", "优")]
        assert sub.loc["indicators[2].score"] == {"file": "indicators.csv", "line": 4, "column": "得分"}
        assert sub.loc["budget.execution_rate"] == {"file": "meta.yaml", "line": 7}
        assert sub.loc["statements[1].value"] == {"file": "meta.yaml", "line": 9}
        assert sub.loc["year"] == {"file": "meta.yaml", "line": 2}
        assert sub.sha256 and len(sub.sha256) == 64

    def test_bom_flat_folder_with_budget_and_statements_csv(self, write_csv, tmp_path):
        flat = [["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "实际完成值", "分值", "得分",
                 "偏差原因分析及改进措施"],
                ["产出指标(50分)", "数量指标", "培训人次", "≥", "3000", "人次", "3100", "30", "30", ""],
                ["产出指标(50分)", "质量指标", "合格率", "≥", "95", "%", "93", "20", "19.58", "设备老化"],
                ["满意度指标(10分)", "服务对象满意度指标", "满意度", "≥", "90", "%", "92", "10", "10", ""]]
        write_csv("p/indicators.csv", flat, "utf-8-sig")
        write_csv("p/budget.csv", [["项目", "数值"], ["全年预算数", "520.00"], ["全年执行数", "499.20"],
                                   ["预算执行率", "96%"], ["分值", "10"], ["得分", "9.6"]], "utf-8-sig")
        write_csv("p/statements.csv", [["项目", "数值", "出处"], ["自评总分", "89.18", "结论"],
                                       ["产出指标得分", "49.58", ""]], "gbk")
        sub = read_csv_folder(tmp_path / "p", "p")[0]
        assert sub.problems == []
        d = sub.data
        assert [(i["section"], i["group"], i["name"], i["unit"]) for i in d["indicators"]] == [
            ("产出指标", "数量指标", "培训人次", "人次"), ("产出指标", "质量指标", "合格率", "%"),
            ("满意度指标", "服务对象满意度指标", "满意度", "%")]
        assert [(s["name"], s["points"]) for s in d["sections"]] == [("产出指标", "50"), ("满意度指标", "10")]
        b = d["budget"]
        assert (b["adjusted_budget"], b["expenditure"], b["execution_rate"], b["weight"], b["score"]) == (
            "520.00", "499.20", "96%", "10", "9.6")
        assert sub.loc["budget.score"] == {"file": "budget.csv", "line": 6, "column": "数值"}
        assert [(s["quantity"], s["value"], s["where"]) for s in d["statements"]] == [
            ("total", "89.18", "结论"), ("section:产出指标", "49.58", "statements.csv 产出指标得分")]

    def test_meta_json(self, write_csv, tmp_path):
        write_csv("j/indicators.csv", HIER_ROWS)
        (tmp_path / "j" / "meta.json").write_text(json.dumps(
            {"unit": "乙", "year": 2022, "budget": {"execution_rate": "90%"}}, ensure_ascii=False, indent=1),
            encoding="utf-8")
        sub = read_csv_folder(tmp_path / "j", "j")[0]
        assert sub.data["unit"] == "乙" and sub.data["budget"]["execution_rate"] == "90%"
        assert sub.loc["budget.execution_rate"]["file"] == "meta.json" and sub.loc["budget.execution_rate"]["line"] == 5

    def test_broken_meta_is_unreadable(self, write_csv, tmp_path):
        write_csv("m/indicators.csv", HIER_ROWS)
        (tmp_path / "m" / "meta.yaml").write_text("unit: [unclosed\n", encoding="utf-8")
        sub = read_csv_folder(tmp_path / "m", "m")[0]
        assert str007(sub) and "meta.yaml" in sub.problems[0].detail_zh

    def test_undecodable_folder(self, tmp_path):
        (tmp_path / "bad").mkdir()
        (tmp_path / "bad" / "indicators.csv").write_bytes(b"\xff\xff\xfa,\x81\n")
        sub = read_csv_folder(tmp_path / "bad", "bad")[0]
        assert str007(sub) and "编码" in sub.problems[0].detail_zh

    def test_lone_csv_is_one_table(self, write_csv):
        p = write_csv("one.csv", HIER_ROWS, "gbk")
        subs = read_csv_file(p, str(p), "x")
        assert len(subs) == 1 and subs[0].id == "one" and len(subs[0].data["indicators"]) == 3
        assert subs[0].loc["indicators[0].name"] == {"file": "one.csv", "line": 2, "column": "三级指标"}

    def test_long_form_batch(self, write_csv):
        rows = [["submission_id", "unit", "year", "profile", "一级指标", "二级指标", "三级指标", "权值", "得分"],
                ["s2", "乙单位", "2023", "generic", "产出指标", "数量指标", "指标一", "60", "60"],
                ["s1", "甲单位", "2023", "generic", "产出指标", "数量指标", "指标一", "50", "45"],
                ["s2", "", "", "", "产出指标", "质量指标", "指标二", "40", "38"],
                ["s1", "", "", "", "满意度指标", "满意度", "指标三", "50", "50"]]
        p = write_csv("batch.csv", rows, "utf-8-sig")
        subs = read_csv_file(p, "batch.csv", "x")
        assert [(s.id, s.source, s.data["unit"], s.data["year"]) for s in subs] == [
            ("s2", "batch.csv#0", "乙单位", "2023"), ("s1", "batch.csv#1", "甲单位", "2023")]
        assert [(i["section"], i["group"], i["name"]) for i in subs[0].data["indicators"]] == [
            ("产出指标", "数量指标", "指标一"), ("产出指标", "质量指标", "指标二")]
        assert [(i["section"], i["name"]) for i in subs[1].data["indicators"]] == [
            ("产出指标", "指标一"), ("满意度指标", "指标三")]
        assert subs[1].loc["indicators[1].score"] == {"file": "batch.csv", "line": 5, "column": "得分"}
        assert all(s.problems == [] for s in subs)

    def test_csv_without_table(self, write_csv):
        p = write_csv("notes.csv", [["备注"], ["无"]])
        sub = read_csv_file(p, str(p), None)[0]
        assert rules(sub) == ["STR001"]

    def test_dispatch_csv_folder_and_datasets(self):
        root = Path(__file__).resolve().parents[1] / "datasets" / "examples"
        subs = read_inputs([root])
        assert subs and all(not s.unreadable and s.problems == [] for s in subs)
        kinds = {s.reader for s in subs}
        assert {"json", "xlsx", "csv"} <= kinds


def test_real_style_project_sheet_is_read_and_checked(tmp_path):
    """A hand-made MOF project form as units publish it: title with the year, budget grid, merged
    section cells, points in labels, 其中 row, 合计 row. Detected, read and checked without errors."""
    from openpyxl import Workbook

    from budget_audit.pipeline import run_check

    wb = Workbook()
    ws = wb.active
    for r in [
        ["项目支出绩效自评表（2023年度）"],
        ["项目名称", "城乡义务教育学生营养改善计划"],
        ["主管部门", "某县教育局", "实施单位", "某县教育局"],
        ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["", "年度资金总额", "500", "480", "456.5", "10", "95.1%", "9.51"],
        ["", "其中：当年财政拨款", "500", "480", "456.5", "—", "—", "—"],
        ["一级指标", "二级指标", "三级指标", "指标值", "全年实际值", "分值", "得分", "偏差原因分析及改进措施"],
        ["产出指标（50分）", "数量指标", "受益学生人数", "≥12000人", "12450人", "20", "20", ""],
        ["", "", "供餐天数", "≥200天", "196天", "10", "9.8", "受疫情影响停课4天"],
        ["", "质量指标", "食品安全事故", "＝0起", "0起", "10", "10", ""],
        ["", "时效指标", "资金拨付及时率", "100%", "100%", "10", "10", ""],
        ["效益指标（30分）", "社会效益指标", "学生营养状况改善", "有效改善", "有效改善", "30", "30", ""],
        ["满意度指标（10分）", "服务对象满意度指标", "家长满意度", "≥90%", "93%", "10", "10", ""],
        ["合计", "", "", "", "", "100", "99.31", ""],
    ]:
        ws.append(r)
    ws.merge_cells("A8:A11")
    path = tmp_path / "营养改善计划.xlsx"
    wb.save(path)
    result = run_check([str(path)])
    sub = result.tables.submissions.iloc[0]
    assert sub["profile"] == "project-mof-100" and sub["year"] == 2023
    assert sub["n_indicators"] == 6 and sub["score_total"] == pytest.approx(99.31)
    assert sub["execution_rate"] == pytest.approx(0.951)
    f = result.findings
    assert f[f["severity"] != "info"].empty, f[["rule", "message_zh"]].to_dict("records")
    # the 供餐天数 row scored 10 × 196/200 = 9.8 with a reason: machine-checked, no finding
    ind = result.tables.indicators.set_index("name")
    assert bool(ind.loc["供餐天数", "machine_checked"]) and ind.loc["供餐天数", "recomputed_high"] == pytest.approx(9.825)


def test_merged_name_cell_names_both_scored_lines(make_workbook):
    """A 三级指标 cell merged over two scored lines (two years, two targets) names both; a merged parent weight is
    not copied down (it would be counted twice)."""
    rows = [["一级指标", "二级指标", "三级指标", "指标值", "完成值", "分值", "得分"],
            ["产出指标", "数量指标", "培训人次", "≥100人", "120人", 10, 10],
            [None, None, None, "≥50人", "40人", 10, 8],
            [None, "质量指标", "合格率", "≥95%", "98%", 10, 10]]
    path = make_workbook({"S": rows}, merges={"S": ["C2:C3", "A2:A4"]})
    sub = read1(path)
    names = [(i["name"], i["score"]) for i in sub.data["indicators"]]
    assert names == [("培训人次", 10), ("培训人次", 8), ("合格率", 10)]
    assert [i["section"] for i in sub.data["indicators"]] == ["产出指标"] * 3
    from budget_audit.pipeline import check_raws
    assert "STR004" not in set(check_raws([sub]).findings["rule"])     # two lines of one name are not duplicates
