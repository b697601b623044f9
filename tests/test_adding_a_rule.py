"""docs/adding-a-rule.md, done for real: in a temporary copy of the repository, its code blocks are added
to the files they name and its commands are run; then the meta-test, the rule's cases, the freshness
tests and the golden snapshot must pass in the copy — and must fail before the documented steps."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "adding-a-rule.md"
COPY = ("budget_audit", "tests", "docs", "schemas", "expectations", "checkpoints", "gx", "datasets",
        "rules.lock", ".importlinter", "pyproject.toml")
CHECKS = ["tests/test_catalogue_meta.py", "tests/test_rules.py", "tests/test_golden.py", "tests/test_architecture.py",
          "tests/test_docs_profiles.py::test_rule_docs_are_fresh",
          "tests/test_docs_profiles.py::test_pandera_schemas_are_fresh_and_loadable",
          "tests/test_gx.py::test_committed_gx_files_are_fresh", "tests/test_gx.py::test_every_check_has_exactly_one_expectation"]


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    dst = tmp_path_factory.mktemp("adding-a-rule") / "repo"
    dst.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "uncommitted", ".pytest_cache", ".hypothesis")
    for name in COPY:
        src = ROOT / name
        (shutil.copytree(src, dst / name, ignore=ignore) if src.is_dir() else shutil.copy2(src, dst / name))
    return dst


def test_the_walkthrough_adds_a_rule_that_passes_the_meta_test(repo):
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```python file=(\S+)\n(.*?)```", text, re.S)
    assert {f for f, _ in blocks} == {"budget_audit/rules/scores.py", "tests/rule_cases.py"}, "the doc lost a step"
    commands = re.findall(r"^(budget-audit [^\n#]*?|make golden)\s*(?:#.*)?$", text, re.M)
    assert commands == ["budget-audit docs --out docs", "budget-audit gx export --root .", "make golden"]

    # step 2 alone (no cases, nothing regenerated) must fail the meta-test: the checks can fail
    target = repo / blocks[0][0]
    target.write_text(target.read_text(encoding="utf-8") + "\n\n" + blocks[0][1], encoding="utf-8")
    before = _run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_catalogue_meta.py"], repo)
    assert before.returncode != 0, "the meta-test passed a rule without cases or lock entry"
    assert "SCR099" in before.stdout

    # step 3, then step 4's commands, run exactly as the page says
    cases = repo / blocks[1][0]
    cases.write_text(cases.read_text(encoding="utf-8") + "\n\n" + blocks[1][1], encoding="utf-8")
    cli = [sys.executable, "-m", "budget_audit.cli"]
    for cmd in commands:
        argv = cli + cmd.split()[1:] if cmd.startswith("budget-audit") else [sys.executable, "-m", "tests.golden.snapshot", "--update"]
        done = _run(argv, repo)
        assert done.returncode == 0, f"{cmd}: {done.stdout[-2000:]}{done.stderr[-2000:]}"
    assert "SCR099 subtotal-above-declared-points error" in (repo / "rules.lock").read_text(encoding="utf-8")
    assert "SCR099" in (repo / "tests" / "golden" / "findings.json").read_text(encoding="utf-8")

    after = _run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *CHECKS], repo)
    assert after.returncode == 0, after.stdout[-4000:] + after.stderr[-2000:]
    assert "SCR099" not in after.stdout   # nothing about the new rule failed
