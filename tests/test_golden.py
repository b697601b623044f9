"""Every finding on every bundled input equals the reviewed golden snapshot (tests/golden/findings.json).

A change that alters any finding — its rule, severity, row, location, numbers or wording — fails here
until the snapshot is regenerated (`make golden`) and the diff of findings.json is reviewed.
"""

from __future__ import annotations

import json

from golden.snapshot import SNAPSHOT, current, differences


def test_findings_equal_the_golden_snapshot():
    old = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    new = current()
    diff = differences(old, new)
    assert not diff, "findings changed (run `make golden` and review the diff):\n" + "\n".join(diff)
    assert sum(len(v) for v in new.values()) >= 200   # the datasets and the whole rule-case batch were checked


def test_the_comparison_sees_a_changed_finding():
    snap = current()
    group = next(iter(snap))
    key = next(k for k, v in snap[group].items() if v)
    changed = json.loads(json.dumps(snap))
    changed[group][key][0][8] = "另一句话"
    assert differences(snap, changed)
