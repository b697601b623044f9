"""Report: one findings table → console / JSON / Excel / JUnit. Every format reads the same model."""

from __future__ import annotations

from typing import Any

from .. import RULES_VERSION, __version__
from ..numeric import json_scalar
from ..rules import SEVERITIES
from .grouping import link_consequences

LEVELS = {"error": 0, "warning": 1, "info": 2, "never": -1}   # fail when a finding ranks <= the level


def _clean(x: Any) -> Any:
    return json_scalar(x, digits=None)


def _whole(x: Any) -> Any:
    """A year as the unit typed it: 2023, not 2023.0 (a float column holds it as a float)."""
    x = _clean(x)
    return int(x) if isinstance(x, float) and x.is_integer() else x


def _first(*values: Any) -> Any:
    return next((v for v in values if v is not None and v == v), None)   # v == v: not NaN


def finding_entry(row: dict[str, Any]) -> dict[str, Any]:
    """A row of the findings table → the finding as the report has it."""
    return {
        "rule": row["rule"], "slug": row["slug"], "severity": row["severity"],
        "section": _clean(row["section"]), "indicator": _clean(row["indicator"]),
        "location": row["location"], "expected": _clean(row["expected"]), "actual": _clean(row["actual"]),
        "tolerance": _clean(row["tolerance"]),
        "message": {"zh": row["message_zh"], "en": row["message_en"]},
    }


def build_report(result) -> dict[str, Any]:
    """The check report as a dict, exactly the `interchange.md` contract (plus a few extra keys)."""
    t = result.tables
    f = result.findings
    by_sub: dict[str, list[dict[str, Any]]] = {}
    for row in f.to_dict("records"):
        by_sub.setdefault(row["submission_id"], []).append(finding_entry(row))
    ind = t.indicators
    n_ind = ind.groupby("submission_id").size().to_dict() if len(ind) else {}
    n_mc = (ind.groupby("submission_id")["machine_checked"].sum().to_dict()
            if len(ind) and "machine_checked" in ind else {})
    subs = []
    totals = {s: 0 for s in SEVERITIES}
    passed = failed = unreadable = skipped = 0
    cols = ["submission_id", "unreadable", "skipped", "source", "sha256", "unit", "year", "profile",
            "profile_reason_zh", "profile_reason_en"]
    for row in t.submissions[cols].to_dict("records"):     # only what the report shows: a wide table is slow
        sid = row["submission_id"]
        fs = by_sub.get(sid, [])
        counts = {s: sum(1 for x in fs if x["severity"] == s) for s in SEVERITIES}
        for s in SEVERITIES:
            totals[s] += counts[s]
        if row["unreadable"]:
            status = "unreadable"
            unreadable += 1
        elif row["skipped"]:
            status = "skipped"          # a file of a kind the suite does not read (STR012): listed, not judged
            skipped += 1
        elif counts["error"]:
            status = "failed"
            failed += 1
        else:
            status = "passed"
            passed += 1
        subs.append({
            "id": sid, "source": row["source"], "sha256": _clean(row["sha256"]), "unit": _clean(row["unit"]),
            "year": _whole(row["year"]), "profile": row["profile"],
            "profile_reason": row["profile_reason_zh"], "profile_reason_en": row["profile_reason_en"],
            "status": status, "counts": counts,
            # for charts (HTML report): the total as stated, else as computed; the execution rate as computed, else stated
            "total_score": _clean(_first(row.get("stated_total"), row.get("score_total"))),
            "execution_rate": _clean(row.get("rate_effective")),
            "checked": {"indicators": int(n_ind.get(sid, 0)), "machine_checked": int(n_mc.get(sid, 0))},
            "findings": fs,
        })
    return link_consequences({
        "tool": {"name": "budget-audit", "version": __version__, "rules_version": RULES_VERSION},
        "submissions": subs,
        "summary": {"submissions": len(subs), "passed": passed, "failed": failed, "unreadable": unreadable, "skipped": skipped,
                    "findings": totals},
    })


def exit_code(report: dict[str, Any], fail_on: str) -> int:
    """0: nothing at or above the --fail-on level; 1: something is."""
    limit = LEVELS[fail_on]
    worst = min((LEVELS[s] for s, n in report["summary"]["findings"].items() if n), default=99)  # 0 = error
    return 1 if worst <= limit else 0
