"""The lead (standfirst) that trafilatura drops when a page prints it outside the body's
container is put back before the body, once (issue 20)."""

from __future__ import annotations

from narrascope.extract import extract
from narrascope.extract.lead import missed_lead
from narrascope.ingest import RawDocument
from narrascope.settings import Settings

TITLE = "Harbour plan approved after a night of debate"
LEAD = "The harbour authority approved the plan on Friday after opponents said the costs had been understated."
PARAGRAPHS = [
    f"Paragraph {i}: the council said the new harbour wall would take three years to build and would cost more "
    "than the first estimate, according to documents seen by reporters."
    for i in range(6)
]


def _page(description: str, standfirst: str, body: list[str] = PARAGRAPHS) -> str:
    paragraphs = "".join(f"<p>{text}</p>" for text in body)
    return f"""<html><head><title>{TITLE} | The Courier</title>
<meta name="description" content="{description}"></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<main><div class="header"><h1>{TITLE}</h1>
<div class="standfirst"><span>{standfirst}</span></div></div>
<article class="article-body">{paragraphs}</article></main>
<footer><p>© 2024 The Courier</p></footer></body></html>"""


def _extract(html: str):
    return extract(RawDocument(source="page.html", content=html, kind="html", url="https://example.org/a"), Settings())


def test_a_lead_the_description_repeats_is_put_back_before_the_body():
    page = _extract(_page(LEAD, LEAD))
    assert page.title == TITLE
    assert page.text.split("\n")[:2] == [LEAD, PARAGRAPHS[0]]


def test_a_lead_printed_between_headline_and_body_is_put_back_without_a_description():
    page = _extract(_page("Local news from the coast", LEAD))
    assert page.text.split("\n")[:2] == [LEAD, PARAGRAPHS[0]]


def test_a_lead_already_in_the_body_is_not_repeated():
    page = _extract(_page(LEAD, LEAD, [LEAD, *PARAGRAPHS]))
    assert page.text.count(LEAD) == 1


def test_a_caption_or_date_line_under_the_headline_is_not_taken_for_a_lead():
    assert missed_lead(f"{TITLE}\nPhoto: Jane Doe / Reuters\n3 March 2024\n{PARAGRAPHS[0]}", PARAGRAPHS[0], TITLE, None) == []
    assert missed_lead(f"{TITLE}\n{LEAD}\n{PARAGRAPHS[0]}", PARAGRAPHS[0], TITLE, None) == [LEAD]


def test_no_lead_is_guessed_without_the_title_above_the_body():
    assert missed_lead(f"Menu\n{LEAD}\n{PARAGRAPHS[0]}", PARAGRAPHS[0], TITLE, None) == []
