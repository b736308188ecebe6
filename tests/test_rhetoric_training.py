"""Training the rhetoric heads (`train._rhetoric`, `train.frames`): nothing is tuned on rows a
head learnt from, the shipped head learns from every example, and `fit` gives an artifact the
component loads. Embeddings are stubbed with fixed vectors: tests never run the encoder over
a corpus."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from narrascope.components import _heads as heads
from narrascope.components.frames import Frames
from narrascope.evaluate.datasets import Example
from narrascope.extract.segment import split_paragraphs, split_sentences
from narrascope.model import Analysis, Document, Language
from narrascope.train import _rhetoric as r
from narrascope.train import frames, protocol

WORDS = {
    "Economic": "budget taxes inflation wages prices jobs spending deficit",
    "Security_and_defense": "army troops missiles border attack soldiers war defence",
}


def make_example(index: int, language: str, part: str) -> Example:
    label = list(WORDS)[index % 2]
    words = WORDS[label].split()
    text = f"Title {index}\n\n" + "\n\n".join(
        f"The {words[(index + k) % len(words)]} and the {words[(index + 2 * k) % len(words)]} matter, paragraph {k}." for k in range(3)
    )
    paragraphs = split_paragraphs(text)
    document = Document(
        id=Document.content_id(text), source="fixture", language=Language(code=language, confidence=1.0), text=text,
        paragraphs=paragraphs, sentences=split_sentences(text, paragraphs, language),
    )
    return Example(document=document, document_id=str(index), language=language, dataset=r.DATASET, part=part, frames=[label])


def stub_embeddings(document: Document) -> np.ndarray:
    """A fixed unit vector per paragraph, from its words (the economic ones lean one way)."""
    rows = []
    for text in document.paragraph_texts():
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big")
        vector = np.random.default_rng(seed).normal(size=384)
        vector[0] += 3.0 if any(w in text for w in WORDS["Economic"].split()) else -3.0
        rows.append(vector / np.linalg.norm(vector))
    return np.array(rows, dtype=np.float32)


@pytest.fixture
def examples(monkeypatch):
    monkeypatch.setattr(r, "paragraph_embeddings", stub_embeddings)
    monkeypatch.setattr(heads, "paragraph_embeddings", stub_embeddings)
    monkeypatch.setattr(r, "_EMBEDDED", {})
    return [make_example(i, ("en", "fr")[i % 3 == 0], "validation" if i % 5 == 0 else "fit") for i in range(48)]


def test_folds_keep_a_documents_rows_together_and_do_not_move():
    keys = [f"en/{i // 3}" for i in range(300)]
    groups = r.folds(keys)
    assert all(len(set(groups[i : i + 3])) == 1 for i in range(0, 300, 3))
    assert set(groups) == set(range(r.FOLDS))
    assert (groups == r.folds(keys)).all()


def test_holdout_is_the_validation_part_or_a_fixed_fifth(examples):
    held = r.holdout(examples)
    assert held.tolist() == [e.part == "validation" for e in examples]
    fit_only = [e for e in examples if e.part == "fit"]
    fifth = r.holdout(fit_only)
    assert 0 < fifth.sum() < len(fit_only) and (fifth == r.holdout(fit_only)).all()


@pytest.mark.parametrize("recipe", r.RECIPES)
def test_no_row_is_tuned_on_scores_of_a_head_that_learnt_from_it(recipe):
    keys = [f"en/{i // 2}" for i in range(60)]
    held = np.arange(60) % 5 == 0
    fitted_on = []

    class Seen:
        """A 'head' whose score of a row says whether it trained on that row."""

        def __init__(self, rows):
            self.rows = rows.copy()
            fitted_on.append(self.rows)

        def __call__(self, rows):
            return self.rows[rows].astype(float)[:, None]

    shipped, tuned, scores = r.tuning_scores(recipe, keys, held, Seen)
    assert len(scores) == tuned.sum() and not scores.any()
    if recipe != "holdout":
        assert shipped.rows.all() and tuned.all() and len(fitted_on) == 1 + r.FOLDS
    else:
        assert (shipped.rows == ~held).all() and (tuned == held).all()
    with pytest.raises(ValueError, match="unknown recipe"):
        r.tuning_scores("newest", keys, held, Seen)


@pytest.mark.parametrize("recipe", r.RECIPES)
def test_fitted_frames_head_loads_and_tells_its_frames_apart(examples, recipe):
    (name, (arrays, card)), = frames.fit(examples, seed=13, recipe=recipe).items()
    assert name == "frames" and card["recipe"] == recipe and "trained_on" not in card
    assert card["data"]["documents"]["en"] + card["data"]["documents"]["fr"] == len(examples)
    assert 0 <= card["validation"]["ece"] <= 1
    assert all(not a.dtype.hasobject for a in arrays.values())
    head = Frames(arrays, card)
    economic, security = make_example(100, "en", "fit"), make_example(101, "en", "fit")
    scores = [head(Analysis(document=e.document)).results.frames.probabilities for e in (economic, security)]
    assert scores[0]["Economic"] > scores[1]["Economic"]
    assert scores[1]["Security_and_defense"] > scores[0]["Security_and_defense"]
    again = protocol.fit_heads("frames", examples, seed=13, recipe=recipe)["frames"][0]  # as evaluate refits it
    assert all(np.array_equal(arrays[k], again[k]) for k in arrays)


def test_single_cut_decides_every_label_and_language_with_the_micro_f1_cut():
    rng = np.random.default_rng(3)
    targets = (rng.random((400, 5)) < [0.4, 0.3, 0.2, 0.1, 0.05]).astype(int)
    scores = targets * 2.5 - 1.0 + rng.normal(0, 1, size=targets.shape)
    languages = np.array(["en", "fr", "ge", "it"] * 100)
    decision = r.fit_decision(scores, targets, languages, "single-cut")
    assert not decision.by_language and len(set(decision.thresholds.tolist())) == 1
    probabilities = decision.probabilities(scores)
    chosen = r.micro_f1(targets, probabilities >= decision.thresholds[0])
    # no other cut (nor a cut per label and language, refitted on the same rows) does better
    assert all(chosen >= r.micro_f1(targets, probabilities >= cut) for cut in np.unique(probabilities))
    per_label = r.fit_decision(scores, targets, languages, "cross-fitted")
    assert per_label.by_language and not np.allclose(per_label.thresholds, per_label.thresholds[0])


def test_genre_knows_only_its_single_label_recipes(examples):
    from narrascope.train import genre

    assert "single-cut" not in genre.RECIPES
    with pytest.raises(ValueError, match="unknown genre recipe"):
        genre.fit(examples, recipe="single-cut")


def test_language_centres_centre_each_language_on_its_own_rows_and_unknown_ones_on_the_mean():
    from narrascope.features import STYLE_FEATURES, LanguageCentres

    rng = np.random.default_rng(3)
    width = 6
    dense = rng.normal(size=(8, width + len(STYLE_FEATURES))).astype(np.float32)
    dense[:4, :width] += 5.0  # English rows sit far from French ones, as e5's languages do
    codes = ["en"] * 4 + ["fr"] * 4
    known = {"es": np.full(width, 2.0), "en": np.full(width, 99.0)}
    centres = LanguageCentres.fit(dense, codes, known=known)

    centred = centres(dense, codes)
    for code in ("en", "fr"):
        rows = np.array(codes) == code
        np.testing.assert_allclose(centred[rows, :width].mean(axis=0), 0.0, atol=1e-5)
    np.testing.assert_array_equal(centred[:, width:], dense[:, width:])  # style ratios are left alone
    # a centre from elsewhere serves only a language without rows here
    np.testing.assert_allclose(centres(dense[:1], ["es"])[0, :width], dense[0, :width] - 2.0, rtol=1e-6)
    np.testing.assert_allclose(centres(dense[:1], [None])[0, :width], dense[0, :width] - dense[:, :width].mean(axis=0), rtol=1e-5)
    again = LanguageCentres.from_arrays(centres.arrays("centre"), "centre")
    np.testing.assert_array_equal(again(dense, codes), centred)


def test_genre_centres_a_language_without_labelled_articles_on_its_unlabelled_articles(examples):
    from dataclasses import replace

    from narrascope.components.genre import Genre
    from narrascope.train import genre, language_centres

    labelled = [replace(e, genre=genre.LABELS[i % 3]) for i, e in enumerate(examples)]
    arrays, card = genre.fit(labelled)["genre"]
    head = Genre(arrays, card)
    unlabelled = language_centres.shipped()
    assert {"es", "el", "ka"} <= set(unlabelled)
    assert card["model"]["language_centres"]["from the training articles"] == ["en", "fr"]
    np.testing.assert_allclose(head.centres.centres["es"], unlabelled["es"])
    assert not np.allclose(head.centres.centres["en"], unlabelled["en"])  # trained languages keep their own
    document = make_example(1, "es", "fit").document
    texts, embeddings = heads.paragraph_inputs(document)
    spanish, unknown = head.probabilities(texts, embeddings, "es"), head.probabilities(texts, embeddings, "sw")
    assert spanish.sum() == pytest.approx(1.0) and not np.allclose(spanish, unknown)
