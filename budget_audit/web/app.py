"""`budget-audit serve`: a local web page for units (FastAPI + uvicorn, no internet needed).

A finance officer without a terminal drops a workbook / JSON / PDF / DOCX on the page and gets the
findings grouped by sheet and severity, the annotated workbook (xlsx/xls/ods inputs) to download,
the blank template of each profile and the rule catalogue. Chinese first, `?lang=en` for English.

What it keeps: nothing on disk. An upload is read into memory (capped, `max_upload_mb`), written to
a temporary directory only while it is checked, and that directory is deleted before the response
is sent. The annotated copy is held in memory under a random token for `DOWNLOAD_TTL` seconds (at
most `DOWNLOAD_SLOTS` copies), then forgotten. Bound to 127.0.0.1 unless `--host` says otherwise.
"""

from __future__ import annotations

import re
import secrets
import sys
import tempfile
import threading
import time
import unicodedata
from collections import OrderedDict
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from jinja2 import Environment, PackageLoader

from .. import RULES_VERSION, __version__
from ..pipeline import run_check
from ..profiles import BUILTIN, ProfileError, load_profile
from ..readers import SUPPORTED
from ..report import build_report
from ..report.annotate import annotate_report, annotated_name, is_workbook, source_file
from ..report.render import _where
from ..rules import CATALOGUE, FAMILIES, SEVERITIES

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOWNLOAD_TTL = 15 * 60            # seconds an annotated copy stays downloadable
DOWNLOAD_SLOTS = 32               # annotated copies held at once (the oldest goes first)
ACCEPT = ".xlsx,.xlsm,.xls,.xlsb,.ods,.json,.csv,.txt,.pdf,.docx"

T = {
    "zh": {
        "title": "预算绩效自评价校验", "lead": "把自评表（Excel）、JSON、PDF 或 Word 报告拖到下面，查看校验结果并下载标注后的工作簿。",
        "drop": "将文件拖到这里，或点击选择文件", "profile": "评价模板", "auto": "自动识别",
        "submit": "开始校验", "templates": "空白模板下载", "rules": "规则目录", "home": "首页",
        "local": "本页面只在本机运行：文件只在校验期间暂存，校验完成后即删除，不上传到任何外部服务器。",
        "max": "文件大小上限", "result": "校验结果", "download": "下载标注后的工作簿",
        "download_note": "每个有问题的单元格已填色并附批注，第一张工作表“校验结果”列出全部问题并可跳转到单元格。",
        "download_ttl": "下载链接 {m} 分钟内有效，仅保存在内存中。",
        "no_annotate": "此类文件（非 Excel 工作簿）没有标注副本；问题位置见下表。",
        "status": {"passed": "通过", "failed": "未通过", "unreadable": "无法读取", "skipped": "未检查"},
        "sev": {"error": "错误", "warning": "警告", "info": "提示"},
        "unit": "单位", "year": "年度", "indicators": "指标行", "machine": "机器复核",
        "rule": "规则", "message": "说明", "where": "位置", "whole": "整份文件 / 其他位置",
        "none": "未发现问题。", "again": "再校验一个文件", "doc": "规则说明（英文）", "example": "示例",
        "tolerance": "容差", "applies": "适用", "severity": "级别", "family": "类别",
        "error_title": "无法处理", "back": "返回首页", "rules_lead": "每条规则的编号是公开约定，不会改变含义。",
        "toobig": "文件过大：{size} MB，上限为 {cap} MB。请删去无关的工作表或附件后再试。",
        "nofile": "没有收到文件，请先选择一个文件。",
        "badtype": "不支持的文件类型“{ext}”。支持：{supported}。",
        "expired": "下载链接已过期或不存在（标注副本只在内存中保存 {m} 分钟）。请重新上传文件。",
        "sheet": "工作表", "page": "第 {n} 页", "lang_switch": "English", "lang_href": "en",
    },
    "en": {
        "title": "Budget performance self-evaluation check", "lead": "Drop a self-evaluation workbook (Excel), JSON, PDF or "
        "Word report below to see the findings and download the annotated workbook.",
        "drop": "Drop a file here, or click to choose one", "profile": "Profile", "auto": "detect",
        "submit": "Check", "templates": "Blank templates", "rules": "Rule catalogue", "home": "Home",
        "local": "This page runs on this computer only: a file is kept only while it is checked and deleted "
        "right after; nothing is sent to any outside server.",
        "max": "Largest file", "result": "Findings", "download": "Download the annotated workbook",
        "download_note": "Every flagged cell is filled and carries a comment; the first sheet 校验结果 lists every "
        "finding with a link to its cell.",
        "download_ttl": "The link works for {m} minutes; the copy is held in memory only.",
        "no_annotate": "This kind of file (not an Excel workbook) has no annotated copy; the table gives each location.",
        "status": {"passed": "passed", "failed": "failed", "unreadable": "unreadable", "skipped": "not checked"},
        "sev": {"error": "error", "warning": "warning", "info": "info"},
        "unit": "Unit", "year": "Year", "indicators": "indicator rows", "machine": "machine-checked",
        "rule": "Rule", "message": "Message", "where": "Location", "whole": "Whole file / other locations",
        "none": "No findings.", "again": "Check another file", "doc": "What it checks", "example": "Example",
        "tolerance": "Tolerance", "applies": "Applies to", "severity": "Severity", "family": "Family",
        "error_title": "Cannot process", "back": "Back to the start page",
        "rules_lead": "Rule IDs are a public contract: their meaning never changes.",
        "toobig": "File too large: {size} MB, the limit is {cap} MB. Remove unrelated sheets or attachments and retry.",
        "nofile": "No file received: choose a file first.",
        "badtype": "Unsupported file type “{ext}”. Supported: {supported}.",
        "expired": "The download link has expired or does not exist (annotated copies stay in memory for {m} "
        "minutes). Upload the file again.",
        "sheet": "Sheet", "page": "page {n}", "lang_switch": "中文", "lang_href": "zh",
    },
}


class Downloads:
    """Annotated copies held in memory under random tokens, each for `ttl` seconds."""

    def __init__(self, ttl: float = DOWNLOAD_TTL, slots: int = DOWNLOAD_SLOTS) -> None:
        self.ttl, self.slots = ttl, slots
        self._items: OrderedDict[str, tuple[float, str, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def _expire(self, now: float) -> None:
        for token in [t for t, (until, _, _) in self._items.items() if until <= now]:
            del self._items[token]
        while len(self._items) > self.slots:
            self._items.popitem(last=False)

    def put(self, name: str, data: bytes) -> str:
        token = secrets.token_urlsafe(18)
        with self._lock:
            now = time.monotonic()
            self._items[token] = (now + self.ttl, name, data)
            self._expire(now)
        return token

    def get(self, token: str) -> tuple[str, bytes] | None:
        with self._lock:
            self._expire(time.monotonic())
            hit = self._items.get(token)
        return (hit[1], hit[2]) if hit else None


def _lang(value: Any) -> str:
    return "en" if value == "en" else "zh"


def safe_filename(name: str | None) -> str:
    """The uploaded file's own name, reduced to a harmless base name (no path, no control characters)."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = stem.strip().lstrip(".")[:80] or "upload"       # never a hidden file
    return f"{stem}.{ext[:10]}" if ext else stem


def _relabel(obj: Any, tmp: str, name: str) -> Any:
    """Replace the temporary path in every text of the report by the uploaded file's name."""
    if isinstance(obj, str):
        return obj.replace(str(Path(tmp) / name), name).replace(tmp + "/", "").replace(tmp, "")
    if isinstance(obj, dict):
        return {k: _relabel(v, tmp, name) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_relabel(v, tmp, name) for v in obj]
    return obj


def _group_key(loc: dict[str, Any] | None, t: dict[str, Any]) -> tuple[int, str]:
    if isinstance(loc, dict) and loc.get("sheet"):
        return 0, f"{t['sheet']}：{loc['sheet']}" if t is T["zh"] else f"{t['sheet']}: {loc['sheet']}"
    if isinstance(loc, dict) and loc.get("page"):
        return 1, t["page"].format(n=loc["page"])
    return 2, t["whole"]


def group_findings(findings: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Findings → [{label, counts, severities: [(severity, [findings])]}], in the file's order of sheets."""
    t = T[lang]
    groups: dict[tuple[int, str], dict[str, list[dict[str, Any]]]] = {}
    order: list[tuple[int, str]] = []
    for f in findings:
        key = _group_key(f.get("location"), t)
        if key not in groups:
            groups[key] = {s: [] for s in SEVERITIES}
            order.append(key)
        groups[key][f["severity"]].append({**f, "where": _where(f.get("location")), "text": f["message"][lang]})
    order.sort(key=lambda k: k[0])      # sheets first (file order), then pages, then the rest
    return [{"label": k[1], "counts": {s: len(v) for s, v in groups[k].items()},
             "severities": [(s, groups[k][s]) for s in SEVERITIES if groups[k][s]]} for k in order]


def create_app(max_upload_mb: int = 20, *, download_ttl: float = DOWNLOAD_TTL) -> FastAPI:
    cap = max_upload_mb * 1024 * 1024
    app = FastAPI(title="budget-audit", docs_url=None, redoc_url=None, openapi_url=None)
    env = Environment(loader=PackageLoader("budget_audit.web", "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    downloads = Downloads(ttl=download_ttl)
    templates_cache: dict[str, bytes] = {}
    check_lock = threading.Lock()        # one check at a time: the machine is small, the pipeline is CPU-bound
    titles = {r.id: (r.title_zh, r.title_en) for r in CATALOGUE}
    profiles = [(n, load_profile(n).title) for n in BUILTIN]
    app.state.downloads = downloads

    def page(request: Request, name: str, lang: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        nonce = secrets.token_urlsafe(12)
        html = env.get_template(name).render(
            t=T[lang], lang=lang, nonce=nonce, version=__version__, rules_version=RULES_VERSION,
            profiles=profiles, cap_mb=max_upload_mb, cap=cap, accept=ACCEPT,
            path=request.url.path if request.method == "GET" and request.url.path in ("/", "/rules") else "/",
            ttl_min=int(download_ttl // 60) or 1, titles=titles, **ctx)
        resp = HTMLResponse(html, status_code=status)
        resp.headers["Content-Security-Policy"] = (
            f"default-src 'none'; style-src 'nonce-{nonce}'; script-src 'nonce-{nonce}'; img-src 'self' data:; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
        return resp

    def error(request: Request, lang: str, status: int, message: str) -> HTMLResponse:
        return page(request, "error.html", lang, status=status, message=message)

    @app.middleware("http")
    async def headers(request: Request, call_next):
        resp = await call_next(request)
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "no-referrer")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        resp.headers.setdefault("Cache-Control", "no-store")
        return resp

    @app.get("/", response_class=HTMLResponse)
    async def index(request: Request, lang: str = "zh") -> HTMLResponse:
        return page(request, "index.html", _lang(lang))

    @app.get("/healthz", response_class=PlainTextResponse)
    async def healthz() -> str:
        return "ok"

    @app.get("/rules", response_class=HTMLResponse)
    async def rules(request: Request, lang: str = "zh") -> HTMLResponse:
        fams = [(fam, [r for r in CATALOGUE if r.family == fam]) for fam in FAMILIES]
        return page(request, "rules.html", _lang(lang), families=[(f, rs) for f, rs in fams if rs])

    @app.get("/template/{name}.xlsx")
    async def template(name: str) -> Response:
        if name not in BUILTIN:
            return PlainTextResponse("未知模板 / unknown profile", status_code=404)
        if name not in templates_cache:
            templates_cache[name] = await run_in_threadpool(_template_bytes, name)
        return _xlsx(templates_cache[name], f"{name}-模板.xlsx")

    @app.get("/download/{token}")
    async def download(request: Request, token: str, lang: str = "zh") -> Response:
        hit = downloads.get(token)
        if hit is None:
            lg = _lang(lang)
            return error(request, lg, 404, T[lg]["expired"].format(m=int(download_ttl // 60) or 1))
        return _xlsx(hit[1], hit[0])

    @app.post("/check", response_class=HTMLResponse)
    async def check(request: Request) -> HTMLResponse:
        lang = _lang(request.query_params.get("lang"))
        t = T[lang]
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > cap + 64 * 1024:
            return error(request, lang, 413, t["toobig"].format(size=f"{int(declared) / 2**20:.1f}", cap=max_upload_mb))
        body = bytearray()
        async for chunk in request.stream():       # counted as it arrives: a body without a length is capped too
            body += chunk
            if len(body) > cap + 64 * 1024:
                return error(request, lang, 413, t["toobig"].format(size=f"> {max_upload_mb}", cap=max_upload_mb))
        data = bytes(body)
        del body

        async def replay() -> dict[str, Any]:
            return {"type": "http.request", "body": data, "more_body": False}

        try:
            form = await Request(request.scope, replay).form(max_files=1, max_fields=8)
        except Exception as exc:
            return error(request, lang, 400, f"{t['nofile']} ({type(exc).__name__})")
        lang = _lang(form.get("lang") or request.query_params.get("lang"))
        t = T[lang]
        upload = form.get("file")
        if upload is None or isinstance(upload, str) or not upload.filename:
            return error(request, lang, 400, t["nofile"])
        content = await upload.read()
        await upload.close()
        if len(content) > cap:
            return error(request, lang, 413, t["toobig"].format(size=f"{len(content) / 2**20:.1f}", cap=max_upload_mb))
        name = safe_filename(upload.filename)
        ext = Path(name).suffix.lower()
        if ext not in SUPPORTED or ext == ".doc":
            return error(request, lang, 400, t["badtype"].format(ext=ext or "—", supported=ACCEPT.replace(",", " ")))
        if not content:
            return error(request, lang, 400, t["nofile"])
        profile = form.get("profile") or None
        if profile is not None and profile not in BUILTIN:
            return error(request, lang, 400, f"未知模板 / unknown profile: {profile}")

        def work() -> tuple[dict[str, Any], bytes | None]:
            with check_lock, tempfile.TemporaryDirectory(prefix="budget-audit-web-") as tmp:
                path = Path(tmp) / name
                path.write_bytes(content)
                report = build_report(run_check([str(path)], profile))
                copy = None
                if is_workbook(path):
                    copies, _ = annotate_report(report, lang)
                    copy = copies.get(source_file(str(path)))
                return _relabel(report, tmp, name), copy

        try:
            report, copy = await run_in_threadpool(work)
        except ProfileError as exc:
            return error(request, lang, 400, str(exc))
        token = downloads.put(annotated_name(Path(name)), copy) if copy is not None else None
        subs = [{**s, "groups": group_findings(s["findings"], lang)} for s in report["submissions"]]
        return page(request, "result.html", lang, report=report, submissions=subs, filename=name,
                    token=token, workbook=is_workbook(name), sev_order=SEVERITIES)

    return app


def _template_bytes(name: str) -> bytes:
    from ..pipeline import load_checked_profile
    from ..writers.template import write_template

    with tempfile.TemporaryDirectory(prefix="budget-audit-web-") as tmp:
        path = Path(tmp) / f"{name}.xlsx"
        write_template(load_checked_profile(name), path)
        return path.read_bytes()


def _xlsx(data: bytes, filename: str) -> Response:
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", filename).strip("_-.")
    if not re.search(r"[A-Za-z0-9]", Path(ascii_name).stem):     # a Chinese name: the UTF-8 form below carries it
        ascii_name = "budget-audit.xlsx"
    return Response(data, media_type=XLSX_MIME, headers={
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"})


def serve(host: str = "127.0.0.1", port: int = 8765, *, max_upload_mb: int = 20) -> int:
    import uvicorn

    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"警告：页面绑定到 {host}，同一网络中的其他电脑也能访问 / warning: bound to {host}, other computers "
              "on the network can reach the page", file=sys.stderr)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    print(f"在浏览器中打开 / open in a browser: http://{shown}:{port}/  （Ctrl+C 停止 / to stop）", file=sys.stderr)
    uvicorn.run(create_app(max_upload_mb), host=host, port=port, log_level="warning")
    return 0
