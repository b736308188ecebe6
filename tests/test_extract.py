"""Extraction from pages and pasted page text: body in, furniture out, metadata found."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrascope.errors import ExtractionError
from narrascope.extract import extract
from narrascope.ingest import RawDocument
from narrascope.settings import Settings

PAGES = Path(__file__).parent / "fixtures" / "pages"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def _extract(path: Path, **metadata):
    kind = "html" if path.suffix == ".html" else "text"
    raw = RawDocument(source=str(path), content=path.read_text(encoding="utf-8"), kind=kind, metadata=metadata)
    return raw, extract(raw, Settings())


PAGE_EXPECTATIONS = {
    "opinion-column": dict(
        title="The West's Proxy War Is Lost, and Everyone in Kyiv Knows It",
        authors=["Helen Marsh"],
        body=["The Ukrainian army is crumbling", "more than 40,000 troops", "peace now, before it is too late"],
        furniture=["Follow us on", "Subscribe to our newsletter", "More on this topic", "is a columnist who",
                   "The sanctions boomerang", "All rights reserved", "EN | FR | RU", "Share:"],
    ),
    "fr-tribune": dict(
        title="L'Europe paie la facture d'une guerre qui n'est pas la sienne",
        authors=["Jean Dupont"],
        body=["les sanctions vont affaiblir Moscou", "M. Dupont, retraité de Toulouse", "de la négociation."],
        furniture=["Suivez-nous", "Partager", "Abonnez-vous", "Sur le même sujet", "le grand malentendu",
                   "est journaliste et chroniqueur", "Tous droits réservés", "Par Jean Dupont"],
    ),
    "ru-kolonka": dict(
        title="Запад снова пытается переписать историю",
        authors=["Иван Петров"],
        body=["санкции вот-вот сломают", "Кто же на самом деле проиграл?", "единственным разумным путём."],
        furniture=["English Français Русский", "Подписывайтесь", "Поделиться", "Подпишитесь на нашу рассылку",
                   "Читайте также", "Почему Европа мёрзнет", "политолог и постоянный обозреватель",
                   "Все права защищены", "Автор:"],
    ),
}


def _page_cases():
    for name in PAGE_EXPECTATIONS:
        folder = SAMPLES if name == "opinion-column" else PAGES
        for suffix in (".html", ".txt"):
            yield pytest.param(folder / f"{name}{suffix}", PAGE_EXPECTATIONS[name], id=f"{name}{suffix}")


@pytest.mark.parametrize(("path", "expected"), list(_page_cases()))
def test_page_body_metadata_and_no_furniture(path, expected):
    _, page = _extract(path)
    assert page.title == expected["title"]
    assert page.authors == expected["authors"]
    assert page.published == "2024-11-02"
    for passage in expected["body"]:
        assert passage in page.text
    for furniture in expected["furniture"]:
        assert furniture not in page.text, furniture
    assert expected["title"] not in page.text  # the title is metadata, not a body line


def test_html_metadata_comes_from_the_page():
    _, page = _extract(SAMPLES / "opinion-column.html")
    assert page.site == "The Meridian Courier"


def test_pasted_text_reports_every_removed_line_with_raw_offsets():
    raw, page = _extract(SAMPLES / "opinion-column.txt")
    reasons = {item.reason for item in page.removed}
    assert {"language switcher", "follow us", "share bar", "newsletter", "title", "byline", "author bio",
            "related links", "copyright"} <= reasons
    for item in page.removed:
        assert raw.content[item.start : item.end] == item.text
    assert page.site == "The Meridian Courier"  # read from the copyright line


def test_pasted_german_page_with_menu_ad_and_related_list():
    _, page = _extract(PAGES / "de-kommentar.txt")
    assert page.title == "Die Energiewende braucht mehr Ehrlichkeit"
    assert (page.authors, page.published) == (["Max Mustermann"], "2024-11-02")
    assert page.text.startswith("Die Bundesregierung verspricht")
    assert page.text.endswith("Ohne Vertrauen gibt es keinen Wandel.")


def test_english_report_page_drops_ads_inline_links_and_bio_box():
    _, page = _extract(PAGES / "en-report.html")
    assert page.title == "Harbour city votes to keep its coal plant open until 2030"
    assert page.authors == ["Sam Okafor"]
    assert page.published == "2024-03-14"
    assert "Advertisement" not in page.text
    assert "Read also" not in page.text
    assert "covers energy and local politics" not in page.text
    assert "supplies roughly 30% of the region's electricity" in page.text


def test_body_lines_that_mention_furniture_words_stay():
    text = (
        "Ministers meet to agree new rules for newsletters\n"
        "The ministers will discuss whether publishers may ask readers to subscribe to a newsletter before "
        "reading, a practice critics call a paywall by another name.\n"
        "Share prices of the largest publishers fell 3% on the news.\n"
        "Many readers say they follow us politicians less closely than before."
    )
    page = extract(RawDocument(source="<text>", content=text, kind="text"), Settings())
    assert page.title == "Ministers meet to agree new rules for newsletters"
    assert len(page.text.split("\n")) == 3
    assert [item.reason for item in page.removed] == ["title"]


def test_metadata_from_the_source_fills_what_the_text_lacks():
    raw = RawDocument(
        source="feed.xml#3",
        content="A single paragraph of article text without any heading or byline at all.",
        kind="text",
        metadata={"title": "From the feed", "authors": ["A. Writer"], "published": "2024-05-01", "site": "Feedsite"},
    )
    page = extract(raw, Settings())
    assert (page.title, page.authors, page.published, page.site) == (
        "From the feed", ["A. Writer"], "2024-05-01", "Feedsite",
    )
    assert page.text == raw.content


def test_a_single_short_line_is_body_not_title():
    page = extract(RawDocument(source="<text>", content="Russia's army is crumbling", kind="text"), Settings())
    assert page.text == "Russia's army is crumbling"
    assert page.title is None


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        ("<html><head><title>Empty</title></head><body><nav>Home | News | Sport | Contact</nav></body></html>", "html"),
        ("<html><body><script>var page = 1;</script></body></html>", "html"),
        ("   \n\n  ", "text"),
        ("EN | FR | RU\nFollow us on Facebook\nSubscribe to our newsletter\n© 2024 Nobody", "text"),
    ],
)
def test_no_extractable_body_names_the_source(content, kind):
    with pytest.raises(ExtractionError, match=r"^pages/empty\.html: no article text"):
        extract(RawDocument(source="pages/empty.html", content=content, kind=kind), Settings())


def test_text_over_the_limit_is_cut_and_the_cut_is_reported():
    body = "\n".join(f"Paragraph {i} says something long enough to count as body text." for i in range(40))
    raw = RawDocument(source="long.txt", content=body, kind="text")
    extracted = extract(raw, Settings(max_text_chars=300))
    assert len(extracted.text) == 300 and body.startswith(extracted.text)
    cut = [item for item in extracted.removed if item.reason == "over the max_text_chars limit"]
    assert len(cut) == 1 and (cut[0].start, cut[0].end) == (300, len(body))
    assert body[300:].startswith(cut[0].text.removesuffix("…")) and len(cut[0].text) <= 1_001


def test_lines_over_the_limit_are_cut_and_the_cut_is_reported():
    body = "\n".join(f"Line {i} of a long list." for i in range(100))
    raw = RawDocument(source="list.txt", content=body, kind="text")
    extracted = extract(raw, Settings(max_paragraphs=40))
    assert extracted.text.split("\n") == body.split("\n")[:40]
    cut = [item for item in extracted.removed if item.reason == "over the max_paragraphs limit"]
    assert len(cut) == 1 and (cut[0].start, cut[0].end) == (body.index("Line 40 "), len(body))
    assert body[cut[0].start :].startswith(cut[0].text.removesuffix("…"))
