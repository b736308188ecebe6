"""Prediction files round-trip through their readers; `narrascope evaluate` and
`narrascope report-results` on the synthetic fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from narrascope.cli import main
from narrascope.errors import DatasetError
from narrascope.evaluate.formats import read_predictions, write_predictions

FIXTURES = Path(__file__).parent / "fixtures" / "datasets"
SEMEVAL2023 = FIXTURES / "semeval2023-task3"
SEMEVAL2025 = FIXTURES / "semeval2025-task10"
CHECKTHAT = FIXTURES / "checkthat2024-task1-en"

SAMPLES = {
    "genre": {"101": "opinion", "102": "satire"},
    "frames": {"101": ["Economic", "Political"], "102": []},
    "techniques": {("101", 1): [], ("101", 3): ["Doubt", "Slogans"], ("101", 10): ["Doubt"]},
    "spans": {"101": [("Doubt", 0, 12), ("Slogans", 40, 52)], "102": [("Repetition", 3, 9)]},
    "roles": {("EN_1.txt", 10, 17): ("Brussels", "Antagonist", ["Traitor", "Deceiver"])},
    "narratives": {"EN_1.txt": (["URW: Praise of Russia"], ["URW: Praise of Russia: Other"])},
    "explanations": {"EN_1.txt": ("URW: Praise of Russia", None, "Russia is shown as strong.")},
    "claims": {"1": True, "2": False},
}


@pytest.mark.parametrize("task", sorted(SAMPLES))
def test_prediction_files_round_trip(tmp_path, task):
    path = write_predictions(task, SAMPLES[task], tmp_path / f"{task}.txt")
    assert read_predictions(task, path) == SAMPLES[task]


def test_prediction_lines_are_the_official_ones(tmp_path):
    techniques = write_predictions("techniques", SAMPLES["techniques"], tmp_path / "t.txt").read_text()
    assert techniques == "101\t1\t\n101\t3\tDoubt,Slogans\n101\t10\tDoubt\n"
    claims = write_predictions("claims", SAMPLES["claims"], tmp_path / "c.txt").read_text()
    assert claims == "Sentence_id\tclass_label\n1\tYes\n2\tNo\n"
    roles = write_predictions("roles", SAMPLES["roles"], tmp_path / "r.txt").read_text()
    assert roles == "EN_1.txt\tBrussels\t10\t17\tAntagonist\tTraitor\tDeceiver\n"


def test_reading_a_broken_prediction_file_names_the_line(tmp_path):
    path = tmp_path / "spans.txt"
    path.write_text("101\tDoubt\t0\t12\n101\tDoubt\tzero\t12\n")
    with pytest.raises(DatasetError, match=r"spans.txt:2: 'zero' is not a whole number"):
        read_predictions("spans", path)


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("task", "root", "languages"),
    [
        ("genre", SEMEVAL2023, ["en"]),
        ("frames", SEMEVAL2023, ["en"]),
        ("techniques", SEMEVAL2023, ["en"]),
        ("spans", SEMEVAL2023, ["en"]),
        ("narratives", SEMEVAL2025, ["EN"]),
        ("roles", SEMEVAL2025, ["EN"]),
        ("explanations", SEMEVAL2025, ["EN"]),
        ("claims", CHECKTHAT, ["en"]),
    ],
)
def test_evaluate_majority_writes_results_and_official_predictions(tmp_path, capsys, task, root, languages):
    results_file, predictions = tmp_path / "results.json", tmp_path / "predictions"
    code, out, _ = run_cli(
        capsys, "evaluate", "--task", task, "--data", root, "--split", "train", "--lang", *languages,
        "--predictor", "majority", "--predictions-out", predictions, "--results-out", results_file,
    )
    assert code == 0
    results = json.loads(results_file.read_text())
    assert results["task"] == task and results["predictor"] == "majority" and results["split"] == "train"
    assert results["headline"] in results["average"] and len(results["data_hash"]) == 16
    assert set(results["languages"]) == set(languages)
    assert results["headline"] in out
    for language in languages:
        written = read_predictions(task, predictions / f"{language}.txt")
        assert written  # one record per scored unit, in the official format


def test_model_explains_the_dominant_narrative_the_file_gives(tmp_path, capsys):
    """Subtask 3 gives each article's dominant narrative: the model explains that one, quoting
    the article, whatever narratives it would have picked itself."""
    code, _, _ = run_cli(capsys, "evaluate", "--task", "explanations", "--data", SEMEVAL2025, "--split", "train",
                         "--lang", "EN", "--predictor", "model", "--predictions-out", tmp_path)
    assert code == 0
    predicted = read_predictions("explanations", tmp_path / "EN.txt")
    gold = read_predictions("explanations", SEMEVAL2025 / "EN" / "subtask-3-annotations.txt")
    assert {key: predicted[key][:2] for key in gold} == {key: value[:2] for key, value in gold.items()}
    article = (SEMEVAL2025 / "EN" / "raw-documents" / "EN_UA_fixture1.txt").read_text(encoding="utf-8")
    text = predicted["EN_UA_fixture1.txt"][2]
    assert text.startswith("The article pushes the narrative “Discrediting the West, Diplomacy”: “")
    assert text.split("“")[2].rstrip("”")[:40] in " ".join(article.split())


def test_majority_genre_on_fixture_is_the_fit_majority(tmp_path, capsys):
    """The fit part of the fixture holds opinion and reporting once each (satire's article is in
    validation by the hash rule): the tie goes to the first name, for every article."""
    results_file = tmp_path / "r.json"
    code, _, _ = run_cli(capsys, "evaluate", "--task", "genre", "--data", SEMEVAL2023, "--split", "train",
                         "--predictor", "majority", "--results-out", results_file, "--predictions-out", tmp_path)
    assert code == 0
    predicted = read_predictions("genre", tmp_path / "en.txt")
    assert predicted == {"101": "opinion", "102": "opinion", "103": "opinion", "104": "opinion"}
    accuracy = json.loads(results_file.read_text())["languages"]["en"]["accuracy"]
    assert accuracy == pytest.approx(1 / 3)


def test_random_predictor_is_reproducible(tmp_path, capsys):
    outputs = []
    for run in ("a", "b"):
        code, _, _ = run_cli(capsys, "evaluate", "--task", "techniques", "--data", SEMEVAL2023, "--split", "train",
                             "--predictor", "random", "--predictions-out", tmp_path / run)
        assert code == 0
        outputs.append((tmp_path / run / "en.txt").read_text())
    assert outputs[0] == outputs[1]


def test_unlabelled_split_still_writes_predictions(tmp_path, capsys):
    code, out, _ = run_cli(capsys, "evaluate", "--task", "techniques", "--data", SEMEVAL2023, "--split", "test",
                           "--predictor", "majority", "--predictions-out", tmp_path)
    assert code == 0
    assert "no gold" in out
    lines = (tmp_path / "es.txt").read_text().splitlines()
    assert [line.split("\t")[:2] for line in lines] == [["301", "1"], ["301", "3"]]


def test_score_a_prediction_file_against_gold(tmp_path, capsys):
    gold = write_predictions("frames", {"1": ["Economic", "Political"], "2": ["Morality"]}, tmp_path / "gold.txt")
    predicted = write_predictions("frames", {"1": ["Economic"], "2": ["Morality", "Political"]}, tmp_path / "pred.txt")
    code, out, _ = run_cli(capsys, "evaluate", "--task", "frames", "--gold", gold, "--predictions", predicted,
                           "--results-out", tmp_path / "r.json")
    assert code == 0 and "0.667" in out
    assert json.loads((tmp_path / "r.json").read_text())["average"]["micro_f1"] == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--data", FIXTURES / "nowhere"], "no such dataset folder"),
        (["--data", SEMEVAL2023, "--lang", "xx"], "data for language xx (present: en)"),
        (["--gold", FIXTURES / "nowhere.txt", "--predictions", FIXTURES / "nowhere.txt"], "no such file"),
    ],
)
def test_bad_input_is_one_line_error(capsys, args, message):
    code, _, err = run_cli(capsys, "evaluate", "--task", "genre", "--predictor", "majority", *args)
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1


def test_model_unavailable_is_reported_cleanly(capsys, monkeypatch):
    from narrascope.errors import ComponentUnavailable
    from narrascope.evaluate import predictors

    def unavailable(task):
        raise ComponentUnavailable("no artifact for genre")

    monkeypatch.setattr(predictors, "ModelPredictor", unavailable)
    code, _, err = run_cli(capsys, "evaluate", "--task", "genre", "--data", SEMEVAL2023, "--split", "train")
    assert code == 1
    assert err.strip() == "narrascope: genre: model unavailable: no artifact for genre"


def test_report_results_builds_docs_and_readme_summary(tmp_path, capsys):
    results = tmp_path / "results"
    for predictor in ("majority", "random"):
        code, _, _ = run_cli(capsys, "evaluate", "--task", "genre", "--data", SEMEVAL2023, "--split", "train",
                             "--predictor", predictor, "--results-out", results / f"genre-{predictor}-train.json")
        assert code == 0
    readme = tmp_path / "README.md"
    readme.write_text("# narrascope\n\n<!-- results:start -->\nold\n<!-- results:end -->\n\nMore.\n")
    output = tmp_path / "docs" / "results.md"
    code, out, _ = run_cli(capsys, "report-results", results, "-o", output, "--readme", readme)
    assert code == 0
    page = output.read_text()
    assert "do not edit" in page
    assert "| language | majority | random |" in page
    assert "| en |" in page
    summary = readme.read_text()
    assert "old" not in summary and "| genre | train | macro_f1 |" in summary and summary.endswith("More.\n")


def test_report_results_refuses_results_made_from_another_artifact(tmp_path, capsys):
    results = tmp_path / "results"
    code, _, _ = run_cli(capsys, "evaluate", "--task", "genre", "--data", SEMEVAL2023, "--split", "train",
                         "--predictor", "majority", "--results-out", results / "genre-majority-train.json")
    assert code == 0
    made_earlier = json.loads((results / "genre-majority-train.json").read_text())
    made_earlier.update(predictor="model", artifacts={"genre": "0123456789abcdef"})
    (results / "genre-model-train.json").write_text(json.dumps(made_earlier))
    output = tmp_path / "results.md"
    code, _, err = run_cli(capsys, "report-results", results, "-o", output, "--readme", tmp_path / "none.md")
    assert code == 2 and "genre-model-train.json (genre)" in err and not output.exists()
    code, _, _ = run_cli(capsys, "report-results", results, "-o", output, "--readme", tmp_path / "none.md", "--allow-stale")
    assert code == 0 and output.exists()


class FakeGenre:
    """A stand-in genre component: always 'satire' with probability 0.9."""

    name, version, labels = "genre", "fake-1", ("opinion", "reporting", "satire")

    def __call__(self, analysis):
        from narrascope.model import ComponentInfo, GenreResult

        analysis.results.genre = GenreResult(
            component=ComponentInfo(name=self.name, version=self.version),
            label="satire",
            probabilities={"opinion": 0.05, "reporting": 0.05, "satire": 0.9},
        )
        return analysis


class FakeClaims:
    name, version, labels, threshold = "claims", "fake-2", ("Yes", "No"), 0.5

    def predict_proba(self, texts):
        import numpy as np

        return np.array([0.8 if any(ch.isdigit() for ch in text) else 0.1 for text in texts])


@pytest.fixture
def fake_components(monkeypatch):
    from narrascope import components

    monkeypatch.setitem(components._FACTORIES, "genre", FakeGenre)
    monkeypatch.setitem(components._FACTORIES, "claims", FakeClaims)


def test_model_predictor_reads_the_component_and_reports_ece(tmp_path, capsys, fake_components):
    results_file = tmp_path / "r.json"
    code, out, _ = run_cli(capsys, "evaluate", "--task", "genre", "--data", SEMEVAL2023, "--split", "train",
                           "--results-out", results_file)
    assert code == 0
    results = json.loads(results_file.read_text())
    assert results["model_version"] == "genre fake-1"
    en = results["languages"]["en"]
    assert en["accuracy"] == pytest.approx(1 / 3)  # only 103 is satire
    assert en["ece"] == pytest.approx(abs(0.9 - 1 / 3))  # one bin: confidence 0.9, 1 of 3 right
    assert "ece" in out


def test_model_claims_use_probabilities_and_threshold(tmp_path, capsys, fake_components):
    results_file = tmp_path / "r.json"
    code, _, _ = run_cli(capsys, "evaluate", "--task", "claims", "--data", CHECKTHAT, "--split", "dev",
                         "--results-out", results_file, "--predictions-out", tmp_path)
    assert code == 0
    assert read_predictions("claims", tmp_path / "en.txt") == {"7": True, "8": False}
    dev = json.loads(results_file.read_text())["languages"]["en"]
    assert dev["f1_yes"] == 1.0
    assert dev["ece"] == pytest.approx((0.2 + 0.1) / 2)  # p=0.8 for a Yes, p=0.1 for a No


def test_report_results_writes_the_validation_protocol_counts(tmp_path, capsys):
    results = tmp_path / "results"
    code, _, _ = run_cli(capsys, "evaluate", "--task", "claims", "--data", CHECKTHAT, "--split", "train",
                         "--predictor", "random", "--results-out", results / "claims-random-train.json")
    assert code == 0
    validation = tmp_path / "validation.md"
    code, _, _ = run_cli(capsys, "report-results", results, "-o", tmp_path / "results.md", "--readme", tmp_path / "none.md",
                         "--validation-data", FIXTURES, "--validation-output", validation)
    assert code == 0
    page = validation.read_text()
    assert "bucket < 0.2" in page
    # fixture parts by the hash rule: 2023 en 101, 102, 104 fit and 103 validation; CheckThat sentence 2 only
    assert "| semeval2023-task3 | en | 4 | 3 | 1 |" in page
    assert "| checkthat2024-task1-en | en | 6 | 5 | 1 |" in page


def test_validation_split_scores_only_validation_documents_with_floors_fit_on_the_rest(tmp_path, capsys):
    results_file = tmp_path / "r.json"
    code, _, _ = run_cli(capsys, "evaluate", "--task", "genre", "--data", SEMEVAL2023, "--predictor", "majority",
                         "--results-out", results_file, "--predictions-out", tmp_path)
    assert code == 0
    assert read_predictions("genre", tmp_path / "en.txt") == {"103": "opinion"}  # satire's article, fit on 101/102
    results = json.loads(results_file.read_text())
    assert results["split"] == "validation" and results["documents"] == {"en": 1}
    assert results["languages"]["en"]["accuracy"] == 0.0


def test_average_ece_pools_the_languages_instead_of_averaging_them():
    """A language with one unlucky prediction must not swing the average: per language ECE is
    0.15 (three of four right at 0.9) and 0.9 (one wrong at 0.9), their mean 0.525; over all five
    predictions at 0.9, three right, it is 0.3."""
    from narrascope.evaluate import metrics
    from narrascope.evaluate.runner import average

    en = [(0.9, True), (0.9, True), (0.9, True), (0.9, False)]
    fr = [(0.9, False)]
    per_language = {
        "en": {"accuracy": 0.75, "ece": metrics.expected_calibration_error(*zip(*en)), "documents": 4},
        "fr": {"accuracy": 0.0, "ece": metrics.expected_calibration_error(*zip(*fr)), "documents": 1},
    }
    assert per_language["en"]["ece"] == pytest.approx(0.15) and per_language["fr"]["ece"] == pytest.approx(0.9)
    summary = average(per_language, en + fr)
    assert summary["ece"] == pytest.approx(0.3)
    assert summary["accuracy"] == pytest.approx(0.375) and summary["documents"] == 5  # the rest: means, sums
    assert "ece" not in average({"en": {"accuracy": 1.0}}, [])


def _genre_result(split: str, version: str, scores: dict[str, float]) -> dict:
    languages = {lang: {"macro_f1": value, "documents": 10} for lang, value in scores.items()}
    average = {"macro_f1": sum(scores.values()) / len(scores), "documents": 10 * len(scores)}
    return {"task": "genre", "split": split, "predictor": "model", "model_version": f"genre {version}", "artifacts": {},
            "headline": "macro_f1", "languages": languages, "average": average, "notes": []}


def _shipped_card_and_results(tmp_path, monkeypatch, artifact: str) -> tuple:
    """A shipped `artifact` card of version 9.9 where report-results writes cards, and an empty results folder."""
    from narrascope.evaluate import gaps

    shipped = tmp_path / "artifacts"
    (shipped / artifact).mkdir(parents=True)
    (shipped / artifact / "card.json").write_text(json.dumps({"name": artifact, "version": "9.9"}))
    monkeypatch.setattr(gaps, "SHIPPED", shipped)
    results = tmp_path / "results"
    results.mkdir()
    return shipped, results


def test_report_results_states_the_gap_to_validation_in_the_docs_and_the_shipped_card(tmp_path, capsys, monkeypatch):
    shipped, results = _shipped_card_and_results(tmp_path, monkeypatch, "genre")
    for name, data in {
        "genre-model-validation.json": _genre_result("validation", "9.9", {"en": 0.7, "fr": 0.5}),
        "genre-model-cross-language.json": _genre_result("cross-language", "9.9", {"en": 0.4, "fr": 0.5}),
    }.items():
        (results / name).write_text(json.dumps(data))
    output = tmp_path / "results.md"
    code, out, _ = run_cli(capsys, "report-results", results, "-o", output, "--readme", tmp_path / "none.md", "--update-cards")
    assert code == 0 and "cards of: genre" in out
    assert "| genre | cross-language | macro_f1 | 0.600 | 0.450 | -0.150 | genre 9.9 |" in output.read_text()
    card = json.loads((shipped / "genre" / "card.json").read_text())
    estimate = card["shift_aware"]["cross-language"]
    assert estimate["gap"] == -0.15 and estimate["languages"] == {"en": 0.4, "fr": 0.5}
    assert estimate["results"] == "results/genre-model-cross-language.json"

    # an estimate of another version is neither set against this validation score nor written into the card
    (results / "genre-model-cross-language.json").write_text(json.dumps(_genre_result("cross-language", "9.8", {"en": 0.1})))
    (shipped / "genre" / "card.json").write_text(json.dumps({"name": "genre", "version": "9.9"}))
    code, out, _ = run_cli(capsys, "report-results", results, "-o", output, "--readme", tmp_path / "none.md", "--update-cards")
    assert code == 0 and "cards of: none" in out
    page = output.read_text()
    assert "No shift-aware estimate yet for: genre" in page
    assert "Not comparable (another version than the validation result's): genre cross-language scored genre 9.8" in page
    assert "shift_aware" not in json.loads((shipped / "genre" / "card.json").read_text())


def test_label_shift_decides_each_languages_genres_at_its_own_estimated_mix(tmp_path, capsys):
    out = tmp_path / "shifted.json"
    code, _, _ = run_cli(capsys, "evaluate", "--task", "genre", "--data", SEMEVAL2023, "--split", "train",
                         "--predictor", "model", "--label-shift", "--results-out", out)
    assert code == 0
    results = json.loads(out.read_text())
    assert results["predictor"] == "model label-shift"
    note = next(n for n in results["notes"] if n.startswith("label shift:"))
    assert all(f"{language} opinion" in note for language in results["languages"])


def test_a_known_mix_decides_each_languages_genres_at_its_true_mix(tmp_path, capsys):
    plain, known = tmp_path / "plain.json", tmp_path / "known.json"
    for out, extra in ((plain, ()), (known, ("--label-shift", "known"))):
        code, _, _ = run_cli(capsys, "evaluate", "--task", "genre", "--data", SEMEVAL2023, "--split", "train",
                             "--predictor", "model", *extra, "--results-out", out)
        assert code == 0
    results = json.loads(known.read_text())
    assert results["predictor"] == "model known-mix"
    note = next(n for n in results["notes"] if n.startswith("label shift:"))
    assert "true genre mix" in note and all(f"{language} opinion" in note for language in results["languages"])
    assert set(results["languages"]) == set(json.loads(plain.read_text())["languages"])


def test_at_a_known_mix_close_calls_follow_the_collection_and_a_confident_one_stays():
    from narrascope.evaluate.predictors import Predictions, make_predictor
    from narrascope.evaluate.tasks import TASKS

    close = {"opinion": 0.55, "reporting": 0.43, "satire": 0.02}
    sure = {"opinion": 0.998, "reporting": 0.001, "satire": 0.001}
    predictions = Predictions(records={}, probabilities={"a": dict(close), "b": dict(close), "c": dict(sure), "d": dict(close)})
    gold = {"a": "reporting", "b": "reporting", "c": "opinion", "d": "reporting"}
    mix = make_predictor("model", TASKS["genre"], []).at_known_mix(predictions, gold)
    assert mix == {"opinion": 0.25, "reporting": 0.75, "satire": 0.0}
    assert predictions.records == {"a": "reporting", "b": "reporting", "c": "opinion", "d": "reporting"}
    assert predictions.probabilities["a"]["satire"] < 1e-6  # a genre the collection has none of is never named


@pytest.mark.parametrize("args", [("--task", "frames"), ("--task", "genre", "--predictor", "majority")])
def test_label_shift_is_refused_where_it_has_no_meaning(capsys, args):
    code, _, err = run_cli(capsys, "evaluate", "--data", SEMEVAL2023, "--split", "train", "--label-shift", *args)
    assert code == 2 and "--label-shift applies to the genre model only" in err


def test_a_card_two_tasks_read_keeps_both_estimates(tmp_path, capsys, monkeypatch):
    """Explanations are read from the narratives heads: their gap goes under their own name in
    the narratives card instead of replacing the narratives' own."""
    shipped, results = _shipped_card_and_results(tmp_path, monkeypatch, "narratives")

    def result(task: str, split: str, headline: str, value: float) -> dict:
        version = "narratives 9.9" + (", explanation 1.0" if task == "explanations" else "")
        return {"task": task, "split": split, "predictor": "model", "model_version": version, "artifacts": {},
                "headline": headline, "languages": {"EN": {headline: value, "documents": 10}},
                "average": {headline: value, "documents": 10}, "notes": []}

    for task, headline, validation, shifted in [("narratives", "f1_samples_fine", 0.46, 0.15),
                                                 ("explanations", "token_f1", 0.26, 0.24)]:
        for split, value in (("validation", validation), ("cross-language", shifted)):
            (results / f"{task}-model-{split}.json").write_text(json.dumps(result(task, split, headline, value)))
    code, out, _ = run_cli(capsys, "report-results", results, "-o", tmp_path / "results.md", "--readme",
                           tmp_path / "none.md", "--update-cards")
    assert code == 0 and "cards of: narratives" in out
    estimates = json.loads((shipped / "narratives" / "card.json").read_text())["shift_aware"]
    assert estimates["cross-language"]["metric"] == "f1_samples_fine" and estimates["cross-language"]["gap"] == -0.31
    assert estimates["explanations"]["cross-language"]["metric"] == "token_f1"
    assert estimates["explanations"]["cross-language"]["gap"] == -0.02
