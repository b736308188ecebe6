"""The shared encoder pass: every sentence is encoded once per document, paragraph vectors are
pooled from those, and a repeated text never reaches the model twice."""

from __future__ import annotations

import zlib

import numpy as np
import pytest

from narrascope import encoder
from narrascope.core import analyze_document
from narrascope.encoder import DIM, Encoder, paragraph_embeddings, sentence_embeddings
from narrascope.encoder.runtime import Encoded
from narrascope.model import Document, Language
from narrascope.extract.segment import split_paragraphs, split_sentences

TEXT = (
    "Markets fell sharply on Monday. Traders blamed the central bank.\n\n"
    "A short line.\n\n"
    "Officials said the decline would not last. Analysts disagreed. Nobody knows."
)


class RecordingModel:
    """Stands in for the E5 model: a fixed pseudo-random unit vector per text (no token states),
    and a log of what it was asked to embed."""

    def __init__(self):
        self.seen: list[str] = []

    def encode(self, texts: list[str], *, query: bool = False, max_tokens: int | None = None) -> list[Encoded]:
        self.seen.extend(texts)
        rows = [np.random.default_rng(zlib.crc32(t.encode())).normal(size=DIM) for t in texts]
        empty = np.zeros((0, 2), np.int32), np.zeros((0, DIM), np.float32)
        return [Encoded((row / np.linalg.norm(row)).astype(np.float32), *empty, cut=False) for row in rows]

    def token_counts(self, texts: list[str]) -> list[int]:
        return [len(t.split()) + 4 for t in texts]


@pytest.fixture
def recording(monkeypatch) -> RecordingModel:
    model = RecordingModel()
    fake = Encoder(model=model)
    monkeypatch.setattr(encoder, "get_encoder", lambda: fake)
    return model


def document(text: str = TEXT) -> Document:
    paragraphs = split_paragraphs(text)
    return Document(
        id=Document.content_id(text),
        source="test",
        language=Language(code="en", confidence=1.0),
        text=text,
        paragraphs=paragraphs,
        sentences=split_sentences(text, paragraphs, "en"),
    )


def test_a_paragraph_vector_is_the_length_weighted_mean_of_its_sentences(recording):
    doc = document()
    sentences = sentence_embeddings(doc)
    pooled = paragraph_embeddings(doc)
    assert pooled.shape == (len(doc.paragraphs), DIM)
    for index in range(len(doc.paragraphs)):
        rows = [k for k, s in enumerate(doc.sentences) if s.paragraph == index]
        weights = np.array([doc.sentences[k].end - doc.sentences[k].start for k in rows], dtype=np.float32)
        expected = (weights[:, None] * sentences[rows]).sum(axis=0)
        np.testing.assert_allclose(pooled[index], expected / np.linalg.norm(expected), atol=1e-5)
    assert np.allclose(np.linalg.norm(pooled, axis=1), 1.0, atol=1e-5)


def test_the_document_is_encoded_once_sentence_by_sentence(recording):
    doc = document()
    paragraph_embeddings(doc)
    sentence_embeddings(doc)
    paragraph_embeddings(doc)
    sentence_texts = [doc.text[s.start : s.end] for s in doc.sentences]
    assert sorted(recording.seen) == sorted(set(sentence_texts))  # no paragraph encoded whole


def test_a_document_without_sentences_is_split_before_pooling(recording):
    doc = document().model_copy(update={"sentences": []})
    pooled = paragraph_embeddings(doc)
    assert pooled.shape == (3, DIM)
    assert "Traders blamed the central bank." in recording.seen


@pytest.mark.slow
def test_a_full_analysis_makes_one_pass_over_the_sentences(recording):
    doc = document()
    analyze_document(doc)
    sentence_texts = {doc.text[s.start : s.end] for s in doc.sentences}
    long_paragraphs = {p for p in doc.paragraph_texts() if p not in sentence_texts}
    assert sentence_texts <= set(recording.seen)
    assert not long_paragraphs & set(recording.seen)
    sentence_calls = [t for t in recording.seen if t in sentence_texts]
    assert len(sentence_calls) == len(sentence_texts)  # each sentence exactly once


def test_a_document_past_the_token_budget_is_cut_at_a_sentence_and_says_so(recording):
    from narrascope.encoder import fit_to_encoder
    from narrascope.settings import Settings

    doc = document()
    budget = sum(len(doc.text[s.start : s.end].split()) + 4 for s in doc.sentences[:3])  # the fake counts words + 4
    cut, warnings = fit_to_encoder(doc, Settings(max_document_tokens=budget))
    assert len(cut.sentences) == 3 and cut.text == doc.text[: doc.sentences[2].end]
    assert cut.removed[-1].text == doc.text[doc.sentences[3].start :]
    assert "not analysed" in warnings[0]
    assert all(cut.text[p.start : p.end].strip() for p in cut.paragraphs)
    same, none = fit_to_encoder(doc, Settings())
    assert same is doc and none == []
