"""The real `budget-audit` command on real files: exit codes, formats, bad input, profiles."""

from __future__ import annotations

import json
import os
import subprocess
import stat
import sys
from pathlib import Path

import pytest


from budget_audit.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEED_JSON = ROOT / "datasets" / "reference" / "nanjing-dianhua-2023.json"
RULE_FAMILIES = ("STR", "WGT", "SCR", "GRD", "BUD", "XST")


def run_json(capsys, *args: str) -> tuple[int, dict]:
    code = main(["check", *args, "--format", "json"])
    out = capsys.readouterr().out
    return code, json.loads(out)


def test_seed_exit_code_and_errors(capsys):
    code, report = run_json(capsys, str(SEED_JSON))
    assert code == 1
    (sub,) = report["submissions"]
    assert sub["status"] == "failed"
    errors = sorted((f["rule"], f["indicator"] or f["section"]) for f in sub["findings"]
                    if f["severity"] == "error" and f["rule"][:3] in RULE_FAMILIES)
    assert errors == [("BUD004", None), ("BUD006", "B11"), ("WGT002", "A"), ("WGT002", "B")]


def test_fail_on_never_and_warning(capsys, tmp_path):
    assert main(["check", str(SEED_JSON), "--fail-on", "never"]) == 0
    capsys.readouterr()
    # a submission with only a warning: exit 0 by default, 1 with --fail-on warning
    sub = json.loads(SEED_JSON.read_text(encoding="utf-8"))
    sub = _clean_dept(sub)
    sub["year"] = 2023
    sub["title"] = "2022年度整体预算绩效自评价报告"   # STR008 year mismatch (warning)
    p = tmp_path / "warn.json"
    p.write_text(json.dumps(sub, ensure_ascii=False), encoding="utf-8")
    code, report = run_json(capsys, str(p))
    assert {f["rule"] for f in report["submissions"][0]["findings"] if f["severity"] == "warning"} >= {"STR008"}
    assert report["submissions"][0]["counts"]["error"] == 0, report["submissions"][0]["findings"]
    assert code == 0
    assert main(["check", str(p), "--fail-on", "warning"]) == 1


def _clean_dept(sub: dict) -> dict:
    """The seed with its defects repaired: section points, rate, tier scores."""
    sub = json.loads(json.dumps(sub))
    sub["sections"][0]["points"] = "15"
    sub["sections"][1]["points"] = "20"
    sub["budget"]["execution_rate"] = "95.68%"
    for st in sub["statements"]:
        if st["quantity"] == "execution_rate":
            st["value"] = "95.68%"
    for ind in sub["indicators"]:
        if ind["code"] == "B11":
            ind["actual"] = "95.68%"
        if ind["code"] in {"B31", "B32", "B41", "B51", "B52", "B61", "B62"}:
            ind["score"] = "1"
    for st in sub["statements"]:
        if st["quantity"] == "total":
            st["value"] = "101"
        if st["quantity"] == "section:B":
            st["value"] = "20"
    return sub


def test_unreadable_file_in_folder(capsys, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a-corrupt.xlsx").write_bytes(os.urandom(2048))
    (folder / "b-good.json").write_text(SEED_JSON.read_text(encoding="utf-8"), encoding="utf-8")
    code, report = run_json(capsys, str(folder))
    assert code == 1
    assert [s["status"] for s in report["submissions"]] == ["unreadable", "failed"]
    bad = report["submissions"][0]
    assert [f["rule"] for f in bad["findings"]] == ["STR007"]
    assert bad["source"].endswith("a-corrupt.xlsx")
    assert report["summary"]["unreadable"] == 1 and report["summary"]["submissions"] == 2


def test_every_input_once_in_order(capsys, tmp_path):
    paths = []
    for name, content in [("1.json", "{not json"), ("2.rtf", "hello"), ("3.json", "[]"), ("4.json", "[1, {}]")]:
        p = tmp_path / name
        p.write_text(content, encoding="utf-8")
        paths.append(str(p))
    code, report = run_json(capsys, *paths)     # a missing path is a usage error (exit 2): tests/test_exit_codes.py
    sources = [s["source"] for s in report["submissions"]]
    assert sources == [paths[0], paths[1], paths[2], paths[3] + "#0", paths[3] + "#1"]
    assert [s["status"] for s in report["submissions"]][:5] == ["unreadable"] * 4 + ["failed"]
    assert code == 1
    assert len({s["id"] for s in report["submissions"]}) == len(sources)


def test_unknown_and_broken_profile_exit_2(capsys, tmp_path):
    assert main(["check", str(SEED_JSON), "--profile", "no-such-profile"]) == 2
    assert "no-such-profile" in capsys.readouterr().err
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\ntotal_weight: 100\ngrade_bands: []\nsections:\n  - {names: [A], weight: 60}\n",
                      encoding="utf-8")
    assert main(["check", str(SEED_JSON), "--profile", str(broken)]) == 2
    err = capsys.readouterr().err
    assert "grade_bands" in err
    bad_rule = tmp_path / "badrule.yaml"
    bad_rule.write_text("name: y\ngrade_bands: [{grade: 优, min: 90}, {grade: 差, min: 0}]\n"
                        "rules: {ZZZ999: {enabled: false}}\n", encoding="utf-8")
    assert main(["check", str(SEED_JSON), "--profile", str(bad_rule)]) == 2
    assert "ZZZ999" in capsys.readouterr().err


def test_user_profile_override(capsys, tmp_path):
    """A user's own profile can switch a rule off and change a severity."""
    import yaml
    base = yaml.safe_load((ROOT / "budget_audit" / "profiles" / "dept-overall-105.yaml").read_text(encoding="utf-8"))
    base["name"] = "my-city"
    base["rules"] = {"WGT002": {"enabled": False}, "BUD004": {"severity": "warning"}}
    p = tmp_path / "my.yaml"
    p.write_text(yaml.safe_dump(base, allow_unicode=True), encoding="utf-8")
    code, report = run_json(capsys, str(SEED_JSON), "--profile", str(p))
    sub = report["submissions"][0]
    rules = {(f["rule"], f["severity"]) for f in sub["findings"]}
    assert sub["profile"] == "my-city"
    assert not any(r == "WGT002" for r, _ in rules)
    assert ("BUD004", "warning") in rules


def test_rules_json_lists_families(capsys):
    assert main(["rules", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    ids = {r["id"] for r in data["rules"]}
    expected = {f"STR00{i}" for i in range(1, 9)} | {f"WGT00{i}" for i in range(1, 6)} | \
        {f"SCR00{i}" for i in range(1, 9)} | {"GRD001", "GRD002", "XST001"} | \
        {f"BUD{i:03d}" for i in range(1, 12)}
    assert expected <= ids


def test_english_console(capsys):
    main(["check", str(SEED_JSON), "--lang", "en"])
    out = capsys.readouterr().out
    assert "execution rate stated 97%" in out and "1 submissions: 0 passed, 1 failed" in out


def test_junit_and_xlsx_outputs(tmp_path, capsys):
    junit = tmp_path / "r.xml"
    assert main(["check", str(SEED_JSON), "--format", "junit", "-o", str(junit)]) == 1
    import xml.etree.ElementTree as ET
    root = ET.parse(junit).getroot()
    assert len(root.findall(".//failure")) >= 4
    xlsx = tmp_path / "r.xlsx"
    assert main(["check", str(SEED_JSON), "--format", "xlsx", "-o", str(xlsx)]) == 1
    from openpyxl import load_workbook
    wb = load_workbook(xlsx)
    rules = [row[2] for row in wb["问题清单"].iter_rows(min_row=2, values_only=True)]
    assert rules.count("WGT002") == 2 and "BUD004" in rules


def test_check_does_not_import_great_expectations():
    code = ("import sys, budget_audit.cli as c\n"
            f"rc = c.main(['check', {str(SEED_JSON)!r}, '--format', 'json', '-o', '/dev/null'])\n"
            "assert rc == 1, rc\n"
            "assert 'great_expectations' not in sys.modules\n"
            "print('ok')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)       # written into, never replaced by a file


def test_console_script_runs(tmp_path):
    """The installed console command, as a user runs it."""
    exe = Path(sys.executable).with_name("budget-audit")
    out = subprocess.run([str(exe), "check", str(SEED_JSON)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 1
    assert "WGT002" in out.stdout and "Traceback" not in out.stderr


def test_explain_method_command(capsys):
    assert main(["explain-method", "达到90%得2分，未达到根据完成度得分", "--target", "90%", "--actual", "85%",
                 "--weight", "2"]) == 0
    out = capsys.readouterr().out
    assert "threshold_proportional" in out and "1.8889" in out
    assert main(["explain-method", "制度健全得1分，制度较健全得0.5分，无制度得0分", "--actual", "较健全",
                 "--weight", "1", "--lang", "en"]) == 0
    assert "expected 0.5" in capsys.readouterr().out


def test_template_command_writes_a_checkable_workbook(tmp_path, capsys):
    out = tmp_path / "自评表.xlsx"
    assert main(["template", "--profile", "dept-overall-105", "-o", str(out)]) == 0
    from python_calamine import CalamineWorkbook
    assert "指标得分表" in CalamineWorkbook.from_path(str(out)).sheet_names
    capsys.readouterr()
    code, report = run_json(capsys, str(out))
    sub = report["submissions"][0]
    # a blank form is readable but empty: STR006, not a crash
    assert sub["status"] == "failed" and "STR006" in {f["rule"] for f in sub["findings"]}
    assert code == 1


def test_nan_inf_and_text_in_numbers(capsys, tmp_path):
    sub = json.loads(SEED_JSON.read_text(encoding="utf-8"))
    sub["indicators"][0]["weight"] = float("inf")
    sub["indicators"][1]["score"] = float("nan")
    sub["indicators"][2]["score"] = "IO"
    sub["budget"]["expenditure"] = -5
    p = tmp_path / "bad.json"
    p.write_text(json.dumps(sub, ensure_ascii=False), encoding="utf-8")   # json writes Infinity / NaN
    code, report = run_json(capsys, str(p))
    found = {(f["rule"], f["indicator"]) for f in report["submissions"][0]["findings"]}
    assert ("STR002", "A11") in found          # inf weight is not a number
    assert ("STR001", "A12") in found          # NaN score is a missing score
    assert ("STR002", "A13") in found          # OCR damage "IO"
    assert ("BUD009", None) in found
    assert code == 1


def test_large_garbage_file_is_one_finding(capsys, tmp_path):
    big = tmp_path / "huge.xlsx"
    with open(big, "wb") as fh:
        fh.write(b"PK\x03\x04" + os.urandom(1 << 20) * 50)   # 50 MB that only looks like a zip
    good = tmp_path / "ok.json"
    good.write_text(SEED_JSON.read_text(encoding="utf-8"), encoding="utf-8")
    code, report = run_json(capsys, str(big), str(good))
    assert [s["status"] for s in report["submissions"]] == ["unreadable", "failed"]
    assert report["submissions"][0]["findings"][0]["rule"] == "STR007"


def test_truncation_allowed_by_profile_is_a_warning(capsys, tmp_path):
    """95.679% printed as "95%" (cut, not rounded): an error by default, a warning where the profile allows it."""
    import yaml
    sub = _clean_dept(json.loads(SEED_JSON.read_text(encoding="utf-8")))
    sub["budget"]["execution_rate"] = "95%"
    p = tmp_path / "cut.json"
    p.write_text(json.dumps(sub, ensure_ascii=False), encoding="utf-8")
    prof = yaml.safe_load((ROOT / "budget_audit" / "profiles" / "dept-overall-105.yaml").read_text(encoding="utf-8"))
    prof["name"], prof["tolerance"] = "cutting-city", {"allow_truncation": True}
    pp = tmp_path / "cut.yaml"
    pp.write_text(yaml.safe_dump(prof, allow_unicode=True), encoding="utf-8")

    def bud004(*extra):
        _, report = run_json(capsys, str(p), *extra)
        return [(f["severity"], f["message"]["zh"]) for f in report["submissions"][0]["findings"] if f["rule"] == "BUD004"]

    assert [s for s, _ in bud004()] == ["error"]
    ((severity, message),) = bud004("--profile", str(pp))
    assert severity == "warning" and "截断" in message
    sub["budget"]["execution_rate"] = "94%"   # below the computed rate: not a truncation of it
    p.write_text(json.dumps(sub, ensure_ascii=False), encoding="utf-8")
    assert [s for s, _ in bud004("--profile", str(pp))] == ["error"]


def test_amounts_with_units_agree_across_places(capsys, tmp_path):
    """"6965.62万元" in the budget and "69656200元" in a statement are the same money; 7300 vs 7280.19 is not."""
    sub = _clean_dept(json.loads(SEED_JSON.read_text(encoding="utf-8")))
    sub["budget"]["expenditure"] = "6965.62万元"
    sub["statements"] += [{"quantity": "budget:expenditure", "value": "69656200元", "where": "正文"},
                          {"quantity": "budget:adjusted_budget", "value": "7300", "where": "附表"}]
    p = tmp_path / "amounts.json"
    p.write_text(json.dumps(sub, ensure_ascii=False), encoding="utf-8")
    _, report = run_json(capsys, str(p))
    found = [(f["rule"], f["message"]["zh"]) for f in report["submissions"][0]["findings"] if f["severity"] == "error"]
    assert [r for r, _ in found] == ["XST001"]
    assert "调整预算数" in found[0][1] and "7300" in found[0][1]


def test_batch_console_overview(capsys):
    assert main(["check", str(SEED_JSON), str(SEED_JSON.with_suffix(".xlsx"))]) == 1
    out = capsys.readouterr().out
    assert "最常见的问题：MTH001 ×14，WGT002 ×4" in out
    assert "错误最多的文件：nanjing-dianhua-2023.json (11)" in out


def test_gbk_csv_folder_through_the_command(capsys, tmp_path):
    """A CSV folder exported in GBK (as Chinese Excel does), checked by the command; then one value damaged."""
    import shutil
    src = ROOT / "datasets" / "examples" / "dept-overall-105-clean-csv"
    with pytest.raises(UnicodeDecodeError):
        (src / "indicators.csv").read_bytes().decode("utf-8")
    code, report = run_json(capsys, str(src))
    assert code == 0 and report["submissions"][0]["status"] == "passed"
    folder = tmp_path / "unit-a"
    shutil.copytree(src, folder)
    lines = (folder / "indicators.csv").read_bytes().decode("gbk").splitlines()
    row = next(i for i, line in enumerate(lines) if "C11" in line)
    assert ",8,8," in lines[row]
    lines[row] = lines[row].replace(",8,8,", ",8,9,", 1)   # C11 score 9 > weight 8
    (folder / "indicators.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    code, report = run_json(capsys, str(folder))
    found = [(f["rule"], f["indicator"], f["location"]) for f in report["submissions"][0]["findings"]
             if f["severity"] == "error"]
    assert code == 1 and ("SCR001", "C11") in {(r, i) for r, i, _ in found}
    loc = next(l for r, i, l in found if r == "SCR001")
    assert loc["file"].endswith("indicators.csv") and loc["line"] == row + 1


def test_inspect_shows_what_was_read_with_its_cell(capsys, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    for row in [["项目支出绩效自评表"], ["（2023年度）"], ["项目名称", "某项目"], ["实施单位", "某某局"],
                ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
                ["产出指标", "数量指标", "培训人数", "≥100人", "120人", 90, 88], ["总分", None, None, None, None, 90, 88]]:
        wb.active.append(row)
    path = tmp_path / "form.xlsx"
    wb.save(path)
    assert main(["inspect", str(path)]) == 0
    out = capsys.readouterr().out
    assert "某某局  @Sheet!B4" in out and "year     2023  @Sheet!A2" in out
    assert "name=培训人数 | target=≥100人 | actual=120人 | weight=90 | score=88  @Sheet!C6" in out
    assert "statement total = 88" in out
    assert main(["inspect", str(path), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc[0]["data"]["indicators"][0]["score"] == 88 and doc[0]["locations"]["unit"]["cell"] == "B4"
