"""Training shared by the rhetoric heads (genre, frames, techniques) on SemEval-2023 Task 3.

All six languages train one model together (the small ones borrow from the large ones). Heads
fit on the fixed training part; calibration and thresholds are fitted on the fixed validation
part. The scores a card reports are cross-fitted: validation is cut into two halves by document,
each half is scored with calibration and thresholds fitted on the other, so no reported number
comes from thresholds tuned on the same documents.
"""

from __future__ import annotations

import platform
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sklearn

from ..artifacts import data_hash
from ..calibration import Platt, pick_thresholds
from ..components._heads import Decision
from ..encoder import NAME as ENCODER_NAME
from ..encoder import paragraph_embeddings
from ..evaluate.datasets import Example, read_semeval2023
from ..features import document_dense
from .linear_heads import calibration_error, cross_fitted

DATASET = "semeval2023-task3"
LANGUAGES = ("en", "fr", "ge", "it", "po", "ru")
MIN_LANGUAGE_POSITIVES = 12  # fewer validation positives of a label in a language: pooled threshold


@dataclass
class Corpus:
    """Examples of one part with each document's paragraph texts and embeddings."""

    examples: list[Example]
    texts: list[list[str]]
    embeddings: list[np.ndarray]

    @property
    def languages(self) -> np.ndarray:
        return np.array([e.language for e in self.examples])

    def select(self, keep: Callable[[Example], bool]) -> "Corpus":
        chosen = [i for i, e in enumerate(self.examples) if keep(e)]
        return Corpus([self.examples[i] for i in chosen], [self.texts[i] for i in chosen], [self.embeddings[i] for i in chosen])


def load_corpora(data: Path, labelled: Callable[[Example], bool]) -> tuple[Corpus, Corpus]:
    """The fit and validation parts (documents with the head's labels), paragraphs embedded
    as the pipeline embeds them (from the on-disk cache when warm)."""
    examples = [e for e in read_semeval2023(data, "train", LANGUAGES) if e.document.paragraphs and labelled(e)]
    texts = [e.document.paragraph_texts() for e in examples]
    corpus = Corpus(examples, texts, [paragraph_embeddings(e.document) for e in examples])
    return corpus.select(lambda e: e.part == "fit"), corpus.select(lambda e: e.part == "validation")


def document_rows(corpus: Corpus) -> tuple[np.ndarray, list[str]]:
    """The document heads' dense features and texts, one row per document."""
    dense = np.vstack([document_dense(e, t) for e, t in zip(corpus.embeddings, corpus.texts)])
    return dense, ["\n".join(t) for t in corpus.texts]


def training_files(data: Path) -> list[Path]:
    return sorted(p for lang in LANGUAGES for p in (data / lang).rglob("train-*") if p.is_file())


def fit_decision(scores: np.ndarray, targets: np.ndarray, languages: np.ndarray) -> Decision:
    """Platt calibration and thresholds; a language gets its own threshold for a label when its
    validation holds enough positives of it."""
    platt = Platt.fit(scores, targets)
    probabilities = platt(scores)
    pooled = pick_thresholds(probabilities, targets)
    by_language = {}
    for language in sorted(set(languages)):
        rows = languages == language
        own = pick_thresholds(probabilities[rows], targets[rows])
        enough = targets[rows].sum(axis=0) >= MIN_LANGUAGE_POSITIVES
        by_language[str(language)] = np.where(enough, own, pooled)
    return Decision(platt, pooled, by_language)


def predict_labels(decision: Decision, scores: np.ndarray, languages: np.ndarray) -> np.ndarray:
    probabilities = decision.probabilities(scores)
    cuts = np.stack([decision.thresholds_for(str(lang)) for lang in languages])
    return probabilities >= cuts


def multilabel_report(
    scores: np.ndarray, targets: np.ndarray, languages: np.ndarray, groups: Sequence[str]
) -> tuple[dict, np.ndarray]:
    """Cross-fitted micro-F1 per language and ECE (calibrated on the other half, and raw), and
    the cross-fitted 0/1 predictions they score."""
    fit = lambda rows: fit_decision(scores[rows], targets[rows], languages[rows])  # noqa: E731
    predicted = cross_fitted(fit, lambda d, rows: predict_labels(d, scores[rows], languages[rows]), groups)
    probabilities = cross_fitted(fit, lambda d, rows: d.probabilities(scores[rows]), groups)
    report = {
        "micro_f1": per_language(lambda rows: micro_f1(targets[rows], predicted[rows]), languages),
        "ece": calibration_error(probabilities, targets),
        "ece_uncalibrated": calibration_error(1 / (1 + np.exp(-scores)), targets),
        "cross_fitted": "thresholds and calibration fitted on one half of validation, scored on the other",
    }
    return report, predicted


def micro_f1(gold: np.ndarray, predicted: np.ndarray) -> float:
    """F1 over all (row, label) pairs of two 0/1 matrices."""
    gold, predicted = np.asarray(gold, bool), np.asarray(predicted, bool)
    denominator = gold.sum() + predicted.sum()
    return round(float(2 * (gold & predicted).sum() / denominator), 4) if denominator else 0.0


def per_language(metric: Callable[[np.ndarray], float], languages: np.ndarray) -> dict[str, float]:
    """`metric(rows)` for each language and the mean over languages."""
    scores = {str(lang): metric(languages == lang) for lang in LANGUAGES if (languages == lang).any()}
    scores["mean"] = round(float(np.mean(list(scores.values()))), 4)
    return scores


def card_basics(task: str, data: Path, seed: int, labels: Sequence[str], version: str, fit: Corpus, validation: Corpus) -> dict:
    """The fields every rhetoric card carries."""
    documents = {
        part: {lang: int((corpus.languages == lang).sum()) for lang in LANGUAGES}
        for part, corpus in (("fit", fit), ("validation", validation))
    }
    return {
        "name": task,
        "version": version,
        "task": f"{DATASET} {task}",
        "labels": list(labels),
        "data": {"path": str(data), "hash": data_hash(training_files(data)), "documents": documents},
        "seed": seed,
        "encoder": ENCODER_NAME,
        "versions": {"python": platform.python_version(), "numpy": np.__version__, "scikit-learn": sklearn.__version__},
    }
