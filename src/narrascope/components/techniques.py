"""Persuasion techniques (SemEval-2023 Task 3, 23 labels) per paragraph, with spans.

Each paragraph is scored by one logistic regression per technique over its embedding, the
document's mean embedding, style ratios and word n-grams; calibrated probabilities above the
technique's threshold label the paragraph. Inside a labelled paragraph a lexicon learned from the
training spans (how often each word lies inside a span of the technique) places the evidence:
short techniques (Loaded_Language, Name_Calling-Labeling, Repetition) mark runs of words, the
others the sentence their words weigh most in.
"""

from __future__ import annotations

import numpy as np

from ..artifacts import load
from ..features import Featurizer, paragraph_dense, words
from ..linear import LinearHead
from ..model import Analysis, Document, LabelScore, ParagraphTechniques, TechniqueSpan, TechniquesResult
from . import info, register
from ._heads import Decision, corpus_language, linear_scores, paragraph_inputs

MAX_WORD_GAP = 3  # characters between two lexicon words that still join them into one span
MAX_WORD_RUNS = 1  # word-level spans kept per labelled paragraph: the strongest (measured best of 1-2)


class SpanLexicon:
    """Per technique: how likely each lower-cased word is to lie inside one of its spans."""

    def __init__(self, techniques: list[str], terms: np.ndarray, owners: np.ndarray, scores: np.ndarray,
                 word_thresholds: np.ndarray, word_level: list[str]):
        self.techniques = techniques
        self.table: dict[str, dict[str, float]] = {t: {} for t in techniques}
        for term, owner, score in zip(terms, owners, scores):
            self.table[techniques[owner]][str(term)] = float(score)
        self.word_thresholds = dict(zip(techniques, map(float, word_thresholds)))
        self.word_level = set(word_level)

    def word_scores(self, technique: str, text: str, spans: list[tuple[int, int]]) -> np.ndarray:
        table = self.table[technique]
        return np.array([table.get(text[a:b].lower(), 0.0) for a, b in spans], dtype=np.float32)

    def locate(self, document: Document, paragraph: int, technique: str) -> list[tuple[int, int, float]]:
        """Evidence spans `(start, end, weight)` for `technique` in one paragraph (offsets into
        the document text)."""
        box = document.paragraphs[paragraph]
        body = document.text[box.start : box.end]
        tokens = words(body)
        if not tokens:
            return []
        scores = self.word_scores(technique, body, tokens)
        if technique in self.word_level and scores.max() > 0:
            return [(box.start + a, box.start + b, w) for a, b, w in self._word_runs(body, tokens, scores, technique)]
        return [self._best_sentence(document, paragraph, tokens, scores)]

    def _word_runs(self, body, tokens, scores, technique):
        hits = scores >= self.word_thresholds[technique]
        if not hits.any():  # the paragraph is labelled: point at its most telling word
            hits = scores >= scores.max()
        runs: list[list] = []
        for (a, b), score, hit in zip(tokens, scores, hits):
            if not hit:
                continue
            if runs and a - runs[-1][1] <= MAX_WORD_GAP and not body[runs[-1][1] : a].strip(" -'’"):
                runs[-1][1], runs[-1][2] = b, max(runs[-1][2], score)
            else:
                runs.append([a, b, score])
        strongest = sorted(runs, key=lambda run: -run[2])[:MAX_WORD_RUNS]
        return [tuple(run) for run in sorted(strongest)]

    def _best_sentence(self, document, paragraph, tokens, scores):
        box = document.paragraphs[paragraph]
        units = [(s.start, s.end) for s in document.sentences if s.paragraph == paragraph] or [(box.start, box.end)]
        starts = np.array([box.start + a for a, _ in tokens])

        def weight(unit):
            inside = scores[(starts >= unit[0]) & (starts < unit[1])]
            return float(np.sort(inside)[-3:].mean()) if len(inside) else 0.0

        best = max(units, key=weight)
        return best[0], best[1], weight(best)


class Techniques:
    name = "techniques"

    def __init__(self, arrays: dict[str, np.ndarray], card: dict):
        self.version = card["version"]
        self.labels = tuple(card["labels"])
        self.featurizer = Featurizer.from_arrays(arrays, "paragraph")
        self.head = LinearHead.from_arrays(arrays, "head")
        self.decision = Decision.from_arrays(arrays, "head")
        self.lexicon = SpanLexicon(
            list(self.labels),
            arrays["lexicon_terms"],
            arrays["lexicon_owners"],
            arrays["lexicon_scores"],
            arrays["lexicon_word_thresholds"],
            card["spans"]["word_level"],
        )

    def paragraph_probabilities(self, document: Document) -> np.ndarray:
        """Calibrated probability of every technique in every paragraph (rows follow paragraphs)."""
        texts, embeddings = paragraph_inputs(document)
        if not texts:
            return np.zeros((0, len(self.labels)))
        features = self.featurizer(paragraph_dense(embeddings, texts), texts)
        return self.decision.probabilities(linear_scores(self.head, features))

    def __call__(self, analysis: Analysis) -> Analysis:
        document = analysis.document
        probabilities = self.paragraph_probabilities(document)
        cuts = self.decision.thresholds_for(corpus_language(document))
        paragraphs, spans = [], []
        for index, row in enumerate(probabilities):
            chosen = [j for j in np.argsort(-row) if row[j] >= cuts[j]]
            labels = [LabelScore(label=self.labels[j], score=round(float(row[j]), 4)) for j in chosen]
            paragraphs.append(ParagraphTechniques(paragraph=index, labels=labels))
            for j in chosen:
                for start, end, _ in self.lexicon.locate(document, index, self.labels[j]):
                    spans.append(TechniqueSpan(start=start, end=end, label=self.labels[j], score=round(float(row[j]), 4), paragraph=index))
        analysis.results.techniques = TechniquesResult(component=info(self), paragraphs=paragraphs, spans=spans)
        return analysis


@register("techniques")
def create() -> Techniques:
    return Techniques(*load("techniques"))
