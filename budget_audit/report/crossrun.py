"""The cross-submission rules (XSB, `rules/cross.py`) over a whole chunked run, both engines.

Every other rule judges one submission, so a chunk's entries are final — except for XSB, which
compares the submissions of the *run*. A chunk therefore hands back, beside its entries (without
any XSB finding), one fingerprint row per submission (`chunk_cross`); the parent (the local batch)
or the driver (Spark) adds every chunk's rows to one `CrossRun`, in input order and under the
run-wide ids, calls `findings()` once after the last chunk, and `merge`s the XSB findings into the
entries they belong to. The matches, the messages (naming run-wide ids) and the rendering are the
single-pass code's own (`cross.cross_matches`, `cross.measure_columns`, `findings.findings_for`,
`report.finding_entry`), so a run of any number of chunks gives the report of one single pass.

    chunk_cross(tables)      → (rows, profiles)  what a chunk hands back (plain JSON)
    without_cross(findings)  → the chunk's findings less XSB (they are decided run-wide)
    CrossRun.add(rows, ids, profiles); CrossRun.findings() → {run-wide id: [XSB finding dicts]}
    merge(entry, extra)      the entry with its XSB findings: order, counts, status, grouping
"""

from __future__ import annotations

import math
from types import SimpleNamespace
from typing import Any, Iterable, Sequence

import pandas as pd

from ..findings import findings_for
from ..normalize import Tables
from ..rules import CATALOGUE, SEVERITIES, SEVERITY_RANK
from ..rules.cross import FP_COLUMNS, cross_matches, measure_columns, run_fingerprints
from .grouping import link_consequences

XSB_RULES = tuple(r.id for r in CATALOGUE if r.family == "XSB")
#: a fingerprint row: `cross.FP_COLUMNS` (submission_id is the chunk's id until `CrossRun.add` renames it)
#: and the submission's profile name (its rule overrides)
ROW_COLUMNS = [*FP_COLUMNS, "profile"]


def _plain(v: Any) -> Any:
    """A JSON value: None for NaN / NA, Python numbers for numpy ones."""
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None
    return v.item() if hasattr(v, "item") else v


def chunk_cross(tables: Tables) -> tuple[list[dict[str, Any]], dict[str, dict[str, list]]]:
    """What a chunk hands back for the XSB rules: one fingerprint row per submission, in the submissions
    table's order (= its entries' order), and the profiles' XSB overrides ({profile: {rule: [enabled, severity]}})."""
    fp = _measured_fingerprints(tables)
    s = tables.submissions
    cols = {c: fp[c].tolist() for c in FP_COLUMNS}
    cols["profile"] = s["profile"].tolist() if "profile" in s else [None] * len(s)
    rows = [{c: _plain(cols[c][i]) for c in ROW_COLUMNS} for i in range(len(fp))]
    profiles = {}
    for name, p in tables.profiles.items():
        over = {rid: [bool(o.enabled), o.severity] for rid, o in p.rules.items() if rid in XSB_RULES}
        if over:
            profiles[name] = over
    return rows, profiles


def _measured_fingerprints(tables: Tables) -> pd.DataFrame:
    """The fingerprints the XSB rules measured these tables with. `cross.run_fingerprints` keeps the last pass's,
    keyed by the submissions frame, but the measures after XSB (and `measure_all`'s added columns) replace that
    frame, so asking it again recomputed every fingerprint of the chunk (~0.2 ms a submission). The caller
    (`batch._entries`) calls `cross.forget_pass()` before the check, so a kept pass is this check's own; it is
    used when it holds the same submissions (ids, unique in a chunk, and sources) in the same order (the XSB
    rules may be switched off: then there is none, and they are computed)."""
    from ..rules import cross

    s = tables.submissions
    fp = cross.last_pass()
    if (fp is not None and len(fp) == len(s) and fp["submission_id"].tolist() == s["submission_id"].tolist()
            and fp["source"].tolist() == s["source"].astype(str).tolist()):
        return fp
    return run_fingerprints(tables)


def without_cross(findings: pd.DataFrame) -> pd.DataFrame:
    """A chunk's findings less the XSB ones: those are decided over the whole run (`CrossRun`)."""
    if findings.empty:
        return findings
    keep = ~findings["rule"].isin(XSB_RULES)
    return findings if keep.all() else findings[keep].reset_index(drop=True)


class CrossRun:
    """The fingerprints of a run, chunk after chunk (one small row per submission), then the XSB findings."""

    def __init__(self, rules: Sequence[str] | None = None) -> None:
        self.rules = None if rules is None else set(rules)   # the selected rules (--select/--ignore)
        self.cols: dict[str, list[Any]] = {c: [] for c in ROW_COLUMNS}
        self.profiles: dict[str, dict[str, list]] = {}

    @property
    def wanted(self) -> list[str]:
        """The XSB rules this run reports (none: no fingerprint need be collected)."""
        return [r for r in XSB_RULES if self.rules is None or r in self.rules]

    def __len__(self) -> int:
        return len(self.cols["submission_id"])

    def add(self, rows: Iterable[dict[str, Any]], ids: Iterable[str], profiles: dict[str, dict[str, list]]) -> None:
        """A chunk's rows (`chunk_cross`), in input order, under their run-wide ids."""
        for row, sid in zip(rows, ids, strict=True):
            for c in ROW_COLUMNS:
                self.cols[c].append(sid if c == "submission_id" else row.get(c))
        for name, over in profiles.items():
            self.profiles.setdefault(name, over)

    def findings(self) -> dict[str, list[dict[str, Any]]]:
        """{run-wide submission id: its XSB findings, as the report has them} for every matched submission."""
        from . import finding_entry

        wanted = self.wanted
        if not len(self) or not wanted:
            return {}
        fp = pd.DataFrame({c: self.cols[c] for c in FP_COLUMNS})
        fp["year"] = pd.to_numeric(fp["year"], errors="coerce")
        m = cross_matches(fp)
        hit = {rid: [i for i, x in enumerate(m[rid.lower()]) if x] for rid in wanted}
        rows = sorted({i for idx in hit.values() for i in idx})
        if not rows:
            return {}
        # the matched submissions' table: the columns the XSB rules measure, the year and profile they print with
        sub = pd.DataFrame({"submission_id": [self.cols["submission_id"][i] for i in rows],
                            "profile": [self.cols["profile"][i] for i in rows]})
        for rid in wanted:
            for name, values in measure_columns(fp, m, rid.lower(), rows).items():
                sub[name] = list(values)
        measured = {rid: sub[rid.lower()].to_numpy() for rid in wanted}       # one array per rule, not .iloc per row
        failures = {"submissions": [(rid, j) for rid in wanted for j in range(len(rows)) if measured[rid][j] > 0]}
        empty = pd.DataFrame({"submission_id": pd.Series(dtype=object)})
        tables = Tables(indicators=empty, sections=empty, submissions=sub, statements=empty)
        profiles = {name: SimpleNamespace(name=name, rules={rid: SimpleNamespace(enabled=e, severity=sev)
                                                            for rid, (e, sev) in over.items()})
                    for name, over in self.profiles.items()}
        out: dict[str, list[dict[str, Any]]] = {}
        for row in findings_for(tables, profiles, failures).to_dict("records"):
            out.setdefault(row["submission_id"], []).append(finding_entry(row))
        return out


def merge(entry: dict[str, Any], extra: list[dict[str, Any]]) -> dict[str, Any]:
    """Add a submission's XSB findings to its report entry (in place) exactly where a single pass puts them
    (by severity, then rule), and recount: counts, status, the consequence links and headline counts."""
    if not extra:
        return entry
    fs = entry["findings"]
    for f in fs:
        f.pop("caused_by", None)
        f.pop("consequences", None)
    for x in extra:
        key = (SEVERITY_RANK[x["severity"]], x["rule"])
        at = next((i for i, f in enumerate(fs) if (SEVERITY_RANK[f["severity"]], f["rule"]) > key), len(fs))
        fs.insert(at, x)
    entry["counts"] = {s: sum(1 for f in fs if f["severity"] == s) for s in SEVERITIES}
    if entry["status"] in ("passed", "failed"):
        entry["status"] = "failed" if entry["counts"]["error"] else "passed"
    link_consequences({"submissions": [entry], "summary": {}})
    return entry


def tally(entry: dict[str, Any]) -> dict[str, Any]:
    """One entry's share of the report's summary (`Overview` adds these up)."""
    return {"submissions": 1, **{s: int(entry["status"] == s) for s in ("passed", "failed", "unreadable", "skipped")},
            "findings": dict(entry["counts"]), "headline_findings": dict(entry.get("headline_counts", entry["counts"]))}
