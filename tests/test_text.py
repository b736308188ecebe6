"""Normalisation, language identification and segmentation of the analysed text."""

from __future__ import annotations

import pytest

from narrascope.extract import Extracted
from narrascope.ingest import RawDocument
from narrascope.model import Document
from narrascope.extract import build_document, split_paragraphs, split_sentences
from narrascope.extract.language import detect_language
from narrascope.extract.normalize import normalize


def _document(body: str, title: str | None = None) -> Document:
    extracted = Extracted(text=body, title=title, authors=[], published=None, site=None, removed=[])
    return build_document(extracted, RawDocument(source="<text>", content=body, kind="text"))


def test_normalize_line_ends_spaces_and_blank_runs():
    raw = "Title\u00a0here  \r\n\r\n\r\n\r\nCafe\u0301 au lait\u200b.\t Fin\u202f!\rLast line   \n\n"
    assert normalize(raw) == "Title here\n\nCafé au lait. Fin !\nLast line"


LANGUAGE_SAMPLES = {
    "en": "The government announced new measures to support families facing higher energy bills this winter."
    " Critics said the help came too late.",
    "fr": "Le gouvernement a annoncé de nouvelles mesures pour aider les familles face à la hausse des factures."
    " Les critiques jugent cette aide trop tardive.",
    "de": "Die Regierung hat neue Maßnahmen angekündigt, um Familien bei den steigenden Energiekosten zu helfen."
    " Kritiker nennen die Hilfe verspätet.",
    "it": "Il governo ha annunciato nuove misure per sostenere le famiglie di fronte all'aumento delle bollette."
    " I critici dicono che arrivano tardi.",
    "pl": "Rząd ogłosił nowe działania, które mają pomóc rodzinom w obliczu rosnących rachunków za energię."
    " Krytycy mówią, że to za późno.",
    "ru": "Правительство объявило о новых мерах поддержки семей, столкнувшихся с ростом счетов за энергию."
    " Критики считают, что помощь запоздала.",
    "bg": "Правителството обяви нови мерки в подкрепа на семействата, изправени пред по-високите сметки за ток."
    " Критиците казват, че помощта закъснява.",
    "uk": "Уряд оголосив про нові заходи підтримки родин, які зіткнулися зі зростанням рахунків за енергію."
    " Критики кажуть, що допомога запізнилася.",
    "pt": "O governo anunciou novas medidas para apoiar as famílias perante o aumento das faturas de energia."
    " Os críticos dizem que a ajuda chega tarde.",
    "es": "El gobierno anunció nuevas medidas para apoyar a las familias ante el aumento de las facturas de luz."
    " Los críticos dicen que la ayuda llega tarde.",
    "el": "Η κυβέρνηση ανακοίνωσε νέα μέτρα για τη στήριξη των οικογενειών απέναντι στους αυξημένους λογαριασμούς."
    " Οι επικριτές λένε ότι η βοήθεια άργησε.",
    "hi": "सरकार ने इस सर्दी में बढ़ते बिजली बिलों का सामना कर रहे परिवारों की मदद के लिए नए उपायों की घोषणा की।"
    " आलोचकों का कहना है कि मदद देर से आई।",
    "ka": "მთავრობამ გამოაცხადა ახალი ზომები ოჯახების მხარდასაჭერად, რომლებიც ენერგიის მაღალ ფასებს აწყდებიან."
    " კრიტიკოსები ამბობენ, რომ დახმარება დაგვიანდა.",
}


@pytest.mark.parametrize(("code", "sentence"), list(LANGUAGE_SAMPLES.items()), ids=list(LANGUAGE_SAMPLES))
def test_each_required_language_is_identified(code, sentence):
    assert detect_language(sentence).code == code
    document = _document(sentence)
    assert document.language.code == code
    assert document.paragraphs[0].language.code == code


@pytest.mark.slow  # loads lingua's full models (seconds on a busy machine)
@pytest.mark.parametrize(("code", "phrase"), [("de", "Guten Morgen zusammen"), ("uk", "Дякую, друзі"), ("pt", "Bom dia a todos")])
def test_short_phrases_use_the_accurate_mode(code, phrase):
    assert detect_language(phrase).code == code


def test_text_without_letters_has_no_language():
    assert detect_language("12 345 — 67%").code is None


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("zh", "北京是中国的首都，这座城市有两千多万人口。政府今天宣布了新的交通计划。"),
        ("ja", "東京は日本の首都です。政府は今日、新しい交通計画を発表しました。"),
        ("ko", "서울은 한국의 수도입니다. 정부는 오늘 새로운 교통 계획을 발표했습니다."),
        ("he", "ירושלים היא עיר עתיקה. הממשלה הודיעה היום על תוכנית תחבורה חדשה."),
    ],
)
def test_languages_with_a_script_of_their_own_are_named_though_no_head_is_trained_on_them(code, text):
    assert detect_language(text).code == code
    assert _document(text).language.code == code


# "Слава героям": lingua gives Ukrainian 0.357, Bulgarian 0.355, Russian 0.288
@pytest.mark.parametrize("text", ["Hello", "OK", "Merci", "Ukraine war news", "Слава героям"])
def test_a_few_words_leave_the_language_undetermined_rather_than_wrong(text):
    assert detect_language(text).code is None
    document = _document(text)
    assert (document.language.code, document.language.confidence) == (None, 0.0)


def test_mixed_english_russian_document_is_flagged():
    english = LANGUAGE_SAMPLES["en"] + " Officials expect prices to stay high until the spring."
    russian = LANGUAGE_SAMPLES["ru"] + " Чиновники ожидают, что цены останутся высокими до весны."
    document = _document("\n".join([english, russian, english]))
    assert document.mixed_language
    assert document.language.code == "en"
    assert [p.language.code for p in document.paragraphs] == ["en", "ru", "en"]


def test_single_language_document_is_not_mixed_and_short_lines_inherit():
    document = _document("\n".join([LANGUAGE_SAMPLES["fr"], "Bref.", LANGUAGE_SAMPLES["fr"]]))
    assert not document.mixed_language
    assert [p.language.code for p in document.paragraphs] == ["fr", "fr", "fr"]


def test_title_leads_the_text_like_the_training_corpora():
    document = _document("First paragraph of the body.\nSecond one.", title="A headline\u00a0here")
    assert document.text == "A headline here\n\nFirst paragraph of the body.\nSecond one."
    assert document.paragraph_texts() == ["A headline here", "First paragraph of the body.", "Second one."]
    assert document.id == Document.content_id(document.text)
    assert document.title == "A headline here"


def _sentences(text: str, language: str) -> list[str]:
    paragraphs = split_paragraphs(text)
    return [text[s.start : s.end] for s in split_sentences(text, paragraphs, language)]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "Mr. Smith met Dr. Jones at 3.5 p.m. on Friday. They spoke.",
         ["Mr. Smith met Dr. Jones at 3.5 p.m. on Friday.", "They spoke."]),
        ("en", 'He said: "Go home." Then he left. J. R. Tolkien agreed.',
         ['He said: "Go home."', "Then he left.", "J. R. Tolkien agreed."]),
        ("en", "It cost $61.5 billion. The U.S. Army said so. Wait... and see.",
         ["It cost $61.5 billion.", "The U.S. Army said so.", "Wait... and see."]),
        ("ru", "Он сказал, т.е. подтвердил это. Г. Путин приехал в 10.30 утра. Всё ясно!",
         ["Он сказал, т.е. подтвердил это.", "Г. Путин приехал в 10.30 утра.", "Всё ясно!"]),
        ("de", "Das ist z.B. ein Test. Dr. Müller sagte nichts.", ["Das ist z.B. ein Test.", "Dr. Müller sagte nichts."]),
        ("fr", "M. Dupont est arrivé. « Pourquoi ? » a-t-il demandé.",
         ["M. Dupont est arrivé.", "« Pourquoi ? » a-t-il demandé."]),
        ("pl", "Prof. Nowak przyszedł 2 listopada 2024 r. do pracy. Dobrze.",
         ["Prof. Nowak przyszedł 2 listopada 2024 r. do pracy.", "Dobrze."]),
        ("hi", "यह एक वाक्य है। यह दूसरा वाक्य है।", ["यह एक वाक्य है।", "यह दूसरा वाक्य है।"]),
        ("el", "Τι κάνεις\u037e Είμαι καλά.", ["Τι κάνεις;", "Είμαι καλά."]),
        ("ka", "ეს პირველი წინადადებაა. ეს მეორეა.", ["ეს პირველი წინადადებაა.", "ეს მეორეა."]),
    ],
)
def test_sentence_edge_cases(language, text, expected):
    assert _sentences(normalize(text), language) == expected


def test_sentences_never_cross_paragraphs_and_offsets_slice_back():
    text = "  First line without a stop\nSecond line. Two sentences here.  \n\n\nThird."
    paragraphs = split_paragraphs(text)
    assert [text[p.start : p.end] for p in paragraphs] == [
        "First line without a stop", "Second line. Two sentences here.", "Third.",
    ]
    sentences = split_sentences(text, paragraphs, "en")
    assert [(text[s.start : s.end], s.paragraph) for s in sentences] == [
        ("First line without a stop", 0), ("Second line.", 1), ("Two sentences here.", 1), ("Third.", 2),
    ]
