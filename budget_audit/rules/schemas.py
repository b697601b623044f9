"""pandera schemas assembled from the catalogue: one `DataFrameSchema` per canonical table.

Each rule check becomes a built-in `pa.Check.le(0)` named after the rule on its measure column
(nullable: NaN = not applicable). Schemas are validated on narrow frames: only the measure columns
that can fail (see `failing_rows`), so a batch with many failures stays cheap.
"""

from __future__ import annotations

from functools import cache, lru_cache

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


@lru_cache(maxsize=256)
def _sub_schema(table: str, columns: tuple[str, ...]) -> pa.DataFrameSchema:
    """The table's schema restricted to some of its columns (the same Column objects, checks and names)."""
    full = schema_for(table)
    return pa.DataFrameSchema({c: full.columns[c] for c in columns}, name=table, strict=False, ordered=False)


def _may_fail(col: pd.Series) -> bool:
    """False only when the column is numeric (float/int/bool: pandera's float coercion cannot fail) and no
    value is > 0, i.e. `Check.le(0)` certainly passes every row. Anything else goes to pandera, which
    coerces and judges it (an object column, a value > 0)."""
    if col.dtype.kind not in "fiub":
        return True
    return bool((col.to_numpy() > 0).any())


def failing_rows(table: str, df: pd.DataFrame) -> list[tuple[str, int]]:
    """Run the table's pandera schema; return (rule ID, row index) for every failing row.

    pandera costs ~5 ms per column validated, most of it fixed (60 columns: ~0.2 s per chunk whatever
    its size), so columns that certainly pass (`_may_fail`) are not handed to it: the failing rows are
    the same, pandera still judges every column that has a candidate failure or needs coercing."""
    schema = schema_for(table)
    if df.empty or not schema.columns:
        return []
    narrow = df[list(schema.columns)]           # every rule column must exist (KeyError: a measure bug)
    cols = tuple(c for c in schema.columns if _may_fail(narrow[c]))
    if not cols:
        return []
    try:
        _sub_schema(table, cols).validate(narrow[list(cols)], lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases
    by_column = column_rules(table)
    fc = fc[fc["index"].notna() & fc["column"].isin(list(by_column))]
    # pandera names built-in checks by their operation; anything else (a dtype coercion) is a derive bug
    unexpected = fc[~fc["check"].astype(str).str.startswith("less_than_or_equal_to")]
    if not unexpected.empty:   # a dtype/coercion failure means a derive bug: never report "all passed"
        raise RuntimeError(f"schema failure outside the rule checks on {table}: {unexpected.head(3).to_dict('records')}")
    return [(by_column[c], int(i)) for c, i in zip(fc["column"], fc["index"])]
