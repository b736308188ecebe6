"""War and climate narratives (SemEval-2025 Task 10 taxonomy) with subnarratives and evidence.

A document is read whole: all its paragraphs' embeddings pooled (mean and max), beside the
tf-idf of its word 1-2-grams at a small weight (names, places and slogans the embedding blurs:
+0.05 coarse+fine F1-samples on validation, cross-fitted). Three sets of logistic regressions
score it: whether it pushes any narrative at all (presence), each narrative, and each specific
subnarrative. Presence is its own head because "Other" is a fifth of the corpus and is not the
same as "every narrative scored low": a polemic the heads find hard to place still clearly argues
something. The decision keeps the label set coherent the way the
taxonomy reads: an article below the presence cut is "Other"; otherwise it gets the narratives
above their cut or close to its most probable one (a share of it), a subnarrative brings its
narrative, a narrative without a confident subnarrative gets its most probable subnarrative
above a floor or else "<narrative>: Other", and the weaker domain (URW vs CC) is dropped. Every
cut is picked on the validation part. Evidence is the sentences that score highest on the
label's weights and above the other labels found.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from ..artifacts import load
from ..encoder import paragraph_embeddings, sentence_embeddings
from ..features import NgramVocabulary
from ..linear import LinearHead, pooled
from ..model import Analysis, Document, NarrativeLabel, NarrativesResult, Span, SubnarrativeLabel
from ..taxonomy import narrative_of
from . import info, register

OTHER = "Other"
EVIDENCE_SENTENCES = 2
# The role heads read the headline and lead paragraphs as the document's context.
LEAD_PARAGRAPHS = 3
MAX_CANDIDATES = 3
CANDIDATE_SHARE = 0.5  # a candidate is at least half as likely as the cut a label must pass


def lead_features(embeddings: np.ndarray) -> np.ndarray:
    """The document context the role heads read: mean and max of the lead paragraphs' vectors."""
    return pooled(embeddings[:LEAD_PARAGRAPHS])


def narrative_features(
    vectors: np.ndarray, texts: Sequence[str], vocabulary: NgramVocabulary, ngram_weight: float
) -> sparse.csr_matrix:
    """The heads' input, one row per text: its pooled vector beside its weighted word n-grams."""
    return sparse.hstack([sparse.csr_matrix(vectors, dtype=np.float32), vocabulary.transform(texts) * ngram_weight], format="csr")


def domain_of(label: str) -> str | None:
    return label.split(":", 1)[0] if ": " in label else None


def evidence_units(document: Document) -> list[Span]:
    """Sentences, or paragraphs for a document built without sentences."""
    return list(document.sentences) or list(document.paragraphs)


def choose_evidence(units: Sequence[Span], scores: np.ndarray, labels: Sequence[str]) -> dict[str, list[Span]]:
    """Each label's evidence among `units` (one row of `scores` per unit, one column per label,
    labels likeliest first): the units that push it hardest and more than they push the others.
    A label's best unit is not reused as another label's best unless there is no other, so each
    label shows what argues it. Shared with the custom labels (`components.custom`)."""
    specific = 2 * scores - scores.mean(axis=1, keepdims=True)
    chosen: dict[str, list[Span]] = {}
    taken: set[int] = set()
    for column, label in enumerate(labels):
        ranked = [int(i) for i in np.argsort(-specific[:, column], kind="stable")]
        best = [i for i in ranked if i not in taken][:1] or ranked[:1]
        best += [i for i in ranked if i not in best][: EVIDENCE_SENTENCES - 1]
        taken.add(best[0])
        chosen[label] = [Span(start=units[i].start, end=units[i].end) for i in best]
    return chosen


@dataclass(frozen=True)
class Scores:
    """What the heads say of one document, before any decision."""

    narratives: np.ndarray  # probability of each narrative label
    subnarratives: np.ndarray  # probability of each specific subnarrative label
    presence: float  # probability that the article pushes any narrative at all


@dataclass(frozen=True)
class Decision:
    narratives: dict[str, float]  # label -> probability, "Other" when nothing applies
    subnarratives: dict[str, float]


class Narratives:
    name = "narratives"

    def __init__(self, arrays: dict[str, np.ndarray], card: dict):
        self.version = card["version"]
        self.narrative_labels: list[str] = card["labels"]["narratives"]
        self.subnarrative_labels: list[str] = card["labels"]["subnarratives"]
        self.labels = tuple(self.narrative_labels + self.subnarrative_labels)
        self.presence_head = LinearHead.from_arrays(arrays, "presence")
        self.narrative_head = LinearHead.from_arrays(arrays, "narrative")
        self.subnarrative_head = LinearHead.from_arrays(arrays, "subnarrative")
        self.narrative_thresholds = arrays["narrative_thresholds"]
        self.subnarrative_thresholds = arrays["subnarrative_thresholds"]
        self.presence_cut = float(arrays["presence_cut"])
        self.share_of_top = float(arrays["share_of_top"])
        self.subnarrative_floor = float(arrays["subnarrative_floor"])
        self.vocabulary = NgramVocabulary.from_arrays(arrays, "ngram")
        self.ngram_weight = float(arrays["ngram_weight"])
        self._last_units: tuple[tuple[str, int], sparse.csr_matrix] | None = None

    def predict_proba(self, embeddings: np.ndarray, text: str) -> Scores:
        """What the heads say of one document, from its paragraph vectors and its text."""
        features = narrative_features(pooled(embeddings)[None, :], [text], self.vocabulary, self.ngram_weight)
        return Scores(
            narratives=self.narrative_head.sigmoid(features)[0],
            subnarratives=self.subnarrative_head.sigmoid(features)[0],
            presence=float(self.presence_head.sigmoid(features)[0, 0]),
        )

    def decide(self, scores: Scores) -> Decision:
        if scores.presence < self.presence_cut:
            return Decision({OTHER: 1.0 - scores.presence}, {OTHER: 1.0 - scores.presence})
        narrative_probs, subnarrative_probs = scores.narratives, scores.subnarratives
        close_to_top = self.share_of_top * narrative_probs.max(initial=0.0)
        narratives = {
            label: float(p)
            for label, p, cut in zip(self.narrative_labels, narrative_probs, self.narrative_thresholds)
            if p >= min(cut, close_to_top)
        }
        subnarratives = {
            label: float(p)
            for label, p, cut in zip(self.subnarrative_labels, subnarrative_probs, self.subnarrative_thresholds)
            if p >= cut
        }
        for label, p in subnarratives.items():
            parent = narrative_of(label)
            narratives[parent] = max(narratives.get(parent, 0.0), p)
        narratives, subnarratives = _keep_stronger_domain(narratives, subnarratives)
        for parent, p in narratives.items():
            if not any(narrative_of(s) == parent for s in subnarratives):
                label, p_sub = self._likeliest_subnarrative(parent, subnarrative_probs)
                if p_sub >= self.subnarrative_floor:
                    subnarratives[label] = p_sub
                    narratives[parent] = max(p, p_sub)  # as above: a subnarrative brings its narrative
                else:
                    subnarratives[f"{parent}: Other"] = p
        return Decision(narratives, subnarratives)

    def _likeliest_subnarrative(self, narrative: str, subnarrative_probs: np.ndarray) -> tuple[str, float]:
        children = [i for i, label in enumerate(self.subnarrative_labels) if narrative_of(label) == narrative]
        if not children:
            return f"{narrative}: Other", 0.0
        best = max(children, key=lambda i: subnarrative_probs[i])
        return self.subnarrative_labels[best], float(subnarrative_probs[best])

    def evidence(self, document: Document, labels: list[str]) -> dict[str, list[Span]]:
        """Each label's evidence, best first (`choose_evidence`), each sentence read as a
        one-sentence document by the label's head. Labels come in order of probability."""
        units = evidence_units(document)
        labels = [label for label in labels if label != OTHER]
        if not units or not labels:
            return {label: [] for label in labels}
        return choose_evidence(units, self._head_for(labels).scores(self._unit_features(document, units)), labels)

    def _unit_features(self, document: Document, units: list[Span]) -> sparse.csr_matrix:
        """Each evidence unit read as a one-sentence document; kept for the document's next call
        (narratives, then subnarratives, then the explanation ask for the same rows)."""
        key = (document.id, len(units))
        cached = self._last_units  # read once: another thread may analyse another document
        if cached is None or cached[0] != key:
            vectors = sentence_embeddings(document) if document.sentences else paragraph_embeddings(document)
            texts = [document.text[unit.start : unit.end] for unit in units]
            cached = (key, narrative_features(np.hstack([vectors, vectors]), texts, self.vocabulary, self.ngram_weight))  # mean = max
            self._last_units = cached
        return cached[1]

    def _head_for(self, labels: list[str]) -> LinearHead:
        """The head rows scoring `labels` as one head; '<narrative>: Other' is scored as its narrative."""
        rows = [self._head_of(label) for label in labels]
        return LinearHead(np.stack([head.coef[i] for head, i in rows]), np.array([head.intercept[i] for head, i in rows]))

    def _head_of(self, label: str) -> tuple[LinearHead, int]:
        if label in self.subnarrative_labels:
            return self.subnarrative_head, self.subnarrative_labels.index(label)
        return self.narrative_head, self.narrative_labels.index(narrative_of(label) if label.count(": ") > 1 else label)

    def __call__(self, analysis: Analysis) -> Analysis:
        document = analysis.document
        scores = self.predict_proba(paragraph_embeddings(document), document.text)
        decision = self.decide(scores)
        narratives = sorted(decision.narratives.items(), key=lambda item: -item[1])
        subnarratives = sorted(decision.subnarratives.items(), key=lambda item: -item[1])
        candidates = self.candidates(scores.narratives, decision.narratives)
        evidence = self.evidence(document, [label for label, _ in narratives + candidates])
        sub_evidence = self.evidence(document, [label for label, _ in subnarratives])
        analysis.results.narratives = NarrativesResult(
            component=info(self),
            narratives=[
                NarrativeLabel(label=label, score=round(p, 4), evidence=evidence.get(label, []))
                for label, p in narratives
            ],
            subnarratives=[
                SubnarrativeLabel(label=label, narrative=narrative_of(label), score=round(p, 4),
                                  evidence=sub_evidence.get(label, []))
                for label, p in subnarratives
            ],
            candidates=[
                NarrativeLabel(label=label, score=round(p, 4), evidence=evidence.get(label, []))
                for label, p in candidates
            ],
        )
        return analysis

    def candidates(self, narrative_probs: np.ndarray, chosen: dict[str, float]) -> list[tuple[str, float]]:
        """Up to `MAX_CANDIDATES` narratives below their cut but at least `CANDIDATE_SHARE` of
        it, likeliest first: what a reader should check when an article gets few or no labels."""
        below = [
            (label, float(p))
            for label, p, cut in zip(self.narrative_labels, narrative_probs, self.narrative_thresholds)
            if label not in chosen and CANDIDATE_SHARE * cut <= p < cut
        ]
        return sorted(below, key=lambda item: -item[1])[:MAX_CANDIDATES]


def _keep_stronger_domain(
    narratives: dict[str, float], subnarratives: dict[str, float]
) -> tuple[dict[str, float], dict[str, float]]:
    """Articles argue about the war or about the climate, rarely both: keep the domain whose
    strongest label is more probable."""
    strength: dict[str, float] = {}
    for label, p in narratives.items():
        domain = domain_of(label)
        strength[domain] = max(strength.get(domain, 0.0), p)
    if len(strength) < 2:
        return narratives, subnarratives
    winner = max(strength, key=strength.__getitem__)
    return (
        {k: v for k, v in narratives.items() if domain_of(k) == winner},
        {k: v for k, v in subnarratives.items() if domain_of(k) == winner},
    )


@register("narratives")
def create_narratives() -> Narratives:
    return Narratives(*load("narratives"))
