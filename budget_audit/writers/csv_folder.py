"""The CSV-folder form of a submission: indicators.csv (score table) + meta.yaml (everything else)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import yaml

from ..profiles import Profile
from ..readers import headers as H
from .template import _data_blocks, _indicator_label, _resolve_profile, text_value


def write_csv_folder(path: str | Path, data: dict[str, Any], *, encoding: str = "gbk", flat: bool = False,
                     profile: Profile | str | None = None) -> Path:
    """indicators.csv (score table, `encoding`) + meta.yaml (UTF-8: unit, year, profile, budget, statements).

    `flat=False` writes section/group labels only on the first row of their block (like the sheet);
    `flat=True` repeats them on every indicator row.
    """
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    prof = _resolve_profile(profile, data)
    fields = [f for f, _ in H.TEMPLATE_COLUMNS]
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow([label for _, label in H.TEMPLATE_COLUMNS])
    for sec in _data_blocks(data, prof):
        first_in_sec = True
        for g in sec.groups:
            first_in_grp = True
            for ind in g.indicators or [None]:
                row = []
                for f in fields:
                    if f == "section":
                        row.append(sec.label or "" if (flat or first_in_sec) else "")
                    elif f == "group":
                        row.append(g.label or "" if (flat or first_in_grp) else "")
                    elif ind is None:
                        row.append("")
                    elif f == "name":
                        row.append(_indicator_label(ind) or "")
                    else:
                        row.append(text_value(ind.get(f)))
                w.writerow(row)
                first_in_sec = first_in_grp = False
    (path / "indicators.csv").write_bytes(out.getvalue().encode(encoding))
    meta: dict[str, Any] = {}
    for k in ("unit", "year", "profile", "project", "title"):
        if data.get(k) is not None:
            meta[k] = data[k]
    if isinstance(data.get("budget"), dict):
        meta["budget"] = {k: v for k, v in data["budget"].items() if v is not None}
    if data.get("statements"):
        meta["statements"] = [dict(s) for s in data["statements"] if isinstance(s, dict)]
    text = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, default_flow_style=False, width=200)
    (path / "meta.yaml").write_text(text, encoding="utf-8")
    return path
