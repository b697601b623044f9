"""The reference report (南京市电化教育馆 2023, template dept-overall-105): exactly the findings the
domain walkthrough demands, the CLI exit code, and the JSON report structure of interchange.md.

Reads `datasets/reference/nanjing-dianhua-2023.json` (the seed submission, figures as printed); never ../shared.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from budget_audit.pipeline import run_check
from budget_audit.cli import main

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO / "datasets" / "reference" / "nanjing-dianhua-2023.json"
FAMILIES = ("STR", "WGT", "SCR", "GRD", "BUD", "XST")
RATE = 6965.62 / 7280.19          # 95.68 %

@pytest.fixture(scope="module")
def seed_path() -> Path:
    assert REFERENCE.is_file(), "the reference dataset is part of the repository"
    return REFERENCE


@pytest.fixture(scope="module")
def findings(seed_path):
    f = run_check([str(seed_path)]).findings
    assert f["submission_id"].nunique() == 1
    return f


def _none(x):
    return None if x is None or (isinstance(x, float) and x != x) else x


def test_error_findings_of_the_template_free_families_are_exactly_the_walkthrough(findings):
    f = findings[findings["rule"].str[:3].isin(FAMILIES) & (findings["severity"] == "error")]
    got = sorted((r.rule, _none(r.section), _none(r.indicator)) for r in f.itertuples())
    assert got == sorted([("WGT002", "A", None), ("WGT002", "B", None), ("BUD004", None, None),
                          ("BUD006", "B", "B11")]), f[["rule", "section", "indicator", "message_zh"]].to_string()


@pytest.mark.parametrize("section, declared, weight", [("A", 1, 15), ("B", 2, 20)])
def test_wgt002_numbers(findings, section, declared, weight):
    f = findings[(findings["rule"] == "WGT002") & (findings["section"] == section)]
    assert len(f) == 1
    assert f.iloc[0]["expected"] == pytest.approx(declared)
    assert f.iloc[0]["actual"] == pytest.approx(weight)


@pytest.mark.parametrize("rule", ["BUD004", "BUD006"])
def test_execution_rate_numbers(findings, rule):
    f = findings[findings["rule"] == rule]
    assert len(f) == 1
    row = f.iloc[0]
    assert row["expected"] == pytest.approx(0.9568, abs=5e-5)
    assert row["expected"] == pytest.approx(RATE, abs=2e-6)
    assert row["actual"] == pytest.approx(0.97)
    assert row["tolerance"] == pytest.approx(0.005)
    assert "95.68%" in row["message_zh"] and "97%" in row["message_zh"]


def test_bud005_is_only_info(findings):
    f = findings[findings["rule"] == "BUD005"]
    assert len(f) == 1 and set(f["severity"]) == {"info"}


def test_nothing_else_above_info_in_template_free_families(findings):
    """No warning either: the walkthrough's "checks that must pass" all pass."""
    f = findings[findings["rule"].str[:3].isin(FAMILIES) & (findings["severity"] == "warning")]
    assert f.empty, f[["rule", "message_zh"]].to_string()


def test_method_findings_match_the_walkthrough(findings):
    """MTH001 on B31/B41/B51 (full-marks tier, scored 0.5); MTH002 or MTH001 on B32/B52/B61/B62."""
    if not findings["rule"].str.startswith("MTH").any() and "MTH001" not in _rule_ids():
        pytest.skip("MTH rules are not in the catalogue yet")
    mth = findings[findings["rule"].isin(["MTH001", "MTH002"])]
    by_ind = {ind: set(g["rule"]) for ind, g in mth.groupby("indicator")}
    for code in ("B31", "B41", "B51"):
        assert "MTH001" in by_ind.get(code, set()), code
    for code in ("B32", "B52", "B61", "B62"):
        assert by_ind.get(code, set()) & {"MTH001", "MTH002"}, code
    assert set(by_ind) == {"B31", "B32", "B41", "B51", "B52", "B61", "B62"}
    errors = findings[(findings["severity"] == "error") & ~findings["rule"].str[:3].isin(FAMILIES)]
    assert set(errors["rule"]) <= {"MTH001"}, errors[["rule", "indicator"]].to_string()


def _rule_ids():
    from budget_audit.rules import RULES
    return set(RULES)


def test_cli_exit_code_is_1(seed_path, capsys):
    assert main(["check", str(seed_path)]) == 1
    out = capsys.readouterr().out
    assert "BUD004" in out and "WGT002" in out


@pytest.mark.parametrize("fail_on, code", [
    ("error", 1), ("warning", 1), ("info", 1),
    ("never", 0),
])
def test_cli_fail_on(seed_path, capsys, fail_on, code):
    assert main(["check", str(seed_path), "--fail-on", fail_on]) == code
    capsys.readouterr()


def test_cli_clean_submission_exits_0(tmp_path, capsys):
    """The fixed reference (tests/rule_cases.BASE_DEPT: only info findings) passes."""
    import sys
    sys.path.insert(0, str(Path(__file__).parent))
    from rule_cases import BASE_DEPT

    p = tmp_path / "clean.json"
    p.write_text(json.dumps(BASE_DEPT, ensure_ascii=False), encoding="utf-8")
    assert main(["check", str(p)]) == 0
    assert main(["check", str(p), "--fail-on", "warning"]) == 0
    assert main(["check", str(p), "--fail-on", "info"]) == 1
    capsys.readouterr()


def test_json_report_structure(seed_path, tmp_path, capsys):
    out = tmp_path / "report.json"
    assert main(["check", str(seed_path), "--format", "json", "--output", str(out)]) == 1
    capsys.readouterr()
    rep = json.loads(out.read_text(encoding="utf-8"))
    assert {"tool", "submissions", "summary"} <= set(rep)
    assert {"name", "version", "rules_version"} <= set(rep["tool"])
    assert len(rep["submissions"]) == 1
    sub = rep["submissions"][0]
    assert {"id", "source", "sha256", "profile", "profile_reason", "status", "counts", "checked",
            "findings"} <= set(sub)
    assert sub["profile"] == "dept-overall-105"
    assert sub["profile_reason"]
    assert sub["status"] == "failed"
    assert isinstance(sub["sha256"], str) and len(sub["sha256"]) == 64
    assert set(sub["counts"]) == {"error", "warning", "info"}
    assert sub["checked"]["indicators"] == 39
    assert 0 <= sub["checked"]["machine_checked"] <= 39
    assert sub["counts"]["error"] == sum(1 for f in sub["findings"] if f["severity"] == "error")
    for f in sub["findings"]:
        assert {"rule", "slug", "severity", "section", "indicator", "location", "expected", "actual", "tolerance",
                "message"} <= set(f), f
        assert set(f["message"]) >= {"zh", "en"} and f["message"]["zh"] and f["message"]["en"]
        assert f["severity"] in ("error", "warning", "info")
    bud004 = [f for f in sub["findings"] if f["rule"] == "BUD004"]
    assert len(bud004) == 1
    b = bud004[0]
    assert b["slug"] == "execution-rate-mismatch" and b["severity"] == "error"
    assert b["section"] is None and b["indicator"] is None
    assert b["expected"] == pytest.approx(0.9568, abs=5e-5) and b["actual"] == pytest.approx(0.97)
    assert b["tolerance"] == pytest.approx(0.005)
    assert isinstance(b["location"], dict) and b["location"]
    bud006 = [f for f in sub["findings"] if f["rule"] == "BUD006"]
    assert len(bud006) == 1 and bud006[0]["indicator"] == "B11" and bud006[0]["section"] == "B"
    summ = rep["summary"]
    assert {"submissions", "passed", "failed", "unreadable", "findings"} <= set(summ)
    assert (summ["submissions"], summ["passed"], summ["failed"], summ["unreadable"]) == (1, 0, 1, 0)
    assert summ["findings"] == sub["counts"]


def test_reference_workbook_and_json_give_identical_findings():
    """The reference report ships twice (JSON and workbook); both must give the same findings."""
    both = run_check([str(REFERENCE), str(REFERENCE.with_suffix(".xlsx"))]).findings
    cols = ["rule", "severity", "section", "indicator", "expected", "actual", "tolerance", "message_zh"]
    per = {sid: sorted(map(tuple, g[cols].astype(str).to_numpy().tolist())) for sid, g in both.groupby("submission_id")}
    assert len(per) == 2
    json_f, xlsx_f = per.values()
    assert json_f == xlsx_f and len(json_f) >= 13
    locs = both.set_index(["submission_id", "rule", "indicator"])["location"]
    assert locs.loc[("nanjing-dianhua-2023~2", "BUD006", "B11")] == {"sheet": "指标得分表", "cell": "H12"}
