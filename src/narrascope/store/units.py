"""The sentences storylines are made of: each document's strongest check-worthy claims and the
evidence of its labels (narratives, subnarratives, custom labels), with their encoder vectors.

The vectors are kept in the store beside the document (`unit_vectors`, int8: a quarter of
float32, cosine error under 0.01) when the analysis is saved and the encoder still holds them
(right after analysing: no second encoder pass). Documents saved without them get them when
`narrascope storylines` first reads the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..model import Analysis

MAX_UNITS = 10  # per document
MAX_CLAIMS = 5  # the best-ranked claims; evidence of the labels fills the rest
MIN_WORDS = 4  # shorter sentences (datelines, one-phrase headings) group by accident
_SCALE = 127.0


@dataclass(frozen=True)
class Unit:
    start: int
    end: int
    kind: str  # "claim" or "evidence"
    label: str | None  # for evidence: the label it supports
    text: str

    def to_json(self) -> list[Any]:
        return [self.start, self.end, self.kind, self.label, self.text]

    @classmethod
    def from_json(cls, item: Sequence[Any]) -> "Unit":
        return cls(int(item[0]), int(item[1]), str(item[2]), item[3], str(item[4]))


def storyline_units(analysis: Analysis) -> list[Unit]:
    """Up to `MAX_UNITS` distinct sentences: claims by rank, then the evidence of each label found."""
    text = analysis.document.text
    results = analysis.results
    candidates: list[tuple[int, int, str, str | None]] = []
    if results.claims:
        ranked = sorted(results.claims.claims, key=lambda claim: claim.rank)[:MAX_CLAIMS]
        candidates += [(c.start, c.end, "claim", None) for c in ranked]
    if results.narratives:
        for label in results.narratives.subnarratives + results.narratives.narratives:
            candidates += [(s.start, s.end, "evidence", label.label) for s in label.evidence[:1]]
    for custom in results.custom or []:
        for found in custom.labels:
            if found.present:
                candidates += [(s.start, s.end, "evidence", found.label) for s in found.evidence[:1]]
    units: dict[tuple[int, int], Unit] = {}
    for start, end, kind, label in candidates:
        sentence = text[start:end]  # exactly as encoded: the encoder's cache is keyed by it
        found = units.get((start, end))
        if found is not None:  # a claim that is also a label's evidence keeps the label
            if found.label is None and label is not None:
                units[(start, end)] = Unit(start, end, found.kind, label, sentence)
        elif len(units) < MAX_UNITS and len(sentence.split()) >= MIN_WORDS:
            units[(start, end)] = Unit(start, end, kind, label, sentence)
    return list(units.values())


def quantise(vectors: np.ndarray) -> bytes:
    return np.clip(np.rint(np.asarray(vectors, dtype=np.float32) * _SCALE), -127, 127).astype(np.int8).tobytes()


def dequantise(blob: bytes, dim: int) -> np.ndarray:
    """(units, dim) float32 rows, L2-normalised again after rounding."""
    vectors = np.frombuffer(blob, dtype=np.int8).reshape(-1, dim).astype(np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)


def unit_row(analysis: Analysis, encode: bool = False) -> dict[str, Any] | None:
    """The `unit_vectors` row of an analysis; None when it has no units, or (unless `encode`) when
    the encoder no longer holds a unit's vector."""
    units = storyline_units(analysis)
    if not units:
        return None
    from .. import encoder

    texts = [unit.text for unit in units]
    if encode:
        vectors = encoder.get_encoder().encode(texts)
    else:
        if encoder.get_encoder.cache_info().currsize == 0:  # no encoder in this process: nothing is held
            return None
        found = encoder.get_encoder().cached(texts)
        if any(vector is None for vector in found):
            return None
        vectors = np.stack(found)
    return {
        "document_id": analysis.document.id,
        "encoder": encoder.NAME,
        "units": [unit.to_json() for unit in units],
        "vectors": quantise(vectors),
        "dim": int(vectors.shape[1]),
    }
