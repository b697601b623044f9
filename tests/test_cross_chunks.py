"""XSB across chunks (report/crossrun.py, batch.final_entries): a run split into many chunks, in one process
or a pool, gives the single-pass report byte for byte, cross-submission findings included — matched across
chunks, naming run-wide ids, counted in the summary, the grouping and the exit code."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from budget_audit.batch import Spool, run_batch
from budget_audit.cli import main
from budget_audit.pipeline import run_check
from budget_audit.report import build_report
from budget_audit.report.render import to_json

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "datasets" / "reference" / "nanjing-dianhua-2023.json"
EXAMPLES = ROOT / "datasets" / "examples"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[str]:
    """Duplicates far apart: with --chunk-size 3 every pair lands in two different chunks.

    first.json / last.json   byte-identical copies of one file (XSB001), same id (run-wide `~2`)
    other-unit.json          the same table under another unit (XSB002 with both copies)
    year-2022.json           the same unit's figures for 2022 (XSB003 with both copies)"""
    d = tmp_path_factory.mktemp("xsb-chunks")
    data = json.loads(SEED.read_text(encoding="utf-8"))
    shutil.copy(SEED, d / "first.json")
    shutil.copy(SEED, d / "last.json")
    (d / "other-unit.json").write_text(json.dumps({**data, "id": "other-unit", "unit": "某县乙单位"},
                                                  ensure_ascii=False), encoding="utf-8")
    (d / "year-2022.json").write_text(json.dumps({**data, "id": "year-2022", "year": 2022}, ensure_ascii=False),
                                      encoding="utf-8")
    fillers = sorted(str(p) for p in EXAMPLES.iterdir() if p.suffix in (".json", ".xlsx"))
    return [str(d / "first.json"), *fillers[:3], str(d / "other-unit.json"), *fillers[3:],
            str(d / "year-2022.json"), str(EXAMPLES), str(d / "last.json")]


@pytest.fixture(scope="module")
def single(inputs) -> dict:
    return build_report(run_check(inputs))


def _xsb(report) -> list[tuple[str, str, str]]:
    return [(s["id"], f["rule"], f["message"]["en"]) for s in report["submissions"] for f in s["findings"]
            if f["rule"].startswith("XSB")]


def test_single_pass_sees_the_duplicates(single):
    got = _xsb(single)
    rules = {(sid, rule) for sid, rule, _ in got}
    assert ("nanjing-dianhua-2023", "XSB001") in rules and ("nanjing-dianhua-2023~2", "XSB001") in rules
    assert ("other-unit", "XSB002") in rules and ("year-2022", "XSB003") in rules
    assert any("nanjing-dianhua-2023~2" in msg for sid, rule, msg in got if sid == "nanjing-dianhua-2023")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_many_chunks_give_the_single_pass_report(tmp_path, inputs, single, jobs):
    out = tmp_path / "r.json"
    code = main(["check", *inputs, "--chunk-size", "3", "--jobs", jobs, "--quiet", "--fail-on", "warning",
                 "--no-config", "--format", "json", "-o", str(out)])
    assert code == 1
    report = json.loads(out.read_text(encoding="utf-8"))
    report.pop("run")
    assert _xsb(report) == _xsb(single) and len(_xsb(single)) >= 5
    assert to_json(report) == to_json(single)
    assert not list(tmp_path.glob(".budget-audit-spool-*"))       # the spool file is gone


def test_run_batch_in_chunks_equals_one_chunk(inputs, single):
    assert list(run_batch(inputs, jobs=1, chunk_size=2)) == single["submissions"]
    assert list(run_batch(inputs, jobs=1)) == single["submissions"]      # one chunk, no spool file


def test_selection_applies_to_cross_findings(tmp_path, inputs):
    out = tmp_path / "r.json"
    code = main(["check", *inputs, "--chunk-size", "3", "--quiet", "--no-config", "--select", "XSB001",
                 "--fail-on", "warning", "--format", "json", "-o", str(out)])
    assert code == 1                                  # the only findings are the run-wide XSB001 warnings
    report = json.loads(out.read_text(encoding="utf-8"))
    assert {rule for _, rule, _ in _xsb(report)} == {"XSB001"}
    assert {f["rule"] for s in report["submissions"] for f in s["findings"]} == {"XSB001"}
    assert report["summary"]["findings"] == {"error": 0, "warning": 2, "info": 0}
    assert main(["check", *inputs, "--chunk-size", "3", "--quiet", "--no-config", "--select", "XSB001",
                 "--fail-on", "error", "--format", "json", "-o", str(out)]) == 0
    main(["check", *inputs, "--chunk-size", "3", "--quiet", "--no-config", "--ignore", "XSB",
          "--format", "json", "-o", str(out)])
    assert not _xsb(json.loads(out.read_text(encoding="utf-8")))


def test_spool_keeps_one_chunk_in_memory_and_spills_the_rest(tmp_path):
    sp = Spool(tmp_path)
    sp.add_chunk([{"id": "a", "x": [1.5, None]}])
    assert sp.fh is None and [e["id"] for e in sp] == ["a"]
    sp.add_chunk([{"id": "b"}, {"id": "c", "nested": {"k": "值"}}])
    assert sp.fh is not None and sp.first is None
    assert list(sp) == [{"id": "a", "x": [1.5, None]}, {"id": "b"}, {"id": "c", "nested": {"k": "值"}}]
    sp.close()
    assert not list(tmp_path.iterdir())              # anonymous: nothing is left behind


def test_a_chunk_never_takes_an_earlier_checks_fingerprints(tmp_path):
    """`chunk_cross` reuses the XSB pass kept by the rules (same ids and sources) and `batch._entries` calls
    `forget_pass()` before each check, so a kept pass is never an earlier check's: here the tables of a file
    with the same name and path but other content, not measured (no pass of their own), get fingerprints of
    their own once the earlier pass is forgotten — and would get the earlier file's without it."""
    from budget_audit.normalize import build_tables
    from budget_audit.pipeline import check_raws
    from budget_audit.readers import read_inputs
    from budget_audit.report.crossrun import chunk_cross
    from budget_audit.rules import cross

    data = json.loads(SEED.read_text(encoding="utf-8"))
    path = tmp_path / "unit.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    check_raws(read_inputs([str(path)]))                  # leaves its pass behind
    path.write_text(json.dumps({**data, "year": 2022}, ensure_ascii=False), encoding="utf-8")
    tables = build_tables(read_inputs([str(path)]))
    stale, _ = chunk_cross(tables)
    assert stale[0]["year"] == 2023                       # what the kept pass says: the reason to forget it
    cross.forget_pass()
    assert cross.last_pass() is None
    rows, _ = chunk_cross(tables)
    assert rows[0]["year"] == 2022 and rows[0]["content"] != stale[0]["content"]


def test_a_chunk_leaves_the_matching_to_the_run(inputs):
    """`batch._entries` checks a chunk inside `cross.matched_run_wide()`: the XSB measures then only fingerprint
    (the same fingerprints as a plain pass) and match nothing within the chunk — the run matches every chunk's
    fingerprints once — while every other finding is the plain pass's, row for row."""
    from budget_audit.pipeline import check_raws
    from budget_audit.readers import read_inputs
    from budget_audit.report.crossrun import chunk_cross, without_cross
    from budget_audit.rules import cross

    raws = list(read_inputs(inputs))
    cross.forget_pass()
    plain = check_raws(raws)
    plain_rows, _ = chunk_cross(plain.tables)
    assert (plain.findings["rule"].str.startswith("XSB")).any()          # the inputs hold duplicates
    cross.forget_pass()
    with cross.matched_run_wide():
        chunk = check_raws(list(read_inputs(inputs)))
    assert not cross._RUN_WIDE
    rows, _ = chunk_cross(chunk.tables)
    assert rows == plain_rows
    assert not chunk.findings["rule"].str.startswith("XSB").any()
    for rid in ("xsb001", "xsb002", "xsb003"):
        assert chunk.tables.submissions[rid].isna().all()
    a = without_cross(plain.findings).reset_index(drop=True)
    b = chunk.findings.reset_index(drop=True)
    assert len(a) and a.to_json(orient="records", force_ascii=False) == b.to_json(orient="records", force_ascii=False)
