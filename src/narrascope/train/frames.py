"""Train the frames head: 14 document-level frames, micro-F1 over (document, frame) pairs."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..artifacts import save
from ..features import Featurizer
from ..taxonomy import FRAMES
from . import _rhetoric as r
from .linear_heads import fit_one_vs_rest

VERSION = "1.1"
LABELS = list(FRAMES)
MAX_TERMS = 10_000
NGRAM_WEIGHT = 1.0
C = 0.05


def frame_targets(corpus: r.Corpus) -> np.ndarray:
    return np.array([[label in e.frames for label in LABELS] for e in corpus.examples], dtype=int)


def train(data: Path, out: Path, seed: int = 13) -> dict:
    fit, validation = r.load_corpora(data, lambda e: bool(e.frames))  # documents outside subtask 2 carry no frames
    dense, texts = r.document_rows(fit)
    featurizer = Featurizer.fit(dense, texts, MAX_TERMS, NGRAM_WEIGHT)
    head = fit_one_vs_rest(featurizer(dense, texts), frame_targets(fit), C, seed, class_weight="balanced")

    v_dense, v_texts = r.document_rows(validation)
    v_scores, v_targets, v_languages = head.scores(featurizer(v_dense, v_texts)), frame_targets(validation), validation.languages
    decision = r.fit_decision(v_scores, v_targets, v_languages)
    report, _ = r.multilabel_report(v_scores, v_targets, v_languages, [e.document.id for e in validation.examples])

    card = r.card_basics("frames", data, seed, LABELS, VERSION, fit, validation)
    card["model"] = {"features": "mean/max/title e5 + style + word 1-2-gram tf-idf", "max_terms": MAX_TERMS, "C": C}
    card["thresholds"] = {"pooled": dict(zip(LABELS, decision.thresholds.round(4).tolist()))}
    card["validation"] = {"metric": "micro-F1 over (document, frame) pairs", **report}
    save(out, {**featurizer.arrays("document"), **head.arrays("head"), **decision.arrays("head")}, card)
    return card
