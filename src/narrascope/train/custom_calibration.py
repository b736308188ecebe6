"""Fit the custom labels' calibration (`components.custom.Calibration`): how a label's raw
similarity features turn into a probability, whatever the label.

The labels are the SemEval-2025 narratives and subnarratives written up as a user would
(`evaluate.semeval_taxonomy`); the documents are every sixth article of the fit part (by
file order), and the example sentences come from the other fit articles, so no document scores
its own example. For the examples method the pairs of the 5- and 20-example taxonomies are
pooled, so the calibration holds for a few examples as for many; for the examples method with
file-wide negatives (`EXAMPLES_WITH_NONE`), those of the same taxonomies listing 5, 20 and all of
the other fit articles that push no narrative. Each method's calibration is a logistic
regression over `label_features` (2 numbers with descriptions only; 6 with examples: the example
head's, the nearest examples' and the description's): nothing in it names a label.

    narrascope train --task custom-calibration --data ../shared/data/semeval2025-task10
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..artifacts import data_hash, load, save
from ..components.custom import EXAMPLE_FEATURES, EXAMPLES_WITH_NONE, VERSION, Calibration, CustomNarratives
from ..components.custom_examples import resolve_examples
from ..components.narratives import Narratives
from ..encoder import NAME as ENCODER_NAME
from ..evaluate.datasets import Example, read_semeval2025
from ..evaluate.semeval_taxonomy import evidence_examples, none_examples, semeval_taxonomy
from ..user_taxonomy import UserTaxonomy
from .linear_heads import calibration_error

EXAMPLE_COUNTS = (5, 20)
NONE_ARTICLE_COUNTS = (5, 20, None)  # articles listed as pushing none of the labels (None: all there are)
CALIBRATION_EVERY = 6  # every sixth fit article is a calibration document


def train(data: Path, out: Path, seed: int = 13) -> dict:
    fit = [e for e in read_semeval2025(data, split="fit") if e.narratives is not None]
    calibration_documents = fit[::CALIBRATION_EVERY]
    sources = [e for i, e in enumerate(fit) if i % CALIBRATION_EVERY]
    model = Narratives(*load("narratives"))
    narrative_labels, subnarrative_labels = model.narrative_labels, model.subnarrative_labels
    pairs: dict[str, tuple[list[np.ndarray], list[np.ndarray]]] = {
        "descriptions": ([], []), "examples": ([], []), EXAMPLES_WITH_NONE: ([], [])}
    bare = semeval_taxonomy(narrative_labels, subnarrative_labels)
    _collect(pairs, "descriptions", bare, calibration_documents)
    pushing_none_lists = [none_examples(sources, articles, seed) for articles in NONE_ARTICLE_COUNTS]
    for count in EXAMPLE_COUNTS:
        examples = evidence_examples(model, sources, narrative_labels + subnarrative_labels, count, seed)
        _collect(pairs, "examples", semeval_taxonomy(narrative_labels, subnarrative_labels, examples),
                 calibration_documents)
        for pushing_none in pushing_none_lists:
            _collect(pairs, EXAMPLES_WITH_NONE,
                     semeval_taxonomy(narrative_labels, subnarrative_labels, examples, pushing_none),
                     calibration_documents)
    coef, intercept, report = {}, {}, {}
    for method, (features, targets) in pairs.items():
        x, y = np.vstack(features), np.concatenate(targets)
        coef[method], intercept[method] = fit_calibration(x, y, seed)
        probabilities = Calibration(coef, intercept)(method, x)
        report[method] = {"pairs": int(len(y)), "positives": int(y.sum()),
                          "ece": calibration_error(probabilities[:, None], y[:, None])}
    descriptions = pairs["descriptions"]
    base_rate = float(np.concatenate(descriptions[1]).mean())
    calibration = Calibration(coef, intercept, base_rate, len(bare.labels))
    card = {
        "version": VERSION,
        "task": "custom-calibration",
        "encoder": ENCODER_NAME,
        "features": "per (document, label): mean of the label's 2 best sentence scores, and its excess over "
        "the mean of all labels; with examples, the same for the example head, the nearest examples and the "
        "description",
        "data": {"path": str(data), "hash": data_hash(sorted(Path(data).rglob("*.txt"))),
                 "calibration_documents": len(calibration_documents), "example_sources": len(sources)},
        "example_counts": list(EXAMPLE_COUNTS),
        "none_article_counts": [count or "all" for count in NONE_ARTICLE_COUNTS],
        "seed": seed,
        "prior": {"base_rate": round(base_rate, 4), "label_count": len(bare.labels),
                  "note": "a taxonomy of K labels gets base_rate * label_count / K (at most 0.5) as its prior"},
        "calibration": report,
    }
    save(out, calibration.arrays(), card)
    return card


def fit_calibration(features: np.ndarray, targets: np.ndarray, seed: int) -> tuple[np.ndarray, float]:
    """A logistic regression (barely regularised) from label features to the label being present."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=100.0, max_iter=2000, random_state=seed).fit(features, targets)
    return model.coef_[0].astype(np.float64), float(model.intercept_[0])


def label_pairs(scorer: CustomNarratives, documents: Sequence[Example], method: str
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One row per (document, label scored by `method`): its features, whether the label is
    gold, and the label's column in the taxonomy."""
    names = [label.name for label in scorer.taxonomy.labels]
    features, targets, labels = [], [], []
    for example in documents:
        rows, columns = scorer.features(example.document, method)
        gold = set(example.narratives or []) | set(example.subnarratives or [])
        features.append(rows)
        targets.append(np.array([names[c] in gold for c in columns], dtype=np.int8))
        labels.append(np.array(columns, dtype=np.int64))
    width = 2 if method == "descriptions" else EXAMPLE_FEATURES
    return (np.vstack(features) if features else np.zeros((0, width)), np.concatenate(targets or [np.zeros(0)]),
            np.concatenate(labels or [np.zeros(0, dtype=np.int64)]))


def _collect(pairs: dict, method: str, taxonomy: UserTaxonomy, documents: Sequence[Example]) -> None:
    scorer = CustomNarratives(taxonomy, resolve_examples(taxonomy), Calibration.neutral())
    features, targets, _ = label_pairs(scorer, documents, method)
    pairs[method][0].append(features)
    pairs[method][1].append(targets)
