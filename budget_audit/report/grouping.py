"""One mistake, one headline: findings that follow from another finding on the same cell or figure.

A score above its weight (SCR001) also contradicts its scoring method (MTH001) on the same cell; a
stated execution rate that does not follow from the budget (BUD004), repeated as the actual of the
execution-rate indicator (BUD006), is wrong for the same reason. Both findings stay in the report
(nothing is hidden, counts by severity are unchanged); the consequence gets `caused_by` (the index
of the primary finding in the submission's `findings`, and its rule) and the primary gets
`consequences`. `headline_counts` (per submission) and `summary.headline_findings` count the
findings that are not a consequence of another, so a report says both numbers.
"""

from __future__ import annotations

import math
from typing import Any, Callable

from ..rules import SEVERITIES


def _same_cell(p: dict[str, Any], c: dict[str, Any]) -> bool:
    return bool(p["location"]) and p["location"] == c["location"] and p["indicator"] == c["indicator"]


def _close(a: Any, b: Any) -> bool:
    return (isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool)
            and not isinstance(b, bool) and math.isclose(float(a), float(b), rel_tol=0, abs_tol=1e-9))


def _same_figure(p: dict[str, Any], c: dict[str, Any]) -> bool:
    return _close(p["actual"], c["actual"]) and _close(p["expected"], c["expected"])


#: (primary rule, consequence rule, how the two are tied to one mistake)
CONSEQUENCES: tuple[tuple[str, str, Callable[[dict[str, Any], dict[str, Any]], bool]], ...] = (
    ("SCR001", "MTH001", _same_cell),      # a score above its weight also contradicts its method
    ("BUD004", "BUD006", _same_figure),    # the wrong stated rate, repeated as the rate indicator's actual
)


def link_consequences(report: dict[str, Any]) -> dict[str, Any]:
    """Add `caused_by` / `consequences` links and the headline counts to a report dict (in place)."""
    totals = {s: 0 for s in SEVERITIES}
    for sub in report["submissions"]:
        fs = sub["findings"]
        by_rule: dict[str, list[int]] = {}
        for i, f in enumerate(fs):
            by_rule.setdefault(f["rule"], []).append(i)
        for primary, consequence, tied in CONSEQUENCES:
            for j in by_rule.get(consequence, ()):
                if "caused_by" in fs[j]:
                    continue
                for i in by_rule.get(primary, ()):
                    if "caused_by" not in fs[i] and tied(fs[i], fs[j]):
                        fs[j]["caused_by"] = {"index": i, "rule": primary}
                        fs[i].setdefault("consequences", []).append({"index": j, "rule": consequence})
                        break
        heads = {s: sum(1 for f in fs if f["severity"] == s and "caused_by" not in f) for s in SEVERITIES}
        sub["headline_counts"] = heads
        for s in SEVERITIES:
            totals[s] += heads[s]
    report["summary"]["headline_findings"] = totals
    return report
