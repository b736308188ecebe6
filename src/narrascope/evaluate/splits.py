"""The fixed validation protocol: one deterministic train/validation cut of each training set.

A document belongs to validation when the hash of its key falls in the lowest fifth. The key is
`<dataset>/<language>/<document id>`, so the cut never depends on file order, machine or seed,
and every model and every report uses the same cut. See docs/validation.md.
"""

from __future__ import annotations

import hashlib

VALIDATION_SHARE = 0.2


def is_validation(dataset: str, language: str, document_id: str) -> bool:
    key = f"{dataset}/{language}/{document_id}".encode("utf-8")
    bucket = int.from_bytes(hashlib.sha256(key).digest()[:8], "big") / 2**64
    return bucket < VALIDATION_SHARE


def part_of(dataset: str, language: str, document_id: str) -> str:
    """'validation' or 'fit': which part of the official training split a document is in."""
    return "validation" if is_validation(dataset, language, document_id) else "fit"
