"""Spark tests: run by `make test` in .venv-spark (pyspark + pyarrow), Spark in local mode.

In a venv without pyspark (the main .venv) this folder is not collected; `make test` runs it with
BUDGET_AUDIT_SPARK_TESTS=1, where a missing pyspark is an error, never a silent skip.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
try:
    import pyspark  # noqa: F401
except ImportError:
    if os.environ.get("BUDGET_AUDIT_SPARK_TESTS"):
        raise
    collect_ignore_glob = ["test_*.py"]

N_MIXED = 2000


@pytest.fixture(scope="session")
def fail_once_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fail-once")


@pytest.fixture(scope="session")
def spark(fail_once_dir):
    """One local Spark for the whole session: 2 cores, a failed task tried up to 3 times."""
    from budget_audit.spark.chunk import FAIL_ONCE_ENV
    from budget_audit.spark.engine import get_session

    os.environ[FAIL_ONCE_ENV] = str(fail_once_dir)     # inherited by the Python workers
    session = get_session("local[2,3]", app="budget-audit-tests", conf={"spark.sql.shuffle.partitions": "2"})
    yield session
    session.stop()


@pytest.fixture(scope="session")
def mixed_inputs(tmp_path_factory) -> list[str]:
    """2,000 generated mixed inputs, the rule fixtures (every rule fails somewhere), the reference
    dataset, and a folder holding a file the suite does not read (walked: STR012)."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "tests"))
    from benchmarks.mixed_inputs import write_mixed
    from rule_cases import write_batch

    base = tmp_path_factory.mktemp("mixed")
    paths = write_mixed(base / "gen", N_MIXED)
    cases, _, _ = write_batch(base / "cases")
    folder = base / "folder"
    (folder / "sub").mkdir(parents=True)
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff" + b"\0" * 32)
    first = next(Path(p) for p in paths if Path(p).name.startswith("SUB0") and Path(p).is_file())
    (folder / "sub" / first.name).write_bytes(first.read_bytes())    # the same id as a file of another chunk
    return paths + [str(p) for p in cases] + [str(ROOT / "datasets" / "reference"), str(folder)]
