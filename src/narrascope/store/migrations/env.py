"""Alembic environment: migrations run on the connection `narrascope.store` hands over (inside
its lock), never on a URL read from a config file."""

from alembic import context

from narrascope.store.tables import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
)
with context.begin_transaction():
    context.run_migrations()
