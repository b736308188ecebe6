"""Keep undated documents undated: `published_day` holds the day a document was published, or
NULL when that is unknown, and date filters and trends read it instead of `day`.

`day` (the published day, else the day the document was first analysed) stays as the order of
listings. Before this revision an undated document was filed under the day it was analysed, so
`--since` caught it and trends gained a false period. The new column is filled from `published`
with the same parser the store uses when saving.

Revision ID: 0003_everyday
Revises: 0002
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from narrascope.store.dates import published_day

revision: str = "0003_everyday"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 1000


def upgrade() -> None:
    op.add_column("documents", sa.Column("published_day", sa.Date(), nullable=True))
    op.create_index("ix_documents_published_day", "documents", ["published_day"])
    documents = sa.table(
        "documents", sa.column("id", sa.String), sa.column("published", sa.String), sa.column("published_day", sa.Date)
    )
    connection = op.get_bind()
    after = ""
    while True:
        rows = connection.execute(
            sa.select(documents.c.id, documents.c.published)
            .where(documents.c.published.is_not(None), documents.c.id > after)
            .order_by(documents.c.id)
            .limit(_BATCH)
        ).all()
        for document_id, published in rows:
            day = published_day(published)
            if day is not None:
                connection.execute(
                    documents.update().where(documents.c.id == document_id).values(published_day=day)
                )
        if len(rows) < _BATCH:
            return
        after = rows[-1].id


def downgrade() -> None:
    op.drop_index("ix_documents_published_day", table_name="documents")
    op.drop_column("documents", "published_day")
