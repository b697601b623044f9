"""The bad-input corpus (issue 10): ≥ 100 hostile inputs, generated on the fly, bombs built small.

`build(directory)` writes every case and returns the `Case`s in order. A case is one input path (file,
folder or file-system object) plus what the check must do with it:

- ``exit``   allowed exit codes of `budget-audit check` (0/1; 2 only for a broken profile given by --profile);
- ``rule``   a rule ID some finding of the input must carry (a typed finding), or None when any finding will do;
- ``cell``   the finding must name a cell (workbooks);
- ``args``   extra CLI arguments (profile cases);
- ``batch``  whether the case joins the one-run batch of the whole corpus (not the exit-2 profile cases).

Run `python -m tests.hostile.corpus DIR` to write the corpus to DIR and list it.
"""

from __future__ import annotations

import copy
import io
import json
import os
import stat
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "datasets" / "examples"
XLSX_GOOD = EXAMPLES / "dept-overall-105-clean.xlsx"
JSON_GOOD = EXAMPLES / "dept-overall-105-clean.json"
CSV_GOOD = EXAMPLES / "dept-overall-105-clean-csv"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
XLS_GOOD = FIXTURES / "dept-overall-105-clean.xls"      # the clean workbook saved by LibreOffice as BIFF8
ODS_GOOD = FIXTURES / "dept-overall-105-clean.ods"      # … and as ods (every sheet padded with empty repeats)


@dataclass
class Case:
    name: str
    build: Callable[[Path], Path]
    rule: str | None = None
    exit: frozenset = frozenset({0, 1})
    cell: bool = False
    args: tuple = ()
    batch: bool = True
    path: Path | None = field(default=None, compare=False)


def good_json() -> dict:
    return json.loads(JSON_GOOD.read_text(encoding="utf-8"))


# ---- writers ------------------------------------------------------------------------------------

def raw(name: str, data: bytes) -> Callable[[Path], Path]:
    def b(d: Path) -> Path:
        p = d / name
        p.write_bytes(data)
        return p
    return b


def text(name: str, s: str) -> Callable[[Path], Path]:
    return raw(name, s.encode("utf-8"))


def sub_json(name: str, edit: Callable[[dict], object]) -> Callable[[Path], Path]:
    def b(d: Path) -> Path:
        doc = good_json()
        out = edit(doc)
        p = d / name
        p.write_text(json.dumps(doc if out is None else out, ensure_ascii=False), encoding="utf-8")
        return p
    return b


def set_ind(field_name: str, value) -> Callable[[dict], None]:
    def e(doc: dict) -> None:
        doc["indicators"][0][field_name] = value
    return e


def _patch_zip(data: bytes, member: str, fn: Callable[[bytes], bytes], *, add: dict | None = None,
               drop: tuple = ()) -> bytes:
    zin = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for i in zin.infolist():
            if i.filename in drop:
                continue
            body = zin.read(i.filename)
            if i.filename == member:
                body = fn(body)
            z.writestr(i.filename, body)
        for k, v in (add or {}).items():
            z.writestr(k, v)
    return out.getvalue()


def workbook(cells: dict[str, dict[str, object]]) -> bytes:
    """A workbook from {sheet: {"A1": value}} (openpyxl)."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet, vals in cells.items():
        ws = wb.create_sheet(sheet)
        for ref, v in vals.items():
            ws[ref] = v
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def good_workbook_edit(edit: Callable) -> Callable[[Path], bytes]:
    """The clean example workbook, edited with openpyxl."""
    def make() -> bytes:
        import openpyxl

        wb = openpyxl.load_workbook(XLSX_GOOD)
        edit(wb)
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()
    return make


def xlsx(name: str, make: Callable[[], bytes]) -> Callable[[Path], Path]:
    def b(d: Path) -> Path:
        p = d / name
        p.write_bytes(make())
        return p
    return b


def _sheet_xml(rows_xml: bytes, dim: str = "A1") -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<dimension ref="' + dim.encode() + b'"/><sheetData>' + rows_xml + b"</sheetData></worksheet>")


def _base_xlsx() -> bytes:
    return workbook({"Sheet1": {"A1": "x"}})


def sheet_replaced(xml: bytes) -> Callable[[], bytes]:
    return lambda: _patch_zip(_base_xlsx(), "xl/worksheets/sheet1.xml", lambda _: xml)


def million_rows() -> bytes:
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i) for i in range(1, 1_000_001))
    return _patch_zip(_base_xlsx(), "xl/worksheets/sheet1.xml", lambda _: _sheet_xml(rows, "A1:A1000000"))


def inflating_sheet() -> bytes:
    """A sheet that inflates ~1000:1 (64 MB of blanks in a string cell; a real bomb is the same shape, bigger)."""
    pad = b" " * (64 << 20)
    xml = _sheet_xml(b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + pad + b"</t></is></c></row>")
    return _patch_zip(_base_xlsx(), "xl/worksheets/sheet1.xml", lambda _: xml)


def ods_repeat(rows: int, cols: int = 1) -> bytes:
    """The clean ods with its first value cell repeated over `cols` columns, and its row over `rows` rows."""
    def edit(xml: bytes) -> bytes:
        at = xml.index(b"<table:table-row ")
        xml = xml[:at] + b'<table:table-row table:number-rows-repeated="%d" ' % rows + xml[at + 17:]
        cell = xml.index(b"<table:table-cell ", at)
        return xml[:cell] + b'<table:table-cell table:number-columns-repeated="%d" ' % cols + xml[cell + 18:]
    return _patch_zip(ODS_GOOD.read_bytes(), "content.xml", edit)


def xls_claim(rows: int, cols: int) -> bytes:
    """The clean xls with its first sheet's DIMENSIONS record claiming rows × cols (bytes patched in place)."""
    import struct

    data = bytearray(XLS_GOOD.read_bytes())
    at = data.index(b"\x00\x02\x0e\x00")               # record 0x0200, 14 bytes (BIFF8)
    struct.pack_into("<IIHH", data, at + 4, 0, rows, 0, cols)
    return bytes(data)


def ole(body: bytes) -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + body


def csv_folder(name: str, *, meta: str | None = None, indicators: bytes | None = None,
               extra: dict[str, bytes] | None = None) -> Callable[[Path], Path]:
    def b(d: Path) -> Path:
        folder = d / name
        folder.mkdir()
        (folder / "indicators.csv").write_bytes(indicators if indicators is not None
                                               else (CSV_GOOD / "indicators.csv").read_bytes())
        m = (CSV_GOOD / "meta.yaml").read_text(encoding="utf-8") if meta is None else meta
        (folder / "meta.yaml").write_text(m, encoding="utf-8")
        for k, v in (extra or {}).items():
            (folder / k).write_bytes(v)
        return folder
    return b


def meta_edit(fn: Callable[[str], str]) -> str:
    return fn((CSV_GOOD / "meta.yaml").read_text(encoding="utf-8"))


def folder_with(name: str, fill: Callable[[Path], None]) -> Callable[[Path], Path]:
    def b(d: Path) -> Path:
        folder = d / name
        folder.mkdir()
        fill(folder)
        return folder
    return b


def _fifo(f: Path) -> None:
    os.mkfifo(f / "pipe.json")
    (f / "ok.txt").write_text("2023年度某单位自评报告\n", encoding="utf-8")


def _devzero(f: Path) -> None:
    os.symlink("/dev/zero", f / "zero.xlsx")
    os.symlink("/dev/zero", f / "zero.json")


def _loop(f: Path) -> None:
    (f / "a").mkdir()
    (f / "a" / "r.json").write_text(json.dumps(good_json(), ensure_ascii=False), encoding="utf-8")
    os.symlink("..", f / "a" / "up")
    os.symlink(".", f / "a" / "self")
    os.symlink("r.json", f / "a" / "again.json")


def _dangling(f: Path) -> None:
    os.symlink("nowhere.json", f / "gone.json")
    os.symlink("l2.json", f / "l1.json")
    os.symlink("l1.json", f / "l2.json")


def _bad_name(f: Path) -> None:
    p = os.fsencode(f) + b"/bad-\xff\xfe-name.json"
    with open(p, "wb") as fh:
        fh.write(JSON_GOOD.read_bytes())


def _only_unsupported(f: Path) -> None:
    (f / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (f / "b.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    (f / "c.md").write_text("# notes\n", encoding="utf-8")


def _named_xlsx(f: Path) -> None:
    (f / "readme.md").write_text("x", encoding="utf-8")


def _nested_deep(f: Path) -> None:
    p = f
    for i in range(30):
        p = p / f"d{i}"
    p.mkdir(parents=True)
    (p / "deep.json").write_text(json.dumps(good_json(), ensure_ascii=False), encoding="utf-8")


def _bomb_yaml(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def profile_file(name: str, body: str) -> Callable[[Path], Path]:
    """A profile case: the input is the clean JSON; the broken profile goes to --profile (args filled in later)."""
    def b(d: Path) -> Path:
        (d / f"{name}.yaml").write_text(body, encoding="utf-8")
        p = d / f"{name}-input.json"
        p.write_bytes(JSON_GOOD.read_bytes())
        return p
    return b


def _all_rules_off() -> str:
    sys.path.insert(0, str(ROOT))
    from budget_audit.rules import CATALOGUE

    return "name: noop\ngrade_bands: [{grade: 优, min: 0}]\nrules:\n" + "".join(
        f"  {r.id}: {{enabled: false}}\n" for r in CATALOGUE)


GOOD_PROFILE = (ROOT / "budget_audit" / "profiles" / "generic.yaml").read_text(encoding="utf-8")


def cases() -> list[Case]:
    C = Case
    J = "STR007"
    out: list[Case] = [
        # ---- JSON: not JSON at all -------------------------------------------------------------
        C("json-empty", raw("empty.json", b""), J),
        C("json-whitespace", raw("blank.json", b"  \n\t "), J),
        C("json-null", text("null.json", "null"), J),
        C("json-number", text("number.json", "42"), J),
        C("json-string", text("string.json", '"hello"'), J),
        C("json-empty-array", text("empty-array.json", "[]"), J),
        C("json-array-of-numbers", text("array-numbers.json", "[1, 2, 3]"), J),
        C("json-truncated", raw("truncated.json", JSON_GOOD.read_bytes()[:500]), J),
        C("json-trailing-comma", text("trailing-comma.json", '{"unit": "a",}'), J),
        C("json-single-quotes", text("single-quotes.json", "{'unit': 'a'}"), J),
        C("json-invalid-utf8", raw("bad-utf8.json", b'{"unit": "\xff\xfe\xfa"}'), None),
        C("json-utf16", raw("utf16.json", JSON_GOOD.read_text(encoding="utf-8").encode("utf-16")), None),
        C("json-gbk", raw("gbk.json", JSON_GOOD.read_text(encoding="utf-8").encode("gb18030")), None),
        C("json-bom", raw("bom.json", b"\xef\xbb\xbf" + JSON_GOOD.read_bytes()), None),
        C("json-nul-bytes", raw("nul.json", b"\x00" * 64), J),
        C("json-binary", raw("binary.json", bytes(range(256)) * 16), J),
        C("json-deep-nesting", text("deep.json", "[" * 100_000 + "]" * 100_000), J),
        C("json-deep-objects", text("deep-obj.json", '{"a":' * 5_000 + "1" + "}" * 5_000), J),
        C("json-nesting-over-limit", text("deep-70.json", '{"unit": ' + "[" * 70 + "]" * 70 + "}"), J),
        C("json-many-elements", text("many.json", "[" + "0," * 10_500_000 + "0]"), J),
        C("json-10k-empty-objects", text("empties.json", "[" + ",".join(["{}"] * 10_000) + "]"), None),
        C("json-lone-surrogate", text("surrogate.json", '{"unit": "\\ud800单位", "year": 2023, "indicators": []}'), None),
        C("json-surrogate-key", text("surrogate-key.json", '{"\\udfff": 1, "unit": "u", "year": 2023}'), None),
        C("json-nan-literal", text("nan.json", '{"unit": "u", "year": NaN, "indicators": [{"name": "x", "weight": Infinity, "score": -Infinity}]}'), None),
        C("json-huge-number", text("huge-number.json", '{"unit": "u", "year": 2023, "indicators": [{"name": "x", "weight": 1e400, "score": ' + "9" * 5000 + "}]}"), None),
        C("json-duplicate-keys", text("dup.json", '{"unit": "a", "unit": "b", "year": 2023, "indicators": []}'), "STR010"),
        C("json-duplicate-nested", sub_json("dup-nested.json", lambda d: None), None),
        # ---- JSON: a submission with hostile fields ----------------------------------------------
        C("json-year-abc", sub_json("year-abc.json", lambda d: d.update(year="abc")), "STR001"),
        C("json-year-object", sub_json("year-object.json", lambda d: d.update(year={"y": 2023})), "STR001"),
        C("json-year-list", sub_json("year-list.json", lambda d: d.update(year=[2023])), "STR001"),
        C("json-year-bool", sub_json("year-bool.json", lambda d: d.update(year=True)), "STR001"),
        C("json-sections-object", sub_json("sections-object.json", lambda d: d.update(sections={"A": 15})), "STR001"),
        C("json-sections-number", sub_json("sections-number.json", lambda d: d.update(sections=5)), "STR001"),
        C("json-indicators-string", sub_json("indicators-string.json", lambda d: d.update(indicators="none")), None),
        C("json-indicators-numbers", sub_json("indicators-numbers.json", lambda d: d.update(indicators=[1, 2])), None),
        C("json-budget-list", sub_json("budget-list.json", lambda d: d.update(budget=[1, 2])), "STR001"),
        C("json-statements-string", sub_json("statements-string.json", lambda d: d.update(statements="x")), "STR001"),
        C("json-unit-object", sub_json("unit-object.json", lambda d: d.update(unit={"name": "x"})), None),
        C("json-id-object", sub_json("id-object.json", lambda d: d.update(id={"x": 1})), None),
        C("json-score-colloquial", sub_json("colloquial.json", set_ind("score", "三千五")), None),
        C("json-score-two-numbers", sub_json("two-numbers.json", set_ind("score", "90 95")), "STR002"),
        C("json-score-newline", sub_json("newline.json", set_ind("score", "1\n2")), "STR002"),
        C("json-score-superscript", sub_json("superscript.json", set_ind("score", "10²")), "STR002"),
        C("json-score-bool", sub_json("score-bool.json", set_ind("score", True)), "STR002"),
        C("json-weight-list", sub_json("weight-list.json", set_ind("weight", [1, 2])), None),
        C("json-score-999", sub_json("score-999.json", set_ind("score", "999")), None),
        C("json-score-negative", sub_json("score-neg.json", set_ind("score", "-5")), None),
        C("json-control-chars", sub_json("control.json", lambda d: d.update(unit="单位\x00\x01\x07\x1b[31m\x7f")), None),
        C("json-formula-unit", sub_json("formula.json", lambda d: d.update(unit='=HYPERLINK("http://x","y")')), None),
        C("json-formula-name", sub_json("formula-name.json", set_ind("name", "+cmd|' /C calc'!A0")), None),
        C("json-script-name", sub_json("script.json", set_ind("name", "<script>alert(1)</script>")), None),
        C("json-bidi-zero-width", sub_json("bidi.json", lambda d: d.update(unit="\u202e单位\u200b\ufeff")), None),
        C("json-long-string", sub_json("long.json", set_ind("method", "得" * 1_000_000)), None),
        C("json-long-method-regex", sub_json("method-regex.json", set_ind("method", "每少1%扣" * 20_000)), None),
        C("json-profile-path", sub_json("profile-path.json", lambda d: d.update(profile="/etc/passwd")), "STR001"),
        C("json-profile-relative", sub_json("profile-rel.json", lambda d: d.update(profile="../../evil.yaml")), "STR001"),
        C("json-profile-unknown", sub_json("profile-unknown.json", lambda d: d.update(profile="no-such-profile")), None),
        C("json-profile-number", sub_json("profile-number.json", lambda d: d.update(profile=105)), None),
        C("json-profile-object", sub_json("profile-object.json", lambda d: d.update(profile={"rules": {}})), None),
        C("json-batch-mixed", sub_json("batch-mixed.json", lambda d: [d, 1, None, "x", [], {}]), J),
        C("json-batch-same-ids", sub_json("same-ids.json", lambda d: [copy.deepcopy(d), copy.deepcopy(d)]), None),
        # ---- workbooks ---------------------------------------------------------------------------
        C("xlsx-empty", raw("empty.xlsx", b""), J),
        C("xlsx-random-bytes", raw("random.xlsx", os.urandom(4096)), J),
        C("xlsx-truncated-zip", raw("truncated.xlsx", XLSX_GOOD.read_bytes()[:3000]), J),
        C("xlsx-zip-eocd-only", raw("eocd.xlsx", b"PK\x05\x06" + b"\0" * 18), J),
        C("xlsx-zip-without-workbook", raw("no-workbook.xlsx", _patch_zip(XLSX_GOOD.read_bytes(), "", lambda b: b, drop=("xl/workbook.xml",))), J),
        C("xlsx-plain-zip", raw("plain-zip.xlsx", _zip({"hello.txt": b"hi"})), J),
        C("xlsx-html", text("html.xls", "<html><body><table><tr><td>单位</td></tr></table></body></html>"), J),
        C("xlsx-xml-2003", text("xml2003.xls", '<?xml version="1.0"?><Workbook></Workbook>'), J),
        C("xlsx-csv-renamed", text("csv.xlsx", "一级指标,二级指标\nA,B\n"), J),
        C("xlsx-encrypted-ole", raw("encrypted.xlsx", ole(b"\0" * 512 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 512)), J),
        C("xlsx-ole-garbage", raw("ole-garbage.xls", ole(os.urandom(2048))), J),
        C("xlsb-garbage", raw("garbage.xlsb", b"PK\x03\x04" + os.urandom(512)), J),
        C("ods-garbage", raw("garbage.ods", _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})), J),
        C("xlsx-far-cell", xlsx("far-cell.xlsx", lambda: workbook({"S": {"A1": "x", "XFD1048576": "y"}})), J),
        C("xlsx-dimension-claim", xlsx("dimension.xlsx", sheet_replaced(_sheet_xml(b'<row r="1"><c r="A1"><v>1</v></c></row>', "A1:XFD1048576"))), None),
        C("xlsx-million-rows", xlsx("million.xlsx", million_rows), J),
        C("xlsx-inflating-sheet", xlsx("inflate.xlsx", inflating_sheet), J),
        C("ods-clean", raw("clean.ods", ODS_GOOD.read_bytes()), None),
        C("ods-repeated-rows", xlsx("repeated-rows.ods", lambda: ods_repeat(rows=300_000)), J),
        C("ods-repeated-columns", xlsx("repeated-cols.ods", lambda: ods_repeat(rows=400, cols=16_384)), J),
        C("xls-clean", raw("clean.xls", XLS_GOOD.read_bytes()), None),
        C("xls-dimensions-claim", xlsx("dimensions.xls", lambda: xls_claim(65_536, 256)), J),
        C("xlsx-bad-xml", xlsx("bad-xml.xlsx", sheet_replaced(b"<worksheet><sheetData><row><c>")), None),
        C("xlsx-empty-workbook", xlsx("blank.xlsx", lambda: workbook({"S": {}})), J),
        C("xlsx-only-title", xlsx("title-only.xlsx", lambda: workbook({"S": {"A1": "2023年度自评表"}})), None),
        C("xlsx-wide-row", xlsx("wide.xlsx", lambda: workbook({"S": {f"{_col(i)}1": i for i in range(1, 2001)}})), None),
        C("xlsx-many-sheets", xlsx("many-sheets.xlsx", lambda: workbook({f"S{i}": {"A1": i} for i in range(200)})), None),
        C("xlsx-date-year", xlsx("date-year.xlsx", good_workbook_edit(lambda wb: _set(wb, "基本信息", "B3", _dt()))), None),
        C("xlsx-date-score", xlsx("date-score.xlsx", good_workbook_edit(lambda wb: _set(wb, "指标得分表", "J3", _dt()))), "STR002", cell=True),
        C("xlsx-control-chars", xlsx("control.xlsx", _control_chars_workbook), None),
        C("xlsx-formula-text", xlsx("formula.xlsx", good_workbook_edit(lambda wb: _set(wb, "基本信息", "B2", "=1+1"))), None),
        C("xlsx-error-values", xlsx("errors.xlsx", good_workbook_edit(lambda wb: _set(wb, "指标得分表", "J3", "#DIV/0!"))), "STR001", cell=True),
        C("xlsx-score-colloquial", xlsx("colloquial.xlsx", good_workbook_edit(lambda wb: _set(wb, "指标得分表", "J3", "90 95"))), "STR002", cell=True),
        C("xlsx-profile-path", xlsx("profile-path.xlsx", good_workbook_edit(lambda wb: _set(wb, "基本信息", "B4", "/tmp/evil.yaml"))), "STR001"),
        C("xlsx-lock-file-named", raw("~$lock.xlsx", b"\x00" * 162), J),
        C("docx-garbage", raw("garbage.docx", os.urandom(1024)), J),
        C("docx-zip-without-document", raw("no-document.docx", _zip({"[Content_Types].xml": b"<Types/>"})), J),
        C("doc-ole-garbage", raw("garbage.doc", ole(os.urandom(1024))), J),
        C("pdf-garbage", raw("garbage.pdf", b"%PDF-1.7\n" + os.urandom(1024)), J),
        C("pdf-header-only", raw("header.pdf", b"%PDF-1.4\n%%EOF\n"), J),
        C("pdf-not-pdf", text("text.pdf", "just text"), J),
        C("txt-binary", raw("binary.txt", os.urandom(2048)), None),
        C("txt-empty", raw("empty.txt", b""), J),
        C("txt-long-line", text("long.txt", "自评得分" + "9" * 200_000), None),
        C("unknown-extension", text("notes.abc", "hello"), J),
        C("no-extension", text("README", "hello"), J),
        # ---- CSV ---------------------------------------------------------------------------------
        C("csv-empty", raw("empty.csv", b""), J),
        C("csv-binary", raw("binary.csv", b"\x00\x01" * 1024), J),
        C("csv-undecodable", raw("undecodable.csv", b"\xff\xfe\xfd\x80\x81" * 50 + b"\n\x80,\x81\n"), None),
        C("csv-one-column", text("one-column.csv", "a\nb\nc\n"), None),
        C("csv-ragged", text("ragged.csv", "三级指标,权值,得分\nx,1\ny,1,1,1,1\n\"z,1\n"), None),
        C("csv-too-many-lines", raw("lines.csv", b"a\n" * 250_000), J),
        C("csv-nul-in-field", raw("nul.csv", "三级指标,权值,得分\nx\x00y,1,1\n".encode()), None),
        C("csv-formula", text("formula.csv", "三级指标,权值,得分\n=HYPERLINK(\"x\"),1,1\n@SUM(A1),1,1\n"), None),
        C("csv-long-form-bad", text("long-form.csv", "submission_id,三级指标,权值,得分\n,x,1,1\n\x01,y,a,b\n"), None),
        # ---- CSV folders ---------------------------------------------------------------------------
        C("csvdir-alias-bomb", csv_folder("bomb-csv", meta=_bomb_yaml()), J),
        C("csvdir-many-aliases", csv_folder("aliases-csv", meta="a: &a 1\nb: [" + ",".join(["*a"] * 500) + "]\n"), J),
        C("csvdir-date-year", csv_folder("date-csv", meta=meta_edit(lambda m: m.replace("year: 2023", "year: 2023-12-31"))), None),
        C("csvdir-bad-yaml", csv_folder("bad-yaml-csv", meta="unit: [unclosed\n"), None),
        C("csvdir-yaml-list", csv_folder("list-yaml-csv", meta="- 1\n- 2\n"), None),
        C("csvdir-python-tag", csv_folder("tag-csv", meta="unit: !!python/object/apply:os.system ['echo hi']\n"), None),
        C("csvdir-profile-path", csv_folder("profile-csv", meta=meta_edit(lambda m: m.replace("profile: dept-overall-105", "profile: /tmp/x.yaml"))), "STR001"),
        C("csvdir-empty-indicators", csv_folder("empty-ind-csv", indicators=b""), None),
        C("csvdir-fifo-budget", _csv_with_fifo, None),
        # ---- file-system objects ---------------------------------------------------------------------
        C("fs-fifo", folder_with("fifo-folder", _fifo), J),
        C("fs-dev-zero", folder_with("zero-folder", _devzero), J),
        C("fs-symlink-loop", folder_with("loop-folder", _loop), None),
        C("fs-dangling", folder_with("dangling-folder", _dangling), J),
        C("fs-bad-utf8-name", folder_with("badname-folder", _bad_name), None),
        C("fs-only-unsupported", folder_with("unsupported-folder", _only_unsupported), "STR012"),
        C("fs-folder-named-xlsx", folder_with("x.xlsx", _named_xlsx), "STR012"),
        C("fs-deep-folders", folder_with("deep-folder", _nested_deep), None),
        C("fs-unreadable-file", _unreadable_file, None),
        # ---- broken profiles given by the auditor: exit 2 -----------------------------------------------
        C("profile-inf-total", profile_file("inf", GOOD_PROFILE.replace("name: generic", "name: inf") + "total_weight: .inf\n"),
          exit=frozenset({2}), batch=False),
        C("profile-nan-band", profile_file("nan", "name: nan\ngrade_bands: [{grade: 优, min: .nan}]\n"), exit=frozenset({2}), batch=False),
        C("profile-all-rules-off", profile_file("noop", _all_rules_off()), exit=frozenset({2}), batch=False),
        C("profile-alias-bomb", profile_file("bomb", _bomb_yaml()), exit=frozenset({2}), batch=False),
        C("profile-not-yaml", profile_file("notyaml", "\x00\x01: [\n"), exit=frozenset({2}), batch=False),
        C("profile-unknown-rule", profile_file("unk", "name: unk\ngrade_bands: [{grade: 优, min: 0}]\nrules: {XXX999: {enabled: false}}\n"),
          exit=frozenset({2}), batch=False),
    ]
    return out


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for k, v in members.items():
            z.writestr(k, v)
    return buf.getvalue()


def _col(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _set(wb, sheet: str, ref: str, value) -> None:
    wb[sheet][ref] = value


def _dt():
    import datetime

    return datetime.datetime(2023, 12, 31)


def _control_chars_workbook() -> bytes:
    """Control characters in a unit name, written as OOXML escapes (_x0001_: what Excel itself writes)."""
    data = good_workbook_edit(lambda wb: _set(wb, "基本信息", "B2", "单位CTRLMARK"))()
    return _patch_zip(data, "xl/sharedStrings.xml", lambda b: b.replace(b"CTRLMARK", b"_x0001__x0002__x001F_"))


def _csv_with_fifo(d: Path) -> Path:
    folder = csv_folder("fifo-csv")(d)
    os.mkfifo(folder / "budget.csv")
    return folder


def _unreadable_file(d: Path) -> Path:
    """A file without read permission (root reads it anyway: the test also simulates the error)."""
    p = d / "no-permission.json"
    p.write_bytes(JSON_GOOD.read_bytes())
    os.chmod(p, 0)
    return p


PROFILE_STEMS = {"profile-inf-total": "inf", "profile-nan-band": "nan", "profile-all-rules-off": "noop",
                 "profile-alias-bomb": "bomb", "profile-not-yaml": "notyaml", "profile-unknown-rule": "unk"}


def build(directory: Path) -> list[Case]:
    directory.mkdir(parents=True, exist_ok=True)
    built = []
    for c in cases():
        c.path = c.build(directory)
        if c.name in PROFILE_STEMS:
            c.args = ("--profile", str(directory / f"{PROFILE_STEMS[c.name]}.yaml"))
        built.append(c)
    names = [c.name for c in built]
    assert len(names) == len(set(names)), "duplicate case names"
    return built


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
    for c in build(target):
        print(f"{c.name:32} {c.path}")
