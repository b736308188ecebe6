"""The fitting helpers every trainer shares: one-vs-rest heads, and cross-fitting by document."""

from __future__ import annotations

import numpy as np

from narrascope.train.linear_heads import cross_fitted, fit_one_vs_rest, halves


def test_one_vs_rest_keeps_unseen_labels_off_and_ubiquitous_labels_on():
    rng = np.random.default_rng(0)
    features = rng.normal(size=(200, 4))
    learnable = (features[:, 0] > 0).astype(int)
    targets = np.column_stack([learnable, np.zeros(200, int), np.ones(200, int)])
    head = fit_one_vs_rest(features, targets, c=1.0, seed=0)
    probabilities = 1 / (1 + np.exp(-head.scores(features)))
    assert ((probabilities[:, 0] > 0.5) == learnable.astype(bool)).mean() > 0.95
    assert (probabilities[:, 1] < 1e-4).all() and (probabilities[:, 2] > 1 - 1e-4).all()


def test_balanced_weights_raise_a_rare_label():
    rng = np.random.default_rng(1)
    features = rng.normal(size=(400, 3))
    rare = ((features[:, 0] + rng.normal(scale=1.0, size=400)) > 2.2).astype(int)[:, None]
    plain = fit_one_vs_rest(features, rare, c=1.0, seed=0)
    balanced = fit_one_vs_rest(features, rare, c=1.0, seed=0, class_weight="balanced")
    found = lambda head: (head.scores(features)[:, 0] > 0)[rare[:, 0] == 1].mean()  # noqa: E731
    assert found(balanced) > found(plain)


def test_cross_fitting_scores_each_half_with_what_the_other_half_learned():
    groups = [f"doc{i}" for i in range(40)]
    half = halves(groups)
    assert set(half) == {0, 1} and (halves(groups) == half).all()  # fixed, by key
    values = np.arange(40.0)
    # the "decision" is the mean of the rows it was fitted on; each row gets the other half's
    predicted = cross_fitted(lambda rows: values[rows].mean(), lambda mean, rows: np.full(rows.sum(), mean), groups)
    assert np.allclose(predicted[half == 0], values[half == 1].mean())
    assert np.allclose(predicted[half == 1], values[half == 0].mean())


def test_a_head_scores_sparse_features_as_their_dense_copy():
    from scipy import sparse

    from narrascope.linear import LinearHead

    rng = np.random.default_rng(2)
    head = LinearHead(rng.normal(size=(3, 6)).astype(np.float32), rng.normal(size=3).astype(np.float32))
    features = rng.normal(size=(4, 6)) * (rng.random((4, 6)) > 0.5)
    np.testing.assert_allclose(head.sigmoid(sparse.csr_matrix(features)), head.sigmoid(features), rtol=1e-5)
