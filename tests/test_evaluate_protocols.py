"""`narrascope evaluate` never scores a model on what it learnt from: refits without the scored
part, cross-language folds, earlier recipes; and `artifacts.overriding` feeds the fitted heads
to the components."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checkthat_data import write_checkthat
from narrascope import artifacts
from narrascope.artifacts import load, overriding
from narrascope.errors import DatasetError
from narrascope.evaluate.runner import evaluate
from narrascope.train import protocol

SEMEVAL2023 = Path(__file__).parent / "fixtures" / "datasets" / "semeval2023-task3"


@pytest.fixture
def fits(monkeypatch):
    """Records what each refit was trained on and hands back the shipped genre head."""
    calls: list[tuple[list[str], str | None]] = []

    def fake_fit_heads(task, examples, seed=13, recipe=None, names=None):
        calls.append((sorted(f"{e.language}/{e.document_id}/{e.part}" for e in examples), recipe))
        return {"genre": load("genre")}

    monkeypatch.setattr(protocol, "fit_heads", fake_fit_heads)
    return calls


def test_overriding_hands_the_fitted_artifact_to_load_and_only_inside_the_block():
    arrays, card = load("genre")
    fitted = ({**arrays, "temperature": arrays["temperature"] * 2}, {**card, "version": "fitted"})
    with overriding({"genre": fitted}):
        assert load("genre")[1]["version"] == "fitted"
    assert load("genre")[1]["version"] == card["version"]


def test_cross_language_scores_each_language_with_heads_that_never_saw_it(fits, tmp_path):
    data = tmp_path / "semeval2023-task3"
    shutil.copytree(SEMEVAL2023 / "en", data / "en")
    shutil.copytree(SEMEVAL2023 / "en", data / "fr")  # a second labelled language
    results = evaluate("genre", data, "cross-language")
    languages = set(results["documents"])
    assert len(languages) >= 2 and len(fits) == len(languages)
    for language, (trained_on, _) in zip(sorted(languages), fits):
        assert trained_on and not any(name.startswith(f"{language}/") for name in trained_on)
    assert results["split"] == "cross-language" and "other languages" in results["notes"][-1]


def test_validation_is_refitted_on_the_fit_part_when_the_shipped_head_saw_it(fits, monkeypatch):
    arrays, card = load("genre")
    with overriding({"genre": (arrays, {**card, "trained_on": {"splits": ["train"], "parts": ["fit", "validation"]}})}):
        results = evaluate("genre", SEMEVAL2023, "validation")
    (trained_on, recipe), = fits
    assert trained_on and all(name.endswith("/fit") for name in trained_on) and recipe is None
    assert "fit part only" in results["notes"][-1]
    assert results["artifacts"] == {}  # not the shipped artifact's numbers


def test_a_head_that_never_saw_validation_is_scored_as_shipped(fits):
    arrays, card = load("genre")
    before_the_protocol = {key: value for key, value in card.items() if key != "trained_on"}  # fit part only
    with overriding({"genre": (arrays, before_the_protocol)}):
        results = evaluate("genre", SEMEVAL2023, "validation")
    assert fits == []
    assert results["artifacts"] == {"genre": artifacts.file_hash("genre")}


def test_an_earlier_recipe_is_refitted_and_named_in_the_results(fits):
    results = evaluate("genre", SEMEVAL2023, "validation", recipe="1.3")
    assert fits[0][1] == "1.3" and results["predictor"] == "model 1.3"



@pytest.fixture
def claim_fits(monkeypatch):
    """Records which Sentence_ids each refit of the claim head was trained on."""
    calls: list[list[str]] = []

    def fake_fit_heads(task, examples, seed=13, recipe=None, names=None):
        calls.append(sorted(e.document_id for e in examples))
        return {"claims": load("claims")}

    monkeypatch.setattr(protocol, "fit_heads", fake_fit_heads)
    return calls


@pytest.fixture
def checkthat(tmp_path):
    return write_checkthat(tmp_path / "checkthat2024-task1-en")


def test_cross_debate_scores_each_block_of_debates_with_heads_that_never_saw_it(claim_fits, checkthat):
    results = evaluate("claims", checkthat, "cross-debate")
    assert list(results["documents"]) == ["ids 00000-06999", "ids 07000-13999", "ids 14000-20999"]
    assert len(claim_fits) == 3
    for block, trained_on in zip(range(3), claim_fits):
        assert len(trained_on) == 16 and not any(block * 7000 <= int(i) < (block + 1) * 7000 for i in trained_on)
    assert "other blocks" in results["notes"][-1]


def test_an_earlier_recipe_on_a_split_the_shipped_head_never_saw_is_refitted_on_train(claim_fits, checkthat):
    results = evaluate("claims", checkthat, "dev-test", recipe="1.0")
    (trained_on,) = claim_fits
    assert len(trained_on) == 24 and all(int(i) < 40000 for i in trained_on)  # the train file, not dev-test
    assert results["predictor"] == "model 1.0"
    assert results["notes"][-1] == "model: recipe 1.0 trained on the training split only"  # shipped: never saw dev-test


def test_shift_protocols_that_cannot_hold_anything_out_say_which_to_use(checkthat):
    with pytest.raises(DatasetError, match="use --split cross-debate"):
        evaluate("claims", checkthat, "cross-language")
    with pytest.raises(DatasetError, match="use cross-language"):
        evaluate("genre", SEMEVAL2023, "cross-debate")


def test_only_the_heads_that_saw_the_split_are_refitted(monkeypatch):
    """Spans need the techniques head and the span head: a span head trained on validation is
    refitted on the fit part, a techniques head from before the protocol is scored as shipped."""
    asked: list = []

    def fake_fit_heads(task, examples, seed=13, recipe=None, names=None):
        asked.append(names)
        return {}

    monkeypatch.setattr(protocol, "fit_heads", fake_fit_heads)
    arrays, card = load("spans")
    older_arrays, older_card = load("techniques")
    older_card = {key: value for key, value in older_card.items() if key != "trained_on"}
    new_card = {**card, "trained_on": {"splits": ["train"], "parts": ["fit", "validation"]}}
    with overriding({"techniques": (older_arrays, older_card), "spans": (arrays, new_card)}):
        evaluate("spans", SEMEVAL2023, "validation")
    assert asked == [["spans"]]


SEMEVAL2025_FIXTURE = Path(__file__).parent / "fixtures" / "datasets" / "semeval2025-task10"


def test_sources_are_file_name_prefixes_and_a_one_source_language_is_one_source():
    from narrascope.evaluate.datasets import Example
    from narrascope.evaluate.protocols import source_of

    def source(language: str, name: str) -> str:
        return source_of(Example(None, name, language, "semeval2025-task10", "fit"))

    assert source("BG", "A7_URW_BG_10380.txt") == "BG/A7_URW_BG" != source("BG", "BG_1006.txt") == "BG/BG"
    assert source("EN", "EN_UA_103.txt") == "EN/EN_UA" != source("EN", "EN_CC_100002.txt") == "EN/EN_CC"
    assert source("RU", "RU-URW-1005.txt") == "RU/RU-URW"
    assert source("PT", "PT_352..txt") == source("PT", "PT_02.txt") == "PT/PT"


def test_cross_source_scores_each_source_with_heads_that_never_saw_it(monkeypatch, tmp_path):
    """Two sources in English (EN_UA, EN_CC) and one in Bulgarian: three refits, each without the
    scored source's documents and with every other source's, of any language."""
    calls: list[list[str]] = []

    def fake_fit_heads(task, examples, seed=13, recipe=None, names=None):
        calls.append(sorted(e.document_id for e in examples))
        return {"narratives": load("narratives")}

    monkeypatch.setattr(protocol, "fit_heads", fake_fit_heads)
    data = tmp_path / "semeval2025-task10"
    shutil.copytree(SEMEVAL2025_FIXTURE / "EN", data / "EN")
    (data / "BG" / "raw-documents").mkdir(parents=True)
    for name in ("BG_1.txt", "BG_2.txt"):
        (data / "BG" / "raw-documents" / name).write_text("Брюксел предаде фермерите, пише вестникът.\n")
    (data / "BG" / "subtask-2-annotations.txt").write_text(
        "BG_1.txt\tURW: Discrediting the West, Diplomacy\tURW: Discrediting the West, Diplomacy: Other\n"
        "BG_2.txt\tOther\tOther\n"
    )
    results = evaluate("narratives", data, "cross-source")
    assert set(results["documents"]) == {"BG/BG", "EN/EN_CC_fixture", "EN/EN_UA_fixture"}
    assert calls == [
        ["EN_CC_fixture2.txt", "EN_CC_fixture3.txt", "EN_UA_fixture1.txt"],  # BG held out
        ["BG_1.txt", "BG_2.txt", "EN_UA_fixture1.txt"],  # EN_CC held out
        ["BG_1.txt", "BG_2.txt", "EN_CC_fixture2.txt", "EN_CC_fixture3.txt"],  # EN_UA held out
    ]
    assert results["split"] == "cross-source" and "every other source" in results["notes"][-1]
    floors = evaluate("narratives", data, "cross-source", predictor="majority")
    assert set(floors["languages"]) == {"BG/BG", "EN/EN_CC_fixture", "EN/EN_UA_fixture"}


def test_cross_source_is_refused_for_a_dataset_without_sources():
    with pytest.raises(DatasetError, match="cross-source"):
        evaluate("genre", SEMEVAL2023, "cross-source")
