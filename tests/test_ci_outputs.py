"""CI outputs parsed back: SARIF 2.1.0, GitHub workflow commands, JUnit (junitparser) that follows --fail-on."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from junitparser import Failure, JUnitXml, Skipped

from budget_audit.cli import main
from budget_audit.report.github import to_github
from budget_audit.report.junit import to_junit
from budget_audit.rules import CATALOGUE, RULES

ROOT = Path(__file__).resolve().parents[1]
REF = Path("datasets") / "reference"      # relative, as a CI job passes them (the tests run in ROOT)
REF_XLSX = REF / "nanjing-dianhua-2023.xlsx"
REF_JSON = REF / "nanjing-dianhua-2023.json"
REF_TXT = REF / "nanjing-dianhua-2023-report.txt"
REF_PDF = REF / "nanjing-dianhua-2023-report.pdf"
CLEAN_CSV = Path("datasets") / "examples" / "dept-overall-105-clean-csv"
RANK = {"error": 0, "warning": 1, "info": 2, "never": -1}
GH_LINE = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")


@pytest.fixture(autouse=True)
def _in_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def _run(tmp_path, inputs, *extra) -> tuple[int, dict, Path, Path, Path]:
    """One pass writing JSON, JUnit, SARIF and GitHub annotations."""
    out = {k: tmp_path / f"r.{k}" for k in ("json", "xml", "sarif", "gh")}
    code = main(["check", *map(str, inputs), "--format", "json", "-o", str(out["json"]), "--format", "junit",
                 "-o", str(out["xml"]), "--format", "sarif", "-o", str(out["sarif"]), "--format", "github",
                 "-o", str(out["gh"]), "--no-config", *extra])
    return code, json.loads(out["json"].read_text(encoding="utf-8")), out["xml"], out["sarif"], out["gh"]


def _findings(report):
    return [(s, f) for s in report["submissions"] for f in s["findings"]]


def _warning_profile(tmp_path) -> Path:
    """The reference profile with WGT002 re-graded to a warning: a report with errors, warnings and info."""
    base = yaml.safe_load((ROOT / "budget_audit" / "profiles" / "dept-overall-105.yaml").read_text(encoding="utf-8"))
    base["name"] = "ci-warn"
    base["rules"] = {"WGT002": {"severity": "warning"}}
    p = tmp_path / "ci-warn.yaml"
    p.write_text(yaml.safe_dump(base, allow_unicode=True), encoding="utf-8")
    return p


# ---- SARIF ------------------------------------------------------------------------------------------

def test_sarif_run_rules_and_results(tmp_path):
    code, report, _, sarif_path, _ = _run(tmp_path, [REF_XLSX, REF_TXT, REF_PDF, CLEAN_CSV])
    assert code == 1
    sarif = json.loads(sarif_path.read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and "sarif" in sarif["$schema"]
    (run,) = sarif["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "budget-audit" and driver["version"] == report["tool"]["version"]
    assert [r["id"] for r in driver["rules"]] == [r.id for r in CATALOGUE]
    for d in driver["rules"]:
        rule = RULES[d["id"]]
        assert d["name"] == rule.slug and d["shortDescription"]["text"] == rule.title_zh
        assert d["fullDescription"]["text"] == rule.doc and rule.doc in d["help"]["text"]
        assert d["defaultConfiguration"]["level"] == {"error": "error", "warning": "warning", "info": "note"}[rule.severity]
    findings = _findings(report)
    assert len(run["results"]) == len(findings) > 0
    for res, (sub, f) in zip(run["results"], findings):
        assert res["ruleId"] == f["rule"] and driver["rules"][res["ruleIndex"]]["id"] == f["rule"]
        assert res["level"] == {"error": "error", "warning": "warning", "info": "note"}[f["severity"]]
        assert res["message"]["text"] == f["message"]["zh"]
        (loc,) = res["locations"]
        uri = loc["physicalLocation"]["artifactLocation"]["uri"]
        src = sub["source"]
        assert uri == Path(src).as_posix() or uri.startswith(Path(src).as_posix() + "/")   # relative, as given
        if src.endswith(".xlsx"):         # a workbook cell: sheet and cell, no invented line
            assert "region" not in loc["physicalLocation"]
            assert loc["properties"] == f["location"]
            assert loc["logicalLocations"][0]["fullyQualifiedName"] == f"{f['location']['sheet']}!{f['location']['cell']}"
        elif src.endswith(".txt"):        # a text line is a region
            assert loc["physicalLocation"]["region"]["startLine"] == f["location"]["line"]
        elif src.endswith(".pdf"):        # a PDF page's line is not a line of the file
            assert "region" not in loc["physicalLocation"] and loc["properties"]["page"] == f["location"]["page"]
        elif src.endswith("-csv"):        # the CSV inside the folder, at its line
            assert uri.endswith("dept-overall-105-clean-csv/indicators.csv")
            assert loc["physicalLocation"]["region"]["startLine"] == f["location"]["line"]
    uris = {a["location"]["uri"] for a in run["artifacts"]}
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]} <= uris
    assert run["properties"]["summary"] == report["summary"]


def test_sarif_in_english_and_selected_rules(tmp_path):
    out = tmp_path / "r.sarif"
    assert main(["check", str(REF_XLSX), "--format", "sarif", "-o", str(out), "--lang", "en", "--select", "BUD",
                 "--no-config"]) == 1
    (run,) = json.loads(out.read_text(encoding="utf-8"))["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert rules and all(r["id"].startswith("BUD") for r in rules)
    assert rules[0]["shortDescription"]["text"] == RULES[rules[0]["id"]].title_en
    assert {r["ruleId"][:3] for r in run["results"]} == {"BUD"}
    assert run["properties"]["run"]["selection"]["select"] == ["BUD"]
    assert "execution rate stated 97%" in " ".join(r["message"]["text"] for r in run["results"])


# ---- GitHub -----------------------------------------------------------------------------------------

def test_github_annotations_one_per_finding(tmp_path):
    _, report, _, _, gh = _run(tmp_path, [REF_XLSX, REF_TXT, CLEAN_CSV])
    lines = gh.read_text(encoding="utf-8").splitlines()
    findings = _findings(report)
    assert len(lines) == len(findings)
    for line, (sub, f) in zip(lines, findings):
        m = GH_LINE.match(line)
        assert m, line
        level, props, message = m.groups()
        assert level == {"error": "error", "warning": "warning", "info": "notice"}[f["severity"]]
        kv = dict(p.split("=", 1) for p in props.split(","))
        assert kv["title"] == f"{f['rule']} {f['slug']}"
        assert Path(kv["file"]).exists()
        if sub["source"].endswith(".xlsx"):
            assert "line" not in kv and message.startswith(f"{f['location']['sheet']}!{f['location']['cell']}: ")
        else:
            assert int(kv["line"]) == f["location"]["line"]
        assert message.endswith(f["message"]["zh"].replace("%", "%25"))


def test_github_escaping():
    """A message or a file name from the input cannot end the command or inject another one."""
    report = {"submissions": [{"id": "x", "source": "a,b:c%.json", "findings": [
        {"rule": "BUD004", "slug": "execution-rate-mismatch", "severity": "warning", "location": None,
         "message": {"zh": "97%\r\n::error file=x::injected", "en": "e"}}]}]}
    (line,) = to_github(report).splitlines()
    assert line == ("::warning file=a%2Cb%3Ac%25.json,title=BUD004 execution-rate-mismatch::"
                    "97%25%0D%0A::error file=x::injected")


# ---- JUnit ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fail_on", ["error", "warning", "info", "never"])
def test_junit_failures_are_the_findings_at_or_above_fail_on(tmp_path, fail_on):
    profile = _warning_profile(tmp_path)
    code, report, xml_path, _, _ = _run(tmp_path, [REF_JSON, REF_XLSX, CLEAN_CSV], "--profile", str(profile),
                                        "--fail-on", fail_on, "--timings")
    findings = _findings(report)
    assert {f["severity"] for _, f in findings} == {"error", "warning", "info"}
    gate = [(s, f) for s, f in findings if RANK[f["severity"]] <= RANK[fail_on]]
    xml = JUnitXml.fromfile(str(xml_path))
    assert xml.failures == len(gate) and code == (1 if gate else 0)
    assert xml.tests == sum(max(1, len(s["findings"])) for s in report["submissions"])
    assert xml.time is not None and float(xml._elem.get("time")) >= 0
    suites = list(xml)
    assert [s.name for s in suites] == [s["source"] for s in report["submissions"]]
    failed = []
    for suite, sub in zip(suites, report["submissions"]):
        assert suite.tests == max(1, len(sub["findings"]))
        assert {p.name: p.value for p in suite.properties()}["fail-on"] == fail_on
        for case in suite:
            for res in case.result:
                if isinstance(res, Failure):
                    failed.append((sub["source"], res.message, res.type))
    assert len(failed) == len(gate)
    for (src, message, type_), (sub, f) in zip(failed, gate):
        assert src == sub["source"] and type_ == f"{f['rule']} {f['severity']}"
        assert f["message"]["zh"] in message and Path(sub["source"]).name in message
        loc = f["location"]
        if "cell" in loc:                      # the failure names the file and the cell
            assert f"{loc['sheet']}!{loc['cell']}" in message
        elif "path" in loc:
            assert loc["path"] in message


def test_junit_below_the_gate_is_system_out_and_skipped_files():
    report = {"submissions": [
        {"id": "a", "source": "a.xlsx", "status": "passed", "profile": "p", "findings": [
            {"rule": "PLA005", "slug": "s", "severity": "warning", "section": None, "indicator": None,
             "location": {"sheet": "表", "cell": "C3"}, "expected": None, "actual": None, "tolerance": None,
             "message": {"zh": "提示信息", "en": "note"}}]},
        {"id": "b", "source": "b.png", "status": "skipped", "profile": None, "findings": [
            {"rule": "STR012", "slug": "s", "severity": "info", "section": None, "indicator": None,
             "location": {"file": "b.png"}, "expected": None, "actual": None, "tolerance": None,
             "message": {"zh": "不是可读取的文件", "en": "not a readable file"}}]},
        {"id": "c", "source": "c.json", "status": "passed", "profile": "p", "findings": []}]}
    xml = JUnitXml.fromstring(to_junit(report, "zh", fail_on="error").encode("utf-8"))
    assert (xml.tests, xml.failures, xml.skipped) == (3, 0, 1)
    a, b, c = list(xml)
    (case,) = list(a)
    assert case.is_passed and "表!C3" in case.system_out and "提示信息" in case.system_out
    assert isinstance(list(b)[0].result[0], Skipped)
    assert [t.name for t in c] == ["all-rules"]
    assert "time" not in xml._elem.attrib      # no time measured: none claimed
    xml = JUnitXml.fromstring(to_junit(report, "en", fail_on="warning").encode("utf-8"))
    assert xml.failures == 1 and "表!C3" in list(list(xml)[0])[0].result[0].message


def test_multiple_formats_one_pass_agree(tmp_path):
    _, report, xml_path, sarif_path, gh = _run(tmp_path, [REF], "--fail-on", "never")
    n = sum(sum(s["counts"].values()) for s in report["submissions"])
    assert len(json.loads(sarif_path.read_text(encoding="utf-8"))["runs"][0]["results"]) == n
    assert len(gh.read_text(encoding="utf-8").splitlines()) == n
    xml = JUnitXml.fromfile(str(xml_path))
    assert xml.failures == 0 and xml.tests == n


def test_dash_output_is_stdout_beside_files(tmp_path, capsys):
    out = tmp_path / "r.sarif"
    assert main(["check", str(REF_XLSX), "--format", "sarif", "-o", str(out), "--format", "github", "-o", "-",
                 "--no-config"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(GH_LINE.match(line) for line in lines)
    assert len(json.loads(out.read_text(encoding="utf-8"))["runs"][0]["results"]) == len(lines)
    assert not (tmp_path / "-").exists() and not Path("-").exists()
