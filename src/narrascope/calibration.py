"""Calibrated probabilities and decision thresholds (per label, or one for all), from held-out scores.

Heads produce raw scores; `Platt` maps them to probabilities a user can trust, and
`pick_threshold` chooses the cut that maximises a label's F1 (`pick_common_threshold`: one cut
for every label, maximising micro-F1). Both are plain numbers, so
they ship inside an artifact's arrays.
"""

from __future__ import annotations

import numpy as np


class Platt:
    """Sigmoid calibration `p = 1 / (1 + exp(-(a * score + b)))`, one (a, b) per column."""

    def __init__(self, a: np.ndarray, b: np.ndarray):
        self.a = np.asarray(a, dtype=np.float64)
        self.b = np.asarray(b, dtype=np.float64)

    @classmethod
    def fit(cls, scores: np.ndarray, targets: np.ndarray) -> "Platt":
        """Fit per column; a column whose targets are all one class keeps a flat prior."""
        scores, targets = np.atleast_2d(scores.T).T, np.atleast_2d(targets.T).T
        a = np.ones(scores.shape[1])
        b = np.zeros(scores.shape[1])
        for j in range(scores.shape[1]):
            y = targets[:, j].astype(int)
            if y.min() == y.max():
                rate = (y.sum() + 0.5) / (len(y) + 1.0)
                a[j], b[j] = 0.0, np.log(rate / (1 - rate))
                continue
            from sklearn.linear_model import LogisticRegression  # training only: keeps loading fast

            model = LogisticRegression(C=1e4).fit(scores[:, [j]], y)
            a[j], b[j] = model.coef_[0, 0], model.intercept_[0]
        return cls(a, b)

    def __call__(self, scores: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(scores * self.a + self.b)))

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}_a": self.a, f"{prefix}_b": self.b}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str) -> "Platt":
        return cls(arrays[f"{prefix}_a"], arrays[f"{prefix}_b"])


def pick_threshold(probabilities: np.ndarray, targets: np.ndarray, floor: float = 0.05) -> float:
    """The probability cut that maximises F1 of the positive class (ties: the higher cut)."""
    probabilities = np.asarray(probabilities, dtype=np.float64)
    targets = np.asarray(targets).astype(bool)
    if not targets.any():
        return 1.0
    best_f1, best_cut = -1.0, 0.5
    for cut in np.unique(np.clip(probabilities, floor, 1.0)):
        predicted = probabilities >= cut
        tp = np.sum(predicted & targets)
        f1 = 2 * tp / (predicted.sum() + targets.sum())
        if f1 >= best_f1:
            best_f1, best_cut = f1, float(cut)
    return best_cut


def pick_thresholds(probabilities: np.ndarray, targets: np.ndarray, floor: float = 0.05) -> np.ndarray:
    """`pick_threshold` for each column of a multi-label problem."""
    return np.array(
        [pick_threshold(probabilities[:, j], targets[:, j], floor) for j in range(probabilities.shape[1])]
    )


def pick_common_threshold(probabilities: np.ndarray, targets: np.ndarray, floor: float = 0.05) -> float:
    """One probability cut for every label that maximises micro-F1 over all (row, label) pairs
    (ties: the higher cut). With calibrated probabilities one cut is what micro-F1 wants, and
    it rests on every label's rows at once, where a cut per label (or per language and label)
    chases the noise of a few dozen positives."""
    probabilities = np.clip(np.ravel(np.asarray(probabilities, dtype=np.float64)), floor, 1.0)
    targets = np.ravel(np.asarray(targets)).astype(bool)
    if not targets.any():
        return 1.0
    order = np.argsort(-probabilities, kind="stable")
    ranked, hits = probabilities[order], np.cumsum(targets[order])
    last = np.flatnonzero(np.append(ranked[1:] != ranked[:-1], True))  # last row of each distinct cut
    f1 = 2 * hits[last] / (last + 1 + targets.sum())
    best = np.flatnonzero(f1 == f1.max())[0]  # the highest cut among the best
    return float(ranked[last[best]])
