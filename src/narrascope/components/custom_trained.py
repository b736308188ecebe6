"""A head trained on the user's labelled documents (`narrascope train --task custom`), kept
beside the taxonomy file as `FILE.model/` and used while the file's fingerprint matches the one
it was trained on (`components.custom` reads it)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..artifacts import load
from ..errors import ComponentUnavailable
from ..linear import LinearHead, pooled
from ..user_taxonomy import UserTaxonomy

PRESENT = 0.5  # a label this likely is always present (a trained label: its own cut); see custom.likeliest_set


def trained_model_folder(taxonomy: UserTaxonomy) -> Path | None:
    """Where `narrascope train --task custom` writes by default: `<file>.model/` beside the file."""
    return taxonomy.path.with_name(taxonomy.path.name + ".model") if taxonomy.path else None


def trained_model_status(taxonomy: UserTaxonomy) -> str:
    folder = trained_model_folder(taxonomy)
    if folder is None or not (folder / "card.json").exists():
        return "none (train one with narrascope train --task custom)"
    card = json.loads((folder / "card.json").read_text())
    if card.get("taxonomy", {}).get("fingerprint") != taxonomy.fingerprint:
        return f"{folder} was trained on another version of this file; retrain it"
    return f"{folder} ({len(card['labels'])} labels, trained on {card['data']['documents']} documents)"


def load_trained(taxonomy: UserTaxonomy) -> "TrainedHead | None":
    folder = trained_model_folder(taxonomy)
    if folder is None or not (folder / "card.json").exists():
        return None
    try:
        arrays, card = load("custom", folder)
    except ComponentUnavailable:
        return None
    if card.get("taxonomy", {}).get("fingerprint") != taxonomy.fingerprint:
        return None
    return TrainedHead.from_artifact(arrays, card, taxonomy)


class TrainedHead:
    """Document-level logistic regressions (pooled paragraph vectors) for the labels the user
    labelled enough documents of, Platt-calibrated with cross-validation, with F1-best cuts."""

    def __init__(self, head: LinearHead, platt: tuple[np.ndarray, np.ndarray], thresholds: np.ndarray,
                 columns: tuple[int, ...], label_count: int):
        self.head, self.platt, self.thresholds, self.columns = head, platt, thresholds, columns
        self.label_count = label_count

    @classmethod
    def from_artifact(cls, arrays: dict[str, np.ndarray], card: dict, taxonomy: UserTaxonomy) -> "TrainedHead":
        ids = [label.id for label in taxonomy.labels]
        columns = tuple(ids.index(label_id) for label_id in card["labels"])
        return cls(LinearHead.from_arrays(arrays, "document"), (arrays["platt_a"], arrays["platt_b"]),
                   arrays["thresholds"], columns, len(ids))

    def document_features(self, vectors: np.ndarray) -> np.ndarray:
        return pooled(vectors)[None, :]

    def apply(self, vectors: np.ndarray, probabilities: np.ndarray,
              unit_scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        columns = list(self.columns)
        raw = self.head.scores(self.document_features(vectors))[0]
        probabilities = probabilities.copy()
        probabilities[columns] = 1.0 / (1.0 + np.exp(-(raw * self.platt[0] + self.platt[1])))
        unit_scores = unit_scores.copy()
        if len(vectors):
            unit_scores[:, columns] = self.head.scores(np.hstack([vectors, vectors]))
        return probabilities, unit_scores

    def cuts(self, label_count: int) -> np.ndarray:
        cuts = np.full(label_count, PRESENT)
        cuts[list(self.columns)] = self.thresholds
        return cuts
