"""The public calls: `analyze` one source, `analyze_many` a stream of them.

Every interface (CLI, web app, Spark job) is a thin layer over these two functions:
source -> ingest -> extract -> pipeline -> `Analysis`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence

from .components import DEFAULT_COMPONENTS
from .errors import InputError, NarrascopeError
from .extract import extract_document
from .ingest import Failure, RawDocument, iter_raw
from .model import Analysis, Document
from .pipeline import get_pipeline
from .settings import Settings

log = logging.getLogger(__name__)


def analyze(
    source: str,
    *,
    input_format: str | None = None,
    components: Sequence[str] = DEFAULT_COMPONENTS,
    settings: Settings | None = None,
) -> Analysis:
    """Analyse one article given as a URL, a file path, or the article text itself.

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
    return analyze_document(read_document(first, settings), components)


def analyze_many(
    sources: Iterable[str],
    *,
    input_format: str | None = None,
    components: Sequence[str] = DEFAULT_COMPONENTS,
    settings: Settings | None = None,
    on_failure: Callable[[Failure], None] | None = None,
    skip: Callable[[Document], bool] | None = None,
) -> Iterator[Analysis]:
    """Analyse every document in the sources (files, folders, JSONL, feeds, archives, URLs).

    A document that fails is handed to `on_failure` (logged when none is given) and the rest go on.
    A document for which `skip` returns True (say, one already stored) is extracted, not analysed.
    """
    settings = settings or Settings.from_env()
    report = on_failure or (lambda failure: log.warning("%s: %s", failure.source, failure.reason))
    for item in iter_raw(sources, input_format=input_format, settings=settings):
        if isinstance(item, Failure):
            report(item)
            continue
        try:
            document = read_document(item, settings)
            if skip is None or not skip(document):
                yield analyze_document(document, components)
        except NarrascopeError as exc:
            report(Failure(source=item.source, reason=str(exc)))


def read_document(raw: RawDocument, settings: Settings | None = None) -> Document:
    """Extract and segment one raw input into a `Document` (no models run)."""
    return extract_document(raw, settings or Settings.from_env())


def analyze_document(document: Document, components: Sequence[str] = DEFAULT_COMPONENTS) -> Analysis:
    return get_pipeline(tuple(components))(document)


def _short(source: str, limit: int = 80) -> str:
    one_line = " ".join(source.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"
