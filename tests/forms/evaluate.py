"""Score the suite on the corpus of real forms against the expectations written by hand in each case.

For every form of a case: were the unit, year and budget figures read; how many of the scored rows were
read right (name, weight, score, target, actual as printed); which annotated anomalies were reported; and
which error findings were raised that the case does not annotate (false errors — the count that must
be 0). `cut_artefacts` are inconsistencies that exist only because the published page was cut: they
are true of the rebuilt file, so they count as expected, but not towards the anomalies reported.

    python tests/forms/evaluate.py [xlsx|docx|pdf]     # a table per case, then the totals
"""

from __future__ import annotations

import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

import build  # noqa: E402


def norm(x: Any) -> str:
    """How two printed values are compared: NFKC, no whitespace, "10.0" = "10"."""
    if x is None:
        return ""
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    s = "".join(unicodedata.normalize("NFKC", str(x)).split())
    try:
        f = float(s)
        return str(int(f)) if f.is_integer() else str(f)
    except ValueError:
        return s


@dataclass
class FormResult:
    case: str
    form: int
    header_ok: dict[str, bool] = field(default_factory=dict)     # unit / year / budget:<key> → read right
    rows_expected: int = 0
    rows_right: int = 0
    row_misses: list[str] = field(default_factory=list)
    anomalies: list[str] = field(default_factory=list)
    reported: list[str] = field(default_factory=list)
    false_errors: list[str] = field(default_factory=list)


def _row_key(r: dict[str, Any]) -> str:
    """Rows are matched by name without marks, numbering or a glued code (★, "1.", "A11"): the reader keeps
    the code apart and drops the marks."""
    from budget_audit.parse.values import split_code_name

    return norm(split_code_name(r.get("name"))[1])


def evaluate_case(case: dict[str, Any], path: Path) -> list[FormResult]:
    from budget_audit.pipeline import run_check
    from budget_audit.rules import RULES
    from budget_audit.report import build_report

    res = run_check([str(path)])
    report = build_report(res)
    raws = {r.id: r for r in res.tables.raws}
    out: list[FormResult] = []
    forms = case["expect"]["forms"]
    subs = report["submissions"]
    for i, want in enumerate(forms):
        fr = FormResult(case["id"], i)
        sub = subs[i] if i < len(subs) else None
        data = (raws[sub["id"]].data or {}) if sub else {}
        fr.header_ok["forms"] = len(subs) == len(forms)
        if want.get("unit"):
            fr.header_ok["unit"] = norm(data.get("unit")) == norm(want["unit"])
        if want.get("year"):
            year = data.get("year") or (sub or {}).get("year")
            fr.header_ok["year"] = norm(year)[:4] == norm(want["year"])[:4]
        for k, v in (want.get("budget") or {}).items():
            if v is not None:
                fr.header_ok[f"budget:{k}"] = norm((data.get("budget") or {}).get(k)) == norm(v)
        got_rows: dict[str, list] = {}      # rows of one key (two whose names the page lost) are matched in order
        for r in data.get("indicators") or []:
            got_rows.setdefault(_row_key(r), []).append(r)
        for r in want.get("rows") or []:
            fr.rows_expected += 1
            same = got_rows.get(_row_key(r))
            g = (same.pop(0) if len(same) > 1 else same[0]) if same else None
            fields = [f for f in ("weight", "score", "target", "actual") if f in r]
            if g is not None and all(norm(g.get(f)) == norm(r.get(f)) for f in fields):
                fr.rows_right += 1
            else:
                fr.row_misses.append(f"{r.get('name')}: {'not found' if g is None else {f: (g.get(f), r.get(f)) for f in fields if norm(g.get(f)) != norm(r.get(f))}}")
        expected = {a["rule"] for a in want.get("anomalies") or []}
        allowed = expected | set(want.get("cut_artefacts") or [])
        found = [f for f in (sub or {}).get("findings", [])]
        # a rule's "not checked" note (info from a rule that is not itself info) does not report the anomaly
        rules_found = {f["rule"] for f in found if f["severity"] != "info" or RULES[f["rule"]].severity == "info"}
        fr.anomalies = sorted(expected)
        fr.reported = sorted(expected & rules_found)
        fr.false_errors = sorted(f"{f['rule']} {f['indicator'] or f['section'] or ''}: {f['message']['zh'][:70]}"
                                 for f in found if f["severity"] == "error" and f["rule"] not in allowed)
        out.append(fr)
    for extra in subs[len(forms):]:    # a form the case does not have: everything it says is false
        fr = FormResult(case["id"], len(out))
        fr.header_ok["forms"] = False
        fr.false_errors = [f"{f['rule']}: {f['message']['zh'][:70]}" for f in extra["findings"] if f["severity"] == "error"]
        out.append(fr)
    return out


def evaluate(fmt: str = "xlsx") -> list[FormResult]:
    with tempfile.TemporaryDirectory() as tmp:
        build.build(Path(tmp), (fmt,))
        results: list[FormResult] = []
        for case in build.cases():
            results += evaluate_case(case, Path(tmp) / f"{case['id']}.{fmt}")
        return results


def totals(results: list[FormResult]) -> dict[str, Any]:
    header = [ok for r in results for ok in r.header_ok.values()]
    anomalies = sum(len(r.anomalies) for r in results)
    return {"forms": len(results), "header_read": sum(header), "header_fields": len(header),
            "rows_right": sum(r.rows_right for r in results), "rows_expected": sum(r.rows_expected for r in results),
            "anomalies_reported": sum(len(r.reported) for r in results), "anomalies": anomalies,
            "false_errors": sum(len(r.false_errors) for r in results)}


if __name__ == "__main__":
    res = evaluate(sys.argv[1] if len(sys.argv) > 1 else "xlsx")
    for r in res:
        bad = [k for k, ok in r.header_ok.items() if not ok]
        print(f"{r.case}#{r.form}: rows {r.rows_right}/{r.rows_expected}  anomalies {len(r.reported)}/{len(r.anomalies)} "
              f"{r.anomalies}  header misses {bad}")
        for m in r.row_misses[:3]:
            print(f"    row miss {m}")
        for e in r.false_errors:
            print(f"    FALSE {e}")
    print(totals(res))
