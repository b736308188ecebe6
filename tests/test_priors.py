"""Label shift (`narrascope.priors`): EM recovers a known shift from exactly calibrated posteriors,
and adjusting to the true priors makes better decisions than the training priors did."""

from __future__ import annotations

import numpy as np
import pytest

from narrascope import priors

MEANS = np.array([[0.0, 0.0], [1.5, 0.0], [0.0, 1.5]])  # three classes, unit-variance Gaussians


def bayes_posteriors(points: np.ndarray, class_priors: np.ndarray) -> np.ndarray:
    """The exact posteriors of the three-class Gaussian problem at `class_priors`."""
    log_likelihood = -0.5 * ((points[:, None, :] - MEANS[None]) ** 2).sum(axis=2)
    weighted = np.exp(log_likelihood) * class_priors
    return weighted / weighted.sum(axis=1, keepdims=True)


def sample(rng, class_priors: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    labels = rng.choice(len(class_priors), size=n, p=class_priors)
    return MEANS[labels] + rng.normal(size=(n, 2)), labels


def test_em_recovers_a_known_shift_of_single_label_priors():
    rng = np.random.default_rng(0)
    training = np.array([0.8, 0.15, 0.05])  # opinion-heavy, like English genre training
    shifted = np.array([0.35, 0.55, 0.10])  # later articles: mostly reporting
    points, labels = sample(rng, shifted, 4000)
    posteriors = bayes_posteriors(points, training)
    found = priors.estimate(posteriors, training)
    assert found.sum() == pytest.approx(1.0)
    assert np.abs(found - shifted).max() < 0.03
    # the posteriors' own mean (no EM) stays much closer to the training priors
    assert np.abs(posteriors.mean(axis=0) - shifted).max() > 0.1
    # decisions at the found priors are right more often than at the training priors
    at_training = (posteriors.argmax(axis=1) == labels).mean()
    at_found = (priors.adjust(posteriors, training, found).argmax(axis=1) == labels).mean()
    assert at_found > at_training + 0.05


def test_adjusting_to_the_priors_a_head_was_trained_at_changes_nothing():
    rng = np.random.default_rng(1)
    training = np.array([0.5, 0.3, 0.2])
    posteriors = bayes_posteriors(sample(rng, training, 50)[0], training)
    np.testing.assert_allclose(priors.adjust(posteriors, training, training), posteriors, atol=1e-9)
    # and adjusting there and back again is the identity too
    other = np.array([0.1, 0.1, 0.8])
    back = priors.adjust(priors.adjust(posteriors, training, other), other, training)
    np.testing.assert_allclose(back, posteriors, atol=1e-9)


def test_adjusted_posteriors_equal_the_exact_posteriors_at_the_new_priors():
    rng = np.random.default_rng(2)
    points = sample(rng, np.array([1 / 3] * 3), 200)[0]
    training, target = np.array([0.7, 0.2, 0.1]), np.array([0.2, 0.2, 0.6])
    moved = priors.adjust(bayes_posteriors(points, training), training, target)
    np.testing.assert_allclose(moved, bayes_posteriors(points, target), atol=1e-9)


def test_em_recovers_one_bernoulli_rate_per_label_for_multi_label_heads():
    rng = np.random.default_rng(3)
    training = np.array([0.4, 0.1, 0.25, 0.6])
    shifted = np.array([0.15, 0.3, 0.25, 0.8])  # some labels rarer, some commoner, one unchanged
    n = 6000
    present = rng.random((n, 4)) < shifted
    scores = present * 2.0 + rng.normal(size=(n, 4))  # each label: N(2, 1) if present, N(0, 1) if not
    ratio = np.exp(-0.5 * (scores - 2) ** 2) / np.exp(-0.5 * scores**2)
    posteriors = ratio * training / (ratio * training + (1 - training))
    found = priors.estimate(posteriors, training, multi_label=True)
    assert np.abs(found - shifted).max() < 0.03
    adjusted = priors.adjust(posteriors, training, found, multi_label=True)
    f1 = lambda decided: 2 * (decided & present).sum() / (decided.sum() + present.sum())  # noqa: E731
    assert f1(adjusted >= 0.5) > f1(posteriors >= 0.5)


def test_a_small_collection_is_held_near_the_training_priors_by_pseudo_counts():
    rng = np.random.default_rng(4)
    training = np.array([0.8, 0.15, 0.05])
    points, _ = sample(rng, np.array([0.0, 1.0, 0.0]), 8)  # eight reporting articles
    posteriors = bayes_posteriors(points, training)
    free = priors.estimate(posteriors, training)
    steady = priors.estimate(posteriors, training, pseudo_count=20)
    assert free[1] > steady[1] > training[1]
    assert np.abs(steady - training).sum() < np.abs(free - training).sum()


def test_an_empty_collection_keeps_the_training_priors_and_bad_input_is_refused():
    training = np.array([0.6, 0.4])
    np.testing.assert_allclose(priors.estimate(np.zeros((0, 2)), training), training)
    with pytest.raises(ValueError, match="labels"):
        priors.estimate(np.full((3, 3), 1 / 3), training)
    with pytest.raises(ValueError, match="probabilities"):
        priors.adjust(np.array([[1.5, -0.5]]), training, training)
    with pytest.raises(ValueError, match="one length"):
        priors.adjust(np.array([[0.5, 0.5]]), training, np.array([0.2, 0.3, 0.5]))


def test_a_label_never_seen_in_training_does_not_divide_by_zero():
    training = np.array([0.0, 0.5, 0.2])
    posteriors = np.array([[0.0, 0.9, 0.3], [0.0, 0.1, 0.6]])
    moved = priors.adjust(posteriors, training, np.array([0.1, 0.5, 0.2]), multi_label=True)
    assert np.isfinite(moved).all() and ((moved >= 0) & (moved <= 1)).all()
