"""The store on SQLite and PostgreSQL: save/get round trip, upsert, failures, filters."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from fixtures.store.databases import fresh_postgres_url, sqlite_url, store_url  # noqa: F401
from fixtures.store.samples import article, make_analysis

from narrascope.errors import StoreError
from narrascope.ingest import Failure
from narrascope.store import Filters, open_store
from narrascope.store import core as store_core
from narrascope.store import database
from narrascope.store.tables import Base, DocumentTable, LabelTable


@pytest.fixture
def store(store_url):
    with open_store(store_url) as opened:
        yield opened


def label_count(store, document_id: str) -> int:
    with store.engine.connect() as connection:
        statement = sa.select(sa.func.count()).where(LabelTable.document_id == document_id)
        return connection.scalar(statement)


def test_saved_analysis_comes_back_identical(store):
    analysis = make_analysis(article(1))
    assert not store.has(analysis.document.id)
    store.save(analysis)
    assert store.has(analysis.document.id)
    assert store.get(analysis.document.id).to_json() == analysis.to_json()
    assert store.get("0000000000000000") is None


def test_reanalysing_updates_and_never_duplicates(store):
    first = make_analysis(article(1), technique="Loaded_Language")
    store.save(first)
    first_row = store.query()[0]
    labels_before = label_count(store, first.document.id)
    second = make_analysis(article(1), technique="Doubt")
    store.save(second)
    assert store.count() == 1
    assert label_count(store, first.document.id) == labels_before
    assert store.count(Filters(label="Doubt")) == 1
    assert store.count(Filters(label="Loaded_Language")) == 0
    assert store.get(first.document.id).to_json() == second.to_json()
    assert store.query()[0].analysed_at == first_row.analysed_at  # first stored, kept


def test_failures_are_kept_listed_and_cleared_by_a_later_success(store):
    analysis = make_analysis(article(7))
    store.record_failure(Failure(source="/broken.pdf", reason="/broken.pdf: a PDF document"))
    store.record_failure(Failure(source=analysis.document.source, reason="timeout"))
    store.record_failure(Failure(source=analysis.document.source, reason="timeout again"))
    failures = {f.source: f for f in store.failures()}
    assert set(failures) == {"/broken.pdf", analysis.document.source}
    assert failures[analysis.document.source].reason == "timeout again"
    assert failures["/broken.pdf"].at.tzinfo is not None
    store.save(analysis)
    assert [f.source for f in store.failures()] == ["/broken.pdf"]


def test_filters_select_documents(store):
    store.save(make_analysis(article(1), site="a.example", language="en", published="2024-01-10"))
    store.save(make_analysis(article(2), site="b.example", language="ru", published="2024-02-20T08:00:00Z"))
    store.save(
        make_analysis(article(3, "100% tariffs"), site="a.example", language="en", published=None, technique="Doubt")
    )

    def ids(**filters):
        return sorted(row.id for row in store.query(Filters(**filters)))

    docs = {n: make_analysis(article(n, "100% tariffs" if n == 3 else "ports")).document.id for n in (1, 2, 3)}
    assert ids(site="a.example") == sorted([docs[1], docs[3]])
    assert ids(language="ru") == [docs[2]]
    assert ids(since=date(2024, 2, 1), until=date(2024, 2, 28)) == [docs[2]]
    assert ids(until=date(2024, 1, 31)) == [docs[1]]
    assert docs[3] not in ids(since=date(2024, 1, 1))  # no published date: never filed under today
    assert ids(since=date(2024, 1, 1), undated="include") == sorted(docs.values())
    assert ids(label="Doubt") == [docs[3]]
    assert ids(label="Loaded_Language", min_score=0.85) == sorted([docs[1], docs[2]])
    assert ids(label="Loaded_Language", min_score=0.95) == []
    assert ids(text="100%") == [docs[3]]  # LIKE wildcards are taken literally
    assert ids(text="CRITICS SAID PLAN 2") == [docs[2]]
    assert ids(text="nowhere") == []
    assert store.count(Filters(site="a.example")) == 2


def test_query_rows_carry_genre_top_labels_newest_first_and_page(store):
    store.save(make_analysis(article(1), published="2024-01-01", genre="reporting"))
    store.save(make_analysis(article(2), published="2024-06-01"))
    rows = store.query()
    assert [row.published for row in rows] == ["2024-06-01", "2024-01-01"]
    assert [row.genre for row in rows] == ["opinion", "reporting"]
    assert rows[0].top_labels == ["Loaded_Language", "URW: Discrediting Ukraine", "Security_and_defense"]
    assert [row.published for row in store.query(limit=1, offset=1)] == ["2024-01-01"]


def test_iter_analyses_reads_every_match_across_batches(store, monkeypatch):
    monkeypatch.setattr(store_core, "_BATCH", 2)
    saved = [make_analysis(article(n), site="x.example" if n % 2 else "y.example") for n in range(5)]
    for analysis in saved:
        store.save(analysis)
    assert sorted(a.document.id for a in store.iter_analyses()) == sorted(a.document.id for a in saved)
    assert len(list(store.iter_analyses(Filters(site="x.example")))) == 2


def test_migrated_schema_matches_the_models(store):
    with store.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []


def test_an_older_schema_is_upgraded_on_open_and_keeps_its_data(store_url):
    config = Config()
    config.set_main_option("script_location", str(database.MIGRATIONS))
    engine = database.create_engine(store_url)
    analysis = make_analysis(article(1))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        now = datetime.now(timezone.utc)
        document = analysis.document
        connection.execute(
            sa.insert(DocumentTable).values(
                id=document.id, source=document.source, day=date(2024, 3, 5), authors=[], text=document.text,
                analysis=analysis.to_dict(), schema_version="1.0", analysed_at=now, updated_at=now,
            )
        )
    engine.dispose()
    with open_store(store_url) as store:
        assert store.get(document.id).to_json() == analysis.to_json()
        with store.engine.connect() as connection:
            assert MigrationContext.configure(connection).get_current_revision() != "0001"


def test_reopening_keeps_data(store_url):
    with open_store(store_url) as store:
        store.save(make_analysis(article(1)))
    with open_store(store_url) as store:
        assert store.count() == 1


def test_default_url_comes_from_settings_and_its_folder_is_created(tmp_path, monkeypatch):
    path = tmp_path / "deep" / "folder" / "narrascope.sqlite"
    monkeypatch.setenv("NARRASCOPE_STORE_URL", f"sqlite:///{path}")
    with open_store() as store:
        store.save(make_analysis(article(1)))
    assert path.is_file()


@pytest.mark.parametrize(
    "url, message",
    [
        ("not a url", "not a database URL"),
        ("mysql://u@127.0.0.1/db", "unsupported database 'mysql'"),
        ("postgresql://user:secret@127.0.0.1:1/nowhere", "postgresql://user:***@127.0.0.1:1/nowhere: connection"),
    ],
)
def test_bad_urls_give_one_clear_error(url, message):
    with pytest.raises(StoreError, match=re.escape(message)) as caught:
        open_store(url)
    assert "secret" not in str(caught.value)


def test_unwritable_sqlite_folder_is_a_store_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="cannot create folder"):
        open_store(f"sqlite:///{blocker / 'sub' / 'store.db'}")
