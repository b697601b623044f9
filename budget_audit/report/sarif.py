"""`--format sarif`: the report as one SARIF 2.1.0 run (GitHub code scanning and other SARIF viewers).

- `tool.driver.rules`: the rule catalogue (the rules selected for this run): id, name = slug,
  shortDescription = title (Chinese; English with --lang en), fullDescription and help = the rule's
  documentation, tolerance and example; defaultConfiguration.level = the rule's default severity.
- `results`: one per finding; level error / warning / note (info); the location is the submission's
  own file (`artifactLocation.uri`), with `region.startLine` where the finding is on a line of a text
  or CSV file. A cell of a workbook, a page of a PDF or a paragraph of a Word file is no line: it is
  given as a logical location ("预算执行!B15") and in `properties` (sheet, cell, page, line, table …).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..rules import CATALOGUE
from .locate import place, source_file
from .outputs import register

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def artifact_uri(path: str) -> str:
    """A relative path stays a relative URI reference (resolved against the checkout root by code
    scanning); an absolute one becomes a file:// URI. Non-ASCII names are percent-encoded."""
    p = Path(path)
    if p.is_absolute():
        return p.as_uri()
    return quote(p.as_posix(), safe="/")


def _rule_descriptor(r, zh: bool) -> dict[str, Any]:
    title = r.title_zh if zh else r.title_en
    help_text = f"{r.doc}\n\nTolerance: {r.tolerance}\nProfiles: {r.profiles}"
    if r.example:
        help_text += f"\nExample: {r.example}"
    return {
        "id": r.id,
        "name": r.slug,
        "shortDescription": {"text": title},
        "fullDescription": {"text": r.doc},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": LEVEL[r.severity]},
        "properties": {"family": r.family, "severity": r.severity, "title_zh": r.title_zh, "title_en": r.title_en},
    }


def to_sarif(report: dict[str, Any], lang: str = "zh") -> dict[str, Any]:
    zh = lang == "zh"
    key = "zh" if zh else "en"
    selected = (report.get("run") or {}).get("selection", {}).get("rules")
    rules = [r for r in CATALOGUE if selected is None or r.id in selected]
    index = {r.id: i for i, r in enumerate(rules)}
    artifacts: dict[str, int] = {}
    results = []
    for s in report["submissions"]:
        artifacts.setdefault(artifact_uri(source_file(s["source"])), len(artifacts))
        for f in s["findings"]:
            pl = place(s, f)
            uri = artifact_uri(pl.path)
            artifacts.setdefault(uri, len(artifacts))
            physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
            if pl.line:
                physical["region"] = {"startLine": pl.line}
            location: dict[str, Any] = {"physicalLocation": physical}
            if pl.position:
                location["logicalLocations"] = [{"fullyQualifiedName": pl.position}]
            if pl.properties:
                location["properties"] = dict(pl.properties)
            result: dict[str, Any] = {
                "ruleId": f["rule"],
                "level": LEVEL[f["severity"]],
                "message": {"text": f["message"][key]},
                "locations": [location],
                "properties": {
                    "severity": f["severity"], "submission": s["id"], "source": s["source"],
                    "section": f["section"], "indicator": f["indicator"],
                    "expected": f["expected"], "actual": f["actual"], "tolerance": f["tolerance"],
                    "message_zh": f["message"]["zh"], "message_en": f["message"]["en"],
                },
            }
            if f["rule"] in index:
                result["ruleIndex"] = index[f["rule"]]
            if "caused_by" in f:             # one mistake, one headline: this result follows from another
                result["properties"]["caused_by"] = f["caused_by"]["rule"]
            results.append(result)
    tool = report["tool"]
    run: dict[str, Any] = {
        "tool": {"driver": {"name": tool["name"], "version": tool["version"], "semanticVersion": tool["version"],
                            "properties": {"rules_version": tool["rules_version"]},
                            "rules": [_rule_descriptor(r, zh) for r in rules]}},
        "artifacts": [{"location": {"uri": uri}, "roles": ["analysisTarget"]}
                      for uri, _ in sorted(artifacts.items(), key=lambda kv: kv[1])],
        "results": results,
        "invocations": [{"executionSuccessful": True}],
        "properties": {"summary": report["summary"], **({"run": report["run"]} if report.get("run") else {})},
    }
    if zh:
        run["language"] = "zh-CN"
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


@register("sarif", suffix=".sarif")
def _sarif_bytes(report: dict[str, Any], lang: str) -> bytes:
    return (json.dumps(to_sarif(report, lang), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
