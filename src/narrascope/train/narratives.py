"""Train the narrative head: pooled paragraph embeddings -> one-vs-rest logistic regression per
narrative and per specific subnarrative (SemEval-2025 Task 10, all languages together).

Fit on the fixed fit part; on the validation part pick one probability cut per label family
that maximises the task's F1-samples, then report F1-samples (fine and coarse) per language.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..artifacts import data_hash, save
from ..components.narratives import LEAD_PARAGRAPHS, OTHER, Narratives
from ..encoder import NAME as ENCODER_NAME, get_encoder
from ..evaluate.datasets import read_semeval2025
from ..evaluate.metrics import samples_f1
from ..linear import pooled
from ..taxonomy import NARRATIVES, SUBNARRATIVES
from .linear_heads import calibration_error, fit_one_vs_rest, paragraph_vectors

VERSION = "1.1"
REGULARISATION = 32.0  # C of the logistic regressions, chosen on validation (4, 32, 256 tried)
CUTS = np.round(np.arange(0.10, 0.86, 0.05), 2)

NARRATIVE_LABELS = [label for label in NARRATIVES if label != OTHER]
SUBNARRATIVE_LABELS = [label for label in SUBNARRATIVES if label != OTHER and not label.endswith(": Other")]


def f1_samples(gold: list[set[str]], predicted: list[set[str]]) -> float:
    return round(samples_f1(dict(enumerate(gold)), dict(enumerate(predicted)))[0], 4)


def _targets(label_sets: list[set[str]], labels: list[str]) -> np.ndarray:
    return np.array([[label in found for label in labels] for found in label_sets], dtype=np.int8)


def _all_vectors(document) -> np.ndarray:
    return paragraph_vectors(document, range(len(document.paragraphs)))


def _fit_vectors(document) -> np.ndarray:
    """The lead paragraphs and whichever later paragraphs the embedding cache already holds:
    embedding every paragraph of the fit part did not fit the training budget, and mean and max
    pooling over most of an article's paragraphs approximate pooling over all of them."""
    lead = paragraph_vectors(document, range(min(LEAD_PARAGRAPHS, len(document.paragraphs))))
    later = [document.text[p.start : p.end] for p in document.paragraphs[LEAD_PARAGRAPHS:]]
    cached = [vector for vector in get_encoder().cached(later) if vector is not None]
    return np.vstack([lead, *cached]) if cached else lead


def train(data: Path, out: Path, seed: int = 13) -> dict:
    examples = list(read_semeval2025(data, split="train"))
    fit = [e for e in examples if e.part == "fit"]
    validation = [e for e in examples if e.part == "validation"]
    # Validation (fully cached) and inference pool every paragraph; see `_fit_vectors`.
    paragraphs = {id(e): (_fit_vectors if e.part == "fit" else _all_vectors)(e.document) for e in examples}
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
        "features": "mean and max of all paragraph embeddings (fit part: lead plus cached paragraphs); "
                    "a label scores its highest over the whole article and its 3-paragraph runs",
        "labels": {"narratives": NARRATIVE_LABELS, "subnarratives": SUBNARRATIVE_LABELS},
        "data": {"path": str(data), "hash": data_hash(sorted(Path(data).rglob("*.txt"))),
                 "fit_documents": len(fit), "validation_documents": len(validation),
                 "fit_paragraphs_pooled": f"{sum(len(paragraphs[id(e)]) for e in fit)}"
                                          f"/{sum(len(e.document.paragraphs) for e in fit)}"},
        "seed": seed,
        "regularisation": REGULARISATION,
    }
    arrays = {
        **narrative_head.arrays("narrative"),
        **subnarrative_head.arrays("subnarrative"),
        "narrative_thresholds": np.full(len(NARRATIVE_LABELS), 0.5, dtype=np.float32),
        "subnarrative_thresholds": np.full(len(SUBNARRATIVE_LABELS), 0.5, dtype=np.float32),
    }
    model = Narratives(arrays, card)
    probabilities = [model.predict_proba(paragraphs[id(e)]) for e in validation]
    narrative_cut, subnarrative_cut = _pick_cuts(model, probabilities, validation)
    _decide_all(model, probabilities, narrative_cut, subnarrative_cut)
    arrays["narrative_thresholds"] = model.narrative_thresholds
    arrays["subnarrative_thresholds"] = model.subnarrative_thresholds
    card["thresholds"] = {"narratives": narrative_cut, "subnarratives": subnarrative_cut,
                          "picked_on": "validation part (F1-samples)"}
    card["validation"] = _scores(model, probabilities, validation)
    save(out, arrays, card)
    return card


def _decide_all(model: Narratives, probabilities, narrative_cut: float, subnarrative_cut: float):
    model.narrative_thresholds = np.full(len(NARRATIVE_LABELS), narrative_cut, dtype=np.float32)
    model.subnarrative_thresholds = np.full(len(SUBNARRATIVE_LABELS), subnarrative_cut, dtype=np.float32)
    return [model.decide(n, s) for n, s in probabilities]


def _pick_cuts(model: Narratives, probabilities, validation) -> tuple[float, float]:
    """The (narrative, subnarrative) cut pair with the best mean of coarse and fine F1-samples."""
    coarse_gold = [set(e.narratives) for e in validation]
    fine_gold = [set(e.subnarratives) for e in validation]
    best, best_pair = -1.0, (0.5, 0.5)
    for narrative_cut in CUTS:
        for subnarrative_cut in CUTS:
            decisions = _decide_all(model, probabilities, narrative_cut, subnarrative_cut)
            score = f1_samples(coarse_gold, [set(d.narratives) for d in decisions]) + f1_samples(
                fine_gold, [set(d.subnarratives) for d in decisions]
            )
            if score > best:
                best, best_pair = score, (float(narrative_cut), float(subnarrative_cut))
    return best_pair


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
