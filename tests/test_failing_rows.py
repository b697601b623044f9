"""`rules.schemas.failing_rows` runs each rule column's pandera coercion and checks, only on the columns
that can fail: the failing rows must be exactly those of the whole schema validated with
`schema.validate(lazy=True)` (the reference below is the old call)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest

from budget_audit.rules.schemas import TABLES, column_rules, failing_rows, schema_for


def _reference(table: str, df: pd.DataFrame) -> list[tuple[str, int]]:
    schema = schema_for(table)
    try:
        schema.validate(df[list(schema.columns)], lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases
    by_column = column_rules(table)
    fc = fc[fc["index"].notna() & fc["column"].isin(list(by_column))]
    return [(by_column[c], int(i)) for c, i in zip(fc["column"], fc["index"])]


def _frame(table: str, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    cols = list(schema_for(table).columns)
    n = 40
    data = {}
    for j, c in enumerate(cols):
        kind = (j + seed) % 5   # every column gets every kind over the seeds (statements has one column)
        if kind == 0:      # compliant floats and NaN only: never handed to pandera, never failing
            data[c] = np.where(rng.random(n) < 0.3, np.nan, -rng.random(n))
        elif kind == 1:    # some rows fail
            data[c] = np.where(rng.random(n) < 0.2, 1.0, 0.0)
        elif kind == 2:    # object column of numbers as text and None: pandera coerces it, "2" fails
            data[c] = pd.Series(rng.choice(["-1", "0", "2", None], n), dtype=object)
        elif kind == 3:    # booleans: True is 1 > 0
            data[c] = rng.random(n) < 0.1
        else:              # integers, all compliant
            data[c] = -rng.integers(0, 3, n)
    data["unrelated"] = ["x"] * n
    return pd.DataFrame(data)


@pytest.mark.parametrize("table", [t for t in TABLES if schema_for(t).columns])
def test_failing_rows_match_the_whole_schema(table):
    failures = 0
    for seed in range(5):
        df = _frame(table, seed)
        got = failing_rows(table, df)
        assert sorted(got) == sorted(_reference(table, df))
        failures += len(got)
    assert failures, "the fixtures must contain failures, else the comparison proves nothing"


def test_a_frame_that_passes_has_no_failures_and_a_missing_column_is_an_error():
    table = "indicators"
    cols = list(schema_for(table).columns)
    ok = pd.DataFrame({c: [0.0, -1.0, np.nan] for c in cols})
    assert failing_rows(table, ok) == []
    with pytest.raises(KeyError):
        failing_rows(table, ok.drop(columns=cols[0]))


def test_a_column_pandera_cannot_coerce_is_still_an_error():
    table = "indicators"
    cols = list(schema_for(table).columns)
    bad = pd.DataFrame({c: [0.0, -1.0] for c in cols})
    bad[cols[0]] = pd.Series(["not a number", "0"], dtype=object)
    with pytest.raises((RuntimeError, pa.errors.SchemaErrors, ValueError, TypeError)):
        failing_rows(table, bad)


def test_a_nullable_extension_column_is_judged_by_pandera():
    table = "indicators"
    cols = list(schema_for(table).columns)
    df = pd.DataFrame({c: [0.0, -1.0, np.nan] for c in cols})
    df[cols[0]] = pd.array([pd.NA, 2.0, -1.0], dtype="Float64")
    assert sorted(failing_rows(table, df)) == sorted(_reference(table, df)) == [(column_rules(table)[cols[0]], 1)]
