"""Genre (SemEval-2023 Task 3): opinion, reporting or satire, for the whole document.

A softmax regression over the document vector (mean, max of paragraph embeddings, title
embedding, style ratios, word n-grams), trained with balanced class weights because opinion
pieces outnumber reporting four to one and satire thirteen to one, then temperature-scaled on
the validation part so its probabilities mean what they say.
"""

from __future__ import annotations

import numpy as np

from ..artifacts import load
from ..features import Featurizer, document_dense
from ..linear import LinearHead
from ..model import Analysis, GenreResult
from ..taxonomy import GENRES
from . import info, register
from ._heads import linear_scores, paragraph_inputs


class Genre:
    name = "genre"

    def __init__(self, arrays: dict[str, np.ndarray], card: dict):
        self.version = card["version"]
        self.labels = tuple(card["labels"])
        if set(self.labels) != set(GENRES):
            raise ValueError(f"genre artifact has labels {self.labels}, expected {GENRES}")
        self.featurizer = Featurizer.from_arrays(arrays, "document")
        self.head = LinearHead.from_arrays(arrays, "head")
        self.temperature = float(arrays["temperature"])

    def probabilities(self, texts: list[str], embeddings: np.ndarray) -> np.ndarray:
        features = self.featurizer(document_dense(embeddings, texts), ["\n".join(texts)])
        scores = linear_scores(self.head, features)[0] / self.temperature
        exp = np.exp(scores - scores.max())
        return exp / exp.sum()

    def __call__(self, analysis: Analysis) -> Analysis:
        texts, embeddings = paragraph_inputs(analysis.document)
        if texts:
            probabilities = self.probabilities(texts, embeddings)
        else:  # nothing to read: fall back on the uninformed prior
            probabilities = np.full(len(self.labels), 1.0 / len(self.labels))
        analysis.results.genre = GenreResult(
            component=info(self),
            label=self.labels[int(np.argmax(probabilities))],
            probabilities={label: float(p) for label, p in zip(self.labels, probabilities)},
        )
        return analysis


@register("genre")
def create() -> Genre:
    return Genre(*load("genre"))
