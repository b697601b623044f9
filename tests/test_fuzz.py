"""Fuzzing in the default run (bounded examples): the value parser, the method parser, the JSON reader and
the workbook reader (random bytes and mutated real workbooks) never raise. The long harness is
`python -m tests.fuzz.harness` (tests/fuzz/README.md)."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.targets import json_target, method_target, mutate_zip, tmpdir, value_target, workbook_target
from tests.hostile.corpus import JSON_GOOD, XLSX_GOOD

# text made of what real cells hold: digits, Chinese numerals, operators, units, punctuation, odd Unicode
ALPHABET = st.sampled_from(list("0123456789.,%％-+−—/ ≥≤<>=＝万亿千百十一二三四五六七八九零两元人次分得扣每少于"
                                "以上下内达到不低于超过含（）()：:；;，、\n\t\u3000²①⑩\u200b\ufeff\ud7ff") + ["\x00", "\x1b"])
CELL_TEXT = st.one_of(st.text(ALPHABET, max_size=40), st.text(max_size=40))
DIR = tmpdir()
GOOD = json.loads(JSON_GOOD.read_text(encoding="utf-8"))
XLSX = XLSX_GOOD.read_bytes()
def FAST(n: int):
    return settings(max_examples=n, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FAST(800)
@given(CELL_TEXT)
def test_fuzz_value_parser(text):
    value_target(text)


@FAST(400)
@given(CELL_TEXT, CELL_TEXT, CELL_TEXT, st.floats(min_value=0, max_value=100, allow_nan=False))
def test_fuzz_method_parser(method, target, actual, weight):
    method_target(method, target, actual, weight)


@FAST(60)
@given(st.binary(max_size=2000))
def test_fuzz_json_reader_random_bytes(data):
    json_target(data, DIR)


JSONS = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), CELL_TEXT),
                     lambda kids: st.one_of(st.lists(kids, max_size=4), st.dictionaries(CELL_TEXT, kids, max_size=4)),
                     max_leaves=20)


@FAST(40)
@given(st.sampled_from(["unit", "year", "profile", "budget", "sections", "groups", "indicators", "statements", "id"]),
       JSONS)
def test_fuzz_json_reader_mutated_submission(key, value):
    doc = dict(GOOD)
    doc[key] = value
    json_target(json.dumps(doc, ensure_ascii=False, allow_nan=True).encode("utf-8", "surrogatepass"), DIR)


@FAST(25)
@given(st.binary(max_size=3000))
def test_fuzz_workbook_reader_random_bytes(data):
    workbook_target(b"PK\x03\x04" + data, DIR)


@FAST(25)
@given(st.sampled_from(["xl/worksheets/sheet3.xml", "xl/sharedStrings.xml", "xl/workbook.xml", "xl/styles.xml",
                        "[Content_Types].xml"]), st.integers(min_value=0, max_value=10**6), st.binary(min_size=1, max_size=64))
def test_fuzz_workbook_reader_mutated_workbook(member, pos, chunk):
    workbook_target(mutate_zip(XLSX, member, pos, chunk), DIR)


@FAST(20)
@given(st.integers(min_value=0, max_value=len(XLSX) - 1), st.binary(min_size=1, max_size=32))
def test_fuzz_workbook_reader_flipped_bytes(pos, chunk):
    workbook_target(XLSX[:pos] + chunk + XLSX[pos + len(chunk):], DIR)
