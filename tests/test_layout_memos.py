"""The reader's memos and C-level prefilters (issue 11, perf4-read) give what the per-cell code before them gave.

Each test keeps a small copy of the old per-cell rule and holds the rewritten one to it, row for row."""

from __future__ import annotations

import re

from budget_audit.parse.values import clean_text, split_code_name
from budget_audit.readers import headers as H
from budget_audit.readers.layout import blocks, breakdowns, header
from budget_audit.readers.layout.builder import Builder
from budget_audit.readers.layout.cells import MergedName, value
from budget_audit.readers.layout.forms import form_segments as _segments
from budget_audit.readers.xlsx_reader import SheetRef

HEADER = ["一级指标", "二级指标", "三级指标", "指标说明", "标准值", "完成值", "权值", "得分", "评分办法"]
ROWS = [
    HEADER,
    ["序号", "指标", "分值", "得分"],
    ["", "", "三级指标", None, "", "", " 權值 ", "得分(20分)"],
    ["submission_id", "单位名称", "三级指标", "权值", "得分"],
    ["submission_id", "三级指标"],                      # one field and a batch column: matches nothing
    ["权值", 5.0, 3.0, "说明"],                          # one field only
    ["A部门决策（15分）", "A1决策机制", "A11决策机制完成情况", "是否完成", "完成", "完成", 2.0, 2.0, "得2分"],
    ["", None, "  ", "\u3000", 0.0, -0.0, True, 1],
    [MergedName("三级指标"), "权值", "得分"],
    ["绩效指标", "三级指标", "权值", "得分"],              # a generic name header beside the specific one
    ["标准值", "目标值", "评价指标值", "完成值", "三级指标"],
    ["", "三级指标", 3.0, "得分"],                         # two fields: the least a header has
    [],
]


def _old_is_repeat_header(row, hdr) -> bool:
    hits = 0
    n = len(row)
    for f, c in hdr.cols.items():
        x = row[c] if c < n else None
        if isinstance(x, str) and (x := x.strip()) and H.column_field_str(x) == f:
            hits += 1
    return hits >= 2


def test_match_row_prefilter_only_drops_rows_no_caller_uses():
    dropped = kept = 0
    for row in ROWS:
        full = header._match_cells.__wrapped__(row)
        got = header._match_row(row)
        if len(full[0]) >= 2:
            assert got == full, row
            kept += 1
        else:                           # every caller needs two field columns: such a row is no header
            assert got == full or got == ({}, {}), row
            dropped += got != full
    assert kept >= 5 and dropped >= 1   # both branches are exercised (the submission_id row is dropped)


def test_find_header_unchanged_by_the_prefilter():
    rows = [["2023年度项目支出绩效自评表"], ["单位名称", "某局"], ROWS[5], HEADER, ROWS[6]]
    h = header.find_header(rows)
    assert h is not None and h.row == 3
    assert h.cols == {"section": 0, "group": 1, "name": 2, "description": 3, "target": 4, "actual": 5,
                      "weight": 6, "score": 7, "method": 8}
    assert header.find_header(rows[:3]) is None
    two = header.find_header([["说明"], ["", "三级指标", "", "得分"], ["A11", "x", 1.0, 1.0]])
    assert two is not None and two.row == 1 and two.cols == {"name": 1, "score": 3}


def test_repeats_header_is_is_repeat_header():
    hdr = header.find_header([HEADER])
    assert hdr is not None
    rows = ROWS + [[x.upper() for x in HEADER], ["", "", "三级指标", "", "", "", "权值", 1.0],
                   ["", "", "权值", "", "", "", "三级指标", "得分"], ["", "", "", "", "", "", "", "得分"]]
    seen = set()
    for row in rows:
        want = _old_is_repeat_header(row, hdr)
        assert header.is_repeat_header(row, hdr) is want, row
        vals = {f: value(row[c]) if c < len(row) else None for f, c in hdr.cols.items()}
        assert header.repeats_header(vals) is want, row
        seen.add(want)
    assert seen == {True, False}


def _old_part_points(rows, ref, b):
    for r, row in enumerate(rows):
        for c, x in enumerate(row):
            if isinstance(x, str) and "绩效" in x and len(x) < 30:
                m = breakdowns._PART_POINTS_RX.match(clean_text(x))
                if m:
                    b.set_top("indicator_points", m.group(1), ref(r, c))
                    return


def test_part_points_found_where_the_cell_walk_found_them():
    grids = [
        [["标题"], ["x", "年度绩效目标(80分)"]],
        [["绩效自评表"], [1.0, "绩效指标（20分）", "年度绩效目标(80分)"], ["年度绩效目标(80分)"]],
        [["a\x00年度绩效目标(80分)"], ["b", "绩效目标 (30分)"]],        # a NUL inside a cell is no cell boundary
        [["绩效" * 20 + "(5分)"], [MergedName("年度绩效目标(10分)")]],
        [["无"], [None, 3.0]],
        [],
    ]
    for grid in grids:
        new, old = Builder(), Builder()
        breakdowns._part_points(grid, SheetRef("s"), new, [x for row in grid for x in row if isinstance(x, str)])
        _old_part_points(grid, SheetRef("s"), old)
        assert (new.top, new.loc) == (old.top, old.loc), grid
    b = Builder()
    breakdowns._part_points(grids[1], SheetRef("s"), b, [x for row in grids[1] for x in row if isinstance(x, str)])
    assert b.top == {"indicator_points": "20"} and b.loc["indicator_points"] == {"sheet": "s", "cell": "B2"}


def _old_statement_quantity(label, b):
    q = H.statement_label(label)
    if q:
        return q
    key = H.budget_key(label)
    if key and key not in ("currency_unit", "reason"):
        return key if key in blocks.RATE_KEYS else f"budget:{key}"
    text = clean_text(label)
    stem = H.strip_suffix(text, H.INDICATOR_STATEMENT_SUFFIXES)
    if stem:
        code, _ = split_code_name(stem)
        if code and len(code) >= 3:
            return f"indicator:{code}"
    stem = H.strip_suffix(text, H.SECTION_STATEMENT_SUFFIXES)
    if stem:
        key = b.section_key_for(stem)
        if key:
            return f"section:{key}"
    return None


def test_statement_quantity_memo_keeps_the_section_lookup_per_form():
    labels = ["自评总分", "评价等级", "A部门决策得分", "部门管理得分", "B得分", "A11决策机制得分", "预算执行率", "年初预算数",
              "总分", "金额单位", "得分", "", "随便什么", "total", "section:A"]
    one, two = Builder(), Builder()
    one.section("A", "部门决策", None, None)
    two.section("B", "部门管理", None, None)
    answers = set()
    for b in (one, two, one):             # the same labels on two forms: the memo must not carry a section over
        for label in labels:
            want = _old_statement_quantity(label, b)
            assert blocks.statement_quantity(label, b) == want, label
            answers.add(want)
    assert {"section:A", "section:部门管理", "total", "grade"} <= answers


def test_budget_key_memo_is_budget_key():
    texts = ["年初预算数", "其中：基本支出", "项目支出", "调整预算数", "全年执行数", "执行率(B/A)", "金额单位", "x", ""]
    for context in (None, "initial_budget", "adjusted_budget", "expenditure"):
        for t in texts:
            assert H.budget_key(t, context) == H._budget_key(t, context), (t, context)
            assert H.budget_key(t, context) == H.budget_key(t, context)
    assert H.budget_key(MergedName("年初预算数")) == H.budget_key("年初预算数") is not None
    assert H.budget_key(12.0) is None


def _old_segments(rows):
    starts, seen_total = [0], False
    for r, row in enumerate(rows):
        texts = []
        for x in row:
            if x is None or x == "":
                continue
            v = value(x)
            if v is not None:
                texts.append(v)
                if len(texts) == 2:
                    break
        if any(isinstance(t, str) and H.is_total_label(t) for t in texts[:2]):
            seen_total = True
        elif seen_total and len(texts) == 1 and isinstance(texts[0], str) and re.search(
                r"(?:自评表|评价表|自评报告|绩效目标表|评分表)[)）]?$", clean_text(texts[0])):
            starts.append(r)
            seen_total = False
    return list(zip(starts, starts[1:] + [len(rows)]))


def test_segments_is_the_old_walk():
    form = [["项目支出绩效自评表"], HEADER, ROWS[6], ["合计", "", "", "", "", "", 100.0, 90.0]]
    sheets = [form + form, form + [["  "], ["", "总分", 3.0]] + form, form + [["说明", "x"]] + form,
              [[" ", 5.0, "合计"], ["第二张自评表"]], [["合计"], [" 项目支出绩效自评表 "], [None, "", "评分表"]], []]
    for rows in sheets:
        assert _segments(rows) == _old_segments(rows), rows
    assert len(_segments(sheets[0])) == 2


def test_number_names_are_not_shared_by_the_text_memos():
    from budget_audit.readers.layout.score_table import parse_score_table

    names = (1.0, True, 1, "1", 2.5)            # 1.0 == True == 1: one entry of an untyped memo
    rows = [["三级指标", "权值", "得分"], *([x, 1.0, 1.0] for x in names)]
    b = Builder()
    parse_score_table(rows, SheetRef("s"), b, header.find_header(rows))
    assert [i["name"] for i in b.indicators] == [split_code_name(x)[1] or None for x in names]
    assert b.indicators[1]["name"] == "True"
    one = Builder()
    for x in (1.0, True, 1):
        assert blocks.statement_quantity(x, one) == _old_statement_quantity(x, one)
