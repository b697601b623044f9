"""The self-assessed total printed in a form's header block ("自评得分 | 98", "自评总分:98"): a total statement,
checked against the scores (SCR004) like a 总分 row; the same label heading a budget-block column is not one."""

from __future__ import annotations

import pytest

from budget_audit.pipeline import check_raws
from budget_audit.readers.xlsx_reader import read_sheets

TABLE = [["一级指标", "二级指标", "三级指标", "分值", "指标值", "实际完成值", "得分"],
         ["产出指标", "数量指标", "培训人数", 50, "≥100人", "120人", 50],
         ["效益指标", "社会效益指标", "群众知晓率", 50, "≥90%", "95%", 45]]


def _form(header_rows):
    rows = [["项目支出绩效自评表（2023年度）", None, None, None, None, None, None],
            ["项目名称", "某项目", None, "实施单位", "某县农业农村局", None, None]]
    return rows + header_rows + TABLE


def _read(rows):
    raws = read_sheets({"Sheet1": rows}, "t.xlsx", "t", None)
    return raws[0], check_raws(raws, None).findings


@pytest.mark.parametrize("header, stated", [
    ([["自评得分", 98, None, None, None, None, None]], 98),             # label | value (Ningxia 银川 form)
    ([["填报日期:2023年4月23日", None, None, "自评总分:98", None, None, None]], "98"),   # one cell (Hubei 随州)
])
def test_a_header_total_is_checked_against_the_scores(header, stated):
    raw, findings = _read(_form(header))
    assert raw.data["statements"] == [{"quantity": "total", "value": stated, "where": "表头 自评得分"
                                       if isinstance(stated, int) else "表头 自评总分"}]
    scr004 = findings[findings["rule"] == "SCR004"]
    assert list(scr004["message_zh"]) == ["自评总分写为 98，按各项得分合计应为 95"]
    assert scr004.iloc[0]["location"]["cell"] == ("B3" if isinstance(stated, int) else "D3")


def test_a_header_total_that_adds_up_passes():
    raw, findings = _read(_form([["自评得分", 95, None, None, None, None, None]]))
    assert [s["value"] for s in raw.data["statements"]] == [95]
    assert not (findings["severity"] == "error").any(), findings[["rule", "message_zh"]]


def test_the_label_over_a_budget_column_is_not_a_total():
    budget = [["项目资金(万元)", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "自评得分"],
              ["年度资金总额", 10, 10, 10, 10, "100%", 10]]
    raw, _ = _read(_form(budget))
    assert not any(s["quantity"] == "total" for s in raw.data["statements"]), raw.data["statements"]
