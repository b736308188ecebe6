"""Title and authors of HTML pages: the headline, not the browser-tab title; names as the page spells them."""

from __future__ import annotations

import pytest

from narrascope.extract import extract
from narrascope.ingest import RawDocument
from narrascope.settings import Settings

PARAGRAPHS = "".join(
    f"<p>Paragraph {n} of the report explains, at some length and with several details, what the council "
    f"decided about the harbour and why the vote split the way it did this week.</p>"
    for n in range(1, 7)
)


def _page(head: str, header: str, byline: str = "") -> str:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>"
        f"<header><div class='logo'>{header}</div></header>"
        f"<main><article>{byline}{PARAGRAPHS}</article></main></body></html>"
    )


def _extract(html: str):
    return extract(RawDocument(source="page.html", content=html, kind="html"), Settings())


@pytest.mark.parametrize(
    ("head", "header", "expected"),
    [
        # the tab title carries the site's name; the h1 is the headline
        ("<title>Council keeps the harbour open | The Courier</title>", "<h1>Council keeps the harbour open</h1>",
         "Council keeps the harbour open"),
        # a section name as tab title; one h1 with the headline
        ("<title>Local news</title>", "<h1>Council keeps the harbour open</h1>", "Council keeps the harbour open"),
        # a blog: the h1 is the blog's name, the post's title an h2 the tab title contains
        ("<title>Council keeps the harbour open – Harbour Notes</title><meta property='og:site_name' content='Harbour Notes'>",
         "<h1>Harbour Notes</h1><h2>Council keeps the harbour open</h2>", "Council keeps the harbour open"),
    ],
)
def test_the_title_is_the_headline_not_the_tab_title(head, header, expected):
    assert _extract(_page(head, header)).title == expected


def test_author_names_keep_the_spelling_of_the_pages_author_link():
    head = "<title>Council keeps the harbour open</title><meta name='author' content='Perry Bacon Jr.'>"
    byline = "<p class='byline'>By <a rel='author' href='/authors/pb'>Perry Bacon Jr.</a></p>"
    assert _extract(_page(head, "<h1>Council keeps the harbour open</h1>", byline)).authors == ["Perry Bacon Jr."]
