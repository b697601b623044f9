"""The Spark engine gives the local engine's findings, byte for byte, and accounts for every input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from budget_audit.pipeline import run_check
from budget_audit.report import build_report
from budget_audit.report.render import console, to_json, to_junit
from budget_audit.spark.engine import expand_items, run_spark
from budget_audit.spark.store import report_from_parquet

ROOT = Path(__file__).resolve().parents[2]

def finding_lines(report) -> list[str]:
    """Every finding as one JSON line with its submission id and source, sorted."""
    return sorted(json.dumps({"submission_id": s["id"], "source": s["source"], **f}, ensure_ascii=False, sort_keys=True)
                  for s in report["submissions"] for f in s["findings"])


@pytest.fixture(scope="session")
def local_report(mixed_inputs):
    return build_report(run_check(mixed_inputs))


@pytest.fixture(scope="session")
def spark_run(spark, mixed_inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("spark-out")
    doc = run_spark(mixed_inputs, str(out), spark=spark, chunk_size=250)
    return out, doc


def test_findings_byte_identical_to_local(local_report, spark_run):
    out, doc = spark_run
    report = report_from_parquet(out)
    local = finding_lines(local_report)
    assert len(local) > 3000 and len({json.loads(x)["rule"] for x in local}) >= 45
    spark = finding_lines(report)
    only = sorted(set(spark) ^ set(local))[:6]
    assert spark == local, "\n".join(("spark only: " if x in set(spark) else "local only: ") + x[:300] for x in only)
    # more than the findings: the whole report rebuilt from the Parquet is the local one, in the local order
    assert to_json(report) == to_json(local_report)
    assert doc["summary"] == local_report["summary"]
    assert doc["engine"]["chunks"] >= 8           # the inputs really were spread over many tasks


def test_every_input_accounted_for(mixed_inputs, local_report, spark_run):
    import pyarrow.parquet as pq

    out, _ = spark_run
    subs = pq.read_table(out / "submissions").to_pylist()
    assert len(subs) == len(local_report["submissions"])
    assert {s["seq"] for s in subs} == set(range(len(expand_items(mixed_inputs))))
    assert len({s["submission_id"] for s in subs}) == len(subs)
    by_status = {}
    for s in subs:
        by_status.setdefault(s["status"], []).append(s)
    assert {"passed", "failed", "unreadable", "skipped"} <= set(by_status)
    findings = pq.read_table(out / "findings").to_pylist()
    str007 = {f["source"] for f in findings if f["rule"] == "STR007"}
    for name in ("empty-", "truncated-", "garbage-", "number-", "empty-array-", "missing-"):
        assert any(Path(s).name.startswith(name) for s in str007), name
    assert any(f["rule"] == "STR012" and f["source"].endswith("photo.jpg") for f in findings)


def test_ids_unique_run_wide_as_locally(local_report, spark_run):
    out, _ = spark_run
    import pyarrow.parquet as pq

    rows = sorted(pq.read_table(out / "submissions").to_pylist(), key=lambda s: (s["seq"], s["sub_index"]))
    ids = [s["submission_id"] for s in rows]
    assert ids == [s["id"] for s in local_report["submissions"]]
    assert "SUB-SHARED~3" in ids                                 # repeats across chunks, suffixed in input order
    assert any(i.startswith("SUB0") and i.endswith("~2") for i in ids)


def test_console_summary_is_the_local_one(local_report, spark_run):
    _, doc = spark_run
    for lang in ("zh", "en"):
        text = console(local_report, lang, color=False)
        assert text.endswith("\n" + doc["console"][lang]), lang
        assert doc["console"][lang].count("\n") == 3


def test_failed_task_is_retried_without_loss_or_repeat(spark, mixed_inputs, fail_once_dir, tmp_path):
    inputs = mixed_inputs[:200]
    (fail_once_dir / "armed").write_text("fail the next task once")
    doc = run_spark(inputs, str(tmp_path / "out"), spark=spark, chunk_size=40)
    fired = list(fail_once_dir.glob("fired-*"))
    assert not (fail_once_dir / "armed").exists() and len(fired) == 1, "no task failed: the test proved nothing"
    local = build_report(run_check(inputs))
    assert to_json(report_from_parquet(tmp_path / "out")) == to_json(local)
    assert doc["summary"]["submissions"] == len(local["submissions"]) >= 200   # JSON batch files hold several


def test_cli_engine_spark_and_reports_from_parquet(spark, tmp_path):
    from budget_audit.cli import main
    from budget_audit.spark.job import main as job_main

    inputs = [str(ROOT / "datasets" / "reference"), str(ROOT / "datasets" / "examples")]
    assert main(["check", *inputs, "--no-config", "--format", "json", "-o", str(tmp_path / "local.json")]) == 1
    rc = main(["check", "--engine", "spark", *inputs, "--no-config", "--parquet", str(tmp_path / "pq"),
               "--format", "json", "-o", str(tmp_path / "spark.json")])
    assert rc == 1                                  # the reference report has errors
    assert b'"run": {' in (tmp_path / "spark.json").read_bytes()     # the run block, as locally
    assert (tmp_path / "spark.json").read_bytes() == (tmp_path / "local.json").read_bytes()
    assert job_main(["--from-parquet", str(tmp_path / "pq"), "--format", "junit", "-o", str(tmp_path / "j.xml"),
                     "--lang", "en", "--fail-on", "never"]) == 0
    local = build_report(run_check(inputs))
    assert (tmp_path / "j.xml").read_text(encoding="utf-8") == to_junit(local, "en", "never")   # --fail-on, as locally


def test_spark_submit_entry_point(tmp_path):
    spark_submit = Path(sys.executable).parent / "spark-submit"
    inputs = [str(ROOT / "datasets" / "reference" / "nanjing-dianhua-2023.json"), str(tmp_path / "nope.json")]
    out = subprocess.run([str(spark_submit), "--master", "local[1]", "--conf", "spark.ui.enabled=false",
                          str(ROOT / "budget_audit" / "spark" / "job.py"), "--out", str(tmp_path / "o"),
                          "--lang", "en", *inputs, "--format", "json", "-o", str(tmp_path / "r.json")],
                         capture_output=True, text=True, timeout=600, cwd=tmp_path,
                         env={**__import__("os").environ, "SPARK_LOCAL_IP": "127.0.0.1",
                              "PYSPARK_PYTHON": sys.executable})
    assert out.returncode == 1, out.stderr[-3000:]
    assert "2 submissions: 0 passed, 1 failed, 1 unreadable" in out.stdout
    assert json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))["engine"]["master"] == "local[1]"
    text = (tmp_path / "r.json").read_text(encoding="utf-8")
    assert [s["status"] for s in json.loads(text)["submissions"]] == ["failed", "unreadable"]
    assert text == to_json(build_report(run_check(inputs)))
