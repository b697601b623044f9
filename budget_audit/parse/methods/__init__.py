"""评分办法 (scoring method): read the free-text method of an indicator and recompute its score.

Four steps, one module each, each usable on its own:

* `parse.parse_method(text) -> Method` — a table-driven reader of the method text;
* `compare.compare(target, actual, operator) -> Comparison` — does the actual meet the target?
  (operators, units and scales, qualitative labels, printed-precision tolerance; MTH005);
* `recompute.recompute(method, target, actual, weight) -> Recomputed` — the range of scores the
  method allows, always inside ``[0, weight]``; `schedule_can_form` (SCR008);
* `explain.describe` / `explain.explain` — the readings behind ``budget-audit explain-method``.

Everything is pure and cached; no function raises on messy input.
"""

from .compare import compare, labels_equivalent, match_tier, normalize_operator
from .explain import describe, explain
from .model import CHECKABLE_KINDS, DEFAULT_BANDS, KINDS, Comparison, Method, Recomputed
from .parse import normalize_method_text, parse_method
from .recompute import recompute, recompute_row, schedule_can_form

__all__ = [
    "Method", "Comparison", "Recomputed", "KINDS", "CHECKABLE_KINDS",
    "parse_method", "compare", "recompute", "recompute_row", "match_tier", "labels_equivalent",
    "schedule_can_form", "describe", "explain", "normalize_method_text", "normalize_operator", "DEFAULT_BANDS",
]
