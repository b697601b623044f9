"""The catalogue checked against itself, the public contract (rules.md) and the case table.

- every rule: ID format, kebab-case slug, severity, zh + en titles, doc string, at least one check;
- IDs, slugs and default severities equal the public contract of rules.md (copied below: the tests run
  from a clean clone without the shared domain folder); the families STR, WGT, SCR, GRD, BUD, XST are
  complete, and so is any other family the catalogue has started (MTH, PLA);
- every check's measure column (and its expected/actual/tolerance/location columns) exists on its
  canonical table; every message template renders on a real row of that table without a KeyError;
- every rule has at least one `fail` and one `pass` case in tests/rule_cases.py (the `unchecked-…`
  coverage cases count as neither), and every rule that can report "not checked" has such a case.
"""

from __future__ import annotations

import math
import re
import string
import sys
from collections import Counter
from pathlib import Path

import pytest

from budget_audit.normalize import INDICATOR_LOCATIONS

sys.path.insert(0, str(Path(__file__).parent))
import rule_cases  # noqa: E402
from rule_cases import BASES, CASES, TEMPLATE_FIELD_BUGS  # noqa: E402

from budget_audit.rules.base import SEVERITIES  # noqa: E402
from budget_audit.rules.catalogue import CATALOGUE, RULES  # noqa: E402

# rules.md v1 — the public contract: (ID, slug, default severity). IDs are never reused or renumbered.
CONTRACT: list[tuple[str, str, str]] = [
    ("STR001", "missing-required-field", "error"),
    ("STR002", "unparseable-value", "error"),
    ("STR003", "invalid-indicator-code", "error"),
    ("STR004", "duplicate-indicator", "error"),
    ("STR005", "unknown-section", "error"),
    ("STR006", "empty-submission", "error"),
    ("STR007", "unreadable-input", "error"),
    ("STR008", "year-mismatch", "warning"),
    ("WGT001", "weight-total-mismatch", "error"),
    ("WGT002", "section-weight-mismatch", "error"),
    ("WGT003", "section-weight-off-template", "warning"),
    ("WGT004", "group-weight-mismatch", "error"),
    ("WGT005", "invalid-weight", "error"),
    ("SCR001", "score-exceeds-weight", "error"),
    ("SCR002", "negative-score", "error"),
    ("SCR003", "section-score-mismatch", "error"),
    ("SCR004", "total-score-mismatch", "error"),
    ("SCR005", "total-exceeds-maximum", "error"),
    ("SCR006", "bonus-over-cap", "error"),
    ("SCR007", "deduction-sign", "error"),
    ("SCR008", "bonus-off-schedule", "warning"),
    ("GRD001", "grade-mismatch", "error"),
    ("GRD002", "grade-relies-on-bonus", "warning"),
    ("MTH001", "score-contradicts-method", "error"),
    ("MTH002", "met-target-partial-score", "warning"),
    ("MTH003", "missed-target-full-score", "error"),
    ("MTH004", "method-not-checkable", "info"),
    ("MTH005", "unit-mismatch", "warning"),
    ("MTH006", "missing-deviation-reason", "warning"),
    ("MTH007", "score-above-proportional", "error"),
    ("BUD001", "initial-budget-split", "error"),
    ("BUD002", "adjusted-budget-arithmetic", "error"),
    ("BUD003", "expenditure-split", "error"),
    ("BUD004", "execution-rate-mismatch", "error"),
    ("BUD005", "project-execution-rate-mismatch", "error"),
    ("BUD006", "execution-indicator-mismatch", "error"),
    ("BUD007", "execution-score-mismatch", "error"),
    ("BUD008", "overspent", "warning"),
    ("BUD009", "negative-amount", "error"),
    ("BUD010", "low-execution-unexplained", "warning"),
    ("BUD011", "carryover-inconsistent", "warning"),
    ("XST001", "conflicting-statements", "error"),
    ("PLA001", "all-full-marks", "warning"),
    ("PLA002", "ratio-above-100", "warning"),
    ("PLA003", "actuals-copy-targets", "warning"),
    ("PLA004", "top-grade-low-execution", "warning"),
    ("PLA005", "overachievement", "warning"),
]
CONTRACT_BY_ID = {rid: (slug, sev) for rid, slug, sev in CONTRACT}
REQUIRED_FAMILIES = ("STR", "WGT", "SCR", "GRD", "BUD", "XST")
ID_RE = re.compile(r"^(STR|WGT|SCR|GRD|MTH|BUD|XST|PLA)[0-9]{3}$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CJK_RE = re.compile("[\u4e00-\u9fff]")
RENDER_EXTRAS = {"ind", "sec", "expected", "actual", "tol"}   # supplied by check._render
RULE_IDS = [r.id for r in CATALOGUE]


def _rule_param(rid: str, bugs: dict[str, str] | None = None):
    marks = [pytest.mark.xfail(strict=True, reason=f"BUG: {bugs[rid]}")] if bugs and rid in bugs else []
    return pytest.param(rid, id=rid, marks=marks)


# ------------------------------------------------------------------------------------------------ shape
def test_contract_copy_is_well_formed():
    ids = [rid for rid, _, _ in CONTRACT]
    assert len(ids) == len(set(ids)) == 47
    assert len({slug for _, slug, _ in CONTRACT}) == 47


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


def test_catalogue_is_unique_and_ordered():
    assert len(RULE_IDS) == len(set(RULE_IDS))
    assert len({r.slug for r in CATALOGUE}) == len(CATALOGUE)
    assert RULE_IDS == sorted(RULE_IDS, key=[c[0] for c in CONTRACT].index), "catalogue not in rules.md order"
    assert set(RULES) == set(RULE_IDS)


# ------------------------------------------------------------------------------------------------ contract
@pytest.mark.parametrize("rid", RULE_IDS)
def test_rule_matches_public_contract(rid):
    assert rid in CONTRACT_BY_ID, f"{rid} is not in rules.md (IDs are public and never invented ad hoc)"
    r = RULES[rid]
    assert (r.slug, r.severity) == CONTRACT_BY_ID[rid], \
        f"{rid}: catalogue has ({r.slug}, {r.severity}), rules.md says {CONTRACT_BY_ID[rid]}"


@pytest.mark.parametrize("family", REQUIRED_FAMILIES)
def test_required_family_complete(family):
    want = {rid for rid, _, _ in CONTRACT if rid.startswith(family)}
    missing = sorted(want - set(RULES))
    assert not missing, f"family {family} is incomplete: {missing}"


def test_started_families_complete():
    """A family the catalogue has started (MTH, PLA …) must be complete too."""
    started = {rid[:3] for rid in RULES}
    missing = sorted(rid for rid, _, _ in CONTRACT if rid[:3] in started and rid not in RULES)
    assert not missing, f"incomplete families: {missing}"


# ------------------------------------------------------------------------------------------------ tables
@pytest.fixture(scope="module")
def base_tables():
    """The canonical tables of the clean bases (one build_tables call on RawSubmissions)."""
    from budget_audit.model import RawSubmission
    from budget_audit.normalize import build_tables

    raws = [RawSubmission(source=f"<{name}>", id=name, data=rule_cases.copy.deepcopy(base), reader="json")
            for name, (_, base) in BASES.items()]
    try:
        return build_tables(raws)
    except Exception:   # a broken built-in profile: fall back to the bases that load (reported elsewhere)
        ok = []
        for raw in raws:
            try:
                build_tables([raw])
                ok.append(raw)
            except Exception:
                pass
        return build_tables(ok)


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


TEMPLATE_BUG_REASONS = {rid: f"{rid} message template uses field(s) that are not columns of the "
                               f"{where.split('(')[1].rstrip(')')}: {where.split(' (')[0]} — rendered as “—”"
                        for rid, where in TEMPLATE_FIELD_BUGS.items()}


@pytest.mark.parametrize("rid", [_rule_param(r, TEMPLATE_BUG_REASONS) for r in RULE_IDS])
def test_message_templates_render(batch, rid):
    from budget_audit.check import _label, fmt_value

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
    n_fail = sum(1 for c in cases if c.expect == "fail" and not c.unchecked and not c.bug)
    n_pass = sum(1 for c in cases if c.expect == "pass" and not c.bug)
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
