"""Stated breakdowns (BUD012) and the figures around the budget block, read from grids as the forms print them."""

from __future__ import annotations

from budget_audit.pipeline import check_raws
from budget_audit.readers.xlsx_reader import read_sheets

HEAD = [["项目支出绩效自评表", None, None, None, None, None, None, None],
        ["(2023年度)", None, None, None, None, None, None, None],
        ["项目名称", "某项目", None, None, "实施单位", "某县农业农村局", None, None],
        ["项目资金(万元)", None, None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率"]]


def _grid(total, parts):
    rows = [r[:] for r in HEAD]
    rows.append([None, None, "年度资金总额", total, total, total, 10, "100%"])
    for i, (label, v) in enumerate(parts):
        rows.append([None, None, ("其中:" if i == 0 else "") + label, v, v, v, None, None])
    return rows


def _findings(sheets):
    raws = read_sheets(sheets, "t.xlsx", "t", None)
    return raws, check_raws(raws, None).findings


def test_grid_breakdown_adds_up_passes_and_keeps_every_column():
    raws, f = _findings({"Sheet1": _grid(100, [("当年财政拨款", 80), ("上年结转资金", 20), ("其他资金", None)])})
    bds = raws[0].data["breakdowns"]
    assert [b["column"] for b in bds] == ["initial_budget", "adjusted_budget", "expenditure"]
    assert [p["label"] for p in bds[0]["parts"]] == ["当年财政拨款", "上年结转资金", "其他资金"]
    assert raws[0].loc["breakdowns[0].total"]["cell"] == "D5"
    assert "BUD012" not in set(f["rule"])


def test_grid_breakdown_off_by_one_is_an_error_per_submission():
    _, f = _findings({"Sheet1": _grid(100, [("当年财政拨款", 80), ("其他资金", 19)])})
    bud = f[f["rule"] == "BUD012"]
    assert len(bud) == 1 and bud.iloc[0]["severity"] == "error"
    assert bud.iloc[0]["expected"] == 99 and bud.iloc[0]["actual"] == 100
    assert "年度资金总额 年初预算数 写为 100" in bud.iloc[0]["message_zh"]


def test_single_of_which_line_is_not_a_complete_list():
    _, f = _findings({"Sheet1": _grid(100, [("中央补助", 60)])})
    assert "BUD012" not in set(f["rule"])


def test_basic_project_split_is_left_to_bud001():
    raws, _ = _findings({"Sheet1": _grid(100, [("基本支出", 60), ("项目支出", 30)])})
    assert not raws[0].data.get("breakdowns")


def test_label_amount_blocks_with_sub_blocks():
    rows = [["转移支付项目绩效自评表", None, None],
            ["指标", "自评内容", "完成情况"],
            ["预算资金安排", "资金合计(万元)年度预算资金总额:", 100],
            [None, "其中:中央补助", 60],
            [None, "市级资金", 40],
            [None, "其中:", None],
            [None, "甲资金(万元)年度预算资金总额:", 70],
            [None, "其中:中央补助", 40],
            [None, "市级资金", 30],
            [None, "其中:", None],
            [None, "乙资金(万元)年度预算资金总额:", 30],
            [None, "其中:中央补助", 20],
            [None, "市级资金", 11]]
    raws = read_sheets({"Sheet1": rows}, "t.xlsx", "t", None)
    labels = [b["label"] for b in raws[0].data["breakdowns"]]
    assert "资金合计（各分项合计）" in labels and "资金合计 市级资金（各分项合计）" in labels
    assert raws[0].data["budget"]["adjusted_budget"] == 100
    f = check_raws(raws, None).findings
    msg = f[f["rule"] == "BUD012"].iloc[0]["message_zh"]
    assert "乙资金 写为 30" in msg and "资金合计 市级资金（各分项合计） 写为 40" in msg


def test_malformed_figure_in_an_amount_column_is_str002_and_a_date_is_not():
    rows = [["部门整体支出绩效评价基础数据表", None, None],
            ["经费控制情况", "2017年决算数", "2018年预算数"],
            ["三公经费", 29.08, 63.46],
            ["水费、电费、差旅费", 17.92, "7.50."],
            ["填报日期", "2019.3.", None]]
    raws, f = _findings({"Sheet1": rows})
    assert raws[0].data["unreadable_figures"] == [{"label": "水费、电费、差旅费 2018年预算数", "value": "7.50."}]
    msgs = list(f[f["rule"] == "STR002"]["message_zh"])
    assert len(msgs) == 1 and "“7.50.”" in msgs[0]


def test_nested_of_which_under_a_part_is_not_added_as_a_sibling():
    """其中：当年财政拨款 80 / 其中：中央补助 50 / 地方资金 30 / 上年结转资金 20: the 80 has its own breakdown; the
    numbers are consistent and no sum of every line (180) may be reported."""
    rows = _grid(100, [("当年财政拨款", 80)])
    for label, v in (("其中:中央补助", 50), ("地方资金", 30), ("上年结转资金", 20), ("其他资金", 0)):
        rows.append([None, None, label, v, v, v, None, None])
    _, f = _findings({"Sheet1": rows})
    assert "BUD012" not in set(f["rule"])


def test_a_part_printed_as_no_amount_leaves_the_sum_unchecked():
    _, f = _findings({"Sheet1": _grid(100, [("当年财政拨款", "80万"), ("上年结转资金", 20), ("其他资金", 0)])})
    assert "BUD012" not in set(f["rule"])
    _, f = _findings({"Sheet1": _grid(100, [("当年财政拨款", 70), ("上年结转资金", 20), ("其他资金", 0)])})
    assert "BUD012" in set(f["rule"])          # the same form with amounts that do not add up: reported


def test_a_block_cut_by_a_figure_that_is_no_amount_is_not_a_complete_list():
    def rows(last):
        return [["转移支付项目绩效自评表", None, None],
                ["指标", "自评内容", "完成情况"],
                ["预算资金安排", "2023年度预算资金总额:", 322.25],
                [None, "其中:中央补助", 166],
                [None, "市级资金", 136],
                [None, "本级资金", last]]
    raws, f = _findings({"Sheet1": rows("待下达")})
    assert "BUD012" not in set(f["rule"])
    assert all(b.get("label") != "2023" for b in raws[0].data.get("breakdowns", []))
    _, f = _findings({"Sheet1": rows(10)})         # 166 + 136 + 10 = 312 ≠ 322.25: reported, with the whole label
    msg = f[f["rule"] == "BUD012"].iloc[0]["message_zh"]
    assert "2023年度预算资金总额 写为 322.25" in msg, msg
