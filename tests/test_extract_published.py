"""Publication dates of HTML pages: the day printed under the headline, unless the page declares
the day htmldate found as its publication day."""

from __future__ import annotations

from narrascope.extract import extract
from narrascope.ingest import RawDocument
from narrascope.settings import Settings

PARAGRAPHS = "".join(
    f"<p>Paragraph {n} of the report explains, at some length and with several details, what the council "
    f"decided about the harbour and why the vote split the way it did this week.</p>"
    for n in range(1, 7)
)


def _published(head: str, dateline: str, url: str | None = None) -> str | None:
    html = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Council keeps the harbour open</title>{head}</head>"
        f"<body><main><article><h1>Council keeps the harbour open</h1>{dateline}{PARAGRAPHS}</article></main></body></html>"
    )
    return extract(RawDocument(source="page.html", content=html, kind="html", url=url), Settings()).published


# A content system's record date, which the page never shows.
RECORD_DATE = "<meta name='date' content='2021-12-20T11:02:44+01:00'>"


def test_the_day_printed_under_the_headline_beats_a_date_the_page_never_shows():
    assert _published(RECORD_DATE, "<p class='date'>27. Januar 2022</p>")[:10] == "2022-01-27"
    assert _published(RECORD_DATE, "<p class='date'>Published January 27, 2022</p>")[:10] == "2022-01-27"


def test_the_markup_date_stays_without_a_printed_one():
    assert _published(RECORD_DATE, "")[:10] == "2021-12-20"


def test_the_declared_publication_day_beats_an_event_date_under_the_headline():
    declared = "<meta property='article:published_time' content='2019-11-27T10:00:00+00:00'>"
    event = "<p>Next tasting: 21 February 2020</p>"
    assert _published(declared, event)[:10] == "2019-11-27"


def test_a_date_in_the_url_confirms_the_markup_date():
    url = "https://news.example.org/2007/05/20/harbour-vote/"
    published = _published("<meta name='date' content='2007-05-20'>", "<p>Meeting of 19 May 2007</p>", url)
    assert published[:10] == "2007-05-20"


def test_the_printed_day_wins_when_the_markup_gives_it_too():
    # the page's publication record says November, it prints and declares its January update
    head = ("<meta property='article:published_time' content='2021-11-29T10:00:00+01:00'>"
            "<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"datePublished\": "
            "\"2021-11-29T10:00:00+01:00\", \"dateModified\": \"2022-01-12T09:00:00+01:00\"}</script>")
    assert _published(head, "<p class='date'>12. Januar 2022</p>")[:10] == "2022-01-12"
