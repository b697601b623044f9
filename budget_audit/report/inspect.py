"""`budget-audit inspect FILE`: what the reader extracted, before any rule runs.

For each submission a file yields: the header fields (unit, year, project, title), the budget block,
the sections and groups with their declared points, every table row with its cells, the statements
(total, grade, subtotals, rates stated in the table or the narrative) and what the reader itself
reported — each value with the place it was read from, so a user can see why a figure was read as it
was (or why it was not found).
"""

from __future__ import annotations

import json
from typing import Any

from ..model import RawSubmission
from .render import _where

ROW_FIELDS = ("code", "name", "target", "actual", "weight", "score", "method")


def _v(x: Any) -> str:
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    return "—" if x is None else str(x).replace("\n", " ")


def inspect_text(raws: list[RawSubmission], lang: str = "zh") -> str:
    zh = lang == "zh"
    out: list[str] = []
    for raw in raws:
        out.append(f"■ {raw.source}  ({raw.reader or '?'}, id {raw.id})")
        for p in raw.problems:
            out.append(f"  {p.rule} {p.detail_zh if zh else p.detail_en}  @{_where(p.location)}")
        d = raw.data
        if d is None:
            out.append("")
            continue
        out.append("  表头 / header:")
        for k in ("unit", "year", "project", "title"):
            if d.get(k) is not None:
                out.append(f"    {k:<8} {_v(d[k])}  @{_where(raw.where(k))}")
        for k in d.get("not_printed") or ():
            out.append(f"    ({'表中没有' if zh else 'no column for'} {k})")
        budget = {k: v for k, v in (d.get("budget") or {}).items() if v is not None}
        if budget:
            out.append("  预算 / budget:")
            for k, v in budget.items():
                out.append(f"    {k:<24} {_v(v)}  @{_where(raw.where('budget.' + k))}")
        for i, bd in enumerate(d.get("breakdowns") or []):     # stated breakdowns (BUD012)
            parts = " + ".join(f"{_v(p.get('label'))} {_v(p.get('value'))}" for p in bd.get("parts") or [])
            out.append(f"  {'分项' if zh else 'breakdown'} {_v(bd.get('label'))} = {_v(bd.get('total'))}：{parts}"
                       f"  @{_where(raw.where(f'breakdowns[{i}].total'))}")
        if d.get("indicator_points") is not None:
            out.append(f"  indicator_points {_v(d['indicator_points'])}  @{_where(raw.where('indicator_points'))}")
        for i, u in enumerate(d.get("unreadable_figures") or []):
            out.append(f"  {'无法识别的数字' if zh else 'not a number'} {_v(u.get('label'))} {_v(u.get('value'))}"
                       f"  @{_where(raw.where(f'unreadable_figures[{i}]'))}")
        for kind, items in (("sections", d.get("sections") or []), ("groups", d.get("groups") or [])):
            if items:
                out.append(f"  {kind}: " + "; ".join(
                    f"{_v(s.get('code') or '')}{_v(s.get('name'))}({_v(s.get('points'))})" for s in items))
        rows = d.get("indicators") or []
        out.append(f"  指标行 / rows: {len(rows)}")
        for j, it in enumerate(rows):
            cells = " | ".join(f"{f}={_v(it.get(f))}" for f in ROW_FIELDS if it.get(f) is not None)
            out.append(f"    [{j + 1}] {_v(it.get('section'))} / {_v(it.get('group'))} | {cells}"
                       f"  @{_where(raw.where(f'indicators[{j}].name') or raw.where(f'indicators[{j}].score'))}")
        for k, st in enumerate(d.get("statements") or []):
            out.append(f"  statement {st.get('quantity')} = {_v(st.get('value'))}  ({_v(st.get('where'))})"
                       f"  @{_where(raw.where(f'statements[{k}].value'))}")
        out.append("")
    return "\n".join(out)


def inspect_json(raws: list[RawSubmission]) -> str:
    return json.dumps([{"source": r.source, "id": r.id, "reader": r.reader, "data": r.data, "locations": r.loc,
                        "problems": [{"rule": p.rule, "zh": p.detail_zh, "en": p.detail_en, "location": p.location}
                                     for p in r.problems]} for r in raws], ensure_ascii=False, indent=1, default=str) + "\n"
