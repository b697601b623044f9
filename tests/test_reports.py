"""Reports as input: the reference report's text reads as its JSON transcription does.

The seed text (`../shared/seeds/…txt`, present beside the repository in CI) is the published report of
the reference case; the bundled `datasets/reference/*-report.{txt,pdf,docx}` are the same report written
in the project's own words. Each must give exactly the findings of the JSON transcription, located by
line / page / table cell, and its score table must come out as the transcription's 39 rows.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from budget_audit.pipeline import run_check
from budget_audit.readers import read_inputs

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "000_56c3bd85fe279337.txt"
REFERENCE = ROOT / "datasets" / "reference" / "nanjing-dianhua-2023.json"
FIELDS = ("section", "group", "code", "name", "description", "target", "actual", "weight", "score", "method", "note")
needs_seed = pytest.mark.skipif(not SEED.is_file(), reason="../shared/seeds is not beside this clone")


def _keys(path: Path) -> list[tuple[str, str, str]]:
    res = run_check([str(path)])
    f = res.findings
    return sorted(zip(f["rule"], f["severity"], (f["indicator"].fillna(f["section"]).fillna(""))))


@pytest.fixture(scope="module")
def reference_keys():
    return _keys(REFERENCE)


@needs_seed
def test_seed_text_gives_exactly_the_reference_findings(reference_keys):
    assert _keys(SEED) == reference_keys
    res = run_check([str(SEED)])
    for loc in res.findings["location"]:
        assert loc and loc.get("line"), f"finding not located by line: {loc}"


@needs_seed
def test_seed_table_is_the_reference_rows():
    ref = json.loads(REFERENCE.read_text(encoding="utf-8"))
    got = read_inputs([str(SEED)])[0].data
    assert len(got["indicators"]) == len(ref["indicators"]) == 39
    for want, have in zip(ref["indicators"], got["indicators"]):
        for k in FIELDS:
            assert (have.get(k) or None) == (want.get(k) or None), f"{want['code']} {k}: {have.get(k)!r} ≠ {want.get(k)!r}"
    assert [(s["code"], s["name"], s["points"]) for s in got["sections"]] == \
        [(s["code"], s["name"], s["points"]) for s in ref["sections"]]
    for key, value in ref["budget"].items():
        if value is not None:
            assert got["budget"].get(key) == value, key
    stated = sorted((s["quantity"], s["value"]) for s in got["statements"])
    assert ("grade", "优") in stated and ("total", "97.5") in stated
    assert {q for q, _ in stated} >= {"section:A", "section:B", "section:C", "section:E", "section:F",
                                      "project_execution_rate"}


BUNDLED = {ext: ROOT / "datasets" / "reference" / f"nanjing-dianhua-2023-report.{ext}" for ext in ("txt", "pdf", "docx")}
LOCATED_BY = {"txt": ("line",), "pdf": ("page",), "docx": ("paragraph", "table")}


@pytest.mark.parametrize("ext", list(BUNDLED))
def test_bundled_report_gives_the_reference_findings(ext, reference_keys):
    """The project's own report of the reference case, as text, PDF and Word: the same findings as the JSON."""
    assert _keys(BUNDLED[ext]) == reference_keys
    res = run_check([str(BUNDLED[ext])])
    for loc in res.findings["location"]:
        assert loc and any(k in loc for k in LOCATED_BY[ext]), f"{ext}: finding located by {loc}"
    if ext != "txt":   # the table is a real table: findings on rows point at its cells
        table_locs = [loc for loc, ind in zip(res.findings["location"], res.findings["indicator"]) if isinstance(ind, str)]
        assert table_locs and all("table" in loc for loc in table_locs)


@pytest.mark.parametrize("ext", list(BUNDLED))
def test_bundled_report_table_is_the_reference_rows(ext):
    ref = json.loads(REFERENCE.read_text(encoding="utf-8"))
    got = read_inputs([str(BUNDLED[ext])])[0].data
    assert [(i["code"], i["weight"], i["score"], i["target"], i["actual"]) for i in got["indicators"]] == \
        [(i["code"], i["weight"], i["score"], i["target"], i["actual"]) for i in ref["indicators"]]
    assert [i["method"] for i in got["indicators"]] == [i["method"] for i in ref["indicators"]]
    assert got["unit"] == ref["unit"] and str(got.get("year") or got["title"][:4]) == "2023"


def test_a_report_that_contradicts_itself_is_caught(tmp_path):
    """The narrative states a total its table's 合计 row does not: XST001 names both places; without the 合计
    row, the narrative's total is compared with the sum of the scores (SCR004)."""
    text = BUNDLED["txt"].read_text(encoding="utf-8").replace("自评得分为97.5分", "自评得分为98.5分")
    p = tmp_path / "contradiction.txt"
    p.write_text(text, encoding="utf-8")
    f = run_check([str(p)]).findings
    xst = f[f["rule"] == "XST001"]
    assert len(xst) == 1 and "98.5" in xst.iloc[0]["message_zh"] and "97.5" in xst.iloc[0]["message_zh"]
    p.write_text("\n".join(t for t in text.splitlines() if not t.startswith("合计")), encoding="utf-8")
    f = run_check([str(p)]).findings
    scr = f[f["rule"] == "SCR004"]
    assert len(scr) == 1 and scr.iloc[0]["actual"] == 98.5 and scr.iloc[0]["expected"] == 97.5
    assert scr.iloc[0]["location"]["line"] > 0


# ---- the corpus of real published reports (tests/reports/cases): text as a PDF's text layer gives it --------------

CASES = ROOT / "tests" / "reports" / "cases"
RATES = ("execution_rate", "project_execution_rate")


def _same_value(quantity: str, got: str, want: str) -> bool:
    """Two printed figures are the same statement: amounts in 万元 whatever their unit word, rates as rates."""
    from budget_audit.parse.values import parse_value

    def num(x: str) -> float | None:
        text = str(x).replace("万元", "").replace("萬元", "").rstrip("万萬分")
        v = parse_value(text, percent=quantity in RATES)
        return v.number if v.kind == "number" else None

    a, b = num(got), num(want)
    return a is not None and b is not None and abs(a - b) < 1e-9 if a is not None or b is not None else \
        str(got).strip() == str(want).strip()


def _stated(raw) -> list[tuple[str, str]]:
    d = raw.data
    out = []
    for k, v in (d.get("budget") or {}).items():
        if v is not None and k not in ("currency_unit", "rate_denominator", "reason"):
            out.append((k if k in RATES else f"budget:{k}", str(v)))
    out += [(s["quantity"], str(s["value"])) for s in d.get("statements") or []]
    return out


def _report_cases():
    import yaml

    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(CASES.glob("*.yaml"))]


@pytest.fixture(scope="module")
def report_results():
    out = {}
    for case in _report_cases():
        path = CASES / f"{case['id']}.txt"
        res = run_check([str(path)])
        out[case["id"]] = (case, read_inputs([str(path)])[0], res.findings)
    return out


def test_report_corpus_is_real_and_sourced():
    cases = _report_cases()
    assert len(cases) >= 8
    assert len({c["province"] for c in cases}) >= 4
    for c in cases:
        assert c["source"].startswith("http"), c["id"]
        assert (CASES / f"{c['id']}.txt").is_file(), c["id"]


@pytest.mark.parametrize("case_id", [c["id"] for c in _report_cases()])
def test_report_case(report_results, case_id):
    """Each real report: its unit is read, the figures it states are found with their values, and no error is
    raised that a careful reader of its numbers does not see."""
    case, raw, findings = report_results[case_id]
    want = case["expect"]
    if want.get("unit"):
        assert raw.data.get("unit") == want["unit"]
    stated = _stated(raw)
    for st in want.get("statements") or []:
        found = [v for q, v in stated if q == st["quantity"]]
        if not found:
            continue                # coverage is measured over the corpus (test_report_corpus_totals)
        assert any(_same_value(st["quantity"], v, st["value"]) for v in found), \
            f"{st['quantity']}: read {found}, the report states {st['value']!r}"
    annotated = {a["rule"] for a in want.get("anomalies") or []}
    false = [f"{r.rule} {r.indicator if isinstance(r.indicator, str) else ''}: {r.message_zh}"
             for r in findings.itertuples() if r.severity == "error" and r.rule not in annotated]
    assert not false, "false errors:\n" + "\n".join(false)


def test_report_corpus_totals(report_results):
    """Over the corpus: most stated figures are found, and at least the contradictions are reported."""
    n_st = found = n_anom = reported = 0
    for case, raw, findings in report_results.values():
        stated = _stated(raw)
        for st in case["expect"].get("statements") or []:
            n_st += 1
            found += any(q == st["quantity"] and _same_value(q, v, st["value"]) for q, v in stated)
        rules = set(findings["rule"])
        for a in case["expect"].get("anomalies") or []:
            n_anom += 1
            reported += a["rule"] in rules
    print(f"\n[report corpus] statements found {found}/{n_st}, anomalies reported {reported}/{n_anom}")
    assert found / n_st >= 0.9
    assert reported / n_anom >= 0.8


def test_phrase_corpus():
    """Formulaic sentences of real reports: the narrative recogniser takes exactly the figures each states,
    and nothing from sentences that state no checkable figure."""
    import yaml

    from budget_audit.readers.document import COMMON_SECTIONS
    from budget_audit.readers.layout.lines import Line, flow
    from budget_audit.readers.layout.narrative import read_narrative

    entries = yaml.safe_load((ROOT / "tests" / "reports" / "phrases.yaml").read_text(encoding="utf-8"))
    prose = [e for e in entries if not e.get("table_row")]
    assert len(prose) >= 40 and len({e["source"] for e in entries}) >= 10
    exact = false = 0
    for e in prose:
        lines = [Line(t, {"line": i}) for i, t in enumerate(e["text"].split("\n"), 1)]
        got = {(s.quantity, s.value) for s in read_narrative(flow(lines), {n: n for n in COMMON_SECTIONS})}
        want = {(x["quantity"], str(x["value"])) for x in e["expect"]}
        exact += got == want
        false += len(got - want)
    print(f"\n[phrase corpus] {exact}/{len(prose)} sentences read exactly, {false} figures taken that are not stated")
    assert false == 0
    assert exact / len(prose) >= 0.95
