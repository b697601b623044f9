"""The web page in a real browser: headless Chromium (Debian `chromium` + `chromium-driver`) driven by
selenium uploads the reference workbook, sees its 11 errors and downloads the annotated copy.

Chromium missing FAILS this test (`.ci/run` installs it); only `BUDGET_AUDIT_NO_BROWSER=1`, set by
hand, skips it. `BUDGET_AUDIT_SCREENSHOT=docs/web-page.png` also saves the result page there (that
is how the screenshot in docs/ is made).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import openpyxl
import pytest

from budget_audit.report.annotate import FILLS, SHEET_TITLE

REPO = Path(__file__).resolve().parents[1]
XLSX = REPO / "datasets" / "reference" / "nanjing-dianhua-2023.xlsx"


def _browser() -> tuple[str, str]:
    chrome = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None)
    if chrome and driver:
        return chrome, driver
    if os.environ.get("BUDGET_AUDIT_NO_BROWSER") == "1":
        pytest.skip("browser test explicitly disabled (BUDGET_AUDIT_NO_BROWSER=1)")
    pytest.fail("headless Chromium / chromedriver missing: install the Debian packages chromium and "
                "chromium-driver (.ci/run does)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = _free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    with open(log, "wb") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "budget_audit.cli", "serve", "--port", str(port)],
                                cwd=REPO, env=env, stdout=fh, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):                       # wait for it to answer (imports take a few seconds)
            if proc.poll() is not None:
                pytest.fail(f"the server exited: {log.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2) as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                time.sleep(0.25)
        else:
            pytest.fail(f"the server did not answer: {log.read_text(errors='replace')}")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def browser(tmp_path):
    chrome, driver_path = _browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    opts = webdriver.ChromeOptions()
    opts.binary_location = chrome
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1400", "--lang=zh-CN", f"--user-data-dir={tmp_path / 'profile'}"):
        opts.add_argument(arg)
    opts.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                           "download.prompt_for_download": False,
                                           "safebrowsing.enabled": False})
    drv = webdriver.Chrome(service=Service(executable_path=driver_path), options=opts)
    try:
        drv.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        drv.downloads = downloads
        yield drv
    finally:
        drv.quit()


def _wait(pred, what: str, tries: int = 240):
    for _ in range(tries):
        hit = pred()
        if hit:
            return hit
        time.sleep(0.25)
    pytest.fail(f"timed out waiting for {what}")


def test_upload_see_errors_download_annotated_copy(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    assert "预算绩效自评价校验" in browser.title
    browser.find_element(By.ID, "file").send_keys(str(XLSX))
    browser.find_element(By.ID, "submit").click()
    count = _wait(lambda: browser.find_elements(By.ID, "count-error"), "the result page")
    assert count[0].text == "11"
    rows = browser.find_elements(By.CSS_SELECTOR, "tr.finding.error")
    assert len(rows) == 11
    assert {r.get_attribute("data-rule") for r in rows} == {"BUD004", "BUD006", "MTH001", "WGT002"}
    groups = [g.text for g in browser.find_elements(By.CSS_SELECTOR, "h3.group")]
    assert groups[0].startswith("工作表：预算执行") and groups[1].startswith("工作表：指标得分表")

    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1280, min(max(int(height), 900), 4000))
    shot = tmp_path / "web-page.png"
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    if os.environ.get("BUDGET_AUDIT_SCREENSHOT"):
        shutil.copyfile(shot, REPO / os.environ["BUDGET_AUDIT_SCREENSHOT"])

    browser.find_element(By.ID, "download").click()
    done = _wait(lambda: [p for p in browser.downloads.iterdir() if p.suffix == ".xlsx"], "the download")
    book = done[0]
    assert book.name == "nanjing-dianhua-2023-标注.xlsx"
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames[0] == SHEET_TITLE
    red = [c for ws in wb.worksheets[1:] for row in ws.iter_rows() for c in row
           if c.fill is not None and c.fill.fill_type == "solid" and (c.fill.fgColor.rgb or "")[-6:] == FILLS["error"]]
    assert len(red) == 11 and all(c.comment is not None for c in red)


def test_english_switch_and_catalogue(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    browser.find_element(By.ID, "lang-switch").click()
    _wait(lambda: "Budget performance" in browser.title, "the English page")
    browser.find_element(By.LINK_TEXT, "Rule catalogue").click()
    _wait(lambda: browser.find_elements(By.ID, "BUD004"), "the rule catalogue")
    assert "Execution rate" in browser.find_element(By.ID, "BUD004").text
