"""Training shared by the rhetoric heads (genre, frames, techniques) on SemEval-2023 Task 3.

All six languages train one model together (the small ones borrow from the large ones). The
recipes (`RECIPES`; each trainer names the ones it knows, its shipped one first):

- `single-cut` (frames and techniques): fitted as `cross-fitted`, but the decision is Platt
  calibration per label and one probability cut for every label and language, the cut that
  maximises micro-F1 of the out-of-fold rows. Cuts per label and language, picked on the scores
  of heads that saw two thirds of the rows, chased the noise of a few dozen positives and let
  through too many labels once the head trained on every row (issue 21).
- `cross-fitted`: the head learns from every example it is given; calibration and cuts are
  tuned on out-of-fold scores (the examples cut into `FOLDS` folds by document, each fold scored
  by a head fitted on the others), so nothing is tuned on the rows it scores and the shipped
  head can learn from every labelled document (fit and validation parts).
- `holdout` (the earlier recipe, kept for before/after tables): the head learns from all but a
  held-out part (the validation part when the examples hold both parts, else a fixed fifth by
  document hash), and calibration and cuts are tuned on that part.

The figures a card reports are cross-fitted once more: the tuning rows are cut into two halves
by document, each half scored with calibration and cuts fitted on the other.
"""

from __future__ import annotations

import hashlib
import platform
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sklearn

from ..artifacts import data_hash
from threadpoolctl import threadpool_limits

from ..calibration import Platt, pick_common_threshold, pick_thresholds
from ..components._heads import Decision
from ..encoder import NAME as ENCODER_NAME
from ..encoder import paragraph_embeddings
from ..evaluate.datasets import Example, read_semeval2023
from ..features import Featurizer, document_dense
from ..linear import LinearHead
from .linear_heads import calibration_error, cross_fitted

DATASET = "semeval2023-task3"
LANGUAGES = ("en", "fr", "ge", "it", "po", "ru")
MIN_LANGUAGE_POSITIVES = 12  # fewer tuning positives of a label in a language: pooled threshold
RECIPES = ("single-cut", "cross-fitted", "holdout")
FOLDS = 3  # out-of-fold scores for the cross-fitted recipe: each head is fitted 1 + FOLDS times


@dataclass
class Corpus:
    """Examples of one part with each document's paragraph texts and embeddings."""

    examples: list[Example]
    texts: list[list[str]]
    embeddings: list[np.ndarray]

    @property
    def languages(self) -> np.ndarray:
        return np.array([e.language for e in self.examples])

    def subset(self, documents: np.ndarray) -> "Corpus":
        """The documents a boolean mask marks."""
        chosen = np.flatnonzero(documents)
        return Corpus([self.examples[i] for i in chosen], [self.texts[i] for i in chosen], [self.embeddings[i] for i in chosen])


_EMBEDDED: dict[str, np.ndarray] = {}  # document id -> paragraph vectors: a protocol fits many heads


def corpus(examples: Sequence[Example]) -> Corpus:
    """The examples that have paragraphs, sorted by language and document, embedded as the
    pipeline embeds them (from the on-disk cache when warm, and once per process)."""
    kept = sorted((e for e in examples if e.document.paragraphs), key=lambda e: (e.language, e.document_id))
    for e in kept:
        if e.document.id not in _EMBEDDED:
            _EMBEDDED[e.document.id] = paragraph_embeddings(e.document)
    return Corpus(kept, [e.document.paragraph_texts() for e in kept], [_EMBEDDED[e.document.id] for e in kept])


def training_examples(data: Path, labelled: Callable[[Example], bool]) -> list[Example]:
    """Every labelled article of the training split (fit and validation parts)."""
    return [e for e in read_semeval2023(data, "train", LANGUAGES) if labelled(e)]


def shipped_card(card: dict, data: Path) -> dict:
    """`card` of a head fitted on `training_examples(data)`, with the data's path and hash and
    what it was trained on."""
    return {
        **card,
        "data": {"path": str(data), "hash": data_hash(training_files(data)), **card["data"]},
        "trained_on": {"dataset": DATASET, "splits": ["train"], "parts": ["fit", "validation"]},
    }


def check_recipe(recipe: str) -> str:
    if recipe not in RECIPES:
        raise ValueError(f"unknown recipe {recipe!r}; known: {', '.join(RECIPES)}")
    return recipe


def document_key(example: Example) -> str:
    return f"{example.language}/{example.document_id}"


def folds(keys: Sequence[str], count: int = FOLDS) -> np.ndarray:
    """A fixed fold number for each row from its document key (rows of a document stay together)."""
    return np.array([int.from_bytes(hashlib.sha256(f"fold|{k}".encode()).digest()[:4], "big") % count for k in keys])


def holdout(examples: Sequence[Example]) -> np.ndarray:
    """The documents the holdout recipe tunes on: the validation part when the examples hold
    both parts, else a fixed fifth of them by document hash."""
    part = np.array([e.part == "validation" for e in examples])
    if part.any() and not part.all():
        return part
    return np.array([hashlib.sha256(f"holdout|{document_key(e)}".encode()).digest()[0] % 5 == 0 for e in examples])


@dataclass
class Fitted:
    """A featurizer and head fitted on some rows, able to score any rows (a boolean mask) of the
    same inputs."""

    featurizer: Featurizer
    head: LinearHead
    dense: np.ndarray
    texts: list[str]

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        picked = np.flatnonzero(rows)
        return self.head.scores(self.featurizer(self.dense[picked], [self.texts[i] for i in picked]))


def featurized(
    dense: np.ndarray, texts: list[str], max_terms: int, ngram_weight: float, fit_head: Callable[[object, np.ndarray], LinearHead]
) -> Callable[[np.ndarray], Fitted]:
    """`fit(rows)`: a featurizer fitted on the rows' texts and `fit_head(features, rows)` on its
    features (the n-gram vocabulary too is learnt only from the rows a head trains on)."""

    def fit(rows: np.ndarray) -> Fitted:
        picked = np.flatnonzero(rows)
        chosen_texts = [texts[i] for i in picked]
        featurizer = Featurizer.fit(dense[picked], chosen_texts, max_terms, ngram_weight)
        return Fitted(featurizer, fit_head(featurizer(dense[picked], chosen_texts), rows), dense, texts)

    return fit


def tuning_scores(
    recipe: str, keys: Sequence[str], held: np.ndarray, fit: Callable[[np.ndarray], Fitted]
) -> tuple[Fitted, np.ndarray, np.ndarray]:
    """`(shipped, tuning_rows, scores)`: the head the recipe ships (`fit(rows)` trains one on the
    rows of a boolean mask), the rows calibration and cuts are tuned on, and those rows' scores
    from heads that never saw them. `held` marks the holdout recipe's tuning rows."""
    with threadpool_limits(1):  # one BLAS thread: the same sums in the same order on any machine, and no oversubscription
        return _tuning_scores(recipe, keys, held, fit)


def _tuning_scores(
    recipe: str, keys: Sequence[str], held: np.ndarray, fit: Callable[[np.ndarray], Fitted]
) -> tuple[Fitted, np.ndarray, np.ndarray]:
    if check_recipe(recipe) == "holdout":
        scorer = fit(~held)
        return scorer, held, scorer(held)
    groups = folds(keys)
    scores = None
    for fold in range(FOLDS):
        rows = groups == fold
        if not rows.any() or rows.all():
            continue
        scored = fit(~rows)(rows)
        if scores is None:
            scores = np.zeros((len(groups),) + scored.shape[1:])
        scores[rows] = scored
    return fit(np.ones(len(groups), bool)), np.ones(len(groups), bool), scores


def document_rows(corpus: Corpus) -> tuple[np.ndarray, list[str]]:
    """The document heads' dense features and texts, one row per document."""
    if not corpus.examples:
        raise ValueError("no labelled document with paragraphs to train on")
    dense = np.vstack([document_dense(e, t) for e, t in zip(corpus.embeddings, corpus.texts)])
    return dense, ["\n".join(t) for t in corpus.texts]


def training_files(data: Path) -> list[Path]:
    return sorted(p for lang in LANGUAGES for p in (data / lang).rglob("train-*") if p.is_file())


def fit_decision(scores: np.ndarray, targets: np.ndarray, languages: np.ndarray, recipe: str = RECIPES[0]) -> Decision:
    """Platt calibration and thresholds: under `single-cut` one cut for every label and language;
    else a cut per label, and a language's own for a label when its tuning rows hold enough
    positives of it."""
    platt = Platt.fit(scores, targets)
    probabilities = platt(scores)
    if recipe == "single-cut":
        return Decision(platt, np.full(targets.shape[1], pick_common_threshold(probabilities, targets)))
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
    scores: np.ndarray, targets: np.ndarray, languages: np.ndarray, groups: Sequence[str], recipe: str = RECIPES[0]
) -> tuple[dict, np.ndarray]:
    """Cross-fitted micro-F1 per language and ECE (calibrated on the other half, and raw), and
    the cross-fitted 0/1 predictions they score."""
    fit = lambda rows: fit_decision(scores[rows], targets[rows], languages[rows], recipe)  # noqa: E731
    predicted = cross_fitted(fit, lambda d, rows: predict_labels(d, scores[rows], languages[rows]), groups)
    probabilities = cross_fitted(fit, lambda d, rows: d.probabilities(scores[rows]), groups)
    report = {
        "micro_f1": per_language(lambda rows: micro_f1(targets[rows], predicted[rows]), languages),
        "ece": calibration_error(probabilities, targets),
        "ece_uncalibrated": calibration_error(1 / (1 + np.exp(-scores)), targets),
        "cross_fitted": "calibration and cuts fitted on one half of the tuning rows (by document), scored on the other",
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


def card_basics(task: str, seed: int, labels: Sequence[str], version: str, recipe: str, trained: Corpus, tuned: np.ndarray) -> dict:
    """The fields every rhetoric card carries (`train` adds the data's path and hash);
    `tuned` marks the documents calibration and cuts were tuned on."""
    languages = trained.languages
    return {
        "name": task,
        "version": version,
        "recipe": recipe,
        "task": f"{DATASET} {task}",
        "labels": list(labels),
        "data": {"documents": {lang: int((languages == lang).sum()) for lang in LANGUAGES}},
        "tuning": "out-of-fold scores of every document" if recipe != "holdout" else f"{int(tuned.sum())} held-out documents",
        "seed": seed,
        "encoder": ENCODER_NAME,
        "versions": {"python": platform.python_version(), "numpy": np.__version__, "scikit-learn": sklearn.__version__},
    }
