"""Reports as input: the reference report's text reads as its JSON transcription does.

The seed text (`../shared/seeds/…txt`, present beside the repository in CI) is the published report of
the reference case; the bundled `datasets/reference/*-report.{txt,pdf,docx}` are the same report written
in the project's own words. Each must give exactly the findings of the JSON transcription, located by
line / page / table cell, and its score table must come out as the transcription's 39 rows.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from budget_audit.pipeline import run_check
from budget_audit.readers import read_inputs

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "000_56c3bd85fe279337.txt"
REFERENCE = ROOT / "datasets" / "reference" / "nanjing-dianhua-2023.json"
FIELDS = ("section", "group", "code", "name", "description", "target", "actual", "weight", "score", "method", "note")
needs_seed = pytest.mark.skipif(not SEED.is_file(), reason="../shared/seeds is not beside this clone")


def _keys(path: Path) -> list[tuple[str, str, str]]:
    res = run_check([str(path)])
    f = res.findings
    return sorted(zip(f["rule"], f["severity"], (f["indicator"].fillna(f["section"]).fillna(""))))


@pytest.fixture(scope="module")
def reference_keys():
    return _keys(REFERENCE)


@needs_seed
def test_seed_text_gives_exactly_the_reference_findings(reference_keys):
    assert _keys(SEED) == reference_keys
    res = run_check([str(SEED)])
    for loc in res.findings["location"]:
        assert loc and loc.get("line"), f"finding not located by line: {loc}"


@needs_seed
def test_seed_table_is_the_reference_rows():
    ref = json.loads(REFERENCE.read_text(encoding="utf-8"))
    got = read_inputs([str(SEED)])[0].data
    assert len(got["indicators"]) == len(ref["indicators"]) == 39
    for want, have in zip(ref["indicators"], got["indicators"]):
        for k in FIELDS:
            assert (have.get(k) or None) == (want.get(k) or None), f"{want['code']} {k}: {have.get(k)!r} ≠ {want.get(k)!r}"
    assert [(s["code"], s["name"], s["points"]) for s in got["sections"]] == \
        [(s["code"], s["name"], s["points"]) for s in ref["sections"]]
    for key, value in ref["budget"].items():
        if value is not None:
            assert got["budget"].get(key) == value, key
    stated = sorted((s["quantity"], s["value"]) for s in got["statements"])
    assert ("grade", "优") in stated and ("total", "97.5") in stated
    assert {q for q, _ in stated} >= {"section:A", "section:B", "section:C", "section:E", "section:F",
                                      "project_execution_rate"}


BUNDLED = {ext: ROOT / "datasets" / "reference" / f"nanjing-dianhua-2023-report.{ext}" for ext in ("txt", "pdf", "docx")}
LOCATED_BY = {"txt": ("line",), "pdf": ("page",), "docx": ("paragraph", "table")}


@pytest.mark.parametrize("ext", list(BUNDLED))
def test_bundled_report_gives_the_reference_findings(ext, reference_keys):
    """The project's own report of the reference case, as text, PDF and Word: the same findings as the JSON."""
    assert _keys(BUNDLED[ext]) == reference_keys
    res = run_check([str(BUNDLED[ext])])
    for loc in res.findings["location"]:
        assert loc and any(k in loc for k in LOCATED_BY[ext]), f"{ext}: finding located by {loc}"
    if ext != "txt":   # the table is a real table: findings on rows point at its cells
        table_locs = [loc for loc, ind in zip(res.findings["location"], res.findings["indicator"]) if isinstance(ind, str)]
        assert table_locs and all("table" in loc for loc in table_locs)


@pytest.mark.parametrize("ext", list(BUNDLED))
def test_bundled_report_table_is_the_reference_rows(ext):
    ref = json.loads(REFERENCE.read_text(encoding="utf-8"))
    got = read_inputs([str(BUNDLED[ext])])[0].data
    assert [(i["code"], i["weight"], i["score"], i["target"], i["actual"]) for i in got["indicators"]] == \
        [(i["code"], i["weight"], i["score"], i["target"], i["actual"]) for i in ref["indicators"]]
    assert [i["method"] for i in got["indicators"]] == [i["method"] for i in ref["indicators"]]
    assert got["unit"] == ref["unit"] and str(got.get("year") or got["title"][:4]) == "2023"


def test_a_report_that_contradicts_itself_is_caught(tmp_path):
    """The narrative states a total its table's 合计 row does not: XST001 names both places; without the 合计
    row, the narrative's total is compared with the sum of the scores (SCR004)."""
    text = BUNDLED["txt"].read_text(encoding="utf-8").replace("自评得分为97.5分", "自评得分为98.5分")
    p = tmp_path / "contradiction.txt"
    p.write_text(text, encoding="utf-8")
    f = run_check([str(p)]).findings
    xst = f[f["rule"] == "XST001"]
    assert len(xst) == 1 and "98.5" in xst.iloc[0]["message_zh"] and "97.5" in xst.iloc[0]["message_zh"]
    p.write_text("\n".join(t for t in text.splitlines() if not t.startswith("合计")), encoding="utf-8")
    f = run_check([str(p)]).findings
    scr = f[f["rule"] == "SCR004"]
    assert len(scr) == 1 and scr.iloc[0]["actual"] == 98.5 and scr.iloc[0]["expected"] == 97.5
    assert scr.iloc[0]["location"]["line"] > 0
