"""The meta-test (in the spirit of Arelle's): every rule keeps the convention, or the build fails.

- every rule: ID format, kebab-case slug, severity, zh + en titles, doc string, at least one check, a
  measure function in its family module; every measure-shaped function of a family module is a
  registered rule (no orphan measure, no rule without one); a measure that does not write its column
  is an error, never an all-NaN "pass";
- the public contract (ID, slug, default severity) equals the generated lock file `rules.lock`, and,
  where the shared catalogue `../shared/domain/rules.md` is present, what it says; a family the
  catalogue has started is complete;
- every check's measure column (and its expected/actual/tolerance/location columns) exists on its
  canonical table; every message template renders on a real row of that table without a KeyError;
- every rule has at least one `fail` and one `pass` case in tests/rule_cases.py (the `unchecked-…`
  coverage cases count as neither), and every rule that can report "not checked" has such a case.
"""

from __future__ import annotations

import importlib
import inspect
import math
import re
import string
import sys
from collections import Counter
from pathlib import Path

import pytest

from budget_audit.docs import rules_lock
from budget_audit.normalize import INDICATOR_LOCATIONS

sys.path.insert(0, str(Path(__file__).parent))
import rule_cases  # noqa: E402
from rule_cases import BASES, CASES  # noqa: E402

from budget_audit.rules import CATALOGUE, FAMILIES, RULES, SEVERITIES, MeasureError, measure_all  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED_RULES = ROOT.parent / "shared" / "domain" / "rules.md"
FAMILY_MODULES = ("structure", "weights", "scores", "grades", "methods", "budget", "statements", "plausibility",
                  "cross", "waivers")
ID_RE = re.compile(r"^(STR|WGT|SCR|GRD|MTH|BUD|XST|PLA|XSB|WVR)[0-9]{3}$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CJK_RE = re.compile("[\u4e00-\u9fff]")
RENDER_EXTRAS = {"ind", "sec", "expected", "actual", "tol"}   # supplied by findings._render
RULE_IDS = [r.id for r in CATALOGUE]


def _lock() -> dict[str, tuple[str, str]]:
    rows = [line.split() for line in (ROOT / "rules.lock").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    return {rid: (slug, sev) for rid, slug, sev in rows}


# ------------------------------------------------------------------------------------------------ shape
@pytest.mark.parametrize("rid", RULE_IDS)
def test_rule_shape(rid):
    r = RULES[rid]
    assert ID_RE.match(r.id), r.id
    assert r.family == r.id[:3]
    assert SLUG_RE.match(r.slug), f"{rid}: slug {r.slug!r} is not kebab-case"
    assert r.severity in SEVERITIES, f"{rid}: severity {r.severity!r}"
    assert r.title_zh.strip() and CJK_RE.search(r.title_zh), f"{rid}: Chinese title missing"
    assert r.title_en.strip() and r.title_en.isascii(), f"{rid}: English title missing"
    assert r.doc and len(r.doc.strip()) >= 20, f"{rid}: doc string missing"
    assert r.checks, f"{rid}: no checks"
    for chk in r.checks:
        assert chk.table in ("indicators", "sections", "submissions", "statements"), chk.table
        assert chk.column, f"{rid}: check without a measure column"
        assert chk.zh.strip() and chk.en.strip(), f"{rid}: empty message template"
        assert chk.fmt in ("num", "pct"), chk.fmt
    for code, (zh, en) in r.unchecked.items():
        assert code and zh and en, f"{rid}: unchecked reason {code!r} lacks a message"


@pytest.mark.parametrize("rid", RULE_IDS)
def test_rule_has_its_measure_in_its_family_module(rid):
    r = RULES[rid]
    assert callable(r.measure), f"{rid}: no measure"
    module = r.measure.__module__
    assert module.startswith("budget_audit.rules."), module
    assert module.rsplit(".", 1)[1] == FAMILY_MODULES[FAMILIES.index(r.family)], \
        f"{rid} is defined in {module}, not in its family module"
    assert r.measure.__name__ == rid.lower(), f"{rid}: measure is named {r.measure.__name__}"


@pytest.mark.parametrize("module", FAMILY_MODULES)
def test_every_measure_is_a_rule(module):
    """A function shaped like a measure (named like a rule ID) that no @rule registered would never run."""
    mod = importlib.import_module(f"budget_audit.rules.{module}")
    for name, fn in inspect.getmembers(mod, inspect.isfunction):
        if re.fullmatch(r"[a-z]{3}[0-9]{3}", name) and fn.__module__ == mod.__name__:
            assert name.upper() in RULES and RULES[name.upper()].measure is fn, \
                f"{module}.{name} looks like a measure but is not registered with @rule"


def test_a_measure_that_writes_nothing_is_an_error(monkeypatch):
    """A rule whose measure forgets its column must stop the run, never report 'all passed'."""
    import dataclasses

    import budget_audit.rules as rules
    from budget_audit.model import RawSubmission
    from budget_audit.normalize import build_tables

    broken = dataclasses.replace(RULES["SCR002"], measure=lambda t: None)
    monkeypatch.setattr(rules, "CATALOGUE", (broken,))
    tables = build_tables([RawSubmission(source="<base>", id="b", data=rule_cases.copy.deepcopy(BASES["base-dept"][1]),
                                         reader="json")])
    with pytest.raises(MeasureError, match="SCR002"):
        measure_all(tables)


def test_catalogue_is_unique_and_ordered():
    assert len(RULE_IDS) == len(set(RULE_IDS))
    assert len({r.slug for r in CATALOGUE}) == len(CATALOGUE)
    assert RULE_IDS == sorted(RULE_IDS, key=lambda i: (FAMILIES.index(i[:3]), i))
    assert set(RULES) == set(RULE_IDS)


# ------------------------------------------------------------------------------------------------ contract
def test_lock_file_is_the_registry():
    """`rules.lock` is generated (`budget-audit docs`): a renamed slug or changed severity shows in review."""
    assert (ROOT / "rules.lock").read_text(encoding="utf-8") == rules_lock(), \
        "rules.lock is stale: run `budget-audit docs --out docs` and review the change to the public contract"
    assert list(_lock()) == RULE_IDS


def _shared_catalogue() -> dict[str, tuple[str, str]]:
    rows = re.findall(r"^\| ([A-Z]{3}[0-9]{3}) \| ([a-z0-9-]+) \| (error|warning|info) \|",
                      SHARED_RULES.read_text(encoding="utf-8"), re.M)
    return {rid: (slug, sev) for rid, slug, sev in rows}


@pytest.mark.skipif(not SHARED_RULES.is_file(), reason="the shared rule catalogue is not beside this clone")
def test_registry_matches_the_shared_catalogue():
    """IDs are public and never invented ad hoc: every rule is in rules.md with the same slug and severity."""
    shared = _shared_catalogue()
    assert len(shared) >= 47
    for r in CATALOGUE:
        assert r.id in shared, f"{r.id} is not in rules.md"
        assert (r.slug, r.severity) == shared[r.id], f"{r.id}: ({r.slug}, {r.severity}) but rules.md says {shared[r.id]}"


def test_started_families_complete():
    """A family the catalogue has started must hold every rule of that family the lock lists."""
    lock = _lock()
    for family in {rid[:3] for rid in RULES}:
        missing = sorted(rid for rid in lock if rid[:3] == family and rid not in RULES)
        assert not missing, f"family {family} is incomplete: {missing}"


# ------------------------------------------------------------------------------------------------ tables
@pytest.fixture(scope="module")
def base_tables():
    """The measured canonical tables of the clean bases."""
    from budget_audit.model import RawSubmission
    from budget_audit.pipeline import measured_tables

    return measured_tables([RawSubmission(source=f"<{name}>", id=name, data=rule_cases.copy.deepcopy(base), reader="json")
                            for name, (_, base) in BASES.items()])


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    return rule_cases.run_batch(tmp_path_factory.mktemp("rule-cases-meta"))


@pytest.mark.parametrize("rid", RULE_IDS)
def test_check_columns_exist(base_tables, rid):
    for chk in RULES[rid].checks:
        df = base_tables.table(chk.table)
        assert len(df), f"{chk.table} is empty for the bases"
        for what in ("column", "expected", "actual", "tolerance", "location"):
            col = getattr(chk, what)
            if col is None:
                continue
            if what == "location" and chk.table == "indicators":   # looked up per failing row, not stored
                assert col in INDICATOR_LOCATIONS, f"{rid}: unknown indicator location {col!r}"
                continue
            assert col in df.columns, f"{rid}: {what} column {col!r} is missing from table {chk.table}"
        assert f"{chk.column}_unchecked" in df.columns


def _fields(template: str) -> set[str]:
    out = set()
    for _, name, _, _ in string.Formatter().parse(template):
        if name:
            out.add(re.split(r"[.\[!:]", name, maxsplit=1)[0])
    return out


def _row_for(tables, chk):
    """A failing row of the check's table (measure > 0) if the case batch produced one, else any row."""
    df = tables.table(chk.table)
    if df.empty:
        return None, False
    hit = df[df[chk.column].astype(float) > 0] if chk.column in df.columns else df.iloc[0:0]
    return (hit.iloc[0] if len(hit) else df.iloc[0]).to_dict(), bool(len(hit))


@pytest.mark.parametrize("rid", RULE_IDS)
def test_message_templates_render(batch, rid):
    from budget_audit.findings import _label
    from budget_audit.numeric import fmt_value

    if batch.tables is None:
        pytest.fail(f"the case batch could not run: {batch.errors}")
    for chk in RULES[rid].checks:
        df = batch.tables.table(chk.table)
        for lang, template in (("zh", chk.zh), ("en", chk.en)):
            unknown = _fields(template) - set(df.columns) - RENDER_EXTRAS
            assert not unknown, f"{rid} ({chk.table}) {lang} template uses fields that are not columns: {sorted(unknown)}"
        row, failing = _row_for(batch.tables, chk)
        if row is None:
            continue
        ctx = dict(row)
        _, _, label = _label(row, chk.table)
        ctx["ind"] = ctx["sec"] = label
        ctx["expected"] = fmt_value(row.get(chk.expected), chk.fmt) if chk.expected else "—"
        ctx["actual"] = fmt_value(row.get(chk.actual), chk.fmt) if chk.actual else "—"
        ctx["tol"] = fmt_value(row.get(chk.tolerance), chk.fmt) if chk.tolerance else "—"
        for template in (chk.zh, chk.en):
            try:
                text = template.format_map(ctx)          # a plain dict: a missing field is a KeyError
            except KeyError as exc:
                pytest.fail(f"{rid}: template field {exc} missing on a {chk.table} row")
            except (ValueError, TypeError) as exc:
                if failing:
                    pytest.fail(f"{rid}: template does not render on a failing row: {exc}")
                continue                                 # a non-failing row may hold NaN/None where a number is due
            assert "{" not in text and text.strip()


# ------------------------------------------------------------------------------------------------ cases
@pytest.mark.parametrize("rid", RULE_IDS)
def test_rule_has_fail_and_pass_cases(rid):
    cases = rule_cases.cases_for(rid)
    n_fail = sum(1 for c in cases if c.expect == "fail" and not c.unchecked)
    n_pass = sum(1 for c in cases if c.expect == "pass")
    assert n_fail >= 1, f"{rid}: no working `fail` case in tests/rule_cases.py"
    assert n_pass >= 1, f"{rid}: no working `pass` case in tests/rule_cases.py"


@pytest.mark.parametrize("rid", [r.id for r in CATALOGUE if r.unchecked])
def test_coverage_findings_have_cases(rid):
    """A rule that can say "not checked" (info) has an `unchecked-…` case proving it does."""
    assert any(c.unchecked for c in rule_cases.cases_for(rid)), f"{rid}: no unchecked-… case"


def test_cases_are_well_formed():
    ids = Counter(c.id for c in CASES)
    assert not [i for i, n in ids.items() if n > 1], "duplicate case ids"
    for c in CASES:
        assert c.rule in RULES, f"{c.id}: unknown rule"
        assert c.expect in ("fail", "pass"), c.id
        assert re.fullmatch(r"[\w.%]+(?:-[\w.%]+)*", c.name), f"{c.id}: name is not short-and-dashed"
        assert not (c.unchecked and c.expect != "fail"), f"{c.id}: unchecked-… cases expect the info finding"
        assert c.profile in (None, "dept-overall-105", "project-mof-100", "generic"), c.id
        assert callable(c.mutate), c.id
        if c.expect == "pass":
            assert all(getattr(c, k) is None for k in ("indicator", "section", "expected", "actual", "tolerance",
                                                      "says")), f"{c.id}: a pass case asserts no finding details"


def test_bases_are_valid_interchange_shape():
    keys = {"unit", "year", "profile", "budget", "sections", "groups", "indicators", "statements"}
    for name, (_, base) in BASES.items():
        assert keys <= set(base), name
        for it in base["indicators"]:
            assert {"section", "group", "code", "name", "weight", "score"} <= set(it), (name, it)
        for st in base["statements"]:
            assert set(st) >= {"quantity", "value", "where"}
            q = st["quantity"]
            assert q in ("total", "grade", "execution_rate", "project_execution_rate") or \
                q.split(":", 1)[0] in ("section", "budget", "indicator"), q
        w = [float(i["weight"]) for i in base["indicators"]]
        assert not any(math.isnan(x) for x in w)
