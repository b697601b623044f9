"""`budget-audit serve`: the local web page, through FastAPI's TestClient (the browser test is test_web_browser.py)."""

from __future__ import annotations

import re
import tempfile
import warnings
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest

from budget_audit.profiles import BUILTIN
from budget_audit.report.annotate import FILLS, SHEET_TITLE
from budget_audit.rules import CATALOGUE
from budget_audit.web import app as web

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

REPO = Path(__file__).resolve().parents[1]
REF = REPO / "datasets" / "reference"
XLSX = REF / "nanjing-dianhua-2023.xlsx"


@pytest.fixture(scope="module")
def client():
    return TestClient(web.create_app())


def _upload(client, path: Path, name: str | None = None, lang: str = "zh", **data):
    return client.post(f"/check?lang={lang}", files={"file": (name or path.name, path.read_bytes())},
                       data={"lang": lang, **data})


def _count(html: str, sev: str) -> int:
    m = re.search(rf'id="count-{sev}">(\d+)<', html)
    assert m, f"no count-{sev} on the page"
    return int(m.group(1))


def _rows(html: str, sev: str) -> int:
    return len(re.findall(rf'<tr class="finding {sev}"', html))


def test_start_page_chinese_first_english_switch(client):
    zh = client.get("/")
    assert zh.status_code == 200 and "预算绩效自评价校验" in zh.text and 'lang="zh-CN"' in zh.text
    assert 'type="file"' in zh.text and 'enctype="multipart/form-data"' in zh.text
    for name in BUILTIN:
        assert f'href="/template/{name}.xlsx"' in zh.text
    en = client.get("/?lang=en")
    assert "Budget performance self-evaluation check" in en.text and 'lang="en"' in en.text
    assert 'href="/?lang=zh"' in en.text


def test_pages_need_no_internet(client):
    """No CDN: nothing the pages load or link to is outside this server."""
    html = client.get("/").text + client.get("/rules").text + _upload(client, XLSX).text
    assert not re.search(r'(src|href|action)\s*=\s*"(https?:)?//', html)
    assert "<link" not in html and "@import" not in html


def test_security_headers(client):
    r = client.get("/")
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'nonce-" in csp
    nonce = re.search(r"script-src 'nonce-([^']+)'", csp).group(1)
    assert f'<script nonce="{nonce}">' in r.text
    assert r.headers["x-content-type-options"] == "nosniff"


def test_upload_reference_workbook_shows_eleven_errors_by_sheet(client):
    r = _upload(client, XLSX, "南京市电化教育馆.xlsx")
    assert r.status_code == 200
    assert _count(r.text, "error") == 11 and _rows(r.text, "error") == 11
    assert _count(r.text, "info") == 2 and _rows(r.text, "info") == 2
    groups = re.findall(r'<h3 class="group">([^<]*)', r.text)
    assert [g.strip() for g in groups] == ["工作表：预算执行", "工作表：指标得分表"]
    assert "南京市电化教育馆.xlsx" in r.text and "budget-audit-web-" not in r.text   # no temporary path shown
    assert "预算执行率写为 97%" in r.text and "预算执行!B15" in r.text
    # errors lead each sheet's table
    table = r.text.split('<h3 class="group">')[2]
    assert table.index('finding error') < table.index('finding info')


def test_download_annotated_copy(client):
    r = _upload(client, XLSX, "单位.xlsx")
    token = re.search(r'href="/download/([A-Za-z0-9_-]+)\?lang=zh"', r.text).group(1)
    d = client.get(f"/download/{token}")
    assert d.status_code == 200 and d.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''%E5%8D%95%E4%BD%8D-%E6%A0%87%E6%B3%A8.xlsx" in d.headers["content-disposition"]
    wb = openpyxl.load_workbook(BytesIO(d.content))
    assert wb.sheetnames[0] == SHEET_TITLE
    assert (wb["预算执行"]["B15"].fill.fgColor.rgb or "")[-6:] == FILLS["error"]
    assert client.get(f"/download/{token}").status_code == 200           # until it expires
    missing = client.get("/download/not-a-token")
    assert missing.status_code == 404 and "已过期" in missing.text


def test_download_expires(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(web.time, "monotonic", lambda: clock[0])
    store = web.Downloads(ttl=60, slots=2)
    a = store.put("a.xlsx", b"a")
    assert store.get(a) == ("a.xlsx", b"a")
    clock[0] += 61
    assert store.get(a) is None
    b, c, d = (store.put(n, n.encode()) for n in ("b", "c", "d"))
    assert store.get(b) is None and store.get(c) and store.get(d)        # only `slots` copies are held


def test_english_page(client):
    r = _upload(client, XLSX, lang="en")
    assert _count(r.text, "error") == 11
    assert "execution rate stated 97%" in r.text and "Sheet: 指标得分表" in r.text
    token = re.search(r'/download/([A-Za-z0-9_-]+)', r.text).group(1)
    wb = openpyxl.load_workbook(BytesIO(client.get(f"/download/{token}").content))
    assert "execution rate stated 97%" in wb["预算执行"]["B15"].comment.text


@pytest.mark.parametrize("name", ["nanjing-dianhua-2023.json", "nanjing-dianhua-2023-report.pdf",
                                  "nanjing-dianhua-2023-report.docx"])
def test_other_inputs_have_findings_but_no_annotated_copy(client, name):
    r = _upload(client, REF / name)
    assert r.status_code == 200 and _count(r.text, "error") == 11 and _rows(r.text, "error") == 11
    assert "/download/" not in r.text and "没有标注副本" in r.text
    if name.endswith(".pdf"):
        assert "第 1 页" in r.text and "第 2 页" in r.text


def test_profile_can_be_chosen(client):
    r = _upload(client, XLSX, profile="generic")
    assert r.status_code == 200 and "generic" in r.text
    bad = _upload(client, XLSX, profile="../../etc/passwd")
    assert bad.status_code == 400


def test_size_cap():
    small = TestClient(web.create_app(max_upload_mb=1))
    big = b"x" * (2 * 1024 * 1024)
    r = small.post("/check", files={"file": ("big.xlsx", big)})
    assert r.status_code == 413 and "文件过大" in r.text and "上限为 1 MB" in r.text
    r = small.post("/check?lang=en", files={"file": ("big.xlsx", big)})
    assert r.status_code == 413 and "File too large" in r.text

    def chunks():                       # no Content-Length: counted as the body arrives
        for _ in range(3):
            yield b"y" * (1024 * 1024)

    r = small.post("/check", content=chunks(), headers={"content-type": "multipart/form-data; boundary=zz"})
    assert r.status_code == 413
    ok = small.post("/check", files={"file": (XLSX.name, XLSX.read_bytes())})     # under the cap: checked
    assert ok.status_code == 200 and _count(ok.text, "error") == 11


def test_upload_errors(client):
    r = client.post("/check", data={"lang": "zh"})
    assert r.status_code == 400 and "没有收到文件" in r.text
    r = client.post("/check", files={"file": ("virus.exe", b"MZ....")})
    assert r.status_code == 400 and "不支持的文件类型" in r.text and ".exe" in r.text
    r = client.post("/check", files={"file": ("empty.xlsx", b"")})
    assert r.status_code == 400
    r = client.post("/check", files={"file": ("broken.xlsx", b"PK\x03\x04 not a zip")})
    assert r.status_code == 200 and "无法读取" in r.text and "/download/" not in r.text
    assert client.get("/check").status_code == 405


def test_uploaded_names_are_escaped(client):
    r = client.post("/check", files={"file": ("<img src=x onerror=alert(1)>.json", b'{"not": "a submission"}')})
    assert r.status_code == 200
    assert "<img src=x" not in r.text and "&lt;img src=x onerror=alert(1)&gt;.json" in r.text


def test_nothing_kept_on_disk(client, monkeypatch, tmp_path):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    r = _upload(client, XLSX)
    assert r.status_code == 200 and _count(r.text, "error") == 11
    assert list(scratch.iterdir()) == []


def test_templates_download(client):
    for name in BUILTIN:
        r = client.get(f"/template/{name}.xlsx")
        assert r.status_code == 200
        wb = openpyxl.load_workbook(BytesIO(r.content))
        assert "指标得分表" in wb.sheetnames
    assert client.get("/template/nope.xlsx").status_code == 404


def test_rule_catalogue_page(client):
    zh = client.get("/rules").text
    en = client.get("/rules?lang=en").text
    from markupsafe import escape     # what Jinja's autoescape does

    for r in CATALOGUE:
        assert f'id="{r.id}"' in zh
        assert str(escape(r.title_zh)) in zh and str(escape(r.title_en)) in en
        assert str(escape(r.doc)) in zh and str(escape(r.doc)) in en


def test_safe_filename():
    assert web.safe_filename("../../etc/passwd") == "passwd"
    assert web.safe_filename("C:\\Users\\x\\单位 表.xlsx") == "单位 表.xlsx"
    assert web.safe_filename("\x00.xlsx") == "upload.xlsx"
    assert web.safe_filename(None) == "upload"


def test_serve_binds_to_localhost_by_default():
    from budget_audit.cli import build_parser

    args = build_parser().parse_args(["serve"])
    assert args.host == "127.0.0.1" and args.max_upload_mb == 20
