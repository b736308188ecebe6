"""The rhetoric heads (genre, frames, techniques): shipped artifacts, behaviour on hand-written
articles, span integrity, features and calibration."""

from __future__ import annotations

import numpy as np
import pytest

from narrascope.artifacts import load
from narrascope.components import create
from narrascope.components._heads import Decision
from narrascope.core import read_document
from narrascope.features import NgramVocabulary, style_features
from narrascope.ingest import RawDocument
from narrascope.model import Analysis, Document, Language
from narrascope.taxonomy import FRAMES, GENRES, TECHNIQUES
from narrascope.extract.segment import split_paragraphs, split_sentences

from conftest import FIXTURES

HEADS = ("genre", "frames", "techniques")


def make_document(text: str, language: str = "en") -> Document:
    paragraphs = split_paragraphs(text)
    return Document(
        id=Document.content_id(text),
        source="fixture",
        language=Language(code=language, confidence=1.0),
        text=text,
        paragraphs=paragraphs,
        sentences=split_sentences(text, paragraphs, language),
    )


def fixture(name: str) -> Document:
    return make_document((FIXTURES / "rhetoric" / f"{name}.txt").read_text(encoding="utf-8").strip())


@pytest.fixture(scope="module")
def heads():
    return {name: create(name) for name in HEADS}


def run(heads, document: Document) -> Analysis:
    analysis = Analysis(document=document)
    for name in HEADS:
        analysis = heads[name](analysis)
    return analysis


@pytest.mark.parametrize("name", HEADS)
def test_artifact_cards_say_what_the_model_is(name):
    arrays, card = load(name)
    for field in ("name", "version", "labels", "data", "seed", "created", "validation", "versions", "encoder"):
        assert field in card, f"{name} card lacks {field}"
    assert card["data"]["hash"] and card["data"]["path"]
    assert 0 <= card["validation"]["ece"] <= 0.05, f"{name}: cross-fitted ECE above the 0.05 the cards promise"
    assert "thresholds" in card or "calibration" in card
    assert arrays and all(not a.dtype.hasobject for a in arrays.values())


def test_components_expose_their_label_sets(heads):
    assert set(heads["genre"].labels) == set(GENRES)
    assert set(heads["frames"].labels) == set(FRAMES)
    assert set(heads["techniques"].labels) == set(TECHNIQUES)
    assert all(heads[n].name == n and heads[n].version for n in HEADS)


@pytest.mark.xfail(
    strict=True,
    reason="known weakness of genre (1.x to 2.1): a dry local report scores as satire and an Onion-style "
    "story as opinion. Both are far from the training articles (SemEval's satire is mostly "
    "sarcastic political commentary) and the embedding blocks, not length, carry the score: "
    "training on opening excerpts too did not move them and cost validation macro-F1. The "
    "analysis warns that both are unlike the training articles (see below); strict, so a fix "
    "shows up as XPASS",
)
def test_satire_ranks_above_a_dry_report(heads):
    satire = run(heads, fixture("satire")).results.genre
    report = run(heads, fixture("report")).results.genre
    assert satire.probabilities["satire"] > report.probabilities["satire"]
    assert report.probabilities["reporting"] > satire.probabilities["reporting"]
    assert report.label == "reporting"


def test_an_article_unlike_the_training_articles_gets_a_warning_about_its_genre(heads):
    """A council report and an Onion-style story are far from the political news the genre head
    learnt from: their labels are flagged as weak guesses; the README's opinion column on the war
    is not flagged."""
    for name in ("report", "satire"):
        unlike = run(heads, fixture(name))
        assert unlike.results.genre.familiarity < 0.05, name
        assert any(w.startswith("genre: this article is unlike the articles the model learnt from") for w in unlike.warnings)
    html = (FIXTURES.parent.parent / "samples" / "opinion-column.html").read_text(encoding="utf-8")
    column = run(heads, read_document(RawDocument(source="sample", content=html, kind="html")))
    assert column.results.genre.familiarity >= 0.05
    assert not any(w.startswith("genre:") for w in column.warnings)


def test_a_language_never_trained_on_is_named_in_the_genre_warning(heads):
    spanish = run(heads, make_document(
        "El Gobierno aprueba los presupuestos\n\nEl Consejo de Ministros aprobó ayer los presupuestos "
        "generales con un aumento del gasto en defensa y en pensiones, según fuentes del Ejecutivo.", "es"
    ))
    warning = next(w for w in spanish.warnings if w.startswith("genre:"))
    assert "'es' was not in training" in warning and spanish.results.genre.label in warning


def test_genre_probabilities_form_a_distribution(heads):
    genre = run(heads, fixture("report")).results.genre
    values = np.array([genre.probabilities[g] for g in GENRES])
    assert ((values >= 0) & (values <= 1)).all()
    assert values.sum() == pytest.approx(1.0, abs=1e-6)
    assert genre.label == max(genre.probabilities, key=genre.probabilities.get)


def test_name_calling_and_loaded_words_are_found_with_their_words(heads):
    document = fixture("name_calling")
    techniques = run(heads, document).results.techniques
    found = {label.label for p in techniques.paragraphs for label in p.labels}
    assert {"Name_Calling-Labeling", "Loaded_Language"} <= found
    marked = " ".join(document.text[s.start : s.end].lower() for s in techniques.spans if s.label == "Name_Calling-Labeling")
    assert any(word in marked for word in ("puppets", "lunatics", "traitors", "crooks", "clowns", "elites"))


def test_a_slogan_is_picked_up(heads):
    document = fixture("name_calling")
    techniques = run(heads, document).results.techniques
    slogan_paragraph = next(i for i, p in enumerate(document.paragraph_texts()) if p.startswith("Make America"))
    labels = {label.label for label in techniques.paragraphs[slogan_paragraph].labels}
    assert "Slogans" in labels


@pytest.mark.parametrize("name", ["satire", "report", "name_calling"])
def test_every_span_slices_back_inside_its_paragraph(heads, name):
    document = fixture(name)
    analysis = run(heads, document)
    techniques = analysis.results.techniques
    assert [p.paragraph for p in techniques.paragraphs] == list(range(len(document.paragraphs)))
    for span in techniques.spans:
        box = document.paragraphs[span.paragraph]
        piece = document.text[span.start : span.end]
        assert box.start <= span.start < span.end <= box.end
        assert piece == piece.strip() and piece
        assert 0 <= span.score <= 1
    for frame in analysis.results.frames.labels:
        assert frame.paragraphs and all(0 <= i < len(document.paragraphs) for i in frame.paragraphs)


def test_unseen_language_and_empty_document_run(heads):
    georgian = make_document("ახალი ამბები\n\nმთავრობამ დღეს ახალი ბიუჯეტი დაამტკიცა.", "ka")
    analysis = run(heads, georgian)
    assert analysis.results.genre.label in GENRES
    assert set(analysis.results.frames.probabilities) == set(FRAMES)
    empty = run(heads, make_document("", "en"))
    assert empty.results.techniques.paragraphs == [] and empty.results.frames.labels == []


def test_an_unseen_language_keeps_few_techniques_per_paragraph_and_says_why(heads):
    georgian = make_document(
        "ომი და მშვიდობა\n\nმთავრობამ დღეს ახალი ბიუჯეტი დაამტკიცა. ოპოზიცია ამბობს, რომ ეს კატასტროფაა.\n\n"
        "ხალხი ქუჩაში გამოვიდა და მოითხოვს, რომ მინისტრები გადადგნენ.", "ka"
    )
    analysis = run(heads, georgian)
    cap = heads["techniques"].unseen_language_cap
    assert 1 <= cap <= 3
    assert all(len(p.labels) <= cap for p in analysis.results.techniques.paragraphs)
    assert any("'ka' was not in training" in w for w in analysis.warnings)
    english = run(heads, fixture("report"))
    assert not any("not in training" in w for w in english.warnings)


def test_ngram_vocabulary_round_trips_through_arrays():
    texts = ["the cat sat on the mat", "the dog sat", "a cat and a dog", "the mat"]
    vocabulary = NgramVocabulary.fit(texts, max_terms=50, min_df=1)
    restored = NgramVocabulary.from_arrays(vocabulary.arrays("v"), "v")
    assert (vocabulary.transform(texts) != restored.transform(texts)).nnz == 0
    rows = vocabulary.transform(["the cat", "nothing known here"]).toarray()
    assert np.linalg.norm(rows[0]) == pytest.approx(1.0) and not rows[1].any()


def test_style_features_see_shouting():
    calm, loud = style_features(["The council met on Monday.", "THIS IS AN OUTRAGE!!! Wake up!"])
    assert (loud >= calm).all() and loud.sum() > calm.sum()


def test_decision_calibrates_and_thresholds_per_language():
    from narrascope.train._rhetoric import fit_decision, predict_labels

    rng = np.random.default_rng(0)
    targets = rng.integers(0, 2, size=(600, 2))
    scores = targets * 3.0 - 1.5 + rng.normal(0, 1, size=targets.shape)
    languages = np.array(["en", "fr"] * 300)
    decision = fit_decision(scores, targets, languages, "cross-fitted")
    probabilities = decision.probabilities(scores)
    assert ((probabilities >= 0) & (probabilities <= 1)).all()
    assert probabilities[targets == 1].mean() > 0.7 > 0.3 > probabilities[targets == 0].mean()
    restored = Decision.from_arrays(decision.arrays("h"), "h")
    assert np.allclose(restored.thresholds_for("fr"), decision.thresholds_for("fr"))
    assert np.allclose(restored.thresholds_for("ka"), decision.thresholds)
    accuracy = (predict_labels(decision, scores, languages) == targets.astype(bool)).mean()
    assert accuracy > 0.85


def test_temperature_scaling_recovers_an_overconfident_model():
    from narrascope.train.genre import fit_temperature

    rng = np.random.default_rng(1)
    logits = rng.normal(0, 2, size=(2000, 3))
    probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    gold = np.array([rng.choice(3, p=p) for p in probabilities])
    assert fit_temperature(logits * 3, gold) == pytest.approx(3.0, rel=0.15)


def test_genre_moves_to_a_collections_own_mix_only_when_the_mix_differs(heads):
    """EM on the training mix finds the training mix (nothing moves); on a collection whose
    articles mostly lean to reporting it finds more reporting, and a borderline article turns."""
    genre = heads["genre"]
    labels = list(genre.labels)
    at_training = np.tile(genre.training_priors, (40, 1))
    np.testing.assert_allclose(genre.collection_priors(at_training), genre.training_priors, atol=1e-3)
    leaning = np.tile(np.array([0.2, 0.75, 0.05])[[labels.index(g) for g in ("opinion", "reporting", "satire")]], (40, 1))
    borderline = np.array([0.5, 0.45, 0.05])[[labels.index(g) for g in ("opinion", "reporting", "satire")]]
    rows = np.vstack([leaning, borderline])
    found = genre.collection_priors(rows)
    assert found[labels.index("reporting")] > genre.training_priors[labels.index("reporting")] + 0.2
    moved = genre.at_priors(rows, found)
    assert labels[int(rows[-1].argmax())] == "opinion" and labels[int(moved[-1].argmax())] == "reporting"
    np.testing.assert_allclose(moved.sum(axis=1), 1.0)
