"""Paragraphs and sentences as exact `[start, end)` spans into the normalised text.

Paragraphs are lines, as in the training corpora. Sentences come from sentencex (Wikimedia's
rule-based segmenter: abbreviation lists for ~300 languages, character offsets, fast Rust core);
pysbd lacks Portuguese, Ukrainian and Georgian and is much slower. Two repairs follow its
boundaries, see `_needs_join`.
"""

from __future__ import annotations

import sentencex

from ..model import Paragraph, Sentence


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink `[start, end)` so it neither begins nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_paragraphs(text: str) -> list[Paragraph]:
    """One paragraph per non-empty line (the corpora's convention), without its whitespace."""
    paragraphs: list[Paragraph] = []
    offset = 0
    for line in text.split("\n"):
        start, end = _strip_span(text, offset, offset + len(line))
        if start < end:
            paragraphs.append(Paragraph(start=start, end=end))
        offset += len(line) + 1
    return paragraphs


JOIN_TAIL_CHARS = 3  # " M.": enough to tell a single-letter initial from a longer last word


def _is_cased_lower(char: str) -> bool:
    # Latin, Greek, Cyrillic and Armenian sit below U+0590; Georgian Mkhedruli counts as
    # lowercase for Unicode but is written without case, so it must not trigger a join.
    return char.islower() and ord(char) < 0x0590


def _needs_join(previous: str, following: str) -> bool:
    """Repairs for sentencex boundaries that cut inside a sentence: the next piece starts in
    lowercase ("т.е. подтвердил", "2024 r. do pracy", "Wait... and see"), or the previous piece
    ends in a single-letter initial ("M. Dupont", "J. Smith")."""
    first_letter = next((ch for ch in following if ch.isalnum()), "")
    if first_letter and _is_cased_lower(first_letter):
        return True
    last_word = previous.rsplit(maxsplit=1)[-1] if previous.strip() else ""
    return len(last_word) == 2 and last_word[0].isupper() and last_word[1] == "."


def split_sentences(text: str, paragraphs: list[Paragraph], language_code: str | None) -> list[Sentence]:
    """Sentences within each paragraph (a paragraph's own language wins over `language_code`)."""
    sentences: list[Sentence] = []
    for index, paragraph in enumerate(paragraphs):
        own = paragraph.language.code if paragraph.language else None
        language = own or language_code or "en"
        body = text[paragraph.start : paragraph.end]
        pieces: list[tuple[int, int]] = []
        for boundary in sentencex.get_sentence_boundaries(language, body):
            start, end = _strip_span(body, boundary["start_index"], boundary["end_index"])
            if start == end:
                continue
            # only the previous piece's last word matters: a bounded tail keeps a run of joins linear
            tail = body[max(pieces[-1][0], pieces[-1][1] - JOIN_TAIL_CHARS) : pieces[-1][1]] if pieces else ""
            if pieces and _needs_join(tail, body[start:end]):
                pieces[-1] = (pieces[-1][0], end)
            else:
                pieces.append((start, end))
        if not pieces:  # sentencex found nothing (e.g. symbols only): the paragraph is one
            pieces = [(0, len(body))]
        sentences.extend(
            Sentence(start=paragraph.start + start, end=paragraph.start + end, paragraph=index)
            for start, end in pieces
        )
    return sentences
