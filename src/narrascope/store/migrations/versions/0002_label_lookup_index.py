"""Look labels up by document, label and score in one index.

A label filter (`--label X --min-score F`) checks each candidate document's labels; with only a
`document_id` index and a `(label, score)` index the planner scanned every document's matching
labels. `(document_id, label, score)` answers it directly and still serves plain
`document_id` lookups, so it replaces the `document_id` index.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_labels_document_label_score", "labels", ["document_id", "label", "score"])
    op.drop_index("ix_labels_document_id", table_name="labels")


def downgrade() -> None:
    op.create_index("ix_labels_document_id", "labels", ["document_id"])
    op.drop_index("ix_labels_document_label_score", table_name="labels")
