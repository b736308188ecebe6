"""Fitting the linear heads of the narrative, role and claim models, and the scores their cards
report. scikit-learn fits; the result is exported as a `LinearHead` (plain arrays)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.linear_model import LogisticRegression

from ..linear import LinearHead

ABSENT_LABEL_INTERCEPT = -10.0  # a label never seen in training is never predicted


def fit_one_vs_rest(features: np.ndarray, targets: np.ndarray, c: float, seed: int) -> LinearHead:
    """One logistic regression per column of the 0/1 `targets` matrix."""
    coef = np.zeros((targets.shape[1], features.shape[1]), dtype=np.float32)
    intercept = np.full(targets.shape[1], ABSENT_LABEL_INTERCEPT, dtype=np.float32)
    for j in range(targets.shape[1]):
        column = targets[:, j].astype(int)
        if column.min() == column.max():
            if column.max() == 1:
                intercept[j] = -ABSENT_LABEL_INTERCEPT
            continue
        model = LogisticRegression(C=c, max_iter=2000, random_state=seed).fit(features, column)
        coef[j], intercept[j] = model.coef_[0], model.intercept_[0]
    return LinearHead(coef, intercept)


def fit_multinomial(
    features: np.ndarray, classes: Sequence[str], targets: Sequence[str], c: float, seed: int
) -> LinearHead:
    """A softmax regression whose columns follow `classes` (every class must occur)."""
    y = np.array([classes.index(t) for t in targets])
    model = LogisticRegression(C=c, max_iter=3000, random_state=seed).fit(features, y)
    return LinearHead(model.coef_.astype(np.float32), model.intercept_.astype(np.float32))


def expected_calibration_error(probabilities: np.ndarray, targets: np.ndarray, bins: int = 10) -> float:
    """Mean gap between confidence and observed frequency, weighted by how many fall in each bin."""
    probabilities = np.asarray(probabilities, dtype=np.float64).ravel()
    targets = np.asarray(targets, dtype=np.float64).ravel()
    which = np.minimum((probabilities * bins).astype(int), bins - 1)
    gap = 0.0
    for b in range(bins):
        inside = which == b
        if inside.any():
            gap += inside.sum() * abs(probabilities[inside].mean() - targets[inside].mean())
    return round(gap / max(len(probabilities), 1), 4)


def f1_samples(gold: Sequence[set[str]], predicted: Sequence[set[str]]) -> float:
    """Mean over documents of the F1 between gold and predicted label sets (SemEval-2025 st2)."""
    scores = []
    for g, p in zip(gold, predicted, strict=True):
        overlap = len(g & p)
        scores.append(2 * overlap / (len(g) + len(p)) if g or p else 1.0)
    return round(float(np.mean(scores)), 4) if scores else 0.0


def binary_f1(gold: np.ndarray, predicted: np.ndarray) -> float:
    gold, predicted = np.asarray(gold, bool), np.asarray(predicted, bool)
    denominator = gold.sum() + predicted.sum()
    return round(float(2 * (gold & predicted).sum() / denominator), 4) if denominator else 0.0
