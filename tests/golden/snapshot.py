"""The golden snapshot: every finding on every bundled input, in one reviewed JSON file.

Inputs: the bundled datasets (reference report, clean examples, blank templates) and the whole
rule-case batch (`tests/rule_cases.py`). Each finding is kept as a compact record (rule, severity,
section, indicator, location, expected, actual, tolerance, Chinese and English message), so a
change to any finding — a number, a location, a word of a message — shows in the diff.

    python -m tests.golden.snapshot            # compare (exit 1 and print the differences)
    python -m tests.golden.snapshot --update   # rewrite tests/golden/findings.json (review the diff)

`make golden` runs the update; `tests/test_golden.py` runs the comparison.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = Path(__file__).with_name("findings.json")
DATASETS = ("datasets/reference", "datasets/examples", "datasets/templates")


def _record(row: dict[str, Any]) -> list[Any]:
    loc = row["location"]
    return [row["rule"], row["severity"], row["section"], row["indicator"],
            json.dumps(loc, ensure_ascii=False, sort_keys=True) if loc else None,
            row["expected"], row["actual"], row["tolerance"], row["message"]["zh"], row["message"]["en"]]


def _collect(result, label_of, scrub: str | None = None) -> dict[str, list[list[Any]]]:
    from budget_audit.report import build_report

    report = build_report(result)
    out: dict[str, list[list[Any]]] = {}
    for sub in report["submissions"]:
        key = label_of(sub)
        rows = [_record(f) for f in sub["findings"]]
        if scrub:   # temporary folders differ between runs
            rows = [[x.replace(scrub, "<dir>") if isinstance(x, str) else x for x in r] for r in rows]
        out[key] = rows
    return out


def current() -> dict[str, dict[str, list[list[Any]]]]:
    """The findings of today's code on every golden input."""
    sys.path.insert(0, str(ROOT / "tests"))
    import rule_cases
    from budget_audit.pipeline import run_check

    snap: dict[str, dict[str, list[list[Any]]]] = {}
    for d in DATASETS:
        res = run_check([str(ROOT / d)])
        snap[d] = _collect(res, lambda s: f"{Path(s['source']).relative_to(ROOT).as_posix()}|{s['id']}",
                           scrub=str(ROOT))    # locations name the file: the same wherever the clone is
    with tempfile.TemporaryDirectory() as tmp:
        paths, _, _ = rule_cases.write_batch(Path(tmp))
        res = run_check([str(p) for p in paths])
        snap["rule-cases"] = _collect(res, lambda s: s["id"], scrub=tmp)   # ids are unique: no shift on insertion
    return snap


def dump(snap: dict) -> str:
    return json.dumps(snap, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def differences(old: dict, new: dict, limit: int = 40) -> list[str]:
    out: list[str] = []
    for group in sorted(set(old) | set(new)):
        o, n = old.get(group, {}), new.get(group, {})
        for key in sorted(set(o) | set(n)):
            a, b = o.get(key), n.get(key)
            if a == b:
                continue
            if a is None or b is None:
                out.append(f"{group} {key}: {'new input' if a is None else 'input gone'}")
                continue
            gone = [r for r in a if r not in b]
            added = [r for r in b if r not in a]
            for r in gone:
                out.append(f"{group} {key}: - {r[0]} {r[1]} {r[2] or ''} {r[3] or ''} {r[8]}")
            for r in added:
                out.append(f"{group} {key}: + {r[0]} {r[1]} {r[2] or ''} {r[3] or ''} {r[8]}")
            if not gone and not added:
                out.append(f"{group} {key}: same findings, different order")
    return out[:limit] + ([f"… and {len(out) - limit} more"] if len(out) > limit else [])


def main(argv: list[str]) -> int:
    snap = current()
    if "--update" in argv:
        SNAPSHOT.write_text(dump(snap), encoding="utf-8")
        print(f"wrote {SNAPSHOT.relative_to(ROOT)}: {sum(len(v) for v in snap.values())} submissions")
        return 0
    old = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    diff = differences(old, snap)
    print("\n".join(diff) if diff else "golden snapshot: unchanged")
    return 1 if diff else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
