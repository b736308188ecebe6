"""Training the claim head under the trainer contract, on a small debate-like dataset (checkthat_data.py):
`fit` learns from exactly what it is given (any order gives the same head), sets its calibration
and cut on debates held out, keeps recipe 1.0 for before/after tables; `train` ships a head that
never saw dev or dev-test and says so in its card."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from checkthat_data import write_checkthat
from narrascope.components.claims import Claims
from narrascope.errors import DatasetError
from narrascope.evaluate.datasets import read_checkthat
from narrascope.train import claims as trainer
from narrascope.train.linear_heads import fit_one_vs_rest
from narrascope.train.protocol import saw

@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    return write_checkthat(tmp_path_factory.mktemp("ct") / "checkthat2024-task1-en")


@pytest.fixture(scope="module")
def examples(data):
    return list(read_checkthat(data, "train"))


def test_fit_learns_a_head_whose_cut_comes_from_held_out_debates(examples):
    ((arrays, card),) = trainer.fit(examples).values()
    assert card["version"] == trainer.RECIPES[0] == "2.0"
    assert card["sentences"] == 24 and card["training_prior"] == 0.5
    assert card["cross_fitted"]["folds"] == "3 blocks of debates"
    model = Claims(arrays, card)
    statistic, chatter = model.predict_proba(["Inflation reached 7 percent in 2021.", "Thank you, and good night."])
    assert statistic > model.threshold > chatter


def test_fit_gives_the_same_head_whatever_the_order_of_its_examples(examples):
    ((first, card),) = trainer.fit(examples, seed=5).values()
    ((second, again),) = trainer.fit(list(reversed(examples)), seed=5).values()
    assert first.keys() == second.keys() and all(np.array_equal(first[k], second[k]) for k in first)
    assert card == again


def test_every_fit_runs_on_one_blas_thread_so_the_head_does_not_depend_on_the_machine(examples, monkeypatch):
    """With two OpenBLAS threads lbfgs's sums differ in the last bits and the shipped head (its
    cut, the published numbers) could not be reproduced on another machine."""
    threads = []

    def recording(*args, **kwargs):
        threads.append({i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"})
        return fit_one_vs_rest(*args, **kwargs)

    monkeypatch.setattr(trainer, "fit_one_vs_rest", recording)
    with threadpool_limits(limits=2, user_api="blas"):
        trainer.fit(examples)
        trainer.fit(examples, recipe="1.0")
        outside = {i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"}
    assert threads and all(t == {1} for t in threads)
    assert outside == {2}  # the caller's setting is restored


def test_the_earlier_recipe_stays_available_and_an_unknown_one_is_refused(examples):
    ((arrays, card),) = trainer.fit(examples, recipe="1.0").values()
    assert card["version"] == "1.0" and "random held-out sample" in card["calibration"]
    assert arrays["claim_a"].tolist() == [1.0] and arrays["claim_b"].tolist() == [0.0]  # raw sigmoid, as 1.0 shipped
    with pytest.raises(ValueError, match="unknown claims recipe '3.0'"):
        trainer.fit(examples, recipe="3.0")


def test_sentences_that_cannot_be_placed_in_debates_fall_back_to_hashed_folds(examples):
    one_block = [e for e in examples if int(e.document_id) < 7000]
    assert sorted(set(trainer.debate_folds(examples))) == [0, 1, 2]
    folds = trainer.debate_folds(one_block)
    assert np.array_equal(folds, trainer.hashed_folds(one_block)) and len(set(folds)) > 1


def test_training_needs_both_classes(examples):
    with pytest.raises(DatasetError, match="both Yes and No"):
        trainer.fit([e for e in examples if e.claim])


def test_train_ships_a_head_that_never_saw_dev_or_dev_test_and_scores_them(data, tmp_path):
    card = trainer.train(data, tmp_path / "claims")
    assert (tmp_path / "claims" / "model.npz").exists()
    assert saw(card, "fit") and saw(card, "validation") and not saw(card, "dev") and not saw(card, "dev-test")
    assert card["unseen"]["dev"]["sentences"] == 3 and card["unseen"]["dev-test"]["sentences"] == 3
    assert set(card["cross_fitted"]) == {"in_period", "cross_debate"}
    assert card["gap_to_in_period"]["dev-test"] == pytest.approx(
        card["cross_fitted"]["in_period"]["f1_yes"] - card["unseen"]["dev-test"]["f1_yes"], abs=1e-4
    )
