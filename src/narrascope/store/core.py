"""The store: analyses kept by document id, queried by site, language, date, label and text.

Each document is one row holding its full analysis JSON, plus its labels flattened into the
`labels` table for querying. Saving is an upsert in one transaction (the document row, then its
labels deleted and re-inserted), so re-analysing an article updates it and a killed batch never
leaves half a document behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ..errors import StoreError
from ..model import Analysis
from ..settings import Settings
from . import database
from .labels import label_records
from .tables import DocumentTable, FailureTable, LabelTable

if TYPE_CHECKING:
    from ..ingest import Failure

TREND_KINDS = {
    "narrative": ("narrative",),
    "technique": ("technique", "technique_span"),
    "frame": ("frame",),
    "genre": ("genre",),
}
TREND_INTERVALS = ("day", "week", "month")
TREND_GROUPS = ("site", "language")
TOP_LABEL_KINDS = ("narrative", "subnarrative", "technique", "technique_span", "frame")
_BATCH = 200


@dataclass(frozen=True)
class Filters:
    """Which documents: every field given must match (`None` means any)."""

    site: str | None = None
    language: str | None = None
    since: date | None = None  # the document's date (published, else first analysed) on/after
    until: date | None = None  # ... on/before
    label: str | None = None  # any stored label: genre, frame, technique, narrative, entity role...
    min_score: float | None = None  # that label's score >= this (without a label: any label's)
    text: str | None = None  # case-insensitive substring of the title or the text


@dataclass(frozen=True)
class FailureRecord:
    source: str
    reason: str
    at: datetime


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


@dataclass(frozen=True)
class TrendRow:
    period: str  # ISO date the period starts on
    group: str | None
    label: str
    count: int  # documents carrying the label
    share: float  # count / documents in the period (and group)


def open_store(url: str | None = None) -> "Store":
    """Open (creating and migrating as needed) the store at `url`, default `Settings.store_url`."""
    return Store(url or Settings.from_env().store_url)


class Store:
    def __init__(self, url: str):
        self.url = database.display(url)
        self.engine = database.create_engine(url)
        database.migrate(self.engine)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    # --- writing ------------------------------------------------------------------------

    def save(self, analysis: Analysis) -> None:
        """Store the analysis, replacing any earlier one of the same document, in one transaction;
        a failure recorded for its source is cleared."""
        document = analysis.document
        now = datetime.now(timezone.utc)
        with database.write_transaction(self.engine) as connection:
            first_seen = connection.scalar(
                sa.select(DocumentTable.analysed_at).where(DocumentTable.id == document.id)
            )
            first_seen = _utc(first_seen) if first_seen else now
            row = {
                "id": document.id,
                "source": document.source,
                "url": document.url,
                "site": document.site,
                "language": document.language.code,
                "title": document.title,
                "published": document.published,
                "day": _published_day(document.published) or first_seen.date(),
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
            connection.execute(sa.delete(FailureTable).where(FailureTable.source == document.source))

    def record_failure(self, failure: Failure) -> None:
        row = {"source": failure.source, "reason": failure.reason, "at": datetime.now(timezone.utc)}
        with database.write_transaction(self.engine) as connection:
            connection.execute(self._upsert(FailureTable, row, key="source"))

    def _upsert(self, table: type, row: dict[str, Any], key: str, keep: tuple[str, ...] = ()) -> sa.Executable:
        insert = (postgresql.insert if self.engine.dialect.name == "postgresql" else sqlite.insert)(table)
        changed = {name: insert.excluded[name] for name in row if name != key and name not in keep}
        return insert.values(row).on_conflict_do_update(index_elements=[key], set_=changed)

    # --- reading ------------------------------------------------------------------------

    def has(self, document_id: str) -> bool:
        with database.read_connection(self.engine) as connection:
            found = connection.scalar(sa.select(DocumentTable.id).where(DocumentTable.id == document_id))
        return found is not None

    def get(self, document_id: str) -> Analysis | None:
        with database.read_connection(self.engine) as connection:
            data = connection.scalar(sa.select(DocumentTable.analysis).where(DocumentTable.id == document_id))
        return None if data is None else Analysis.from_json(data)

    def failures(self) -> list[FailureRecord]:
        with database.read_connection(self.engine) as connection:
            rows = connection.execute(sa.select(FailureTable).order_by(FailureTable.at.desc(), FailureTable.source))
            return [FailureRecord(row.source, row.reason, _utc(row.at)) for row in rows]

    def count(self, filters: Filters = Filters()) -> int:
        statement = sa.select(sa.func.count()).select_from(DocumentTable).where(*_conditions(filters))
        with database.read_connection(self.engine) as connection:
            return int(connection.scalar(statement) or 0)

    def query(self, filters: Filters = Filters(), limit: int = 100, offset: int = 0) -> list[DocumentRow]:
        """Matching documents, newest first, with their genre and strongest labels."""
        d = DocumentTable
        statement = (
            sa.select(d.id, d.title, d.site, d.url, d.language, d.published, d.analysed_at)
            .where(*_conditions(filters))
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
            DocumentRow(*row[:6], analysed_at=_utc(row.analysed_at), genre=genre.get(row.id), top_labels=top[row.id])
            for row in documents
        ]

    def iter_analyses(self, filters: Filters = Filters()) -> Iterator[Analysis]:
        """Every matching analysis, in id order, read in batches (no long-held transaction)."""
        after = ""
        while True:
            statement = (
                sa.select(DocumentTable.id, DocumentTable.analysis)
                .where(*_conditions(filters), DocumentTable.id > after)
                .order_by(DocumentTable.id)
                .limit(_BATCH)
            )
            with database.read_connection(self.engine) as connection:
                batch = connection.execute(statement).all()
            for _, data in batch:
                yield Analysis.from_json(data)
            if len(batch) < _BATCH:
                return
            after = batch[-1].id

    def trends(
        self, by: str, interval: str = "month", filters: Filters = Filters(), group: str | None = None
    ) -> list[TrendRow]:
        """How many documents carry each label per period (and site or language), and what share
        of that period's documents they are."""
        if by not in TREND_KINDS:
            raise StoreError(f"trends by {by!r}: expected one of {', '.join(TREND_KINDS)}")
        if interval not in TREND_INTERVALS:
            raise StoreError(f"trends interval {interval!r}: expected one of {', '.join(TREND_INTERVALS)}")
        if group is not None and group not in TREND_GROUPS:
            raise StoreError(f"trends group {group!r}: expected one of {', '.join(TREND_GROUPS)}")
        d = DocumentTable
        keys = [self._period(interval).label("period")]
        if group:
            keys.append(getattr(d, group).label("grp"))
        totals_statement = sa.select(*keys, sa.func.count(d.id)).where(*_conditions(filters)).group_by(*keys)
        counts_statement = (
            sa.select(*keys, LabelTable.label, sa.func.count(sa.distinct(d.id)))
            .join(LabelTable, LabelTable.document_id == d.id)
            .where(*_conditions(filters), LabelTable.kind.in_(TREND_KINDS[by]))
            .group_by(*keys, LabelTable.label)
        )
        with database.read_connection(self.engine) as connection:
            totals = {tuple(row[:-1]): row[-1] for row in connection.execute(totals_statement)}
            counts = connection.execute(counts_statement).all()
        rows = []
        for row in counts:
            period, grp = row[0], (row[1] if group else None)
            label, count = row[-2], row[-1]
            total = totals[tuple(row[:-2])]
            rows.append(TrendRow(_iso(period), grp, label, count, count / total))
        return sorted(rows, key=lambda r: (r.period, r.group or "", -r.count, r.label))

    def _period(self, interval: str) -> sa.ColumnElement[Any]:
        """The first day of the document's day, week (Monday) or month, in this database's SQL."""
        day = DocumentTable.day
        if self.engine.dialect.name == "postgresql":
            return sa.cast(sa.func.date_trunc(interval, day), sa.Date)
        modifiers = {"day": (), "week": ("weekday 0", "-6 days"), "month": ("start of month",)}
        return sa.func.date(day, *modifiers[interval])


def _conditions(filters: Filters) -> list[sa.ColumnElement[bool]]:
    d = DocumentTable
    conditions: list[sa.ColumnElement[bool]] = []
    if filters.site:
        conditions.append(d.site == filters.site)
    if filters.language:
        conditions.append(d.language == filters.language)
    if filters.since:
        conditions.append(d.day >= filters.since)
    if filters.until:
        conditions.append(d.day <= filters.until)
    if filters.label or filters.min_score is not None:
        match = sa.select(LabelTable.id).where(LabelTable.document_id == d.id)
        if filters.label:
            match = match.where(LabelTable.label == filters.label)
        if filters.min_score is not None:
            match = match.where(LabelTable.score >= filters.min_score)
        conditions.append(match.exists())
    if filters.text:
        pattern = "%" + filters.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(sa.or_(d.title.ilike(pattern, escape="\\"), d.text.ilike(pattern, escape="\\")))
    return conditions


def _published_day(published: str | None) -> date | None:
    """The date part of an ISO 8601 `published` value; None when it is not one."""
    if not published:
        return None
    try:
        return date.fromisoformat(published.strip()[:10])
    except ValueError:
        return None


def _utc(moment: datetime) -> datetime:
    """SQLite hands timestamps back without a zone; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _iso(period: date | str) -> str:
    return period if isinstance(period, str) else period.isoformat()
