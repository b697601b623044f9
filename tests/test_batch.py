"""Streamed, parallel batches (budget_audit/batch.py, report/stream.py): the same report as one
single-process run, byte for byte, whatever the chunking and the number of workers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from budget_audit.batch import ChunkResult, plan_chunks, run_batch, run_chunk
from budget_audit.cli import main
from budget_audit.pipeline import run_check
from budget_audit.report import build_report
from budget_audit.report.render import console, to_json, to_junit
from tests.rule_cases import write_batch

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT / "datasets"
SEED = DATASETS / "reference" / "nanjing-dianhua-2023.json"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[str]:
    """The bundled datasets, the rule-case batch, and the reference folder again (ids repeat across chunks)."""
    cases = tmp_path_factory.mktemp("cases")
    write_batch(cases)
    return [str(DATASETS), str(cases), str(DATASETS / "reference")]


@pytest.fixture(scope="module")
def single(inputs) -> dict:
    """The single-process run (main's `cmd_check`): one `run_check` over the whole batch, with the `run` block."""
    from budget_audit.cli import _formats, build_parser
    from budget_audit.config import resolve

    report = build_report(run_check(inputs))
    report["run"] = resolve(build_parser().parse_args(["check", *inputs, "--fail-on", "never"]), _formats()).run_info(None)
    return report


def _check(tmp_path: Path, inputs: list[str], *extra: str) -> tuple[int, dict[str, bytes]]:
    outs = {fmt: tmp_path / f"r.{fmt}" for fmt in ("json", "junit", "console")}
    argv = ["check", *inputs, "--fail-on", "never", "--quiet", "--verbose", *extra]
    for fmt, path in outs.items():
        argv += ["--format", fmt, "-o", str(path)]
    code = main(argv)
    return code, {fmt: path.read_bytes() for fmt, path in outs.items()}


def test_parallel_chunks_give_the_single_process_report_byte_for_byte(tmp_path, inputs, single, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    code1, one = _check(tmp_path / "a", inputs, "--jobs", "1")
    code2, many = _check(tmp_path / "b", inputs, "--jobs", "2", "--chunk-size", "7")
    assert code1 == code2 == 0
    assert one["json"] == to_json(single).encode("utf-8")
    assert many["json"] == one["json"]
    assert many["junit"] == one["junit"] == to_junit(single, "zh", "never").encode("utf-8")
    assert many["console"] == one["console"] == console(single, "zh", color=False).encode("utf-8")
    ids = [s["id"] for s in json.loads(many["json"])["submissions"]]
    assert len(ids) == len(set(ids)) > 200
    assert any(i.endswith("~2") for i in ids)          # the reference folder twice: named as one run names it


def test_run_batch_streams_entries_in_input_order(inputs, single):
    got = list(run_batch(inputs, jobs=2, chunk_size=11))
    assert got == single["submissions"]


def test_run_chunk_is_plain_json_and_takes_paths(tmp_path):
    res = run_chunk([str(SEED), str(DATASETS / "examples" / "dept-overall-105-clean-csv"), str(tmp_path / "gone.json")])
    assert isinstance(res, ChunkResult) and res.items == 3
    doc = json.loads(json.dumps(res.to_dict(), ensure_ascii=False))
    assert [e["status"] for e in doc["entries"]] == ["failed", "passed", "unreadable"]
    assert doc["base_ids"][0] == doc["entries"][0]["id"]
    assert doc["entries"] == build_report(run_check([str(SEED), str(DATASETS / "examples" / "dept-overall-105-clean-csv"),
                                                     str(tmp_path / "gone.json")]))["submissions"]
    with pytest.raises(ValueError):
        run_chunk([str(DATASETS / "examples")])        # a folder of many files is planned, not one item


def test_plan_chunks_lists_every_input_once_in_order(tmp_path):
    (tmp_path / "b.json").write_text("{}", encoding="utf-8")
    (tmp_path / "a.png").write_bytes(b"x")
    chunks = plan_chunks([str(DATASETS / "examples"), str(tmp_path), str(SEED)], chunk_size=2)
    flat = [item for c in chunks for item in c]
    assert all(len(c) <= 2 for c in chunks)
    kinds = {Path(p).name: k for p, k in flat}
    assert kinds["dept-overall-105-clean-csv"] == "csvdir"        # a CSV folder is one submission
    assert kinds["a.png"] == "skip" and kinds["b.json"] == "file"
    assert [p for p, _ in flat][-1] == str(SEED)
    assert len(flat) == len({p for p, _ in flat})


def test_batch_console_shows_the_overview_and_lists_findings_only_with_verbose(capsys):
    args = ["check", str(SEED), str(SEED.with_suffix(".xlsx")), "--jobs", "1"]
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "最常见的问题：MTH001 ×14，WGT002 ×4" in out
    assert "错误最多的文件：nanjing-dianhua-2023.json (11)" in out
    assert "--verbose" in out and "WGT002 " not in out.replace("WGT002 ×", "")   # no finding line
    assert main(args + ["--verbose"]) == 1
    assert capsys.readouterr().out.count("WGT002 ") > 4
    assert main(["check", str(SEED)]) == 1                       # one file: every finding, as before
    out = capsys.readouterr().out
    assert "WGT002 " in out and "最常见的问题" not in out


def test_closing_line_on_stderr_when_writing_files(tmp_path, capsys):
    out = tmp_path / "r.json"
    assert main(["check", str(SEED), "--format", "json", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "1 份" in err and str(out) in err and "错误 11" in err and err.count("\n") == 1
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["findings"]["error"] == 11
    assert main(["check", str(SEED), "--format", "json", "-o", str(out), "--quiet", "--lang", "en"]) == 1
    assert capsys.readouterr().err == ""
    assert main(["check", str(SEED), "--jobs", "0"]) == 2


def test_progress_bar_counts_files_and_failures():
    from io import StringIO

    from rich.console import Console

    from budget_audit.batch import _Progress

    screen = StringIO()
    p = _Progress(4, "en", enabled=True, console=Console(file=screen, force_terminal=True, width=120))
    p.start()
    p.update(3, 1)
    task = p.bar.tasks[0]
    assert task.completed == 3 and task.total == 4 and "failed/unreadable 1" in task.fields["fails"]
    assert "files/s" in task.fields["rate"]
    p.bar.refresh()
    assert "3/4" in screen.getvalue() and "files/s" in screen.getvalue()
    p.stop()
    assert _Progress(4, "en", enabled=False).bar is None


def test_whole_report_consumer_gets_the_single_process_report(inputs, single, tmp_path):
    from budget_audit.batch import check_command

    got = []
    code = check_command(inputs, None, [("json", str(tmp_path / "r.json"))], fail_on="never", jobs=2, chunk_size=9,
                         quiet=True, whole_report=got.append, run_info=lambda: single["run"])
    assert code == 0 and len(got) == 1
    assert to_json(got[0]) == to_json(single) == (tmp_path / "r.json").read_text(encoding="utf-8")


def test_a_chunk_leaves_the_value_memos_empty():
    """Memory is bounded by the chunk: the lru memos a chunk fills do not pile up over a batch (parse_value's,
    parse_method's and read_row's own memos are kept across chunks and bound themselves: tests/test_value_memo.py,
    test_method_memo.py, test_row_memo.py)."""
    from budget_audit.parse import values

    import uuid
    values.parse_points(f"≥3000人{uuid.uuid4().hex}")   # a text no memo has seen: an earlier test may have parsed any other
    assert values._clean_str.cache_info().currsize > 0 and values._parse_points_str.cache_info().currsize > 0
    run_chunk([str(SEED)])
    assert values._parse_points_str.cache_info().currsize == 0 and values._clean_str.cache_info().currsize == 0


def test_ids_never_repeat_even_when_a_file_is_named_like_a_suffixed_id(tmp_path):
    """`a`, `a`, `a~2`: the second `a` becomes `a~2`, so the file named `a~2` must become `a~2~2` — never two
    submissions under one id (the findings, the baseline and the waivers go by id). Chunked runs agree."""
    from budget_audit.readers import unique_id

    seen: dict[str, int] = {}
    assert [unique_id(s, seen) for s in ["a", "a", "a~2", "a", "a~3", "b"]] == ["a", "a~2", "a~2~2", "a~3", "a~3~2", "b"]
    data = json.loads(SEED.read_text(encoding="utf-8"))
    paths = []
    for k, (folder, sid) in enumerate([("d1", "A"), ("d2", "A"), ("d3", "A~2")]):
        (tmp_path / folder).mkdir()
        p = tmp_path / folder / f"{sid}.json"
        p.write_text(json.dumps({**data, "id": sid, "unit": f"单位{k}"}, ensure_ascii=False), encoding="utf-8")
        paths.append(str(p))
    reports = []
    for chunk in ("1", "3"):
        out = tmp_path / f"r{chunk}.json"
        main(["check", *paths, "--no-config", "--quiet", "--jobs", "2", "--chunk-size", chunk, "--format", "json",
              "-o", str(out)])
        reports.append(out.read_bytes())
    assert reports[0] == reports[1]
    subs = json.loads(reports[0])["submissions"]
    assert [s["id"] for s in subs] == ["A", "A~2", "A~2~2"]
    assert [s["source"] for s in subs] == paths
