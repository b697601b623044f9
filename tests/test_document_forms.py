"""Two project forms one after the other in one Word or PDF table: one submission per form, as on a sheet
(`readers.layout.forms`), each located in the document's own rows; one form alone stays one submission."""

from __future__ import annotations

from pathlib import Path

import pytest

from budget_audit.pipeline import run_check
from budget_audit.readers import read_inputs
from budget_audit.readers.layout.forms import form_segments
from budget_audit.writers.report import Report, Table, write_docx, write_pdf

HEAD = ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分"]


def _form(project: str, score: int, total: int) -> list[list]:
    return [
        ["项目支出绩效自评表", None, None, None, None, None, None],
        ["（2023年度）", None, None, None, None, None, None],
        ["项目名称", project, None, None, None, None, None],
        ["实施单位", "某县农业农村局", None, None, None, None, None],
        HEAD,
        ["产出指标", "数量指标", "培训人数", "≥100人", "120人", "50", str(score)],
        ["效益指标", "社会效益指标", "群众知晓率", "≥90%", "95%", "50", "50"],
        ["总分", None, None, None, None, "100", str(total)],
    ]


def _write(fmt: str, path: Path, rows: list[list]) -> Path:
    return (write_docx if fmt == "docx" else write_pdf)(Report([], [Table(rows)]), path)


def test_form_segments_start_at_a_title_after_a_total():
    rows = _form("甲项目", 50, 100) + _form("乙项目", 40, 90)
    assert form_segments(rows) == [(0, 8), (8, 16)]
    assert form_segments(_form("甲项目", 50, 100)) == [(0, 8)]
    # a title with no total row before it does not start a form
    assert form_segments([["项目支出绩效自评表"], ["项目支出绩效自评表"]]) == [(0, 2)]


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_two_forms_in_one_table_are_two_submissions(tmp_path, fmt):
    # form 2 is wrong: its total says 95 while its scores add up to 90; form 1 is clean
    path = _write(fmt, tmp_path / f"forms.{fmt}", _form("甲项目", 50, 100) + _form("乙项目", 40, 95))
    raws = read_inputs([str(path)])
    assert [r.id for r in raws] == ["forms#1", "forms#2"]
    assert [r.data.get("project") for r in raws] == ["甲项目", "乙项目"]
    assert [len(r.data["indicators"]) for r in raws] == [2, 2]
    findings = run_check([str(path)]).findings
    errors = findings[findings["severity"] == "error"]
    assert sorted(set(errors["rule"])) == ["SCR004"], errors[["submission_id", "rule", "message_zh"]]
    assert set(errors["submission_id"]) == {"forms#2"}
    # the location is form 2's 总分 row in the document's table: its 16th row, not the form's 8th
    loc = errors.iloc[0]["location"]
    assert loc["row"] == 16, loc


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_one_form_stays_one_submission(tmp_path, fmt):
    path = _write(fmt, tmp_path / f"form.{fmt}", _form("甲项目", 50, 100))
    raws = read_inputs([str(path)])
    assert [r.id for r in raws] == ["form"]
    assert len(raws[0].data["indicators"]) == 2


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_a_form_per_table_is_a_submission_per_table(tmp_path, fmt):
    """A department's project forms appended to its report, each in its own table down to its 总分 row: read as one
    submission they gave 7 false errors (weights summing to 200, every indicator 'duplicated', total 200 > 100)."""
    rep = Report([], [Table(_form("甲项目", 50, 100)), "（续）", Table(_form("乙项目", 40, 95))])
    path = (write_docx if fmt == "docx" else write_pdf)(rep, tmp_path / f"tables.{fmt}")
    raws = read_inputs([str(path)])
    assert [r.data.get("project") for r in raws] == ["甲项目", "乙项目"]
    findings = run_check([str(path)]).findings
    errors = findings[findings["severity"] == "error"]
    assert list(errors["rule"]) == ["SCR004"] and list(errors["submission_id"]) == ["tables#2"], errors


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_a_score_table_continued_in_a_second_table_stays_one_form(tmp_path, fmt):
    """A page break splits the score table: the second table repeats the header, and only it has the 总分 row."""
    form = _form("甲项目", 50, 100)
    rep = Report([], [Table(form[:6]), Table([HEAD] + form[6:])])
    path = (write_docx if fmt == "docx" else write_pdf)(rep, tmp_path / f"continued.{fmt}")
    raws = read_inputs([str(path)])
    assert [r.id for r in raws] == ["continued"]
    assert [i["name"] for i in raws[0].data["indicators"]] == ["培训人数", "群众知晓率"]
    findings = run_check([str(path)]).findings
    assert not (findings["severity"] == "error").any(), findings[["rule", "message_zh"]]


def test_forms_printed_as_text_lines_are_a_submission_each(tmp_path):
    """A report's text (a .txt, or a PDF's text layer) printing two forms one after another: form 2 was read as the
    first form's narrative and never checked (its wrong total went unreported). The text before form 1 stays
    with form 1."""
    lines = ["某县农业农村局2023年度项目支出绩效自评报告", "一、项目基本情况", "本局共实施两个项目，自评如下。"]
    for f in (_form("甲项目", 50, 100), _form("乙项目", 40, 95)):
        lines += [" ".join(x for x in row if x) for row in f] + [""]
    path = tmp_path / "forms.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    raws = read_inputs([str(path)])
    assert [r.id for r in raws] == ["forms#1", "forms#2"]
    assert [[i["name"] for i in r.data["indicators"]] for r in raws] == [["培训人数", "群众知晓率"]] * 2
    findings = run_check([str(path)]).findings
    errors = findings[findings["severity"] == "error"]
    assert list(errors["rule"]) == ["SCR004"] and list(errors["submission_id"]) == ["forms#2"], errors
    assert errors.iloc[0]["location"]["line"] == len(lines) - 1, errors.iloc[0]["location"]   # form 2's 总分 line
