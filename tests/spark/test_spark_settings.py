"""`check --engine spark` honours what the local check honours, byte for byte: XSB across Spark tasks, the
rule selection (--select/--ignore), waivers and a baseline (--fail-on-new), a forced --profile, and an
auditor profile from --profile-dir that a submission names (with its rule overrides, applied on the driver
to the run-wide XSB findings)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from budget_audit.cli import main

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "datasets" / "reference" / "nanjing-dianhua-2023.json"
EXAMPLES = ROOT / "datasets" / "examples"


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    """Duplicates in different tasks (--chunk-size 2), two of them under an auditor profile that makes XSB001
    an error."""
    d = tmp_path_factory.mktemp("spark-settings")
    profiles = d / "profiles"
    profiles.mkdir()
    text = (ROOT / "budget_audit" / "profiles" / "dept-overall-105.yaml").read_text(encoding="utf-8")
    text = text.replace("name: dept-overall-105", "name: audit-dept", 1) + "\nrules:\n  XSB001: {severity: error}\n"
    (profiles / "audit-dept.yaml").write_text(text, encoding="utf-8")
    data = json.loads(SEED.read_text(encoding="utf-8"))
    audit = json.dumps({**data, "id": "audited", "profile": "audit-dept"}, ensure_ascii=False)
    (d / "audited-1.json").write_text(audit, encoding="utf-8")
    (d / "audited-2.json").write_text(audit, encoding="utf-8")
    shutil.copy(SEED, d / "first.json")
    shutil.copy(SEED, d / "last.json")
    (d / "other-unit.json").write_text(json.dumps({**data, "id": "other-unit", "unit": "某县乙单位"},
                                                  ensure_ascii=False), encoding="utf-8")
    (d / "year-2022.json").write_text(json.dumps({**data, "id": "year-2022", "year": 2022}, ensure_ascii=False),
                                      encoding="utf-8")
    inputs = [str(d / "audited-1.json"), str(d / "first.json"), str(EXAMPLES / "generic-clean.json"),
              str(d / "other-unit.json"), str(EXAMPLES / "dept-overall-105-clean.json"), str(d / "year-2022.json"),
              str(d / "audited-2.json"), str(d / "last.json")]
    return d, inputs, ["--profile-dir", str(profiles), "--no-config", "--chunk-size", "2", "--quiet"]


def _both(spark, tmp_path: Path, inputs: list[str], *args: str) -> tuple[tuple[int, bytes], tuple[int, bytes]]:
    got = []
    for engine in ("local", "spark"):
        out = tmp_path / f"{engine}.json"
        code = main(["check", *inputs, "--engine", engine, *args, "--format", "json", "-o", str(out)])
        got.append((code, out.read_bytes()))
    return got[0], got[1]


def _rules(report: bytes) -> dict[str, str]:
    doc = json.loads(report)
    return {f"{s['id']}:{f['rule']}": f["severity"] for s in doc["submissions"] for f in s["findings"]}


def test_xsb_across_tasks_with_an_auditor_profile(spark, tmp_path, case):
    _, inputs, common = case
    local, on_spark = _both(spark, tmp_path, inputs, *common)
    assert on_spark == local
    found = _rules(local[1])
    assert found["audited:XSB001"] == found["audited~2:XSB001"] == "error"       # the profile's override
    assert found["nanjing-dianhua-2023:XSB001"] == "warning"
    assert "other-unit:XSB002" in found and "year-2022:XSB003" in found
    assert json.loads(local[1])["summary"]["failed"] >= 2


def test_rule_selection_and_forced_profile(spark, tmp_path, case):
    _, inputs, common = case
    local, on_spark = _both(spark, tmp_path, inputs, *common, "--select", "XSB,SCR", "--ignore", "XSB003",
                            "--profile", "generic", "--fail-on", "warning")
    assert on_spark == local and local[0] == 1
    assert {k.split(":")[1][:3] for k in _rules(local[1])} <= {"XSB", "SCR"}
    assert not any(k.endswith("XSB003") for k in _rules(local[1]))
    doc = json.loads(local[1])
    assert doc["run"]["selection"]["ignore"] == ["XSB003"]
    assert {s["profile"] for s in doc["submissions"]} == {"generic"}
    assert _rules(local[1])["audited:XSB001"] == "warning"      # forced: the auditor profile's override is not used


def test_waivers_and_baseline(spark, tmp_path, case):
    d, inputs, common = case
    base = tmp_path / "baseline.json"
    assert main(["check", *inputs[:4], *common, "--format", "json", "-o", str(base)]) == 1
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("- {rule: XSB001, submission: audited~2, reason: 已核实, expires: 2999-12-31}\n", encoding="utf-8")
    args = (*common, "--waivers", str(waivers), "--baseline", str(base), "--fail-on-new", "--fail-on", "warning")
    local, on_spark = _both(spark, tmp_path, inputs, *args)
    assert on_spark == local
    doc = json.loads(local[1])
    assert doc["summary"]["waived"]["error"] == 1
    assert local[0] == 1                                   # year-2022's XSB003 is new since the baseline


def test_annotate_hands_back_the_same_workbooks(spark, tmp_path):
    """`--annotate DIR` on Spark: the annotated copies are written from the report rebuilt from the Parquet,
    byte for byte the copies a local run writes; the exit code is the findings', as locally."""
    inputs = [str(ROOT / "datasets" / "reference" / "nanjing-dianhua-2023.xlsx"), str(EXAMPLES)]
    got = {}
    for engine in ("local", "spark"):
        out = tmp_path / engine
        code = main(["check", *inputs, "--engine", engine, "--no-config", "--quiet", "--annotate", str(out),
                     "--format", "json", "-o", str(tmp_path / f"{engine}.json")])
        got[engine] = code, {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    assert got["spark"] == got["local"]
    code, copies = got["local"]
    assert code == 1 and "nanjing-dianhua-2023-标注.xlsx" in copies and len(copies) >= 4


def test_console_of_a_batch_is_the_local_overview(spark, case, capsys):
    """Without --format a Spark batch prints what the local batch prints: the overview (counts, most frequent
    rules, files with most errors), every finding only with --verbose — streamed from the Parquet."""
    _, inputs, common = case
    out = {}
    for verbose in ((), ("--verbose",)):
        for engine in ("local", "spark"):
            code = main(["check", *inputs, "--engine", engine, *common, *verbose])
            out[engine, verbose] = code, capsys.readouterr().out
        assert out["spark", verbose] == out["local", verbose]
    brief, full = out["local", ()][1], out["local", ("--verbose",)][1]
    assert "--verbose" in brief and len(full.splitlines()) > len(brief.splitlines()) + 10


def test_ids_never_repeat_and_each_keeps_its_findings(spark, tmp_path):
    """`A`, `A`, `A~2` (the last a file itself named so): ids `A`, `A~2`, `A~2~2` on both engines, every
    submission with its own findings, the reports byte-identical (tasks of one file each)."""
    data = json.loads(SEED.read_text(encoding="utf-8"))
    paths = []
    for k, (folder, sid) in enumerate([("d1", "A"), ("d2", "A"), ("d3", "A~2")]):
        (tmp_path / folder).mkdir()
        p = tmp_path / folder / f"{sid}.json"
        body = {**data, "id": sid, "unit": f"单位{k}"}
        if k == 2:
            body["indicators"] = body["indicators"][:-1]       # its own findings, unlike the other two
        p.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
        paths.append(str(p))
    local, on_spark = _both(spark, tmp_path, paths, "--no-config", "--quiet", "--chunk-size", "1")
    assert on_spark == local
    subs = json.loads(local[1])["submissions"]
    assert [s["id"] for s in subs] == ["A", "A~2", "A~2~2"]
    assert subs[0]["findings"] != subs[2]["findings"]
