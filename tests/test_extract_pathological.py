"""Pathological inputs finish (the timeout guards against a hang; speed itself is measured by
benchmarks) and keep what they should: extraction, normalisation, segmentation and language ID
cost time linear in the input, and every cap says what it cut."""

from __future__ import annotations

import pytest

from narrascope.extract import extract_document
from narrascope.ingest import RawDocument
from narrascope.settings import Settings

MB = 1_000_000
pytestmark = pytest.mark.timeout(120)


def _document(content: str, kind: str = "text"):
    return extract_document(RawDocument(source="hostile", content=content, kind=kind), Settings())


def _cuts(document) -> dict[str, list]:
    found: dict[str, list] = {}
    for item in document.removed:
        found.setdefault(item.reason, []).append(item)
    return found


def test_one_huge_word_is_kept_up_to_the_text_limit():
    document = _document("a" * 2 * MB)
    assert document.text == "a" * Settings().max_text_chars
    (cut,) = _cuts(document)["over the max_text_chars limit"]
    assert (cut.start, cut.end) == (Settings().max_text_chars, 2 * MB)
    assert len(document.sentences) == 1


def test_millions_of_short_lines_are_cut_at_the_paragraph_limit():
    document = _document("ab\n" * (37 * MB // 30))
    assert len(document.paragraphs) == Settings().max_paragraphs
    assert document.text.split("\n") == ["ab"] * Settings().max_paragraphs
    assert {"over the max_text_chars limit", "over the max_paragraphs limit"} <= set(_cuts(document))


def test_a_run_of_combining_marks_is_kept():
    document = _document("Zalgo " + "e\u0301\u0302\u0303" * (MB // 2) + " text")
    assert document.text.startswith("Zalgo é\u0302\u0303é\u0302\u0303")  # NFC composes what it can
    assert len(document.text) > Settings().max_text_chars * 0.7  # 4 characters per letter -> 3 after NFC


def test_one_very_long_line_of_words_is_one_paragraph_with_its_sentences():
    document = _document("The minister spoke again today. " * (2 * MB // 32))
    assert len(document.paragraphs) == 1
    assert document.language.code == "en"
    assert len(document.sentences) > 10_000


def test_a_run_of_lowercase_led_sentences_joins_in_linear_time():
    document = _document("it was said. and so it went. " * 40_000)
    assert len(document.sentences) == 1  # every piece starts lowercase: one sentence, joined


def test_deeply_nested_html_keeps_its_text():
    depth = 200_000
    page = (
        "<html><body><p>Before the nest, a first paragraph of the article.</p>"
        + "<div>" * depth + "<p>Deep inside, the second paragraph stands.</p>" + "</div>" * depth
        + "<p>After the nest, the closing paragraph.</p></body></html>"
    )
    document = _document(page, kind="html")
    for passage in ("a first paragraph of the article", "the second paragraph stands", "the closing paragraph"):
        assert passage in document.text
