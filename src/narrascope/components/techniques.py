"""Persuasion techniques (SemEval-2023 Task 3, 23 labels) per paragraph, with spans.

Each paragraph is scored by one logistic regression per technique over its embedding, the
document's mean embedding, style ratios and word n-grams; calibrated probabilities above the
technique's threshold label the paragraph. The evidence, on words, comes from the span head
(`components.spans`), which reads the encoder's token states with these probabilities as context.
"""

from __future__ import annotations

import numpy as np

from ..artifacts import load
from ..features import Featurizer, paragraph_dense
from ..linear import LinearHead
from ..model import Analysis, Document, LabelScore, ParagraphTechniques, TechniqueSpan, TechniquesResult
from . import info, register
from ._heads import Decision, corpus_language, paragraph_inputs
from .spans import SpanLocator

class Techniques:
    name = "techniques"

    def __init__(self, arrays: dict[str, np.ndarray], card: dict, spans: SpanLocator | None = None):
        """`spans` places the evidence (none: paragraph labels only, as span training reads them)."""
        self.version = card["version"]
        self.labels = tuple(card["labels"])
        self.featurizer = Featurizer.from_arrays(arrays, "paragraph")
        self.head = LinearHead.from_arrays(arrays, "head")
        self.decision = Decision.from_arrays(arrays, "head")
        self.unseen_language_cap = int(card["unseen_language_cap"])
        self.spans = spans

    def paragraph_probabilities(self, document: Document) -> np.ndarray:
        """Calibrated probability of every technique in every paragraph (rows follow paragraphs)."""
        texts, embeddings = paragraph_inputs(document)
        if not texts:
            return np.zeros((0, len(self.labels)))
        features = self.featurizer(paragraph_dense(embeddings, texts), texts)
        return self.decision.probabilities(self.head.scores(features))

    def __call__(self, analysis: Analysis) -> Analysis:
        document = analysis.document
        probabilities = self.paragraph_probabilities(document)
        language = corpus_language(document)
        cuts = self.decision.thresholds_for(language)
        cap = len(self.labels) if language else self.unseen_language_cap
        if language is None and len(probabilities):
            analysis.warnings.append(
                f"techniques: {document.language.code!r} was not in training; its paragraphs score high "
                f"on many techniques, so at most {cap} per paragraph are kept"
            )
        chosen = np.zeros(probabilities.shape, dtype=bool)
        paragraphs = []
        for index, row in enumerate(probabilities):
            picked = [j for j in np.argsort(-row) if row[j] >= cuts[j]][:cap]
            chosen[index, picked] = True
            labels = [LabelScore(label=self.labels[j], score=round(float(row[j]), 4)) for j in picked]
            paragraphs.append(ParagraphTechniques(paragraph=index, labels=labels))
        located = self.spans.locate(document, probabilities, chosen) if self.spans is not None else []
        spans = [
            TechniqueSpan(start=start, end=end, label=self.labels[j], score=round(float(probabilities[index, j]), 4), paragraph=index)
            for index, j, start, end in located
        ]
        analysis.results.techniques = TechniquesResult(component=info(self), paragraphs=paragraphs, spans=spans)
        return analysis


@register("techniques")
def create() -> Techniques:
    return Techniques(*load("techniques"), spans=SpanLocator(*load("spans")))
