"""The public calls: `analyze` one source, `analyze_many` a stream of them.

Every interface (CLI, web app, Spark job) is a thin layer over these two functions:
source -> ingest -> extract -> pipeline -> `Analysis`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from .components import DEFAULT_COMPONENTS, Component
from .errors import InputError, NarrascopeError
from .extract import extract_document
from .ingest import Failure, RawDocument, iter_raw
from .model import Analysis, Document
from .pipeline import get_pipeline
from .settings import Settings
from .user_taxonomy import UserTaxonomy

Taxonomies = Sequence[str | Path | UserTaxonomy]

log = logging.getLogger(__name__)


def analyze(
    source: str,
    *,
    input_format: str | None = None,
    components: Sequence[str] = DEFAULT_COMPONENTS,
    settings: Settings | None = None,
    taxonomies: Taxonomies = (),
) -> Analysis:
    """Analyse one article given as a URL, a file path, or the article text itself. Each taxonomy
    file given (path or loaded `UserTaxonomy`) adds a result to `results.custom`.

    Raises `InputError` (with a message naming the input) when it cannot be read, and when the
    source holds more than one document (use `analyze_many` for folders, feeds and archives).
    """
    settings = settings or Settings.from_env()
    items = iter_raw([source], input_format=input_format, settings=settings, literal_text=True)
    first = next(items, None)
    if first is None:
        raise InputError(f"{_short(source)}: no document found")
    if next(items, None) is not None:
        raise InputError(f"{_short(source)}: holds several documents; use analyze_many")
    if isinstance(first, Failure):
        raise InputError(first.reason)
    return analyze_document(read_document(first, settings), components, custom_components(taxonomies))


def analyze_many(
    sources: Iterable[str],
    *,
    input_format: str | None = None,
    components: Sequence[str] = DEFAULT_COMPONENTS,
    settings: Settings | None = None,
    on_failure: Callable[[Failure], None] | None = None,
    skip: Callable[[Document], bool] | None = None,
    taxonomies: Taxonomies = (),
    documents: Callable[[str], Document | None] | None = None,
) -> Iterator[Analysis]:
    """Analyse every document in the sources (files, folders, JSONL, feeds, archives, URLs).

    A document that fails is handed to `on_failure` (logged when none is given) and the rest go on.
    A document for which `skip` returns True (say, one already stored) is extracted, not analysed.
    `documents` looks up stored documents that taxonomy files name as examples.
    """
    settings = settings or Settings.from_env()
    custom = custom_components(taxonomies, documents)
    report = on_failure or (lambda failure: log.warning("%s: %s", failure.source, failure.reason))
    for item in iter_raw(sources, input_format=input_format, settings=settings):
        if isinstance(item, Failure):
            report(item)
            continue
        try:
            document = read_document(item, settings)
            if skip is None or not skip(document):
                yield analyze_document(document, components, custom)
        except NarrascopeError as exc:
            report(Failure(source=item.source, reason=str(exc)))


def read_document(raw: RawDocument, settings: Settings | None = None) -> Document:
    """Extract and segment one raw input into a `Document` (no models run)."""
    return extract_document(raw, settings or Settings.from_env())


def analyze_document(
    document: Document, components: Sequence[str] = DEFAULT_COMPONENTS, custom: Sequence[Component] = ()
) -> Analysis:
    return get_pipeline(tuple(components), tuple(custom))(document)


def custom_components(
    taxonomies: Taxonomies, documents: Callable[[str], Document | None] | None = None
) -> tuple[Component, ...]:
    """The scorer of each taxonomy file (read, validated, its examples embedded and heads fitted
    once); `TaxonomyError` lists a bad file's problems before any document is read."""
    from .components.custom import create_custom
    from .user_taxonomy import load

    loaded = [t if isinstance(t, UserTaxonomy) else load(t) for t in taxonomies]
    return tuple(create_custom(taxonomy, documents) for taxonomy in loaded)


def _short(source: str, limit: int = 80) -> str:
    one_line = " ".join(source.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"
