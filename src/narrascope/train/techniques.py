"""Train the techniques head: paragraph labels (micro-F1 over paragraph-technique pairs). Their
evidence spans come from the span head (`train.spans`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..artifacts import save
from ..features import Featurizer, paragraph_dense
from ..taxonomy import TECHNIQUES
from . import _rhetoric as r
from .linear_heads import fit_one_vs_rest

VERSION = "1.1"
LABELS = list(TECHNIQUES)
MAX_TERMS = 20_000
NGRAM_WEIGHT = 1.0
C = 0.02


def paragraph_rows(corpus: r.Corpus) -> tuple[np.ndarray, list[str], np.ndarray, np.ndarray, list[str]]:
    """Dense features, texts, 0/1 targets, languages and document keys, one row per paragraph."""
    dense, texts, targets, languages, groups = [], [], [], [], []
    for example, paragraph_texts, embeddings in zip(corpus.examples, corpus.texts, corpus.embeddings):
        dense.append(paragraph_dense(embeddings, paragraph_texts))
        texts.extend(paragraph_texts)
        for index in range(len(paragraph_texts)):
            gold = example.paragraph_techniques.get(index, [])
            targets.append([label in gold for label in LABELS])
        languages.extend([example.language] * len(paragraph_texts))
        groups.extend([f"{example.language}/{example.document.id}"] * len(paragraph_texts))
    return np.vstack(dense), texts, np.array(targets, dtype=int), np.array(languages), groups


def unseen_language_cap(targets: np.ndarray) -> int:
    """Most techniques a paragraph keeps in a language never trained on: the median count of
    gold techniques in a labelled validation paragraph. Such languages' embeddings lie off the
    training distribution and score many techniques at once (Georgian: ~6 per paragraph), so
    only the typical number of the most likely ones is kept."""
    counts = targets.sum(axis=1)
    return max(1, int(np.median(counts[counts > 0])))


def train(data: Path, out: Path, seed: int = 13) -> dict:
    fit, validation = r.load_corpora(data, lambda e: e.paragraph_techniques is not None)  # only subtask-3 articles carry techniques
    dense, texts, targets, _, _ = paragraph_rows(fit)
    featurizer = Featurizer.fit(dense, texts, MAX_TERMS, NGRAM_WEIGHT)
    head = fit_one_vs_rest(featurizer(dense, texts), targets, C, seed, class_weight="balanced")

    v_dense, v_texts, v_targets, v_languages, v_groups = paragraph_rows(validation)
    v_scores = head.scores(featurizer(v_dense, v_texts))
    decision = r.fit_decision(v_scores, v_targets, v_languages)
    report, _ = r.multilabel_report(v_scores, v_targets, v_languages, v_groups)

    card = r.card_basics("techniques", data, seed, LABELS, VERSION, fit, validation)
    card["model"] = {"features": "paragraph e5 + document mean e5 + style + word 1-2-gram tf-idf", "max_terms": MAX_TERMS, "C": C}
    card["thresholds"] = {"pooled": dict(zip(LABELS, decision.thresholds.round(4).tolist()))}
    card["unseen_language_cap"] = unseen_language_cap(v_targets)
    card["validation"] = {
        "metric": "micro-F1 over (paragraph, technique) pairs",
        **report,
    }
    arrays = {
        **featurizer.arrays("paragraph"),
        **head.arrays("head"),
        **decision.arrays("head"),
    }
    save(out, arrays, card)
    return card
