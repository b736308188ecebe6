"""Few-shot quality of custom labels: the SemEval-2025 Task 10 narratives written up as a user's
taxonomy file (`evaluate.semeval_taxonomy`), scored on the validation part like the built-in head. Labels are found as the component finds
them (`CustomNarratives.present`).

Five settings: descriptions only; 5 and 20 example sentences per label (narratives and their
subnarratives), taken from the fit part's evidence; 20 examples with 20 and with all of the fit
part's articles that push no narrative ("Other") as the file's negatives (`negatives:` at the
top of a taxonomy file: text that pushes none of the labels). Each validation document's present labels
become SemEval label sets (nothing present: "Other"; a narrative without a specific child:
"<narrative>: Other"), scored with the official F1-samples, coarse and fine, per language and
as the mean over languages, beside the trained narratives head and the majority floor
(results/narratives-*-validation.json). A second table reads the same scores with each
document's "none" known and with its number of narratives known: which part of the scoring
falls short.

The calibration is fitted as `narrascope train --task custom-calibration` fits it, but across
domains: the war (URW) labels are calibrated on climate (CC) label pairs and the reverse, so no
label is ever calibrated on itself, as no user's label would be. Writes
results/benchmarks/custom-fewshot-validation.json and the tables in docs/custom-narratives.md.

    NARRASCOPE_EMBEDDING_CACHE=/work/cache/narr/emb.sqlite python benchmarks/bench_custom.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

from _results import RESULTS, ROOT, replace_section, stamp, table, write_results
from narrascope.artifacts import load
from narrascope.components.custom import Calibration, CustomNarratives, no_label_chance
from narrascope.components.custom_examples import resolve_examples
from narrascope.components.narratives import OTHER, Narratives
from narrascope.evaluate.datasets import Example, read_semeval2025
from narrascope.evaluate.metrics import samples_f1
from narrascope.evaluate.semeval_taxonomy import (
    evidence_examples, none_articles, none_examples, semeval_sets, semeval_taxonomy,
)
from narrascope.train.custom_calibration import CALIBRATION_EVERY, fit_calibration, label_pairs

# example sentences per label, and articles listed as pushing none of the labels (None: every
# fit article that pushes no narrative, the Other ones)
SETTINGS = {"descriptions": (0, 0), "examples-5": (5, 0), "examples-20": (20, 0), "examples-20-none-20": (20, 20),
            "examples-20-none": (20, None)}
TARGET_SHARE = 0.8  # 20 examples should reach 80 % of the trained head's coarse F1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "semeval2025-task10")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--limit", type=int, help="at most this many validation documents per language")
    parser.add_argument("--quick", action="store_true", help="--limit 10, results not written")
    parser.add_argument("--tune", action="store_true",
                        help="score the calibration documents (fit part) instead of validation, for design choices; "
                        "results not written")
    args = parser.parse_args()
    limit = 10 if args.quick else args.limit
    started = time.perf_counter()
    fit = [e for e in read_semeval2025(args.data, split="fit") if e.narratives is not None]
    calibration_documents = fit[::CALIBRATION_EVERY]
    validation = calibration_documents if args.tune else [e for e in read_semeval2025(args.data, split="validation")
                                                          if e.narratives]
    validation = _limited(validation, limit)
    sources = [e for i, e in enumerate(fit) if i % CALIBRATION_EVERY]
    model = Narratives(*load("narratives"))
    narratives, subnarratives = model.narrative_labels, model.subnarrative_labels
    most = max(count for count, _ in SETTINGS.values())
    examples = evidence_examples(model, sources, narratives + subnarratives, most, args.seed)
    available = len(none_articles(sources, args.seed))
    report = {}
    for setting, (count, none_count) in SETTINGS.items():
        chosen = {label: found[:count] for label, found in examples.items()}
        pushing_none = none_examples(sources, none_count, args.seed)
        taxonomy = semeval_taxonomy(narratives, subnarratives, chosen, pushing_none)
        scorer = CustomNarratives(taxonomy, resolve_examples(taxonomy), Calibration.neutral())
        scorer.calibration = _cross_domain(scorer, calibration_documents, args.seed)
        report[setting] = _scores(scorer, validation, narratives)
        report[setting]["examples_per_label"] = _examples_given(chosen, count)
        report[setting]["none_articles"] = available if none_count is None else min(none_count, available)
        report[setting]["none_sentences"] = len(pushing_none)
        print(setting, json.dumps(report[setting]["average"]), flush=True)
    trained, majority = (_reference(f"narratives-{kind}-validation.json") for kind in ("model", "majority"))
    results = {
        **stamp(),
        "benchmark": "benchmarks/bench_custom.py",
        "data": str(args.data),
        "seed": args.seed,
        "validation_documents": {language: len(rows) for language, rows in _by_language(validation).items()},
        "calibration": f"fitted across domains (URW labels on CC pairs and the reverse) on every "
                       f"{CALIBRATION_EVERY}th fit document; examples from the other fit documents",
        "settings": report,
        "trained_head": trained,
        "majority": majority,
        "targets": _targets(report, trained, majority),
        "seconds": round(time.perf_counter() - started),
    }
    print(json.dumps(results["targets"], indent=2))
    if args.quick or args.tune:
        return
    write_results("custom-fewshot-validation.json", results)
    replace_section("custom-fewshot", _docs_table(results))
    replace_section("custom-gap", _gap_table(results))


def _limited(examples: list[Example], limit: int | None) -> list[Example]:
    if not limit:
        return examples
    return [e for rows in _by_language(examples).values() for e in rows[:limit]]


def _by_language(examples: Sequence[Example]) -> dict[str, list[Example]]:
    grouped: dict[str, list[Example]] = {}
    for example in examples:
        grouped.setdefault(example.language, []).append(example)
    return dict(sorted(grouped.items()))


def _examples_given(chosen: dict[str, list[str]], count: int) -> dict[str, float]:
    given = [len(v) for v in chosen.values()]
    return {"asked": count, "labels_with_all": sum(g >= count for g in given), "labels": len(given),
            "mean": round(float(np.mean(given)), 2)}


def _cross_domain(scorer: CustomNarratives, documents: Sequence[Example], seed: int) -> "_DomainCalibration":
    """A calibration per domain, each fitted on the other domain's (document, label) pairs."""
    names = list(scorer.labels)
    fitted: dict[str, Calibration] = {}
    for domain, other in (("URW", "CC"), ("CC", "URW")):
        coef, intercept = {}, {}
        for method in ("descriptions", scorer.example_method):
            features, targets, columns = label_pairs(scorer, documents, method)
            keep = [i for i, c in enumerate(columns) if names[c].startswith(other + ":")]
            if method != "descriptions" and not keep:
                continue
            coef[method], intercept[method] = fit_calibration(features[keep], targets[keep], seed)
        fitted[domain] = Calibration(coef, intercept)
    return _DomainCalibration(fitted, names)


class _DomainCalibration:
    """A `Calibration` that scores each label with the calibration fitted on the other domain."""

    def __init__(self, fitted: dict[str, Calibration], names: list[str]):
        self.fitted, self.names = fitted, names

    def __call__(self, method: str, features: np.ndarray, columns: Sequence[int] = (), labels: int = 0) -> np.ndarray:
        out = np.zeros(len(features))
        for i, column in enumerate(columns):
            domain = "URW" if self.names[column].startswith("URW") else "CC"
            out[i] = self.fitted[domain](method, features[i : i + 1])[0]
        return out


def _scores(scorer: CustomNarratives, validation: Sequence[Example], narratives: Sequence[str]) -> dict:
    """Official F1-samples per language of the labels found, and a diagnosis of where they fall short
    (`_gap_table`)."""
    names = [label.name for label in scorer.taxonomy.labels]
    columns = [names.index(name) for name in narratives]
    decided, none_known, count_known, none_value = {}, {}, {}, {}
    for example in validation:
        key = f"{example.language}/{example.document_id}"
        probabilities, _, _ = scorer.probabilities(example.document)
        present = sorted(scorer.present(probabilities))
        decided[key] = semeval_sets([names[i] for i in present], narratives)
        pushes_none = set(example.narratives) == {OTHER}
        # the same scores with the document's "none" known: Other documents get nothing, the others
        # what was found, or the likeliest label where nothing was
        known = [] if pushes_none else present or [int(np.argmax(probabilities))]
        none_known[key] = semeval_sets([names[i] for i in known], narratives)
        # the ranking alone: as many narratives as the document has, the likeliest first
        count = 0 if pushes_none else len(set(example.narratives))
        likeliest = sorted(columns, key=lambda c: -probabilities[c])[:count]
        count_known[key] = semeval_sets([names[c] for c in likeliest], narratives)[0]
        none_value[key] = no_label_chance(probabilities)
    languages = {}
    for language, rows in _by_language(validation).items():
        keys = [f"{e.language}/{e.document_id}" for e in rows]
        gold_coarse = {k: set(e.narratives) for k, e in zip(keys, rows)}
        gold_fine = {k: set(e.subnarratives) for k, e in zip(keys, rows)}
        languages[language] = {
            "documents": len(rows),
            **_coarse_fine(gold_coarse, gold_fine, {k: decided[k] for k in keys}),
            "diagnosis": {
                "none_known": _coarse_fine(gold_coarse, gold_fine, {k: none_known[k] for k in keys}),
                "count_known_coarse": round(samples_f1(gold_coarse, {k: count_known[k] for k in keys})[0], 4),
                "other_documents": sum(gold_coarse[k] == {OTHER} for k in keys),
                "none_auc": _none_auc([gold_coarse[k] == {OTHER} for k in keys], [none_value[k] for k in keys]),
            },
        }
    average = {metric: round(float(np.mean([v[metric] for v in languages.values()])), 4)
               for metric in ("f1_samples_coarse", "f1_samples_fine")}
    diagnoses = [v["diagnosis"] for v in languages.values()]
    average["diagnosis"] = {
        "none_known": {metric: round(float(np.mean([d["none_known"][metric] for d in diagnoses])), 4)
                       for metric in ("f1_samples_coarse", "f1_samples_fine")},
        "count_known_coarse": round(float(np.mean([d["count_known_coarse"] for d in diagnoses])), 4),
    }
    return {"languages": languages, "average": average}


def _coarse_fine(gold_coarse: dict, gold_fine: dict, predicted: dict[str, tuple[set[str], set[str]]]) -> dict:
    return {"f1_samples_coarse": round(samples_f1(gold_coarse, {k: v[0] for k, v in predicted.items()})[0], 4),
            "f1_samples_fine": round(samples_f1(gold_fine, {k: v[1] for k, v in predicted.items()})[0], 4)}


def _none_auc(is_other: list[bool], none_value: list[float]) -> float | None:
    """How well the chance that no label applies ranks the Other documents first (ROC AUC; 0.5 is
    chance), where a language has both kinds."""
    if all(is_other) or not any(is_other):
        return None
    return round(float(roc_auc_score(is_other, none_value)), 3)


def _reference(name: str) -> dict:
    data = json.loads((RESULTS / name).read_text(encoding="utf-8"))
    keep = ("f1_samples_coarse", "f1_samples_fine")
    return {"model_version": data.get("model_version"), "date": data.get("date"),
            "languages": {k: {m: round(v[m], 4) for m in keep} for k, v in data["languages"].items()},
            "average": {m: round(data["average"][m], 4) for m in keep}}


def _targets(report: dict, trained: dict, majority: dict) -> dict:
    share, with_none = (_share_of_trained(report[setting], trained) for setting in ("examples-20", "examples-20-none"))
    beats = {language: v["f1_samples_coarse"] > majority["languages"][language]["f1_samples_coarse"]
             and v["f1_samples_fine"] > majority["languages"][language]["f1_samples_fine"]
             for language, v in report["descriptions"]["languages"].items()}
    return {"examples_20_share_of_trained_coarse": share,
            "examples_20_reach_80_percent": share["average"] >= TARGET_SHARE,
            "examples_20_with_none_share_of_trained_coarse": with_none,
            "examples_20_with_none_reach_80_percent": with_none["average"] >= TARGET_SHARE,
            "descriptions_beat_majority": beats,
            "descriptions_beat_majority_in_every_language": all(beats.values())}


def _share_of_trained(scores: dict, trained: dict) -> dict[str, float]:
    share = {language: round(v["f1_samples_coarse"] / trained["languages"][language]["f1_samples_coarse"], 3)
             for language, v in scores["languages"].items()}
    share["average"] = round(scores["average"]["f1_samples_coarse"] / trained["average"]["f1_samples_coarse"], 3)
    return share


def _docs_table(results: dict) -> str:
    rows = []
    languages = list(results["settings"]["descriptions"]["languages"]) + ["average"]
    columns = [("majority floor", results["majority"]), ("descriptions only", results["settings"]["descriptions"]),
               ("5 examples", results["settings"]["examples-5"]), ("20 examples", results["settings"]["examples-20"]),
               *((f"20 examples, {results['settings'][s]['none_articles']} none articles", results["settings"][s])
                 for s in ("examples-20-none-20", "examples-20-none")),
               ("trained head", results["trained_head"])]
    for language in languages:
        cells = []
        for _, source in columns:
            scores = source["average"] if language == "average" else source["languages"][language]
            cells.append(f"{scores['f1_samples_coarse']:.3f} / {scores['f1_samples_fine']:.3f}")
        rows.append([language, *cells])
    targets = results["targets"]
    share = targets["examples_20_share_of_trained_coarse"]
    with_none = targets["examples_20_with_none_share_of_trained_coarse"]
    lines = [table(["language", *(name for name, _ in columns)], rows), "",
             f"Coarse / fine F1-samples on the validation part ({sum(results['validation_documents'].values())} "
             f"documents). 20 examples reach {share['average']:.0%} of the trained head's coarse F1 "
             f"(target 80 %: {'met' if targets['examples_20_reach_80_percent'] else 'not met'}); with all "
             f"{results['settings']['examples-20-none']['none_articles']} of the fit part's articles that push no "
             f"narrative listed as file-wide negatives ({results['settings']['examples-20-none']['none_sentences']} "
             f"sentences; \"none articles\"), "
             f"{with_none['average']:.0%} "
             f"({'met' if targets['examples_20_with_none_reach_80_percent'] else 'not met'}); "
             f"descriptions only beat the majority floor in "
             f"{sum(results['targets']['descriptions_beat_majority'].values())} of "
             f"{len(results['targets']['descriptions_beat_majority'])} languages. "
             f"Measured {results['date'][:10]} with {results['encoder']} (`benchmarks/bench_custom.py`, "
             f"{results['seconds']} s)."]
    return "\n".join(lines)


def _gap_table(results: dict) -> str:
    """Where the few-shot scores fall short: the same scores with the document's "none" known, and
    (20 examples) the ranking alone, given how many narratives the document has."""
    settings, floor, trained = results["settings"], results["majority"], results["trained_head"]
    def pair(scores: dict) -> str:
        return f"{scores['f1_samples_coarse']:.3f} / {scores['f1_samples_fine']:.3f}"

    rows = []
    for language in [*settings["descriptions"]["languages"], "average"]:
        def pick(source: dict) -> dict:
            return source["average"] if language == "average" else source["languages"][language]

        described, twenty = pick(settings["descriptions"]), pick(settings["examples-20"])
        aucs = [pick(settings[s]).get("diagnosis", {}).get("none_auc") for s in ("descriptions", "examples-20")]
        rows.append([language, pair(pick(floor)), pair(described), pair(described["diagnosis"]["none_known"]),
                     pair(twenty), pair(twenty["diagnosis"]["none_known"]), twenty["diagnosis"]["count_known_coarse"],
                     " / ".join("-" if a is None else f"{a:.2f}" for a in aucs) if language != "average" else "",
                     pair(pick(trained))])
    twenty = settings["examples-20"]["average"]["diagnosis"]
    trained_coarse = trained["average"]["f1_samples_coarse"]
    beaten = [language for language, v in settings["descriptions"]["languages"].items()
              if all(v["diagnosis"]["none_known"][m] > floor["languages"][language][m]
                     for m in ("f1_samples_coarse", "f1_samples_fine"))]
    headers = ["language", "majority floor", "descriptions", "descriptions, none known", "20 examples",
               "20 examples, none known", "20 examples, count known (coarse)", "none AUC (descriptions / 20)",
               "trained head"]
    return "\n".join([
        table(headers, rows), "",
        f"Coarse / fine F1-samples, the same run as above. With the document's \"none\" known, 20 examples "
        f"reach {twenty['none_known']['f1_samples_coarse'] / trained_coarse:.0%} of the trained head's coarse F1, "
        f"and their ranking alone (as many narratives as the document has) "
        f"{twenty['count_known_coarse'] / trained_coarse:.0%}; descriptions only, with \"none\" known, beat the "
        f"majority floor in {len(beaten)} of {len(settings['descriptions']['languages'])} languages"
        f"{' (' + ', '.join(beaten) + ')' if beaten else ''}. None AUC: how well the chance that no label applies "
        f"puts the Other documents first (0.5 is chance; - where a language has no Other document)."])


if __name__ == "__main__":
    main()
