"""One mistake, one headline: consequences linked to their primary finding; numbers as the unit typed them."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from budget_audit.cli import main

ROOT = Path(__file__).resolve().parents[1]
CLEAN = ROOT / "datasets" / "examples" / "dept-overall-105-clean.json"
REF_JSON = ROOT / "datasets" / "reference" / "nanjing-dianhua-2023.json"
REF_XLSX = ROOT / "datasets" / "reference" / "nanjing-dianhua-2023.xlsx"


@pytest.fixture(autouse=True)
def _no_config(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)


def _report(capsys, *paths) -> dict:
    main(["check", *map(str, paths), "--format", "json", "--fail-on", "never"])
    return json.loads(capsys.readouterr().out)


def _write(tmp_path, name, doc) -> Path:
    p = tmp_path / name
    p.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return p


def _over_weight(tmp_path) -> Path:
    doc = json.loads(CLEAN.read_text(encoding="utf-8"))
    ind = next(i for i in doc["indicators"] if i["code"] == "A11")
    assert (ind["weight"], ind["score"]) == ("2", "2")
    ind["score"] = "3"
    return _write(tmp_path, "over.json", doc)


def test_score_above_weight_leads_and_method_follows(capsys, tmp_path):
    (sub,) = _report(capsys, _over_weight(tmp_path))["submissions"]
    fs = sub["findings"]
    scr = next(i for i, f in enumerate(fs) if f["rule"] == "SCR001")
    mth = next(i for i, f in enumerate(fs) if f["rule"] == "MTH001")
    assert fs[mth]["caused_by"] == {"index": scr, "rule": "SCR001"}
    assert fs[scr]["consequences"] == [{"index": mth, "rule": "MTH001"}] and "caused_by" not in fs[scr]
    assert sub["counts"]["error"] == sub["headline_counts"]["error"] + 1      # counts say both


def test_stated_rate_leads_and_indicator_rate_follows(capsys, tmp_path):
    for path in (REF_JSON, REF_XLSX):
        (sub,) = _report(capsys, path)["submissions"]
        fs = sub["findings"]
        bud4 = next(i for i, f in enumerate(fs) if f["rule"] == "BUD004")
        bud6 = next(i for i, f in enumerate(fs) if f["rule"] == "BUD006")
        assert fs[bud6]["caused_by"] == {"index": bud4, "rule": "BUD004"}
        # the reference's MTH001 findings (a half point docked against the method) stand on their own
        assert all("caused_by" not in f for f in fs if f["rule"] == "MTH001")
        assert (sub["counts"]["error"], sub["headline_counts"]["error"]) == (11, 10)


def test_different_figures_are_not_grouped(capsys, tmp_path):
    doc = json.loads(REF_JSON.read_text(encoding="utf-8"))
    doc2 = copy.deepcopy(doc)
    b11 = next(i for i in doc2["indicators"] if i.get("code") == "B11")
    b11["actual"] = "99%"                     # now a second, different wrong figure
    (sub,) = _report(capsys, _write(tmp_path, "two.json", doc2))["submissions"]
    rules = [f["rule"] for f in sub["findings"]]
    assert "BUD004" in rules and "BUD006" in rules
    assert not any("caused_by" in f or "consequences" in f for f in sub["findings"] if f["rule"][:3] == "BUD")


def test_console_lists_consequences_under_their_primary(capsys, tmp_path):
    main(["check", str(_over_weight(tmp_path)), str(REF_XLSX), "--verbose"])   # a batch lists findings with -v
    lines = capsys.readouterr().out.splitlines()
    i = next(k for k, line in enumerate(lines) if " SCR001 " in line)
    assert lines[i + 1].startswith("      ↳ ") and " MTH001 " in lines[i + 1] and lines[i + 1].endswith("（由 SCR001 引起）")
    j = next(k for k, line in enumerate(lines) if " BUD004 " in line)
    assert lines[j + 1].startswith("      ↳ ") and " BUD006 " in lines[j + 1]
    assert sum(" MTH001 " in line and "A11" in line for line in lines) == 1     # listed once, under its primary
    assert "（其中 2 条由另一问题引起）" in lines[-1]
    main(["check", str(REF_XLSX), "--lang", "en"])
    out = capsys.readouterr().out
    assert "(follows from BUD004)" in out and "(1 of them follow from another finding)" in out


def test_sarif_marks_consequences(tmp_path):
    out = tmp_path / "r.sarif"
    main(["check", str(REF_XLSX), "--format", "sarif", "-o", str(out)])
    results = json.loads(out.read_text(encoding="utf-8"))["runs"][0]["results"]
    assert [r["properties"].get("caused_by") for r in results if r["ruleId"] == "BUD006"] == ["BUD004"]


def test_numbers_print_as_typed(capsys):
    """Workbook cells come back as floats (15.0, 2023.0): messages and the report print 15 and 2023."""
    rep = _report(capsys, REF_XLSX, REF_JSON, ROOT / "datasets" / "examples")
    whole = re.compile(r"(?<![\d.])[0-9]+\.0(?![0-9])")
    for s in rep["submissions"]:
        assert s["year"] == 2023 and isinstance(s["year"], int), s["source"]
        for f in s["findings"]:
            for text in f["message"].values():
                assert not whole.search(text), text
    wgt = [f["message"]["zh"] for f in rep["submissions"][0]["findings"] if f["rule"] == "WGT002"]
    assert wgt and "标注 1 分，其下指标权值合计 15 分" in wgt[0]
