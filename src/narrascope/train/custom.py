"""`narrascope train --task custom --taxonomy FILE --data LABELLED.jsonl`: a head for the user's
own labels, trained on documents they labelled.

LABELLED.jsonl is JSON Lines as `narrascope analyze` reads it (`text` or `html`, optional `url`,
`title`...) plus `labels`: the ids (or names) of the taxonomy's labels the document pushes, `[]`
for none. A listed label brings its broader labels. Each label with at least `MIN_DOCUMENTS`
documents on either side gets a logistic regression over the document's pooled sentence vectors
(mean and max), its regularisation chosen by 5-fold cross-validation, Platt-calibrated on the
cross-validated scores, with the F1-best cut on them. The other labels keep being scored from
their examples or description, and the card says which and why.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from ..artifacts import data_hash, save
from ..calibration import Platt, pick_threshold
from ..components.custom import VERSION
from ..encoder import NAME as ENCODER_NAME
from ..encoder import sentence_embeddings
from ..errors import InputError
from ..extract import extract_document
from ..ingest import Failure
from ..ingest.jsonl import iter_jsonl
from ..linear import LinearHead, pooled, sigmoid
from ..model import Document
from ..settings import Settings
from ..user_taxonomy import UserTaxonomy
from .linear_heads import calibration_error

MIN_DOCUMENTS = 5  # positives and negatives a label needs to be trained
FOLDS = 5
REGULARISATION_GRID = (0.25, 1.0, 4.0, 16.0)


def train_custom(taxonomy: UserTaxonomy, data: Path, out: Path, seed: int = 13) -> dict:
    documents, label_sets = read_labelled(data, taxonomy)
    features = np.stack([pooled(sentence_embeddings(d)) for d in documents])
    ids = [label.id for label in taxonomy.labels]
    targets = np.array([[label_id in found for label_id in ids] for found in label_sets], dtype=np.int8)
    trained, skipped, rows, report = [], {}, [], {}
    for column, label_id in enumerate(ids):
        positives = int(targets[:, column].sum())
        if min(positives, len(documents) - positives) < MIN_DOCUMENTS:
            skipped[label_id] = f"{positives} of {len(documents)} documents carry it; {MIN_DOCUMENTS} on each side needed"
            continue
        head, platt, cut, scores = _fit_label(features, targets[:, column], seed)
        trained.append(label_id)
        rows.append((head, platt, cut))
        report[label_id] = scores
    if not trained:
        raise InputError(f"{data}: no label has {MIN_DOCUMENTS} documents with it and {MIN_DOCUMENTS} without; "
                         "label more documents (or keep scoring by examples)")
    arrays = {
        **LinearHead(np.stack([r[0].coef[0] for r in rows]), np.array([r[0].intercept[0] for r in rows])).arrays("document"),
        "platt_a": np.array([r[1].a[0] for r in rows]),
        "platt_b": np.array([r[1].b[0] for r in rows]),
        "thresholds": np.array([r[2] for r in rows]),
    }
    card = {
        "version": VERSION,
        "task": "custom",
        "encoder": ENCODER_NAME,
        "taxonomy": {"name": taxonomy.name, "version": taxonomy.version, "fingerprint": taxonomy.fingerprint,
                     "path": str(taxonomy.path)},
        "labels": trained,
        "skipped": skipped,
        "features": "mean and max of the document's sentence vectors",
        "data": {"path": str(data), "hash": data_hash([data]), "documents": len(documents)},
        "seed": seed,
        "validation": {
            "method": f"{FOLDS}-fold cross-validation on the labelled documents; each cut is picked on the same "
            "cross-validated predictions, so F1 is slightly optimistic",
            "labels": report,
            "skipped": skipped,
        },
    }
    save(out, arrays, card)
    return card


def read_labelled(path: Path, taxonomy: UserTaxonomy) -> tuple[list[Document], list[set[str]]]:
    """The documents of LABELLED.jsonl with their label ids (broader labels added); a line that
    cannot be read or names an unknown label stops training with its line number."""
    settings = Settings.from_env()
    by_name = {label.name.casefold(): label.id for label in taxonomy.labels}
    known = {label.id for label in taxonomy.labels}
    labels = dict(_label_lines(path, known, by_name))
    documents, label_sets = [], []
    with open(path, "rb") as stream:
        for item in iter_jsonl(stream, str(path), settings):
            if isinstance(item, Failure):
                raise InputError(item.reason)
            number = int(item.source.rsplit(":", 1)[1])
            documents.append(extract_document(item, settings))
            found = set(labels[number])
            label_sets.append(found | {a for label_id in found for a in taxonomy.ancestors(label_id)})
    if len(documents) < 2 * MIN_DOCUMENTS:
        raise InputError(f"{path}: {len(documents)} documents; at least {2 * MIN_DOCUMENTS} are needed")
    return documents, label_sets


def _label_lines(path: Path, known: set[str], by_name: dict[str, str]) -> Iterator[tuple[int, list[str]]]:
    with open(path, encoding="utf-8-sig", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue  # reported by the document reader with its reason
            given = record.get("labels") if isinstance(record, dict) else None
            if not isinstance(given, list) or not all(isinstance(g, str) for g in given):
                raise InputError(f"{path} line {number}: 'labels' must be a list of label ids or names ([] for none)")
            resolved = []
            for name in given:
                label_id = name if name in known else by_name.get(name.casefold())
                if label_id is None:
                    raise InputError(f"{path} line {number}: {name!r} is not a label of {path.name}'s taxonomy")
                resolved.append(label_id)
            yield number, resolved


def _fit_label(features: np.ndarray, target: np.ndarray, seed: int) -> tuple[LinearHead, Platt, float, dict]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    folds = StratifiedKFold(n_splits=min(FOLDS, int(target.sum()), int(len(target) - target.sum())),
                            shuffle=True, random_state=seed)

    def model(c: float) -> LogisticRegression:
        return LogisticRegression(C=c, class_weight="balanced", max_iter=2000, random_state=seed)

    best_c, best_scores, best_f1 = REGULARISATION_GRID[0], None, -1.0
    for c in REGULARISATION_GRID:
        scores = cross_val_predict(model(c), features, target, cv=folds, method="decision_function")
        f1 = _f1(sigmoid(scores) >= 0.5, target)
        if f1 > best_f1:
            best_c, best_scores, best_f1 = c, scores, f1
    platt = Platt.fit(best_scores[:, None], target[:, None])
    probabilities = platt(best_scores[:, None])[:, 0]
    cut = pick_threshold(probabilities, target)
    fitted = model(best_c).fit(features, target)
    head = LinearHead(fitted.coef_.astype(np.float32), fitted.intercept_.astype(np.float32))
    scores = {
        "documents": int(target.sum()),
        "regularisation": best_c,
        "f1": round(_f1(probabilities >= cut, target), 4),
        "ece": calibration_error(probabilities[:, None], target[:, None]),
        "cut": round(float(cut), 4),
    }
    return head, platt, float(cut), scores


def _f1(predicted: np.ndarray, target: np.ndarray) -> float:
    tp = float(np.sum(predicted & (target == 1)))
    total = float(predicted.sum() + target.sum())
    return 2 * tp / total if total else 0.0
