"""Genre (SemEval-2023 Task 3): opinion, reporting or satire, for the whole document.

A softmax regression over the document vector (mean, max of paragraph embeddings, title
embedding, each centred on its language's articles; style ratios; word n-grams), trained with balanced class weights because opinion
pieces outnumber reporting four to one and satire thirteen to one, then temperature-scaled on
scores of training articles from heads that did not learn from them (out-of-fold), so its
probabilities mean what they say.

Those probabilities hold for articles like the ones the model learnt from (political news and
opinion, SemEval-2023 Task 3). An article far from all of them (a council report, a recipe) can
still get a confident label, so each result also says how familiar the article is: the share of
training articles whose closest article in the other folds is no closer than this one's closest
training article. Below
`UNFAMILIAR_BELOW` the analysis carries a warning that the genre is a weak guess. Short excerpts
are often flagged too: the training articles are whole, and a few paragraphs say less.
"""

from __future__ import annotations

import numpy as np

from .. import priors
from ..artifacts import load
from ..features import Featurizer, LanguageCentres, document_dense
from ..linear import LinearHead
from ..model import Analysis, GenreResult
from ..taxonomy import GENRES
from . import info, register
from ._heads import corpus_language, paragraph_inputs

UNFAMILIAR_BELOW = 0.05
# documents at the training priors mixed into a collection's estimate (`priors.estimate`), so a few
# dozen articles cannot swing it to a corner
PSEUDO_COUNT = 20.0


def article_vector(embeddings: np.ndarray) -> np.ndarray:
    """The article's direction: the mean of its paragraph vectors, L2-normalised."""
    mean = embeddings.mean(axis=0)
    return mean / max(float(np.linalg.norm(mean)), 1e-12)


def closest_similarity(vectors: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Each row's cosine similarity to its nearest reference row (both L2-normalised)."""
    return (np.atleast_2d(vectors) @ reference.T).max(axis=1)


class Genre:
    name = "genre"

    def __init__(self, arrays: dict[str, np.ndarray], card: dict):
        self.version = card["version"]
        self.labels = tuple(card["labels"])
        if set(self.labels) != set(GENRES):
            raise ValueError(f"genre artifact has labels {self.labels}, expected {GENRES}")
        self.centres = LanguageCentres.from_arrays(arrays, "centre")
        self.featurizer = Featurizer.from_arrays(arrays, "document")
        self.head = LinearHead.from_arrays(arrays, "head")
        self.temperature = float(arrays["temperature"])
        self.training_priors = arrays["training_priors"].astype(np.float64)
        # the fit articles' vectors, shipped as float16, widened once here rather than per article
        self.reference = arrays["familiarity_reference"].astype(np.float32)
        self.validation_similarities = np.sort(arrays["familiarity_validation"])

    def familiarity(self, embeddings: np.ndarray) -> float:
        """The share of training articles (each against the other folds) no closer to the training articles than this one."""
        similarity = closest_similarity(article_vector(embeddings), self.reference)[0]
        return float(np.searchsorted(self.validation_similarities, similarity, side="right") / len(self.validation_similarities))

    def probabilities(self, texts: list[str], embeddings: np.ndarray, language: str | None) -> np.ndarray:
        """The calibrated genre distribution of a document in `language` (ISO 639-1 code)."""
        dense = self.centres(document_dense(embeddings, texts), [language])
        features = self.featurizer(dense, ["\n".join(texts)])
        scores = self.head.scores(features)[0] / self.temperature
        exp = np.exp(scores - scores.max())
        return exp / exp.sum()

    def collection_priors(self, posteriors: np.ndarray) -> np.ndarray:
        """The genre mix of a collection whose articles have these calibrated distributions (rows
        in `self.labels` order), by EM (Saerens et al. 2002) against the training priors."""
        return priors.estimate(posteriors, self.training_priors, pseudo_count=PSEUDO_COUNT)

    def at_priors(self, posteriors: np.ndarray, collection: np.ndarray) -> np.ndarray:
        """The distributions the head would give if it had learnt at the `collection` priors."""
        return priors.adjust(posteriors, self.training_priors, collection)

    def __call__(self, analysis: Analysis) -> Analysis:
        texts, embeddings = paragraph_inputs(analysis.document)
        familiarity = None
        if texts:
            probabilities = self.probabilities(texts, embeddings, analysis.document.language.code)
            familiarity = round(self.familiarity(embeddings), 4)
        else:  # nothing to read: fall back on the uninformed prior
            probabilities = np.full(len(self.labels), 1.0 / len(self.labels))
        label = self.labels[int(np.argmax(probabilities))]
        analysis.results.genre = GenreResult(
            component=info(self),
            label=label,
            probabilities={label: float(p) for label, p in zip(self.labels, probabilities)},
            familiarity=familiarity,
        )
        if familiarity is not None and familiarity < UNFAMILIAR_BELOW:
            code = analysis.document.language.code
            why = f"{code!r} was not in training" if corpus_language(analysis.document) is None else (
                "this article is unlike the articles the model learnt from"
            )
            analysis.warnings.append(
                f"genre: {why} (less familiar than {1 - familiarity:.0%} of training articles); '{label}' is a weak guess"
            )
        return analysis


@register("genre")
def create() -> Genre:
    return Genre(*load("genre"))
