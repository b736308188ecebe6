"""Few-shot quality of custom labels: the SemEval-2025 Task 10 narratives written up as a user's
taxonomy file (`evaluate.semeval_taxonomy`), scored on the validation part like the built-in head. Labels are found as the component finds
them (`CustomNarratives.present`).

Three settings: descriptions only; 5 and 20 example sentences per label (narratives and their
subnarratives), taken from the fit part's evidence. Each validation document's present labels
become SemEval label sets (nothing present: "Other"; a narrative without a specific child:
"<narrative>: Other"), scored with the official F1-samples, coarse and fine, per language and
as the mean over languages, beside the trained narratives head and the majority floor
(results/narratives-*-validation.json).

The calibration is fitted as `narrascope train --task custom-calibration` fits it, but across
domains: the war (URW) labels are calibrated on climate (CC) label pairs and the reverse, so no
label is ever calibrated on itself, as no user's label would be. Writes
results/benchmarks/custom-fewshot-validation.json and the table in docs/custom-narratives.md.

    NARRASCOPE_EMBEDDING_CACHE=/work/cache/narr/emb.sqlite python benchmarks/bench_custom.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from _results import RESULTS, ROOT, replace_section, stamp, table, write_results
from narrascope.artifacts import load
from narrascope.components.custom import Calibration, CustomNarratives
from narrascope.components.narratives import Narratives
from narrascope.evaluate.datasets import Example, read_semeval2025
from narrascope.evaluate.metrics import samples_f1
from narrascope.evaluate.semeval_taxonomy import evidence_examples, semeval_sets, semeval_taxonomy
from narrascope.train.custom_calibration import CALIBRATION_EVERY, fit_calibration, label_pairs

SETTINGS = {"descriptions": 0, "examples-5": 5, "examples-20": 20}
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
    examples = evidence_examples(model, sources, narratives + subnarratives, max(SETTINGS.values()), args.seed)
    report = {}
    for setting, count in SETTINGS.items():
        chosen = {label: found[:count] for label, found in examples.items()}
        taxonomy = semeval_taxonomy(narratives, subnarratives, chosen)
        scorer = CustomNarratives(taxonomy, {l.id: chosen.get(l.name, []) for l in taxonomy.labels}, {},
                                  _cross_domain(taxonomy, chosen, calibration_documents, args.seed))
        report[setting] = _scores(scorer, validation, narratives)
        report[setting]["examples_per_label"] = _examples_given(chosen, count)
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


def _cross_domain(taxonomy, chosen: dict[str, list[str]], documents: Sequence[Example], seed: int) -> "_DomainCalibration":
    """A calibration per domain, each fitted on the other domain's (document, label) pairs."""
    scorer = CustomNarratives(taxonomy, {l.id: chosen.get(l.name, []) for l in taxonomy.labels}, {},
                              Calibration.neutral())
    names = [label.name for label in taxonomy.labels]
    fitted: dict[str, Calibration] = {}
    for domain, other in (("URW", "CC"), ("CC", "URW")):
        coef, intercept = {}, {}
        for method in ("descriptions", "examples"):
            features, targets, columns = label_pairs(scorer, documents, method)
            keep = [i for i, c in enumerate(columns) if names[c].startswith(other + ":")]
            if method == "examples" and not keep:
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
    names = [label.name for label in scorer.taxonomy.labels]
    predicted: dict[str, tuple[set[str], set[str]]] = {}
    for example in validation:
        probabilities, _, _ = scorer.probabilities(example.document)
        present = [names[i] for i in sorted(scorer.present(probabilities))]
        predicted[f"{example.language}/{example.document_id}"] = semeval_sets(present, narratives)
    languages = {}
    for language, rows in _by_language(validation).items():
        keys = [f"{e.language}/{e.document_id}" for e in rows]
        gold_coarse = {k: set(e.narratives) for k, e in zip(keys, rows)}
        gold_fine = {k: set(e.subnarratives) for k, e in zip(keys, rows)}
        languages[language] = {
            "documents": len(rows),
            "f1_samples_coarse": round(samples_f1(gold_coarse, {k: predicted[k][0] for k in keys})[0], 4),
            "f1_samples_fine": round(samples_f1(gold_fine, {k: predicted[k][1] for k in keys})[0], 4),
        }
    average = {metric: round(float(np.mean([v[metric] for v in languages.values()])), 4)
               for metric in ("f1_samples_coarse", "f1_samples_fine")}
    return {"languages": languages, "average": average}


def _reference(name: str) -> dict:
    data = json.loads((RESULTS / name).read_text(encoding="utf-8"))
    keep = ("f1_samples_coarse", "f1_samples_fine")
    return {"model_version": data.get("model_version"), "date": data.get("date"),
            "languages": {k: {m: round(v[m], 4) for m in keep} for k, v in data["languages"].items()},
            "average": {m: round(data["average"][m], 4) for m in keep}}


def _targets(report: dict, trained: dict, majority: dict) -> dict:
    twenty = report["examples-20"]
    share = {language: round(v["f1_samples_coarse"] / trained["languages"][language]["f1_samples_coarse"], 3)
             for language, v in twenty["languages"].items()}
    share["average"] = round(twenty["average"]["f1_samples_coarse"] / trained["average"]["f1_samples_coarse"], 3)
    beats = {language: v["f1_samples_coarse"] > majority["languages"][language]["f1_samples_coarse"]
             and v["f1_samples_fine"] > majority["languages"][language]["f1_samples_fine"]
             for language, v in report["descriptions"]["languages"].items()}
    return {"examples_20_share_of_trained_coarse": share,
            "examples_20_reach_80_percent": share["average"] >= TARGET_SHARE,
            "descriptions_beat_majority": beats,
            "descriptions_beat_majority_in_every_language": all(beats.values())}


def _docs_table(results: dict) -> str:
    rows = []
    languages = list(results["settings"]["descriptions"]["languages"]) + ["average"]
    columns = [("majority floor", results["majority"]), ("descriptions only", results["settings"]["descriptions"]),
               ("5 examples", results["settings"]["examples-5"]), ("20 examples", results["settings"]["examples-20"]),
               ("trained head", results["trained_head"])]
    for language in languages:
        cells = []
        for _, source in columns:
            scores = source["average"] if language == "average" else source["languages"][language]
            cells.append(f"{scores['f1_samples_coarse']:.3f} / {scores['f1_samples_fine']:.3f}")
        rows.append([language, *cells])
    share = results["targets"]["examples_20_share_of_trained_coarse"]
    lines = [table(["language", *(name for name, _ in columns)], rows), "",
             f"Coarse / fine F1-samples on the validation part ({sum(results['validation_documents'].values())} "
             f"documents). 20 examples reach {share['average']:.0%} of the trained head's coarse F1 "
             f"(target 80 %: {'met' if results['targets']['examples_20_reach_80_percent'] else 'not met'}); "
             f"descriptions only beat the majority floor in "
             f"{sum(results['targets']['descriptions_beat_majority'].values())} of "
             f"{len(results['targets']['descriptions_beat_majority'])} languages. "
             f"Measured {results['date'][:10]} with {results['encoder']} (`benchmarks/bench_custom.py`, "
             f"{results['seconds']} s)."]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
