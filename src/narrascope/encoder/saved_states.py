"""Token states kept on disk between runs: training and evaluation read the same corpora again
and again, so they need one encoder pass per article, not one per run. Set
`token_states_cache` (NARRASCOPE_TOKEN_STATES_CACHE) to a folder; the analysis path leaves it
unset and reads the encoder's pass directly."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..model import Document
from ..settings import Settings
from . import VECTORS, TokenStates, token_states


def document_states(document: Document) -> TokenStates:
    """The document's token states: from the `token_states_cache` folder when it holds this very
    text encoded by this encoder (training and evaluation run over the corpora again and again, so
    they need one encoder pass per article, not one per run), else from the encoder, written
    there for the next run when the folder is set."""
    root = Settings.from_env().token_states_cache
    if not root:
        return token_states(document)
    cached = _cached_state_files(root)
    path = cached.get(document.id)
    if path is not None:
        with np.load(path) as saved:
            return TokenStates(saved["offsets"], saved["sentence"], saved["states"].astype(np.float32))
    states = token_states(document)
    cached[document.id] = _save_states(Path(root), document.id, states)
    return states


def _save_states(root: Path, text_id: str, states: TokenStates) -> Path:
    """Write one document's states (float32, so a cached run decides as a fresh one) through a
    temporary file, so a reader in another process never sees half a file."""
    folder = root / VECTORS
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{text_id}.npz"
    partial = folder / f".{text_id}.{os.getpid()}.partial.npz"
    np.savez(partial, text_id=text_id, vectors=VECTORS, offsets=states.offsets, sentence=states.sentence, states=states.states)
    os.replace(partial, path)
    return path


@lru_cache(maxsize=2)
def _cached_state_files(root: str) -> dict[str, Path]:
    """Document id (the `text_id` each file records) -> its file, for every `.npz` under `root`
    made by this encoder (a file of other vectors is ignored; one that names none is trusted)."""
    found = {}
    for path in sorted(Path(root).rglob("*.npz")):
        if path.name.startswith("."):
            continue
        with np.load(path) as saved:
            made_by = str(saved["vectors"]) if "vectors" in saved.files else VECTORS
            if "text_id" in saved.files and made_by == VECTORS:
                found[str(saved["text_id"])] = path
    return found
