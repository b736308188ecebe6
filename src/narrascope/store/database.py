"""Connecting to the store: SQLite (the default, one file) or PostgreSQL (for teams), and bringing
its schema to the latest Alembic revision on open.

Concurrency is the point here. SQLite runs in WAL mode with a generous busy timeout, and every
write transaction starts with `BEGIN IMMEDIATE`, so two batch processes on one file queue for
the write lock instead of failing with "database is locked". PostgreSQL migrations run under a
transaction-scoped advisory lock, so two processes opening a fresh database at once do not race.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from ..errors import StoreError

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_SECONDS = 120.0
_MIGRATION_LOCK_KEY = 0x6E617272  # any constant: one PostgreSQL advisory lock for our migrations
_WRITE = "narrascope_write"  # execution option marking a connection that will write


def create_engine(url: str, create: bool = True) -> sa.Engine:
    """An engine for a `sqlite:///` or `postgresql://` URL; `StoreError` names a bad one. Without
    `create`, a SQLite file that does not exist is refused instead of made."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise StoreError(f"{url!r}: not a database URL (expected sqlite:///PATH or postgresql://...)") from None
    backend = parsed.get_backend_name()
    if backend in ("postgres", "postgresql"):
        if parsed.get_driver_name() in ("", "psycopg2", "postgres", "postgresql"):
            parsed = parsed.set(drivername="postgresql+psycopg")  # the driver we depend on
        return sa.create_engine(parsed, pool_pre_ping=True)
    if backend == "sqlite":
        return _sqlite_engine(parsed, create)
    raise StoreError(f"{display(url)}: unsupported database {backend!r} (use sqlite or postgresql)")


def display(url: str | sa.URL) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return str(url)


@contextmanager
def write_transaction(engine: sa.Engine) -> Iterator[sa.Connection]:
    """One transaction that will write; on SQLite it holds the write lock from the start."""
    try:
        with engine.connect() as connection:
            connection.execution_options(**{_WRITE: True})
            with connection.begin():
                yield connection
    except sa.exc.OperationalError as exc:
        raise StoreError(f"{display(engine.url)}: {_first_line(exc.orig)}") from exc


@contextmanager
def read_connection(engine: sa.Engine) -> Iterator[sa.Connection]:
    try:
        with engine.connect() as connection:
            yield connection
    except sa.exc.OperationalError as exc:
        raise StoreError(f"{display(engine.url)}: {_first_line(exc.orig)}") from exc


class MissingStore(StoreError):
    """A read-only command was pointed at a store that does not exist."""


def require_store(engine: sa.Engine) -> None:
    """`MissingStore` unless the database holds narrascope's tables (any revision)."""
    try:
        with read_connection(engine) as connection:
            revision = MigrationContext.configure(connection).get_current_revision()
    except sa.exc.DatabaseError as exc:  # e.g. a file that is not a SQLite database
        raise StoreError(f"{display(engine.url)}: not a narrascope store ({_first_line(exc.orig)})") from None
    if revision is None:
        raise MissingStore(f"{display(engine.url)}: no store there (the database has no narrascope tables)")


def migrate(engine: sa.Engine) -> None:
    """Upgrade the schema to the latest revision; a no-op (one read) when it is already there."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    with read_connection(engine) as connection:
        if MigrationContext.configure(connection).get_current_revision() == head:
            return
    with write_transaction(engine) as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_MIGRATION_LOCK_KEY)))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")  # re-reads the revision under the lock: the loser no-ops


def _sqlite_engine(url: sa.URL, create: bool) -> sa.Engine:
    database = url.database
    if database and database != ":memory:" and not database.startswith("file:"):
        if not create and not Path(database).expanduser().is_file():
            raise MissingStore(f"{display(url)}: no store there (no such file)")
        folder = Path(database).expanduser().parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{display(url)}: cannot create folder {folder}: {exc.strerror}") from None
    engine = sa.create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS})

    @sa.event.listens_for(engine, "connect")
    def configure(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def begin(connection: sa.Connection) -> None:
        immediate = connection.get_execution_options().get(_WRITE)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def utc(moment: datetime) -> datetime:
    """SQLite hands timestamps back without a zone; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _first_line(error: BaseException | None) -> str:
    text = str(error or "database error").strip()
    return text.splitlines()[0] if text else type(error).__name__
