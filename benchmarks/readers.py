#!/usr/bin/env python
"""Reader cost on the files people hold: real forms as workbooks, the reference report as PDF and Word.

    python benchmarks/readers.py [--repeat 5] [--baseline REV]

Measured in the same run, against the floor of the library each reader is built on:

- per workbook: `read_inputs` on the 24 rebuilt real forms (tests/forms) vs opening them with calamine and
  reading every sheet (`to_python`), the floor of any workbook reader;
- per PDF page: `read_inputs` on the bundled reference report PDF vs pdfplumber's `extract_text` of its pages;
- per DOCX: `read_inputs` on the bundled Word report vs `docx.Document()` plus reading every paragraph and cell.

With `--baseline REV` the same workbooks are also read by the reader of git revision REV (checked out into
a temporary worktree, run in a subprocess), so a change of the reader shows as before/after per workbook.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "forms"))


def best(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def baseline_per_workbook(rev: str, files: list[Path], repeat: int) -> float:
    code = ("import sys, time; sys.path.insert(0, sys.argv[1]); from budget_audit.readers import read_inputs; "
            "files = sys.argv[3:]; n = int(sys.argv[2]); ts = []\n"
            "for _ in range(n):\n t0 = time.perf_counter(); read_inputs(files); ts.append(time.perf_counter() - t0)\n"
            "print(min(ts))")
    with tempfile.TemporaryDirectory() as tmp:
        wt = Path(tmp) / "base"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(wt), rev], check=True,
                       capture_output=True)
        try:
            out = subprocess.run([sys.executable, "-c", code, str(wt), str(repeat), *map(str, files)],
                                 capture_output=True, text=True, check=True)
            return float(out.stdout.strip().splitlines()[-1]) / len(files)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(wt)], capture_output=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--baseline", metavar="REV", help="also time the workbook reader of this git revision")
    args = ap.parse_args(argv)

    import build
    import docx
    import pdfplumber
    from python_calamine import CalamineWorkbook

    from budget_audit.readers import read_inputs

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        files = [p for p in build.build(Path(tmp), ("xlsx",))]

        def calamine():
            for p in files:
                wb = CalamineWorkbook.from_path(str(p))
                for name in wb.sheet_names:
                    wb.get_sheet_by_name(name).to_python(skip_empty_area=False)

        t_read = best(args.repeat, lambda: read_inputs(files)) / len(files)
        t_floor = best(args.repeat, calamine) / len(files)
        rows.append(("workbook (real forms)", "per file", t_read, "calamine open + to_python", t_floor))
        if args.baseline:
            t_base = baseline_per_workbook(args.baseline, files, args.repeat)
            rows.append((f"workbook, reader of {args.baseline}", "per file", t_base, "this reader", t_read))

    pdf = ROOT / "datasets" / "reference" / "nanjing-dianhua-2023-report.pdf"
    with pdfplumber.open(str(pdf)) as doc:
        pages = len(doc.pages)

    def plumber_text():
        with pdfplumber.open(str(pdf)) as doc:
            for page in doc.pages:
                page.extract_text()

    rows.append(("PDF report", "per page", best(args.repeat, lambda: read_inputs([pdf])) / pages,
                 "pdfplumber extract_text", best(args.repeat, plumber_text) / pages))
    word = ROOT / "datasets" / "reference" / "nanjing-dianhua-2023-report.docx"

    def docx_floor():
        d = docx.Document(str(word))
        _ = [p.text for p in d.paragraphs]
        _ = [c.text for t in d.tables for r in t.rows for c in r.cells]

    rows.append(("Word report", "per file", best(args.repeat, lambda: read_inputs([word])),
                 "python-docx open + every text", best(args.repeat, docx_floor)))
    print(f"{'input':<34} {'unit':<9} {'seconds':>9}   {'baseline':<32} {'seconds':>9} {'ratio':>6}")
    for what, unit, t, base, tb in rows:
        print(f"{what:<34} {unit:<9} {t:>9.4f}   {base:<32} {tb:>9.4f} {t / tb:>6.2f}")
    print(json.dumps([dict(zip(("input", "unit", "seconds", "baseline", "baseline_seconds"), r)) for r in rows]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
