"""Linear heads over frozen embeddings, as plain arrays: the numpy half of scikit-learn's
logistic regression, so shipped artifacts need neither pickles nor scikit-learn to predict.

Training fits with scikit-learn (`narrascope.train.linear_heads`) and exports `coef`/`intercept`
here; prediction is one matrix product.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse


@dataclass(frozen=True)
class LinearHead:
    """`scores = X @ coef.T + intercept`, one column per label (or class)."""

    coef: np.ndarray  # (labels, features)
    intercept: np.ndarray  # (labels,)

    def scores(self, features: np.ndarray | sparse.spmatrix) -> np.ndarray:
        """Raw scores; sparse features (tf-idf blocks) stay sparse: no densified copy, no BLAS."""
        if not sparse.issparse(features):
            features = np.atleast_2d(np.asarray(features, dtype=np.float32))
        if features.shape[1] != self.coef.shape[1]:
            raise ValueError(f"expected {self.coef.shape[1]} features, got {features.shape[1]}")
        return np.asarray(features @ self.coef.T) + self.intercept

    def sigmoid(self, features: np.ndarray) -> np.ndarray:
        """Independent probabilities (one-vs-rest)."""
        return sigmoid(self.scores(features))

    def softmax(self, features: np.ndarray) -> np.ndarray:
        """Probabilities over mutually exclusive classes (multinomial)."""
        return softmax(self.scores(features))

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {
            f"{prefix}_coef": self.coef.astype(np.float32),
            f"{prefix}_intercept": self.intercept.astype(np.float32),
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str) -> "LinearHead":
        return cls(arrays[f"{prefix}_coef"].astype(np.float32), arrays[f"{prefix}_intercept"].astype(np.float32))


def sigmoid(scores: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(scores, -40.0, 40.0)))


def softmax(scores: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Each row of `scores` (divided by `temperature`) as probabilities over its columns."""
    scaled = scores / temperature
    exp = np.exp(scaled - scaled.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def pooled(embeddings: np.ndarray) -> np.ndarray:
    """Mean and max of a stack of row vectors (a document's paragraphs), as one vector."""
    embeddings = np.atleast_2d(embeddings)
    if embeddings.shape[0] == 0:
        return np.zeros(2 * embeddings.shape[1], dtype=np.float32)
    return np.concatenate([embeddings.mean(axis=0), embeddings.max(axis=0)]).astype(np.float32)
