"""Initial schema: documents, their labels, failed sources.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LABEL_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("url", sa.Text()),
        sa.Column("site", sa.String(255)),
        sa.Column("language", sa.String(16)),
        sa.Column("title", sa.Text()),
        sa.Column("published", sa.String(64)),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("authors", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("analysis", sa.JSON(), nullable=False),
        sa.Column("schema_version", sa.String(16), nullable=False),
        sa.Column("analysed_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
    )
    op.create_index("ix_documents_site", "documents", ["site"])
    op.create_index("ix_documents_language", "documents", ["language"])
    op.create_index("ix_documents_day", "documents", ["day"])

    op.create_table(
        "labels",
        sa.Column("id", LABEL_ID, primary_key=True, autoincrement=True),
        sa.Column(
            "document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("label", sa.String(255), nullable=False),
        sa.Column("score", sa.Float()),
        sa.Column("start", sa.Integer()),
        sa.Column("end", sa.Integer()),
        sa.Column("paragraph", sa.Integer()),
        sa.Column("component", sa.String(64), nullable=False),
        sa.Column("model_version", sa.String(64), nullable=False),
    )
    op.create_index("ix_labels_document_id", "labels", ["document_id"])
    op.create_index("ix_labels_label_score", "labels", ["label", "score"])
    op.create_index("ix_labels_kind_label", "labels", ["kind", "label"])

    op.create_table(
        "failures",
        sa.Column("source", sa.Text(), primary_key=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", TIMESTAMP, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("failures")
    op.drop_table("labels")
    op.drop_table("documents")
