"""Page furniture inside the extracted body, line by line: what is cut, with its reason, and
the body sentences that use the same words and stay."""

from __future__ import annotations

import pytest

from narrascope.extract.furniture import classify_lines, line_reason


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Read more: Looted art to go back to its owners", "related link"),
        ("Le puede interesar: Tres nuevos casos en la corte", "related link"),
        ("MIRA: Madre detenida al visitar a su hijo", "related link"),
        ("Lesen Sie mehr: Die Bahn erhöht die Preise", "related link"),
        ("Keine Kommentare (Kommentare erscheinen erst nach unserer Freigabe)", "comments"),
        ("Kommentare insgesamt: 0", "comments"),
        ("Um den Artikel kommentieren zu können, müssen Sie eingeloggt sein.", "comments"),
        ("Let us know in the comments: would you take the ferry?", "comments"),
        ("(Credit: Jane Doe / The Courier)", "credit"),
        ("Crédits photos : Agence", "credit"),
        ("Quelle: Landesregierung", "credit"),
        ("Kontakt:", "contact"),
        ("Telefon: +49 40 300 30 1141", "contact"),
        ("Weitere Informationen:", "listing heading"),
        ("Inhaltsverzeichnis", "listing heading"),
        ("Letzte Änderung 14.02.2019", "updated"),
        ("If you're already a subscriber, you can log in for immediate access to this story.", "subscription"),
        ("HAZTE MIEMBRO Y DISFRUTA DE BENEFICIOS EXCLUSIVOS", "subscription"),
        ("Klicken Sie auf den Button, um den Inhalt von www.komoot.de zu laden.", "embed notice"),
        ("*Werbung. Dieser Beitrag enthält Werbung für eine Marke.", "advertisement"),
    ],
)
def test_furniture_lines_are_cut_with_their_reason(line, reason):
    assert line_reason(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        "Read more about the plan in the council's report, which was published on Friday.",
        "The photos show the harbour at dawn, before the storm reached the coast.",
        "Sources said the contact between the two ministers had broken off in March.",
        "Readers left more than 300 comments under the first report, most of them angry.",
        "Telephone companies will have to share their masts with smaller rivals, the regulator said.",
        "Already a subscriber to the plan, the mayor said she would not change her mind.",
    ],
)
def test_body_sentences_using_the_same_words_stay(line):
    assert line_reason(line) is None


def test_a_related_heading_takes_the_headlines_under_it_and_stops_at_prose():
    lines = [
        "Schon gelesen?",
        "Luftwaffe beginnt mit dem Training auf neuen Hubschraubern",
        "Weitere Artikel zum Thema",
        "The ministry said the order would be signed in the spring, after the budget vote.",
    ]
    assert classify_lines(lines) == {0: "related links", 1: "related links", 2: "related links"}
