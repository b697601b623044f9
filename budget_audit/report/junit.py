"""`--format junit`: JUnit XML (junitparser) that agrees with the exit code.

One `<testsuite>` per submission (named by its file), one `<testcase>` per finding. A finding at or
above `--fail-on` is a `<failure>` (so `failures` = the findings that fail the gate, and a job that
fails never shows `failures="0"`); a finding below it is a passing test case with the message in
`<system-out>`; a file the suite does not read (STR012) is `<skipped>` unless the gate counts it.
A submission with no finding has one passing `all-rules` case. Each failure names the file and the
cell (or line / page / paragraph / key). Totals are computed by junitparser; the time of the one
pass over the batch is on `<testsuites>` (and on the suite when there is only one submission: the
batch is checked in one pass, so a per-file time would be invented).
"""

from __future__ import annotations

from typing import Any

from junitparser import Failure, JUnitXml, Skipped, TestCase, TestSuite

from . import LEVELS
from .locate import place
from .outputs import register, xml_text


def _at_or_above(severity: str, fail_on: str) -> bool:
    return LEVELS[severity] <= LEVELS[fail_on]


def _details(f: dict[str, Any], where: str, key: str) -> str:
    rows = [f"rule: {f['rule']} {f['slug']}", f"severity: {f['severity']}", f"location: {where}"]
    for k in ("section", "indicator", "expected", "actual", "tolerance"):
        if f.get(k) is not None:
            rows.append(f"{k}: {f[k]}")
    rows.append(f"message: {f['message'][key]}")
    return "\n".join(rows)


def to_junit_xml(report: dict[str, Any], lang: str = "zh", fail_on: str | None = None) -> JUnitXml:
    run = report.get("run") or {}
    fail_on = fail_on or run.get("fail_on") or "error"
    key = "zh" if lang == "zh" else "en"
    elapsed = run.get("elapsed_seconds")
    xml = JUnitXml("budget-audit")
    for s in report["submissions"]:
        suite = TestSuite(xml_text(s["source"]))
        suite.add_property("submission", xml_text(s["id"]))
        suite.add_property("status", s["status"])
        suite.add_property("profile", xml_text(str(s["profile"])))
        suite.add_property("fail-on", fail_on)
        for f in s["findings"]:
            pl = place(s, f)
            where = f"{pl.path}" + (f":{pl.line}" if pl.line else "") + (f" {pl.position}" if pl.position and not pl.line else "")
            case = TestCase(xml_text(f"{f['rule']} {f['slug']} @ {where}"), xml_text(s["source"]))
            text = xml_text(_details(f, where, key))
            if _at_or_above(f["severity"], fail_on):
                failure = Failure(xml_text(f"{f['message'][key]} ({where})"), f"{f['rule']} {f['severity']}")
                failure.text = text
                case.result = [failure]
            elif f["rule"] == "STR012":
                case.result = [Skipped(xml_text(f["message"][key]))]
                case.system_out = text
            else:
                case.system_out = text
            suite.append(case)                    # add_testcase recounts the suite each time: quadratic
        if not s["findings"]:
            suite.append(TestCase("all-rules", xml_text(s["source"])))
        # add_testsuite compares the new suite with every suite so far (to merge equal ones): quadratic, ~15 min
        # for 10,000 submissions. Suites never are equal here (each carries its run-unique submission id).
        xml.append(suite)
    xml.update_statistics()                       # totals of every suite and of the whole run
    for suite in xml:
        if elapsed is not None and len(report["submissions"]) == 1:
            suite.time = round(float(elapsed), 3)
        else:
            suite._elem.attrib.pop("time", None)  # not measured per file: say nothing rather than 0
    if elapsed is not None:
        xml.time = round(float(elapsed), 3)
    else:
        xml._elem.attrib.pop("time", None)
    return xml


def to_junit(report: dict[str, Any], lang: str = "zh", fail_on: str | None = None) -> str:
    body = to_junit_xml(report, lang, fail_on).tostring().decode("utf-8")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


@register("junit", suffix=".xml", options=("fail_on",))
def _junit_bytes(report: dict[str, Any], lang: str, fail_on: str | None = None) -> bytes:
    return to_junit(report, lang, fail_on).encode("utf-8")
