"""Train the claim head on CheckThat! 2024 Task 1 (English): e5 sentence embedding + lexical cues
-> logistic regression.

Fit on a seeded sample of the fit part of the official train file plus the official dev file;
choose the regularisation and the decision threshold on a seeded sample of the fixed validation
part; report F1 of the `Yes` class there and on the official dev-test file (never used for any
choice).
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from ..artifacts import data_hash, save
from ..calibration import pick_threshold
from ..components.claims import Claims, claim_features
from ..encoder import NAME as ENCODER_NAME
from ..encoder import get_encoder
from ..evaluate.datasets import read_checkthat
from ..evaluate.metrics import binary_scores
from .linear_heads import calibration_error, fit_one_vs_rest

VERSION = "1.0"
REGULARISATIONS = (1.0, 4.0, 16.0)
# Sentences drawn from the fit and validation parts of the train file (of ~18,000 and ~4,500),
# to keep embedding them within minutes on a shared 2-core machine; the full parts may do better.
SAMPLE = {"fit": 2800, "validation": 1000}


def _load(data: Path, split: str, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Features and gold of a split; fit and validation are seeded random samples (`SAMPLE`)."""
    examples = list(read_checkthat(data, split=split))
    if split in SAMPLE:
        examples = random.Random(seed).sample(examples, len(examples))[: SAMPLE[split]]
    texts = [e.document.text for e in examples]
    gold = np.array([bool(e.claim) for e in examples], dtype=np.int8)
    return claim_features(get_encoder().encode(texts), texts), gold


def f1_yes(gold: np.ndarray, predicted: np.ndarray) -> float:
    return round(binary_scores(dict(enumerate(gold.astype(bool))), dict(enumerate(predicted)))["f1_yes"], 4)


def train(data: Path, out: Path, seed: int = 13) -> dict:
    parts = {name: _load(data, name, seed) for name in ("fit", "dev", "validation", "dev-test")}
    fit_x = np.vstack([parts["fit"][0], parts["dev"][0]])
    fit_y = np.concatenate([parts["fit"][1], parts["dev"][1]])
    validation_x, validation_y = parts["validation"]
    best = None
    for c in REGULARISATIONS:
        head = fit_one_vs_rest(fit_x, fit_y[:, None], c, seed)
        probabilities = head.sigmoid(validation_x)[:, 0]
        threshold = pick_threshold(probabilities, validation_y)
        score = f1_yes(validation_y, probabilities >= threshold)
        if best is None or score > best[0]:
            best = (score, c, head, threshold)
    _, c, head, threshold = best
    card = {
        "version": VERSION,
        "task": "claims",
        "encoder": ENCODER_NAME,
        "features": "sentence embedding + 11 lexical cues (components/claims.py)",
        "data": {"path": str(data), "hash": data_hash(sorted(Path(data).glob("*.tsv"))),
                 "fit_sentences": int(len(fit_y)), "fit_files": "train (fit part, sampled) + dev",
                 "sampled": SAMPLE},
        "seed": seed,
        "regularisation": c,
        "threshold": round(float(threshold), 4),
        "threshold_picked_on": "validation sample (F1 of Yes)",
    }
    model = Claims(head.arrays("claim"), card)
    card["validation"] = {}
    for name in ("validation", "dev-test"):
        x, y = parts[name]
        probabilities = model.head.sigmoid(x)[:, 0]
        card["validation"][name] = {
            "sentences": int(len(y)),
            "f1_yes": f1_yes(y, probabilities >= model.threshold),
            "ece": calibration_error(probabilities, y),
        }
    save(out, head.arrays("claim"), card)
    return card
