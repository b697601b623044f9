"""pandera schemas assembled from the catalogue: one `DataFrameSchema` per canonical table.

Each rule check becomes a built-in `pa.Check.le(0)` named after the rule on its measure column
(nullable: NaN = not applicable). `failing_rows` runs each schema column's pandera coercion and checks
on the measure columns that can fail (see there), so a batch with many failures stays cheap.
"""

from __future__ import annotations

from functools import cache

import sys

import numpy as np
import pandas as pd

if "pyspark.pandas" not in sys.modules:
    # pandera imports pyspark.pandas whenever pyspark is installed (the `.[spark]` extra): 0.6 s per
    # process and a patched pandas, for a pandera-on-Spark API this suite never uses (Spark tasks run
    # these same pandas schemas). A None entry makes that one optional import fail fast.
    sys.modules["pyspark.pandas"] = None  # type: ignore[assignment]
    try:
        import pandera.pandas as pa
    finally:
        del sys.modules["pyspark.pandas"]
else:
    import pandera.pandas as pa

from . import CATALOGUE

TABLES = ("indicators", "sections", "submissions", "statements")


@cache
def schema_for(table: str) -> pa.DataFrameSchema:
    columns: dict[str, pa.Column] = {}
    for rule in CATALOGUE:
        for chk in rule.checks:
            if chk.table != table:
                continue
            columns[chk.column] = pa.Column(
                float, nullable=True, coerce=True, required=True,
                checks=[pa.Check.le(0, name=rule.id)],
                title=f"{rule.id} {rule.slug}",
                description=f"{rule.severity}: {rule.title_en} ({rule.title_zh}). ≤ 0 compliant, null = not applicable.",
            )
    return pa.DataFrameSchema(columns, name=table, strict=False, ordered=False)


def column_rules(table: str) -> dict[str, str]:
    """Measure column → rule ID for one table."""
    return {chk.column: rule.id for rule in CATALOGUE for chk in rule.checks if chk.table == table}


def _may_fail(col: pd.Series) -> bool:
    """False only when the column is a plain numpy number (float/int/bool: pandera's float coercion cannot
    fail) and no value is > 0, i.e. `Check.le(0)` certainly passes every row. Anything else goes to
    pandera, which coerces and judges it (an object or nullable-extension column, a value > 0)."""
    if not isinstance(col.dtype, np.dtype) or col.dtype.kind not in "fiub":
        return True
    return bool((col.to_numpy() > 0).any())


def failing_rows(table: str, df: pd.DataFrame) -> list[tuple[str, int]]:
    """The table's pandera schema on `df`: (rule ID, row index) for every failing row.

    Each rule column that can fail (`_may_fail`) is coerced by its schema column's pandera dtype and
    judged by that column's pandera checks (the same `Check.le(0)` objects `schema.validate` runs; nulls
    pass, `ignore_na`). Not `schema.validate(lazy=True)` itself: for every failing column that builds and
    consolidates pandera's failure-case report, ~5–10 ms each whatever the batch size (~0.1 s of every
    chunk), only to be read back into these pairs. tests/test_failing_rows.py holds this to
    `schema.validate`."""
    schema = schema_for(table)
    if df.empty or not schema.columns:
        return []
    narrow = df[list(schema.columns)]           # every rule column must exist (KeyError: a measure bug)
    by_column = column_rules(table)
    out: list[tuple[str, int]] = []
    for name, column in schema.columns.items():
        values = narrow[name]
        if not _may_fail(values):
            continue
        try:
            values = column.dtype.coerce(values)
        except Exception as exc:   # a dtype/coercion failure means a derive bug: never report "all passed"
            raise RuntimeError(f"schema failure outside the rule checks on {table}: {name}: {exc}") from exc
        for chk in column.checks:
            res = chk(values)
            if bool(res.check_passed):
                continue
            ok = res.check_output
            if not isinstance(ok, pd.Series) or ok.dtype != bool:
                raise RuntimeError(f"{table}.{name}: check {chk.name} gave no row-wise result")
            out += [(by_column[name], int(i)) for i in ok.index[~ok.to_numpy()]]
    return out
