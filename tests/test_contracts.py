"""The JSON contracts as JSON Schemas (schemas/*.schema.json), checked against every example and report;
the blank template agrees with its profile."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is in the test extra")

from budget_audit.cli import main  # noqa: E402
from budget_audit.profiles import load_profile  # noqa: E402
from budget_audit.readers import read_inputs  # noqa: E402
from budget_audit.rules import RULES  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT / "datasets"
SCHEMAS = ROOT / "schemas"


def validator(name: str):
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def errors(v, doc) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in v.iter_errors(doc)]


SUBMISSION_FILES = sorted(DATASETS.rglob("*.json"))
META_FILES = sorted(DATASETS.rglob("meta.yaml"))


def test_there_are_examples():
    assert len(SUBMISSION_FILES) >= 4 and len(META_FILES) >= 2


@pytest.mark.parametrize("path", SUBMISSION_FILES, ids=lambda p: str(p.relative_to(DATASETS)))
def test_every_example_submission_is_valid(path):
    assert errors(validator("submission"), json.loads(path.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("path", META_FILES, ids=lambda p: str(p.relative_to(DATASETS)))
def test_csv_folder_meta_is_a_valid_submission(path):
    assert errors(validator("submission"), yaml.safe_load(path.read_text(encoding="utf-8"))) == []


def test_what_every_reader_extracts_is_a_valid_submission():
    """Workbooks, CSV folders, text, PDF and Word: each reader yields the interchange model."""
    v = validator("submission")
    raws = [r for r in read_inputs([str(DATASETS)]) if r.data is not None]
    assert {r.reader for r in raws} >= {"json", "csv"} and len(raws) >= 10
    for r in raws:
        doc = json.loads(json.dumps(r.data, ensure_ascii=False, default=str))
        assert errors(v, doc) == [], r.source


@pytest.mark.parametrize("doc, where", [
    ({"indicators": "A11"}, "indicators"),
    ({"budget": {"execution_rate": {"v": 1}}}, "budget/execution_rate"),
    ({"statements": [{"value": "97.5"}]}, "statements/0"),
    ({"statements": [{"quantity": "everything", "value": "1"}]}, "statements/0/quantity"),
    ({"year": 2023.5, "sections": [{"code": "A", "points": [1]}]}, "sections/0/points"),
    ([], ""),
])
def test_submission_schema_rejects(doc, where):
    found = errors(validator("submission"), doc)
    assert found, doc
    if where:                              # the object branch of the oneOf names the place
        defs = validator("submission").schema["$defs"]
        paths = ["/".join(map(str, e.absolute_path)) for e in jsonschema.Draft202012Validator(
            {"$defs": defs, "$ref": "#/$defs/submission"}).iter_errors(doc)]
        assert any(p.startswith(where) for p in paths), paths


def test_extra_keys_are_allowed():
    assert errors(validator("submission"), {"unit": "甲", "x-note": [1, 2], "budget": {"x": {}},
                                            "indicators": [{"name": "n", "extra": True}]}) == []


def _report(capsys, *args) -> dict:
    main(["check", *args, "--format", "json", "--fail-on", "never", "--no-config"])
    return json.loads(capsys.readouterr().out)


def test_every_report_is_valid(capsys, tmp_path):
    (tmp_path / "broken.json").write_text("{nope", encoding="utf-8")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")
    (tmp_path / "batch.json").write_text(json.dumps([{"unit": "甲"}, 3], ensure_ascii=False), encoding="utf-8")
    v = validator("report")
    reports = [
        _report(capsys, str(DATASETS)),
        _report(capsys, str(DATASETS / "reference"), "--lang", "en", "--select", "BUD,SCR", "--ignore", "BUD006"),
        _report(capsys, str(tmp_path)),
    ]
    statuses = {s["status"] for r in reports for s in r["submissions"]}
    assert statuses == {"passed", "failed", "unreadable", "skipped"}
    for r in reports:
        assert errors(v, r) == []
        assert all(f["rule"] in RULES for s in r["submissions"] for f in s["findings"])
        assert r["run"]["selection"]["rules"] and set(r["run"]["selection"]["rules"]) <= set(RULES)


@pytest.mark.parametrize("mutate", [
    lambda r: r.pop("summary"),
    lambda r: r["submissions"][0].update(status="ok"),
    lambda r: r["submissions"][0]["findings"][0].update(severity="fatal"),
    lambda r: r["submissions"][0]["findings"][0]["message"].pop("en"),
    lambda r: r["submissions"][0]["findings"][0].update(rule="bud4"),
    lambda r: r["submissions"][0]["counts"].update(error=-1),
])
def test_report_schema_rejects(capsys, mutate):
    r = _report(capsys, str(DATASETS / "reference" / "nanjing-dianhua-2023.json"))
    assert errors(validator("report"), r) == []
    mutate(r)
    assert errors(validator("report"), r)


# ---- the template agrees with its profile --------------------------------------------------------

def _deviation_hint(profile: str, tmp_path) -> str:
    from openpyxl import load_workbook

    from budget_audit.writers.template import write_template
    path = write_template(profile, tmp_path / f"{profile}.xlsx")
    ws = load_workbook(path)["指标得分表"]
    (cell,) = [c for c in ws[2] if c.value == "偏差原因分析及改进措施"]
    return cell.comment.text


@pytest.mark.parametrize("profile", ["dept-overall-105", "project-mof-100", "generic"])
def test_template_deviation_column_agrees_with_profile(profile, tmp_path):
    hint = _deviation_hint(profile, tmp_path)
    if load_profile(profile).deviation_reason_field:
        assert "必须填写" in hint and "选填" not in hint
    else:
        assert "必须" not in hint and "选填" in hint


def test_bundled_templates_are_the_generated_ones(tmp_path):
    """datasets/templates/*.xlsx carry the same hint (regenerated by datasets/build.py)."""
    from openpyxl import load_workbook

    for profile in ("dept-overall-105", "project-mof-100", "generic"):
        ws = load_workbook(DATASETS / "templates" / f"{profile}.xlsx")["指标得分表"]
        (cell,) = [c for c in ws[2] if c.value == "偏差原因分析及改进措施"]
        assert cell.comment.text == _deviation_hint(profile, tmp_path)
