"""Where in a paragraph a technique it is labelled with lies: technique spans from token states.

The techniques head labels paragraphs; this module places each label's evidence on words. A word
is a run of letters or digits (`features.words`); its vector is the mean last-layer state of the
encoder pieces that start inside it (pieces are SentencePiece pieces, not words). A linear head
per technique reads the word's vector, its neighbours', its sentence's mean and the paragraph's
technique probabilities, and says how likely the word lies inside a span of that technique if
the paragraph has it. Times the paragraph's probability of the technique, that is the word's
probability of carrying it; each run of words where it reaches the technique's cut is a span, so
spans start and end on word boundaries. Only the techniques the paragraph head labels a
paragraph with get spans there, at half the cross-fitted cut (the cuts were picked with every
paragraph probability as a soft gate; restricted to labelled techniques, half the cut scored
best: validation span F1 0.180 against 0.156 for the soft gate at full cut, fit-part head, on
the 285 validation articles with paragraph labels), and every labelled paragraph keeps at least
one span as its evidence. A span of function words only (the stop words
of the document's language, from `stopwordsiso`) is never emitted. Techniques whose spans the
word head places no better than whole sentences (cross-fitted at training) are shown as the
paragraph's sentence with the highest word scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import stopwordsiso

from ..encoder import DIM, TokenStates, token_states
from ..features import words
from ..linear import sigmoid
from ..model import Document
from ..settings import Settings

Span = tuple[int, int, int, int]  # (paragraph, technique index, start, end) into Document.text
MAX_RUNS = 3  # word runs kept per labelled paragraph and technique: the strongest
CUT_SCALE = 0.5  # applied to the cross-fitted cuts where only labelled techniques get spans (see above)


@lru_cache(maxsize=64)
def stop_words(language: str | None) -> frozenset[str]:
    """Lower-cased function words of a language (ISO 639-1), empty for one `stopwordsiso` lacks."""
    return frozenset(stopwordsiso.stopwords(language)) if language and stopwordsiso.has_lang(language) else frozenset()


def document_states(document: Document) -> TokenStates:
    """The document's token states: from the `token_states_cache` folder when it holds this very
    text (training and evaluation runs over the corpora, so they need no second encoder pass),
    else from the encoder."""
    root = Settings.from_env().token_states_cache
    path = _cached_state_files(root).get(document.id) if root else None
    if path is None:
        return token_states(document)
    with np.load(path) as saved:
        return TokenStates(saved["offsets"], saved["sentence"], saved["states"].astype(np.float32))


@lru_cache(maxsize=2)
def _cached_state_files(root: str) -> dict[str, Path]:
    """Document id (the `text_id` each file records) -> its file, for every `.npz` under `root`."""
    found = {}
    for path in sorted(Path(root).rglob("*.npz")):
        with np.load(path) as saved:
            if "text_id" in saved.files:
                found[str(saved["text_id"])] = path
    return found


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
        return np.flatnonzero(self.paragraph == paragraph)


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


def decode(
    document: Document,
    found: Words,
    inside: np.ndarray,
    present: np.ndarray,
    cut: float,
    sentence_level: bool,
    stop: frozenset[str],
    labelled: np.ndarray | None = None,
) -> list[tuple[int, int, int]]:
    """Spans of one technique as (paragraph, start, end). `inside`: each word's probability of
    lying in a span given the paragraph has the technique; `present`: each paragraph's
    probability of having it. A word counts where their product reaches `cut`. Word level: each
    run of such words is a span (the `MAX_RUNS` strongest per paragraph; runs of stop words only
    are dropped). Sentence level: the paragraph's sentence whose words score highest on average,
    where that average times `present` reaches `cut`. A paragraph in `labelled` always gets its
    evidence: the best sentence, or the best word that is not a stop word."""
    spans = []
    known = found.paragraph >= 0
    top = np.zeros(len(present), dtype=np.float32)
    np.maximum.at(top, found.paragraph[known], inside[known])
    candidates = present * top >= cut
    if labelled is not None:
        candidates |= labelled.astype(bool)
    for paragraph in np.flatnonzero(candidates):
        rows = found.in_paragraph(paragraph)
        forced = labelled is not None and bool(labelled[paragraph])
        if not len(rows):
            continue
        scores = inside[rows] * present[paragraph]
        if sentence_level:
            sentence, score = best_sentence(found, rows, scores)
            if forced or score >= cut:
                box = document.sentences[sentence] if sentence >= 0 else document.paragraphs[paragraph]
                spans.append((paragraph, box.start, box.end))
            continue
        runs = word_runs(found, rows, scores, cut, stop)
        if not runs and forced:
            content = [k for k, row in enumerate(rows) if found.lower[row] not in stop]
            if content:
                best = rows[content[int(np.argmax(scores[content]))]]
                runs = [(best, best, 0.0)]
        spans.extend((paragraph, int(found.boxes[a, 0]), int(found.boxes[b, 1])) for a, b, _ in sorted(runs[:MAX_RUNS]))
    return spans


def word_runs(found: Words, rows: np.ndarray, scores: np.ndarray, cut: float, stop: frozenset[str]) -> list[tuple[int, int, float]]:
    """Runs of consecutive words of one paragraph (`rows`, in order) scoring at least `cut`, as
    (first row, last row, best score), strongest first; stop words are trimmed off a run's ends,
    so a run of stop words only is dropped."""
    runs: list[list] = []
    for k, (row, score) in enumerate(zip(rows, scores)):
        if score < cut:
            continue
        if k > 0 and runs and runs[-1][1] == rows[k - 1]:
            runs[-1][1], runs[-1][2] = row, max(runs[-1][2], score)
        else:
            runs.append([row, row, score])
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
        self.cuts = arrays["words_cuts"].astype(np.float32)
        self.sentence_level = arrays["sentence_level"].astype(bool)

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
        if not len(probabilities) or not document.text:
            return []
        found = Words.of(document)
        inside = self.word_probabilities(document, found, probabilities)
        stop = stop_words(document.language.code)
        gate = np.where(chosen, probabilities, 0.0)
        spans: list[Span] = []
        for j in range(len(self.labels)):
            for paragraph, start, end in decode(
                document, found, inside[:, j], gate[:, j], float(self.cuts[j]) * CUT_SCALE, bool(self.sentence_level[j]), stop, chosen[:, j]
            ):
                spans.append((paragraph, j, start, end))
        return sorted(spans)
