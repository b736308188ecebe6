"""`narrascope query` and `narrascope failures` over a SQLite store."""

from __future__ import annotations

import json

import pytest
from fixtures.store.samples import article, make_analysis

from narrascope.cli import main
from narrascope.ingest import Failure
from narrascope.store import open_store


@pytest.fixture
def url(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with open_store(url) as store:
        store.save(make_analysis(article(1), site="a.example", published="2024-05-01", title="Ports reopen"))
        store.save(make_analysis(article(2), site="b.example", published="2024-06-01", technique="Doubt"))
        store.record_failure(Failure("/in/scan.pdf", "/in/scan.pdf: a PDF document, not an article"))
    return url


def test_query_table_shows_documents_with_genre_and_labels(url, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")  # a wide terminal: no cell is wrapped
    assert main(["query", "--store", url, "--site", "a.example"]) == 0
    out = capsys.readouterr().out
    assert "1 document(s)" in out and "Ports reopen" in out and "2024-05-01" in out and "opinion" in out
    assert "b.example" not in out


def test_query_json_with_label_and_date_filters(url, capsys):
    assert main(["query", "--store", url, "--label", "Doubt", "--since", "2024-05-15", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["site"], r["published"], r["top_labels"][0]) for r in rows] == [("b.example", "2024-06-01", "Doubt")]
    assert main(["query", "--store", url, "--label", "Doubt", "--until", "2024-05-15", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_query_refuses_a_bad_date(url, capsys):
    with pytest.raises(SystemExit):
        main(["query", "--store", url, "--since", "yesterday"])
    assert "'yesterday' is not a date (YYYY-MM-DD)" in capsys.readouterr().err


def test_failures_lists_sources_and_reasons(url, capsys):
    assert main(["failures", "--store", url]) == 0
    out = capsys.readouterr().out
    assert "1 failed source(s)" in out and "/in/scan.pdf" in out and "a PDF document" in out


def test_a_bad_store_url_is_one_line(capsys):
    assert main(["query", "--store", "nonsense"]) == 2
    assert capsys.readouterr().err.strip() == (
        "narrascope: error: 'nonsense': not a database URL (expected sqlite:///PATH or postgresql://...)"
    )
