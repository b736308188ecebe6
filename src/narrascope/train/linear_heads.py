"""Fitting the linear heads of every model, and the cross-fitting their cards report.
scikit-learn fits; the result is exported as a `LinearHead` (plain arrays)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from ..encoder import paragraph_embeddings
from ..errors import DatasetError
from ..evaluate.metrics import expected_calibration_error
from ..linear import LinearHead
from ..model import Document

ABSENT_LABEL_INTERCEPT = -10.0  # a label never seen in training is never predicted


def fit_one_vs_rest(
    features, targets: np.ndarray, c: float, seed: int, class_weight: str | None = None, start: LinearHead | None = None
) -> LinearHead:
    """One logistic regression per column of the 0/1 `targets` matrix (dense or sparse
    features); `class_weight="balanced"` for labels much rarer than their absence. `start`: a
    head over the same features to start from (cross-fitting refits a head on most of its rows:
    a warm start converges in a fraction of the iterations)."""
    coef = np.zeros((targets.shape[1], features.shape[1]), dtype=np.float32)
    intercept = np.full(targets.shape[1], ABSENT_LABEL_INTERCEPT, dtype=np.float32)
    for j in range(targets.shape[1]):
        column = targets[:, j].astype(int)
        if column.min() == column.max():
            if column.max() == 1:
                intercept[j] = -ABSENT_LABEL_INTERCEPT
            continue
        model = LogisticRegression(C=c, max_iter=2000, class_weight=class_weight, random_state=seed, warm_start=start is not None)
        if start is not None:
            model.coef_, model.intercept_ = start.coef[j : j + 1].astype(np.float64), start.intercept[j : j + 1].astype(np.float64)
        model.fit(features, column)
        coef[j], intercept[j] = model.coef_[0], model.intercept_[0]
    return LinearHead(coef, intercept)


def fit_multinomial(
    features, classes: Sequence[str], targets: Sequence[str], c: float, seed: int, class_weight: str | None = None
) -> LinearHead:
    """A softmax regression whose columns follow `classes` (every class must occur)."""
    y = np.array([classes.index(t) for t in targets])
    model = LogisticRegression(C=c, max_iter=3000, class_weight=class_weight, random_state=seed).fit(features, y)
    return LinearHead(model.coef_.astype(np.float32), model.intercept_.astype(np.float32))


def calibration_error(probabilities: np.ndarray, targets: np.ndarray) -> float:
    """Expected calibration error over every (row, label) probability of a head."""
    return round(expected_calibration_error(np.ravel(probabilities).tolist(), np.ravel(targets).astype(bool).tolist()), 4)


def paragraph_vectors(document: Document, indices: Iterable[int]) -> np.ndarray:
    """Embeddings of some of a document's paragraphs, as the pipeline embeds them."""
    return paragraph_embeddings(document)[list(indices)]


def split_parts(examples: Sequence, data: Path, what: str) -> tuple[list, list]:
    """The fit and validation parts of `examples`; a clear error when either is empty, since
    a head needs both (one to learn, one to set its cuts)."""
    fit = [e for e in examples if e.part == "fit"]
    validation = [e for e in examples if e.part == "validation"]
    if not fit or not validation:
        raise DatasetError(
            f"{data}: training needs {what} in both the fit and the validation part "
            f"(found {len(fit)} and {len(validation)} documents)"
        )
    return fit, validation


def halves(groups: Sequence[str]) -> np.ndarray:
    """A fixed 0/1 cut of rows by their group (document) key, for cross-fitting."""
    return folds(groups, 2)


def folds(groups: Sequence[str], count: int) -> np.ndarray:
    """A fixed cut of rows into `count` folds by their group (document) key: the same key always
    lands in the same fold, whatever the order, machine or seed."""
    return np.array([hashlib.sha256(g.encode()).digest()[0] % count for g in groups], dtype=np.int64)


def cross_fitted(
    fit: Callable[[np.ndarray], object], predict: Callable[[object, np.ndarray], np.ndarray], groups: Sequence[str]
) -> np.ndarray:
    """Predictions for every validation row from a decision fitted on the other half, so no
    reported score comes from cuts tuned on the rows it scores."""
    half = halves(groups)
    predictions = None
    for h in (0, 1):
        rows = half == h
        decided = predict(fit(~rows), rows)
        if predictions is None:
            predictions = np.zeros((len(half),) + decided.shape[1:], dtype=decided.dtype)
        predictions[rows] = decided
    return predictions
