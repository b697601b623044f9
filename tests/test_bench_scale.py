"""Smoke test of the scale benchmark's helpers (benchmarks/scale.py), on 20 submissions: the timings
themselves are not tests."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import run as bench  # noqa: E402
import scale  # noqa: E402


def test_streamed_generator_is_the_benchmark_generator():
    assert list(scale.iter_submissions(20, 40, 3)) == bench.generate(20, 40, 3)


def test_tree_rss_counts_this_process():
    assert scale._proc_tree_rss(os.getpid()) > 10 * 2**20


def test_check_run_on_twenty_json_files(tmp_path):
    scale.write_json_batch(tmp_path / "b", 20, 40, 1)
    run = scale.check_run([str(tmp_path / "b")], tmp_path / "r.json", 2)
    assert run["code"] == 0 and run["tree_peak_mb"] > 0, run
    assert (tmp_path / "r.json").read_text(encoding="utf-8").count('"status"') == 20


def test_cpu_per_workbook_on_two_workbooks(tmp_path, capsys):
    import json

    import cpu_per_workbook

    subs = list(scale.iter_submissions(2, 12, 5))
    scale._write_workbooks((str(tmp_path), subs))
    assert cpu_per_workbook.main([str(tmp_path), "--n", "2", "--rounds", "1"]) == 0
    best = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    stages = best["this tree"]
    assert set(stages) == {"calamine", "read", "read_check"}
    assert 0 < stages["calamine"] and 0 < stages["read"] < stages["read_check"], stages


def test_check_stages_on_two_workbooks(tmp_path, capsys):
    import json

    import check_stages

    subs = list(scale.iter_submissions(2, 12, 5))
    scale._write_workbooks((str(tmp_path), subs))
    assert check_stages.main([str(tmp_path), "--n", "2", "--copies", "1", "--rounds", "2"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert "(3 submissions" in out[0]
    best = json.loads(out[-1])["this tree"]
    for which in ("first", "later"):
        normalize, measure, check, total = best[which]
        assert min(normalize, measure, check) > 0 and abs(normalize + measure + check - total) < 1e-6 * total
