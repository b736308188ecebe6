"""Label shift: decisions for a collection whose label frequencies differ from the training data's.

A head's calibrated posteriors assume the label priors it learnt at (its *training priors*).
Articles of another period, outlet or language carry other priors: SemEval-2023's later English
articles hold far more reporting than its English training articles, later paragraphs fewer
techniques. When only the priors move (p(x | y) unchanged), the correction is exact (Saerens,
Latinne & Decaestecker 2002, "Adjusting the outputs of a classifier to new a priori
probabilities"):

- `adjust(posteriors, training, priors)`: the posteriors the head would give at other priors,
  p'(y | x) ∝ p(y | x) · priors(y) / training(y). Decisions follow from them: the argmax for a
  single-label head, the head's cuts for a multi-label one.
- `estimate(posteriors, training)`: the priors of an unlabelled collection, by EM on its
  posteriors (E: adjust to the current estimate; M: the new estimate is the mean adjusted
  posterior). `pseudo_count` documents at the training priors are mixed in, so that a batch of a
  few dozen articles cannot swing the estimate to a corner (MAP under a Dirichlet prior).

Two shapes of head:

- single-label (genre): `posteriors` is (n, classes), rows summing to one; priors are one
  probability vector over the classes.
- multi-label (frames, techniques, narratives): `posteriors` is (n, labels) of independent
  probabilities and priors are one Bernoulli rate per label (`multi_label=True`); each label is
  a two-class problem of its own.

The genre head records its training priors (the mean of its out-of-fold calibrated
distributions) and offers `Genre.collection_priors` / `Genre.at_priors`; `narrascope evaluate
--task genre --label-shift` decides each language's documents at the mix EM finds for them. Measured
(docs/results.md, `model label-shift`), it lowers macro-F1 on validation and more under
cross-language: a new language or outlet moves p(x | y) as well as the priors, the estimate follows
the head's errors (English: 0.34 opinion found where 0.88 is true), and the correction amplifies
them. So no analysis path applies it by default. Estimates are only as good as the calibration:
EM on over-confident posteriors over-shoots (the heads' cards record their ECE).
"""

from __future__ import annotations

import numpy as np

EPSILON = 1e-6  # priors and posteriors are kept this far from 0 and 1, so every ratio is finite


def adjust(posteriors: np.ndarray, training: np.ndarray, priors: np.ndarray, multi_label: bool = False) -> np.ndarray:
    """`posteriors` (calibrated at the `training` priors) moved to `priors`; same shape."""
    posteriors, training, priors = _checked(posteriors, training, priors, multi_label)
    if multi_label:
        odds = posteriors / (1 - posteriors) * (priors / training) * ((1 - training) / (1 - priors))
        return odds / (1 + odds)
    weighted = posteriors * (priors / training)
    return weighted / weighted.sum(axis=-1, keepdims=True)


def estimate(
    posteriors: np.ndarray,
    training: np.ndarray,
    multi_label: bool = False,
    pseudo_count: float = 0.0,
    tolerance: float = 1e-6,
    max_iterations: int = 1000,
) -> np.ndarray:
    """The priors of the collection whose calibrated posteriors (at the `training` priors) are
    the rows of `posteriors`, by EM (Saerens et al. 2002); `pseudo_count` extra documents at the
    training priors steady the estimate for small collections."""
    posteriors, training, _ = _checked(posteriors, training, training, multi_label)
    if pseudo_count < 0:
        raise ValueError(f"pseudo_count must be >= 0, got {pseudo_count}")
    count = posteriors.reshape(-1, training.shape[-1]).shape[0]
    if count == 0:
        return training.copy()
    priors = training.copy()
    for _ in range(max_iterations):
        moved = adjust(posteriors, training, priors, multi_label).reshape(-1, training.shape[-1])
        updated = (moved.sum(axis=0) + pseudo_count * training) / (count + pseudo_count)
        updated = np.clip(updated, EPSILON, 1 - EPSILON)
        if not multi_label:
            updated /= updated.sum()
        done = np.abs(updated - priors).max() < tolerance
        priors = updated
        if done:
            break
    return priors


def _checked(posteriors, training, priors, multi_label: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Arrays as float64, shapes checked, values kept off 0 and 1 (a label the training data
    never had would otherwise divide by zero)."""
    posteriors = np.asarray(posteriors, dtype=np.float64)
    training = np.asarray(training, dtype=np.float64)
    priors = np.asarray(priors, dtype=np.float64)
    if training.ndim != 1 or priors.shape != training.shape:
        raise ValueError(f"priors must be vectors of one length, got {training.shape} and {priors.shape}")
    if posteriors.shape[-1:] != training.shape:
        raise ValueError(f"posteriors have {posteriors.shape[-1:]} labels, the priors {training.shape[0]}")
    for name, values in (("posteriors", posteriors), ("training priors", training), ("priors", priors)):
        if values.size and (np.isnan(values).any() or values.min() < 0 or values.max() > 1):
            raise ValueError(f"{name} must be probabilities in [0, 1]")
    posteriors = np.clip(posteriors, EPSILON, 1 - EPSILON)
    training = np.clip(training, EPSILON, 1 - EPSILON)
    priors = np.clip(priors, EPSILON, 1 - EPSILON)
    if not multi_label:
        posteriors = posteriors / posteriors.sum(axis=-1, keepdims=True)
        training, priors = training / training.sum(), priors / priors.sum()
    return posteriors, training, priors
