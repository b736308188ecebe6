"""One evaluation run: read a split, predict, score per language, write predictions and results.

`evaluate(...)` returns the results dict that `narrascope evaluate --results-out` saves and
`narrascope report-results` turns into docs/results.md:

    {"task", "split", "predictor", "model_version", "narrascope_version", "data", "data_hash",
     "date", "headline", "languages": {lang: {metric: value, ..., "ece": ...}},
     "average": {metric: mean over languages; ece: over all languages' predictions at once},
     "notes": [...]}
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .. import __version__
from ..errors import DatasetError, InputError
from . import metrics
from .datasets import Example, dataset_languages, read_dataset
from ..artifacts import file_hash
from ..encoder import VECTORS
from .formats import read_predictions, write_predictions
from .predictors import Predictions, make_predictor
from .protocols import SHIFT_PROTOCOLS, needs_refit, refit_note, refitted_predictor, shift_groups, training_for
from .tasks import NOTES, TASKS, Task

# progress(documents per language, the language being predicted, its documents done so far)
Progress = Callable[[Mapping[str, int], str, int], None]
PROGRESS_CHUNK = 8  # documents predicted between two progress reports


def evaluate(
    task_name: str,
    data: Path,
    split: str = "validation",
    languages: Iterable[str] | None = None,
    predictor: str = "model",
    predictions_out: Path | None = None,
    train_data: Path | None = None,
    recipe: str | None = None,
    progress: Progress | None = None,
    label_shift: str | None = None,
) -> dict[str, Any]:
    """Score `predictor` on `task_name` over `data`'s split, per language. Floors are fitted on
    the fit part of `train_data` (default `data`): the same language's, or all languages' for a
    language without training data. The model is the shipped heads where they never saw the
    split, else its recipe refitted without it (`evaluate.protocols`); `split` may also be a
    shift-aware protocol (`cross-language`, `cross-source`, `cross-debate`). Raises
    `ComponentUnavailable` when a head cannot load. `progress`, when given, hears how far
    prediction is after every few documents. With `label_shift` (genre, model), each language's
    documents are decided at the genre mix EM estimates for them (`priors`; "estimated") or at
    their true mix ("known": what a user who knows the mix gets from `--genre-mix`)."""
    task = TASKS[task_name]
    if label_shift and (task.name != "genre" or predictor != "model"):
        raise InputError("--label-shift applies to the genre model only (a single-label head with training priors)")
    if label_shift not in (None, *LABEL_SHIFTS):
        raise InputError(f"--label-shift {label_shift!r}: expected one of {', '.join(LABEL_SHIFTS)}")
    by_language, fit, train_split = _read(task, data, split, languages, predictor, train_data, recipe)
    if not by_language:
        raise DatasetError(f"{data}: no {split} documents for {task.name}")
    refit = predictor == "model" and needs_refit(task, split, recipe)
    shared = make_predictor(predictor, task, []) if predictor == "model" and not refit else None
    if refit and split not in SHIFT_PROTOCOLS:
        shared = refitted_predictor(task, training_for(task, split, "", train_split, fit), recipe, split)
    results: dict[str, dict[str, float]] = {}
    version = ""
    all_gold: dict[str, dict] = {}
    collection_priors: dict[str, dict[str, float]] = {}
    calibration: list[tuple[float, bool]] = []
    for language, examples in sorted(by_language.items()):
        if shared is not None:
            model = shared
        elif predictor == "model":
            model = refitted_predictor(task, training_for(task, split, language, train_split, fit), recipe, split)
        else:
            floor_fit = {lang: e for lang, e in fit.items() if lang != language} if split in SHIFT_PROTOCOLS else fit
            model = make_predictor(predictor, task, floor_fit.get(language) or _pooled(floor_fit), language)
        version = model.version
        if progress is None:
            predictions = model.predict(examples)
        else:
            sizes = {name: len(documents) for name, documents in sorted(by_language.items())}
            predictions = _predict_reporting(model, examples, lambda done: progress(sizes, language, done))
        gold = _gold(task, examples)
        if label_shift == "known":
            collection_priors[language] = model.at_known_mix(predictions, gold)
        elif label_shift:
            collection_priors[language] = model.at_collection_priors(predictions)
        if predictions_out is not None:
            records = _file_offsets(predictions.records, examples) if task.name == "spans" else predictions.records
            write_predictions(task.name, records, Path(predictions_out) / f"{language}.txt")
        all_gold[language] = gold
        if gold:
            pairs = _calibration_pairs(task, gold, predictions)
            calibration += zip(*pairs)
            results[language] = score(task, gold, predictions, pairs)
    notes = [NOTES[task.name]] if task.name in NOTES else []
    if refit:
        notes.append(refit_note(task, split, recipe))
    if label_shift:
        how = ("its documents' true genre mix (what --genre-mix gives a user who knows it)" if label_shift == "known"
               else "the genre mix EM estimates for its documents (Saerens et al. 2002, against the head's training priors)")
        notes.append(
            f"label shift: each language's genres decided at {how}: " + "; ".join(
                f"{language} " + ", ".join(f"{label} {value:.2f}" for label, value in mix.items())
                for language, mix in collection_priors.items()
            )
        )
    shift = {"estimated": "label-shift", "known": "known-mix"}.get(label_shift or "")
    variant = " ".join(part for part in (recipe, shift) if part)
    return {
        "task": task.name,
        "split": split,
        "predictor": f"model {variant}" if predictor == "model" and variant else predictor,
        "model_version": version,
        "narrascope_version": __version__,
        "artifacts": {} if refit or predictor != "model" else _artifact_hashes(task),
        "vectors": VECTORS if predictor == "model" else None,
        "data": Path(data).name,
        "data_hash": _data_hash(by_language, all_gold),
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "headline": task.headline,
        "documents": {language: len(examples) for language, examples in sorted(by_language.items())},
        "languages": results,
        "average": average(results, calibration),
        "notes": notes,
    }


LABEL_SHIFTS = ("estimated", "known")


def _read(
    task: Task, data: Path, split: str, languages, predictor: str, train_data: Path | None, recipe: str | None = None
):
    """The examples to score by language, the fit part by language (floors, refits), and the
    whole training split by language (refits and cross-language folds; empty when unused)."""
    by_language: dict[str, list[Example]] = defaultdict(list)
    fit: dict[str, list[Example]] = defaultdict(list)
    train_split: dict[str, list[Example]] = defaultdict(list)
    if split in SHIFT_PROTOCOLS:  # keyed by the held-out group (language or debate block)
        examples = read_dataset(task.name, train_data or data, "train", languages)
        labelled = [e for e in examples if task.gold(e) is not None]
        for group, examples in shift_groups(task, split, labelled).items():
            train_split[group] = examples
            fit[group] = [e for e in examples if e.part == "fit"]
        return train_split, fit, train_split
    if split in ("fit", "validation") and train_data is None:  # one read serves both parts
        for example in read_dataset(task.name, data, "train", languages):
            (by_language if example.part == split else fit)[example.language].append(example)
            train_split[example.language].append(example)
        return by_language, (fit if split == "validation" else by_language), train_split
    for example in read_dataset(task.name, data, split, languages):
        by_language[example.language].append(example)
    if predictor != "model" or needs_refit(task, split, recipe):  # an earlier recipe is refitted on train
        fit = _fit_examples(task, train_data or data)
        for example in read_dataset(task.name, train_data or data, "train", languages):
            train_split[example.language].append(example)
    return by_language, fit, train_split


def _artifact_hashes(task: Task) -> dict[str, str | None]:
    """The shipped artifacts a model result came from (`report-results` flags stale tables)."""
    from ..train.protocol import TRAINERS

    return {name: file_hash(name) for name in TRAINERS[task.name]}


def _predict_reporting(model: Any, examples: list[Example], report: Callable[[int], None]) -> Predictions:
    """`model.predict(examples)` a few documents at a time, reporting after each part. Every
    predictor treats documents one by one in order (the random floor draws from one generator),
    so the predictions are those of a single call."""
    merged = Predictions({})
    report(0)
    for start in range(0, len(examples), PROGRESS_CHUNK):
        part = model.predict(examples[start : start + PROGRESS_CHUNK])
        merged.records.update(part.records)
        merged.probabilities.update(part.probabilities)
        report(min(start + PROGRESS_CHUNK, len(examples)))
    return merged


def score_files(task_name: str, gold_file: Path, predictions_file: Path) -> dict[str, Any]:
    """Score an official prediction file against a gold file of the same format."""
    task = TASKS[task_name]
    gold = read_predictions(task.name, gold_file)
    if not gold:
        raise DatasetError(f"{gold_file}: no gold rows")
    predictions = Predictions(read_predictions(task.name, predictions_file))
    values = score(task, gold, predictions)
    return {
        "task": task.name,
        "gold": str(gold_file),
        "predictions": str(predictions_file),
        "headline": task.headline,
        "languages": {"file": values},
        "average": values,
        "notes": [NOTES[task.name]] if task.name in NOTES else [],
    }


def score(
    task: Task, gold: Mapping, predictions: Predictions, calibration: tuple[list[float], list[bool]] | None = None
) -> dict[str, float]:
    """The task's metrics, plus ECE where the predictions carry probabilities (`calibration`:
    their `_calibration_pairs`, when the caller already has them)."""
    values = dict(task.score(gold, predictions.records))
    confidences, outcomes = calibration if calibration is not None else _calibration_pairs(task, gold, predictions)
    if confidences:
        values["ece"] = metrics.expected_calibration_error(confidences, outcomes)
    return values


def average(
    results: Mapping[str, Mapping[str, float]], calibration: Sequence[tuple[float, bool]] = ()
) -> dict[str, float]:
    """Mean of each metric over languages (every language weighs the same, as the tasks rank);
    counts (integers) are summed. ECE is the exception: it is computed once over every
    language's (confidence, outcome) pairs in `calibration`, because ten bins over the few dozen
    documents of one language overstate miscalibration, and a mean of such numbers does too."""
    keys = {key for values in results.values() for key in values}
    summary: dict[str, float] = {}
    for key in sorted(keys):
        values = [v[key] for v in results.values() if key in v]
        summary[key] = sum(values) if all(isinstance(x, int) for x in values) else float(np.mean(values))
    if calibration:  # pairs exist exactly when some language has an ece
        confidences, outcomes = zip(*calibration)
        summary["ece"] = metrics.expected_calibration_error(confidences, outcomes)
    return summary


def _calibration_pairs(task: Task, gold: Mapping, predictions: Predictions) -> tuple[list[float], list[bool]]:
    """Single-label: top probability vs correct. Multi-label: each label's probability vs
    presence in gold (claims: the probability of Yes vs the gold Yes)."""
    confidences: list[float] = []
    outcomes: list[bool] = []
    for key, probabilities in predictions.probabilities.items():
        if key not in gold or not probabilities:
            continue
        truth = gold[key]
        if task.multi_label:
            present = {"Yes"} if truth is True else set() if truth is False else set(truth)
            for label, p in probabilities.items():
                confidences.append(p)
                outcomes.append(label in present)
        else:
            best = max(probabilities, key=probabilities.__getitem__)
            confidences.append(probabilities[best])
            outcomes.append(best == truth)
    return confidences, outcomes


def _file_offsets(records: dict, examples: list[Example]) -> dict:
    """Spans as offsets into the article files, as the official format counts them."""
    by_id = {e.document_id: e for e in examples}
    return {
        key: [(label, *by_id[key].file_span(start, end)) for label, start, end in spans]
        for key, spans in records.items()
    }


def _gold(task: Task, examples: list[Example]) -> dict:
    gold: dict = {}
    for example in examples:
        records = task.gold(example)
        if records is not None:
            gold.update(records)
    return gold


def _fit_examples(task: Task, root: Path) -> dict[str, list[Example]]:
    """The fit part per language of the training split under `root` (empty if it has none)."""
    try:
        present = dataset_languages(task.name, root, "train")
    except DatasetError:
        return {}
    fit: dict[str, list[Example]] = defaultdict(list)
    if present:
        for example in read_dataset(task.name, root, "fit", present):
            fit[example.language].append(example)
    return fit


def _pooled(fit: Mapping[str, list[Example]]) -> list[Example]:
    pooled = [e for examples in fit.values() for e in examples]
    if not pooled:
        raise DatasetError("no training split found to fit the floor on; pass --train-data DIR")
    return pooled


def _data_hash(by_language: Mapping[str, list[Example]], gold: Mapping[str, dict]) -> str:
    """Which documents and gold labels were scored: sha256 of their IDs, text hashes and gold."""
    digest = hashlib.sha256()
    for language in sorted(by_language):
        for example in sorted(by_language[language], key=lambda e: e.document_id):
            digest.update(f"{language}\t{example.document_id}\t{example.document.id}\n".encode())
        for key in sorted(gold.get(language, {}), key=str):
            digest.update(f"{key!r}\t{gold[language][key]!r}\n".encode())
    return digest.hexdigest()[:16]
