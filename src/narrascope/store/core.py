"""The store: analyses kept by document id, queried by site, language, date, label and text.

Each document is one row holding its full analysis JSON, plus its labels flattened into the
`labels` table for querying. Saving is an upsert in one transaction (the document row, then its
labels deleted and re-inserted), so re-analysing an article updates it and a killed batch never
leaves half a document behind. One analysis is kept per text; every input that gave that text is
linked to it (`document_sources`, with the input's own id), so exports carry each input's identity.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ..labelsets import resolve_label
from ..model import Analysis, Document
from ..settings import Settings
from . import database
from .dates import published_day
from .filters import Filters, conditions
from .jobs import JobStore
from .labels import label_records
from .tables import DocumentSourceTable, DocumentTable, FailureTable, LabelTable, UnitVectorTable
from .trends import Trends, count_trends
from .units import unit_row

if TYPE_CHECKING:
    from ..ingest import Failure

TOP_LABEL_KINDS = ("custom", "narrative", "subnarrative", "technique", "technique_span", "frame")
_BATCH = 200
_UNIT_BATCH = 2000
_Link = tuple[str, str | None, str | None]  # source, url, input id


@dataclass(frozen=True)
class FailureRecord:
    source: str
    reason: str
    at: datetime
    input_id: str | None = None
    kind: str = "input"  # input, timeout, memory, crash, internal (see `ingest.Failure`)
    input_hash: str | None = None


@dataclass(frozen=True)
class DocumentRow:
    id: str
    title: str | None
    site: str | None
    url: str | None
    language: str | None
    published: str | None
    analysed_at: datetime
    genre: str | None
    top_labels: list[str]


def open_store(url: str | None = None, *, create: bool = True) -> "Store":
    """Open the store at `url` (default `Settings.store_url`), migrating it as needed. With
    `create`, a missing store is made; without (read-only commands), it is a `StoreError`."""
    return Store(url or Settings.from_env().store_url, create=create)


def source_key(source: str) -> str:
    """The key of a source's link to its document (a URL can outgrow an index entry)."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


class Store:
    def __init__(self, url: str, create: bool = True):
        self.url = database.display(url)
        self.engine = database.create_engine(url, create=create)
        try:
            if not create:
                database.require_store(self.engine)
            database.migrate(self.engine)
        except BaseException:
            self.engine.dispose()
            raise
        self.jobs = JobStore(self.engine)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    # --- writing ------------------------------------------------------------------------

    def save(self, analysis: Analysis) -> None:
        """Store the analysis, replacing any earlier one of the same document, and link its source
        to it, in one transaction; a failure recorded for its source is cleared."""
        document = analysis.document
        now = datetime.now(timezone.utc)
        units = unit_row(analysis)
        with database.write_transaction(self.engine) as connection:
            first_seen = connection.scalar(
                sa.select(DocumentTable.analysed_at).where(DocumentTable.id == document.id)
            )
            first_seen = database.utc(first_seen) if first_seen else now
            row = {
                "id": document.id,
                "source": document.source,
                "url": document.url,
                "site": document.site,
                "language": document.language.code,
                "title": document.title,
                "published": document.published,
                "day": published_day(document.published) or first_seen.date(),
                "published_day": published_day(document.published),
                "authors": document.authors,
                "text": document.text,
                "analysis": analysis.to_dict(),
                "schema_version": analysis.schema_version,
                "analysed_at": first_seen,
                "updated_at": now,
            }
            connection.execute(self._upsert(DocumentTable, row, key="id", keep=("analysed_at",)))
            connection.execute(sa.delete(LabelTable).where(LabelTable.document_id == document.id))
            labels = [{"document_id": document.id, **record} for record in label_records(analysis)]
            if labels:
                connection.execute(sa.insert(LabelTable), labels)
            connection.execute(sa.delete(UnitVectorTable).where(UnitVectorTable.document_id == document.id))
            if units:
                connection.execute(sa.insert(UnitVectorTable), units)
            self._link(connection, document, now)

    def link(self, document: Document) -> None:
        """Record that `document.source` (with its input id and URL) gave this already stored text;
        a failure recorded for that source is cleared."""
        with database.write_transaction(self.engine) as connection:
            self._link(connection, document, datetime.now(timezone.utc))

    def _link(self, connection: sa.Connection, document: Document, now: datetime) -> None:
        row = {
            "source_key": source_key(document.source),
            "source": document.source,
            "document_id": document.id,
            "input_id": document.input_id,
            "url": document.url,
            "seen_at": now,
        }
        connection.execute(self._upsert(DocumentSourceTable, row, key="source_key"))
        connection.execute(sa.delete(FailureTable).where(FailureTable.source == document.source))

    def record_failure(self, failure: Failure) -> None:
        row = {
            "source": failure.source,
            "reason": failure.reason,
            "at": datetime.now(timezone.utc),
            "input_id": failure.input_id,
            "kind": failure.kind,
            "input_hash": failure.input_hash,
        }
        with database.write_transaction(self.engine) as connection:
            connection.execute(self._upsert(FailureTable, row, key="source"))

    def _upsert(self, table: type, row: dict[str, Any], key: str, keep: tuple[str, ...] = ()) -> sa.Executable:
        insert = (postgresql.insert if self.engine.dialect.name == "postgresql" else sqlite.insert)(table)
        changed = {name: insert.excluded[name] for name in row if name != key and name not in keep}
        return insert.values(row).on_conflict_do_update(index_elements=[key], set_=changed)

    # --- reading ------------------------------------------------------------------------

    def _where(self, filters: Filters) -> list[sa.ColumnElement[bool]]:
        """The SQL conditions of `filters`; `UnknownLabel` when its label names no label."""
        labels = resolve_label(filters.label, self._holds_label) if filters.label else None
        return conditions(filters, labels)

    def _holds_label(self, label: str) -> bool:
        """Whether some document carries exactly `label` (one no registered label set knows)."""
        with database.read_connection(self.engine) as connection:
            return connection.scalar(sa.select(LabelTable.id).where(LabelTable.label == label).limit(1)) is not None

    def has(self, document_id: str) -> bool:
        with database.read_connection(self.engine) as connection:
            found = connection.scalar(sa.select(DocumentTable.id).where(DocumentTable.id == document_id))
        return found is not None

    def get(self, document_id: str) -> Analysis | None:
        with database.read_connection(self.engine) as connection:
            data = connection.scalar(sa.select(DocumentTable.analysis).where(DocumentTable.id == document_id))
        return None if data is None else Analysis.from_json(data)

    def ids_starting(self, prefix: str, limit: int = 10) -> list[str]:
        """Stored document ids that start with `prefix` (at most `limit`), for short ids."""
        statement = (
            sa.select(DocumentTable.id)
            .where(DocumentTable.id.startswith(prefix, autoescape=True))
            .order_by(DocumentTable.id)
            .limit(limit)
        )
        with database.read_connection(self.engine) as connection:
            return list(connection.scalars(statement))

    def get_document(self, document_id: str) -> Document | None:
        """The stored document (e.g. one a taxonomy file names as an example), without its results."""
        analysis = self.get(document_id)
        return analysis.document if analysis else None

    def failures(self, kinds: tuple[str, ...] | None = None) -> list[FailureRecord]:
        """Failed sources, newest first; `kinds` keeps those of some kinds (timeout, crash...)."""
        statement = sa.select(FailureTable).order_by(FailureTable.at.desc(), FailureTable.source)
        if kinds is not None:
            statement = statement.where(FailureTable.kind.in_(kinds))
        with database.read_connection(self.engine) as connection:
            return [
                FailureRecord(row.source, row.reason, database.utc(row.at), row.input_id, row.kind or "input", row.input_hash)
                for row in connection.execute(statement)
            ]

    def sources(self, document_id: str) -> list[str]:
        """Every source linked to the document, in the order they were last seen."""
        statement = (
            sa.select(DocumentSourceTable.source)
            .where(DocumentSourceTable.document_id == document_id)
            .order_by(DocumentSourceTable.seen_at, DocumentSourceTable.source)
        )
        with database.read_connection(self.engine) as connection:
            return list(connection.scalars(statement))

    def count(self, filters: Filters = Filters()) -> int:
        statement = sa.select(sa.func.count()).select_from(DocumentTable).where(*self._where(filters))
        with database.read_connection(self.engine) as connection:
            return int(connection.scalar(statement) or 0)

    def last_change(self) -> datetime | None:
        """When a document was last saved: with `count`, tells cached results (storylines) are stale."""
        with database.read_connection(self.engine) as connection:
            latest = connection.scalar(sa.select(sa.func.max(DocumentTable.updated_at)))
        return database.utc(latest) if latest else None

    def query(self, filters: Filters = Filters(), limit: int = 100, offset: int = 0) -> list[DocumentRow]:
        """Matching documents, newest first, with their genre and strongest labels."""
        d = DocumentTable
        statement = (
            sa.select(d.id, d.title, d.site, d.url, d.language, d.published, d.analysed_at)
            .where(*self._where(filters))
            .order_by(d.day.desc(), d.updated_at.desc(), d.id)
            .limit(limit)
            .offset(offset)
        )
        with database.read_connection(self.engine) as connection:
            documents = connection.execute(statement).all()
            # kinds are picked below, in Python, so the planner looks labels up by document id
            labels = connection.execute(
                sa.select(LabelTable.document_id, LabelTable.kind, LabelTable.label)
                .where(LabelTable.document_id.in_([row.id for row in documents]))
                .order_by(LabelTable.score.desc().nulls_last(), LabelTable.label)
            ).all()
        genre: dict[str, str] = {}
        top: dict[str, list[str]] = {row.id: [] for row in documents}
        for document_id, kind, label in labels:
            if kind == "genre":
                genre.setdefault(document_id, label)
            elif kind in TOP_LABEL_KINDS and label not in top[document_id] and len(top[document_id]) < 3:
                top[document_id].append(label)
        return [
            DocumentRow(*row[:6], analysed_at=database.utc(row.analysed_at), genre=genre.get(row.id), top_labels=top[row.id])
            for row in documents
        ]

    def iter_analyses(self, filters: Filters = Filters(), per_source: bool = False) -> Iterator[Analysis]:
        """Every matching analysis, in id order, read in batches (no long-held transaction).
        The filters are checked now, before the first analysis is asked for.

        With `per_source`, one analysis per input linked to each document, carrying that input's
        source, URL and id (so exports join back to inputs, duplicates included)."""
        return self._iter_analyses(self._where(filters), per_source)

    def _iter_analyses(self, conditions: list[sa.ColumnElement[bool]], per_source: bool) -> Iterator[Analysis]:
        after = ""
        while True:
            statement = (
                sa.select(DocumentTable.id, DocumentTable.analysis)
                .where(*conditions, DocumentTable.id > after)
                .order_by(DocumentTable.id)
                .limit(_BATCH)
            )
            with database.read_connection(self.engine) as connection:
                batch = connection.execute(statement).all()
                links = self._links([row.id for row in batch], connection) if per_source else {}
            for document_id, data in batch:
                analysis = Analysis.from_json(data)
                if document_id not in links:
                    yield analysis
                for source, url, input_id in links.get(document_id, []):
                    yield analysis.as_input(source, url, input_id)
            if len(batch) < _BATCH:
                return
            after = batch[-1].id

    def iter_units(self, filters: Filters = Filters()) -> Iterator[sa.Row]:
        """Each matching document's storyline units (`store.units`), in id order, with its day,
        site and language: rows of (id, day, site, language, title, encoder, units, vectors, dim);
        encoder and after it are None for a document without a row yet."""
        d, u = DocumentTable, UnitVectorTable
        conditions = self._where(filters)
        after = ""
        while True:
            statement = (
                sa.select(d.id, d.day, d.site, d.language, d.title, u.encoder, u.units, u.vectors, u.dim)
                .outerjoin(u, u.document_id == d.id)
                .where(*conditions, d.id > after)
                .order_by(d.id)
                .limit(_UNIT_BATCH)
            )
            with database.read_connection(self.engine) as connection:
                batch = connection.execute(statement).all()
            yield from batch
            if len(batch) < _UNIT_BATCH:
                return
            after = batch[-1].id

    def save_units(self, rows: list[dict[str, Any]]) -> None:
        """Store (replace) `unit_vectors` rows built by `store.units.unit_row`."""
        if not rows:
            return
        with database.write_transaction(self.engine) as connection:
            connection.execute(
                sa.delete(UnitVectorTable).where(UnitVectorTable.document_id.in_([r["document_id"] for r in rows]))
            )
            connection.execute(sa.insert(UnitVectorTable), rows)

    def _links(self, document_ids: list[str], connection: sa.Connection) -> dict[str, list[_Link]]:
        """document id -> (source, url, input id) of every input linked to it."""
        s = DocumentSourceTable
        rows = connection.execute(
            sa.select(s.document_id, s.source, s.url, s.input_id)
            .where(s.document_id.in_(document_ids))
            .order_by(s.document_id, s.seen_at, s.source)
        )
        links: dict[str, list[_Link]] = {}
        for row in rows:
            links.setdefault(row.document_id, []).append((row.source, row.url, row.input_id))
        return links

    def trends(
        self,
        by: str,
        interval: str = "month",
        filters: Filters = Filters(),
        group: str | None = None,
        genre_mix: Mapping[str, float] | None = None,
    ) -> Trends:
        """How many documents carry each label per period of publication (and site or language),
        out of how many; matching documents with no publication date are counted as `undated`.
        With `genre_mix` (by genre only), each document's genre is decided at that known mix of
        the collection from its stored probabilities, as `analyze --genre-mix` would decide it."""
        genre_at = None
        if genre_mix is not None:
            from ..components.genre import checked_mix, genre_decision

            genre_at = (checked_mix(genre_mix), genre_decision(genre_mix))
        return count_trends(self.engine, self._where(filters), by, interval, group, genre_at)
