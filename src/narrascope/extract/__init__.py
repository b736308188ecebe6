"""Extraction: a `RawDocument` (a page or pasted text) becomes the `Document` narrascope analyses.

Stages, one module each: `article` finds the article in the input (HTML extractors combined,
pasted text read line by line; `lead` puts back a lead the extractors left out; `metadata`,
`authors` and `published` choose an HTML page's title, authors and date), `furniture` and
`bylines`/`dates` recognise page furniture and bylines, `normalize`, `language` and `segment`
turn the article into one normalised text with its paragraphs, sentences and languages, and
`document` assembles the `Document`.
"""

from __future__ import annotations

from ..ingest import RawDocument
from ..model import Document
from ..settings import Settings
from .article import Extracted, extract
from .document import build_document
from .segment import split_paragraphs, split_sentences


def extract_document(raw: RawDocument, settings: Settings) -> Document:
    """The article in `raw` as a `Document` (no models run); `ExtractionError` when it has none."""
    return build_document(extract(raw, settings), raw)


__all__ = ["Extracted", "build_document", "extract", "extract_document", "split_paragraphs", "split_sentences"]
