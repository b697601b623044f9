#!/usr/bin/env python
"""The HTML report at scale (a script, not a test): size and load time of a 10,000-submission report in
headless Chromium.

    python benchmarks/html_report.py [--n 10000] [--keep report.html]

The report is the reference submission's real report entry (its 13 findings, messages and cells)
replicated N times with distinct ids, units, scores and rates, so the string table cannot fold the
submissions into one. Targets (issue 11): ≤ 20 MB, opens in < 5 s.
"""

from __future__ import annotations

import argparse
import copy
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--keep")
    a = ap.parse_args()
    from budget_audit.pipeline import run_check
    from budget_audit.report import build_report
    from budget_audit.report.html import to_html

    one = build_report(run_check([str(ROOT / "datasets/reference/nanjing-dianhua-2023.xlsx")]))
    entry = one["submissions"][0]
    rep = copy.deepcopy(one)
    rep["submissions"] = []
    for i in range(a.n):
        s = copy.deepcopy(entry)
        s.update(id=f"unit-{i:05d}", source=f"batch/2023/unit-{i:05d}.xlsx", unit=f"某县第{i}单位",
                 total_score=60 + (i % 45), execution_rate=0.5 + (i % 60) / 100)
        s["findings"] = [dict(f, message={"zh": f["message"]["zh"] + f"（{i}）", "en": f["message"]["en"] + f" ({i})"})
                         for f in s["findings"]]
        rep["submissions"].append(s)
    rep["summary"]["submissions"] = a.n
    t0 = time.perf_counter()
    html = to_html(rep, "zh").encode("utf-8")
    render_s = time.perf_counter() - t0
    path = Path(a.keep) if a.keep else Path(tempfile.mkdtemp()) / "report.html"
    path.write_bytes(html)
    n_findings = sum(len(s["findings"]) for s in rep["submissions"])
    print(f"{a.n} submissions, {n_findings} findings: {len(html) / 1e6:.1f} MB (target ≤ 20 MB), "
          f"rendered in {render_s:.1f} s")

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        opts.add_argument(arg)
    opts.binary_location = "/usr/bin/chromium"
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    try:
        from selenium.webdriver.support.ui import WebDriverWait

        t0 = time.perf_counter()
        d.get(path.as_uri())
        WebDriverWait(d, 60, poll_frequency=0.05).until(
            lambda drv: drv.execute_script("return document.body.getAttribute('data-ready')") == "1")
        wall = time.perf_counter() - t0       # until the table is drawn from the decompressed data
        nav = d.execute_script("const t = performance.getEntriesByType('navigation')[0]; return t.loadEventEnd;")
        rows = d.execute_script("return document.querySelectorAll('#sub-table tbody tr').length")
        t0 = time.perf_counter()
        d.find_element("id", "filter").send_keys("unit-0999")
        shown = d.find_element("id", "n-shown").text
        errors = [e for e in d.get_log("browser") if e.get("level") == "SEVERE"]
        filt = time.perf_counter() - t0
    finally:
        d.quit()
    print(f"headless Chromium: loaded in {wall:.2f} s (load event at {nav / 1000:.2f} s; target < 5 s), {rows} rows; "
          f"filter 'unit-0999' → {shown} rows in {filt:.2f} s; console errors: {errors or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
