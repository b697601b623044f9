"""Reading a table laid out by people: one grid of cells, recognised piece by piece.

Works on a list of rows (lists of cell values as printed) plus a cell-reference function, so the same
code reads a worksheet, a CSV file, a Word table or a PDF table:

- `cells.py`        cell values and references (row, col → "H12");
- `builder.py`      the submission being built (data dict + provenance);
- `header.py`       the score table's header row(s) among synonyms;
- `score_table.py`  the rows of the score table;
- `blocks.py`       what surrounds it: title and label/value pairs, the budget grid, key/value sheets;
- `long_form.py`    long-form batch tables (one submission per `submission_id`).

It does not judge or convert values.
"""

from .blocks import parse_kv, parse_preamble, statement_quantity
from .builder import Builder
from .cells import (
           MAX_HEADER_SCAN,
           NO_SCORE_TABLE,
           CellRef,
           cell,
           cell_name,
           col_letters,
           value,
)
from .header import Header, find_header, is_repeat_header, report_missing_columns
from .long_form import read_long_form
from .score_table import parse_score_table

__all__ = ["Builder", "CellRef", "Header", "MAX_HEADER_SCAN", "NO_SCORE_TABLE", "cell", "cell_name", "col_letters",
           "find_header", "is_repeat_header", "parse_kv", "parse_preamble", "parse_score_table", "read_long_form",
           "report_missing_columns", "statement_quantity", "value"]
