"""Train the claim head on CheckThat! 2024 Task 1 (English debates): e5 sentence vector + lexical
cues -> logistic regression, Platt-calibrated, with CheckThat's Yes/No cut.

CheckThat's files come from different debates and years. Consecutive `Sentence_id`s are
consecutive sentences of one debate; train and dev are drawn from the same debates (IDs up to
34,458, presidential debates up to 2016), dev-test from later ones (IDs from 37,436; the 2020
debates), and the organisers' test from later still. The fixed validation part of the train file
is a random cut of sentences, so it shares every debate with the fit part and flatters a head;
what predicts a later period is scoring debates the head never saw. Recipe 2.0 therefore fits
its calibration and cut on such scores: out of fold, each block of debates
(`evaluate.protocols.debate_block`) scored by a head fitted on the other blocks.

Recipes (`RECIPES`, shipped first):
- "2.0": every sentence given, C = 2; Platt map and F1 cut from the out-of-fold scores above.
- "1.0" (the head before it, kept for the before/after tables): 3,832 sentences drawn from those
  given, C from (1, 4, 16) and the F1 cut picked on 1,000 other sentences drawn at random (so
  from the same debates); the raw sigmoid as probability.

`train` ships recipe 2.0 fitted on the whole train file (fit and validation parts); dev (same
debates, in period) and dev-test (later debates) stay unseen, and the card scores both.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.metrics import average_precision_score
from threadpoolctl import threadpool_limits

from ..artifacts import Artifact, data_hash, save
from ..calibration import Platt, pick_threshold
from ..components.claims import Claims, claim_features, listed
from ..encoder import NAME as ENCODER_NAME
from ..encoder import get_encoder
from ..errors import DatasetError
from ..evaluate.datasets import CHECKTHAT, Example, read_checkthat
from ..evaluate.metrics import binary_scores
from ..evaluate.protocols import debate_block
from .linear_heads import calibration_error, fit_one_vs_rest

VERSION = "2.0"
RECIPES = (VERSION, "1.0")
FEATURES = "sentence embedding + 11 lexical cues (components/claims.py)"
REGULARISATION = 2.0  # debate-grouped CV inside the fit part: C 0.5 / 2 / 8 gave F1 0.698 / 0.706 / 0.706
HASHED_FOLDS = 5  # when the sentences cannot be placed in debates (IDs not numbers, or one block)
# Recipe 1.0: how many sentences it learnt from (2,800 of the fit part + the dev file) and chose on.
OLD_SAMPLE, OLD_HELD_OUT, OLD_REGULARISATIONS = 3832, 1000, (1.0, 4.0, 16.0)
# lbfgs sums gradients with BLAS; with 2 OpenBLAS threads the sums (and so the head, its cut and
# every refitted score) differ from 1 thread's in the last bits: fits run on one BLAS thread.
ONE_BLAS_THREAD = threadpool_limits.wrap(limits=1, user_api="blas")
ARTICLE = 20  # sentences of a pseudo-article (a run of consecutive Sentence_ids) for `listed_precision`
# The CheckThat files `train` leaves out, scored in the card: same debates as train / later ones.
UNSEEN = {"dev": "same debates as the train file (in period)", "dev-test": "later debates (2020)"}


@ONE_BLAS_THREAD
def fit(examples: Sequence[Example], seed: int = 13, recipe: str = RECIPES[0]) -> dict[str, Artifact]:
    """The claim head trained on the labelled sentences among `examples` with `recipe`."""
    if recipe not in RECIPES:
        raise ValueError(f"unknown claims recipe {recipe!r}; choose from {', '.join(RECIPES)}")
    return {"claims": _fit(*_prepared(examples), seed, recipe)}


@ONE_BLAS_THREAD
def train(data: Path, out: Path, seed: int = 13) -> dict:
    """Ship recipe 2.0 fitted on the whole train file; the card scores it on dev and dev-test and
    states the gap between in-period and shift-aware estimates."""
    examples = list(read_checkthat(data, "train"))
    unseen = {split: list(read_checkthat(data, split)) for split in UNSEEN}  # a missing file stops before any fitting
    labelled, gold, features = _prepared(examples)
    arrays, card = _fit(labelled, gold, features, seed, RECIPES[0])
    card["trained_on"] = {"dataset": CHECKTHAT, "splits": ["train"], "parts": ["fit", "validation"]}
    card["data"] = {"path": str(data), "hash": data_hash(sorted(Path(data).glob("*.tsv")))}
    in_period = hashed_folds(labelled)
    card["cross_fitted"] = {
        "in_period": {"folds": f"{HASHED_FOLDS} folds of sentences drawn at random (every debate in every fold)",
                      **_held_out(_out_of_fold(features, gold, in_period, seed), gold, in_period)},
        "cross_debate": card["cross_fitted"],
    }
    model = Claims(arrays, card)
    card["unseen"] = {split: {"what": UNSEEN[split], **scores(model, unseen[split])} for split in UNSEEN}
    reference = card["cross_fitted"]["in_period"]["f1_yes"]
    card["gap_to_in_period"] = {
        "note": "F1 of Yes cross-fitted on random folds of the train file, minus F1 where the debates were never seen",
        "cross_debate": round(reference - card["cross_fitted"]["cross_debate"]["f1_yes"], 4),
        "dev-test": round(reference - card["unseen"]["dev-test"]["f1_yes"], 4),
    }
    save(out, arrays, card)
    return card


def _prepared(examples: Sequence[Example]) -> tuple[list[Example], np.ndarray, np.ndarray]:
    """The labelled sentences in a fixed order (so a fit never depends on input order), their
    gold and their features."""
    labelled = sorted((e for e in examples if e.claim is not None), key=lambda e: (e.dataset, e.document_id))
    gold = np.array([bool(e.claim) for e in labelled])
    if gold.all() or not gold.any():
        raise DatasetError(
            f"claims: training needs both Yes and No sentences (got {len(gold)} sentences, {int(gold.sum())} Yes)"
        )
    texts = [e.document.text for e in labelled]
    return labelled, gold, claim_features(get_encoder().encode(texts), texts)


def _fit(labelled: list[Example], gold: np.ndarray, features: np.ndarray, seed: int, recipe: str) -> Artifact:
    if recipe == "1.0":
        head, calibration, threshold, details = _fit_sampled(features, gold, seed)
    else:
        head, calibration, threshold, details = _fit_cross_fitted(features, gold, debate_folds(labelled), seed)
    card = {
        "version": recipe,
        "task": "claims",
        "encoder": ENCODER_NAME,
        "features": FEATURES,
        "seed": seed,
        "sentences": len(gold),
        "training_prior": round(float(gold.mean()), 4),
        "threshold": round(float(threshold), 4),
        **details,
    }
    return {**head.arrays("claim"), **calibration.arrays("claim")}, card


def debate_folds(examples: Sequence[Example]) -> np.ndarray:
    """Each sentence's cross-fitting fold: its block of debates, or (when sentences cannot be
    placed in at least two blocks) one of `HASHED_FOLDS` folds by a hash of its ID."""
    try:
        blocks = [debate_block(e) for e in examples]
    except DatasetError:
        blocks = []
    if len(set(blocks)) >= 2:
        return np.unique(blocks, return_inverse=True)[1]
    return hashed_folds(examples)


def hashed_folds(examples: Sequence[Example]) -> np.ndarray:
    """`HASHED_FOLDS` folds of sentences by a hash of their IDs: random, so every debate is in every fold."""
    return np.array([hashlib.sha256(e.document_id.encode()).digest()[0] % HASHED_FOLDS for e in examples])


def scores(model: Claims, examples: Sequence[Example]) -> dict[str, float]:
    """The official metric (F1 of Yes, with precision and recall), ECE and average precision of
    `model` on labelled sentences, and the share of Yes among the claims it would list for
    articles made of runs of `ARTICLE` sentences in Sentence_id order (consecutive or nearly
    consecutive sentences of a debate): what a user reads, whatever the cut."""
    labelled = sorted((e for e in examples if e.claim is not None), key=lambda e: (len(e.document_id), e.document_id))
    gold = np.array([bool(e.claim) for e in labelled])
    texts = [e.document.text for e in labelled]
    probabilities = model.predict_proba(texts)
    shown = [
        start + i
        for start in range(0, len(texts), ARTICLE)
        for i in listed(probabilities[start : start + ARTICLE], texts[start : start + ARTICLE])
    ]
    return {
        **_summary(gold, probabilities, probabilities >= model.threshold),
        "listed_precision": round(float(gold[shown].mean()), 4) if shown else 0.0,
    }


def _fit_cross_fitted(features: np.ndarray, gold: np.ndarray, folds: np.ndarray, seed: int):
    """Recipe 2.0: the head on every sentence; the Platt map and the cut on out-of-fold scores."""
    out_of_fold = _out_of_fold(features, gold, folds, seed)
    calibration = Platt.fit(out_of_fold, gold)
    threshold = pick_threshold(calibration(out_of_fold[:, None])[:, 0], gold)
    details = {
        "regularisation": REGULARISATION,
        "calibration": "Platt map and cut fitted on out-of-fold scores, each block of debates scored by a head "
        "fitted on the others",
        "cross_fitted": {"folds": f"{len(np.unique(folds))} blocks of debates", **_held_out(out_of_fold, gold, folds)},
    }
    return fit_one_vs_rest(features, gold[:, None], REGULARISATION, seed), calibration, threshold, details


def _out_of_fold(features: np.ndarray, gold: np.ndarray, folds: np.ndarray, seed: int) -> np.ndarray:
    """Each sentence's raw score from a head fitted on the other folds."""
    scores = np.zeros(len(gold))
    for fold in np.unique(folds):
        held = folds == fold
        head = fit_one_vs_rest(features[~held], gold[~held, None], REGULARISATION, seed)
        scores[held] = head.scores(features[held])[:, 0]
    return scores


def _held_out(out_of_fold: np.ndarray, gold: np.ndarray, folds: np.ndarray) -> dict[str, float]:
    """Scores of out-of-fold predictions whose calibration and cut were also fitted without the
    fold they score (on the other folds' out-of-fold scores), as the recipe would be on new data."""
    probabilities, decided = np.zeros(len(gold)), np.zeros(len(gold), dtype=bool)
    for fold in np.unique(folds):
        held = folds == fold
        calibration = Platt.fit(out_of_fold[~held], gold[~held])
        probabilities[held] = calibration(out_of_fold[held, None])[:, 0]
        decided[held] = probabilities[held] >= pick_threshold(calibration(out_of_fold[~held, None])[:, 0], gold[~held])
    return _summary(gold, probabilities, decided)


def _fit_sampled(features: np.ndarray, gold: np.ndarray, seed: int):
    """Recipe 1.0: a sample to learn from and a random held-out sample to choose C and the cut."""
    order = np.random.default_rng(seed).permutation(len(gold))
    held_out = order[: max(1, min(OLD_HELD_OUT, len(gold) // 5))]
    learn = order[len(held_out) : len(held_out) + OLD_SAMPLE]
    best = None
    for c in OLD_REGULARISATIONS:
        head = fit_one_vs_rest(features[learn], gold[learn, None], c, seed)
        probabilities = head.sigmoid(features[held_out])[:, 0]
        threshold = pick_threshold(probabilities, gold[held_out])
        f1 = _summary(gold[held_out], probabilities, probabilities >= threshold)["f1_yes"]
        if best is None or f1 > best[0]:
            best = (f1, c, head, threshold)
    _, c, head, threshold = best
    details = {"regularisation": c, "calibration": "raw sigmoid; C and cut picked on a random held-out sample"}
    return head, Platt(np.ones(1), np.zeros(1)), threshold, details


def _summary(gold: np.ndarray, probabilities: np.ndarray, decided: np.ndarray) -> dict[str, float]:
    official = binary_scores(dict(enumerate(gold.tolist())), dict(enumerate(decided.tolist())))
    return {
        "sentences": int(len(gold)),
        **{k: round(official[k], 4) for k in ("f1_yes", "precision_yes", "recall_yes")},
        "ece": calibration_error(probabilities, gold),
        "average_precision": round(float(average_precision_score(gold, probabilities)), 4) if gold.any() else 0.0,
    }
