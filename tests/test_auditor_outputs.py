"""The auditor's workbook (--format xlsx) and the long findings table (--format csv / parquet)."""

from __future__ import annotations

import copy
import csv
import io
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from rule_cases import BASE_DEPT, edit  # noqa: E402

from budget_audit.cli import main  # noqa: E402
from budget_audit.report.flat import COLUMNS  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EVIL = '=HYPERLINK("http://x","点我")'


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    d = tmp_path_factory.mktemp("auditor")
    a = copy.deepcopy(BASE_DEPT)
    edit(ind={"C11": {"score": "9"}}, stmts={"total": "101", "section:C": "31"})(a)
    a["unit"] = EVIL                                        # a hostile unit name
    (d / "a.json").write_text(json.dumps(a, ensure_ascii=False), encoding="utf-8")
    (d / "b.json").write_text(json.dumps(BASE_DEPT, ensure_ascii=False), encoding="utf-8")
    (d / "w.yaml").write_text("- {rule: MTH001, submission: a, reason: 已核实, expires: 2999-12-31}\n", encoding="utf-8")
    ref = ROOT / "datasets" / "reference" / "nanjing-dianhua-2023.xlsx"
    args = ["check", str(d / "a.json"), str(d / "b.json"), str(ref), "--waivers", str(d / "w.yaml"), "--fail-on", "never"]
    for fmt in ("xlsx", "csv", "parquet", "json"):
        args += ["--format", fmt, "-o", str(d / f"r.{fmt}")]
    assert main(args) == 0
    return d


def test_workbook_tables_widths_links_colours(outputs):
    from openpyxl import load_workbook

    wb = load_workbook(outputs / "r.xlsx")
    assert wb.sheetnames == ["汇总", "问题清单", "规则统计"]
    report = json.loads((outputs / "r.json").read_text(encoding="utf-8"))
    n_findings = sum(len(s["findings"]) for s in report["submissions"])
    for ws, name, n in ((wb["汇总"], "Submissions", len(report["submissions"])), (wb["问题清单"], "Findings", n_findings)):
        assert list(ws.tables) == [name]
        assert ws.tables[name].ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{n + 1}"   # filters over every row
        assert ws.freeze_panes == "A2"
    fl = wb["问题清单"]
    head = [c.value for c in fl[1]]
    assert head[:5] == ["文件", "单位", "规则", "规则名称", "级别"]
    rows = list(fl.iter_rows(min_row=2, values_only=True))
    by_rule = {r[2]: r for r in rows}
    assert by_rule["BUD004"][3] == "预算执行率计算不符"                     # the catalogue's Chinese title beside the ID
    assert any(r[4] == "错误 已豁免" and r[13] == "已核实" for r in rows)   # the waived MTH001: shown, marked
    assert any(r[7] and "!" in r[7] for r in rows)                         # sheet!cell locations of the workbook
    # widths fitted from the content: the long file column is wide (capped), the short severity column narrow
    widths = {k: v.width for k, v in fl.column_dimensions.items()}
    assert 30 < widths["A"] <= 60 and widths["E"] < 20 and widths["L"] == 60     # the message column: capped
    # conditional colours by severity (whole row, follows the 级别 cell)
    formulas = {r.formula[0] for cf in fl.conditional_formatting for r in cf.rules}
    assert formulas == {'$E2="错误"', '$E2="警告"', '$E2="提示"'}
    # 汇总 → 问题清单: each submission links to its first finding's row
    sm = wb["汇总"]
    shead = [c.value for c in sm[1]]
    link_col, id_col = shead.index("问题清单") + 1, shead.index("编号") + 1
    for row in range(2, sm.max_row + 1):
        c = sm.cell(row, link_col)
        if c.value is None:
            continue
        target = int(c.hyperlink.location.split("!A")[1])
        assert c.hyperlink.location.startswith("'问题清单'!A")
        assert fl.cell(target, 13).value == sm.cell(row, id_col).value
        assert target == 2 or fl.cell(target - 1, 13).value != sm.cell(row, id_col).value
    # formula injection: the hostile unit is text, never a formula
    units = [r[1] for r in rows]
    assert "'" + EVIL in units and EVIL not in units
    assert all(not (isinstance(v, str) and v.startswith("=")) for r in sm.iter_rows(min_row=2, values_only=True) for v in r)


def test_csv_and_parquet_are_the_same_long_table(outputs):
    import pandas as pd

    raw = (outputs / "r.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")                                 # utf-8-sig: Excel reads the Chinese right
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    report = json.loads((outputs / "r.json").read_text(encoding="utf-8"))
    n = sum(len(s["findings"]) for s in report["submissions"])
    assert len(rows) == n and list(rows[0]) == COLUMNS
    pq = pd.read_parquet(outputs / "r.parquet")
    assert list(pq.columns) == COLUMNS and len(pq) == n
    assert pq["expected"].dtype == "float64" and pq["waived"].dtype == bool
    assert pq["waived"].sum() == sum(r["waived"] == "true" for r in rows) >= 1
    assert list(pq["rule"]) == [r["rule"] for r in rows]
    assert set(pq["rule_title_zh"].dropna()) >= {"预算执行率计算不符"}
    # CSV is formula-safe; Parquet keeps the text as it is
    assert {r["unit"] for r in rows if r["submission_id"] == "a"} == {"'" + EVIL}
    assert set(pq.loc[pq["submission_id"] == "a", "unit"]) == {EVIL}
    b = pq[(pq["rule"] == "SCR001") & (pq["indicator"] == "C11")].iloc[0]
    assert (b["expected"], b["actual"]) == (8.0, 9.0) and b["location_json"] == '{"path": "indicators[27].score"}'


def test_binary_formats_need_an_output(capsys):
    for fmt in ("csv", "parquet", "html", "xlsx"):
        assert main(["check", str(ROOT / "datasets/reference/nanjing-dianhua-2023.json"), "--format", fmt]) == 2
        assert "--output" in capsys.readouterr().err
