"""Trends: counts and shares per period and group, on SQLite and PostgreSQL; undated documents
counted apart; the CLI and chart."""

from __future__ import annotations

import json
from datetime import date

import pytest
from fixtures.store.databases import fresh_postgres_url, sqlite_url, store_url  # noqa: F401
from fixtures.store.samples import article, make_analysis

from narrascope.cli import main
from narrascope.errors import StoreError
from narrascope.store import Filters, TrendRow, open_store

DISCREDIT = "URW: Discrediting Ukraine"
BLAME = "URW: Blaming the war on others"


@pytest.fixture
def store(store_url):
    with open_store(store_url) as opened:
        # March 2024: 3 documents, 2 discrediting; April: 1 blaming, 1 without a narrative.
        samples = [
            (1, "2024-03-04", "a.example", DISCREDIT),  # Monday
            (2, "2024-03-10", "b.example", DISCREDIT),  # Sunday, same week
            (3, "2024-03-11", "a.example", BLAME),  # Monday, next week
            (4, "2024-04-02", "a.example", BLAME),
            (5, "2024-04-30", "b.example", None),
        ]
        for number, published, site, narrative in samples:
            opened.save(make_analysis(article(number), published=published, site=site, narrative=narrative))
        yield opened


@pytest.fixture
def undated(store):
    """Two documents without a publication date (analysed today), one discrediting Ukraine."""
    store.save(make_analysis(article(6), published=None, narrative=DISCREDIT))
    store.save(make_analysis(article(7), published="sometime last spring", narrative=None))
    return store


def test_monthly_counts_and_shares(store):
    trends = store.trends("narrative")
    assert trends.rows == [
        TrendRow("2024-03-01", None, DISCREDIT, 2, 2 / 3, 3),
        TrendRow("2024-03-01", None, BLAME, 1, 1 / 3, 3),
        TrendRow("2024-04-01", None, BLAME, 1, 1 / 2, 2),
    ]
    assert [(p.period, p.documents) for p in trends.periods] == [("2024-03-01", 3), ("2024-04-01", 2)]
    assert trends.undated == 0


def test_undated_documents_are_in_no_period_and_counted_apart(undated):
    trends = undated.trends("narrative")
    assert [p.period for p in trends.periods] == ["2024-03-01", "2024-04-01"]  # no period of today
    assert trends.rows[0] == TrendRow("2024-03-01", None, DISCREDIT, 2, 2 / 3, 3)
    assert trends.undated == 2
    assert undated.trends("narrative", filters=Filters(site="b.example")).undated == 0


def test_date_filters_leave_undated_documents_out_unless_asked(undated):
    def count(**filters):
        return undated.count(Filters(**filters))

    assert count() == 7
    assert count(since=date(2024, 1, 1)) == 5  # not the two analysed today without a date
    assert count(since=date.today()) == 0
    assert count(since=date(2024, 4, 1), undated="include") == 4
    assert count(undated="only") == 2
    assert [row.published for row in undated.query(Filters(undated="only"))] == ["sometime last spring", None]


def test_weeks_start_on_monday(store):
    rows = store.trends("narrative", interval="week").rows
    assert [(r.period, r.label, r.count) for r in rows] == [
        ("2024-03-04", DISCREDIT, 2),
        ("2024-03-11", BLAME, 1),
        ("2024-04-01", BLAME, 1),
    ]
    assert [r.share for r in rows] == [1.0, 1.0, 1.0]


def test_grouped_by_site_shares_are_within_the_group(store):
    rows = store.trends("narrative", group="site", filters=Filters(since=date(2024, 4, 1))).rows
    assert rows == [TrendRow("2024-04-01", "a.example", BLAME, 1, 1.0, 1)]
    daily = store.trends("genre", interval="day", group="site").rows
    assert TrendRow("2024-03-10", "b.example", "opinion", 1, 1.0, 1) in daily


def test_a_technique_counts_each_document_once(store):
    rows = store.trends("technique").rows  # each document has the technique per paragraph and as a span
    assert [(r.period, r.label, r.count) for r in rows] == [
        ("2024-03-01", "Loaded_Language", 3),
        ("2024-04-01", "Loaded_Language", 2),
    ]


def test_bad_dimension_is_a_store_error(store):
    with pytest.raises(StoreError, match="trends by 'colour'"):
        store.trends("colour")
    with pytest.raises(StoreError, match="interval 'year'"):
        store.trends("genre", interval="year")


def test_cli_prints_json_and_draws_a_chart(store_url, store, tmp_path, capsys):
    chart = tmp_path / "trends.png"
    code = main(["trends", "--store", store_url, "--by", "narrative", "--plot", str(chart), "--json"])
    assert code == 0
    trends = json.loads(capsys.readouterr().out)
    assert trends["rows"][0] == {
        "period": "2024-03-01", "group": None, "label": DISCREDIT, "name": DISCREDIT, "count": 2, "share": 2 / 3,
        "documents": 3,
    }
    assert trends["undated"] == 0 and trends["periods"][1] == {"period": "2024-04-01", "group": None, "documents": 2}
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and chart.stat().st_size > 10_000


def test_cli_table_and_svg_chart(store_url, store, tmp_path, capsys):
    chart = tmp_path / "trends.svg"
    assert main(["trends", "--store", store_url, "--by", "frame", "--group", "language", "--plot", str(chart)]) == 0
    table = capsys.readouterr().out
    assert "Security and defense" in table and "100.0%" in table
    svg = chart.read_text()
    assert "Share of documents by frame" in svg and "Security and defense (en)" in svg


def test_cli_refuses_an_unknown_chart_format(store_url, store, tmp_path, capsys):
    assert main(["trends", "--store", store_url, "--by", "genre", "--plot", str(tmp_path / "x.gif")]) == 2
    assert "must be a .png or .svg" in capsys.readouterr().err
