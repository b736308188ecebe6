"""Genre (SemEval-2023 Task 3): opinion, reporting or satire, for the whole document.

A softmax regression over the document vector (mean, max of paragraph embeddings, title
embedding, each centred on its language's articles; style ratios; word n-grams), trained with balanced class weights because opinion
pieces outnumber reporting four to one and satire thirteen to one, then temperature-scaled on
scores of training articles from heads that did not learn from them (out-of-fold), so its
probabilities mean what they say.

A user who knows the genre mix of a collection (a wire feed is mostly reporting, an op-ed page
all opinion) can have each article decided at that mix instead of the training articles'
(`genre_at_mix`, `--genre-mix`): the label-shift correction of `narrascope.priors`, exact when only
the mix differs. Nothing applies a mix unless one is given.

Those probabilities hold for articles like the ones the model learnt from (political news and
opinion, SemEval-2023 Task 3). An article far from all of them (a council report, a recipe) can
still get a confident label, so each result also says how familiar the article is: the share of
training articles whose closest article in the other folds is no closer than this one's closest
training article. Below
`UNFAMILIAR_BELOW` the analysis carries a warning that the genre is a weak guess. Short excerpts
are often flagged too: the training articles are whole, and a few paragraphs say less.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from .. import priors
from ..artifacts import load
from ..errors import InputError
from ..features import Featurizer, LanguageCentres, document_dense
from ..linear import LinearHead, softmax
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
        return softmax(self.head.scores(features), self.temperature)[0]

    def collection_priors(self, posteriors: np.ndarray) -> np.ndarray:
        """The genre mix of a collection whose articles have these calibrated distributions (rows
        in `self.labels` order), by EM (Saerens et al. 2002) against the training priors."""
        return priors.estimate(posteriors, self.training_priors, pseudo_count=PSEUDO_COUNT)

    def at_priors(self, posteriors: np.ndarray, collection: np.ndarray) -> np.ndarray:
        """The distributions the head would give if it had learnt at the `collection` priors."""
        return priors.adjust(posteriors, self.training_priors, collection)

    def probabilities_at(self, probabilities: Mapping[str, float], mix: Mapping[str, float]) -> dict[str, float]:
        """An article's calibrated genre `probabilities` as the head would give them at a
        collection's genre `mix` (already checked) instead of the training articles'."""
        posteriors = np.array([[probabilities.get(label, 0.0) for label in self.labels]])
        moved = self.at_priors(posteriors, np.array([mix[label] for label in self.labels]))[0]
        return {label: float(p) for label, p in zip(self.labels, moved)}

    def at_mix(self, result: GenreResult, mix: Mapping[str, float]) -> GenreResult:
        """`result` decided at a collection's known genre `mix` (`checked_mix`) instead of the
        training articles'."""
        mix = checked_mix(mix)
        moved = self.probabilities_at(result.probabilities, mix)
        return result.model_copy(update={"label": _likeliest(moved), "probabilities": moved, "mix": mix})

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


def checked_mix(mix: Mapping[str, float]) -> dict[str, float]:
    """Each genre's share of a collection, scaled to sum to one. Every genre must be named, once,
    with a share of at least 0 (InputError otherwise); a genre the collection has none of still
    needs a small share if the model is to name it at all."""
    unknown = sorted(set(mix) - set(GENRES))
    missing = [genre for genre in GENRES if genre not in mix]
    if unknown or missing:
        raise InputError(
            "genre mix: " + "; ".join(
                part for part in (
                    f"unknown genre {', '.join(map(repr, unknown))}" if unknown else "",
                    f"missing {', '.join(missing)}" if missing else "",
                ) if part
            ) + f" (give a share for each of {', '.join(GENRES)})"
        )
    shares = {genre: float(mix[genre]) for genre in GENRES}
    if any(not np.isfinite(share) or share < 0 for share in shares.values()) or sum(shares.values()) <= 0:
        raise InputError(f"genre mix: shares must be numbers of at least 0, not all 0 (got {shares})")
    total = sum(shares.values())
    return {genre: round(share / total, 6) for genre, share in shares.items()}


def parse_genre_mix(spec: str) -> dict[str, float]:
    """`reporting=0.7,opinion=0.25,satire=0.05` (the `--genre-mix` form) as `checked_mix`."""
    mix: dict[str, float] = {}
    for part in filter(None, (piece.strip() for piece in spec.split(","))):
        genre, equals, share = part.partition("=")
        genre = genre.strip().lower()
        if not equals or genre in mix:
            raise InputError(f"genre mix: {part!r} is not GENRE=SHARE once per genre (e.g. reporting=0.7)")
        try:
            mix[genre] = float(share)
        except ValueError:
            raise InputError(f"genre mix: {share.strip()!r} is not a number (in {part!r})") from None
    return checked_mix(mix)


def _likeliest(probabilities: Mapping[str, float]) -> str:
    return max(probabilities, key=probabilities.__getitem__)  # the first of equals, in label order


def genre_decision(mix: Mapping[str, float]) -> Callable[[Mapping[str, float]], str]:
    """The genre that an article's stored calibrated probabilities give at a collection's known
    `mix` (checked here): how the store's trends count genres at a mix."""
    mix = checked_mix(mix)
    genre = create()
    return lambda probabilities: _likeliest(genre.probabilities_at(probabilities, mix))


def genre_at_mix(mix: Mapping[str, float] | None) -> Callable[[Analysis], Analysis]:
    """What re-decides an analysis's genre at a collection's known `mix`; does nothing when the mix
    is None or the analysis has no genre. Loads the genre head once, for every analysis it is given."""
    if mix is None:
        return lambda analysis: analysis
    mix = checked_mix(mix)
    genre = create()

    def decide(analysis: Analysis) -> Analysis:
        before = analysis.results.genre
        if before is None:
            return analysis
        after = genre.at_mix(before, mix)
        analysis.results.genre = after
        if after.label != before.label:  # the familiarity warning names the label
            analysis.warnings = [
                w.replace(f"'{before.label}'", f"'{after.label}'") if w.startswith("genre:") else w for w in analysis.warnings
            ]
        return analysis

    return decide
