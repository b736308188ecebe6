"""Language centres from unlabelled later-period articles (`features.LanguageCentres`).

The genre head centres each document row on its language's articles. For the languages it has
labelled articles in, it takes their mean; for the others it needs articles of the language with
no labels at all. The SemEval-2023 test articles are such articles (nine languages, from the
period after training; the shared task allowed using them without labels): this artifact holds
their mean rows, and the genre trainer reads it for any language its examples lack (Spanish,
Greek, Georgian when shipped; the held-out language under `evaluate --split cross-language`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..artifacts import data_hash, load, save
from ..evaluate.datasets import read_semeval2023
from ..features import LanguageCentres
from . import _rhetoric as r

VERSION = "1.0"
NAME = "language-centres"
SPLIT = "test"


def shipped() -> dict[str, np.ndarray]:
    """The shipped centres by ISO 639-1 code."""
    return dict(LanguageCentres.from_arrays(load(NAME)[0], "centre").centres)


def train(data: Path, out: Path, seed: int = 13) -> dict:
    """Mean document rows per language of the test split's articles; no label file is read."""
    articles = r.corpus(list(read_semeval2023(data, SPLIT)))
    dense, _ = r.document_rows(articles)
    codes = [e.document.language.code or e.language for e in articles.examples]
    centres = LanguageCentres.fit(dense, codes)
    card = {
        "name": NAME,
        "version": VERSION,
        "task": "language centres of document rows (features.LanguageCentres), for languages without labelled articles",
        "data": {
            "path": str(data),
            "split": SPLIT,
            "labels": "none read",
            "hash": data_hash(p for p in Path(data).rglob(f"{SPLIT}-articles-*/*") if p.is_file()),
            "documents": {code: codes.count(code) for code in sorted(set(codes))},
        },
        "seed": seed,
        "encoder": r.ENCODER_NAME,
    }
    save(out, centres.arrays("centre"), card)
    return card
