"""GX on Spark: the committed suites run on Spark DataFrames of the canonical tables and flag what
pandera flags (the parity test of tests/test_gx.py, on Spark)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from budget_audit.pipeline import run_check
from budget_audit.rules import CATALOGUE
from budget_audit.spark.gx_spark import engine_for

ROOT = Path(__file__).resolve().parents[2]


def _keys(findings):
    return {(r.submission_id, r.rule, r.severity, r.indicator or r.section or "") for r in findings.itertuples()}


@pytest.fixture(scope="module")
def parity_inputs(tmp_path_factory):
    sys.path.insert(0, str(ROOT / "tests"))
    from rule_cases import write_batch

    paths, _, _ = write_batch(tmp_path_factory.mktemp("gx-spark"))
    return [str(p) for p in paths] + [str(ROOT / "datasets" / "reference")]


def test_parity_gx_on_spark_equals_pandera(spark, parity_inputs):
    by_pandera = run_check(parity_inputs).findings
    by_gx = run_check(parity_inputs, engine=engine_for(spark, ROOT, "ci-gate")).findings
    assert len(by_pandera) > 50
    assert _keys(by_gx) == _keys(by_pandera)
    assert {r.id for r in CATALOGUE} <= set(by_pandera["rule"])    # every expectation is exercised


def test_nan_is_not_applicable_on_spark(spark):
    """NaN (rule not applicable) passes on Spark as on pandas; 0 passes; > 0 fails."""
    import numpy as np
    import pandas as pd

    from budget_audit.spark.gx_spark import run_spark_gx

    checks = [(r.id, c.column) for r in CATALOGUE for c in r.checks if c.table == "submissions"]
    rule, col = checks[0]
    df = pd.DataFrame({"submission_id": ["a", "b", "c", "d"], "row_id": np.arange(4, dtype="int64"),
                       **{c: [np.nan] * 4 for _, c in checks}})
    df[col] = [np.nan, 0.0, 2.5, None]
    flat = run_spark_gx(spark, {"submissions": df}, ROOT, "ci-gate")
    assert [(f["rule"], f["submission_id"], f["row_id"]) for f in flat] == [(rule, "c", 2)]
