"""Train the narrative head: pooled paragraph embeddings -> one-vs-rest logistic regression per
narrative and per specific subnarrative (SemEval-2025 Task 10, all languages together).

Fit on the fixed fit part; on the validation part pick one probability cut per label family
and the decision's two floors (see `components.narratives`) that maximise the task's
F1-samples, then report F1-samples (fine and coarse) per language.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np

from ..artifacts import data_hash, save
from ..components.narratives import OTHER, Narratives
from ..encoder import NAME as ENCODER_NAME, paragraph_embeddings
from ..evaluate.datasets import read_semeval2025
from ..evaluate.metrics import samples_f1
from ..linear import pooled
from ..taxonomy import NARRATIVES, SUBNARRATIVES
from .linear_heads import calibration_error, fit_one_vs_rest

VERSION = "1.2"
REGULARISATION = 32.0  # C of the logistic regressions, chosen on validation (4, 32, 256 tried)
CUTS = np.round(np.arange(0.10, 0.86, 0.05), 2)
NEVER = 1.01  # a floor no probability reaches: the rule it guards is off
FLOORS = (0.05, 0.10, 0.15, 0.20, 0.30, NEVER)
DECISION_PARAMETERS = ("narratives", "subnarratives", "narrative_floor", "subnarrative_floor")

NARRATIVE_LABELS = [label for label in NARRATIVES if label != OTHER]
SUBNARRATIVE_LABELS = [label for label in SUBNARRATIVES if label != OTHER and not label.endswith(": Other")]


def f1_samples(gold: list[set[str]], predicted: list[set[str]]) -> float:
    return round(samples_f1(dict(enumerate(gold)), dict(enumerate(predicted)))[0], 4)


def _targets(label_sets: list[set[str]], labels: list[str]) -> np.ndarray:
    return np.array([[label in found for label in labels] for found in label_sets], dtype=np.int8)


def train(data: Path, out: Path, seed: int = 13) -> dict:
    examples = list(read_semeval2025(data, split="train"))
    fit = [e for e in examples if e.part == "fit"]
    validation = [e for e in examples if e.part == "validation"]
    paragraphs = {id(e): paragraph_embeddings(e.document) for e in examples}
    features = {key: pooled(vectors) for key, vectors in paragraphs.items()}

    def matrix(part):
        return np.stack([features[id(e)] for e in part])

    narrative_head = fit_one_vs_rest(
        matrix(fit), _targets([set(e.narratives) for e in fit], NARRATIVE_LABELS), REGULARISATION, seed
    )
    subnarrative_head = fit_one_vs_rest(
        matrix(fit), _targets([set(e.subnarratives) for e in fit], SUBNARRATIVE_LABELS), REGULARISATION, seed
    )
    card = {
        "version": VERSION,
        "task": "narratives",
        "encoder": ENCODER_NAME,
        "features": "mean and max of all paragraph embeddings (each the length-weighted mean of its "
                    "sentences'); a label scores its highest over the whole article and its 3-paragraph runs",
        "labels": {"narratives": NARRATIVE_LABELS, "subnarratives": SUBNARRATIVE_LABELS},
        "data": {"path": str(data), "hash": data_hash(sorted(Path(data).rglob("*.txt"))),
                 "fit_documents": len(fit), "validation_documents": len(validation)},
        "seed": seed,
        "regularisation": REGULARISATION,
    }
    arrays = {
        **narrative_head.arrays("narrative"),
        **subnarrative_head.arrays("subnarrative"),
        **_decision_arrays(0.5, 0.5, NEVER, NEVER),
    }
    model = Narratives(arrays, card)
    probabilities = [model.predict_proba(paragraphs[id(e)]) for e in validation]
    decision_rule = _pick_decision_rule(arrays, card, probabilities, validation)
    arrays.update(_decision_arrays(*decision_rule))
    card["thresholds"] = {**dict(zip(DECISION_PARAMETERS, decision_rule)), "picked_on": "validation part (F1-samples)"}
    card["validation"] = _scores(Narratives(arrays, card), probabilities, validation)
    save(out, arrays, card)
    return card


def _decision_arrays(narrative_cut: float, subnarrative_cut: float, narrative_floor: float,
                     subnarrative_floor: float) -> dict[str, np.ndarray]:
    return {
        "narrative_thresholds": np.full(len(NARRATIVE_LABELS), narrative_cut, dtype=np.float32),
        "subnarrative_thresholds": np.full(len(SUBNARRATIVE_LABELS), subnarrative_cut, dtype=np.float32),
        "narrative_floor": np.float32(narrative_floor),
        "subnarrative_floor": np.float32(subnarrative_floor),
    }


def _pick_decision_rule(arrays: dict, card: dict, probabilities, validation) -> tuple[float, ...]:
    """The cuts and floors (see `DECISION_PARAMETERS`) with the best sum of coarse and fine
    F1-samples, searched one pair at a time: the cuts with the floors off, then the floors
    with those cuts, then the cuts again with those floors."""
    coarse_gold = [set(e.narratives) for e in validation]
    fine_gold = [set(e.subnarratives) for e in validation]

    def score(rule: tuple[float, ...]) -> float:
        model = Narratives({**arrays, **_decision_arrays(*rule)}, card)
        decisions = [model.decide(n, s) for n, s in probabilities]
        return f1_samples(coarse_gold, [set(d.narratives) for d in decisions]) + f1_samples(
            fine_gold, [set(d.subnarratives) for d in decisions]
        )

    cuts, floors = (0.5, 0.5), (NEVER, NEVER)
    for search in ("cuts", "floors", "cuts"):
        if search == "cuts":
            cuts = max(itertools.product(CUTS, CUTS), key=lambda pair: score((*pair, *floors)))
        else:
            floors = max(itertools.product(FLOORS, FLOORS), key=lambda pair: score((*cuts, *pair)))
    return tuple(float(v) for v in (*cuts, *floors))


def _scores(model: Narratives, probabilities, validation) -> dict:
    decisions = [model.decide(n, s) for n, s in probabilities]
    report: dict = {}
    for language in sorted({e.language for e in validation}) + ["all"]:
        rows = [i for i, e in enumerate(validation) if language in ("all", e.language)]
        report[language] = {
            "documents": len(rows),
            "f1_samples_coarse": f1_samples([set(validation[i].narratives) for i in rows],
                                            [set(decisions[i].narratives) for i in rows]),
            "f1_samples_fine": f1_samples([set(validation[i].subnarratives) for i in rows],
                                          [set(decisions[i].subnarratives) for i in rows]),
        }
    narrative_probs = np.stack([n for n, _ in probabilities])
    gold = _targets([set(e.narratives) for e in validation], NARRATIVE_LABELS)
    report["all"]["ece_narratives"] = calibration_error(narrative_probs, gold)
    return report
