"""Fitting the linear heads of the narrative, role and claim models. scikit-learn fits; the
result is exported as a `LinearHead` (plain arrays)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from sklearn.linear_model import LogisticRegression

from ..encoder import paragraph_embeddings
from ..evaluate.metrics import expected_calibration_error
from ..linear import LinearHead
from ..model import Document

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


def calibration_error(probabilities: np.ndarray, targets: np.ndarray) -> float:
    """Expected calibration error over every (row, label) probability of a head."""
    return round(expected_calibration_error(np.ravel(probabilities).tolist(), np.ravel(targets).astype(bool).tolist()), 4)


def paragraph_vectors(document: Document, indices: Iterable[int]) -> np.ndarray:
    """Embeddings of some of a document's paragraphs, as the pipeline embeds them."""
    return paragraph_embeddings(document)[list(indices)]
