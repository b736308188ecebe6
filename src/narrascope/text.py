"""From extracted text to a `Document`: one normalised text, its paragraphs, sentences and
languages, every piece an exact `[start, end)` span into that text.

Paragraphs are lines, as in the training corpora. Sentences come from sentencex (Wikimedia's
rule-based segmenter: abbreviation lists for ~300 languages, character offsets, fast Rust core);
pysbd lacks Portuguese, Ukrainian and Georgian and is much slower. Two repairs follow its
boundaries, see `_needs_join`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from functools import cache
from typing import TYPE_CHECKING

import sentencex
from lingua import IsoCode639_1, LanguageDetector, LanguageDetectorBuilder

from .model import Document, Language, Paragraph, Sentence

if TYPE_CHECKING:  # extract imports `normalize` from here
    from .extract import Extracted
    from .ingest import RawDocument

# The languages of the training corpora and of the outlets users monitor, plus a few neighbours
# so that Dutch or Romanian text is not forced into a wrong label. A closed set keeps lingua fast
# and accurate; every language listed costs ~40 ms of model loading once per process.
DETECTED_LANGUAGES = (
    "en fr de it pl ru bg pt hi es el ka uk "  # required
    "nl ro cs tr ar"  # neighbours and frequent news languages
).split()

SHORT_PARAGRAPH_LETTERS = 40  # fewer letters than this: inherit the document's language
SHORT_TEXT_CHARS = 120  # below this, lingua's high-accuracy mode is worth its loading time
DETECTION_SAMPLE_CHARS = 200  # lingua is linear in length; a paragraph's head is plenty
MIXED_LANGUAGE_SHARE = 0.2  # other languages over this share of the text flag the document
MIXED_LANGUAGE_MIN_CHARS = 100

_LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x85\x0b\x0c]")
_INVISIBLE = re.compile(r"[\u00ad\u200b\u2060\ufeff\x00-\x08\x0e-\x1f\x7f]")
_ODD_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_SPACE_RUNS = re.compile(r" {2,}")
_BLANK_RUNS = re.compile(r"\n{3,}")


def normalize(text: str) -> str:
    """One canonical form: LF line ends, NFC, plain spaces, no invisible characters, lines
    stripped, at most one blank line in a row, no blank lines at either end. Idempotent."""
    text = _LINE_BREAKS.sub("\n", text)
    text = _INVISIBLE.sub("", text)  # before NFC, so removal cannot expose uncomposed marks
    text = unicodedata.normalize("NFC", text)  # note: maps the Greek question mark to ";"
    text = _SPACE_RUNS.sub(" ", _ODD_SPACES.sub(" ", text))
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", text).strip()


@cache
def _detector(high_accuracy: bool) -> LanguageDetector:
    """Built once per process, models loaded lazily (only those of the scripts seen). Low-accuracy
    mode (trigrams) loads in ~0.7 s instead of ~7 s and, measured on 150 paragraphs of 40+
    letters per corpus language, is as accurate (98.7-100 %); short texts need the full mode."""
    builder = LanguageDetectorBuilder.from_iso_codes_639_1(
        *(getattr(IsoCode639_1, code.upper()) for code in DETECTED_LANGUAGES)
    )
    return builder.build() if high_accuracy else builder.with_low_accuracy_mode().build()


def _letters(text: str) -> int:
    return sum(map(str.isalpha, text))


def detect_language(text: str, *, high_accuracy: bool | None = None) -> Language:
    """The most likely language of `text` with lingua's confidence; code None without letters.
    High-accuracy mode is used for short texts unless `high_accuracy` says otherwise."""
    if not any(ch.isalpha() for ch in text):
        return Language(code=None, confidence=0.0)
    if high_accuracy is None:
        high_accuracy = len(text) < SHORT_TEXT_CHARS
    ranked = _detector(high_accuracy).compute_language_confidence_values(text[:DETECTION_SAMPLE_CHARS])
    best = ranked[0]
    return Language(
        code=best.language.iso_code_639_1.name.lower(),
        confidence=round(min(max(best.value, 0.0), 1.0), 4),
    )


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
            if pieces and _needs_join(body[pieces[-1][0] : pieces[-1][1]], body[start:end]):
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


def _assign_languages(text: str, paragraphs: list[Paragraph]) -> tuple[Language, bool]:
    """Detect each paragraph long enough to tell; the document takes the language covering most
    text; short paragraphs inherit it. Returns the document language and the mixed flag."""
    chars_by_language: dict[str, int] = defaultdict(int)
    confidence_by_language: dict[str, float] = defaultdict(float)
    detected: dict[int, Language] = {}
    for index, paragraph in enumerate(paragraphs):
        body = text[paragraph.start : paragraph.end]
        if _letters(body[:DETECTION_SAMPLE_CHARS]) < SHORT_PARAGRAPH_LETTERS:
            continue
        language = detect_language(body, high_accuracy=False)
        if language.code is None:
            continue
        detected[index] = language
        chars_by_language[language.code] += len(body)
        confidence_by_language[language.code] += len(body) * language.confidence
    if not chars_by_language:  # only short lines: judge them together
        document_language = detect_language(text)
    else:
        code = max(chars_by_language, key=chars_by_language.__getitem__)
        total = sum(chars_by_language.values())
        document_language = Language(code=code, confidence=round(confidence_by_language[code] / total, 4))
    for index, paragraph in enumerate(paragraphs):
        paragraph.language = detected.get(index, document_language)
    total = sum(chars_by_language.values())
    minority = total - chars_by_language.get(document_language.code or "", 0)
    mixed = minority >= MIXED_LANGUAGE_MIN_CHARS and minority / max(total, 1) >= MIXED_LANGUAGE_SHARE
    return document_language, mixed


def compose_text(title: str | None, body: str) -> str:
    """The analysed text: title on the first line, a blank line, then the body, the layout of
    the training corpora (headlines carry much of an article's persuasion)."""
    title = one_line(title or "")
    body = normalize(body)
    if not title or body.split("\n", 1)[0] == title:
        return body
    return f"{title}\n\n{body}"


def one_line(text: str) -> str:
    """`normalize` for a title or name: a single line."""
    return " ".join(normalize(text).split())


def build_document(extracted: Extracted, raw: RawDocument) -> Document:
    """Normalise, segment and language-tag an extraction into the `Document` the pipeline reads."""
    text = compose_text(extracted.title, extracted.text)
    paragraphs = split_paragraphs(text)
    language, mixed = _assign_languages(text, paragraphs)
    return Document(
        id=Document.content_id(text),
        source=raw.source,
        url=raw.url,
        title=one_line(extracted.title or "") or None,
        authors=extracted.authors,
        published=extracted.published,
        site=extracted.site,
        language=language,
        text=text,
        paragraphs=paragraphs,
        sentences=split_sentences(text, paragraphs, language.code),
        mixed_language=mixed,
        removed=extracted.removed,
    )
