"""Shipped model artifacts: arrays in one `.npz`, everything else in a `card.json` beside it.

No pickles: an artifact is plain numpy arrays plus JSON, so it loads in any version of the
libraries and can be read by a person. Every card says what the model was trained on (data
path and hash), its validation scores, the seed and the date, like a model card.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ComponentUnavailable

SHIPPED = Path(__file__).parent / "artifacts"
Artifact = tuple[dict[str, np.ndarray], dict[str, Any]]  # arrays, card

_OVERRIDES: ContextVar[Mapping[str, Artifact]] = ContextVar("artifact_overrides", default={})


@contextmanager
def overriding(fitted: Mapping[str, Artifact]) -> Iterator[None]:
    """Within the block, `load(name)` gives `fitted[name]` instead of the shipped artifact, so
    an evaluation protocol can build the components from heads it has just trained."""
    token = _OVERRIDES.set({**_OVERRIDES.get(), **fitted})
    try:
        yield
    finally:
        _OVERRIDES.reset(token)


def save(directory: Path, arrays: dict[str, np.ndarray], card: dict[str, Any]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(directory / "model.npz", **{k: np.asarray(v) for k, v in arrays.items()})
    card = {"created": datetime.now(timezone.utc).isoformat(timespec="seconds"), **card}
    (directory / "card.json").write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n")
    return directory


def load(name: str, directory: Path | None = None) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Arrays and card of the artifact `name` (shipped with the package unless `directory`, or
    unless an `overriding` block supplies it)."""
    if directory is None and name in _OVERRIDES.get():
        arrays, card = _OVERRIDES.get()[name]
        return dict(arrays), card
    directory = directory or SHIPPED / name
    try:
        card = json.loads((directory / "card.json").read_text())
        with np.load(directory / "model.npz", allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
    except FileNotFoundError:
        raise ComponentUnavailable(f"no trained artifact for {name!r} in {directory}") from None
    return arrays, card


def file_hash(name: str) -> str | None:
    """sha256 (16 hex) of a shipped artifact's arrays: results files record it, so a table made
    from an older artifact than the one shipped can be told apart."""
    path = SHIPPED / name / "model.npz"
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.exists() else None


def data_hash(paths: Iterable[Path]) -> str:
    """A stable hash of the training files (names and bytes), recorded in every card."""
    digest = hashlib.sha256()
    for path in sorted(Path(p) for p in paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
