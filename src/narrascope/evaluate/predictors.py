"""What `narrascope evaluate` scores: two floors fitted on the training data, and the shipped model.

- `majority`: the most frequent label of the fit part (single-label tasks); for multi-label
  tasks every label present in more than half of the units (documents, paragraphs or mentions),
  or, when none is, the single most frequent label. Technique spans: each paragraph's majority
  techniques over the whole paragraph. Roles: the most frequent main role with its majority
  fine roles. Explanations: the most frequent dominant narrative and the fit explanation whose
  words are most common among all fit explanations.
- `random`: samples with the fit part's label frequencies (one label for single-label tasks,
  each label independently with its share for multi-label ones), from a fixed seed.
- `model`: runs the shipped components on each document (see `ModelPredictor`).

Each predictor's `predict(examples)` returns `Predictions`: records keyed as `evaluate.tasks`
keys the gold, plus per-record label probabilities where the predictor has them (for ECE).
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import __version__
from ..errors import DatasetError
from ..model import Analysis, Span
from .datasets import Example
from .tasks import Task, mention_key

PREDICTORS = ("model", "majority", "random")
SEED = 13


@dataclass
class Predictions:
    records: dict[Any, Any]
    probabilities: dict[Any, dict[str, float]] = field(default_factory=dict)


@dataclass
class _Statistics:
    """Label frequencies of the fit part, per kind of unit."""

    counts: dict[str, Counter] = field(default_factory=dict)
    units: Counter = field(default_factory=Counter)
    texts: list[str] = field(default_factory=list)

    def add(self, kind: str, labels) -> None:
        self.counts.setdefault(kind, Counter()).update(labels)
        self.units[kind] += 1

    def shares(self, kind: str) -> dict[str, float]:
        return {label: n / self.units[kind] for label, n in self.counts.get(kind, Counter()).items()}


def _statistics(task: Task, examples: Sequence[Example]) -> _Statistics:
    stats = _Statistics()
    for e in examples:
        if task.name == "genre" and e.genre:
            stats.add("label", [e.genre])
        elif task.name == "frames" and e.frames is not None:
            stats.add("label", set(e.frames))
        elif task.name in ("techniques", "spans") and e.paragraph_techniques is not None:
            for labels in e.paragraph_techniques.values():
                stats.add("label", set(labels))
        elif task.name == "narratives" and e.narratives is not None:
            stats.add("narratives", set(e.narratives))
            stats.add("subnarratives", set(e.subnarratives or []))
        elif task.name == "roles" and e.mentions:
            for m in e.mentions:
                if m.main_role:
                    stats.add("main", [m.main_role])
                    stats.add(f"fine:{m.main_role}", set(m.fine_roles))
        elif task.name == "explanations" and e.explanation:
            stats.add("dominant", [e.dominant_narrative])
            stats.texts.append(e.explanation)
        elif task.name == "claims" and e.claim is not None:
            stats.add("label", ["Yes" if e.claim else "No"])
    if not stats.units:
        raise DatasetError(f"no labelled training documents for {task.name} to fit the floor on")
    return stats


class _FloorPredictor:
    """Shared shape of the two floors: per task, which labels to predict for a unit."""

    name = ""

    def __init__(self, task: Task, fit_examples: Sequence[Example], language: str = ""):
        self.task = task
        self.stats = _statistics(task, fit_examples)
        self.version = f"{self.name}-{__version__}"
        self.rng = np.random.default_rng(SEED + zlib.crc32(f"{task.name}/{language}".encode()))

    def single(self, kind: str) -> str:
        raise NotImplementedError

    def multi(self, kind: str) -> list[str]:
        raise NotImplementedError

    def explanation(self) -> str:
        raise NotImplementedError

    def predict(self, examples: Sequence[Example]) -> Predictions:
        records: dict[Any, Any] = {}
        for e in examples:
            records.update(self._records(e))
        return Predictions(records)

    def _records(self, e: Example) -> dict[Any, Any]:
        name = self.task.name
        if name == "genre":
            return {e.document_id: self.single("label")}
        if name == "frames":
            return {e.document_id: self.multi("label")}
        if name == "techniques":
            return {(e.document_id, line): self.multi("label") for line in e.line_of_paragraph}
        if name == "spans":
            spans = [(label, p.start, p.end) for p in e.document.paragraphs for label in self.multi("label")]
            return {e.document_id: spans}
        if name == "narratives":
            return {e.document_id: (self.multi("narratives"), self.multi("subnarratives"))}
        if name == "roles":
            records = {}
            for m in e.mentions or []:
                main = self.single("main")
                records[mention_key(e, m)] = (m.text, main, self.multi(f"fine:{main}"))
            return records
        if name == "explanations":
            return {e.document_id: (self.single("dominant"), None, self.explanation())}
        if name == "claims":
            return {e.document_id: self.single("label") == "Yes"}
        raise ValueError(f"unknown task {name!r}")


class MajorityPredictor(_FloorPredictor):
    name = "majority"

    def single(self, kind: str) -> str:
        counts = self.stats.counts[kind]
        return min(counts, key=lambda label: (-counts[label], label))  # ties: first name

    def multi(self, kind: str) -> list[str]:
        shares = self.stats.shares(kind)
        frequent = sorted(label for label, share in shares.items() if share > 0.5)
        if frequent or not shares:
            return frequent
        return [max(sorted(shares), key=shares.__getitem__)]

    def explanation(self) -> str:
        if not hasattr(self, "_centroid"):
            words = [set(re.findall(r"\w+", t.lower())) for t in self.stats.texts]
            frequency = Counter(w for ws in words for w in ws)
            typicality = [np.mean([frequency[w] for w in ws]) if ws else 0.0 for ws in words]
            self._centroid = self.stats.texts[int(np.argmax(typicality))]
        return self._centroid


class RandomPredictor(_FloorPredictor):
    name = "random"

    def single(self, kind: str) -> str:
        labels, counts = zip(*sorted(self.stats.counts[kind].items()))
        return str(self.rng.choice(labels, p=np.array(counts) / sum(counts)))

    def multi(self, kind: str) -> list[str]:
        shares = self.stats.shares(kind)
        return [label for label in sorted(shares) if self.rng.random() < shares[label]]

    def explanation(self) -> str:
        return self.stats.texts[int(self.rng.integers(len(self.stats.texts)))]


# Components each task runs, in order. The explanation explains the dominant narrative the
# subtask-3 file gives (as the shared task does), else the predicted one.
MODEL_COMPONENTS = {
    "genre": ("genre",),
    "frames": ("frames",),
    "techniques": ("techniques",),
    "spans": ("techniques",),
    "narratives": ("narratives",),
    "roles": ("entities",),
    "explanations": ("narratives", "explanation"),
    "claims": ("claims",),
}


class ModelPredictor:
    """The shipped components. Raises `ComponentUnavailable` (with the reason) when one cannot
    load. Roles are predicted for the gold mentions (`entities.predict_roles`); claims score
    each sentence with `claims.predict_proba` against the component's `threshold`."""

    name = "model"

    def __init__(self, task: Task):
        from ..components import create

        self.task = task
        self.components = [create(name) for name in MODEL_COMPONENTS[task.name]]
        versions = [f"{c.name} {c.version}" for c in self.components]
        if task.name == "spans" and getattr(self.components[0], "spans", None) is not None:
            versions.append(f"spans {self.components[0].spans.version}")  # the span head places what it scores
        self.version = ", ".join(versions)

    def predict(self, examples: Sequence[Example]) -> Predictions:
        if self.task.name == "claims":
            return self._claims(examples)
        predictions = Predictions({})
        for e in examples:
            analysis = Analysis(document=e.document)
            if self.task.name == "roles":
                self._roles(e, analysis, predictions)
                continue
            if self.task.name == "explanations" and e.dominant_narrative:
                explanation = self.components[1].explain(e.document, e.dominant_narrative, e.dominant_subnarrative)
                predictions.records[e.document_id] = (explanation.narrative, explanation.subnarrative, explanation.text)
                continue
            for component in self.components:
                analysis = component(analysis)
            self._read(e, analysis, predictions)
        return predictions

    def at_collection_priors(self, predictions: Predictions) -> dict[str, float]:
        """Genres decided at the collection's own genre mix (`evaluate --label-shift`): EM on the
        documents' calibrated distributions estimates the mix (`Genre.collection_priors`), each
        distribution is moved to it and its argmax taken. Changes `predictions` in place; returns
        the mix found."""
        return self._decided_at(predictions, lambda genre, rows: genre.collection_priors(rows))

    def at_known_mix(self, predictions: Predictions, gold: dict[str, str]) -> dict[str, float]:
        """Genres decided at the documents' true genre mix (`evaluate --label-shift known`): what
        `--genre-mix` gives a user who knows their collection's mix exactly, the best case of
        giving one. Changes `predictions` in place; returns the mix."""
        def true_mix(genre, rows: np.ndarray) -> np.ndarray:
            labels = [gold[key] for key in predictions.probabilities if key in gold]
            if not labels:  # nothing labelled: nothing known, the training mix stays
                return genre.training_priors
            return np.array([labels.count(label) for label in genre.labels], dtype=np.float64) / len(labels)

        return self._decided_at(predictions, true_mix)

    def _decided_at(self, predictions: Predictions, mix_of) -> dict[str, float]:
        """Each genre distribution moved to the mix `mix_of(genre head, rows)` gives, its argmax taken."""
        genre = self.components[0]
        keys = list(predictions.probabilities)
        if self.task.name != "genre" or not keys:
            return {}
        rows = np.array([[predictions.probabilities[k][label] for label in genre.labels] for k in keys])
        found = mix_of(genre, rows)
        for key, row in zip(keys, genre.at_priors(rows, found)):
            predictions.probabilities[key] = dict(zip(genre.labels, row.tolist()))
            predictions.records[key] = genre.labels[int(row.argmax())]
        return dict(zip(genre.labels, np.round(found, 4).tolist()))

    def _read(self, e: Example, analysis: Analysis, out: Predictions) -> None:
        results, key, name = analysis.results, e.document_id, self.task.name
        if name == "genre" and results.genre:
            out.records[key] = results.genre.label
            out.probabilities[key] = dict(results.genre.probabilities)
        elif name == "frames" and results.frames:
            out.records[key] = [f.label for f in results.frames.labels]
            out.probabilities[key] = dict(results.frames.probabilities)
        elif name == "techniques" and results.techniques:
            for paragraph in results.techniques.paragraphs:
                out.records[(key, e.line_of_paragraph[paragraph.paragraph])] = [s.label for s in paragraph.labels]
        elif name == "spans" and results.techniques:
            out.records[key] = [(s.label, s.start, s.end) for s in results.techniques.spans]
        elif name == "narratives" and results.narratives:
            out.records[key] = (
                [n.label for n in results.narratives.narratives],
                [s.label for s in results.narratives.subnarratives],
            )
        elif name == "explanations" and results.explanation:
            explanation = results.explanation
            out.records[key] = (explanation.narrative, explanation.subnarrative, explanation.text)

    def _roles(self, e: Example, analysis: Analysis, out: Predictions) -> None:
        mentions = e.mentions or []
        if not mentions:
            return
        predicted = self.components[0].predict_roles(analysis, [Span(start=m.start, end=m.end) for m in mentions])
        for gold, mention in zip(mentions, predicted):
            out.records[mention_key(e, gold)] = (gold.text, mention.main_role, [f.label for f in mention.fine_roles])

    def _claims(self, examples: Sequence[Example]) -> Predictions:
        component = self.components[0]
        probabilities = np.asarray(component.predict_proba([e.document.text for e in examples]), dtype=float)
        out = Predictions({})
        for e, p in zip(examples, probabilities):
            out.records[e.document_id] = bool(p >= component.threshold)
            out.probabilities[e.document_id] = {"Yes": float(p)}
        return out


def make_predictor(kind: str, task: Task, fit_examples: Sequence[Example], language: str = ""):
    """The named predictor for `task`; floors are fitted on `fit_examples`."""
    if kind == "model":
        return ModelPredictor(task)
    if kind == "majority":
        return MajorityPredictor(task, fit_examples, language)
    if kind == "random":
        return RandomPredictor(task, fit_examples, language)
    raise ValueError(f"unknown predictor {kind!r}; choose from {', '.join(PREDICTORS)}")
