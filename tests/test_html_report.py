"""The HTML report: one self-contained file (no network), escaped, small at 10k submissions, and — in a
real browser (headless Chromium) — rendered with its charts drawn and its table filtering, sorting and
opening a submission's findings.

The browser tests FAIL when Chromium/chromedriver are missing (CI installs them: .ci/run); set
BUDGET_AUDIT_NO_BROWSER=1 to skip them explicitly.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from budget_audit.pipeline import run_check
from budget_audit.report import build_report
from budget_audit.report.html import to_html
from budget_audit.report.review import Review, Waiver

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("BUDGET_AUDIT_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("BUDGET_AUDIT_CHROMEDRIVER", "/usr/bin/chromedriver")
HOSTILE = '<img src=x onerror="window.__pwned=1"></script><!--'


@pytest.fixture(scope="module")
def report():
    import datetime as dt

    res = run_check([str(ROOT / "datasets" / "reference"), str(ROOT / "datasets" / "examples")])
    rep = build_report(res)
    ws = [Waiver(rule="BUD004", submission="nanjing-dianhua-2023", reason="已核实", expires=dt.date(2999, 1, 1))]
    rep = Review(ws).apply(rep)
    hostile = copy.deepcopy(rep["submissions"][0])           # a file whose name and text are markup
    hostile.update(id="hostile", source=f"evil/{HOSTILE}.json", unit=HOSTILE)
    hostile["findings"] = [dict(hostile["findings"][0], message={"zh": HOSTILE, "en": HOSTILE})]
    rep["submissions"].append(hostile)
    rep["summary"]["submissions"] += 1
    return rep


@pytest.fixture(scope="module")
def page(report, tmp_path_factory):
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(to_html(report, "zh"), encoding="utf-8")
    return path


def _data(html: str) -> dict:
    import base64
    import gzip

    blob = re.search(r'<script id="findings-data" type="application/octet-stream">(.*?)</script>', html, re.S).group(1)
    return json.loads(gzip.decompress(base64.b64decode(blob)))


# ---------------------------------------------------------------------------------------------- the file
def test_self_contained_and_escaped(page):
    html = page.read_text(encoding="utf-8")
    assert "<svg" in html and "<script" in html and "<style" in html
    # nothing is fetched: no src/href to any other place (the only URL is the SVG namespace)
    assert not re.search(r'(?:src|href)\s*=\s*["\']?(?:https?:|//)', html)
    assert not re.search(r"<link\b|@import|url\(", html)
    assert set(re.findall(r"https?://[^\s\"'<>]+", html)) <= {"http://www.w3.org/2000/svg"}
    # hostile text never becomes markup: the data block is base64 (no "<" at all), the script writes text
    assert HOSTILE not in html and "onerror" not in html
    assert html.count("</script>") == 2           # the data block's and the code's own
    assert HOSTILE in _data(html)["rows"][-1][1]


def test_chinese_first_and_english(report):
    zh, en = to_html(report, "zh"), to_html(report, "en")
    assert '<html lang="zh-CN">' in zh and "预算绩效自评价校验报告" in zh and "填报清单" in zh
    assert '<html lang="en">' in en and "Findings by rule" in en and "填报清单" not in en
    # rule titles from the catalogue beside the IDs
    assert "预算执行率计算不符" in zh and "BUD004" in zh


def test_counts_and_waivers_on_the_page(report, page):
    html = page.read_text(encoding="utf-8")
    sm = report["summary"]
    assert f'<b id="n-submissions">{sm["submissions"]}</b>' in html
    assert f'<b id="n-failed">{sm["failed"]}</b>' in html
    data = _data(html)
    assert len(data["subs"]) == len(data["rows"]) == len(report["submissions"])
    assert [r[0] for r in data["rows"]] == [s["source"] for s in report["submissions"]]
    flags = [f[7] for sub in data["subs"] for f in sub[0]]
    assert "w" in flags                                      # the waived BUD004 is shown, marked


def test_ten_thousand_submissions_stay_small(report):
    """10,000 submissions of the reference's size (about a dozen findings each) in well under 20 MB."""
    one = [s for s in report["submissions"] if s["id"] == "nanjing-dianhua-2023"][0]
    big = copy.deepcopy(report)
    big["submissions"] = []
    for i in range(10_000):
        s = copy.deepcopy(one)
        s.update(id=f"unit-{i:05d}", source=f"batch/2023/unit-{i:05d}.xlsx", unit=f"某县第{i}单位",
                 total_score=60 + (i % 45), execution_rate=0.5 + (i % 60) / 100)
        s["findings"] = [dict(f, message={"zh": f["message"]["zh"] + f"（{i % 97}）", "en": f["message"]["en"]})
                         for f in s["findings"]]
        big["submissions"].append(s)
    html = to_html(big, "zh")
    size = len(html.encode("utf-8"))
    assert size <= 20 * 1024 * 1024, f"{size / 1e6:.1f} MB"
    data = _data(html)
    assert len(data["rows"]) == 10_000 and sum(len(x[0]) for x in data["subs"]) == 10_000 * len(one["findings"])


# ---------------------------------------------------------------------------------------------- the browser
@pytest.fixture(scope="module")
def browser():
    if os.environ.get("BUDGET_AUDIT_NO_BROWSER") == "1":
        pytest.skip("BUDGET_AUDIT_NO_BROWSER=1: browser tests skipped on request")
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not (Path(p).is_file() or shutil.which(p))]
    if missing:
        pytest.fail(f"headless Chromium is needed for the HTML report tests: missing {missing} "
                    "(apt-get install chromium chromium-driver, or set BUDGET_AUDIT_NO_BROWSER=1)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1700",
              "--lang=zh-CN"):
        opts.add_argument(a)
    opts.binary_location = CHROMIUM
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    yield driver
    driver.quit()


def _open(driver, url: str) -> None:
    """Load the page and wait until its script has decompressed the data and drawn the table."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get("about:blank")
    driver.get(url)
    WebDriverWait(driver, 30, poll_frequency=0.1).until(
        lambda d: d.execute_script("return document.body.getAttribute('data-ready')") == "1")
    errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    assert not errors, errors


def _visible_rows(driver) -> list:
    return [tr for tr in driver.find_elements("css selector", "#sub-table tbody tr") if tr.is_displayed()]


def test_renders_in_chromium_with_charts_filter_sort_and_findings(browser, page, report, tmp_path):
    from selenium.webdriver.support.ui import Select

    _open(browser, page.as_uri())
    assert browser.title == "预算绩效自评价校验报告"
    # charts drawn: four SVGs with bars of non-zero size
    svgs = browser.find_elements("css selector", "#charts svg")
    assert len(svgs) == 4 and all(s.size["width"] > 100 and s.size["height"] > 100 for s in svgs)
    heights = browser.execute_script(
        "return Array.from(document.querySelectorAll('#charts rect.bar')).map(r => r.getBBox().height)")
    assert sum(1 for h in heights if h > 0) >= 4
    n = len(report["submissions"])
    assert len(_visible_rows(browser)) == n

    # filter: type into the box, rows hide; the counter follows
    box = browser.find_element("id", "filter")
    box.send_keys("generic")
    rows = _visible_rows(browser)
    assert 0 < len(rows) < n and all("generic" in r.text for r in rows)
    assert browser.find_element("id", "n-shown").text == str(len(rows))
    box.clear()
    box.send_keys(" ")                       # clear() fires no input event: type, then delete
    box.send_keys("\b")
    assert len(_visible_rows(browser)) == n
    Select(browser.find_element("id", "status-filter")).select_by_value("passed")
    rows = _visible_rows(browser)
    assert rows and len(rows) == report["summary"]["passed"] and all("通过" in r.text.split() for r in rows)
    Select(browser.find_element("id", "status-filter")).select_by_value("")

    # sort by errors (descending on the second click)
    th = browser.find_element("css selector", '#sub-table th[data-k="7"]')
    th.click()
    th.click()
    errs = [int(r.find_elements("tag name", "td")[7].text) for r in _visible_rows(browser)]
    assert errs == sorted(errs, reverse=True) and errs[0] > 0

    # open a submission: its findings with their cells, the waived one marked
    browser.find_element("partial link text", "reference/nanjing-dianhua-2023.xlsx").click()
    detail = browser.find_element("id", "detail")
    assert detail.is_displayed()
    text = detail.text
    assert "BUD004" in text and "预算执行率计算不符" in text
    assert re.search(r"[^\s!]+![A-Z]+[0-9]+", text), "no sheet!cell location in the findings"
    _open(browser, page.as_uri() + "#s-" + str([s["id"] for s in report["submissions"]].index("nanjing-dianhua-2023")))
    assert "已豁免" in browser.find_element("id", "detail").text

    # hostile text stays text
    _open(browser, page.as_uri() + f"#s-{n - 1}")
    assert HOSTILE in browser.find_element("id", "detail").text
    assert browser.execute_script("return window.__pwned === undefined")

    _open(browser, page.as_uri())
    shot = tmp_path / "html-report.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
