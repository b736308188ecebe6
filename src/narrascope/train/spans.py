"""Train the technique span head (`artifacts/spans`, read by `components.spans`) on the
SemEval-2023 span annotations of all six languages.

Recipe `words` (shipped): one logistic regression per technique over word features
(`components.spans.word_features`), trained on the words of the paragraphs that carry the
technique, so it answers "given the technique is here, which words carry it". At run time a
word of a paragraph labelled with the technique is kept when that probability times the
paragraph's probability of the technique reaches the technique's cut (scaled by
`components.spans.CUT_SCALE`). Cuts, and whether a technique is better shown as the paragraph's best
sentence, are picked by cross-fitting within the training examples (two halves by document,
each scored by heads fitted on the other), on PTC span F1 per technique, with every paragraph's
probability as the gate (the run-time scale makes up for gating by labels only).

The paragraph probabilities read as context in training are cross-fitted too, from a cheaper
paragraph head (the techniques head's embeddings without its n-grams): the techniques head's own
probabilities on the articles it was trained on are far surer than on new ones, and cross-fitting
it costs two more of its fits (~20 minutes on two shared cores) for each span fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from ..artifacts import data_hash, save
from ..components.spans import WordHead, Words, decode, document_states, stop_words, word_features, word_vectors
from ..encoder import NAME as ENCODER_NAME
from ..encoder import paragraph_embeddings
from ..evaluate.datasets import Example, ISO_CODES, read_semeval2023
from ..evaluate.metrics import span_scores
from ..features import paragraph_dense
from ..taxonomy import TECHNIQUES
from . import _rhetoric as r
from .linear_heads import halves

VERSION = "2.0"
RECIPES = ("words",)
LABELS = list(TECHNIQUES)
C = 0.05  # word heads (measured: 0.05 over 0.01 / 0.2 on en+fr cross-fitted F1)
CONTEXT_C = 0.05  # the cross-fitted paragraph head that gives training its context
MAX_ROWS = 80_000  # words per technique head (Loaded_Language paragraphs hold ~5x as many; a fixed sample)
CUTS = np.array([0.02, 0.03, 0.05, 0.07, 0.1, 0.14, 0.2, 0.28, 0.4])


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


def technique_f1(articles, contexts, inside_probabilities, j: int, cut: float, sentence: bool) -> float:
    """PTC span F1 of technique j over the articles with one decoding choice."""
    gold, predicted = {}, {}
    for a, context, q in zip(articles, contexts, inside_probabilities):
        gold[a.key] = [s for s in a.example.spans or [] if s[0] == LABELS[j]]
        spans = decode(a.example.document, a.words, q[:, j], context[:, j], cut, sentence, stop_words(ISO_CODES.get(a.example.language, a.example.language)))
        predicted[a.key] = [(LABELS[j], start, end) for _, start, end in spans]
    return span_scores(gold, predicted)["f1"]


def technique_choices(articles, contexts, inside_probabilities) -> tuple[np.ndarray, np.ndarray, dict]:
    """Per technique, the cut and the level (words or sentences) with the best cross-fitted
    span F1, and the F1 of each level at its best cut (for the card)."""
    cuts = np.zeros(len(LABELS), dtype=np.float32)
    sentence_level = np.zeros(len(LABELS), dtype=bool)
    table = {}
    for j, label in enumerate(LABELS):
        best = {}
        for sentence in (False, True):
            scored = [(technique_f1(articles, contexts, inside_probabilities, j, float(cut), sentence), float(cut)) for cut in CUTS]
            best[sentence] = max(scored)
        sentence_level[j] = best[True][0] > best[False][0]
        cuts[j] = best[bool(sentence_level[j])][1]
        table[label] = {"words": round(best[False][0], 4), "sentence": round(best[True][0], 4),
                        "level": "sentence" if sentence_level[j] else "words", "cut": float(cuts[j])}
    return cuts, sentence_level, table


def language_f1(articles, contexts, inside_probabilities, cuts, sentence_level) -> dict[str, float]:
    """Cross-fitted PTC span F1 per language, every technique decoded as chosen."""
    gold, predicted = {}, {}
    for a, context, q in zip(articles, contexts, inside_probabilities):
        gold[a.key] = a.example.spans or []
        stop = stop_words(ISO_CODES.get(a.example.language, a.example.language))
        predicted[a.key] = [
            (label, start, end)
            for j, label in enumerate(LABELS)
            for _, start, end in decode(a.example.document, a.words, q[:, j], context[:, j], float(cuts[j]), bool(sentence_level[j]), stop)
        ]
    languages = np.array([a.example.language for a in articles])
    keys = np.array([a.key for a in articles])

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
    cuts, sentence_level, table = technique_choices(articles, contexts, inside)
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
            "span_f1": language_f1(articles, contexts, inside, cuts, sentence_level),
            "techniques": table,
            "how": "two halves by document, each scored by heads (and context) fitted on the other",
        },
    }
    arrays = {**head.arrays("words"), "words_cuts": cuts, "sentence_level": sentence_level}
    return {"spans": (arrays, card)}


def train(data: Path, out: Path, seed: int = 13) -> dict:
    """The shipped head: `fit` on every labelled article of the training split (fit + validation)."""
    examples = [e for e in read_semeval2023(data, "train", r.LANGUAGES) if e.spans is not None]
    arrays, card = fit(examples, seed)["spans"]
    card["trained_on"] = {"dataset": r.DATASET, "splits": ["train"], "parts": ["fit", "validation"]}
    card["data"] = {"path": str(data), "hash": data_hash(r.training_files(data))}
    save(out, arrays, card)
    return card
