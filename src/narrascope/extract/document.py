"""From an extraction to the `Document` the pipeline reads: one normalised text (title on the
first line), its paragraphs, sentences and languages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Document
from .language import assign_languages
from .normalize import compose_text, one_line
from .segment import split_paragraphs, split_sentences

if TYPE_CHECKING:
    from ..ingest import RawDocument
    from .article import Extracted


def build_document(extracted: Extracted, raw: RawDocument) -> Document:
    """Normalise, segment and language-tag an extraction into the `Document` the pipeline reads."""
    text = compose_text(extracted.title, extracted.text)
    paragraphs = split_paragraphs(text)
    language, mixed = assign_languages(text, paragraphs)
    return Document(
        id=Document.content_id(text),
        source=raw.source,
        input_id=raw.id,  # the input's own id: outputs join back to inputs
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
