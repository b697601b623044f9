"""The auditor's review pass over a report: waivers and a baseline.

Both are applied to the report dict after the check (`build_report`), one submission entry at a time
(`Review.entry`), then the summary is recounted (`Review.finish`) — so the pass works the same on a
report built in one piece and on per-submission entries streamed out of a chunked run.

Waivers (`check --waivers FILE`): a YAML list of

    - rule: SCR001              # a rule ID of the catalogue
      submission: nanjing-2023  # a submission id (or its source path) … or
      unit: 南京市电化教育馆      # … every submission of a unit (at least one of the two)
      indicator: B11            # optional: only findings about this indicator (code or name) or section
      reason: 已与财政局核实，按批复口径填报
      expires: 2026-12-31       # a date: the waiver holds up to and including it

A finding a waiver in force matches is *waived*: it stays in the report (``"waived": {...}``), is
counted apart (``counts`` / ``summary.findings`` leave it out, ``waived`` / ``summary.waived`` hold it)
and never fails the gate. A waiver past its date waives nothing; if it matched a finding it is itself
a finding, WVR001 expired-waiver (warning), on that submission. A broken file (unknown rule ID, no
reason, a bad date, neither submission nor unit, unknown keys) is a `WaiverError` (exit 2).

Baseline (`check --baseline previous-report.json`): each finding is marked ``"baseline": "new"`` or
``"persisting"`` by (submission id, rule, location) — the location without its file path, or the
indicator/section where a finding has no location — and each submission lists the baseline's findings
that no longer occur as ``"resolved"``. With `--fail-on-new` the exit code looks at new findings only.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any, Iterable

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from ..profiles import ProfileError, load_profile
from ..rules import RULES, SEVERITIES
from . import LEVELS

_WS = re.compile(r"\s+")


class WaiverError(ValueError):
    """The waivers or baseline file cannot be used (the message is Chinese / English)."""


class Waiver(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    rule: str
    submission: str | None = None
    unit: str | None = None
    indicator: str | None = None
    reason: str
    expires: dt.date

    @field_validator("rule")
    @classmethod
    def _known_rule(cls, v: str) -> str:
        if v not in RULES:
            raise ValueError(f"未知的规则编号 / unknown rule ID {v!r}")
        return v

    @field_validator("reason")
    @classmethod
    def _has_reason(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("豁免理由不能为空 / the reason must not be empty")
        return v

    @field_validator("submission", "unit", "indicator", mode="before")
    @classmethod
    def _as_text(cls, v: Any) -> Any:
        return None if v is None else str(v)

    @model_validator(mode="after")
    def _has_scope(self) -> "Waiver":
        if not self.submission and not self.unit:
            raise ValueError("需要 submission 或 unit / needs a submission or a unit")
        return self


def _unit_key(unit: Any) -> str:
    return _WS.sub("", str(unit)) if unit else ""


def load_waivers(path: str | Path) -> list[Waiver]:
    """The waivers of a YAML file (a list, or a mapping with a `waivers:` list); WaiverError when broken."""
    import yaml

    path = Path(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise WaiverError(f"无法读取豁免文件 / cannot read the waivers file {path}: {exc}") from exc
    except (yaml.YAMLError, ValueError) as exc:   # PyYAML raises ValueError on a date like 2026-13-01
        raise WaiverError(f"豁免文件不是有效的 YAML 或含无效日期 / the waivers file {path} is not valid YAML or holds an invalid date: {exc}") from exc
    if isinstance(doc, dict) and set(doc) == {"waivers"}:
        doc = doc["waivers"]
    if doc is None:
        doc = []
    if not isinstance(doc, list):
        raise WaiverError(f"豁免文件应为列表 / the waivers file {path} must hold a list of waivers")
    out, problems = [], []
    for i, item in enumerate(doc, start=1):
        if not isinstance(item, dict):
            problems.append(f"  第 {i} 条 / entry {i}: 应为映射 / must be a mapping (rule, submission/unit, reason, expires)")
            continue
        try:
            out.append(Waiver.model_validate(item))
        except ValidationError as exc:
            for e in exc.errors():
                where = ".".join(str(x) for x in e["loc"]) or "-"
                msg = e["msg"].removeprefix("Value error, ")
                if e["type"] == "missing":
                    msg = "缺少此项 / missing"
                elif e["type"] == "extra_forbidden":
                    msg = "未知的键 / unknown key"
                elif where == "expires":
                    msg = f"不是有效日期（YYYY-MM-DD）/ not a valid date (YYYY-MM-DD): {e.get('input')!r}"
                problems.append(f"  第 {i} 条 / entry {i} {where}: {msg}")
    if problems:
        raise WaiverError(f"豁免文件有误 / invalid waivers file {path}:\n" + "\n".join(problems))
    return out


def load_baseline(path: str | Path) -> dict[str, Any]:
    """A previous `--format json` report."""
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WaiverError(f"无法读取基线报告 / cannot read the baseline report {path}: {exc}") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("submissions"), list):
        raise WaiverError(f"基线文件不是 budget-audit 的 JSON 报告 / the baseline {path} is not a budget-audit JSON report")
    return doc


def finding_key(sid: str, f: dict[str, Any]) -> tuple[str, str, str]:
    """(submission id, rule, location): the location without its file path (files move between runs);
    the indicator / section where there is no other location."""
    loc = {k: v for k, v in (f.get("location") or {}).items() if k != "file"}
    where = json.dumps(loc, ensure_ascii=False, sort_keys=True) if loc else \
        f"ind={f.get('indicator')}|sec={f.get('section')}"
    return str(sid), str(f.get("rule")), where


def _profile_override(name: str | None, cache: dict[str, tuple[bool, str | None]]) -> tuple[bool, str | None]:
    """(enabled, severity) of WVR001 under a submission's profile (a built-in or a path; unknown: defaults)."""
    if not name:
        return True, None
    if name not in cache:
        try:
            o = load_profile(name).rules.get("WVR001")
            cache[name] = (o.enabled, o.severity) if o else (True, None)
        except (ProfileError, OSError):
            cache[name] = (True, None)
    return cache[name]


class Review:
    """Waivers and/or a baseline, applied entry by entry (`entry`), then the summary (`finish`)."""

    def __init__(self, waivers: Iterable[Waiver] = (), baseline: dict[str, Any] | None = None, *,
                 today: dt.date | None = None, waivers_file: str | None = None):
        self.waivers = list(waivers)
        self.today = today or dt.date.today()
        self.waivers_file = waivers_file
        self.baseline = baseline
        self._profiles: dict[str, tuple[bool, str | None]] = {}
        self._base: dict[str, list[tuple[tuple[str, str, str], dict[str, Any]]]] = {}
        if baseline is not None:
            for s in baseline.get("submissions", []):
                self._base[str(s.get("id"))] = [(finding_key(s.get("id"), f), f) for f in s.get("findings", [])]

    # -- waivers ----------------------------------------------------------------------------------
    def _matches(self, w: Waiver, s: dict[str, Any], f: dict[str, Any]) -> bool:
        if w.rule != f["rule"]:
            return False
        if w.submission and w.submission not in (str(s["id"]), str(s.get("source"))):
            return False
        if w.unit and _unit_key(w.unit) != _unit_key(s.get("unit")):
            return False
        if w.indicator and w.indicator not in (str(f.get("indicator")), str(f.get("section"))):
            return False
        return True

    def _expired_finding(self, n: int, w: Waiver, s: dict[str, Any]) -> dict[str, Any] | None:
        enabled, sev = _profile_override(s.get("profile"), self._profiles)
        if not enabled:
            return None
        rule = RULES["WVR001"]
        chk = rule.checks[0]
        ctx = {"wvr001_entry": n, "wvr001_rule": w.rule, "wvr001_reason": w.reason,
               "wvr001_expires": w.expires.isoformat()}
        loc = {"file": self.waivers_file, "entry": n} if self.waivers_file else {"entry": n}
        return {"rule": rule.id, "slug": rule.slug, "severity": sev or rule.severity, "section": None,
                "indicator": w.indicator, "location": loc, "expected": None, "actual": None, "tolerance": None,
                "message": {"zh": chk.zh.format_map(ctx), "en": chk.en.format_map(ctx)}}

    def _apply_waivers(self, s: dict[str, Any]) -> None:
        expired: dict[int, Waiver] = {}
        for f in s["findings"]:
            for n, w in enumerate(self.waivers, start=1):
                if not self._matches(w, s, f):
                    continue
                if w.expires >= self.today:
                    f["waived"] = {"reason": w.reason, "expires": w.expires.isoformat(), "entry": n}
                    break
                expired.setdefault(n, w)
                f["waiver_expired"] = {"reason": w.reason, "expires": w.expires.isoformat(), "entry": n}
        rank = {"error": 0, "warning": 1, "info": 2}
        for n, w in sorted(expired.items()):
            extra = self._expired_finding(n, w, s)
            if extra is not None:   # after the findings of its severity and above (errors first, …)
                at = next((i for i, f in enumerate(s["findings"]) if rank[f["severity"]] > rank[extra["severity"]]),
                          len(s["findings"]))
                s["findings"].insert(at, extra)

    # -- baseline ---------------------------------------------------------------------------------
    def _apply_baseline(self, s: dict[str, Any]) -> None:
        previous = list(self._base.get(str(s["id"]), []))
        pool: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        for key, f in previous:
            pool.setdefault(key, []).append(f)
        for f in s["findings"]:
            left = pool.get(finding_key(s["id"], f))
            if left:
                left.pop()
                f["baseline"] = "persisting"
            else:
                f["baseline"] = "new"
        s["resolved"] = [{k: f.get(k) for k in ("rule", "slug", "severity", "section", "indicator", "location",
                                                  "message")}
                         for fs in pool.values() for f in fs]

    # -- the pass ---------------------------------------------------------------------------------
    def entry(self, s: dict[str, Any]) -> dict[str, Any]:
        """Apply waivers and baseline to one submission entry of a report (in place) and recount it."""
        if self.waivers:
            self._apply_waivers(s)
        if self.baseline is not None:
            self._apply_baseline(s)
        live = [f for f in s["findings"] if not f.get("waived")]
        s["counts"] = {sev: sum(1 for f in live if f["severity"] == sev) for sev in SEVERITIES}
        s["waived"] = {sev: sum(1 for f in s["findings"] if f.get("waived") and f["severity"] == sev)
                       for sev in SEVERITIES}
        if s["status"] in ("passed", "failed"):
            s["status"] = "failed" if s["counts"]["error"] else "passed"
        return s

    def finish(self, report: dict[str, Any]) -> dict[str, Any]:
        """Recount the summary from the (reviewed) entries."""
        subs = report["submissions"]
        sm = report["summary"]
        for key in ("passed", "failed"):
            sm[key] = sum(1 for s in subs if s["status"] == key)
        sm["findings"] = {sev: sum(s["counts"][sev] for s in subs) for sev in SEVERITIES}
        sm["waived"] = {sev: sum(s.get("waived", {}).get(sev, 0) for s in subs) for sev in SEVERITIES}
        if self.baseline is not None:
            live = [f for s in subs for f in s["findings"] if not f.get("waived")]
            sm["baseline"] = {
                "new": {sev: sum(1 for f in live if f.get("baseline") == "new" and f["severity"] == sev)
                        for sev in SEVERITIES},
                "persisting": sum(1 for f in live if f.get("baseline") == "persisting"),
                "resolved": sum(len(s.get("resolved", [])) for s in subs),
                "submissions_not_rechecked": sorted(set(self._base) - {str(s["id"]) for s in subs}),
            }
        return report

    def apply(self, report: dict[str, Any]) -> dict[str, Any]:
        for s in report["submissions"]:
            self.entry(s)
        return self.finish(report)


def gate(report: dict[str, Any], fail_on: str, new_only: bool = False) -> int:
    """The exit code: like `report.exit_code` (waived findings never count), or, with `new_only`, over
    the findings the baseline does not hold."""
    if not new_only:
        from . import exit_code

        return exit_code(report, fail_on)
    limit = LEVELS[fail_on]
    new = report["summary"].get("baseline", {}).get("new", {})
    worst = min((LEVELS[s] for s, n in new.items() if n), default=99)
    return 1 if worst <= limit else 0
