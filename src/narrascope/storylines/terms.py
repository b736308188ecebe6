"""Key terms of each storyline: class-based tf-idf (as BERTopic names topics). A storyline's
sentences are one document for term frequency; rarity is counted over single sentences of the
whole collection (a sample of `BACKGROUND` of them), so words every sentence has (the function
words of every language) rank low without a stop-word list per language."""

from __future__ import annotations

import numpy as np

TOKEN_PATTERN = r"(?u)\b[^\W\d_]{2,}\b"
BACKGROUND = 5_000


def key_terms(groups: list[list[str]], background: list[str], count: int, seed: int = 0) -> list[list[str]]:
    """The `count` best terms (1-2 words) of each group of sentences, best first. Sentences are
    tokenised once: the group's counts are sums of its sentences' rows."""
    if not groups:
        return []
    from scipy import sparse
    from sklearn.feature_extraction.text import CountVectorizer

    if len(background) > BACKGROUND:
        rows = np.random.default_rng(seed).choice(len(background), BACKGROUND, replace=False)
        background = [background[i] for i in sorted(rows)]
    members = [sentence for sentences in groups for sentence in sentences]
    vectorizer = CountVectorizer(token_pattern=TOKEN_PATTERN, ngram_range=(1, 2), lowercase=True, dtype=np.float32)
    try:
        counts = vectorizer.fit_transform(background + members).tocsr()
    except ValueError:  # no word at all (digits and punctuation)
        return [[] for _ in groups]
    document_frequency = np.asarray((counts > 0).sum(axis=0)).ravel()
    idf = np.log(1.0 + counts.shape[0] / np.maximum(document_frequency, 1))
    owner = np.repeat(np.arange(len(groups)), [len(sentences) for sentences in groups])
    membership = sparse.csr_matrix((np.ones(len(owner), dtype=np.float32), (owner, np.arange(len(owner)))),
                                   shape=(len(groups), len(owner)))
    grouped = (membership @ counts[len(background):]).tocsr()
    terms = vectorizer.get_feature_names_out()
    found = []
    for row in range(grouped.shape[0]):
        start, end = grouped.indptr[row], grouped.indptr[row + 1]
        columns, values = grouped.indices[start:end], grouped.data[start:end]
        # frequency within the storyline, times rarity among single sentences of the collection
        weights = values / max(float(values.sum()), 1.0) * idf[columns]
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
