"""The workbook a unit fills in: blank templates per profile, filled workbooks, the CSV writer."""

from __future__ import annotations

from pathlib import Path

import pytest

from budget_audit.readers.csv_reader import read_csv_folder
from budget_audit.readers.headers import TEMPLATE_COLUMNS
from budget_audit.readers.xlsx_reader import read_xlsx
from budget_audit.writers.csv_folder import write_csv_folder
from budget_audit.writers.template import cell_value, write_template, write_workbook

PROFILES = ("dept-overall-105", "project-mof-100", "generic")
SHEETS = ["基本信息", "预算执行", "指标得分表", "自评结论"]


@pytest.fixture(params=PROFILES)
def blank(request, tmp_path):
    path = write_template(request.param, tmp_path / f"{request.param}.xlsx")
    return request.param, path


def _validations(ws) -> list:
    return list(ws.data_validations.dataValidation)


class TestBlank:
    def test_sheets_and_headers(self, blank):
        from openpyxl import load_workbook

        _, path = blank
        wb = load_workbook(path)
        assert wb.sheetnames == SHEETS
        ws = wb["指标得分表"]
        assert [ws.cell(row=2, column=j).value for j in range(1, 14)] == [label for _, label in TEMPLATE_COLUMNS]
        assert all(ws.cell(row=2, column=j).font.b for j in range(1, 14))
        assert [wb["基本信息"].cell(row=1, column=j).value for j in (1, 2)] == ["项目", "内容"]
        assert [wb["预算执行"].cell(row=1, column=j).value for j in (1, 2, 3)] == ["项目", "数值", "说明"]
        assert [wb["自评结论"].cell(row=1, column=j).value for j in (1, 2, 3)] == ["项目", "数值", "出处"]
        assert [wb["基本信息"].cell(row=r, column=1).value for r in range(2, 6)] == ["单位名称", "评价年度", "评价模板",
                                                                                "金额单位"]

    def test_frozen_widths_comments(self, blank):
        from openpyxl import load_workbook

        _, path = blank
        ws = load_workbook(path)["指标得分表"]
        assert ws.freeze_panes == "A3"
        assert ws.column_dimensions["C"].width >= 20
        assert ws["C2"].comment is not None and "A11" in ws["C2"].comment.text
        last = ws.max_row
        assert ws.cell(row=last, column=1).value == "合计"
        assert str(ws.cell(row=last, column=9).value).startswith("=SUM(I3:I")

    def test_data_validations(self, blank):
        from openpyxl import load_workbook

        name, path = blank
        wb = load_workbook(path)
        score = _validations(wb["指标得分表"])
        assert any(v.type == "list" and v.formula1 == '"=,≥,≤"' for v in score)
        nonneg = [v for v in score if v.type == "decimal" and v.operator == "greaterThanOrEqual"]
        assert nonneg and "I3" in str(nonneg[0].sqref) and "J3" in str(nonneg[0].sqref)
        concl = _validations(wb["自评结论"])
        assert any(v.type == "list" and v.formula1 == '"优,良,中,差"' for v in concl)
        info = _validations(wb["基本信息"])
        assert any(v.type == "list" and v.formula1 == '"万元,元"' for v in info)

    def test_loads_with_calamine(self, blank):
        from python_calamine import CalamineWorkbook

        _, path = blank
        wb = CalamineWorkbook.from_path(str(path))
        assert wb.sheet_names == SHEETS
        rows = wb.get_sheet_by_name("指标得分表").to_python(skip_empty_area=False)
        assert rows[1][:3] == ["一级指标", "二级指标", "三级指标"]

    def test_reads_zero_indicators_without_problems(self, blank):
        name, path = blank
        subs = read_xlsx(path, str(path), None)
        assert len(subs) == 1
        sub = subs[0]
        assert sub.problems == [] and sub.data["indicators"] == [] and sub.data["statements"] == []
        assert sub.data["profile"] == name

    def test_profile_blocks_prefilled(self, tmp_path):
        dept = read_xlsx(write_template("dept-overall-105", tmp_path / "d.xlsx"), "d", None)[0].data
        assert [(s["code"], s["name"], s["points"]) for s in dept["sections"]] == [
            ("A", "部门决策", "15"), ("B", "部门管理", "20"), ("C", "部门履职", "30"), ("D", "履职绩效", "30"),
            ("E", "可持续发展能力", "5"), ("F", "加减分项", "5")]
        assert [(g["section"], g["code"], g["name"]) for g in dept["groups"]] == [("F", "F1", "加分项"),
                                                                               ("F", "F2", "减分项")]
        proj = read_xlsx(write_template("project-mof-100", tmp_path / "p.xlsx"), "p", None)[0].data
        assert [(s["name"], s["points"]) for s in proj["sections"]] == [("产出指标", "50"), ("效益指标", "30"),
                                                                       ("满意度指标", "10")]
        assert [g["name"] for g in proj["groups"]] == ["数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标",
                                                      "社会效益指标", "生态效益指标", "可持续影响指标", "服务对象满意度指标"]
        assert proj["budget"]["weight"] == 10

    def test_deduction_rows_take_negative_scores(self, tmp_path):
        from openpyxl import load_workbook

        ws = load_workbook(write_template("dept-overall-105", tmp_path / "d.xlsx"))["指标得分表"]
        f2_row = next(r for r in range(3, ws.max_row) if ws.cell(row=r, column=2).value == "F2减分项")
        dvs = _validations(ws)
        ded = [v for v in dvs if v.type == "decimal" and v.operator == "lessThanOrEqual"]
        assert ded and f"J{f2_row}" in str(ded[0].sqref)
        nonneg = next(v for v in dvs if v.type == "decimal" and v.operator == "greaterThanOrEqual")
        assert f"J{f2_row}" not in str(nonneg.sqref).split()

    def test_cli_template(self, tmp_path):
        from budget_audit.cli import main

        out = tmp_path / "cli.xlsx"
        assert main(["template", "--profile", "dept-overall-105", "--output", str(out)]) == 0
        assert read_xlsx(out, str(out), None)[0].data["indicators"] == []


class TestFilled:
    def test_reproducible_bytes(self, seed, tmp_path):
        a = write_workbook(tmp_path / "a.xlsx", seed["profile"], seed, reproducible=True)
        b = write_workbook(tmp_path / "b.xlsx", seed["profile"], seed, reproducible=True)
        assert a.read_bytes() == b.read_bytes()

    def test_text_starting_with_equals_stays_text(self, seed, tmp_path):
        from openpyxl import load_workbook

        sub = read_xlsx(write_workbook(tmp_path / "s.xlsx", None, seed), "s", None)[0]
        c21 = next(i for i in sub.data["indicators"] if i["code"] == "C21")
        assert c21["target"] == "=1份"
        ws = load_workbook(tmp_path / "s.xlsx")["指标得分表"]
        assert ws[sub.loc[f"indicators[{sub.data['indicators'].index(c21)}].target"]["cell"]].data_type == "s"

    def test_numbers_typed_as_numbers(self):
        assert [cell_value(x) for x in ("2", "0.5", "2972.43", "97%", "1.50", "≥3000人", None, "0")] == [
            2, 0.5, 2972.43, "97%", "1.50", "≥3000人", None, 0]

    def test_indicators_without_sections_and_groups(self, tmp_path):
        data = {"indicators": [{"name": "甲", "weight": "50", "score": "50"},
                               {"section": "产出指标", "name": "乙", "weight": "50", "score": "40"}]}
        sub = read_xlsx(write_workbook(tmp_path / "g.xlsx", "generic", data), "g", None)[0]
        assert [(i["section"], i["group"], i["name"]) for i in sub.data["indicators"]] == [
            (None, None, "甲"), ("产出指标", None, "乙")]

    def test_csv_folder_writer_flat_and_hierarchical(self, seed, tmp_path):
        for flat in (False, True):
            folder = write_csv_folder(tmp_path / f"f{flat}", seed, encoding="utf-8-sig", flat=flat)
            assert (folder / "indicators.csv").read_bytes().startswith(b"\xef\xbb\xbf")
            sub = read_csv_folder(folder, str(folder))[0]
            assert sub.problems == []
            assert [(i["section"], i["group"], i["code"]) for i in sub.data["indicators"]] == [
                (i["section"], i["group"], i["code"]) for i in seed["indicators"]]


def test_datasets_are_current(tmp_path):
    """datasets/build.py regenerates exactly the committed files."""
    import importlib.util

    root = Path(__file__).resolve().parents[1] / "datasets"
    spec = importlib.util.spec_from_file_location("datasets_build", root / "build.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    (tmp_path / "reference").mkdir()
    (tmp_path / "reference" / "nanjing-dianhua-2023.json").write_bytes(
        (root / "reference" / "nanjing-dianhua-2023.json").read_bytes())
    for p in mod.build(tmp_path):
        rel = p.relative_to(tmp_path)
        files = [f for f in p.rglob("*") if f.is_file()] if p.is_dir() else [p]
        for f in files:
            r = f.relative_to(tmp_path)
            assert (root / r).read_bytes() == f.read_bytes(), f"{r} is stale: run datasets/build.py"
        assert (root / rel).exists()
