"""Frames (SemEval-2023 Task 3, 14 labels): how an article presents its issue, document-level.

The document vector (mean, max of paragraph embeddings, title embedding, style, word n-grams)
goes through one calibrated logistic regression per frame. The same head, applied to each
paragraph as if it were the whole article, says which paragraphs carry a frame most.
"""

from __future__ import annotations

import numpy as np

from ..artifacts import load
from ..features import Featurizer, document_dense, paragraphs_as_documents
from ..linear import LinearHead
from ..model import Analysis, FrameLabel, FramesResult
from . import info, register
from ._heads import Decision, corpus_language, paragraph_inputs

CARRYING_PARAGRAPHS = 3


class Frames:
    name = "frames"

    def __init__(self, arrays: dict[str, np.ndarray], card: dict):
        self.version = card["version"]
        self.labels = tuple(card["labels"])
        self.featurizer = Featurizer.from_arrays(arrays, "document")
        self.head = LinearHead.from_arrays(arrays, "head")
        self.decision = Decision.from_arrays(arrays, "head")

    def __call__(self, analysis: Analysis) -> Analysis:
        document = analysis.document
        texts, embeddings = paragraph_inputs(document)
        if texts:
            features = self.featurizer(document_dense(embeddings, texts), ["\n".join(texts)])
            probabilities = self.decision.probabilities(self.head.scores(features))[0]
            by_paragraph = self.head.scores(self.featurizer(paragraphs_as_documents(embeddings, texts), texts))
        else:
            probabilities = np.zeros(len(self.labels))
            by_paragraph = np.zeros((0, len(self.labels)))
        cuts = self.decision.thresholds_for(corpus_language(document))
        chosen = [j for j in np.argsort(-probabilities) if probabilities[j] >= cuts[j]]
        labels = [
            FrameLabel(
                label=self.labels[j],
                score=round(float(probabilities[j]), 4),
                paragraphs=sorted(int(i) for i in np.argsort(-by_paragraph[:, j])[:CARRYING_PARAGRAPHS]),
            )
            for j in chosen
        ]
        analysis.results.frames = FramesResult(
            component=info(self),
            labels=labels,
            probabilities={label: round(float(p), 4) for label, p in zip(self.labels, probabilities)},
        )
        return analysis


@register("frames")
def create() -> Frames:
    return Frames(*load("frames"))
