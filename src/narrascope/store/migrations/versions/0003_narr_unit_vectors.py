"""Keep the vectors of each document's claims and evidence sentences, for storylines.

`narrascope storylines` groups these sentences across a whole store; reading stored vectors
instead of running the encoder again is what lets it cover 100,000 documents in minutes. The
table only adds: existing documents get their rows when storylines first reads them.

Revision ID: 0003_narr
Revises: 0003_everyday
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_narr"
down_revision: str | None = "0003_everyday"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "unit_vectors",
        sa.Column(
            "document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("encoder", sa.String(128), nullable=False),
        sa.Column("units", sa.JSON(), nullable=False),
        sa.Column("vectors", sa.LargeBinary(), nullable=False),
        sa.Column("dim", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("unit_vectors")
