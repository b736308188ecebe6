"""Persuasion techniques (SemEval-2023 Task 3, 23 labels) per paragraph, with spans.

Each paragraph is scored by one logistic regression per technique over its embedding, the
document's mean embedding, style ratios and word n-grams; calibrated probabilities above the
technique's threshold label the paragraph. Inside a labelled paragraph the evidence is placed two
ways: short techniques (Loaded_Language, Name_Calling-Labeling, Repetition) mark runs of words
from a lexicon learned from the training spans (how often each word lies inside a span of the
technique); the others mark the sentence the same head scores highest when it reads each
sentence of the paragraph as if it were the paragraph (the sentence vectors come from the shared
encoder pass, so this costs one small product).
"""

from __future__ import annotations

import numpy as np

from ..artifacts import load
from ..encoder import paragraph_embeddings, sentence_embeddings
from ..features import Featurizer, paragraph_dense, sentence_dense, words
from ..linear import LinearHead
from ..model import Analysis, Document, LabelScore, ParagraphTechniques, TechniqueSpan, TechniquesResult
from . import info, register
from ._heads import Decision, corpus_language, paragraph_inputs

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

    def word_runs(self, document: Document, paragraph: int, technique: str) -> list[tuple[int, int]]:
        """Runs of `technique`'s telling words in one paragraph (document offsets); none when the
        technique is not tagged word by word or the paragraph holds none of its words."""
        if technique not in self.word_level:
            return []
        box = document.paragraphs[paragraph]
        body = document.text[box.start : box.end]
        tokens = words(body)
        scores = self.word_scores(technique, body, tokens)
        if not tokens or scores.max() <= 0:
            return []
        return [(box.start + a, box.start + b) for a, b in self._word_runs(body, tokens, scores, technique)]

    def _word_runs(self, body, tokens, scores, technique) -> list[tuple[int, int]]:
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
        return [(a, b) for a, b, _ in sorted(strongest)]


def sentence_scores(document: Document, featurizer: Featurizer, head: LinearHead) -> np.ndarray:
    """The paragraph head's raw score of every technique for every sentence (rows follow
    `document.sentences`), each sentence read as if it were its paragraph."""
    if not document.sentences:
        return np.zeros((0, len(head.intercept)))
    texts = [document.text[s.start : s.end] for s in document.sentences]
    dense = sentence_dense(
        sentence_embeddings(document), texts, paragraph_embeddings(document), np.array([s.paragraph for s in document.sentences])
    )
    return head.scores(featurizer(dense, texts))


def locate(
    document: Document, paragraph: int, label: int, technique: str, lexicon: SpanLexicon, scores: np.ndarray
) -> list[tuple[int, int]]:
    """Evidence spans of a technique in a paragraph labelled with it: its words' runs, else the
    sentence of the paragraph that `scores` (from `sentence_scores`) rates highest for it."""
    runs = lexicon.word_runs(document, paragraph, technique)
    if runs:
        return runs
    rows = [k for k, s in enumerate(document.sentences) if s.paragraph == paragraph]
    if not rows:
        box = document.paragraphs[paragraph]
        return [(box.start, box.end)]
    best = document.sentences[max(rows, key=lambda k: scores[k, label])]
    return [(best.start, best.end)]


class Techniques:
    name = "techniques"

    def __init__(self, arrays: dict[str, np.ndarray], card: dict):
        self.version = card["version"]
        self.labels = tuple(card["labels"])
        self.featurizer = Featurizer.from_arrays(arrays, "paragraph")
        self.head = LinearHead.from_arrays(arrays, "head")
        self.decision = Decision.from_arrays(arrays, "head")
        self.unseen_language_cap = int(card["unseen_language_cap"])
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
        return self.decision.probabilities(self.head.scores(features))

    def __call__(self, analysis: Analysis) -> Analysis:
        document = analysis.document
        probabilities = self.paragraph_probabilities(document)
        language = corpus_language(document)
        cuts = self.decision.thresholds_for(language)
        cap = len(self.labels) if language else self.unseen_language_cap
        if language is None and len(probabilities):
            analysis.warnings.append(
                f"techniques: {document.language.code!r} was not in training; its paragraphs score high "
                f"on many techniques, so at most {cap} per paragraph are kept"
            )
        scores = sentence_scores(document, self.featurizer, self.head) if (probabilities >= cuts).any() else None
        paragraphs, spans = [], []
        for index, row in enumerate(probabilities):
            chosen = [j for j in np.argsort(-row) if row[j] >= cuts[j]][:cap]
            labels = [LabelScore(label=self.labels[j], score=round(float(row[j]), 4)) for j in chosen]
            paragraphs.append(ParagraphTechniques(paragraph=index, labels=labels))
            for j in chosen:
                for start, end in locate(document, index, j, self.labels[j], self.lexicon, scores):
                    spans.append(TechniqueSpan(start=start, end=end, label=self.labels[j], score=round(float(row[j]), 4), paragraph=index))
        analysis.results.techniques = TechniquesResult(component=info(self), paragraphs=paragraphs, spans=spans)
        return analysis


@register("techniques")
def create() -> Techniques:
    return Techniques(*load("techniques"))
