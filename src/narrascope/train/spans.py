"""Train the technique span head (`artifacts/spans`, read by `components.spans`) on the
SemEval-2023 span annotations of all six languages.

Recipe `words` (shipped): one logistic regression per technique over word features
(`components.spans.word_features`), trained on the words of the paragraphs that carry the
technique, so it answers "given the technique is here, which words carry it". At run time only
the techniques the paragraph head labels a paragraph with get spans there. How each technique's
word probabilities become spans (cut, words / clause / sentence, spans per paragraph, words
bridged) is picked by `train.span_decoding` on cross-fitted predictions within the training
examples (two halves by document, each scored by heads fitted on the other), for the best PTC
span F1 averaged over languages.

The paragraph probabilities read as context in training are cross-fitted too, from a cheaper
paragraph head (the techniques head's embeddings without its n-grams): the techniques head's own
probabilities on the articles it was trained on are far surer than on new ones, and cross-fitting
it costs two more of its fits (~20 minutes on two shared cores) for each span fit. The same
probabilities stand in for the techniques head's labels when decodings are picked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from ..artifacts import data_hash, save
from ..components.spans import (
    Decoding, WordHead, Words, decode, decodings_arrays, stop_words, word_features, word_vectors,
)
from ..encoder import NAME as ENCODER_NAME
from ..encoder import paragraph_embeddings
from ..encoder.saved_states import document_states
from ..evaluate.datasets import Example, ISO_CODES, read_semeval2023
from ..evaluate.metrics import span_scores
from ..features import paragraph_dense
from ..taxonomy import TECHNIQUES
from . import _rhetoric as r
from . import span_decoding as decoding_search
from .linear_heads import halves
from .span_decoding import Scored

VERSION = "2.1"
RECIPES = ("words",)
LABELS = list(TECHNIQUES)
C = 0.05  # word heads (measured: 0.05 over 0.01 / 0.2 on en+fr cross-fitted F1)
CONTEXT_C = 0.05  # the cross-fitted paragraph head that gives training its context
MAX_ROWS = 80_000  # words per technique head (Loaded_Language paragraphs hold ~5x as many; a fixed sample)


@dataclass
class Article:
    """One training article as the span head reads it."""

    example: Example
    words: Words
    vectors: np.ndarray  # (words, DIM) float16
    paragraphs: np.ndarray  # paragraph_dense rows
    inside: np.ndarray  # (words, techniques) bool: the word lies in a gold span
    labelled: np.ndarray  # (paragraphs, techniques) bool: gold paragraph techniques

    @property
    def key(self) -> str:
        return f"{self.example.language}/{self.example.document_id}"


def read_article(example: Example) -> Article:
    document = example.document
    found = Words.of(document)
    inside = np.zeros((len(found.boxes), len(LABELS)), dtype=bool)
    for technique, start, end in example.spans or []:
        inside[(found.boxes[:, 0] < end) & (found.boxes[:, 1] > start), LABELS.index(technique)] = True
    labelled = np.zeros((len(document.paragraphs), len(LABELS)), dtype=bool)
    for index, techniques in (example.paragraph_techniques or {}).items():
        labelled[index, [LABELS.index(t) for t in techniques]] = True
    dense = paragraph_dense(paragraph_embeddings(document), document.paragraph_texts())
    vectors = word_vectors(found, document_states(document)).astype(np.float16)
    return Article(example, found, vectors, dense, inside, labelled)


def context_probabilities(articles: Sequence[Article], seed: int) -> list[np.ndarray]:
    """Cross-fitted paragraph technique probabilities (see the module docstring)."""
    half = halves([a.key for a in articles])
    out: list[np.ndarray] = [np.zeros(0)] * len(articles)
    for h in (0, 1):
        train = [a for a, k in zip(articles, half) if k != h]
        x, y = np.vstack([a.paragraphs for a in train]), np.vstack([a.labelled for a in train])
        mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
        models = [
            LogisticRegression(C=CONTEXT_C, max_iter=500, random_state=seed).fit((x - mean) / scale, y[:, j]) if 0 < y[:, j].sum() < len(y) else None
            for j in range(len(LABELS))
        ]
        for i, (a, k) in enumerate(zip(articles, half)):
            if k == h:
                z = (a.paragraphs - mean) / scale
                out[i] = np.column_stack([m.predict_proba(z)[:, 1] if m else np.full(len(z), float(y[0, j])) for j, m in enumerate(models)])
    return out


def features(article: Article, context: np.ndarray) -> np.ndarray:
    language = ISO_CODES.get(article.example.language, article.example.language)
    return word_features(article.words, article.vectors.astype(np.float32), context.astype(np.float32), stop_words(language))


def fit_head(articles: Sequence[Article], contexts: Sequence[np.ndarray], seed: int) -> WordHead:
    """Per technique, a logistic regression on the words of the paragraphs labelled with it (at
    most `MAX_ROWS`, a fixed sample; features are built only for the sampled words)."""
    gated = [a.labelled[a.words.paragraph] for a in articles]
    offsets = np.cumsum([0] + [len(g) for g in gated])
    gated_all, inside = np.vstack(gated), np.vstack([a.inside for a in articles])
    rng = np.random.default_rng(seed)
    sampled = []
    for j in range(len(LABELS)):
        rows = np.flatnonzero(gated_all[:, j])
        sampled.append(np.sort(rng.choice(rows, MAX_ROWS, replace=False)) if len(rows) > MAX_ROWS else rows)
    union = np.unique(np.concatenate(sampled))
    x = np.vstack([
        features(a, c)[union[(union >= start) & (union < end)] - start]
        for a, c, start, end in zip(articles, contexts, offsets[:-1], offsets[1:])
    ])
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    x -= mean
    x /= scale
    coef = np.zeros((len(LABELS), x.shape[1]), dtype=np.float32)
    intercept = np.full(len(LABELS), -10.0, dtype=np.float32)  # a technique without spans marks nothing
    for j, rows in enumerate(sampled):
        y = inside[rows, j]
        if y.sum() < 5 or y.all():
            continue
        model = LogisticRegression(C=C, max_iter=300, random_state=seed).fit(x[np.searchsorted(union, rows)], y)
        coef[j], intercept[j] = model.coef_[0], model.intercept_[0]
    return WordHead(mean.astype(np.float32), scale.astype(np.float32), coef, intercept)


def scored(articles: Sequence[Article], contexts: Sequence[np.ndarray], inside: Sequence[np.ndarray]) -> list[Scored]:
    """The articles with their out-of-fold probabilities, as the decoding search reads them."""
    return [
        Scored(a.key, a.example.language, a.example.document, a.words, stop_words(ISO_CODES.get(a.example.language, a.example.language)),
               list(a.example.spans or []), context, q)
        for a, context, q in zip(articles, contexts, inside)
    ]


def language_f1(articles: Sequence[Scored], decodings: Sequence[Decoding], cuts: np.ndarray) -> dict[str, float]:
    """Out-of-fold PTC span F1 per language, every technique decoded as chosen on the paragraphs
    its cross-fitted probability labels."""
    gold = {a.key: a.gold for a in articles}
    predicted = {
        a.key: [
            (label, start, end)
            for j, (label, decoding) in enumerate(zip(LABELS, decodings))
            for _, start, end in decode(a.document, a.words, a.inside[:, j], a.present[:, j], a.present[:, j] >= cuts[j], decoding, a.stop, a.clause)
        ]
        for a in articles
    }
    languages, keys = np.array([a.language for a in articles]), np.array([a.key for a in articles])

    def score(rows: np.ndarray) -> float:
        chosen = set(keys[rows])
        return round(span_scores({k: v for k, v in gold.items() if k in chosen}, {k: v for k, v in predicted.items() if k in chosen})["f1"], 4)

    return r.per_language(score, languages)


def fit(examples: Sequence[Example], seed: int = 13, recipe: str = RECIPES[0]) -> dict[str, tuple[dict, dict]]:
    """The span head trained on the examples with span annotations (see the module docstring)."""
    if recipe not in RECIPES:
        raise ValueError(f"unknown spans recipe {recipe!r}; choose from {', '.join(RECIPES)}")
    chosen = sorted(
        (e for e in examples if e.spans is not None and e.paragraph_techniques is not None and e.document.paragraphs),
        key=lambda e: (e.language, e.document_id),
    )
    articles = [read_article(e) for e in chosen]
    contexts = context_probabilities(articles, seed)
    half = halves([a.key for a in articles])
    inside: list[np.ndarray] = [np.zeros(0)] * len(articles)
    for h in (0, 1):
        rows = [i for i, k in enumerate(half) if k != h]
        head = fit_head([articles[i] for i in rows], [contexts[i] for i in rows], seed)
        for i, k in enumerate(half):
            if k == h:
                inside[i] = head.probabilities(features(articles[i], contexts[i]))
    search = scored(articles, contexts, inside)
    label_cuts = decoding_search.label_cuts(contexts, [a.labelled for a in articles])
    decodings, table = decoding_search.choose(search, LABELS, label_cuts)
    head = fit_head(articles, contexts, seed)
    card = {
        "name": "spans",
        "version": VERSION,
        "recipe": recipe,
        "task": f"{r.DATASET} technique spans",
        "labels": LABELS,
        "seed": seed,
        "encoder": ENCODER_NAME,
        "documents": {lang: sum(a.example.language == lang for a in articles) for lang in sorted({a.example.language for a in articles})},
        "model": {
            "features": "per word: mean last-layer state of its pieces, its neighbours' mean, its sentence's mean, "
            "the paragraph's technique probabilities, stop-word flag",
            "head": "logistic regression per technique on the words of paragraphs with the technique",
            "C": C,
            "stop_words": "stopwordsiso (the document's language)",
        },
        "cross_fitted": {
            "span_f1": language_f1(search, decodings, label_cuts),
            "techniques": table,
            "how": "two halves by document, each scored by heads (and context) fitted on the other; paragraphs "
            "labelled where the cross-fitted paragraph probability reaches its best-F1 cut; decodings picked on these figures",
        },
    }
    arrays = {**head.arrays("words"), **decodings_arrays(decodings)}
    return {"spans": (arrays, card)}


def train(data: Path, out: Path, seed: int = 13) -> dict:
    """The shipped head: `fit` on every labelled article of the training split (fit + validation)."""
    examples = [e for e in read_semeval2023(data, "train", r.LANGUAGES) if e.spans is not None]
    arrays, card = fit(examples, seed)["spans"]
    card["trained_on"] = {"dataset": r.DATASET, "splits": ["train"], "parts": ["fit", "validation"]}
    card["data"] = {"path": str(data), "hash": data_hash(r.training_files(data))}
    save(out, arrays, card)
    return card
