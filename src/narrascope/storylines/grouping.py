"""Grouping sentence vectors into tight groups: the same assertion, in any wording or language.

Vectors are first centred per language (each language's mean vector removed, then normalised
again): E5 puts every sentence of one language near a common direction, and removing it lets a
Bulgarian and an English sentence saying the same thing come closer than two unrelated English
ones. A mean needs many sentences to mean anything, so each is shrunk towards the overall mean
(and that towards zero) with the weight of `SHRINK` sentences: a handful of documents are
barely centred at all. Each sentence then takes in its document's context: the document's mean
(centred) sentence vector is added with weight `context` before normalising again, so a short
claim ("They will not stop there.") moves towards the subject of the article making it, and
one storyline told in different articles meets through what its articles share (on the
SemEval-2025 fit documents this raised agreement with the gold subnarratives at every cut:
results/benchmarks/storylines-quality-validation.json). Groups are then found by average-linkage
agglomerative clustering on cosine distance, cut
where the mean similarity inside a group would fall below `threshold`:

- exactly, when there are at most `exact_limit` vectors (scipy's linkage on all pairs);
- approximately above that: MiniBatchKMeans splits the vectors into cells of about
  `CELL_SIZE`, each cell is clustered exactly, and the groups found are clustered again
  by their centroids in new cells (another seed), for up to `ROUNDS` rounds or until they fit one
  exact clustering (the dot product of two centroids is the mean similarity between the groups'
  members, so the cut keeps its meaning). Sentences of one storyline that never share a cell
  are the approximation; each round costs time linear in the number of groups.

Everything is seeded and inputs are taken in a fixed order, so a store gives the same groups for
the same seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SHRINK = 200  # sentences' worth of weight on the overall mean when centring a language (none: no centring)
EXACT_LIMIT = 6000  # all pairs of 6,000 vectors: 18 M distances, 144 MB
CELL_SIZE = 600  # points per k-means cell: exact clustering costs the square of it, so small cells are cheap
KMEANS_SAMPLE = 20_000  # cells are placed from a sample of the points, then every point is assigned
ROUNDS = 4  # re-celling rounds of the approximate grouping


@dataclass(frozen=True)
class Grouping:
    labels: np.ndarray  # group of each vector; -1 for a vector left alone
    method: str  # "exact" or "approximate"


def centre_by_language(vectors: np.ndarray, languages: list[str | None]) -> np.ndarray:
    """Each language's mean vector removed, rows normalised again (see the module docstring).
    Works in place on a float32 array (a large store's vectors are not copied)."""
    centred = np.asarray(vectors, dtype=np.float32)
    if len(centred) == 0:
        return centred
    overall = centred.mean(axis=0) * (len(centred) / (len(centred) + SHRINK))
    codes = np.array([language or "" for language in languages])
    means = {}
    for language in np.unique(codes):
        rows = codes == language
        count = int(rows.sum())  # a language with few sentences leans on the overall mean
        means[language] = (centred[rows].sum(axis=0) + SHRINK * overall) / (count + SHRINK)
    for language, mean in means.items():
        centred[codes == language] -= mean
    norms = np.linalg.norm(centred, axis=1, keepdims=True)
    centred /= np.where(norms > 0, norms, 1.0)
    return centred


def with_document_context(vectors: np.ndarray, documents: np.ndarray, context: float) -> np.ndarray:
    """Each row plus `context` times its document's mean row (normalised), normalised again
    (see the module docstring); in place on a float32 array. `documents` gives each row's
    document as an index 0..n-1."""
    if context <= 0 or len(vectors) == 0:
        return vectors
    documents = np.asarray(documents, dtype=np.int64)
    means = _centroids(vectors, documents, int(documents.max()) + 1)
    norms = np.linalg.norm(means, axis=1, keepdims=True)
    means /= np.where(norms > 0, norms, 1.0)
    for start in range(0, len(vectors), 65_536):  # in blocks: no second full-size array
        rows = slice(start, start + 65_536)
        vectors[rows] += context * means[documents[rows]]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors /= np.where(norms > 0, norms, 1.0)
    return vectors


def group(vectors: np.ndarray, threshold: float, seed: int = 0, exact_limit: int = EXACT_LIMIT) -> Grouping:
    """Groups of at least two vectors whose mean pairwise cosine similarity is at least
    `threshold` of the way from that of two vectors drawn at random to 1 (identical): a scale
    that means the same in a store of ten documents (barely centred, random pairs near 0.8) and
    of a million (random pairs near 0)."""
    n = len(vectors)
    if n < 2:
        return Grouping(np.full(n, -1), "exact")
    baseline = random_pair_similarity(vectors, seed)
    threshold = baseline + threshold * (1.0 - baseline)
    if n <= exact_limit:
        return Grouping(_singletons_out(_exact(vectors, threshold)), "exact")
    labels = _approximate(vectors, threshold, seed, exact_limit)
    return Grouping(_singletons_out(labels), "approximate")


def random_pair_similarity(vectors: np.ndarray, seed: int, pairs: int = 4000) -> float:
    """Mean cosine similarity of random pairs of distinct rows (seeded)."""
    rng = np.random.default_rng(seed)
    first = rng.integers(0, len(vectors), pairs)
    second = (first + rng.integers(1, len(vectors), pairs)) % len(vectors)
    return float(np.clip(np.einsum("ij,ij->i", vectors[first], vectors[second]).mean(), -1.0, 0.99))


def _exact(points: np.ndarray, threshold: float) -> np.ndarray:
    """Average linkage over all pairs with distance 1 - dot product: for unit vectors the cosine
    distance; for the (unnormalised) centroids of two groups, exactly one minus the mean
    similarity between their members, so merging groups keeps the same meaning of `threshold`."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    if len(points) == 1:
        return np.zeros(1, dtype=np.int64)
    similarity = points @ points.T
    distances = squareform(np.clip(1.0 - similarity, 0.0, 2.0), checks=False).astype(np.float64)
    del similarity
    tree = linkage(distances, method="average")
    return fcluster(tree, t=1.0 - threshold, criterion="distance").astype(np.int64) - 1


def _approximate(points: np.ndarray, threshold: float, seed: int, exact_limit: int) -> np.ndarray:
    """Rounds of: split the current groups' centroids into k-means cells, cluster each cell
    exactly, merge. Every round reseeds the cells, so groups that fell into different cells meet
    again; it ends when the groups fit one exact clustering, or stop merging."""
    labels = np.arange(len(points), dtype=np.int64)
    centroids = points
    for round_number in range(ROUNDS):
        if len(centroids) <= exact_limit:
            return _exact(centroids, threshold)[labels]
        merged = _cells(centroids, threshold, seed + round_number, exact_limit)
        labels = merged[labels]
        count = int(labels.max()) + 1
        if count > 0.99 * len(centroids):
            break
        centroids = _centroids(points, labels, count)
    return labels


def _centroids(points: np.ndarray, labels: np.ndarray, count: int) -> np.ndarray:
    """Mean of each group's points (unnormalised), by one sparse product."""
    from scipy import sparse

    membership = sparse.csr_matrix((np.ones(len(labels), dtype=np.float32), (labels, np.arange(len(labels)))),
                                   shape=(count, len(labels)))
    sums = np.asarray(membership @ points, dtype=np.float32)
    return sums / np.bincount(labels, minlength=count).astype(np.float32)[:, None]


def _cells(points: np.ndarray, threshold: float, seed: int, exact_limit: int) -> np.ndarray:
    """Exact clustering inside k-means cells of about `CELL_SIZE` points (one over
    `exact_limit` is split again). The cells are placed from a sample of the points."""
    from sklearn.cluster import MiniBatchKMeans

    cell_size = max(2, min(CELL_SIZE, exact_limit // 4))
    cells = max(2, int(np.ceil(len(points) / cell_size)))
    rng = np.random.default_rng(seed)
    sample = points[np.sort(rng.choice(len(points), min(len(points), max(KMEANS_SAMPLE, 3 * cells)), replace=False))]
    kmeans = MiniBatchKMeans(n_clusters=cells, random_state=seed, batch_size=4096, n_init=1, max_iter=5,
                             init="random", reassignment_ratio=0.0).fit(sample)
    cell_of = kmeans.predict(points)
    labels = np.empty(len(points), dtype=np.int64)
    next_label = 0
    for cell in range(cells):
        rows = np.flatnonzero(cell_of == cell)
        if len(rows) == 0:
            continue
        found = _cells(points[rows], threshold, seed + 1, exact_limit) if len(rows) > exact_limit else \
            _exact(points[rows], threshold)
        labels[rows] = found + next_label
        next_label += int(found.max()) + 1
    return labels


def _singletons_out(labels: np.ndarray) -> np.ndarray:
    """Labels renumbered 0.. in order of first appearance; points alone in their group get -1."""
    sizes = np.bincount(labels)
    out = np.full(len(labels), -1, dtype=np.int64)
    order: dict[int, int] = {}
    for i, label in enumerate(labels):
        if sizes[label] > 1:
            out[i] = order.setdefault(int(label), len(order))
    return out
