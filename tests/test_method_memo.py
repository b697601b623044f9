"""`parse_method`'s memo by method text outlives `batch.clear_memos` (a template's methods repeat in every
chunk of a batch) and bounds itself."""

from __future__ import annotations

from budget_audit.batch import clear_memos
from budget_audit.parse.methods import parse as P
from budget_audit.parse.methods import parse_method


def test_the_memo_is_kept_across_chunks():
    text = "达到90%得1.5分,未达到根据完成度得分"
    first = parse_method(text)
    clear_memos()
    assert parse_method(text) is first          # not parsed again after a chunk
    assert first == P._parse_method(text)       # and what a fresh parse gives


def test_the_memo_is_bounded_and_results_do_not_depend_on_it(monkeypatch):
    monkeypatch.setattr(P, "METHOD_MEMO_MAX", 5)
    monkeypatch.setattr(P, "_METHOD_MEMO", {})
    texts = [f"达到{90 + i}%得{i}分,未达到不得分" for i in range(12)] + [None, "", "酌情评分"]
    for t in texts:
        assert parse_method(t) == P._parse_method(t)
        assert len(P._METHOD_MEMO) <= 5
    assert parse_method(texts[0]).kind == P._parse_method(texts[0]).kind != "unknown"


def test_only_texts_are_memoised():
    """1, 1.0 and True are one dict key: a memo keyed by the value would give the second the first's text."""
    got = [parse_method(x).text for x in (True, 1, 1.0)]
    assert got == [P._parse_method(True).text, P._parse_method(1).text, P._parse_method(1.0).text]
    assert got == ["True", "1", "1.0"]

