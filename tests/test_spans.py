"""Technique spans from token states (`components.spans`): words and their vectors, decoding on
word boundaries without stop-word-only spans, the shipped head on texts written here, and the
trainer contract on a small fixture."""

from __future__ import annotations

import numpy as np
import pytest

from narrascope import analyze
from narrascope.artifacts import load
from narrascope.components.spans import Decoding, SpanLocator, Words, decode, stop_words, word_vectors
from narrascope.encoder import DIM, TokenStates
from narrascope.core import analyze_document
from narrascope.features import WORD
from narrascope.model import Document
from narrascope.taxonomy import TECHNIQUES

from conftest import FIXTURES
from test_rhetoric import make_document

SPANISH = """El Gobierno de los traidores vuelve a mentir

Los corruptos del Gobierno y sus lacayos de la prensa creen que los españoles son idiotas. Esta banda de ladrones y payasos está llevando al país a una catástrofe absoluta.

¿Quién paga la factura? Las familias de siempre, mientras la élite se ríe de todos nosotros desde sus mansiones.

Despertad: un régimen vergonzoso y podrido no se reforma, se derriba. ¡España primero!
"""
LOADED = (
    "The city council approved the new budget on Monday.\n\n"
    "This disgraceful, outrageous betrayal of hardworking families is a catastrophe. "
    "The shameless bureaucrats have trampled our sacred freedoms.\n\n"
    "The next meeting is scheduled for March."
)
NAME_CALLING = (
    "Senator Wilkins is a spineless traitor and a pathological liar.\n\n"
    "The committee will meet again on Tuesday to discuss the budget."
)


def assert_spans_are_words_not_stop_words(document: Document, spans) -> None:
    stop = stop_words(document.language.code)
    assert stop, f"no stop words for {document.language.code}"
    text = document.text

    def inside_a_word(offset: int) -> bool:
        return 0 < offset < len(text) and bool(WORD.match(text[offset - 1])) and bool(WORD.match(text[offset]))

    for span in spans:
        piece = text[span.start : span.end]
        assert not inside_a_word(span.start) and not inside_a_word(span.end), piece
        assert any(word.lower() not in stop for word in WORD.findall(piece)), f"stop words only: {piece!r}"


# --- words and their vectors ---------------------------------------------------------------


def test_words_know_their_paragraph_and_sentence():
    document = make_document("Über alles.\n\nZweiter Absatz, hier. Noch ein Satz.", "de")
    found = Words.of(document)
    assert [document.text[a:b] for a, b in found.boxes] == ["Über", "alles", "Zweiter", "Absatz", "hier", "Noch", "ein", "Satz"]
    assert found.paragraph.tolist() == [0, 0, 1, 1, 1, 1, 1, 1]
    assert found.sentence.tolist() == [0, 0, 1, 1, 1, 2, 2, 2]
    assert found.lower[0] == "über"


def test_a_word_vector_is_the_mean_of_the_pieces_that_start_inside_it():
    document = make_document("Plague outbreak, WHO says.")
    found = Words.of(document)
    offsets = np.array([[0, 3], [3, 6], [7, 15], [15, 16], [17, 20], [21, 25], [25, 26]], dtype=np.int32)
    states = np.zeros((len(offsets), DIM), dtype=np.float32)
    states[:, 0] = [1, 3, 5, 100, 7, 9, 100]  # the comma and the full stop are pieces of no word
    vectors = word_vectors(found, TokenStates(offsets, np.zeros(len(offsets), np.int32), states))
    assert vectors[:, 0].tolist() == [2, 5, 7, 9]


# --- decoding ------------------------------------------------------------------------------


def test_runs_of_words_become_spans_on_word_boundaries_and_stop_words_alone_never_do():
    document = make_document("They are the worst, most corrupt crooks in the land.")
    found = Words.of(document)
    scores = {"worst": 0.9, "most": 0.8, "corrupt": 0.9, "crooks": 0.7, "the": 0.95, "in": 0.9}
    inside = np.array([scores.get(w, 0.0) for w in found.lower])
    spans = decode(document, found, inside, np.array([1.0]), np.array([True]), Decoding(0.5), stop_words("en"))
    assert [document.text[a:b] for _, a, b in spans] == ["worst, most corrupt crooks"]  # stop words trimmed off its ends
    lonely = np.array([0.95 if w in ("the", "in") else 0.3 if w == "crooks" else 0.0 for w in found.lower])
    spans = decode(document, found, lonely, np.array([1.0]), np.array([True]), Decoding(0.5), stop_words("en"))
    assert [document.text[a:b] for _, a, b in spans] == ["crooks"]  # the label's evidence: its best word that is no stop word


def test_only_labelled_paragraphs_get_spans_and_a_label_always_gets_evidence():
    document = make_document("A shameful betrayal by the regime.\n\nBudget talks resume Tuesday, a shameful betrayal.")
    found = Words.of(document)
    inside = np.array([0.8 if w in ("shameful", "betrayal") else 0.05 for w in found.lower])
    stop = stop_words("en")
    first = np.array([True, False])
    strong = decode(document, found, inside, np.array([0.9, 0.9]), first, Decoding(0.3), stop)
    assert [(p, document.text[a:b]) for p, a, b in strong] == [(0, "shameful betrayal")]
    weak = decode(document, found, inside, np.array([0.2, 0.9]), first, Decoding(0.3), stop)
    assert [(p, document.text[a:b]) for p, a, b in weak] == [(0, "shameful")]
    assert decode(document, found, inside, np.array([0.9, 0.9]), np.array([False, False]), Decoding(0.3), stop) == []


def test_a_sentence_level_technique_marks_its_best_sentence():
    document = make_document("The weather was fine. But who really believes their story? Nobody does.")
    found = Words.of(document)
    inside = np.array([0.9 if w in ("who", "really", "believes", "their", "story") else 0.1 for w in found.lower])
    spans = decode(document, found, inside, np.array([0.8]), np.array([True]), Decoding(0.3, "sentence"), stop_words("en"))
    assert [document.text[a:b] for _, a, b in spans] == ["But who really believes their story?"]


def test_runs_bridge_weak_words_only_inside_a_sentence_and_keep_the_strongest():
    document = make_document("The corrupt and rotten elite lies. Greedy bankers laugh at us all.")
    found = Words.of(document)
    scores = {"corrupt": 0.9, "rotten": 0.8, "elite": 0.6, "lies": 0.4, "greedy": 0.7, "bankers": 0.5}
    inside = np.array([scores.get(w, 0.1) for w in found.lower])
    stop = stop_words("en")

    def marked(decoding: Decoding) -> list[str]:
        return [document.text[a:b] for _, a, b in decode(document, found, inside, np.array([1.0]), np.array([True]), decoding, stop)]

    assert marked(Decoding(0.5)) == ["corrupt", "rotten elite", "Greedy bankers"]
    assert marked(Decoding(0.5, gap=1)) == ["corrupt and rotten elite", "Greedy bankers"]  # "lies." and "Greedy" are two sentences
    assert marked(Decoding(0.5, max_runs=1)) == ["corrupt"]


def test_a_clause_level_technique_widens_its_words_to_their_clause():
    document = make_document("Officials met on Monday, and frankly nobody can trust these liars anymore; the talks go on.")
    found = Words.of(document)
    inside = np.array([0.9 if w == "liars" else 0.05 for w in found.lower])
    spans = decode(document, found, inside, np.array([1.0]), np.array([True]), Decoding(0.5, "clause"), stop_words("en"))
    assert [document.text[a:b] for _, a, b in spans] == ["and frankly nobody can trust these liars anymore"]


# --- the shipped head ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def readme_sample():
    return analyze(str(FIXTURES.parent.parent / "samples" / "opinion-column.html"), components=["techniques"])


def test_the_readme_sample_has_spans_on_words_and_none_of_stop_words_only(readme_sample):
    spans = readme_sample.results.techniques.spans
    assert spans
    assert_spans_are_words_not_stop_words(readme_sample.document, spans)


def test_a_spanish_article_has_no_stop_word_highlight():
    analysis = analyze_document(make_document(SPANISH, "es"), components=["techniques"])
    spans = analysis.results.techniques.spans
    assert spans
    assert_spans_are_words_not_stop_words(analysis.document, spans)
    highlighted = {analysis.document.text[s.start : s.end].lower() for s in spans}
    assert not highlighted & {"un", "a", "las", "los", "la", "el", "de", "y"}


def test_a_clear_insult_gets_a_name_calling_span_on_the_insult():
    analysis = analyze_document(make_document(NAME_CALLING), components=["techniques"])
    marked = [analysis.document.text[s.start : s.end].lower() for s in analysis.results.techniques.spans if s.label == "Name_Calling-Labeling"]
    assert any("traitor" in m or "liar" in m for m in marked), marked
    assert not any("committee" in m or "budget" in m for m in marked)


def test_loaded_language_spans_land_on_the_loaded_words_not_on_the_plain_paragraphs():
    analysis = analyze_document(make_document(LOADED), components=["techniques"])
    document, spans = analysis.document, analysis.results.techniques.spans
    loaded = [document.text[s.start : s.end].lower() for s in spans if s.label == "Loaded_Language"]
    assert any(word in m for m in loaded for word in ("disgraceful", "outrageous", "shameless", "catastrophe")), loaded
    plain = [document.paragraphs[0], document.paragraphs[2]]
    assert not [s for s in spans if any(p.start <= s.start < p.end for p in plain)]
    assert_spans_are_words_not_stop_words(document, spans)


def test_the_shipped_span_head_card_says_what_it_learnt_from():
    arrays, card = load("spans")
    assert card["trained_on"]["splits"] == ["train"] and "fit" in card["trained_on"]["parts"]
    assert card["labels"] == list(TECHNIQUES)
    assert set(card["cross_fitted"]["techniques"]) == set(TECHNIQUES)
    assert all(not a.dtype.hasobject for a in arrays.values())
    locator = SpanLocator(arrays, card)
    assert locator.head.coef.shape[0] == len(locator.decodings) == len(TECHNIQUES)
    assert {d.level for d in locator.decodings} <= {"words", "clause", "sentence"}
    assert card["cross_fitted"]["span_f1"]["mean"] > 0.1  # decodings were picked on out-of-fold spans


# --- the trainer contract ------------------------------------------------------------------


def test_fit_trains_a_head_the_component_can_load_on_a_small_fixture():
    """`train.spans.fit` on eight hand-written articles (not the corpora): a head for the
    technique they mark, a cut and a level for every technique, a card that says how it scored."""
    from narrascope.evaluate.datasets import Example
    from narrascope.train import spans as trainer

    insults = ["crooks", "traitors", "clowns", "liars", "thugs", "parasites", "cowards", "frauds"]
    examples = []
    for i, insult in enumerate(insults):
        text = f"Council news {i}\n\nThe mayor's {insult} voted again on the budget today. The session ended at noon."
        document = make_document(text)
        start = text.index(insult)
        examples.append(Example(
            document=document, document_id=str(100 + i), language="en", dataset="semeval2023-task3", part="fit",
            paragraph_techniques={0: [], 1: ["Name_Calling-Labeling"]}, line_of_paragraph=[1, 3],
            spans=[("Name_Calling-Labeling", start, start + len(insult))],
        ))
    (arrays, card), = trainer.fit(examples).values()
    locator = SpanLocator(arrays, card)
    j = list(TECHNIQUES).index("Name_Calling-Labeling")
    assert np.any(locator.head.coef[j] != 0) and not np.any(locator.head.coef[list(TECHNIQUES).index("Doubt")])
    assert set(card["cross_fitted"]["techniques"]) == set(TECHNIQUES)
    assert card["documents"] == {"en": len(insults)} and card["recipe"] == trainer.RECIPES[0]
    with pytest.raises(ValueError, match="unknown spans recipe"):
        trainer.fit(examples, recipe="nonsense")


def test_token_states_are_encoded_once_into_the_cache_folder_and_read_back_exactly(tmp_path, monkeypatch):
    """With `token_states_cache` set, a training or evaluation run encodes an article once: the
    next run (a fresh listing of the folder) reads the same states back, bit for bit, and a file
    made by other vectors is never read."""
    from narrascope.encoder import saved_states as spans

    monkeypatch.setenv("NARRASCOPE_TOKEN_STATES_CACHE", str(tmp_path))
    document = make_document("Council news\n\nThe mayor's crooks voted again on the budget today. It ended at noon.")
    encoded = []
    encode = spans.token_states
    monkeypatch.setattr(spans, "token_states", lambda d: encoded.append(d.id) or encode(d))

    first = spans.document_states(document)
    spans._cached_state_files.cache_clear()  # the next run lists the folder afresh
    second = spans.document_states(document)
    assert encoded == [document.id]
    for name in ("offsets", "sentence", "states"):
        np.testing.assert_array_equal(getattr(first, name), getattr(second, name))
    assert [p.name for p in tmp_path.rglob("*.npz")] == [f"{document.id}.npz"]  # no partial file left

    (saved,) = tmp_path.rglob("*.npz")
    saved.unlink()
    np.savez(tmp_path / "older.npz", text_id=document.id, vectors="an older encoder", offsets=first.offsets,
             sentence=first.sentence, states=np.zeros_like(first.states))
    spans._cached_state_files.cache_clear()
    third = spans.document_states(document)
    assert encoded == [document.id, document.id]
    np.testing.assert_array_equal(third.states, first.states)
