"""Generated documentation: one page section per rule, and the pandera schemas as YAML.

Everything here is derived from the catalogue, so the docs cannot drift from the code; a test
regenerates them and fails when the committed files are stale (`budget-audit docs`).
"""

from __future__ import annotations

from pathlib import Path

from . import RULES_VERSION
from .rules.catalogue import CATALOGUE

FAMILIES = {
    "STR": "Structure and input", "WGT": "Weights", "SCR": "Scores and totals", "GRD": "Grade",
    "MTH": "Scoring method (评分办法) consistency", "BUD": "Budget arithmetic",
    "XST": "Statements that contradict each other", "PLA": "Plausibility",
}


def rules_markdown() -> str:
    out = [f"# Rule catalogue (rules version {RULES_VERSION})", "",
           "Generated from `budget_audit/rules/catalogue.py` by `budget-audit docs`; do not edit by hand.", "",
           "Each check reads one measure column of one canonical table: the row is compliant when the value "
           "is ≤ 0 and the rule does not apply where it is empty. The same check runs as a pandera schema "
           "(`schemas/`) and as a Great Expectations suite (`expectations/`).", "",
           "| ID | slug | severity | title |", "|---|---|---|---|"]
    out += [f"| [{r.id}](#{r.id.lower()}) | `{r.slug}` | {r.severity} | {r.title_zh} / {r.title_en} |" for r in CATALOGUE]
    family = None
    for r in CATALOGUE:
        if r.family != family:
            family = r.family
            out += ["", f"## {family}: {FAMILIES[family]}"]
        out += ["", f"### {r.id}", "", f"**`{r.slug}`** · default severity **{r.severity}** · {r.title_zh} / {r.title_en}", "",
                r.doc, "", f"- Applies to: {r.profiles}.", f"- Tolerance: {r.tolerance}."]
        for c in r.checks:
            out.append(f"- Check: table `{c.table}`, column `{c.column}` ≤ 0"
                       + (f"; location from `{c.location}`" if c.location else "") + ".")
        out.append("- Great Expectations: " + ("`expect_column_values_to_be_between(max_value=0)` on the same column."
                                              if r.gx is None else f"not expressed — {r.gx}."))
        if r.unchecked:
            out.append("- When it cannot be checked (info finding): " +
                       "; ".join(f"`{k}` — {zh}" for k, (zh, _) in r.unchecked.items()) + ".")
        if r.example:
            out += ["", f"Example message: 「{r.example}」"]
    return "\n".join(out) + "\n"


def schema_yaml() -> dict[str, str]:
    from .rules.schemas import TABLES, schema_for

    return {t: schema_for(t).to_yaml() for t in TABLES}


def write_docs(docs_dir: Path, schemas_dir: Path | None = None) -> list[Path]:
    schemas_dir = schemas_dir or docs_dir.parent / "schemas"
    docs_dir.mkdir(parents=True, exist_ok=True)
    schemas_dir.mkdir(parents=True, exist_ok=True)
    written = [docs_dir / "rules.md"]
    written[0].write_text(rules_markdown(), encoding="utf-8")
    for table, text in schema_yaml().items():
        p = schemas_dir / f"{table}.yaml"
        p.write_text(f"# pandera schema for the `{table}` table, generated from the rule catalogue\n{text}",
                     encoding="utf-8")
        written.append(p)
    return written
