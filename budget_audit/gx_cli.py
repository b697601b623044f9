"""`budget-audit gx export | run`: the catalogue as a Great Expectations 1.x project.

great_expectations is imported only on this path (inside `gx.engine.run`). The expectations are
generated from the same catalogue checks that pandera runs; findings come back by row and are
rendered by the same code as `check`, so both engines report the same way.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .normalize import Tables
from .pipeline import run_check
from .rules import CATALOGUE, TABLES

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def specs() -> list[dict]:
    """One GX check spec per catalogue check: the measure column ≤ 0, as pandera checks it."""
    return [{"rule": r.id, "slug": r.slug, "severity": r.severity, "table": c.table, "column": c.column}
            for r in CATALOGUE for c in r.checks]


def find_project(root: str | None) -> Path:
    """The GX project to use: --root, else the nearest folder upwards holding gx/, else the bundled one."""
    if root:
        return Path(root)
    for d in (Path.cwd(), *Path.cwd().parents):
        if (d / "gx" / "great_expectations.yml").is_file():
            return d
    return PACKAGE_ROOT


def export(root: Path) -> list[Path]:
    from .gx.engine import write_project

    return write_project(root, specs())


def run_gx(inputs, profile: str | None, project: Path, checkpoint: str, docs: str | None, debug: bool = False):
    """read → normalize → one GX batch per canonical table → findings (same renderer as `check`)."""
    from .gx.engine import run

    def engine(tables: Tables) -> dict[str, list[tuple[str, int]]]:
        frames = {t: tables.table(t) for t in TABLES}
        failures: dict[str, list[tuple[str, int]]] = {}
        flat = run(frames, project, checkpoint, docs_dir=docs)
        for f in flat:
            failures.setdefault(f["table"], []).append((f["rule"], int(f["row_id"])))
        if docs:
            annotate_index(Path(docs), flat)
        return failures

    return run_check(inputs, profile, debug=debug, engine=engine)


def annotate_index(docs_dir: Path, failures: list[dict]) -> None:
    """Put a table of the failing expectations at the top of the Data Docs index (GX's own index lists
    only suites and runs), each linked to its validation page, so a reviewer sees what failed at once."""
    import html
    from collections import Counter

    index = docs_dir / "index.html"
    if not index.is_file():
        return
    pages = {p.relative_to(docs_dir).as_posix(): p for p in (docs_dir / "validations").rglob("*.html")}
    counts = Counter((f["rule"], f["severity"], f["table"], f["column"]) for f in failures)
    titles = {r.id: (r.slug, r.title_zh) for r in CATALOGUE}
    rows = []
    for (rule, sev, table, column), n in sorted(counts.items()):
        link = next((rel for rel in pages if f"budget_audit-{table}" in rel), "")
        slug, title = titles.get(rule, ("", ""))
        rows.append(f"<tr><td>{html.escape(rule)}</td><td>{html.escape(slug)}</td><td>{html.escape(title)}</td>"
                    f"<td>{html.escape(sev)}</td><td><a href=\"{html.escape(link)}\">{html.escape(table)}</a></td>"
                    f"<td>{html.escape(column)}</td><td>{n}</td></tr>")
    body = "".join(rows) or "<tr><td colspan=7>全部通过 / all expectations passed</td></tr>"
    block = ("<div class=\"container\" id=\"budget-audit-failing\" style=\"padding-top:70px\"><h3>未通过的期望 / "
             "Failing expectations</h3><table class=\"table table-sm table-bordered\"><thead><tr><th>rule</th>"
             "<th>slug</th><th>规则</th><th>severity</th><th>table (validation page)</th><th>column</th>"
             f"<th>failing rows</th></tr></thead><tbody>{body}</tbody></table></div>")
    text = index.read_text(encoding="utf-8")
    if 'id="budget-audit-failing"' not in text and "<body>" in text:
        index.write_text(text.replace("<body>", "<body>" + block, 1), encoding="utf-8")


def main(args: argparse.Namespace) -> int:
    if args.gx_command == "export":
        for p in export(Path(args.root)):
            print(p)
        return 0
    from .report import build_report, exit_code
    from .report.render import console, to_json

    project = find_project(args.root)
    result = run_gx(args.inputs, args.profile, project, args.checkpoint, args.docs, args.debug)
    report = build_report(result)
    report["tool"]["engine"] = "great_expectations"
    text = to_json(report) if args.format == "json" else console(report, args.lang)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    if args.docs:
        print(f"Data Docs: {Path(args.docs) / 'index.html'}", file=sys.stderr)
    return exit_code(report, args.fail_on)
