"""The auditor's review pass: waivers (validated, exit 2 when broken; waived findings shown, counted apart,
never failing the gate; an expired waiver is WVR001), the baseline (new / persisting / resolved,
--fail-on-new), and the cross-submission fingerprints combined across chunks."""

from __future__ import annotations

import copy
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from rule_cases import BASE_DEPT, edit  # noqa: E402

from budget_audit.cli import main  # noqa: E402
from budget_audit.report.review import Review, Waiver, WaiverError, load_waivers  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _sub(path: Path, mutate=None, **top) -> Path:
    d = copy.deepcopy(BASE_DEPT)
    d.update(top)
    if mutate:
        mutate(d)
    path.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def bad_sub(tmp_path):
    """One submission with one error: C11 scored 9 of 8 (SCR001 and MTH001 on C11)."""
    return _sub(tmp_path / "unit-a.json", edit(ind={"C11": {"score": "9"}}, stmts={"total": "101", "section:C": "31"}))


def _check(*args: str) -> int:
    return main(["check", *map(str, args)])


def _report(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _waivers(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "waivers.yaml"
    p.write_text(text, encoding="utf-8")
    return p


# ---------------------------------------------------------------------------------------------- waivers
def test_waived_findings_are_shown_counted_apart_and_do_not_fail(tmp_path, bad_sub):
    out = tmp_path / "r.json"
    assert _check(bad_sub, "--format", "json", "-o", out) == 1
    errors = _report(out)["summary"]["findings"]["error"]
    assert errors >= 2
    w = _waivers(tmp_path, "- {rule: SCR001, submission: unit-a, indicator: C11, reason: 已核实, expires: 2999-12-31}\n"
                           "- {rule: MTH001, unit: 南京市电化教育馆(南京市教育信息化中心), reason: 口径不同, expires: 2999-12-31}\n")
    assert _check(bad_sub, "--waivers", w, "--format", "json", "-o", out) == 0
    r = _report(out)
    s = r["submissions"][0]
    waived = [f for f in s["findings"] if f.get("waived")]
    assert {f["rule"] for f in waived} == {"SCR001", "MTH001"}
    assert waived[0]["waived"]["reason"] in ("已核实", "口径不同")
    assert r["summary"]["waived"]["error"] == len(waived) == 2
    assert r["summary"]["findings"]["error"] == errors - 2
    assert s["status"] == "passed" and r["summary"]["passed"] == 1


def test_a_waiver_only_matches_its_scope(tmp_path, bad_sub):
    out = tmp_path / "r.json"
    w = _waivers(tmp_path, "- {rule: SCR001, submission: unit-a, indicator: C12, reason: 别的指标, expires: 2999-12-31}\n"
                           "- {rule: SCR001, submission: unit-b, reason: 别的单位, expires: 2999-12-31}\n")
    assert _check(bad_sub, "--waivers", w, "--format", "json", "-o", out) == 1
    assert not any(f.get("waived") for f in _report(out)["submissions"][0]["findings"])


def test_expired_waiver_waives_nothing_and_is_a_finding(tmp_path, bad_sub):
    out = tmp_path / "r.json"
    w = _waivers(tmp_path, "- {rule: SCR001, submission: unit-a, reason: 去年已说明, expires: 2020-01-01}\n")
    assert _check(bad_sub, "--waivers", w, "--format", "json", "-o", out) == 1
    s = _report(out)["submissions"][0]
    assert not any(f.get("waived") for f in s["findings"])
    wvr = [f for f in s["findings"] if f["rule"] == "WVR001"]
    assert len(wvr) == 1 and wvr[0]["severity"] == "warning" and wvr[0]["slug"] == "expired-waiver"
    assert "2020-01-01" in wvr[0]["message"]["zh"] and "去年已说明" in wvr[0]["message"]["zh"]
    assert wvr[0]["location"] == {"file": str(w), "entry": 1}


@pytest.mark.parametrize("text, says", [
    ("- {rule: XYZ123, submission: a, reason: r, expires: 2026-01-01}\n", "unknown rule ID 'XYZ123'"),
    ("- {rule: SCR001, submission: a, expires: 2026-01-01}\n", "reason: 缺少此项 / missing"),
    ("- {rule: SCR001, submission: a, reason: '  ', expires: 2026-01-01}\n", "reason must not be empty"),
    ("- {rule: SCR001, submission: a, reason: r, expires: next-year}\n", "not a valid date"),
    ("- {rule: SCR001, submission: a, reason: r, expires: 2026-13-01}\n", "invalid date"),
    ("- {rule: SCR001, reason: r, expires: 2026-01-01}\n", "needs a submission or a unit"),
    ("- {rule: SCR001, submission: a, reason: r, expires: 2026-01-01, until: x}\n", "until: 未知的键"),
    ("rule: SCR001\n", "must hold a list"),
    ("- [unclosed\n", "not valid YAML"),
])
def test_broken_waivers_exit_2_with_a_clear_message(tmp_path, bad_sub, capsys, text, says):
    w = _waivers(tmp_path, text)
    with pytest.raises(WaiverError, match=None) as exc:
        load_waivers(w)
    assert says in str(exc.value)
    assert _check(bad_sub, "--waivers", w) == 2
    err = capsys.readouterr().err
    assert says in err and "豁免文件" in err


def test_waivers_file_under_a_key_and_empty(tmp_path):
    w = _waivers(tmp_path, "waivers:\n  - {rule: BUD004, unit: x, reason: r, expires: 2026-01-01}\n")
    assert [x.rule for x in load_waivers(w)] == ["BUD004"]
    assert load_waivers(_waivers(tmp_path, "")) == []


def test_review_pass_works_entry_by_entry():
    """Streamed reports: entries reviewed one at a time, then the summary recounted, equal the one-piece pass."""
    f = {"rule": "SCR001", "slug": "s", "severity": "error", "section": "C", "indicator": "C11",
         "location": {"path": "indicators[27].score"}, "expected": 8, "actual": 9, "tolerance": 0,
         "message": {"zh": "z", "en": "e"}}
    entry = {"id": "a", "source": "a.json", "unit": "U", "profile": "dept-overall-105", "status": "failed",
             "counts": {"error": 1, "warning": 0, "info": 0}, "findings": [f]}
    report = {"submissions": [copy.deepcopy(entry), dict(copy.deepcopy(entry), id="b", source="b.json")],
              "summary": {"submissions": 2, "passed": 0, "failed": 2, "unreadable": 0, "findings": {}}}
    ws = [Waiver(rule="SCR001", submission="a", reason="r", expires=dt.date(2026, 12, 31))]
    whole = Review(ws, today=dt.date(2026, 12, 1)).apply(copy.deepcopy(report))
    rv = Review(ws, today=dt.date(2026, 12, 1))
    streamed = {"submissions": [rv.entry(copy.deepcopy(e)) for e in report["submissions"]],
                "summary": copy.deepcopy(report["summary"])}
    assert rv.finish(streamed) == whole
    assert whole["summary"]["passed"] == 1 and whole["summary"]["waived"]["error"] == 1
    # the day after it expires the same waiver waives nothing and is WVR001
    late = Review(ws, today=dt.date(2027, 1, 1)).apply(copy.deepcopy(report))
    assert late["summary"]["waived"]["error"] == 0
    assert [x["rule"] for x in late["submissions"][0]["findings"]] == ["SCR001", "WVR001"]


# ---------------------------------------------------------------------------------------------- baseline
def test_baseline_marks_new_persisting_resolved_and_gates_on_new(tmp_path):
    last = _sub(tmp_path / "unit-a.json", edit(ind={"C11": {"score": "9"}}, stmts={"total": "101", "section:C": "31"}))
    base = tmp_path / "last-year.json"
    assert _check(last, "--format", "json", "-o", base) == 1
    before = {f["rule"] for f in _report(base)["submissions"][0]["findings"] if f["severity"] == "error"}
    assert "SCR001" in before
    # this year: C11 fixed, a new error on C21 (score 8 of 7)
    _sub(last, edit(ind={"C21": {"score": "8"}}, stmts={"total": "101", "section:C": "31"}))
    out = tmp_path / "r.json"
    assert _check(last, "--baseline", base, "--format", "json", "-o", out) == 1
    r = _report(out)
    s = r["submissions"][0]
    assert {f["baseline"] for f in s["findings"]} <= {"new", "persisting"}
    new = {(f["rule"], f["indicator"]) for f in s["findings"] if f["baseline"] == "new"}
    assert ("SCR001", "C21") in new
    assert ("SCR001", "C11") in {(f["rule"], f["indicator"]) for f in s["resolved"]}
    persisting = [f for f in s["findings"] if f["baseline"] == "persisting"]
    assert persisting and all((f["rule"], f["indicator"]) != ("SCR001", "C21") for f in persisting)
    assert r["summary"]["baseline"]["new"]["error"] >= 1 and r["summary"]["baseline"]["resolved"] >= 1
    assert _check(last, "--baseline", base, "--fail-on-new") == 1         # a new error: fails
    # the same file as the baseline: every finding persists, --fail-on-new passes although errors remain
    assert _check(last, "--format", "json", "-o", base) == 1
    assert _check(last, "--baseline", base, "--fail-on-new") == 0
    assert _check(last, "--baseline", base) == 1


def test_fail_on_new_needs_a_baseline(tmp_path, bad_sub, capsys):
    assert _check(bad_sub, "--fail-on-new") == 2
    assert "--baseline" in capsys.readouterr().err
    (tmp_path / "x.json").write_text("[]", encoding="utf-8")
    assert _check(bad_sub, "--baseline", tmp_path / "x.json") == 2


def test_cli_process_exit_codes(tmp_path, bad_sub):
    w = _waivers(tmp_path, "- {rule: NOPE01, submission: a, reason: r, expires: 2026-01-01}\n")
    p = subprocess.run([sys.executable, "-m", "budget_audit.cli", "check", str(bad_sub), "--waivers", str(w)],
                       capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 2 and "NOPE01" in p.stderr


# ---------------------------------------------------------------------------------------------- cross
def test_fingerprints_combine_across_chunks(tmp_path):
    """Two chunks checked apart: their fingerprints concatenated find what one pass over both finds."""
    from budget_audit.pipeline import run_check
    from budget_audit.rules.cross import cross_matches, fingerprints

    a = _sub(tmp_path / "a.json", edit(top={"unit": "甲单位"}, ind={"C11": {"actual": "3200人"}}))
    b = _sub(tmp_path / "b.json", edit(top={"unit": "乙单位"}, ind={"C11": {"actual": "3200人"}}))
    c = tmp_path / "c.json"
    c.write_bytes(a.read_bytes())                              # a byte-identical copy of a
    d = _sub(tmp_path / "d.json", edit(top={"unit": "甲单位", "year": 2022,
                                            "title": "甲单位2022年度部门整体支出绩效自评价报告"},
                                       ind={"C11": {"actual": "3200人"}}))
    whole = run_check([str(p) for p in (a, b, c, d)])
    one = whole.tables.submissions.set_index("submission_id")
    chunks = [run_check([str(a), str(b)]).tables, run_check([str(c), str(d)]).tables]
    fp = pd.concat([fingerprints(t) for t in chunks], ignore_index=True)
    m = cross_matches(fp)
    got = {rid: {fp["submission_id"][i]: sorted(fp["submission_id"][j] for j in js) for i, js in enumerate(m[rid]) if js}
           for rid in ("xsb001", "xsb002", "xsb003")}
    assert got["xsb001"] == {"a": ["c"], "c": ["a"]}
    assert got["xsb002"] == {"a": ["b"], "b": ["a", "c", "d"], "c": ["b"], "d": ["b"]}
    assert got["xsb003"] == {"a": ["d"], "c": ["d"], "d": ["a", "c"]}      # 甲单位 2023 and 2022: same figures
    for rid in ("xsb001", "xsb002", "xsb003"):
        assert {i for i in one.index if one.loc[i, rid] == 1} == set(got[rid])
    # chunk fingerprints equal the single-pass ones
    pd.testing.assert_frame_equal(fingerprints(whole.tables), fp)


def test_console_marks_waived_and_new(tmp_path, bad_sub, capsys):
    w = _waivers(tmp_path, "- {rule: SCR001, submission: unit-a, reason: 已核实, expires: 2999-12-31}\n")
    assert _check(bad_sub, "--waivers", w) == 1                  # MTH001 on C11 still fails
    out = capsys.readouterr().out
    assert "SCR001" in out and "[已豁免]" in out and "已豁免 1" in out
    base = tmp_path / "b.json"
    (tmp_path / "b.json").write_text(json.dumps({"submissions": []}), encoding="utf-8")
    assert _check(bad_sub, "--baseline", base, "--lang", "en") == 1
    assert "[new]" in capsys.readouterr().out
