"""Findings: the failing rows of the measured tables, rendered.

An engine decides *which rows fail* (pandera by default: `rules.schemas.failing_rows`; or Great
Expectations: `gx`); this module renders those rows as findings (rule, severity, location,
expected/actual/tolerance, Chinese and English messages), applies the profile's rule overrides, and
adds the coverage findings (`<column>_unchecked`: the suite could not check something, reported as
info). Every output format reads the one findings table built here.
"""

from __future__ import annotations

import math
from functools import cache
from string import Formatter
from typing import Any

import numpy as np
import pandas as pd

from .normalize import INDICATOR_LOCATIONS, Tables, indicator_location
from .numeric import fmt_value, json_scalar
from .profiles import Profile
from .rules import CATALOGUE, SEVERITY_RANK, Check, Rule
from .rules.schemas import failing_rows

FINDING_COLUMNS = ["submission_id", "rule", "slug", "severity", "section", "indicator", "location",
                   "expected", "actual", "tolerance", "message_zh", "message_en", "table", "row_order"]


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "—"


LABEL_FIELDS = ("submission_id", "row", "code", "name", "section")


@cache
def _fields(chk: Check) -> tuple[str, ...]:
    """Every column a check's finding reads: template fields, location, numbers, label."""
    names = {f.split(".")[0].split("[")[0] for t in (chk.zh, chk.en) for _, f, _, _ in Formatter().parse(t) if f}
    names |= {c for c in (chk.location, chk.expected, chk.actual, chk.tolerance) if c}
    names.add(f"{chk.column}_truncated")
    return tuple(sorted(names | set(LABEL_FIELDS)))


def _records(df: pd.DataFrame, positions: list[int], fields: tuple[str, ...]) -> list[dict[str, Any]]:
    cols = [c for c in fields if c in df.columns]
    # the columns first, then the rows: taking rows of the whole wide frame copies every column
    return [_none_if_missing(r) for r in df[cols].iloc[positions].to_dict("records")]


def _none_if_missing(row: dict[str, Any]) -> dict[str, Any]:
    """pandas stores a missing text cell as NaN / NA: make it None so labels never read 'nan'."""
    return {k: (None if (v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))) else v)
            for k, v in row.items()}


def _label(row: dict[str, Any], table: str) -> tuple[str | None, str | None, str]:
    """(section, indicator, human label) of a failing row."""
    if table == "indicators":
        ind = row.get("code") or row.get("name")
        label = " ".join(str(p) for p in (row.get("code"), row.get("name")) if p) or str(ind)
        return row.get("section"), ind, label
    if table == "sections":
        sec = row.get("section")
        name = row.get("name")
        label = f"{sec} {name}" if name and name != sec else str(sec)
        return sec, None, label
    return None, None, ""


def _render(rule: Rule, chk: Check, row: dict[str, Any], lang: str) -> str:
    ctx = _Blank({k: v for k, v in row.items() if v is not None})
    section, indicator, label = _label(row, chk.table)
    ctx["ind"] = ctx["sec"] = label
    ctx["expected"] = fmt_value(row.get(chk.expected), chk.fmt) if chk.expected else "—"
    ctx["actual"] = fmt_value(row.get(chk.actual), chk.fmt) if chk.actual else "—"
    ctx["tol"] = fmt_value(row.get(chk.tolerance), chk.fmt) if chk.tolerance else "—"
    template = chk.zh if lang == "zh" else chk.en
    try:
        return template.format_map(ctx)
    except (ValueError, TypeError, IndexError):   # a format spec met a non-number: fall back to plain
        return template.replace(":.0f", "").format_map(ctx)


def _overrides(profiles: dict[str, Profile]) -> dict[tuple[str, str], tuple[bool, str | None]]:
    return {(p.name, rid): (o.enabled, o.severity) for p in profiles.values() for rid, o in p.rules.items()}


def findings_for(tables: Tables, profiles: dict[str, Profile] | None = None,
                 failures: dict[str, list[tuple[str, int]]] | None = None) -> pd.DataFrame:
    """Findings of a batch. `failures` (table → [(rule, row)]) comes from an engine; by default the
    pandera schemas decide. Either way the findings are rendered here, the same way."""
    profiles = profiles or {}
    overrides = _overrides(profiles)
    prof_of = dict(zip(tables.submissions["submission_id"], tables.submissions["profile"]))
    order_of = {sid: i for i, sid in enumerate(tables.submissions["submission_id"])}
    raws = {r.id: r for r in tables.raws}
    out: list[dict[str, Any]] = []

    def emit(rule: Rule, chk: Check, row: dict[str, Any], severity: str, zh: str, en: str) -> None:
        sid = row["submission_id"]
        enabled, sev = overrides.get((prof_of.get(sid, ""), rule.id), (True, None))
        if not enabled:
            return
        if sev and severity != "info":
            severity = sev
        if severity == "error" and row.get(f"{chk.column}_truncated") is True:   # cut, not rounded: a warning
            severity = "warning"
            zh += "（按截断而非四舍五入时一致）"
            en += " (consistent if the figure was truncated rather than rounded)"
        section, indicator, _ = _label(row, chk.table)
        if chk.table == "indicators" and chk.location in INDICATOR_LOCATIONS:
            loc = indicator_location(raws[sid], int(row["row"]), chk.location) if sid in raws else None
        else:
            loc = row.get(chk.location) if chk.location else None
        expected = json_scalar(row.get(chk.expected)) if chk.expected else None
        actual = json_scalar(row.get(chk.actual)) if chk.actual else None
        numeric = any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (expected, actual))
        # a check without a tolerance column compares exactly (assigned points, weights): tolerance 0
        tolerance = json_scalar(row.get(chk.tolerance)) if chk.tolerance else (0.0 if numeric else None)
        out.append({
            "submission_id": sid, "rule": rule.id, "slug": rule.slug, "severity": severity,
            "section": section, "indicator": indicator,
            "location": loc if isinstance(loc, dict) else {"path": loc} if isinstance(loc, str) else None,
            "expected": expected, "actual": actual, "tolerance": tolerance,
            "message_zh": zh, "message_en": en, "table": chk.table,
            "row_order": (order_of.get(sid, 0), int(row.get("row", 0) or 0) if chk.table == "indicators" else -1),
        })

    checks = {(rule.id, chk.table): (rule, chk) for rule in CATALOGUE for chk in rule.checks}
    for table in ("submissions", "sections", "indicators", "statements"):
        df = tables.table(table)
        if df.empty:
            continue
        fails = failing_rows(table, df) if failures is None else failures.get(table, [])
        by_rule: dict[str, list[int]] = {}
        for rid, i in fails:
            by_rule.setdefault(rid, []).append(i)
        for rid, idx in by_rule.items():
            rule, chk = checks[(rid, table)]
            # only the columns this check's messages and fields use: wide tables stay cheap to render
            for row in _records(df, sorted(idx), _fields(chk)):   # table order, whatever order the engine reports
                emit(rule, chk, row, rule.severity, _render(rule, chk, row, "zh"), _render(rule, chk, row, "en"))
        # coverage: what a rule could not check is reported, never silently skipped
        for rule in CATALOGUE:
            for chk in rule.checks:
                col = f"{chk.column}_unchecked"
                if chk.table != table or col not in df.columns:
                    continue
                mask = df[col].notna().to_numpy()
                if not mask.any():
                    continue
                for row in _records(df, np.flatnonzero(mask).tolist(), _fields(chk) + (col,)):
                    zh, en = rule.unchecked.get(row[col], (str(row[col]), str(row[col])))
                    _, _, label = _label(row, table)
                    prefix = f"{label}：" if label else ""
                    emit(rule, chk, row, "info", f"{prefix}{zh}", f"{label + ': ' if label else ''}{en}")
    f = pd.DataFrame(out, columns=FINDING_COLUMNS)
    if not f.empty:   # per submission (input order): errors first, then by rule, then table order
        f["_sub"] = [o[0] for o in f["row_order"]]
        f["_row"] = [o[1] for o in f["row_order"]]
        f["_sev"] = f["severity"].map(SEVERITY_RANK)
        f = f.sort_values(["_sub", "_sev", "rule", "_row"], kind="stable").drop(columns=["_sub", "_row", "_sev"])
        f = f.reset_index(drop=True)
    return f
