"""What the rhetoric heads (genre, frames, techniques) share at prediction time: calibrated
multi-label decisions with per-language thresholds, and the document's paragraph inputs.

A head scores with a `LinearHead`; `Decision` turns raw scores into calibrated probabilities
(Platt) and applies each label's threshold, the language's own where the tuning rows had enough
examples of it, the pooled one otherwise (and for unseen languages). Both are fitted on scores
from heads that did not learn from the rows (`train._rhetoric.tuning_scores`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..calibration import Platt
from ..encoder import paragraph_embeddings
from ..model import Document

# ISO 639-1 codes (what `Document.language` holds) -> the SemEval-2023 corpus folder names
CORPUS_LANGUAGES = {"en": "en", "fr": "fr", "de": "ge", "it": "it", "pl": "po", "ru": "ru"}


def corpus_language(document: Document) -> str | None:
    """The training corpus a document's language matches, or None for languages never trained on."""
    return CORPUS_LANGUAGES.get(document.language.code or "")


@dataclass(frozen=True)
class Decision:
    """Calibration and thresholds of a multi-label head."""

    platt: Platt
    thresholds: np.ndarray  # pooled over languages, one per label
    by_language: dict[str, np.ndarray] = field(default_factory=dict)

    def probabilities(self, scores: np.ndarray) -> np.ndarray:
        return np.clip(self.platt(np.atleast_2d(scores)), 0.0, 1.0)

    def thresholds_for(self, language: str | None) -> np.ndarray:
        return self.by_language.get(language or "", self.thresholds)

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        arrays = {**self.platt.arrays(f"{prefix}_platt"), f"{prefix}_thresholds": self.thresholds}
        arrays.update({f"{prefix}_thresholds_{lang}": values for lang, values in self.by_language.items()})
        return arrays

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str) -> "Decision":
        marker = f"{prefix}_thresholds_"
        return cls(
            Platt.from_arrays(arrays, f"{prefix}_platt"),
            arrays[f"{prefix}_thresholds"],
            {key[len(marker) :]: arrays[key] for key in arrays if key.startswith(marker)},
        )


def paragraph_inputs(document: Document) -> tuple[list[str], np.ndarray]:
    """The paragraph texts and their shared (cached) embeddings."""
    return document.paragraph_texts(), paragraph_embeddings(document)
