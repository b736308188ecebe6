"""Metrics on hand-worked cases, and cross-checked against scikit-learn on synthetic predictions."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import f1_score
from sklearn.preprocessing import MultiLabelBinarizer

from narrascope.evaluate import metrics

# --- genre ---------------------------------------------------------------------------------


def test_single_label_hand_worked():
    gold = {"a": "opinion", "b": "opinion", "c": "reporting", "d": "satire"}
    predicted = {"a": "opinion", "b": "reporting", "c": "reporting", "d": "opinion"}
    scores = metrics.single_label_scores(gold, predicted)
    # opinion: tp1 fp1 fn1 -> 0.5; reporting: tp1 fp1 fn0 -> 2/3; satire: 0
    assert scores["macro_f1"] == pytest.approx((0.5 + 2 / 3 + 0) / 3)
    assert scores["accuracy"] == scores["micro_f1"] == 0.5


def test_single_label_empty_prediction_unknown_label_and_empty_gold():
    gold = {"a": "opinion", "b": "satire"}
    assert metrics.single_label_scores(gold, {})["macro_f1"] == 0.0
    scores = metrics.single_label_scores(gold, {"a": "opinion", "b": "propaganda"})
    assert scores["macro_f1"] == pytest.approx((1 + 0 + 0) / 3)  # propaganda is a class with F1 0
    assert scores["accuracy"] == 0.5
    assert metrics.single_label_scores({}, {"a": "opinion"}) == {"macro_f1": 0.0, "micro_f1": 0.0, "accuracy": 0.0, "documents": 0}


def test_single_label_matches_sklearn():
    rng = np.random.default_rng(0)
    labels = ["opinion", "reporting", "satire"]
    gold = {i: labels[j] for i, j in enumerate(rng.integers(0, 3, 200))}
    predicted = {i: labels[j] for i, j in enumerate(rng.integers(0, 3, 200))}
    keys = sorted(gold)
    expected = f1_score([gold[k] for k in keys], [predicted[k] for k in keys], average="macro")
    assert metrics.single_label_scores(gold, predicted)["macro_f1"] == pytest.approx(expected)


# --- frames / paragraph techniques ---------------------------------------------------------


def test_multi_label_hand_worked():
    gold = {"a": ["Economic", "Political"], "b": ["Morality"]}
    predicted = {"a": ["Economic"], "b": ["Morality", "Political"]}
    scores = metrics.multi_label_scores(gold, predicted)
    # tp 2 (Economic@a, Morality@b), fp 1 (Political@b), fn 1 (Political@a)
    assert scores["micro_precision"] == pytest.approx(2 / 3)
    assert scores["micro_recall"] == pytest.approx(2 / 3)
    assert scores["micro_f1"] == pytest.approx(2 / 3)
    # Economic 1, Morality 1, Political 0
    assert scores["macro_f1"] == pytest.approx(2 / 3)


def test_multi_label_paragraph_pairs_empty_and_unknown():
    gold = {("1", 1): [], ("1", 3): ["Doubt"], ("2", 1): ["Doubt", "Slogans"]}
    assert metrics.multi_label_scores(gold, {})["micro_f1"] == 0.0
    scores = metrics.multi_label_scores(gold, {("1", 3): ["Doubt", "Made_Up"], ("2", 1): ["Doubt", "Slogans"]})
    assert scores["micro_precision"] == pytest.approx(3 / 4)  # the unknown label is a false positive
    assert scores["micro_recall"] == 1.0
    assert metrics.multi_label_scores({}, {("x", 1): ["Doubt"]})["micro_f1"] == 0.0


def test_multi_label_matches_sklearn():
    rng = np.random.default_rng(1)
    labels = [f"L{i}" for i in range(6)]
    gold = {i: [l for l in labels if rng.random() < 0.3] for i in range(150)}
    predicted = {i: [l for l in labels if rng.random() < 0.4] for i in range(150)}
    binarizer = MultiLabelBinarizer(classes=labels)
    truth = binarizer.fit_transform([gold[i] for i in range(150)])
    guess = binarizer.transform([predicted[i] for i in range(150)])
    scores = metrics.multi_label_scores(gold, predicted)
    assert scores["micro_f1"] == pytest.approx(f1_score(truth, guess, average="micro"))
    assert scores["macro_f1"] == pytest.approx(f1_score(truth, guess, average="macro"))


# --- spans ---------------------------------------------------------------------------------


def test_span_partial_overlap_credit():
    gold = {"1": [("Doubt", 0, 10), ("Slogans", 20, 30)]}
    predicted = {"1": [("Doubt", 5, 15), ("Slogans", 0, 10)]}
    scores = metrics.span_scores(gold, predicted)
    # Doubt overlap 5: precision credit 5/10, recall credit 5/10; Slogans prediction misses
    assert scores["precision"] == pytest.approx(0.5 / 2)
    assert scores["recall"] == pytest.approx(0.5 / 2)
    assert scores["f1"] == pytest.approx(0.25)


def test_span_empty_prediction_and_empty_gold():
    gold = {"1": [("Doubt", 0, 10)], "2": []}
    assert metrics.span_scores(gold, {})["f1"] == 0.0
    assert metrics.span_scores({"2": []}, {"2": [("Doubt", 0, 4)]})["precision"] == 0.0
    exact = metrics.span_scores(gold, {"1": [("Doubt", 0, 10)]})
    assert exact["f1"] == 1.0


# --- narratives ----------------------------------------------------------------------------


def test_samples_f1_mean_and_std():
    gold = {"a": (["N1"], ["N1: s1", "N1: s2"]), "b": (["Other"], ["Other"])}
    predicted = {"a": (["N1"], ["N1: s1"]), "b": (["N2"], ["N2: s1"])}
    scores = metrics.narrative_scores(gold, predicted)
    # fine: a 2*1/(2+1) = 2/3, b 0 -> mean 1/3, std 1/3; coarse: a 1, b 0
    assert scores["f1_samples_fine"] == pytest.approx(1 / 3)
    assert scores["f1_samples_fine_std"] == pytest.approx(1 / 3)
    assert scores["f1_samples_coarse"] == pytest.approx(0.5)
    assert metrics.narrative_scores(gold, {})["f1_samples_fine"] == 0.0
    assert metrics.narrative_scores({}, predicted)["f1_samples_coarse"] == 0.0


def test_samples_f1_matches_sklearn_samples_average():
    rng = np.random.default_rng(2)
    labels = [f"L{i}" for i in range(5)]
    gold = {i: [l for l in labels if rng.random() < 0.4] or ["L0"] for i in range(80)}
    predicted = {i: [l for l in labels if rng.random() < 0.4] or ["L1"] for i in range(80)}
    binarizer = MultiLabelBinarizer(classes=labels)
    expected = f1_score(binarizer.fit_transform(gold.values()), binarizer.transform(predicted.values()), average="samples")
    assert metrics.samples_f1(gold, predicted)[0] == pytest.approx(expected)


# --- roles ---------------------------------------------------------------------------------


def test_roles_exact_match_micro_f1_and_main_accuracy():
    gold = {
        ("d", 0, 4): ("Kyiv", "Innocent", ["Victim"]),
        ("d", 10, 15): ("NATO", "Antagonist", ["Instigator", "Conspirator"]),
        ("d", 20, 25): ("Putin", "Protagonist", ["Guardian"]),
    }
    predicted = {
        ("d", 0, 4): ("Kyiv", "Innocent", ["Victim"]),
        ("d", 10, 15): ("NATO", "Antagonist", ["Instigator"]),
        ("d", 20, 25): ("Putin", "Antagonist", ["Made-up role"]),
    }
    scores = metrics.role_scores(gold, predicted)
    assert scores["exact_match_ratio"] == pytest.approx(1 / 3)
    assert scores["main_role_accuracy"] == pytest.approx(2 / 3)
    assert scores["exact_match_when_main_right"] == pytest.approx(1 / 2)  # NATO: right main role, one fine role short
    # tp 2, fp 1 (unknown role), fn 2
    assert scores["fine_micro_precision"] == pytest.approx(2 / 3)
    assert scores["fine_micro_recall"] == pytest.approx(2 / 4)
    empty = metrics.role_scores(gold, {})
    assert empty["exact_match_ratio"] == 0.0 and empty["fine_micro_f1"] == 0.0
    assert empty["exact_match_when_main_right"] == 0.0
    assert metrics.role_scores({}, predicted)["mentions"] == 0


# --- explanations --------------------------------------------------------------------------


def test_token_f1_and_embedding_similarity():
    assert metrics.token_f1("The West provoked the war", "the war was provoked") == pytest.approx(2 * (3 / 4) * (3 / 5) / (3 / 4 + 3 / 5))
    assert metrics.token_f1("anything", "") == 0.0

    def embed(texts):  # one-hot on the first letter: equal first letters -> cosine 1
        rows = np.zeros((len(texts), 26))
        for i, text in enumerate(texts):
            if text:
                rows[i, ord(text[0].lower()) - 97] = 1.0
        return rows

    scores = metrics.explanation_scores({"a": "alpha beta", "b": "gamma"}, {"a": "alpha", "b": ""}, embed)
    assert scores["token_f1"] == pytest.approx((2 / 3 + 0) / 2)
    assert scores["embedding_cosine"] == pytest.approx(0.5)


# --- claims and calibration ----------------------------------------------------------------


def test_binary_f1_of_yes():
    gold = {"1": True, "2": True, "3": False, "4": False}
    scores = metrics.binary_scores(gold, {"1": True, "3": True})
    assert scores["precision_yes"] == 0.5 and scores["recall_yes"] == 0.5 and scores["f1_yes"] == 0.5
    assert scores["accuracy"] == 0.5
    assert metrics.binary_scores(gold, {})["f1_yes"] == 0.0
    keys = sorted(gold)
    predicted = {"1": True, "2": False, "3": True, "4": False}
    expected = f1_score([gold[k] for k in keys], [predicted[k] for k in keys], pos_label=True)
    assert metrics.binary_scores(gold, predicted)["f1_yes"] == pytest.approx(expected)


def test_expected_calibration_error_hand_worked():
    # bin [0.2, 0.3): conf 0.25 twice, one hit -> gap 0.25; bin [0.9, 1.0]: conf 0.95 and 1.0, both hit
    confidences = [0.25, 0.25, 0.95, 1.0]
    outcomes = [True, False, True, True]
    table = metrics.reliability_table(confidences, outcomes)
    assert [(row["low"], row["count"]) for row in table] == [(0.2, 2), (0.9, 2)]
    assert table[1]["confidence"] == pytest.approx(0.975)
    assert metrics.expected_calibration_error(confidences, outcomes) == pytest.approx((2 * 0.25 + 2 * 0.025) / 4)
    assert metrics.expected_calibration_error([], []) == 0.0
    assert metrics.expected_calibration_error([1.0, 0.0], [True, False]) == 0.0
