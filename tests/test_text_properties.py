"""Offsets hold for any input: every paragraph and sentence slices back to its own text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from narrascope.extract.normalize import normalize
from narrascope.extract.segment import split_paragraphs, split_sentences

PIECES = st.sampled_from(
    [" ", "\r\n", "\r", "\n", "\u00a0", "\u202f", "\t", ". ", "? ", "! ", "...", "।", ";", "«", "»", '"',
     "\u0301", "\u0308", "e\u0301", "👍🏽", "👨‍👩‍👧", "\u200b", "\ufeff", "Mr.", "т.е.", "3.5", "A.", "z.B."]
)
TEXT = st.lists(st.one_of(st.text(max_size=12), PIECES), max_size=40).map("".join)


def _check_spans(text: str, language: str) -> None:
    paragraphs = split_paragraphs(text)
    sentences = split_sentences(text, paragraphs, language)
    previous_end = 0
    for paragraph in paragraphs:
        body = text[paragraph.start : paragraph.end]
        assert 0 <= paragraph.start < paragraph.end <= len(text)
        assert paragraph.start >= previous_end
        assert body == body.strip() and "\n" not in body
        previous_end = paragraph.end
    previous_end = 0
    for sentence in sentences:
        paragraph = paragraphs[sentence.paragraph]
        assert paragraph.start <= sentence.start < sentence.end <= paragraph.end
        assert sentence.start >= previous_end
        piece = text[sentence.start : sentence.end]
        assert piece == piece.strip()
        previous_end = sentence.end
    covered = {s.paragraph for s in sentences}
    assert covered == set(range(len(paragraphs)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.sampled_from(["en", "ru", "hi", "el", "ka", "fr"]))
def test_spans_slice_back_on_raw_and_normalised_text(text, language):
    _check_spans(text, language)
    _check_spans(normalize(text), language)


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_normalize_is_idempotent_and_clean(text):
    once = normalize(text)
    assert normalize(once) == once
    assert "\r" not in once and "\u00a0" not in once and "\n\n\n" not in once
    assert all(line == line.strip() for line in once.split("\n"))
