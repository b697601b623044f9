"""`check --annotate`: the unit's own workbook back with the findings on their cells.

The reference workbook has 11 errors (and 2 infos); its annotated copy must keep every original
cell, value, formula, merge, data validation and comment, fill and comment the flagged cells, put
校验结果 first with a link per finding, and open in openpyxl and in LibreOffice.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest

from budget_audit.pipeline import run_check
from budget_audit.report import build_report
from budget_audit.report.annotate import FILLS, SHEET_TITLE, AnnotateError, annotate_workbook, write_annotations

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO / "datasets" / "reference" / "nanjing-dianhua-2023.xlsx"


def _soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe:
        return exe
    if os.environ.get("BUDGET_AUDIT_NO_OFFICE") == "1":
        pytest.skip("LibreOffice explicitly disabled (BUDGET_AUDIT_NO_OFFICE=1)")
    pytest.fail("LibreOffice (soffice) is missing: install libreoffice-calc-nogui (make test / .ci/run do)")


def _convert(src: Path, fmt: str, outdir: Path) -> Path:
    profile = outdir / "lo-profile"
    subprocess.run([_soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt,
                    "--outdir", str(outdir), str(src)], check=True, capture_output=True, timeout=180)
    out = outdir / f"{src.stem}.{fmt.split(':')[0]}"
    assert out.is_file(), f"LibreOffice wrote no {out.name}"
    return out


@pytest.fixture(scope="module")
def reference_report():
    return build_report(run_check([str(REFERENCE)]))


def _findings(report):
    (sub,) = report["submissions"]
    return sub["findings"]


@pytest.fixture(scope="module")
def annotated(reference_report) -> bytes:
    return annotate_workbook(REFERENCE, _findings(reference_report), "zh")


def _rgb(cell) -> str:
    return (cell.fill.fgColor.rgb or "")[-6:] if cell.fill is not None and cell.fill.fill_type == "solid" else ""


def test_reference_has_eleven_errors(reference_report):
    errors = [f for f in _findings(reference_report) if f["severity"] == "error"]
    assert len(errors) == 11
    assert all("cell" in f["location"] for f in errors)


def test_error_cells_are_filled_red_and_commented(annotated, reference_report):
    wb = openpyxl.load_workbook(BytesIO(annotated))
    errors = [f for f in _findings(reference_report) if f["severity"] == "error"]
    for f in errors:
        cell = wb[f["location"]["sheet"]][f["location"]["cell"]]
        assert _rgb(cell) == FILLS["error"], (f["rule"], cell.coordinate)
        assert cell.comment is not None
        assert f["rule"] in cell.comment.text and f["message"]["zh"] in cell.comment.text
    infos = [f for f in _findings(reference_report) if f["severity"] == "info"]
    for f in infos:
        cell = wb[f["location"]["sheet"]][f["location"]["cell"]]
        assert _rgb(cell) == FILLS["info"]
        assert f["message"]["zh"] in cell.comment.text


def test_original_sheets_unchanged(annotated, reference_report):
    """Every original cell (value, formula, number format, font), merge, validation and comment is the input's."""
    src = openpyxl.load_workbook(REFERENCE)
    out = openpyxl.load_workbook(BytesIO(annotated))
    assert out.sheetnames == [SHEET_TITLE] + src.sheetnames
    flagged = {(f["location"]["sheet"], f["location"]["cell"]) for f in _findings(reference_report)}
    compared = 0
    for a in src.worksheets:
        b = out[a.title]
        assert b.max_row == a.max_row and b.max_column == a.max_column
        assert sorted(map(str, b.merged_cells.ranges)) == sorted(map(str, a.merged_cells.ranges))
        assert ([(str(d.sqref), d.type, d.formula1) for d in b.data_validations.dataValidation]
                == [(str(d.sqref), d.type, d.formula1) for d in a.data_validations.dataValidation])
        assert b.freeze_panes == a.freeze_panes
        for row in a.iter_rows():
            for ca in row:
                cb = b[ca.coordinate]
                assert cb.value == ca.value, (a.title, ca.coordinate)
                assert cb.data_type == ca.data_type
                assert cb.number_format == ca.number_format
                for style in ("font", "border", "alignment", "protection"):
                    assert repr(getattr(cb, style)) == repr(getattr(ca, style)), (a.title, ca.coordinate, style)
                if (a.title, ca.coordinate) in flagged:
                    if ca.comment is not None:      # the unit's note stays first, ours follows
                        assert cb.comment.text.startswith(ca.comment.text)
                else:
                    assert repr(cb.fill) == repr(ca.fill), (a.title, ca.coordinate)
                    assert (cb.comment.text if cb.comment else None) == (ca.comment.text if ca.comment else None)
                compared += 1
    assert compared > 500
    formulas = [c for ws in out.worksheets[1:] for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert len(formulas) == 7


def test_results_sheet_lists_every_finding_with_links(annotated, reference_report):
    wb = openpyxl.load_workbook(BytesIO(annotated))
    ws = wb.worksheets[0]
    assert ws.title == SHEET_TITLE and wb.active.title == SHEET_TITLE
    rows = list(ws.iter_rows(values_only=False))
    head = next(i for i, r in enumerate(rows) if r[0].value == "序号")
    assert [c.value for c in rows[head]] == ["序号", "严重程度", "规则", "规则名称", "说明", "位置"]
    body = rows[head + 1:]
    findings = _findings(reference_report)
    assert len(body) == len(findings) == 13
    for r, f in zip(body, findings):
        assert r[2].value == f["rule"] and r[4].value == f["message"]["zh"]
        assert r[1].value == {"error": "错误", "info": "提示"}[f["severity"]]
        assert r[3].value                                  # the rule's Chinese title
        sheet, cell = f["location"]["sheet"], f["location"]["cell"]
        assert r[5].hyperlink is not None and r[5].hyperlink.location == f"'{sheet}'!{cell}"
        assert r[5].value == f"{sheet}!{cell}"


def test_english_comments(reference_report):
    wb = openpyxl.load_workbook(BytesIO(annotate_workbook(REFERENCE, _findings(reference_report), "en")))
    f = _findings(reference_report)[0]
    assert f["message"]["en"] in wb[f["location"]["sheet"]][f["location"]["cell"]].comment.text
    assert wb.worksheets[0].title == SHEET_TITLE


def _finding(rule, severity, loc, zh="说明", en="message"):
    return {"rule": rule, "severity": severity, "location": loc, "message": {"zh": zh, "en": en}}


def test_worst_severity_wins_and_comment_lists_all(make_workbook, tmp_path):
    book = make_workbook({"表": [["a", "b"], [1, 2], [3, 4]]}, merges={"表": ["A2:A3"]})
    findings = [_finding("SCR001", "warning", {"sheet": "表", "cell": "B2"}, "警告一"),
                _finding("MTH001", "error", {"sheet": "表", "cell": "B2"}, "错误二"),
                _finding("MTH004", "info", {"sheet": "表", "cell": "B2"}, "提示三"),
                _finding("WGT002", "warning", {"sheet": "表", "cell": "A3"}, "合并单元格"),   # inside A2:A3
                _finding("STR001", "error", {"path": "budget.total"}, "没有单元格"),
                _finding("STR002", "error", {"sheet": "不存在", "cell": "A1"}, "没有这个表")]
    wb = openpyxl.load_workbook(BytesIO(annotate_workbook(book, findings)))
    b2 = wb["表"]["B2"]
    assert _rgb(b2) == FILLS["error"]
    assert all(t in b2.comment.text for t in ("警告一", "错误二", "提示三", "SCR001", "MTH001", "MTH004"))
    a2 = wb["表"]["A2"]                                    # the merge's anchor carries it
    assert _rgb(a2) == FILLS["warning"] and "合并单元格" in a2.comment.text
    rows = [r for r in wb[SHEET_TITLE].iter_rows() if r[2].value in ("STR001", "STR002")]
    assert len(rows) == 2 and all(r[5].hyperlink is None for r in rows)
    assert rows[0][5].value == "budget.total"


def test_formula_injection_is_neutralised(make_workbook):
    book = make_workbook({"表": [["a"], ["x"]]})
    evil = '=HYPERLINK("http://evil.example","点我")'
    wb = openpyxl.load_workbook(BytesIO(annotate_workbook(book, [_finding("STR001", "error",
                                                                             {"sheet": "表", "cell": "A2"}, evil)])))
    cells = [c for r in wb[SHEET_TITLE].iter_rows() for c in r if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" and not c.value.startswith("=") for c in cells)
    assert all(c.data_type != "f" for ws in wb.worksheets for r in ws.iter_rows() for c in r)


def test_ods_input_gets_an_xlsx_copy_with_the_same_layout(tmp_path):
    from python_calamine import CalamineWorkbook

    src = tmp_path / "unit.xlsx"
    wb = openpyxl.load_workbook(REFERENCE)
    wb["基本信息"]["C2"] = "=1+2 单位写的文字"         # text that looks like a formula must stay text
    wb["基本信息"]["C2"].data_type = "s"
    wb.save(src)
    ods = _convert(src, "ods", tmp_path)
    report = build_report(run_check([str(ods)]))
    (sub,) = report["submissions"]
    assert sum(f["severity"] == "error" for f in sub["findings"]) == 11
    out = openpyxl.load_workbook(BytesIO(annotate_workbook(ods, sub["findings"])))
    cal = CalamineWorkbook.from_path(str(ods))
    assert out.sheetnames == [SHEET_TITLE] + list(cal.sheet_names)
    for name in cal.sheet_names:
        rows = cal.get_sheet_by_name(name).to_python(skip_empty_area=False)
        ws = out[name]
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row, start=1):
                assert ws.cell(row=r, column=c).value == (None if v == "" else v), (name, r, c)
    assert out["基本信息"]["C2"].value == "=1+2 单位写的文字" and out["基本信息"]["C2"].data_type == "s"
    for f in sub["findings"]:
        if f["severity"] == "error":
            assert _rgb(out[f["location"]["sheet"]][f["location"]["cell"]]) == FILLS["error"]


def test_libreoffice_renders_the_annotated_copy(annotated, tmp_path):
    book = tmp_path / "标注.xlsx"
    book.write_bytes(annotated)
    pdf = _convert(book, "pdf", tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5000
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "BUD004" in text and "WGT002" in text


def _cli(*args, cwd=REPO):
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "budget_audit.cli", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=300)


def test_cli_annotate_one_and_several(tmp_path):
    out = tmp_path / "标注.xlsx"
    p = _cli("check", str(REFERENCE), "--annotate", str(out))
    assert p.returncode == 1, p.stderr                  # the findings decide the exit code, as without --annotate
    assert openpyxl.load_workbook(out).sheetnames[0] == SHEET_TITLE
    assert not list(tmp_path.glob(".*.part"))
    examples = REPO / "datasets" / "examples"
    p = _cli("check", str(REFERENCE), str(examples), "--annotate", str(tmp_path / "x.xlsx"))
    assert p.returncode == 2 and "需要一个目录" in p.stderr and "needs a directory" in p.stderr
    assert not (tmp_path / "x.xlsx").exists()
    p = _cli("check", str(REFERENCE), str(examples), "--annotate", str(tmp_path / "dir"), "--lang", "en")
    assert p.returncode == 1, p.stderr
    names = sorted(x.name for x in (tmp_path / "dir").iterdir())
    assert names == sorted(["nanjing-dianhua-2023-标注.xlsx", "dept-overall-105-clean-标注.xlsx",
                            "generic-clean-标注.xlsx", "project-mof-100-clean-标注.xlsx"])
    copy = tmp_path / "unit.xlsx"
    copy.write_bytes(REFERENCE.read_bytes())
    p = _cli("check", str(copy), "--annotate", str(copy))
    assert p.returncode == 2 and "不能覆盖原文件" in p.stderr and copy.read_bytes() == REFERENCE.read_bytes()
    p = _cli("check", str(REPO / "datasets" / "reference" / "nanjing-dianhua-2023.json"), "--annotate", str(out))
    assert p.returncode == 2 and "workbook" in p.stderr and "内部错误" not in p.stderr


def test_unreadable_workbook_is_not_annotated(tmp_path):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    report = build_report(run_check([str(bad)]))
    with pytest.raises(AnnotateError):
        write_annotations(report, tmp_path / "out.xlsx")
    assert not (tmp_path / "out.xlsx").exists()


def test_units_own_comment_is_kept(make_workbook, tmp_path):
    from openpyxl.comments import Comment

    book = make_workbook({"表": [["a", "b"], [1, 2]]})
    wb = openpyxl.load_workbook(book)
    wb["表"]["B2"].comment = Comment("单位自己的批注", "财务科")
    wb.save(book)
    out = openpyxl.load_workbook(BytesIO(annotate_workbook(book, [_finding("SCR001", "error",
                                                                         {"sheet": "表", "cell": "B2"}, "得分不对")])))
    text = out["表"]["B2"].comment.text
    assert text.startswith("单位自己的批注") and "得分不对" in text


def test_rerun_gives_the_same_bytes_and_keeps_the_units_created_date(reference_report, tmp_path):
    """No save time in the copy: a rerun hands back the same bytes; the unit's own creation date is kept and
    is the copy's modification date too (never the time of the run)."""
    import datetime
    import zipfile

    src = tmp_path / "unit.xlsx"
    wb = openpyxl.load_workbook(REFERENCE)
    wb.properties.created = datetime.datetime(2023, 3, 9, 8, 30, 0)
    wb.save(src)
    first = annotate_workbook(src, _findings(reference_report), "zh")
    z = zipfile.ZipFile(BytesIO(first))
    core = z.read("docProps/core.xml").decode()
    assert "2023-03-09T08:30:00Z</dcterms:created>" in core and "2023-03-09T08:30:00Z</dcterms:modified>" in core
    assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}
    assert annotate_workbook(src, _findings(reference_report), "zh") == first


def test_a_workbook_without_a_creation_date_gets_the_fixed_instant(reference_report, tmp_path):
    """openpyxl fills a missing dcterms:created with the time it loads the file: the copy must not carry that
    time (a rerun would differ), but the fixed instant in both stamps."""
    import re
    import zipfile

    src = tmp_path / "no-created.xlsx"
    with zipfile.ZipFile(REFERENCE) as zin, zipfile.ZipFile(src, "w") as zout:
        for info in zin.infolist():
            body = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"<dcterms:created\b[^>]*>[^<]*</dcterms:created>", b"", body)
            zout.writestr(info, body)
    core = zipfile.ZipFile(BytesIO(annotate_workbook(src, _findings(reference_report), "zh"))).read(
        "docProps/core.xml").decode()
    stamps = re.findall(r"<dcterms:(created|modified)\b[^>]*>([^<]*)<", core)
    assert stamps == [("created", "2000-01-01T00:00:00Z"), ("modified", "2000-01-01T00:00:00Z")], stamps
