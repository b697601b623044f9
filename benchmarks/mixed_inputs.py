"""Mixed generated inputs for the Spark engine's parity test and benchmark (not a test itself).

    write_mixed(directory, n, seed=1, indicators=24) -> list of input paths (n inputs in all)

The batch a province really gets, in miniature: one JSON file per submission (most of them), Excel
workbooks and CSV folders written by the suite's own writers, a few JSON batch files (several
submissions in one file), the same submission id in several places (the same file name in two
folders, the same JSON `id` in two files: the run makes ids unique), and a few broken inputs (an
empty file, truncated JSON, a workbook of garbage bytes, a JSON number, an empty JSON array, a file
the suite does not read, a path that does not exist). Deterministic for a seed. Workbooks are slow
to write (openpyxl), so a few distinct ones are written and copied under other names.
"""

from __future__ import annotations

import json
import random
import shutil
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.run import generate  # noqa: E402

SHARES = {"xlsx": 0.06, "csvdir": 0.06, "batch": 0.01, "broken": 0.006}   # the rest: one JSON file each
DISTINCT_WORKBOOKS = 24


def _clean(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if k != "_defect"}


def _broken(d: Path, k: int, kind: int) -> Path:
    """The kind-th sort of broken input (0-6: every sort appears once there are 7 broken inputs)."""
    if kind == 0:
        p = d / f"empty-{k}.json"
        p.write_bytes(b"")
    elif kind == 1:
        p = d / f"truncated-{k}.json"
        p.write_text('{"id": "T%d", "unit": "某单位", "indicators": [{"code": "A1", "wei' % k, encoding="utf-8")
    elif kind == 2:
        p = d / f"garbage-{k}.xlsx"
        p.write_bytes(bytes(random.Random(k).randrange(256) for _ in range(3000)))
    elif kind == 3:
        p = d / f"number-{k}.json"
        p.write_text("42", encoding="utf-8")
    elif kind == 4:
        p = d / f"empty-array-{k}.json"
        p.write_text("[]", encoding="utf-8")
    elif kind == 5:
        p = d / f"scan-{k}.png"          # a file the suite does not read: listed as skipped (STR012)
        p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    else:
        p = d / f"missing-{k}.json"      # named but never written: "no such file"
    return p


def write_mixed(directory: Path, n: int, seed: int = 1, indicators: int = 24) -> list[str]:
    """Write n mixed inputs under `directory`; return them as paths in input order (files and
    CSV folders named one by one, like a file list handed to `check`)."""
    from budget_audit.writers.csv_folder import write_csv_folder
    from budget_audit.writers.template import write_workbook

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    counts = {k: max(1, round(n * s)) for k, s in SHARES.items()}
    n_json = n - sum(counts.values())
    kinds = ["json"] * n_json + [k for k, c in counts.items() for _ in range(c)]
    rng.shuffle(kinds)
    subs = generate(sum(3 if k == "batch" else 1 for k in kinds), indicators, seed)
    it = iter(subs)
    workbooks: list[Path] = []
    out: list[str] = []
    n_broken = 0
    for i, kind in enumerate(kinds):
        folder = directory / f"d{i // 500:03d}"
        folder.mkdir(exist_ok=True)
        if kind == "json":
            data = _clean(next(it))
            name = f"{data['id']}.json"
            if i % 97 == 5:              # the same id as another file: the run suffixes ~2
                data["id"] = "SUB-SHARED"
            p = folder / name
            p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        elif kind == "batch":
            items = [_clean(next(it)) for _ in range(3)]
            items[1]["id"] = items[0]["id"]          # a repeat inside one batch file, too
            p = folder / f"batch-{i}.json"
            p.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
        elif kind == "xlsx":
            data = _clean(next(it))
            sub = folder / ("wb" if i % 2 else "wb2")   # the same workbook name in two folders
            sub.mkdir(exist_ok=True)
            p = sub / f"report-{i % 40}.xlsx"
            if p.exists():
                p = sub / f"report-{i}.xlsx"
            if len(workbooks) < DISTINCT_WORKBOOKS:
                write_workbook(p, "dept-overall-105", data, reproducible=True)
                workbooks.append(p)
            else:
                shutil.copyfile(workbooks[i % len(workbooks)], p)
        elif kind == "csvdir":
            data = _clean(next(it))
            p = folder / f"csv-{i}"
            write_csv_folder(p, data, encoding="gbk" if i % 2 else "utf-8", flat=bool(i % 3))
        else:
            p = _broken(folder, i, n_broken % 7)
            n_broken += 1
        out.append(str(p))
    return out
