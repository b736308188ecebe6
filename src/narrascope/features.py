"""Lexical features for the rhetoric heads (genre, frames, techniques), beside the e5 embeddings.

Embeddings carry topic and tone; persuasion also lives in surface form: exclamation marks, scare
quotes, capitals, and the loaded words themselves. `NgramVocabulary` is a small tf-idf over word
unigrams and bigrams stored as plain arrays, `style_features` a handful of ratios, and
`Featurizer` puts a standardised dense block and the tf-idf block side by side for one linear head.
Training and prediction call the same functions, so the features cannot drift apart.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

WORD = re.compile(r"\w+", re.UNICODE)
QUOTES = set("\"“”„«»‘’‚‹›")
STYLE_FEATURES = (
    "log_length",
    "exclamations",
    "questions",
    "quotes",
    "uppercase_letters",
    "all_caps_words",
    "digits",
    "ellipses",
)


def words(text: str) -> list[tuple[int, int]]:
    """`[start, end)` of every word (a run of letters, digits or underscores) in `text`."""
    return [match.span() for match in WORD.finditer(text)]


def ngrams(text: str) -> list[str]:
    """Lower-cased word unigrams and bigrams, the terms of `NgramVocabulary`."""
    tokens = [t.lower() for t in WORD.findall(text)]
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]


def style_features(texts: Sequence[str]) -> np.ndarray:
    """One row of `STYLE_FEATURES` per text, each roughly in [0, 1]."""
    rows = np.zeros((len(texts), len(STYLE_FEATURES)), dtype=np.float32)
    for i, text in enumerate(texts):
        chars = max(len(text), 1)
        letters = [ch for ch in text if ch.isalpha()]
        tokens = WORD.findall(text)
        long_tokens = [t for t in tokens if len(t) > 2 and any(ch.isalpha() for ch in t)]
        rows[i] = (
            np.log1p(len(text)) / 10.0,
            min(text.count("!") * 100.0 / chars, 1.0),
            min(text.count("?") * 100.0 / chars, 1.0),
            min(sum(ch in QUOTES for ch in text) * 50.0 / chars, 1.0),
            sum(ch.isupper() for ch in letters) / max(len(letters), 1),
            sum(t.isupper() for t in long_tokens) / max(len(long_tokens), 1),
            min(sum(ch.isdigit() for ch in text) * 10.0 / chars, 1.0),
            min((text.count("...") + text.count("…")) * 200.0 / chars, 1.0),
        )
    return rows


@dataclass(frozen=True)
class NgramVocabulary:
    """Sublinear, L2-normalised tf-idf over a fixed list of terms."""

    terms: tuple[str, ...]
    idf: np.ndarray

    @classmethod
    def fit(cls, texts: Sequence[str], max_terms: int, min_df: int = 3) -> "NgramVocabulary":
        """Keep the `max_terms` terms found in the most texts (ties broken alphabetically)."""
        document_frequency: Counter[str] = Counter()
        for text in texts:
            document_frequency.update(set(ngrams(text)))
        kept = sorted((t for t, df in document_frequency.items() if df >= min_df), key=lambda t: (-document_frequency[t], t))
        terms = tuple(kept[:max_terms])
        idf = np.log((1 + len(texts)) / (1 + np.array([document_frequency[t] for t in terms], dtype=np.float64))) + 1
        return cls(terms, idf.astype(np.float32))

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        index = self._index
        rows, cols, values = [], [], []
        for i, text in enumerate(texts):
            counts = Counter(index[t] for t in ngrams(text) if t in index)
            if not counts:
                continue
            columns = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            weights = (1 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))) * self.idf[columns]
            rows.append(np.full(len(columns), i))
            cols.append(columns)
            values.append(weights / np.linalg.norm(weights))
        if not rows:
            return sparse.csr_matrix((len(texts), len(self.terms)), dtype=np.float32)
        return sparse.csr_matrix(
            (np.concatenate(values), (np.concatenate(rows), np.concatenate(cols))),
            shape=(len(texts), len(self.terms)),
            dtype=np.float32,
        )

    @property
    def _index(self) -> dict[str, int]:
        cached = self.__dict__.get("_index_cache")
        if cached is None:
            cached = {t: i for i, t in enumerate(self.terms)}
            object.__setattr__(self, "_index_cache", cached)
        return cached

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}_terms": np.array(self.terms, dtype=str), f"{prefix}_idf": self.idf}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str) -> "NgramVocabulary":
        return cls(tuple(str(t) for t in arrays[f"{prefix}_terms"]), arrays[f"{prefix}_idf"].astype(np.float32))


@dataclass(frozen=True)
class Featurizer:
    """A head's input: the dense block standardised, then the tf-idf block times `ngram_weight`."""

    mean: np.ndarray
    scale: np.ndarray
    vocabulary: NgramVocabulary
    ngram_weight: float

    @classmethod
    def fit(cls, dense: np.ndarray, texts: Sequence[str], max_terms: int, ngram_weight: float) -> "Featurizer":
        scale = dense.std(axis=0)
        scale[scale < 1e-6] = 1.0
        return cls(dense.mean(axis=0), scale, NgramVocabulary.fit(texts, max_terms), ngram_weight)

    def __call__(self, dense: np.ndarray, texts: Sequence[str]) -> sparse.csr_matrix:
        """The feature matrix, sparse: mostly empty n-gram columns, so products stay cheap."""
        standardised = sparse.csr_matrix(((dense - self.mean) / self.scale).astype(np.float32))
        return sparse.hstack([standardised, self.vocabulary.transform(texts) * self.ngram_weight], format="csr")

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {
            f"{prefix}_mean": self.mean.astype(np.float32),
            f"{prefix}_scale": self.scale.astype(np.float32),
            f"{prefix}_ngram_weight": np.float32(self.ngram_weight),
            **self.vocabulary.arrays(prefix),
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str) -> "Featurizer":
        return cls(
            arrays[f"{prefix}_mean"],
            arrays[f"{prefix}_scale"],
            NgramVocabulary.from_arrays(arrays, prefix),
            float(arrays[f"{prefix}_ngram_weight"]),
        )


@dataclass(frozen=True)
class LanguageCentres:
    """Where each language's articles sit in the encoder's space, subtracted from a document row's
    embedding columns (mean, max, title; not the style ratios).

    e5 puts each language in a region of its own, and the corpora's label mix differs by language
    (English genre articles are nearly all opinion): a head fed raw vectors learns the language as
    a proxy for the label. Centred, a row says what the article does relative to its language's
    articles, and a thin language learns from the others. A language without a centre of its own
    is centred on `fallback` (the mean of every row the centres came from)."""

    centres: Mapping[str, np.ndarray]
    fallback: np.ndarray

    @classmethod
    def fit(cls, dense: np.ndarray, languages: Sequence[str], known: Mapping[str, np.ndarray] | None = None) -> "LanguageCentres":
        """The mean embedding columns of each language's rows; `known` centres (from articles
        outside `dense`) serve languages that have no rows here."""
        width = dense.shape[1] - len(STYLE_FEATURES)
        codes = np.asarray(languages)
        centres = {str(code): dense[codes == code, :width].mean(axis=0) for code in sorted(set(codes))}
        extra = {code: np.asarray(vector, dtype=np.float32) for code, vector in (known or {}).items() if code not in centres}
        return cls({**extra, **centres}, dense[:, :width].mean(axis=0))

    def __call__(self, dense: np.ndarray, languages: Sequence[str | None]) -> np.ndarray:
        """`dense` with each row's language centre subtracted (a copy)."""
        centred = np.array(dense, dtype=np.float32)
        width = len(self.fallback)
        for i, code in enumerate(languages):
            centred[i, :width] -= self.centres.get(code or "", self.fallback)
        return centred

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {
            f"{prefix}_fallback": self.fallback.astype(np.float32),
            **{f"{prefix}_{code}": vector.astype(np.float32) for code, vector in self.centres.items()},
        }

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], prefix: str) -> "LanguageCentres":
        marker = f"{prefix}_"
        centres = {key[len(marker) :]: arrays[key] for key in arrays if key.startswith(marker) and key != f"{prefix}_fallback"}
        return cls(centres, arrays[f"{prefix}_fallback"])


def document_dense(embeddings: np.ndarray, texts: Sequence[str]) -> np.ndarray:
    """One row for a document of at least one paragraph: mean and max of its paragraph vectors,
    its title's vector (the first paragraph, as in the corpora) and the style of the whole text."""
    style = style_features(["\n".join(texts)])[0]
    row = np.concatenate([embeddings.mean(axis=0), embeddings.max(axis=0), embeddings[0], style])
    return row[None, :].astype(np.float32)


def paragraphs_as_documents(embeddings: np.ndarray, texts: Sequence[str]) -> np.ndarray:
    """`document_dense` of each paragraph alone (with the real title), so a document head can
    say which paragraphs carry its label."""
    title = np.broadcast_to(embeddings[:1], embeddings.shape)
    return np.hstack([embeddings, embeddings, title, style_features(texts)]).astype(np.float32)


def paragraph_dense(embeddings: np.ndarray, texts: Sequence[str]) -> np.ndarray:
    """One row per paragraph: its vector, the document's mean vector (context), its style, and
    where it sits (relative position; whether it is the title)."""
    return sentence_dense(embeddings, texts, embeddings, np.arange(len(texts)))


def sentence_dense(
    vectors: np.ndarray, texts: Sequence[str], paragraph_embeddings: np.ndarray, paragraphs: np.ndarray
) -> np.ndarray:
    """`paragraph_dense` for pieces of paragraphs (sentences): the piece's own vector and style,
    its paragraph's place, the document's mean paragraph vector; so a paragraph head can say which
    of a paragraph's sentences carries its label."""
    count = len(paragraph_embeddings)
    context = np.broadcast_to(paragraph_embeddings.mean(axis=0, keepdims=True), vectors.shape)
    position = (np.asarray(paragraphs, dtype=np.float32) / max(count - 1, 1))[:, None]
    is_title = (np.asarray(paragraphs) == 0).astype(np.float32)[:, None]
    return np.hstack([vectors, context, style_features(texts), position, is_title]).astype(np.float32)
