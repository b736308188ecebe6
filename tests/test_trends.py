"""Trends: counts and shares per period and group, on SQLite and PostgreSQL; undated documents
counted apart; the CLI and chart."""

from __future__ import annotations

import json
from datetime import date

import pytest
from fixtures.store.databases import fresh_postgres_url, sqlite_url, store_url  # noqa: F401
from fixtures.store.samples import article, make_analysis

from narrascope.cli import main
from narrascope.components.genre import create
from narrascope.errors import InputError, StoreError
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


# --- genres at a collection's known mix -------------------------------------------------------

WIRE_MIX = {"reporting": 0.9, "opinion": 0.08, "satire": 0.02}


@pytest.fixture
def genres(store_url):
    """March 2024: a confident opinion piece and two articles the head leaned opinion on by a
    little; April: one confident report and one document analysed without genre."""
    leanings = [
        (1, "2024-03-04", {"opinion": 0.995, "reporting": 0.004, "satire": 0.001}),
        (2, "2024-03-12", {"opinion": 0.55, "reporting": 0.43, "satire": 0.02}),
        (3, "2024-03-20", {"opinion": 0.6, "reporting": 0.38, "satire": 0.02}),
        (4, "2024-04-02", {"opinion": 0.1, "reporting": 0.88, "satire": 0.02}),
        (5, "2024-04-09", None),
    ]
    with open_store(store_url) as opened:
        for number, published, probabilities in leanings:
            analysis = make_analysis(article(number), published=published)
            if probabilities is None:
                analysis.results.genre = None
            else:
                label = max(probabilities, key=probabilities.__getitem__)
                analysis.results.genre = analysis.results.genre.model_copy(
                    update={"label": label, "probabilities": probabilities}
                )
            opened.save(analysis)
        yield opened


def test_at_a_known_mix_each_stored_genre_is_decided_as_analyze_would_decide_it(genres):
    stored = genres.trends("genre")
    assert [(r.period, r.label, r.count, r.documents) for r in stored.rows] == [
        ("2024-03-01", "opinion", 3, 3),
        ("2024-04-01", "reporting", 1, 2),  # the document without genre counts in the period only
    ]
    assert stored.genre_mix is None

    wire = genres.trends("genre", genre_mix={"reporting": 90, "opinion": 8, "satire": 2})
    assert wire.genre_mix == WIRE_MIX  # scaled to sum 1
    head = create()
    expected: dict[tuple[str, str], int] = {}
    for analysis in genres.iter_analyses(Filters()):
        if analysis.results.genre is not None:
            key = (analysis.document.published[:7] + "-01", head.at_mix(analysis.results.genre, WIRE_MIX).label)
            expected[key] = expected.get(key, 0) + 1
    assert {(r.period, r.label): r.count for r in wire.rows} == expected
    march = {r.label: r.count for r in wire.rows if r.period == "2024-03-01"}
    assert march == {"opinion": 1, "reporting": 2}  # the two close calls turn; the confident piece stays
    assert [(p.period, p.documents) for p in wire.periods] == [("2024-03-01", 3), ("2024-04-01", 2)]
    op_ed = genres.trends("genre", genre_mix={"reporting": 0.02, "opinion": 0.96, "satire": 0.02})
    assert {r.label for r in op_ed.rows if r.period == "2024-03-01"} == {"opinion"}


def test_a_genre_mix_is_refused_for_other_labels_and_when_malformed(genres, store_url, capsys):
    with pytest.raises(StoreError, match="use it with trends by genre"):
        genres.trends("narrative", genre_mix=WIRE_MIX)
    with pytest.raises(InputError, match="missing satire"):
        genres.trends("genre", genre_mix={"reporting": 0.9, "opinion": 0.1})
    with pytest.raises(SystemExit) as refused:
        main(["trends", "--store", store_url, "--by", "genre", "--genre-mix", "reporting=0.9,news=0.1"])
    assert refused.value.code == 2
    assert "unknown genre 'news'" in capsys.readouterr().err


def test_cli_counts_genres_at_the_mix_and_says_so(genres, store_url, tmp_path, capsys):
    assert main(["trends", "--store", store_url, "--by", "genre", "--genre-mix", "reporting=0.9,opinion=0.08,satire=0.02",
                 "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["genre_mix"] == WIRE_MIX
    assert [(r["period"], r["label"], r["count"]) for r in answer["rows"]][:2] == [
        ("2024-03-01", "reporting", 2), ("2024-03-01", "opinion", 1)
    ]
    assert main(["trends", "--store", store_url, "--by", "genre", "--genre-mix", "reporting=0.9,opinion=0.08,satire=0.02"]) == 0
    assert "decided at the mix opinion 8%, reporting 90%, satire 2%" in " ".join(capsys.readouterr().out.split())
    chart = tmp_path / "genres.svg"
    assert main(["trends", "--store", store_url, "--by", "genre", "--genre-mix", "reporting=0.9,opinion=0.08,satire=0.02",
                 "--plot", str(chart)]) == 0
    assert "decided at the mix opinion 8%, reporting 90%, satire 2%" in chart.read_text()
