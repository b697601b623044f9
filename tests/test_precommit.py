"""The pre-commit hook, run by pre-commit itself on a temporary git repository (offline).

The published `.pre-commit-hooks.yaml` is `language: python`: pre-commit builds a virtualenv and
pip-installs this repository into it, which needs the package index. The test therefore runs the
same hook (id, entry arguments, `files`, `require_serial` from the manifest) as a `repo: local` hook
with `language: system` whose entry is this interpreter's `budget_audit.cli` — what the installed
`budget-audit` command runs — so it works offline and checks the code of this checkout.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
GOOD = ROOT / "datasets" / "examples" / "dept-overall-105-clean.json"
BAD = ROOT / "datasets" / "reference" / "nanjing-dianhua-2023.xlsx"
CSV_FOLDER = ROOT / "datasets" / "examples" / "project-mof-100-clean-csv"

pytest.importorskip("pre_commit", reason="pre-commit is in the test extra")


def test_manifest_is_valid_and_as_published():
    from pre_commit.clientlib import load_manifest

    (hook,) = load_manifest(str(MANIFEST))
    assert hook["id"] == "budget-audit" and hook["entry"] == "budget-audit check" and hook["language"] == "python"
    assert hook["files"] == r"\.(xlsx|xls|json|csv|pdf|docx)$"
    rx = re.compile(hook["files"])
    assert all(rx.search(f"a/b.{ext}") for ext in ("xlsx", "xls", "json", "csv", "pdf", "docx"))
    assert not any(rx.search(f"a/b.{ext}") for ext in ("txt", "md", "py", "xlsx.bak", "yaml"))


@pytest.fixture
def repo(tmp_path):
    r = tmp_path / "units"
    (r / "good").mkdir(parents=True)
    (r / "bad").mkdir()
    shutil.copy(GOOD, r / "good" / "部门整体.json")
    shutil.copy(BAD, r / "bad" / "自评表.xlsx")
    shutil.copytree(CSV_FOLDER, r / "good" / "project-csv")
    (r / "README.md").write_text("units\n", encoding="utf-8")
    (hook,) = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    args = hook["entry"].split()[1:]                       # "budget-audit check" → ["check"]
    local = dict(hook, language="system", entry=f"{sys.executable} -m budget_audit.cli {' '.join(args)}")
    local.pop("minimum_pre_commit_version", None)
    (r / ".pre-commit-config.yaml").write_text(
        yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]}, allow_unicode=True), encoding="utf-8")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pc-home"), "PYTHONPATH": str(ROOT),
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.invalid", "NO_COLOR": "1"}
    subprocess.run(["git", "init", "-q"], cwd=r, check=True, env=env)
    subprocess.run(["git", "add", "-A"], cwd=r, check=True, env=env)
    return r, env


def _pre_commit(repo, env, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--color", "never", *args], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=600)


def test_hook_passes_good_and_fails_bad_submissions(repo):
    r, env = repo
    good = _pre_commit(r, env, "--verbose", "--files", "good/部门整体.json", "good/project-csv/indicators.csv",
                       "README.md")
    assert good.returncode == 0, good.stdout + good.stderr
    assert re.search(r"budget-audit.*Passed", good.stdout)
    assert "共 2 份：通过 2" in good.stdout          # the JSON and the CSV folder, once; README.md is not passed

    bad = _pre_commit(r, env, "--all-files")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert re.search(r"budget-audit.*Failed", bad.stdout)
    out = bad.stdout
    assert "bad/自评表.xlsx" in out and "BUD004" in out and "预算执行!B15" in out
    assert "good/部门整体.json" in out and "good/project-csv" in out       # every staged submission was checked
    assert "未通过 1" in out and "通过 2" in out and "README" not in out.split("- hook id")[-1]


def test_hook_with_args_follows_fail_on(repo):
    r, env = repo
    cfg = yaml.safe_load((r / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    cfg["repos"][0]["hooks"][0]["args"] = ["--fail-on", "never"]
    (r / ".pre-commit-config.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    res = _pre_commit(r, env, "--files", "bad/自评表.xlsx")
    assert res.returncode == 0, res.stdout + res.stderr
