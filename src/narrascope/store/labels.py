"""An `Analysis` flattened into label records: what the store indexes and what CSV, Parquet and
the Spark job write, built in one place so all of them agree.

A label record is one genre, frame, paragraph technique, technique span, narrative,
subnarrative, entity role or claim, with its score, its evidence offsets when it has one, and
the component (name and version) that produced it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..model import Analysis, ComponentInfo, Span

LABEL_KINDS = (
    "genre",
    "frame",
    "technique",
    "technique_span",
    "narrative",
    "subnarrative",
    "entity_role",
    "claim",
)
DOCUMENT_COLUMNS = ("document_id", "url", "site", "language", "published", "title")
LABEL_COLUMNS = ("kind", "label", "score", "start", "end", "paragraph", "component", "model_version")
EXPORT_COLUMNS = DOCUMENT_COLUMNS + LABEL_COLUMNS


def label_records(analysis: Analysis) -> list[dict[str, Any]]:
    """Every label of the analysis as a flat record with the `LABEL_COLUMNS` keys."""
    return list(_iter_labels(analysis))


def export_records(analysis: Analysis) -> list[dict[str, Any]]:
    """One record per label with the document's columns (`EXPORT_COLUMNS`); a document without
    labels still gives one record, its label columns empty, so no document goes missing."""
    document = analysis.document
    columns = {
        "document_id": document.id,
        "url": document.url,
        "site": document.site,
        "language": document.language.code,
        "published": document.published,
        "title": document.title,
    }
    labels = label_records(analysis) or [dict.fromkeys(LABEL_COLUMNS)]
    return [columns | label for label in labels]


def _iter_labels(analysis: Analysis) -> Iterator[dict[str, Any]]:
    results = analysis.results
    if results.genre:
        genre = results.genre
        yield _record(genre.component, "genre", genre.label, genre.probabilities.get(genre.label))
    if results.frames:
        for frame in results.frames.labels:
            paragraph = frame.paragraphs[0] if frame.paragraphs else None
            yield _record(results.frames.component, "frame", frame.label, frame.score, paragraph=paragraph)
    if results.techniques:
        component = results.techniques.component
        for group in results.techniques.paragraphs:
            for technique in group.labels:
                yield _record(component, "technique", technique.label, technique.score, paragraph=group.paragraph)
        for span in results.techniques.spans:
            yield _record(component, "technique_span", span.label, span.score, span, span.paragraph)
    if results.narratives:
        component = results.narratives.component
        for kind, labels in (
            ("narrative", results.narratives.narratives),
            ("subnarrative", results.narratives.subnarratives),
        ):
            for narrative in labels:
                evidence = narrative.evidence[0] if narrative.evidence else None
                yield _record(component, kind, narrative.label, narrative.score, evidence)
    if results.entities:
        for entity in results.entities.entities:
            for mention in entity.mentions:
                score = mention.main_role_scores.get(mention.main_role)
                yield _record(results.entities.component, "entity_role", mention.main_role, score, mention)
    if results.claims:
        for claim in results.claims.claims:
            yield _record(results.claims.component, "claim", "claim", claim.score, claim)


def _record(
    component: ComponentInfo,
    kind: str,
    label: str,
    score: float | None,
    span: Span | None = None,
    paragraph: int | None = None,
) -> dict[str, Any]:
    return {
        "kind": kind,
        "label": label,
        "score": score,
        "start": span.start if span else None,
        "end": span.end if span else None,
        "paragraph": paragraph,
        "component": component.name,
        "model_version": component.version,
    }
