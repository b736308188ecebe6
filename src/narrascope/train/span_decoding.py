"""Picking how each technique's word probabilities become spans, on out-of-fold predictions.

At run time only the techniques the paragraph head labels a paragraph with get spans there. The
span trainer has no techniques head to ask, so it labels its training paragraphs the same way
with the cross-fitted paragraph probabilities it reads as context: a technique where its
probability reaches the cut with the best paragraph F1 (out of fold, per technique), as the
techniques head picks its own cuts. On those labels, with out-of-fold word probabilities, it
tries for every technique decodings (`components.spans.Decoding`): every cut at the word,
clause and sentence level, then at the best of those alone, how many spans per paragraph and how
many weak words bridged; and keeps, by coordinate ascent over the techniques, the set with the
best PTC span F1 averaged over languages, the headline figure (the metric is summed over
techniques, so one technique's choice moves the best choice of the others).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..components.spans import LEVELS, Decoding, Words, clauses, decode
from ..evaluate.metrics import span_scores
from ..model import Document

CUTS = (0.02, 0.03, 0.05, 0.07, 0.1, 0.14, 0.2, 0.28, 0.4, 0.55)
GAPS = (0, 1, 2)
RUNS = (1, 2, 3, 5)
PASSES = 3  # coordinate-ascent sweeps over the techniques (it settles in two)


@dataclass
class Scored:
    """One training article as the decoding search reads it (all out of fold)."""

    key: str
    language: str
    document: Document
    words: Words
    stop: frozenset[str]
    gold: list[tuple[str, int, int]]
    present: np.ndarray  # (paragraphs, techniques) cross-fitted paragraph probabilities
    inside: np.ndarray  # (words, techniques) out-of-fold word probabilities

    def __post_init__(self) -> None:
        self.clause = clauses(self.document, self.words)


def label_cuts(present: Sequence[np.ndarray], labelled: Sequence[np.ndarray]) -> np.ndarray:
    """Per technique, the paragraph-probability cut with the best paragraph F1 (pooled)."""
    p, y = np.vstack(present), np.vstack(labelled).astype(bool)
    grid = np.linspace(0.05, 0.9, 35)
    cuts = np.full(p.shape[1], 0.5)
    for j in range(p.shape[1]):
        if not y[:, j].any():
            continue
        hits = (p[:, j][:, None] >= grid) & y[:, j][:, None]
        predicted = (p[:, j][:, None] >= grid).sum(axis=0)
        f1 = 2 * hits.sum(axis=0) / np.maximum(predicted + y[:, j].sum(), 1)
        cuts[j] = grid[int(np.argmax(f1))]
    return cuts


def shapes() -> list[Decoding]:
    """First stage: every cut at every level, up to three spans a paragraph, no bridging."""
    return [Decoding(cut, level, 3, 0) for level in LEVELS[:2] for cut in CUTS] + [Decoding(CUTS[0], "sentence", 1, 0)]


def refinements(shape: Decoding) -> list[Decoding]:
    """Second stage: how many spans a paragraph and how many words bridged, at the chosen shape."""
    if shape.level == "sentence":
        return [shape]
    return [Decoding(shape.cut, shape.level, runs, gap) for runs in RUNS for gap in GAPS]


def sums(active: Sequence[tuple[Scored, np.ndarray, list]], j: int, label: str, decoding: Decoding, languages: Sequence[str]) -> np.ndarray:
    """(languages, 3): PTC precision sum, recall sum and predicted count of technique j's spans
    over the `active` articles (article, its labelled paragraphs, its gold spans of j)."""
    out = np.zeros((len(languages), 3))
    for a, labelled, gold in active:
        spans = decode(a.document, a.words, a.inside[:, j], a.present[:, j], labelled, decoding, a.stop, a.clause)
        scores = span_scores({a.key: gold}, {a.key: [(label, start, end) for _, start, end in spans]})
        out[languages.index(a.language)] += (
            scores["precision"] * scores["predicted_spans"], scores["recall"] * scores["gold_spans"], scores["predicted_spans"]
        )
    return out


def mean_f1(total: np.ndarray, gold: np.ndarray) -> float:
    """Mean over languages of PTC F1 from summed (precision sum, recall sum, predicted count)."""
    precision = total[:, 0] / np.maximum(total[:, 2], 1)
    recall = total[:, 1] / np.maximum(gold, 1)
    f1 = np.where(precision + recall > 0, 2 * precision * recall / np.maximum(precision + recall, 1e-12), 0.0)
    return float(f1.mean())


def choose(articles: Sequence[Scored], labels: Sequence[str], cuts: np.ndarray) -> tuple[list[Decoding], dict]:
    """Per technique, the decoding of the set with the best language-averaged span F1 (see the
    module docstring), and a table of what each technique scores alone at its choice."""
    languages = sorted({a.language for a in articles})
    gold = np.array([sum(len(a.gold) for a in articles if a.language == lang) for lang in languages], dtype=float)
    grids: list[list[Decoding]] = []
    tables: list[np.ndarray] = []  # per technique: (decodings, languages, 3), what each adds
    alone: list[np.ndarray] = []
    for j, label in enumerate(labels):
        active = [(a, a.present[:, j] >= cuts[j], [s for s in a.gold if s[0] == label]) for a in articles]
        active = [item for item in active if item[1].any()]
        gold_j = np.array([sum(s[0] == label for a in articles if a.language == lang for s in a.gold) for lang in languages], dtype=float)
        grid = shapes()
        table = [sums(active, j, label, d, languages) for d in grid]
        shape = grid[int(np.argmax([mean_f1(t, gold_j) for t in table]))]
        for d in refinements(shape):
            if d not in grid:
                grid.append(d)
                table.append(sums(active, j, label, d, languages))
        grids.append(grid)
        tables.append(np.stack(table))
        alone.append(np.array([mean_f1(t, gold_j) for t in table]))
    picked = [int(np.argmax(scores)) for scores in alone]  # start from each technique's best alone
    for _ in range(PASSES):
        changed = False
        for j in range(len(labels)):
            rest = sum(tables[k][picked[k]] for k in range(len(labels)) if k != j)
            best = int(np.argmax([mean_f1(rest + t, gold) for t in tables[j]]))
            changed |= best != picked[j]
            picked[j] = best
        if not changed:
            break
    chosen = [grid[c] for grid, c in zip(grids, picked)]
    report = {
        label: {"cut": d.cut, "level": d.level, "max_runs": d.max_runs, "gap": d.gap, "label_cut": round(float(cuts[j]), 3),
                "span_f1_alone": round(float(alone[j][picked[j]]), 4)}
        for j, (label, d) in enumerate(zip(labels, chosen))
    }
    return chosen, report
