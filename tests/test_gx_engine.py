"""Demo / contract test for the optional Great Expectations backend (budget_audit.gx)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from budget_audit.gx import engine

pytestmark = pytest.mark.gx


@dataclass(frozen=True)
class CheckSpec:  # the fields gx_cli.specs() gives for each catalogue check
    rule: str
    slug: str
    severity: str
    table: str
    column: str


SPECS = [
    CheckSpec("SCR001", "score-exceeds-weight", "error", "indicators", "scr001"),
    CheckSpec("STR002", "unparseable-value", "warning", "indicators", "str002"),
    CheckSpec("BUD004", "execution-rate-mismatch", "error", "submissions", "bud004"),
]


def test_import_does_not_load_great_expectations():
    code = "import sys, budget_audit.gx.engine; print('great_expectations' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_expectation_for_mapping():
    e = engine.expectation_for(SPECS[0])
    assert e["type"] == "expect_column_values_to_be_between"
    assert e["kwargs"] == {"column": "scr001", "max_value": 0.0}
    assert e["severity"] == "critical"  # GX FailureSeverity; catalogue severity kept in meta
    assert e["meta"]["rule"] == "SCR001" and e["meta"]["severity"] == "error"
    assert engine.expectation_for(SPECS[1])["severity"] == "warning"
    with pytest.raises(ValueError):
        engine.expectation_for(CheckSpec("R", "s", "fatal", "t", "c"))
    # build_suites is deterministic (stable ids -> no git churn)
    assert engine.build_suites(SPECS) == engine.build_suites(SPECS)
    assert set(engine.build_suites(SPECS)) == {"indicators", "sections", "submissions", "statements"}


def test_checkpoint_run_reports_exact_failures_and_builds_docs(tmp_path: Path):
    project = tmp_path / "repo"
    engine.write_project(project, SPECS)
    assert (project / "expectations" / "budget_audit-indicators.json").is_file()
    assert (project / "checkpoints" / "ci-gate.json").is_file()
    committed = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}

    indicators = pd.DataFrame({
        "submission_id": ["S1", "S1", "S2", "S2", "S2"],
        "indicator": ["产出数量", "满意度", "产出数量", "时效", "成本"],
        "scr001": [-1.0, 2.5, np.nan, 0.0, None],  # row 1 violates; NaN/None = n/a; 0 passes
        "str002": [0.0, 0.0, None, np.nan, 1.0],  # last row violates
        "unused_wide_column": range(5),
    })
    submissions = pd.DataFrame({
        "submission_id": ["S1", "S2", "S3"],
        "bud004": [np.nan, 0.3, -0.1],  # S2 violates, S1 not stated
    })
    docs = tmp_path / "docs"
    failures = engine.run(
        {"indicators": indicators, "submissions": submissions}, project, "ci-gate", docs_dir=docs
    )

    got = {(f["submission_id"], f["key"], f["rule"]) for f in failures}
    assert got == {("S1", "满意度", "SCR001"), ("S2", "成本", "STR002"), ("S2", None, "BUD004")}
    assert len(failures) == 3
    scr = next(f for f in failures if f["rule"] == "SCR001")
    assert scr == {"rule": "SCR001", "severity": "error", "table": "indicators",
                   "column": "scr001", "submission_id": "S1", "key": "满意度", "row_id": None}

    # Data Docs went to docs_dir; the index lists the failed run and links its page
    index = docs / "index.html"
    assert index.is_file()
    html = index.read_text(encoding="utf-8")
    assert "budget_audit-indicators" in html and "Failed" in html
    links = re.findall(r"validations/budget_audit-indicators/[^\"']+\.html", html)
    assert links, "index does not link the indicators validation page"
    page = (docs / links[0]).read_text(encoding="utf-8")
    assert "scr001" in page and "满意度" in page  # failing expectation + unexpected row
    suite_page = (docs / "expectations" / "budget_audit-indicators.html").read_text("utf-8")
    assert "SCR001 score-exceeds-weight (error)" in suite_page  # expectation notes

    # the committed store files are untouched by a run; GX lists what we wrote
    assert all(p.read_bytes() == b for p, b in committed.items())
    import great_expectations as gx

    ctx = gx.get_context(mode="file", project_root_dir=str(project))
    assert {c.name for c in ctx.checkpoints.all()} == set(engine.CHECKPOINT_NAMES)
    suite = ctx.suites.get("budget_audit-indicators")
    assert ctx.expectations_store.serialize(suite) == json.dumps(
        engine.build_suites(SPECS)["indicators"], indent=2, sort_keys=True)

    # a missing column is a GX error, not a silent pass or a bogus failure row
    with pytest.raises(engine.GXRunError, match="BUD004"):
        engine.run({"submissions": submissions[["submission_id"]]}, project, "pre-submission")
