"""`discover`: read a store's storyline units, group them, and describe each group that recurs.

A storyline is a group of sentences (`grouping.group`) found in at least `min_documents`
documents. It is named by its most central sentences (closest to the group's mean, one per
document) and its key terms (class-based tf-idf: terms frequent in the group and rare in the
others), and reported with its size, outlets, languages, first and last day seen, and the
documents per period with the growth from the period before.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from ..encoder import NAME as ENCODER_NAME
from ..store import Filters, Store
from ..store.units import Unit, dequantise, unit_row
from .grouping import EXACT_LIMIT, centre_by_language, group, with_document_context
from .terms import key_terms
from .timeline import Period, period_start, periods_of

THRESHOLD = 0.125  # of the way from a random pair to identical; chosen on fit documents (bench_storylines.py)
CONTEXT = 0.5  # weight of a sentence's document in its vector (grouping); chosen with THRESHOLD
MIN_DOCUMENTS = 3
CENTRAL_SENTENCES = 3
KEY_TERMS = 6
TERM_SENTENCES = 20  # a storyline's key terms are read from this many of its sentences (most central)
INTERVALS = ("day", "week", "month")


@dataclass(frozen=True)
class StorylineSentence:
    document_id: str
    start: int
    end: int
    text: str
    kind: str  # "claim" or "evidence"
    label: str | None  # the label a piece of evidence supports
    site: str | None
    language: str | None
    day: date
    title: str | None
    centrality: float  # cosine similarity to the storyline's mean


@dataclass(frozen=True)
class Storyline:
    id: str
    name: str  # its most central sentence
    central: list[str]  # the most central sentences, one per document
    key_terms: list[str]
    size: int  # sentences
    documents: int
    sites: dict[str, int]  # outlet -> documents
    languages: dict[str, int]  # language -> documents
    labels: dict[str, int]  # labels its evidence sentences support -> sentences
    first_seen: date
    last_seen: date
    periods: list[Period]
    sentences: list[StorylineSentence] = field(repr=False)  # most central first

    def central_examples(self, count: int) -> list[str]:
        """Up to `count` distinct sentences, most central first (what a saved label's examples are)."""
        return list(dict.fromkeys(s.text for s in self.sentences))[:count]


@dataclass(frozen=True)
class Discovery:
    storylines: list[Storyline]
    documents: int  # documents read
    sentences: int  # storyline units read
    method: str  # "exact" or "approximate" (see grouping)
    seed: int
    threshold: float
    context: float
    min_documents: int
    interval: str
    encoder: str
    embedded: int  # units whose vectors were computed (and stored) during this run
    period_totals: dict[str, int] = field(default_factory=dict)  # documents read per period (ISO start date)

    def find(self, storyline_id: str) -> Storyline | None:
        return next((s for s in self.storylines if s.id == storyline_id), None)


@dataclass
class _Units:
    """Every unit read, as parallel lists, with one row each in `vectors`."""

    document: list[int] = field(default_factory=list)  # index into `meta`
    units: list[Unit] = field(default_factory=list)
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 1), dtype=np.float32))
    meta: list[tuple[str, date, str | None, str | None, str | None]] = field(default_factory=list)


def discover(
    store: Store,
    filters: Filters = Filters(),
    *,
    seed: int = 0,
    threshold: float = THRESHOLD,
    context: float = CONTEXT,
    min_documents: int = MIN_DOCUMENTS,
    interval: str = "week",
    exact_limit: int = EXACT_LIMIT,
    progress: Callable[[int], None] | None = None,
) -> Discovery:
    """The storylines among the stored documents matching `filters`, largest first. Documents
    stored without unit vectors (or with another encoder's) get them now, and keep them."""
    if interval not in INTERVALS:
        raise ValueError(f"interval {interval!r}: expected one of {', '.join(INTERVALS)}")
    read, embedded = _read_units(store, filters, progress)
    centred = centre_by_language(read.vectors, [read.meta[d][3] for d in read.document])
    centred = with_document_context(centred, np.asarray(read.document, dtype=np.int64), context)
    read.vectors = centred  # the raw vectors are not needed again: no second copy of a large store
    grouping = group(centred, threshold, seed=seed, exact_limit=exact_limit)
    members: dict[int, list[int]] = {}
    for index, label in enumerate(grouping.labels):
        if label >= 0:
            members.setdefault(int(label), []).append(index)
    kept = [rows for rows in members.values() if len({read.document[i] for i in rows}) >= min_documents]
    ranked = [_by_centrality(centred, rows) for rows in kept]
    groups = [[read.units[i].text for i, _ in order[:TERM_SENTENCES]] for order in ranked]
    terms = key_terms(groups, [u.text for u in read.units], KEY_TERMS, seed)
    storylines = [_describe(read, order, words, interval) for order, words in zip(ranked, terms)]
    storylines.sort(key=lambda s: (-s.documents, -s.size, s.id))
    return Discovery(
        storylines=storylines,
        documents=len(read.meta),
        sentences=len(read.units),
        method=grouping.method,
        seed=seed,
        threshold=threshold,
        context=context,
        min_documents=min_documents,
        interval=interval,
        encoder=ENCODER_NAME,
        embedded=embedded,
        period_totals={day.isoformat(): count for day, count in
                       sorted(Counter(period_start(meta[1], interval) for meta in read.meta).items())},
    )


def _read_units(store: Store, filters: Filters, progress: Callable[[int], None] | None) -> tuple[_Units, int]:
    """Every matching document's units in document-id order; documents without vectors of this
    encoder are embedded first (and their rows stored)."""
    stored: dict[str, tuple[tuple, list, bytes, int]] = {}
    missing: dict[str, tuple] = {}
    for row in store.iter_units(filters):
        meta = (row.id, row.day, row.site, row.language, row.title)
        if row.encoder == ENCODER_NAME:
            stored[row.id] = (meta, row.units, row.vectors, row.dim)
        else:
            missing[row.id] = meta
        if progress:
            progress(1)
    embedded = 0
    for rows in _backfill(store, list(missing)):
        store.save_units(rows)
        for r in rows:
            stored[r["document_id"]] = (missing[r["document_id"]], r["units"], r["vectors"], r["dim"])
            embedded += len(r["units"])
    read = _Units()
    blobs: list[np.ndarray] = []
    for document_id in sorted(stored):
        meta, units, blob, dim = stored.pop(document_id)
        if not units:
            read.meta.append(meta)
            continue
        vectors = dequantise(blob, dim)
        index = len(read.meta)
        read.meta.append(meta)
        read.document += [index] * len(units)
        read.units += [Unit.from_json(u) for u in units]
        blobs.append(vectors)
    if blobs:
        read.vectors = np.concatenate(blobs)
    return read, embedded


def _backfill(store: Store, document_ids: list[str]) -> Iterator[list[dict]]:
    """`unit_vectors` rows for documents stored without them, 50 at a time (an encoder pass)."""
    for start in range(0, len(document_ids), 50):
        rows = []
        for document_id in document_ids[start : start + 50]:
            analysis = store.get(document_id)
            row = unit_row(analysis, encode=True) if analysis is not None else None
            rows.append(row or _empty_row(document_id))
        yield rows


def _empty_row(document_id: str) -> dict:
    """A row saying 'no units', so a document without claims or evidence is not read again."""
    return {"document_id": document_id, "encoder": ENCODER_NAME, "units": [], "vectors": b"", "dim": 1}


def _by_centrality(centred: np.ndarray, rows: list[int]) -> list[tuple[int, float]]:
    """The group's rows with their cosine similarity to its mean, most central first."""
    mean = centred[rows].mean(axis=0)
    closeness = centred[rows] @ (mean / max(float(np.linalg.norm(mean)), 1e-9))
    return [(rows[i], float(closeness[i])) for i in np.argsort(-closeness, kind="stable")]


def _describe(read: _Units, order: list[tuple[int, float]], terms: list[str], interval: str) -> Storyline:
    sentences = [_sentence(read, row, closeness) for row, closeness in order]
    central, seen = [], set()
    for sentence in sentences:
        if sentence.document_id not in seen and sentence.text not in central:
            central.append(sentence.text)
            seen.add(sentence.document_id)
        if len(central) == CENTRAL_SENTENCES:
            break
    documents: dict[str, StorylineSentence] = {}
    for sentence in sentences:  # one entry per document: its most central sentence
        documents.setdefault(sentence.document_id, sentence)
    days = sorted(s.day for s in documents.values())
    first = order[0][0]
    identity = f"{read.meta[read.document[first]][0]}:{read.units[first].start}:{read.units[first].end}"
    return Storyline(
        id=hashlib.sha1(identity.encode()).hexdigest()[:10],
        name=central[0],
        central=central,
        key_terms=terms,
        size=len(order),
        documents=len(documents),
        sites=_counts(s.site for s in documents.values()),
        languages=_counts(s.language for s in documents.values()),
        labels=_counts(s.label for s in sentences if s.label),
        first_seen=days[0],
        last_seen=days[-1],
        periods=periods_of(days, interval),
        sentences=sentences,
    )


def _sentence(read: _Units, row: int, centrality: float) -> StorylineSentence:
    unit = read.units[row]
    document_id, day, site, language, title = read.meta[read.document[row]]
    return StorylineSentence(document_id, unit.start, unit.end, unit.text, unit.kind, unit.label, site, language, day,
                             title, round(centrality, 4))


def _counts(values: Iterator[str | None]) -> dict[str, int]:
    counted = Counter(value or "unknown" for value in values)
    return dict(sorted(counted.items(), key=lambda item: (-item[1], item[0])))
