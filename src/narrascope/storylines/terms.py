"""Key terms of each storyline: class-based tf-idf (as BERTopic names topics). A storyline's
sentences are one document for term frequency; rarity is counted over single sentences of the
whole collection (a sample of `BACKGROUND` of them), so words every sentence has (the function
words of every language) rank low without a stop-word list per language."""

from __future__ import annotations

import numpy as np

TOKEN_PATTERN = r"(?u)\b[^\W\d_]{2,}\b"
BACKGROUND = 20_000


def key_terms(groups: list[list[str]], background: list[str], count: int, seed: int = 0) -> list[list[str]]:
    """The `count` best terms (1-2 words) of each group of sentences, best first."""
    if not groups:
        return []
    from sklearn.feature_extraction.text import CountVectorizer

    if len(background) > BACKGROUND:
        rows = np.random.default_rng(seed).choice(len(background), BACKGROUND, replace=False)
        background = [background[i] for i in sorted(rows)]
    vectorizer = CountVectorizer(token_pattern=TOKEN_PATTERN, ngram_range=(1, 2), lowercase=True)
    try:
        vectorizer.fit(background + [s for sentences in groups for s in sentences])
    except ValueError:  # no word at all (digits and punctuation)
        return [[] for _ in groups]
    sentences = vectorizer.transform(background + [s for sentences in groups for s in sentences])
    document_frequency = np.asarray((sentences > 0).sum(axis=0)).ravel()
    idf = np.log(1.0 + sentences.shape[0] / np.maximum(document_frequency, 1))
    counts = vectorizer.transform([" ".join(sentences) for sentences in groups]).tocsr().astype(np.float64)
    terms = vectorizer.get_feature_names_out()
    found = []
    for row in range(counts.shape[0]):
        start, end = counts.indptr[row], counts.indptr[row + 1]
        columns = counts.indices[start:end]
        # frequency within the storyline, times rarity in the collection; a term must recur in it
        weights = counts.data[start:end] / max(counts.data[start:end].sum(), 1.0) * idf[columns]
        order = sorted(range(len(columns)), key=lambda i: (-weights[i], terms[columns[i]]))
        found.append(_without_parts([str(terms[columns[i]]) for i in order], count))
    return found


def _without_parts(ranked: list[str], count: int) -> list[str]:
    """Best terms, skipping a word already inside a chosen two-word term and vice versa."""
    chosen: list[str] = []
    for term in ranked:
        words = set(term.split())
        if any(words <= set(c.split()) or set(c.split()) <= words for c in chosen):
            continue
        chosen.append(term)
        if len(chosen) == count:
            break
    return chosen
