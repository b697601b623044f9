"""Exit codes 0 / 1 / 2 as documented; usage errors are one Chinese + English line; --help says it all."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from budget_audit.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[1]
REF_JSON = ROOT / "datasets" / "reference" / "nanjing-dianhua-2023.json"
CLEAN_JSON = ROOT / "datasets" / "examples" / "dept-overall-105-clean.json"


def _one_bilingual_line(err: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert any("\u4e00" <= ch <= "\u9fff" for ch in lines[0]) and " / " in lines[0]
    assert "内部错误" not in err and "internal error" not in err and "Traceback" not in err


@pytest.fixture(autouse=True)
def _no_config(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)


def test_0_and_1(capsys):
    assert main(["check", str(CLEAN_JSON)]) == 0
    assert main(["check", str(REF_JSON)]) == 1
    assert main(["check", str(REF_JSON), "--fail-on", "never"]) == 0


def test_missing_input_is_2(capsys, tmp_path):
    missing = tmp_path / "没有这个文件.xlsx"
    assert main(["check", str(CLEAN_JSON), str(missing)]) == 2
    err = capsys.readouterr().err
    _one_bilingual_line(err)
    assert str(missing) in err and "input not found" in err


@pytest.mark.parametrize("where", ["no-such-dir/r.json", "a-file/r.json", "a-dir"])
def test_unwritable_output_is_2_before_any_work(capsys, tmp_path, where):
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    (tmp_path / "a-dir").mkdir()
    first = tmp_path / "first.json"
    out = tmp_path / where
    assert main(["check", str(REF_JSON), "--format", "json", "-o", str(first), "--format", "junit", "-o", str(out)]) == 2
    _one_bilingual_line(capsys.readouterr().err)
    assert not first.exists()              # nothing half-done: the outputs are checked before the run


def test_write_failure_during_emit_is_2(capsys, monkeypatch, tmp_path):
    from budget_audit.report import outputs, stream

    def refuse(path, data):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(outputs, "atomic_write", refuse)
    monkeypatch.setattr(stream._Out, "close", lambda self: refuse(self.output, b""))   # the streamed JSON's commit
    assert main(["check", str(REF_JSON), "--format", "json", "-o", str(tmp_path / "r.json")]) == 2
    assert not list(tmp_path.iterdir())                # no partial output left
    err = capsys.readouterr().err
    _one_bilingual_line(err)
    assert "Permission denied" in err


def test_bad_option_is_2():
    proc = subprocess.run([sys.executable, "-m", "budget_audit.cli", "check", str(REF_JSON), "--fail-on", "sometimes"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2 and "--fail-on" in proc.stderr


def _parsers(parser: argparse.ArgumentParser, path=("budget-audit",)):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, path + (name,))


def test_every_command_lists_exit_codes_and_every_option_has_help():
    parsers = list(_parsers(build_parser()))
    assert {p[-1] for p, _ in parsers} >= {"check", "inspect", "rules", "template", "explain-method", "docs", "gx",
                                             "export", "run"}
    for path, parser in parsers:
        text = parser.format_help()
        for code in ("0 ", "1 ", "2 "):
            assert f"\n  {code}" in text.split("exit codes")[-1], (path, text)
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                continue
            assert action.help and action.help != argparse.SUPPRESS, (path, action.dest)


def test_help_runs_for_every_command():
    for args in (["check", "--help"], ["gx", "run", "--help"]):
        proc = subprocess.run([sys.executable, "-m", "budget_audit.cli", *args], capture_output=True, text=True,
                              cwd=ROOT, timeout=120)
        assert proc.returncode == 0 and "exit codes / 退出码" in proc.stdout


@pytest.mark.parametrize("argv", [
    ["inspect", "{missing}"],
    ["inspect", str(CLEAN_JSON), "-o", "{nodir}"],
    ["rules", "-o", "{nodir}"],
    ["template", "-o", "{nodir}"],
    ["gx", "run", "{missing}"],
])
def test_other_commands_missing_input_or_unwritable_output_is_2(capsys, tmp_path, argv):
    argv = [a.format(missing=tmp_path / "nope.xlsx", nodir=tmp_path / "no" / "out.txt") for a in argv]
    assert main(argv) == 2
    _one_bilingual_line(capsys.readouterr().err)
