"""`check --engine spark` without the [spark] extra: a clear usage error (exit 2), never a traceback or a pass."""

from __future__ import annotations

import sys
from pathlib import Path

from budget_audit.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_engine_spark_without_pyspark_is_a_usage_error(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "pyspark", None)        # `import pyspark` raises ImportError
    rc = main(["check", "--engine", "spark", str(ROOT / "datasets" / "examples")])
    assert rc == 2
    err = capsys.readouterr().err
    assert "pip install 'budget-audit[spark]'" in err and "pyspark" in err


def test_spark_modules_import_without_pyspark(monkeypatch):
    """The chunk and store modules (what a task and a report rebuild need) do not import pyspark."""
    import importlib

    monkeypatch.setitem(sys.modules, "pyspark", None)
    for name in ("budget_audit.spark.chunk", "budget_audit.spark.store", "budget_audit.spark.job"):
        importlib.import_module(name)
