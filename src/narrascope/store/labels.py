"""An `Analysis` flattened into label records: what the store indexes and what CSV, Parquet and
the Spark job write, built in one place so all of them agree.

A label record is one genre, frame, paragraph technique, technique span, narrative,
subnarrative, entity role, claim or custom label (one of the user's own, from a taxonomy file:
its component is `custom:<taxonomy name>`, its version the file's version), with its score, its
evidence offsets when it has one, and the component (name and version) that produced it. An export row adds what makes it readable on
its own: the document's title, site, URL and date, the label's name, the quoted words of its
evidence, and for a role the entity's name. `COLUMNS` describes every export column; the data
dictionary in docs/exports.md is generated from it (`narrascope schema --export-columns`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..labelsets import display_name
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
    "custom",
)


@dataclass(frozen=True)
class Column:
    """One export column: its name, its type (string, integer, float) and what it holds."""

    name: str
    type: str
    description: str
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("document_id", "string", "the document's id: sha256 of its normalised text, 16 hex characters "
           "(`narrascope show ID` prints its analysis); inputs with the same text share it", required=True),
    Column("input_id", "string", "the id the input itself carried (a JSON Lines line's `id`), so rows join "
           "back to inputs; empty when it had none"),
    Column("source", "string", "where the input came from: a path, a URL, FILE.jsonl:LINE or "
           "ARCHIVE#record; every input keeps its own, also when its text is another's"),
    Column("url", "string", "the article's URL, when known"),
    Column("site", "string", "the site or outlet that published it, when known"),
    Column("language", "string", "ISO 639-1 code of the document's language; empty when undetermined"),
    Column("published", "string", "publication date or datetime, ISO 8601 as found; empty when unknown "
           "(never the day of analysis)"),
    Column("title", "string", "the article's title, when known"),
    Column("kind", "string", "what the row is: genre, frame, technique (in a paragraph), technique_span, "
           "narrative, subnarrative, entity_role or claim; empty for a document without labels"),
    Column("label", "string", "the label's id as the shared tasks write it (SemEval-2023 Task 3 genres, "
           "frames and techniques, SemEval-2025 Task 10 narratives and roles): e.g. Loaded_Language; "
           "'claim' for claims"),
    Column("name", "string", "the label as screens show it, e.g. Loaded Language (`narrascope labels`)"),
    Column("score", "float", "the label's confidence, 0-1 (calibrated probability): genre and frame "
           "probabilities, technique and narrative scores, the main role's score, the claim's "
           "check-worthiness"),
    Column("start", "integer", "start of the evidence: character offset into the document's normalised "
           "text (the analysis JSON's document.text), counted in Unicode code points from 0"),
    Column("end", "integer", "end of the evidence, exclusive: text[start:end] is the quoted words"),
    Column("paragraph", "integer", "index of the paragraph (from 0) the label was found in, for frames "
           "(the paragraph carrying it most) and techniques"),
    Column("text", "string", "the quoted words of the evidence (text[start:end]): the technique span, the "
           "narrative's or subnarrative's supporting sentence, the entity mention, the claim"),
    Column("entity", "string", "for entity_role rows: the entity's name (the mention may be a shorter "
           "or inflected form of it)"),
    Column("component", "string", "the component that produced the label"),
    Column("model_version", "string", "the component's version (its artifact)"),
)
DOCUMENT_COLUMNS = ("document_id", "input_id", "source", "url", "site", "language", "published", "title")
STORED_COLUMNS = ("kind", "label", "score", "start", "end", "paragraph", "component", "model_version")
EXPORT_COLUMNS = tuple(column.name for column in COLUMNS)


def label_records(analysis: Analysis) -> list[dict[str, Any]]:
    """Every label of the analysis as a flat record with the `STORED_COLUMNS` keys (the store's)."""
    return [{key: record[key] for key in STORED_COLUMNS} for record in _iter_labels(analysis)]


def export_records(analysis: Analysis) -> list[dict[str, Any]]:
    """One record per label with every `EXPORT_COLUMNS` key; a document without labels still
    gives one record, its label columns empty, so no document goes missing."""
    document = analysis.document
    columns = {
        "document_id": document.id,
        "input_id": document.input_id,  # the input's own id and source: rows join back to inputs
        "source": document.source,
        "url": document.url,
        "site": document.site,
        "language": document.language.code,
        "published": document.published,
        "title": document.title,
    }
    labels = list(_iter_labels(analysis)) or [dict.fromkeys(EXPORT_COLUMNS[len(DOCUMENT_COLUMNS):])]
    rows = []
    for label in labels:
        start, end = label["start"], label["end"]
        quoted = document.text[start:end] if start is not None and end is not None else None
        name = display_name(label["label"]) if label["label"] is not None else None
        rows.append({**columns, **label, "name": name, "text": quoted})
    return [{column: row.get(column) for column in EXPORT_COLUMNS} for row in rows]


def export_columns_markdown() -> str:
    """The data dictionary of CSV and Parquet exports (docs/exports.md)."""
    lines = [
        "# Export columns",
        "",
        "<!-- generated by `narrascope schema --export-columns` from narrascope.store.labels.COLUMNS; "
        "do not edit by hand -->",
        "",
        "`narrascope export --format csv|parquet`, the web Library's CSV and Parquet downloads and "
        "`narrascope spark` write one row per label with these columns, in this order. A "
        "document without labels still has one row, its label columns empty. `--format jsonl` writes "
        "each full analysis instead (`narrascope schema`).",
        "",
        "| column | Parquet type | always set | what it holds |",
        "|---|---|---|---|",
    ]
    arrow = {"string": "string", "integer": "int64", "float": "float64"}
    for column in COLUMNS:
        required = "yes" if column.required else ""
        lines.append(f"| `{column.name}` | {arrow[column.type]} | {required} | {column.description} |")
    return "\n".join(lines) + "\n"


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
                record = _record(results.entities.component, "entity_role", mention.main_role, score, mention)
                yield record | {"entity": entity.name}
    if results.claims:
        for claim in results.claims.claims:
            yield _record(results.claims.component, "claim", "claim", claim.score, claim)
    for custom in results.custom or []:
        source = ComponentInfo(name=f"custom:{custom.taxonomy.name}", version=custom.taxonomy.version)
        for label in custom.labels:
            if label.present:
                yield _record(source, "custom", label.label, label.score, label.evidence[0] if label.evidence else None)


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
        "entity": None,
        "component": component.name,
        "model_version": component.version,
    }
