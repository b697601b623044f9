"""Generated docs/schemas are fresh; built-in profiles load; broken profiles are rejected clearly."""

from __future__ import annotations

from pathlib import Path

import pandera.pandas as pa
import pytest
import yaml

from budget_audit.docs import rules_markdown, schema_yaml
from budget_audit.pipeline import load_checked_profile
from budget_audit.profiles import BUILTIN, ProfileError, load_profile
from budget_audit.rules import CATALOGUE

ROOT = Path(__file__).resolve().parents[1]


def test_rule_docs_are_fresh():
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == rules_markdown(), "docs/rules.md is stale: run `budget-audit docs`"


def test_every_rule_has_a_docs_section_with_example():
    text = rules_markdown()
    for r in CATALOGUE:
        section = text.split(f"### {r.id}\n", 1)
        assert len(section) == 2, f"{r.id} has no docs section"
        body = section[1].split("\n### ", 1)[0]
        assert r.slug in body and "Tolerance:" in body and "Applies to:" in body
        assert r.example and "Example message" in body, f"{r.id} lacks an example message"


def test_pandera_schemas_are_fresh_and_loadable():
    for table, text in schema_yaml().items():
        committed = (ROOT / "schemas" / f"{table}.yaml").read_text(encoding="utf-8")
        assert committed.endswith(text), f"schemas/{table}.yaml is stale: run `budget-audit docs`"
        schema = pa.DataFrameSchema.from_yaml(text)
        assert schema.columns, table


@pytest.mark.parametrize("name", BUILTIN)
def test_builtin_profiles_load(name):
    p = load_profile(name)
    assert p.name == name and p.grade_bands[0].grade == "优"


def test_dept_profile_numbers():
    p = load_profile("dept-overall-105")
    assert p.total_weight == 105 and p.base_total == 100 and p.bonus.cap == 5
    assert [s.weight for s in p.sections] == [15, 20, 30, 30, 5, 5]
    assert p.grade_for(97.5) == "优" and p.grade_for(89.99) == "良" and p.grade_for(59.9) == "差"


@pytest.mark.parametrize("mutate, needle", [
    (lambda d: d.update(total_weight=110), "section weights sum"),
    (lambda d: d.update(grade_bands=[{"grade": "差", "min": 0}, {"grade": "优", "min": 90}]), "grade_bands"),
    (lambda d: d.update(bonus=None), "bonus"),
    (lambda d: d.update(rules={"NOPE01": {"enabled": False}}), "NOPE01"),
    (lambda d: d.update(colour="blue"), "colour"),
    (lambda d: d["sections"][0].update(weight=-1), "weight"),
])
def test_broken_profile_is_rejected(tmp_path, mutate, needle):
    data = yaml.safe_load((ROOT / "budget_audit" / "profiles" / "dept-overall-105.yaml").read_text(encoding="utf-8"))
    mutate(data)
    p = tmp_path / "p.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ProfileError) as exc:
        load_checked_profile(str(p))     # the loader every command uses: the profile, then its rule IDs
    assert needle in str(exc.value)


def test_not_yaml_and_missing_profile(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text("name: [unclosed", encoding="utf-8")
    with pytest.raises(ProfileError, match="YAML"):
        load_profile(str(p))
    with pytest.raises(ProfileError, match="unknown profile"):
        load_profile(str(tmp_path / "absent.yaml"))


def test_detection_reason_is_reported():
    from budget_audit.model import RawSubmission
    from budget_audit.normalize import build_tables

    project = {"sections": [{"name": "产出指标"}, {"name": "效益指标"}, {"name": "满意度指标"}],
               "indicators": [{"section": "产出指标", "name": "x", "weight": 50, "score": 50}]}
    dept = {"sections": [{"code": c, "name": n} for c, n in zip("ABCDEF", ["部门决策", "部门管理", "部门履职", "履职绩效", "可持续发展能力", "加减分项"])],
            "indicators": [{"section": "A", "code": "A11", "name": "y", "weight": 2, "score": 2}]}
    other = {"indicators": [{"section": "甲", "name": "z", "weight": 2, "score": 2}]}
    raws = [RawSubmission(source=k, id=k, data=v, reader="json") for k, v in
            (("p", project), ("d", dept), ("o", other))]
    sub = build_tables(raws).submissions.set_index("submission_id")
    assert sub.loc["p", "profile"] == "project-mof-100" and "产出" in sub.loc["p", "profile_reason_zh"]
    assert sub.loc["d", "profile"] == "dept-overall-105" and "加减分项" in sub.loc["d", "profile_reason_zh"]
    assert sub.loc["o", "profile"] == "generic" and "未能识别" in sub.loc["o", "profile_reason_zh"]


def test_cut_project_form_with_a_20_point_budget_block_is_the_20_80_form():
    """A 项目支出绩效自评表 cut before its score table is told apart by its budget block's points."""
    from budget_audit.model import RawSubmission
    from budget_audit.normalize import build_tables

    def form(weight):
        return {"title": "项目支出绩效自评表", "budget": {"weight": weight, "adjusted_budget": 50, "expenditure": 48}}
    raws = [RawSubmission(source=k, id=k, data=form(w), reader="json") for k, w in (("a", "20"), ("b", 10))]
    sub = build_tables(raws).submissions.set_index("submission_id")
    assert sub.loc["a", "profile"] == "project-20-80" and "20 分" in sub.loc["a", "profile_reason_zh"]
    assert sub.loc["b", "profile"] == "project-mof-100"
