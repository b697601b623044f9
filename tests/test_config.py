"""Rule selection (--select / --ignore) and the config file ([tool.budget-audit] / budget-audit.toml)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from budget_audit.cli import main
from budget_audit.config import ConfigError, find_config, select_rules
from budget_audit.rules import CATALOGUE

ROOT = Path(__file__).resolve().parents[1]
REF_JSON = ROOT / "datasets" / "reference" / "nanjing-dianhua-2023.json"
ALL = [r.id for r in CATALOGUE]


def check_json(capsys, *args: str) -> tuple[int, dict]:
    code = main(["check", str(REF_JSON), "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)


def rules_of(report) -> set[str]:
    return {f["rule"] for s in report["submissions"] for f in s["findings"]}


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder with a sub-folder as the working directory (the config is found upward)."""
    sub = tmp_path / "units" / "2023"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    return tmp_path


# ---- selection -----------------------------------------------------------------------------------

def test_select_rules_by_id_family_and_prefix():
    assert select_rules(None, None) == tuple(ALL)
    assert select_rules(["BUD"], None) == tuple(i for i in ALL if i.startswith("BUD"))
    assert select_rules(["mth00,SCR001"], None) == tuple(i for i in ALL if i.startswith("MTH00") or i == "SCR001")
    assert select_rules(["BUD"], ["BUD006", "BUD00"]) == tuple(i for i in ALL if i.startswith("BUD01"))
    assert select_rules(["ALL"], ["PLA"]) == tuple(i for i in ALL if not i.startswith("PLA"))
    for bad in (["BUDX"], ["ZZZ"], ["BUD999"]):
        with pytest.raises(ConfigError, match="unknown rule"):
            select_rules(bad, None)
    with pytest.raises(ConfigError, match="PLA999"):
        select_rules(None, ["PLA999"])


def test_select_and_ignore_on_the_command_line(capsys, project):
    code, full = check_json(capsys)
    assert code == 1 and {"BUD004", "BUD006", "WGT002"} <= rules_of(full)
    assert full["run"]["selection"]["all_rules"] is True
    code, rep = check_json(capsys, "--select", "BUD", "--ignore", "BUD004")
    assert rules_of(rep) == {r for r in rules_of(full) if r.startswith("BUD")} - {"BUD004"}
    assert code == 1 and rep["summary"]["findings"]["error"] == sum(
        1 for s in rep["submissions"] for f in s["findings"] if f["severity"] == "error")
    sel = rep["run"]["selection"]
    assert sel["select"] == ["BUD"] and sel["ignore"] == ["BUD004"] and sel["all_rules"] is False
    assert sel["rules"] == [i for i in ALL if i.startswith("BUD") and i != "BUD004"]
    # only rules that pass on this file: exit 0, and the console says the report is a selection
    assert main(["check", str(REF_JSON), "--select", "GRD"]) == 0
    out = capsys.readouterr().out
    assert "仅报告所选规则" in out and "GRD" in out
    assert main(["check", str(REF_JSON), "--select", "NOPE1"]) == 2
    err = capsys.readouterr().err
    assert "未知的规则" in err and "unknown rule" in err and "NOPE1" in err and len(err.strip().splitlines()) == 1


# ---- config file ---------------------------------------------------------------------------------

def test_pyproject_table_found_upward_and_flags_win(capsys, project):
    (project / "pyproject.toml").write_text(
        '[project]\nname = "units"\n\n[tool.budget-audit]\nselect = ["WGT"]\nfail-on = "never"\nlang = "en"\n'
        'waivers = "waivers.yaml"\n', encoding="utf-8")
    (project / "waivers.yaml").write_text("waivers: []\n", encoding="utf-8")   # read relative to the config file
    assert find_config() == project / "pyproject.toml"
    code, rep = check_json(capsys)
    assert code == 0 and rules_of(rep) == {"WGT002"}                # fail-on never, only WGT
    assert rep["run"]["fail_on"] == "never" and rep["run"]["config"] == str(project / "pyproject.toml")
    assert rep["run"]["waivers"] == str(project / "waivers.yaml")   # passed on, relative to the config file
    assert main(["check", str(REF_JSON)]) == 0
    assert "only the selected rules are reported" in capsys.readouterr().out   # lang = "en" from the file
    code, rep = check_json(capsys, "--fail-on", "error", "--select", "BUD004", "--lang", "zh")
    assert code == 1 and rules_of(rep) == {"BUD004"} and rep["run"]["fail_on"] == "error"
    code, rep = check_json(capsys, "--no-config")
    assert code == 1 and rep["run"]["selection"]["all_rules"] and rep["run"]["config"] is None


def test_budget_audit_toml_wins_in_its_folder_and_writes_outputs(capsys, project, tmp_path):
    (project / "pyproject.toml").write_text('[tool.budget-audit]\nselect = ["WGT"]\n', encoding="utf-8")
    here = Path.cwd()
    (here / "budget-audit.toml").write_text(
        'profile = "dept-overall-105"\nignore = ["PLA", "MTH"]\n[outputs]\njson = "out.json"\nsarif = "out.sarif"\n',
        encoding="utf-8")
    assert find_config() == here / "budget-audit.toml"
    assert main(["check", str(REF_JSON)]) == 1
    console = capsys.readouterr().out
    assert "■" in console and "BUD004" in console                     # the console, and the files of the config
    rep = json.loads((here / "out.json").read_text(encoding="utf-8"))
    assert not {r for r in rules_of(rep) if r[:3] in ("PLA", "MTH")} and "BUD004" in rules_of(rep)
    assert rep["submissions"][0]["profile"] == "dept-overall-105"
    assert json.loads((here / "out.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    # --format on the command line: the config's outputs are not written
    (here / "out.json").unlink()
    assert main(["check", str(REF_JSON), "--format", "json"]) == 1
    assert not (here / "out.json").exists()
    capsys.readouterr()


def test_config_without_table_is_passed_over(project):
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert find_config() is None or find_config().parent not in (project, Path.cwd())


@pytest.mark.parametrize("text, needle", [
    ('[tool.budget-audit]\nselct = ["BUD"]\n', "selct"),                   # a typo'd key
    ('[tool.budget-audit]\nselect = ["BUD", "ZZZ9"]\n', "ZZZ9"),           # an unknown rule
    ('[tool.budget-audit]\nfail-on = "sometimes"\n', "fail-on"),           # a bad value
    ('[tool.budget-audit]\noutputs = {pdf = "x.pdf"}\n', "pdf"),           # an unknown format
    ('[tool.budget-audit\nselect = 1\n', "TOML"),                          # not TOML
])
def test_bad_config_exits_2_with_a_clear_message(capsys, project, text, needle):
    (project / "pyproject.toml").write_text(text, encoding="utf-8")
    assert main(["check", str(REF_JSON)]) == 2
    err = capsys.readouterr().err
    assert needle in err and "内部错误" not in err
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err) and "config" in err   # Chinese and English
    assert len(err.strip().splitlines()) == 1


def test_explicit_config_file(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cfg = tmp_path / "ci.toml"
    cfg.write_text('select = ["BUD004"]\n', encoding="utf-8")
    code, rep = check_json(capsys, "--config", str(cfg))
    assert code == 1 and rules_of(rep) == {"BUD004"}
    assert main(["check", str(REF_JSON), "--config", str(tmp_path / "missing.toml")]) == 2
    assert "config file not found" in capsys.readouterr().err
