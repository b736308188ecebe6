"""A taxonomy file's examples as sentences: written out, read from article files, or from
documents in the store (`resolve_examples`), for `custom.CustomNarratives` to fit its heads on.

An example article (a file, each article of a folder, a stored document) stands for its label
through its few sentences closest to the label's description; an article listed among the
file-wide negatives pushes none of the labels, so all its sentences are negatives of every label.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..encoder import get_encoder
from ..errors import InputError
from ..model import Document
from ..user_taxonomy import ExampleRef, UserTaxonomy
from .narratives import evidence_units

ARTICLE_EXAMPLE_SENTENCES = 3  # sentences an example article contributes: those closest to the label
NONE_ARTICLE_SENTENCES = 100  # sentences a file-wide negative article contributes at most, from its start
MAX_FOLDER_ARTICLES = 2000  # articles a folder of examples may hold
DocumentLookup = Callable[[str], Document | None]


@dataclass(frozen=True)
class Examples:
    """A taxonomy's examples as sentences: what each label is and is not (by label id), and what
    pushes none of the labels (the file-wide negatives)."""

    positive: dict[str, list[str]] = field(default_factory=dict)
    negative: dict[str, list[str]] = field(default_factory=dict)
    pushing_none: list[str] = field(default_factory=list)


def resolve_examples(taxonomy: UserTaxonomy, documents: DocumentLookup | None = None) -> Examples:
    """The sentences of every example. An article (a file, or a stored document) gives its
    `ARTICLE_EXAMPLE_SENTENCES` sentences closest to the label's description; a file-wide
    negative article, all its sentences (up to `NONE_ARTICLE_SENTENCES`)."""
    positive: dict[str, list[str]] = {}
    negative: dict[str, list[str]] = {}
    for label in taxonomy.labels:
        query = f"{label.name}. {label.description}"
        positive[label.id] = [t for ref in label.examples for t in _sentences(ref, taxonomy, query, documents)]
        negative[label.id] = [t for ref in label.negatives for t in _sentences(ref, taxonomy, query, documents)]
    pushing_none = [t for ref in taxonomy.negatives for t in _sentences(ref, taxonomy, None, documents)]
    return Examples(positive, negative, list(dict.fromkeys(pushing_none)))


def _sentences(ref: ExampleRef, taxonomy: UserTaxonomy, query: str | None,
               documents: DocumentLookup | None) -> list[str]:
    """The sentences `ref` gives: itself, or each of its articles' closest to `query` (all, without one)."""
    if ref.text is not None:
        return [ref.text]
    sentences: list[str] = []
    for document in _articles(ref, taxonomy, documents):
        sentences += pushing_none_sentences(document) if query is None else _closest(_units(document), query)
    return sentences


def pushing_none_sentences(document: Document) -> list[str]:
    """What an article listed as pushing none of the labels gives: its first `NONE_ARTICLE_SENTENCES`."""
    return _units(document)[:NONE_ARTICLE_SENTENCES]


def _units(document: Document) -> list[str]:
    return [document.text[u.start : u.end] for u in evidence_units(document)]


def _articles(ref: ExampleRef, taxonomy: UserTaxonomy, documents: DocumentLookup | None) -> list[Document]:
    where = f"{taxonomy.path}:{ref.line}"
    folder = Path(taxonomy.path or ".").parent
    if ref.file is not None:
        return read_articles(folder / ref.file, where, 1)
    if ref.folder is not None:
        return read_articles(folder / ref.folder, where, MAX_FOLDER_ARTICLES)
    document = documents(ref.document) if documents is not None else None
    if document is None:
        raise InputError(f"{where}: example document {ref.document} is not in the store"
                         + ("" if documents else " (give --store to read it)"))
    return [document]


def _closest(sentences: list[str], query: str) -> list[str]:
    if len(sentences) <= ARTICLE_EXAMPLE_SENTENCES:
        return sentences
    encoder = get_encoder()
    closeness = encoder.encode(sentences) @ encoder.encode([query], query=True)[0]
    best = sorted(np.argsort(-closeness, kind="stable")[:ARTICLE_EXAMPLE_SENTENCES])
    return [sentences[i] for i in best]


def read_articles(path: Path, where: str, most: int) -> list[Document]:
    """The articles of an example file or folder, read as `narrascope analyze` reads them (text,
    HTML, JSON Lines...); one that cannot be read is an error naming it, not a silent gap."""
    from ..extract import extract_document
    from ..ingest import Failure, RawDocument, iter_raw
    from ..settings import Settings

    settings = Settings.from_env()
    articles: list[Document] = []
    for item in iter_raw([str(path)], settings=settings):
        if isinstance(item, Failure):
            raise InputError(f"{where}: example {item.source}: {item.reason}")
        if isinstance(item, RawDocument):
            articles.append(extract_document(item, settings))
        if len(articles) > most:
            raise InputError(f"{where}: {path} holds more than {most} article(s)"
                             + ("" if most == 1 else "; list a sample of them"))
    if not articles:
        raise InputError(f"{where}: no article in {path}")
    return articles
