"""Authors of HTML pages: people's names as the page prints them, not leads, outlets or accounts."""

from __future__ import annotations

import json

import pytest

from narrascope.extract import extract
from narrascope.ingest import RawDocument
from narrascope.settings import Settings

PARAGRAPHS = "".join(
    f"<p>Paragraph {n} of the report explains, at some length and with several details, what the council "
    f"decided about the harbour and why the vote split the way it did this week.</p>"
    for n in range(1, 7)
)
HEADLINE = "<h1>Council keeps the harbour open</h1>"


def _authors(head: str, under_headline: str = "", after_article: str = "") -> list[str]:
    html = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Council keeps the harbour open</title>{head}</head>"
        f"<body><main><article>{HEADLINE}{under_headline}{PARAGRAPHS}{after_article}</article></main></body></html>"
    )
    return extract(RawDocument(source="page.html", content=html, kind="html"), Settings()).authors


@pytest.mark.parametrize(
    ("meta_author", "expected"),
    [
        ("View all posts by Dana Whitfield", "Dana Whitfield"),
        ("Por Alberto Ruiz", "Alberto Ruiz"),
        ("Vom Hafenblogger", "Hafenblogger"),
        ("Adam Kerr HarbourVoice Staff", "Adam Kerr"),
    ],
)
def test_leads_and_staff_labels_are_not_part_of_the_name(meta_author, expected):
    head = f"<meta name='author' content='{meta_author}'><meta property='og:site_name' content='HarbourVoice'>"
    assert _authors(head)[0] == expected


def test_initials_keep_the_dots_the_page_prints():
    # trafilatura reads the meta author as "R C Baker"
    assert _authors("<meta name='author' content='R.C. Baker'>", "<p>R.C. Baker</p>") == ["R.C. Baker"]


def test_the_outlet_as_author_gives_way_to_the_byline_of_the_page():
    head = "<meta name='author' content='Harbour Courier'><meta property='og:site_name' content='Harbour Courier'>"
    assert _authors(head, after_article="<p>Von Jana Keller</p>") == ["Jana Keller"]


def test_the_byline_under_the_headline_beats_an_account_name_in_the_metadata():
    head = "<meta name='author' content='Newsroom Admin'>"
    assert _authors(head, "<p class='byline'>By Dana Whitfield | March 3, 2024</p>") == ["Dana Whitfield"]


def test_a_byline_with_its_name_on_the_next_line_is_read():
    assert _authors("", "<div class='author'><span>Von:</span><br><span>Götz Weber</span></div>") == ["Götz Weber"]


def test_the_author_of_a_forum_post_comes_from_its_json_ld():
    post = {"@context": "https://schema.org", "@type": "DiscussionForumPosting", "headline": "Council keeps the harbour open",
            "author": {"@type": "Person", "name": "Harbourwatcher"}}
    assert _authors(f"<script type='application/ld+json'>{json.dumps(post)}</script>") == ["Harbourwatcher"]


def test_a_page_without_any_author_has_none():
    assert _authors("") == []


def test_json_ld_nested_past_the_parsers_depth_is_passed_over():
    deep = "[" * 100_000 + "]" * 100_000
    assert _authors(f"<script type='application/ld+json'>{deep}</script>") == []


def test_a_blogs_author_link_with_a_user_name_is_read():
    link = "<p>Dezember 10, 2019 · <a href='/author/freeman1984/' rel='author'>freeman1984</a></p>"
    assert _authors("", link) == ["freeman1984"]


def test_a_role_before_the_linked_authors_name_is_left_out():
    head = "<meta name='author' content='Harbour-Courier-Expertin Dana Whitfield'>"
    link = "<p><a href='/team/dana-whitfield' rel='author'>Dana Whitfield</a></p>"
    assert _authors(head, link) == ["Dana Whitfield"]


def test_the_headline_is_not_an_author_and_a_dated_byline_under_it_is():
    head = "<meta name='author' content='Council keeps the harbour open'>"
    assert _authors(head, "<p>Dana Whitfield, 21. Jan. 2015</p>") == ["Dana Whitfield"]


@pytest.mark.parametrize(
    ("meta_author", "expected"),
    [("Newsdesk Newsdesk", "Newsdesk"), ("Harbour Deutschland vor", "Harbour Deutschland"), ("Mobasir hassan", "Mobasir hassan")],
)
def test_a_name_printed_twice_or_run_into_the_next_words_is_cleaned(meta_author, expected):
    assert _authors(f"<meta name='author' content='{meta_author}'>") == [expected]


def test_a_byline_under_the_title_of_a_page_without_h1_is_read():
    html = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Council keeps the harbour open | Harbour Films</title>"
        "<meta name='author' content='Harbour Films'><meta property='og:site_name' content='Harbour Films'></head><body><main><h2>Council keeps the harbour open</h2><h4>A film about the port</h4>"
        "<p> von <em>Dana Whitfield</em></p>{PARAGRAPHS}</main></body></html>"
    )
    assert extract(RawDocument(source="page.html", content=html, kind="html"), Settings()).authors == ["Dana Whitfield"]


def test_a_name_printed_twice_in_the_byline_under_the_headline_is_read_once():
    assert _authors("", "<p>von Newsdesk Newsdesk 28. Januar 2022, 12:01</p>") == ["Newsdesk"]
