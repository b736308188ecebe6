"""The public calls: `analyze` one source, `analyze_many` a stream of them.

Every interface (CLI, web app, Spark job) is a thin layer over these calls:
source -> ingest -> extract -> pipeline -> `Analysis`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from .components import DEFAULT_COMPONENTS, Component
from .components.custom import Recipe, from_recipes, recipe
from .components.custom_examples import DocumentLookup
from .components.genre import genre_at_mix
from .errors import InputError
from .ingest import Failure, RawDocument, Skipped, iter_raw
from .model import Analysis, Document
from .pipeline import analyze_document, read_document
from .pool import AnalyserPool
from .settings import Settings
from .user_taxonomy import UserTaxonomy
from .worker import InProcessAnalyser, Outcome

Taxonomies = Sequence[str | Path | UserTaxonomy]

log = logging.getLogger(__name__)

__all__ = ["analyze", "analyze_many", "analyze_document", "custom_components", "custom_recipes", "read_document"]


def analyze(
    source: str,
    *,
    input_format: str | None = None,
    components: Sequence[str] = DEFAULT_COMPONENTS,
    settings: Settings | None = None,
    taxonomies: Taxonomies = (),
    genre_mix: Mapping[str, float] | None = None,
) -> Analysis:
    """Analyse one article given as a URL, a file path, or the article text itself. Each taxonomy
    file given (path or loaded `UserTaxonomy`) adds a result to `results.custom`. With
    `genre_mix` (each genre's share of the collection the article comes from), its genre is
    decided at that mix instead of the training articles' (`components.genre.genre_at_mix`).

    Raises `InputError` (with a message naming the input) when it cannot be read, and when the
    source holds more than one document (use `analyze_many` for folders, feeds and archives).
    Runs in this process, with no time budget.
    """
    settings = settings or Settings.from_env()
    read = iter_raw([source], input_format=input_format, settings=settings, literal_text=True)
    items = (item for item in read if not isinstance(item, Skipped))
    first = next(items, None)
    if first is None:
        raise InputError(f"{_short(source)}: no document found")
    if next(items, None) is not None:
        raise InputError(f"{_short(source)}: holds several documents; use analyze_many")
    if isinstance(first, Failure):
        raise InputError(first.reason)
    decide_genre = genre_at_mix(genre_mix)  # a bad mix stops here, before the analysis
    return decide_genre(analyze_document(read_document(first, settings), components, custom_components(taxonomies)))


def analyze_many(
    sources: Iterable[str],
    *,
    input_format: str | None = None,
    components: Sequence[str] = DEFAULT_COMPONENTS,
    settings: Settings | None = None,
    on_failure: Callable[[Failure], None] | None = None,
    on_skipped: Callable[[Skipped], None] | None = None,
    skip: Callable[[Document], bool] | None = None,
    known_failure: Callable[[RawDocument], Failure | None] | None = None,
    taxonomies: Taxonomies = (),
    documents: DocumentLookup | None = None,
    genre_mix: Mapping[str, float] | None = None,
) -> Iterator[Analysis]:
    """Analyse every document in the sources (files, folders, JSONL, feeds, archives, URLs).

    Whatever one input does (unreadable, any exception, over `settings.document_timeout`, a
    crash), it is handed to `on_failure` (logged when none is given) and the rest go on; inputs
    not read on purpose (archives, other file types in a folder) go to `on_skipped`. Each document
    is analysed in a child process that is stopped at the time budget (see `narrascope.worker`);
    `settings.batch_workers` children work side by side (see `narrascope.pool`), and analyses
    come out in input order.

    A document for which `skip` returns True (say, one already stored) is extracted, not analysed;
    `skip` sees it with the id its analysis would carry (`pipeline.as_analysed`).
    `known_failure` may return the failure an unchanged input had before (say, a timeout), to be
    reported again instead of paid for again. `documents` looks up stored documents that taxonomy
    files name as examples. With `genre_mix`, every genre is decided at that collection mix (see
    `analyze`).
    """
    settings = settings or Settings.from_env()
    custom = custom_recipes(taxonomies, documents)  # a bad file stops the run before any document is read
    decide_genre = genre_at_mix(genre_mix)
    report = on_failure or (lambda failure: log.warning("%s", failure.reason))
    passed = on_skipped or (lambda item: log.info("%s", item.reason))

    def analysable() -> Iterator[RawDocument]:
        """The inputs to analyse; what is skipped, failed already, or failed before is reported."""
        for item in iter_raw(sources, input_format=input_format, settings=settings):
            if isinstance(item, Skipped):
                passed(item)
            elif isinstance(item, Failure):
                report(item)
            elif known_failure is not None and (earlier := known_failure(item)) is not None:
                report(earlier)
            else:
                yield item

    if settings.document_timeout > 0:
        with AnalyserPool(settings, components) as pool:
            yield from map(decide_genre, _delivered(pool.run_all(analysable(), components, skip, custom), report))
    else:
        analyser = InProcessAnalyser(settings)
        outcomes = (analyser.run(item, components, skip, custom=custom) for item in analysable())
        yield from map(decide_genre, _delivered(outcomes, report))


def _delivered(outcomes: Iterable[Outcome], report: Callable[[Failure], None]) -> Iterator[Analysis]:
    for outcome in outcomes:
        if isinstance(outcome, Failure):
            report(outcome)
        elif outcome is not None:
            yield outcome


def custom_components(taxonomies: Taxonomies, documents: DocumentLookup | None = None) -> tuple[Component, ...]:
    """The scorer of each taxonomy file (read, validated, its examples embedded and heads fitted
    once); `TaxonomyError` lists a bad file's problems before any document is read."""
    return from_recipes(custom_recipes(taxonomies, documents))


def custom_recipes(taxonomies: Taxonomies, documents: DocumentLookup | None = None) -> tuple[Recipe, ...]:
    """Each taxonomy file read, validated and its examples read, for the process that analyses
    to build its scorer (`components.custom.recipe`)."""
    from .user_taxonomy import load

    return tuple(recipe(t if isinstance(t, UserTaxonomy) else load(t), documents) for t in taxonomies)


def _short(source: str, limit: int = 80) -> str:
    one_line = " ".join(source.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"
