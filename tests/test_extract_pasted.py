"""Text pasted from a browser: the slips users met (issue 20), each pinned."""

from __future__ import annotations

import pytest

from narrascope.extract import extract
from narrascope.extract.furniture import line_reason
from narrascope.ingest import RawDocument
from narrascope.settings import Settings

BODY = (
    "The harbour authority approved the plan on Friday after a debate that lasted most of the night.\n"
    "Opponents said the costs had been understated and promised to challenge the decision in court."
)


def _pasted(text: str, **metadata):
    return extract(RawDocument(source="<paste>", content=text, kind="text", metadata=metadata), Settings())


def test_a_skip_link_is_cut_and_never_becomes_the_title():
    page = _pasted(f"Skip to content\nMenu\nHarbour plan approved after a night of debate\n{BODY}")
    assert page.title == "Harbour plan approved after a night of debate"
    assert "Skip to content" not in page.text
    assert ("Skip to content", "skip link") in {(item.text, item.reason) for item in page.removed}


def test_a_known_title_that_extraction_cut_as_furniture_is_not_used():
    page = _pasted(f"Skip to content\n{BODY}", title="Skip to content")
    assert page.title is None
    cut = {item.text for item in page.removed}
    assert page.title not in cut


@pytest.mark.parametrize(
    "line",
    [
        "Share on Facebook…", "Share on Facebook Share on Twitter Share on WhatsApp", "Tweet",
        "Partager sur Facebook", "Auf Facebook teilen", "Condividi su Facebook", "Udostępnij na Facebooku",
        "Поделиться в Telegram", "Compartir en Facebook", "Compartilhar no WhatsApp", "Κοινοποίηση στο Facebook",
        "Споделете във Facebook", "Поділитися у Facebook", "Facebook पर शेयर करें",
    ],
)
def test_share_lines_are_cut_in_the_training_languages(line):
    assert line_reason(line) == "share bar"
    page = _pasted(f"Harbour plan approved after a night of debate\n{line}\n{BODY}")
    assert line not in page.text


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Follow us on Twitter", "follow us"), ("Suivez-nous sur Facebook", "follow us"),
        ("Folgen Sie uns auf Instagram", "follow us"), ("Seguici su Facebook", "follow us"),
        ("Obserwuj nas na Twitterze", "follow us"), ("Подписывайтесь на нас в Telegram", "follow us"),
        ("Слідкуйте за нами в Telegram", "follow us"), ("Ακολουθήστε μας στο Twitter", "follow us"),
        ("हमें फॉलो करें", "follow us"),
        ("Sign up for our newsletter", "newsletter"), ("Inscrivez-vous à notre newsletter", "newsletter"),
        ("Abonnieren Sie unseren Newsletter", "newsletter"), ("Iscriviti alla nostra newsletter", "newsletter"),
        ("Zapisz się do newslettera", "newsletter"), ("Подпишитесь на нашу рассылку", "newsletter"),
        ("Абонирайте се за нашия бюлетин", "newsletter"), ("Suscríbete a nuestro boletín", "newsletter"),
        ("न्यूज़लेटर के लिए साइन अप करें", "newsletter"),
        ("Zum Inhalt springen", "skip link"), ("Перейти к содержимому", "skip link"),
    ],
)
def test_follow_newsletter_and_skip_lines_are_cut_in_the_training_languages(line, reason):
    assert line_reason(line) == reason


@pytest.mark.parametrize(
    ("byline", "authors", "published"),
    [
        ("By Jane Doe\nMarch 3, 2024", ["Jane Doe"], "2024-03-03"),
        ("Jane Doe · Sunday, March 3, 2024", ["Jane Doe"], "2024-03-03"),
        ("Par Jean Dupont, publié le dimanche 3 mars 2024", ["Jean Dupont"], "2024-03-03"),
        ("Publié le 3 mars 2024 à 10h15", [], "2024-03-03T10:15"),
        ("Иван Петров, воскресенье, 3 марта 2024", ["Иван Петров"], "2024-03-03"),
        ("Von Max Mustermann\nSonntag, 3. März 2024", ["Max Mustermann"], "2024-03-03"),
    ],
)
def test_bylines_with_written_out_dates_are_read(byline, authors, published):
    page = _pasted(f"Harbour plan approved after a night of debate\n{byline}\n{BODY}")
    assert (page.authors, page.published) == (authors, published)
    assert page.text == BODY
