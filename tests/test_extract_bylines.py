"""Bylines and dates as they appear on pages in the languages narrascope reads."""

from __future__ import annotations

import pytest

from narrascope.extract.bylines import parse_byline
from narrascope.extract.dates import parse_date
from narrascope.extract.furniture import line_reason
from narrascope.extract import extract
from narrascope.ingest import RawDocument
from narrascope.settings import Settings


@pytest.mark.parametrize(
    ("line", "authors", "published"),
    [
        ("Jane Doe, November 02, 2024", ["Jane Doe"], "2024-11-02"),
        ("By Jane Doe | 2 Nov 2024", ["Jane Doe"], "2024-11-02"),
        ("By Jane Doe and John Roe, Nov. 2, 2024 at 14:30", ["Jane Doe", "John Roe"], "2024-11-02T14:30"),
        ("Par Jean Dupont, le 2 novembre 2024", ["Jean Dupont"], "2024-11-02"),
        ("Автор: Иван Петров, 2 ноября 2024", ["Иван Петров"], "2024-11-02"),
        ("Von Max Mustermann, 2. November 2024", ["Max Mustermann"], "2024-11-02"),
        ("di Mario Rossi, 2 novembre 2024", ["Mario Rossi"], "2024-11-02"),
        ("Autor: Jan Kowalski, 2 listopada 2024 r.", ["Jan Kowalski"], "2024-11-02"),
        ("Por Juan Pérez, 2 de noviembre de 2024", ["Juan Pérez"], "2024-11-02"),
        ("Por João Silva, 2 de novembro de 2024", ["João Silva"], "2024-11-02"),
        ("Автор: Георги Иванов, 2 ноември 2024", ["Георги Иванов"], "2024-11-02"),
        ("Мария Коваленко, 2 листопада 2024", ["Мария Коваленко"], "2024-11-02"),
        ("Ελένη Παππά, 2 Νοεμβρίου 2024", ["Ελένη Παππά"], "2024-11-02"),
        ("Anna Nowak | 02.11.2024", ["Anna Nowak"], "2024-11-02"),
        ("By Sam Okafor", ["Sam Okafor"], None),
        ("2024-11-02T08:30:00+00:00", [], "2024-11-02T08:30:00+00:00"),
        ("Updated: 14 March 2024", [], "2024-03-14"),
        ("Autor: gnaddrig", ["gnaddrig"], None),  # a blog's user name, after a colon
        ("von Marianne1", ["Marianne1"], None),  # a user name no word looks like
    ],
)
def test_bylines_give_authors_and_iso_dates(line, authors, published):
    byline = parse_byline(line)
    assert byline is not None
    assert (byline.authors, byline.published) == (authors, published)


@pytest.mark.parametrize(
    "line",
    [
        "The Ukrainian army is crumbling, and no amount of Western money can hide it any longer.",
        "On 2 November 2024 the ministers met in Brussels to discuss a new package of sanctions for the winter.",
        "Brussels, Paris",
        "Congress approved another $61 billion in April.",
    ],
)
def test_body_sentences_are_not_bylines(line):
    assert parse_byline(line) is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("13/11/2024", "2024-11-13"),
        ("11/13/2024", "2024-11-13"),  # only month-first is possible
        ("31 февраля 2024", None),  # no such day
        ("5 сентября 2023 г.", "2023-09-05"),
        ("1er mars 2022", "2022-03-01"),
        ("15 marca 2023", "2023-03-15"),
        ("3 Μαΐου 2021", "2021-05-03"),
        ("12 मार्च 2024", "2024-03-12"),
    ],
)
def test_dates(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    ("content", "title", "authors", "published"),
    [
        (
            "Opinione\nL'Europa paga il conto di una guerra altrui\ndi Mario Rossi, 2 novembre 2024\nCondividi\n"
            "Da due anni i governi europei ripetono che le sanzioni indeboliranno Mosca, ma sono le famiglie a pagare.\n"
            "Leggi anche\nSanzioni, il grande equivoco",
            "L'Europa paga il conto di una guerra altrui", ["Mario Rossi"], "2024-11-02",
        ),
        (
            "PL | EN\nSankcje uderzają w naszą gospodarkę\nAutor: Jan Kowalski, 2 listopada 2024 r.\n"
            "Od dwóch lat rząd powtarza, że sankcje osłabią Moskwę, np. poprzez ograniczenie eksportu, ale płacą za to rodziny.\n"
            "Czytaj też\nEnergia: zima pełna obaw",
            "Sankcje uderzają w naszą gospodarkę", ["Jan Kowalski"], "2024-11-02",
        ),
        (
            "Европа плаща сметката за чужда война\nАвтор: Георги Иванов, 2 ноември 2024\nСподели\n"
            "Вече две години правителствата повтарят, че санкциите ще отслабят Москва, но плащат семействата.\n"
            "Всички права запазени",
            "Европа плаща сметката за чужда война", ["Георги Иванов"], "2024-11-02",
        ),
        (
            "Europa paga a conta de uma guerra alheia\nPor João Silva, 2 de novembro de 2024\nPartilhar\n"
            "Há dois anos que os governos europeus repetem que as sanções vão enfraquecer Moscovo.\nLeia também\n"
            "Energia: um inverno de receios",
            "Europa paga a conta de uma guerra alheia", ["João Silva"], "2024-11-02",
        ),
    ],
    ids=["it", "pl", "bg", "pt"],
)
def test_pasted_pages_in_other_languages(content, title, authors, published):
    page = extract(RawDocument(source="<text>", content=content, kind="text"), Settings())
    assert (page.title, page.authors, page.published) == (title, authors, published)
    assert len(page.text.split("\n")) == 1  # only the body paragraph is left
    assert all(content[item.start : item.end] == item.text for item in page.removed)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("EN | FR | RU", "language switcher"),
        ("English Français Русский", "language switcher"),
        ("Follow us on Telegram", "follow us"),
        ("Share: Facebook Twitter WhatsApp", "share bar"),
        ("Subscribe to our newsletter", "newsletter"),
        ("We use cookies to improve your experience. By continuing you accept our use of cookies.", "cookie notice"),
        ("© 2024 The Courier. All rights reserved.", "copyright"),
        ("ADVERTISEMENT", "advertisement"),
        ("5 min read", "reading time"),
        ("Home | World | Opinion | Culture", "navigation"),
        ("The war goes on.", None),
        ("Share prices fell on Monday after the announcement.", None),
        ("Ukraine | Russia", None),
    ],
)
def test_line_classifier(line, reason):
    assert line_reason(line) == reason


@pytest.mark.parametrize(
    "line", ["By Friday, the army had retreated", "Caos Lampedusa", "PUNTI DI VISTA DIVERSI", "By then", "by now"]
)
def test_subheadings_and_sentences_starting_with_by_are_not_bylines(line):
    assert parse_byline(line) is None
