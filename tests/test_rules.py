"""Every rule against its cases (tests/rule_cases.py), all in ONE run of the real pipeline.

The module-scoped fixture writes every case submission (and the clean bases) as JSON arrays — one file
per profile group — and calls `run_check` once on them; each test then reads the findings of its own
submission. Adding a case costs a row of data, not another pipeline run.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import rule_cases  # noqa: E402
from rule_cases import BASES, CASES, Case  # noqa: E402

from budget_audit.rules import RULES  # noqa: E402


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    return rule_cases.run_batch(tmp_path_factory.mktemp("rule-cases"))


def _findings_of(batch, key: str):
    group = batch.group_of[key]
    if group in batch.errors:   # the whole group could not run (e.g. a broken built-in profile)
        pytest.fail(f"the {group} batch could not be checked at all: {batch.errors[group]}")
    f = batch.findings
    if f.empty:
        return f
    return f[f["submission_id"] == batch.ids[key]]


def _num_eq(got, want, what: str, case: Case, row) -> None:
    if isinstance(want, str):
        assert got == want, f"{case.id}: {what} {got!r} ≠ {want!r}\n{row}"
        return
    assert got is not None and not (isinstance(got, float) and math.isnan(got)), \
        f"{case.id}: finding carries no {what}\n{row}"
    assert got == pytest.approx(want, rel=1e-5, abs=2e-6), f"{case.id}: {what} {got!r} ≠ {want!r}\n{row}"


def _param(case: Case):
    return pytest.param(case, id=case.id)


@pytest.mark.parametrize("name", list(BASES))
def test_base_is_clean(batch, name):
    f = _findings_of(batch, name)
    bad = f[f["severity"].isin(["error", "warning"])] if len(f) else f
    assert bad.empty, f"base {name} is not clean:\n" + "\n".join(
        f"{r.rule} {r.severity} {r.indicator or r.section or ''}: {r.message_zh}" for r in bad.itertuples())


def test_every_case_ran(batch):
    """Every case's submission is in the report exactly once (ids are unique across the batch)."""
    if batch.errors:
        pytest.skip(f"groups that could not run: {sorted(batch.errors)}")
    sub = batch.tables.submissions
    ids = list(sub["submission_id"])
    assert len(ids) == len(set(ids)) == len(batch.ids)       # cases, bases and their companions
    assert {c.id for c in CASES} | set(BASES) <= set(batch.ids)
    assert set(batch.ids.values()) == set(ids)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_case(batch, case: Case):
    rule = RULES[case.rule]
    f = _findings_of(batch, case.id)
    mine = f[f["rule"] == case.rule] if len(f) else f
    listing = "\n".join(f"  {r.rule} {r.severity} sec={r.section} ind={r.indicator} exp={r.expected} "
                        f"act={r.actual} tol={r.tolerance}: {r.message_en}" for r in f.itertuples()) or "  (none)"

    if case.expect == "pass":
        assert mine.empty, f"{case.id}: expected no {case.rule} finding, got:\n{listing}"
        return

    assert case.expect == "fail", case.expect
    severity = "info" if case.unchecked else rule.severity
    hits = mine[mine["severity"] == severity]
    assert not hits.empty, f"{case.id}: expected a {severity} {case.rule} finding, got:\n{listing}"
    if case.indicator is not None:
        hits = hits[hits["indicator"] == case.indicator]
        assert not hits.empty, f"{case.id}: no {case.rule} finding names indicator {case.indicator}:\n{listing}"
    if case.section is not None:
        hits = hits[hits["section"] == case.section]
        assert not hits.empty, f"{case.id}: no {case.rule} finding names section {case.section}:\n{listing}"
    if case.says is not None:
        hits = hits[hits["message_zh"].str.contains(case.says, regex=False)
                    | hits["message_en"].str.contains(case.says, regex=False)]
        assert not hits.empty, f"{case.id}: no {case.rule} message mentions {case.says!r}:\n{listing}"
    # row-level findings must name their row; the case must say which
    tables = set(hits["table"])
    if not case.unchecked and tables & {"indicators", "sections"}:
        assert case.indicator is not None or case.section is not None, \
            f"{case.id}: a row-level rule's fail case must name the indicator or section it expects"
    if "sections" in tables:
        assert hits["section"].notna().all(), f"{case.id}: section-level finding without a section"
    hit = hits.iloc[0]
    for what in ("expected", "actual", "tolerance"):
        want = getattr(case, what)
        if want is not None:
            _num_eq(hit[what], want, what, case, hit.to_dict())
    assert hit["message_zh"] and hit["message_en"], f"{case.id}: empty message"
    assert "{" not in hit["message_zh"] + hit["message_en"], f"{case.id}: unrendered template field"
