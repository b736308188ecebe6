"""The store's tables: one row per document (with its full analysis JSON), its labels flattened
for querying, the sources that gave each document, the sources that failed, and web jobs.

The schema itself is created and changed only by the Alembic migrations in `migrations/`;
these models are what the code reads and writes, and a test checks the two agree.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# SQLite only auto-increments an INTEGER PRIMARY KEY, PostgreSQL wants room for billions of labels.
LABEL_ID = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON, list[Any]: JSON}


class DocumentTable(Base):
    """`analysed_at` is when the document was first stored; `updated_at` is the latest save.
    `published_day` is the day it was published, NULL when unknown: date filters and trends read
    it, so an undated document is never filed under the day it was analysed. `day` (published,
    else first analysed) only orders listings."""

    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    site: Mapped[str | None] = mapped_column(String(255), index=True)
    language: Mapped[str | None] = mapped_column(String(16), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(64))
    day: Mapped[date] = mapped_column(Date, index=True)
    published_day: Mapped[date | None] = mapped_column(Date, index=True)
    authors: Mapped[list[str]] = mapped_column(JSON)
    text: Mapped[str] = mapped_column(Text)
    analysis: Mapped[dict[str, Any]] = mapped_column(JSON)
    schema_version: Mapped[str] = mapped_column(String(16))
    analysed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LabelTable(Base):
    """One label of one document: `kind` is genre, frame, technique, technique_span, narrative,
    subnarrative, entity_role, claim or custom (a label from the user's taxonomy file); offsets (when the label has evidence) index the text."""

    __tablename__ = "labels"
    __table_args__ = (
        Index("ix_labels_label_score", "label", "score"),
        Index("ix_labels_kind_label", "kind", "label"),
        Index("ix_labels_document_label_score", "document_id", "label", "score"),
    )

    id: Mapped[int] = mapped_column(LABEL_ID, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(String(64), ForeignKey("documents.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(255))
    score: Mapped[float | None] = mapped_column(Float)
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    paragraph: Mapped[int | None] = mapped_column(Integer)
    component: Mapped[str] = mapped_column(String(64))
    model_version: Mapped[str] = mapped_column(String(64))


class UnitVectorTable(Base):
    """The sentences storylines group (a document's claims and label evidence, `store.units`),
    with their encoder vectors (int8, `dim` per row) so discovery over a large store reads them
    instead of running the encoder again. `encoder` names the model: rows of another are redone."""

    __tablename__ = "unit_vectors"

    document_id: Mapped[str] = mapped_column(String(64), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    encoder: Mapped[str] = mapped_column(String(128))
    units: Mapped[list[Any]] = mapped_column(JSON)
    vectors: Mapped[bytes] = mapped_column(LargeBinary)
    dim: Mapped[int] = mapped_column(Integer)


class FailureTable(Base):
    """The latest failure of each source. `kind` is input, timeout, memory, crash or internal;
    `input_hash` (budgets and crashes) tells an unchanged input, which a re-run does not pay for again."""

    __tablename__ = "failures"

    source: Mapped[str] = mapped_column(Text, primary_key=True)
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    input_id: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(String(16))
    input_hash: Mapped[str | None] = mapped_column(String(64))


class DocumentSourceTable(Base):
    """Every input that gave a document's text: one analysis per text, linked from each source
    (keyed by a hash of the source, since a URL can outgrow an index entry)."""

    __tablename__ = "document_sources"

    source_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    document_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    input_id: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class JobTable(Base):
    """A web submission, persisted before it is accepted: its input (`payload`, dropped once the
    job ends), its state and progress. `owner` is the server running it and `heartbeat_at` when
    that server last said so; a job whose owner is gone is resumed from `done`."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_status_created", "status", "created_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    input_kind: Mapped[str] = mapped_column(String(16))
    payload: Mapped[bytes | None] = mapped_column(LargeBinary)
    filename: Mapped[str | None] = mapped_column(Text)
    components: Mapped[list[str] | None] = mapped_column(JSON)
    total: Mapped[int | None] = mapped_column(Integer)
    done: Mapped[int] = mapped_column(Integer)
    document_ids: Mapped[list[str]] = mapped_column(JSON)
    failures: Mapped[list[str]] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    internal: Mapped[bool] = mapped_column(Boolean)
    attempts: Mapped[int] = mapped_column(Integer)
    owner: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
