"""Great Expectations: committed artifacts are fresh, the GX project loads, and GX flags exactly
what pandera flags (parity) on the rule fixtures and the reference dataset."""

from __future__ import annotations

import json
import re
from collections import Counter
import subprocess
import sys
from pathlib import Path

import pytest

from budget_audit import gx_cli
from budget_audit.pipeline import run_check
from budget_audit.rules import CATALOGUE

pytestmark = pytest.mark.gx

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "datasets" / "reference"


def test_committed_gx_files_are_fresh(tmp_path):
    from budget_audit.gx.engine import write_project

    written = write_project(tmp_path, gx_cli.specs())
    assert written
    for p in written:
        rel = p.relative_to(tmp_path)
        committed = ROOT / rel
        assert committed.is_file(), f"{rel} is missing: run `budget-audit gx export --root .`"
        assert committed.read_text(encoding="utf-8") == p.read_text(encoding="utf-8"), \
            f"{rel} is stale: run `budget-audit gx export --root .`"


def test_every_check_has_exactly_one_expectation():
    """The committed suites hold one expectation per catalogue check (measure column ≤ 0), and nothing else."""
    in_suites = Counter()
    for f in (ROOT / "expectations").glob("*.json"):
        for e in json.loads(f.read_text(encoding="utf-8"))["expectations"]:
            assert e["type"] == "expect_column_values_to_be_between" and e["kwargs"]["max_value"] == 0
            assert e["meta"]["severity"] in ("error", "warning", "info") and e["meta"]["slug"]
            in_suites[(e["meta"]["rule"], e["meta"]["table"], e["kwargs"]["column"])] += 1
    every_check = {(r.id, c.table, c.column) for r in CATALOGUE for c in r.checks}
    assert set(in_suites) == every_check
    assert set(in_suites.values()) == {1}


def _keys(findings):
    return {(r.submission_id, r.rule, r.severity, r.indicator or r.section or "") for r in findings.itertuples()}


@pytest.fixture(scope="module")
def parity_inputs(tmp_path_factory):
    """The rule fixtures as one JSON batch, plus the reference dataset (JSON and workbook)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from rule_cases import write_batch

    paths, _, _ = write_batch(tmp_path_factory.mktemp("parity"))
    return [str(p) for p in paths] + [str(REFERENCE)]


def test_parity_gx_equals_pandera(parity_inputs, tmp_path):
    by_pandera = run_check(parity_inputs).findings
    by_gx = gx_cli.run_gx(parity_inputs, None, ROOT, "ci-gate", str(tmp_path / "docs")).findings
    assert len(by_pandera) > 50
    assert _keys(by_gx) == _keys(by_pandera)
    assert sorted(by_gx["rule"].unique()) == sorted(by_pandera["rule"].unique())
    # every rule of the catalogue fires somewhere in the fixtures, so parity covers every expectation
    # (WVR rules are decided by the review pass over the report, after either engine: tests/test_review.py)
    assert {r.id for r in CATALOGUE if r.family != "WVR"} <= set(by_pandera["rule"])
    index = (tmp_path / "docs" / "index.html").read_text(encoding="utf-8")
    assert "Failed" in index or "failed" in index


def test_gx_run_cli_on_reference(tmp_path):
    docs = tmp_path / "dd"
    out = subprocess.run([sys.executable, "-m", "budget_audit.cli", "gx", "run", str(REFERENCE / "nanjing-dianhua-2023.json"),
                          "--checkpoint", "ci-gate", "--format", "json", "--docs", str(docs)],
                         capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 1, out.stderr
    report = json.loads(out.stdout)
    errors = sorted((f["rule"], f["indicator"] or f["section"]) for f in report["submissions"][0]["findings"]
                    if f["severity"] == "error")
    assert ("WGT002", "A") in errors and ("WGT002", "B") in errors and ("BUD004", None) in errors
    assert ("BUD006", "B11") in errors and ("MTH001", "B31") in errors
    index = (docs / "index.html").read_text(encoding="utf-8")
    listed = index.split('id="budget-audit-failing"', 1)[1].split("</table>", 1)[0]
    for rule in ("WGT002", "BUD004", "BUD006", "MTH001"):
        assert rule in listed, f"the Data Docs index does not list the failing {rule} expectation"
    assert "budget_audit-sections" in listed   # linked to its validation page
    pages = list((docs / "validations").rglob("*.html"))
    assert pages, "Data Docs validation pages were not written"
    assert any("WGT002" in p.read_text(encoding="utf-8") or "wgt002" in p.read_text(encoding="utf-8") for p in pages)


def test_readme_snippet_runs_against_the_repository_project():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(import great_expectations.*?)```", readme, re.S)
    assert block, "README lost its GX snippet"
    out = subprocess.run([sys.executable, "-c", block.group(1)], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert "budget_audit-indicators" in out.stdout
    assert "[('WGT002', ['A', 'B'])]" in out.stdout
