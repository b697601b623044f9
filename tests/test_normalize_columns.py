"""normalize.build builds the indicators table as columns: the same table as built from rows."""

from __future__ import annotations


def test_a_batch_without_indicator_rows_has_object_indicator_columns():
    """The indicators table built as columns keeps the dtypes of the table built from rows when there is
    no row at all (object columns, not pandas' float64 for empty lists)."""
    import warnings

    from budget_audit.pipeline import measured_tables
    from budget_audit.readers.xlsx_reader import read_sheets

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = measured_tables(read_sheets({"Sheet1": [["x"]]}, "e.xlsx", "e", None), None)
    assert t.indicators.empty
    assert {str(t.indicators[c].dtype) for c in ("submission_id", "row", "section", "group")} == {"object"}
