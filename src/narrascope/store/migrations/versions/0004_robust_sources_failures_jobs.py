"""Every source linked to its document, failures with their kind, durable web jobs.

- `document_sources`: one row per input that gave a document's text (one analysis per text, every
  source kept, with the input's own id), filled from each document's first source.
- `failures` gains `input_id`, `kind` (input, timeout, memory, crash, internal) and `input_hash`, so a
  re-run can leave an unchanged input that timed out alone.
- `jobs`: web submissions persisted before they are accepted, so none is lost on a restart.

Revision ID: 0004_robust
Revises: 0003_narr
Create Date: 2026-11-30
"""

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_robust"
down_revision: str | None = "0003_narr"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)


def source_key(source: str) -> str:
    """Must match `narrascope.store.core.source_key`."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def upgrade() -> None:
    sources = op.create_table(
        "document_sources",
        sa.Column("source_key", sa.String(64), primary_key=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column(
            "document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("input_id", sa.Text()),
        sa.Column("url", sa.Text()),
        sa.Column("seen_at", TIMESTAMP, nullable=False),
    )
    op.create_index("ix_document_sources_document_id", "document_sources", ["document_id"])
    documents = sa.table(
        "documents",
        sa.column("id", sa.String()),
        sa.column("source", sa.Text()),
        sa.column("url", sa.Text()),
        sa.column("analysed_at", TIMESTAMP),
    )
    connection = op.get_bind()
    rows = [
        {"source_key": source_key(source), "source": source, "document_id": id, "input_id": None, "url": url,
         "seen_at": analysed_at}
        for id, source, url, analysed_at in connection.execute(sa.select(documents))
    ]
    for start in range(0, len(rows), 500):
        connection.execute(sa.insert(sources), rows[start : start + 500])

    with op.batch_alter_table("failures") as failures:
        failures.add_column(sa.Column("input_id", sa.Text()))
        failures.add_column(sa.Column("kind", sa.String(16)))
        failures.add_column(sa.Column("input_hash", sa.String(64)))

    op.create_table(
        "jobs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("input_kind", sa.String(16), nullable=False),
        sa.Column("payload", sa.LargeBinary()),
        sa.Column("filename", sa.Text()),
        sa.Column("components", sa.JSON()),
        sa.Column("total", sa.Integer()),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("document_ids", sa.JSON(), nullable=False),
        sa.Column("failures", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text()),
        sa.Column("internal", sa.Boolean(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(255)),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("started_at", TIMESTAMP),
        sa.Column("ended_at", TIMESTAMP),
        sa.Column("heartbeat_at", TIMESTAMP),
    )
    op.create_index("ix_jobs_status_created", "jobs", ["status", "created_at"])


def downgrade() -> None:
    op.drop_table("jobs")
    with op.batch_alter_table("failures") as failures:
        failures.drop_column("input_hash")
        failures.drop_column("kind")
        failures.drop_column("input_id")
    op.drop_table("document_sources")
