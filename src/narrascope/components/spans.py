"""Where in a paragraph a technique it is labelled with lies: technique spans from token states.

The techniques head labels paragraphs; this module places each label's evidence on words. A word
is a run of letters or digits (`features.words`); its vector is the mean last-layer state of the
encoder pieces that start inside it (pieces are SentencePiece pieces, not words). A linear head
per technique reads the word's vector, its neighbours', its sentence's mean and the paragraph's
technique probabilities, and says how likely the word lies inside a span of that technique if
the paragraph has it. Times the paragraph's probability of the technique, that is the word's
probability of carrying it. Only the techniques the paragraph head labels a paragraph with get
spans there, and each such label gets at least one. How a technique's word probabilities become
spans (`Decoding`: its cut, runs of words or whole clauses or the best sentence, how many spans
per paragraph, how many weak words a run may bridge) was picked at training on out-of-fold
predictions for the best span F1 (`train.span_decoding`), so spans start and end on word
boundaries and are as long as that technique's usually are. A span of function words only (the
stop words of the document's language, from `stopwordsiso`) is never emitted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import stopwordsiso

from ..encoder import DIM, TokenStates
from ..encoder.saved_states import document_states
from ..features import words
from ..linear import sigmoid
from ..model import Document

Span = tuple[int, int, int, int]  # (paragraph, technique index, start, end) into Document.text


@lru_cache(maxsize=64)
def stop_words(language: str | None) -> frozenset[str]:
    """Lower-cased function words of a language (ISO 639-1), empty for one `stopwordsiso` lacks."""
    return frozenset(stopwordsiso.stopwords(language)) if language and stopwordsiso.has_lang(language) else frozenset()


@dataclass(frozen=True)
class Words:
    """Every word of a document: `[start, end)` in its text, paragraph, sentence, lower-cased form."""

    boxes: np.ndarray  # (n, 2) int
    paragraph: np.ndarray  # (n,) int
    sentence: np.ndarray  # (n,) int, -1 outside every sentence
    lower: list[str]

    @classmethod
    def of(cls, document: Document) -> "Words":
        boxes = np.array(words(document.text), dtype=np.int64).reshape(-1, 2)
        starts = boxes[:, 0]
        paragraph = np.searchsorted([p.start for p in document.paragraphs], starts, side="right") - 1
        sentence = np.searchsorted([s.start for s in document.sentences], starts, side="right") - 1
        if document.sentences:
            ends = np.array([s.end for s in document.sentences])
            sentence[(sentence < 0) | (starts >= ends[np.maximum(sentence, 0)])] = -1
        else:
            sentence[:] = -1
        return cls(boxes, paragraph.astype(np.int64), sentence.astype(np.int64), [document.text[a:b].lower() for a, b in boxes])

    def in_paragraph(self, paragraph: int) -> np.ndarray:
        """Rows of the paragraph's words (words run in text order, so they are one block)."""
        return np.arange(*np.searchsorted(self.paragraph, [paragraph, paragraph + 1]))


def word_vectors(found: Words, states: TokenStates) -> np.ndarray:
    """(n, DIM): the mean state of the pieces that start inside each word (zeros for a word the
    encoder did not read, e.g. past a sentence's token cap)."""
    vectors = np.zeros((len(found.boxes), DIM), dtype=np.float32)
    if not len(found.boxes) or not len(states.offsets):
        return vectors
    starts = states.offsets[:, 0]
    owner = np.searchsorted(found.boxes[:, 0], starts, side="right") - 1
    inside = (owner >= 0) & (starts < found.boxes[np.maximum(owner, 0), 1]) & (states.offsets[:, 1] > starts)
    counts = np.bincount(owner[inside], minlength=len(vectors)).astype(np.float32)
    np.add.at(vectors, owner[inside], states.states[inside].astype(np.float32))
    return vectors / np.maximum(counts, 1.0)[:, None]


def word_features(found: Words, vectors: np.ndarray, probabilities: np.ndarray, stop: frozenset[str]) -> np.ndarray:
    """One row per word: its vector, the mean of its neighbours' in the same paragraph, its
    sentence's mean vector, its paragraph's technique probabilities and whether it is a stop word."""
    n = len(vectors)
    neighbours = np.zeros_like(vectors)
    counts = np.zeros((n, 1), dtype=np.float32)
    if n > 1:
        same = found.paragraph[1:] == found.paragraph[:-1]
        neighbours[1:][same] += vectors[:-1][same]
        counts[1:][same] += 1
        neighbours[:-1][same] += vectors[1:][same]
        counts[:-1][same] += 1
    neighbours /= np.maximum(counts, 1.0)
    sentence = np.where(found.sentence >= 0, found.sentence, -1)
    groups = np.unique(sentence, return_inverse=True)[1]
    sums = np.zeros((groups.max() + 1 if n else 0, vectors.shape[1]), dtype=np.float32)
    np.add.at(sums, groups, vectors)
    means = sums / np.maximum(np.bincount(groups, minlength=len(sums)), 1)[:, None]
    context = probabilities[found.paragraph] if n else np.zeros((0, probabilities.shape[1]), np.float32)
    is_stop = np.array([[w in stop] for w in found.lower], dtype=np.float32).reshape(n, 1)
    return np.hstack([vectors, neighbours, means[groups], context, is_stop]).astype(np.float32)


@dataclass(frozen=True)
class WordHead:
    """Per technique: standardised features -> probability that a word lies inside one of its spans."""

    mean: np.ndarray  # (F,)
    scale: np.ndarray  # (F,)
    coef: np.ndarray  # (T, F)
    intercept: np.ndarray  # (T,)

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        return sigmoid(((features - self.mean) / self.scale) @ self.coef.T + self.intercept)

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {
            f"{prefix}_mean": self.mean.astype(np.float32),
            f"{prefix}_scale": self.scale.astype(np.float32),
            f"{prefix}_coef": self.coef.astype(np.float16),
            f"{prefix}_intercept": self.intercept.astype(np.float32),
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str) -> "WordHead":
        return cls(*(arrays[f"{prefix}_{k}"].astype(np.float32) for k in ("mean", "scale", "coef", "intercept")))


LEVELS = ("words", "clause", "sentence")  # how far a technique's spans reach (see `decode`)
CLAUSE_MARKS = re.compile(r"[,;:()\[\]\u2013\u2014\"\u00ab\u00bb\u201c\u201d\u201e]|\s-\s")


@dataclass(frozen=True)
class Decoding:
    """How one technique's word probabilities become spans (picked per technique at training)."""

    cut: float  # a word counts where its probability times the paragraph's reaches this
    level: str = "words"  # one of LEVELS
    max_runs: int = 3  # spans kept per labelled paragraph: the strongest
    gap: int = 0  # words below the cut a run may bridge inside one sentence


def clauses(document: Document, found: Words) -> np.ndarray:
    """(n,) clause number of each word: a new clause starts at a new sentence or paragraph, or
    after a comma, semicolon, colon, bracket, dash or quotation mark between two words."""
    n = len(found.boxes)
    if not n:
        return np.zeros(0, dtype=np.int64)
    between = [document.text[found.boxes[k - 1, 1] : found.boxes[k, 0]] for k in range(1, n)]
    breaks = np.array([bool(CLAUSE_MARKS.search(gap)) for gap in between], dtype=bool)
    breaks |= (found.sentence[1:] != found.sentence[:-1]) | (found.paragraph[1:] != found.paragraph[:-1])
    return np.concatenate([[0], np.cumsum(breaks)]).astype(np.int64)


def decode(
    document: Document,
    found: Words,
    inside: np.ndarray,
    present: np.ndarray,
    labelled: np.ndarray,
    decoding: Decoding,
    stop: frozenset[str],
    clause: np.ndarray | None = None,
) -> list[tuple[int, int, int]]:
    """Spans of one technique as (paragraph, start, end), in the paragraphs `labelled` with it.
    `inside`: each word's probability of lying in a span given the paragraph has the technique;
    `present`: each paragraph's probability of having it; a word counts where their product
    reaches the cut. Level "words": each run of such words (bridging at most `gap` words inside a
    sentence) is a span, stop words trimmed off its ends; "clause": each run widened to the
    clauses it touches; "sentence": the paragraph's sentence whose words score highest on
    average. At most `max_runs` per paragraph, the strongest; a paragraph whose words all fall
    short gets its best word that is not a stop word (or its best sentence), so every label
    keeps its evidence."""
    spans = []
    for paragraph in np.flatnonzero(labelled):
        rows = found.in_paragraph(paragraph)
        if not len(rows):
            continue
        scores = inside[rows] * present[paragraph]
        if decoding.level == "sentence":
            sentence, _ = best_sentence(found, rows, scores)
            box = document.sentences[sentence] if sentence >= 0 else document.paragraphs[paragraph]
            spans.append((paragraph, box.start, box.end))
            continue
        runs = word_runs(found, rows, scores, decoding.cut, stop, decoding.gap)[: decoding.max_runs]
        if not runs:
            content = [k for k, row in enumerate(rows) if found.lower[row] not in stop]
            if not content:
                continue
            best = rows[content[int(np.argmax(scores[content]))]]
            runs = [(best, best, 0.0)]
        if decoding.level == "clause":
            numbers = clauses(document, found) if clause is None else clause
            runs = widened(runs, rows, numbers[rows])
        spans.extend((paragraph, int(found.boxes[a, 0]), int(found.boxes[b, 1])) for a, b, _ in sorted(runs))
    return spans


def widened(runs: list[tuple[int, int, float]], rows: np.ndarray, clause: np.ndarray) -> list[tuple[int, int, float]]:
    """Runs of one paragraph's words (`rows`, their clause numbers `clause`) widened to whole
    clauses; runs that then overlap are merged."""
    merged: list[list] = []
    for a, b, score in sorted(runs):
        first = rows[np.flatnonzero(clause == clause[rows == a][0])[0]]
        last = rows[np.flatnonzero(clause == clause[rows == b][0])[-1]]
        if merged and first <= merged[-1][1]:
            merged[-1][1], merged[-1][2] = max(merged[-1][1], last), max(merged[-1][2], score)
        else:
            merged.append([first, last, score])
    return [(a, b, s) for a, b, s in merged]


def word_runs(
    found: Words, rows: np.ndarray, scores: np.ndarray, cut: float, stop: frozenset[str], gap: int = 0
) -> list[tuple[int, int, float]]:
    """Runs of words of one paragraph (`rows`, in order) scoring at least `cut`, bridging at most
    `gap` words inside one sentence, as (first row, last row, best score), strongest first; stop
    words are trimmed off a run's ends, so a run of stop words only is dropped."""
    runs: list[list] = []
    last = -1
    for k in np.flatnonzero(scores >= cut):
        row, score = rows[k], float(scores[k])
        if runs and k - last <= gap + 1 and found.sentence[row] == found.sentence[rows[last]]:
            runs[-1][1], runs[-1][2] = row, max(runs[-1][2], score)
        else:
            runs.append([row, row, score])
        last = k
    kept = []
    for a, b, score in runs:
        content = [r for r in range(a, b + 1) if found.lower[r] not in stop]
        if content:
            kept.append((content[0], content[-1], score))
    return sorted(kept, key=lambda run: -run[2])


def best_sentence(found: Words, rows: np.ndarray, scores: np.ndarray) -> tuple[int, float]:
    """The sentence (index into `Document.sentences`, -1 if none) of a paragraph's words whose
    scores are highest on average, with that average."""
    sentences = found.sentence[rows]
    best, top = -1, -1.0
    for sentence in np.unique(sentences):
        average = float(scores[sentences == sentence].mean())
        if average > top:
            best, top = int(sentence), average
    return best, top


class SpanLocator:
    """Places the evidence of paragraph labels (see the module docstring) from the `spans` artifact."""

    def __init__(self, arrays: dict[str, np.ndarray], card: dict):
        self.version = card["version"]
        self.labels = list(card["labels"])
        self.head = WordHead.from_arrays(arrays, "words")
        self.decodings = decodings_from_arrays(arrays)

    def word_probabilities(self, document: Document, found: Words, probabilities: np.ndarray) -> np.ndarray:
        """(words, techniques): each word's probability of lying inside a span of each technique,
        given its paragraph has the technique."""
        vectors = word_vectors(found, document_states(document))
        features = word_features(found, vectors, probabilities.astype(np.float32), stop_words(document.language.code))
        return self.head.probabilities(features)

    def locate(self, document: Document, probabilities: np.ndarray, chosen: np.ndarray) -> list[Span]:
        """Spans (paragraph, technique index, start, end) from the paragraphs' technique
        probabilities (rows follow paragraphs) and the techniques chosen for them (0/1, same
        shape): only chosen techniques get spans, and each chosen one at least one span."""
        if not len(probabilities) or not document.text or not np.any(chosen):
            return []
        found = Words.of(document)
        inside = self.word_probabilities(document, found, probabilities)
        stop = stop_words(document.language.code)
        clause = clauses(document, found)
        spans: list[Span] = []
        for j, decoding in enumerate(self.decodings):
            for paragraph, start, end in decode(document, found, inside[:, j], probabilities[:, j], chosen[:, j], decoding, stop, clause):
                spans.append((paragraph, j, start, end))
        return sorted(spans)


def decodings_arrays(decodings: list[Decoding]) -> dict[str, np.ndarray]:
    """Plain arrays of the per-technique decodings, for the artifact."""
    return {
        "words_cuts": np.array([d.cut for d in decodings], dtype=np.float32),
        "levels": np.array([LEVELS.index(d.level) for d in decodings], dtype=np.int8),
        "max_runs": np.array([d.max_runs for d in decodings], dtype=np.int8),
        "gaps": np.array([d.gap for d in decodings], dtype=np.int8),
    }


def decodings_from_arrays(arrays: dict[str, np.ndarray]) -> list[Decoding]:
    return [
        Decoding(float(cut), LEVELS[int(level)], int(runs), int(gap))
        for cut, level, runs, gap in zip(arrays["words_cuts"], arrays["levels"], arrays["max_runs"], arrays["gaps"])
    ]
