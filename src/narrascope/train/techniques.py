"""Train the techniques head: paragraph labels (micro-F1 over paragraph-technique pairs) and the
span lexicon that places them (span F1 with partial-overlap credit)."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from ..artifacts import save
from ..evaluate.metrics import span_scores
from ..calibration import pick_threshold
from ..components.techniques import SpanLexicon, locate, sentence_scores
from ..features import Featurizer, paragraph_dense, words
from ..linear import LinearHead
from ..taxonomy import TECHNIQUES
from . import _rhetoric as r
from .linear_heads import fit_one_vs_rest

VERSION = "1.1"
LABELS = list(TECHNIQUES)
MAX_TERMS = 20_000
NGRAM_WEIGHT = 1.0
C = 0.02
WORD_LEVEL_MAX_WORDS = 4  # techniques whose median training span is this short are tagged word by word
LEXICON_MIN_INSIDE = 2


def paragraph_rows(corpus: r.Corpus) -> tuple[np.ndarray, list[str], np.ndarray, np.ndarray, list[str]]:
    """Dense features, texts, 0/1 targets, languages and document keys, one row per paragraph."""
    dense, texts, targets, languages, groups = [], [], [], [], []
    for example, paragraph_texts, embeddings in zip(corpus.examples, corpus.texts, corpus.embeddings):
        dense.append(paragraph_dense(embeddings, paragraph_texts))
        texts.extend(paragraph_texts)
        for index in range(len(paragraph_texts)):
            gold = example.paragraph_techniques.get(index, [])
            targets.append([label in gold for label in LABELS])
        languages.extend([example.language] * len(paragraph_texts))
        groups.extend([f"{example.language}/{example.document.id}"] * len(paragraph_texts))
    return np.vstack(dense), texts, np.array(targets, dtype=int), np.array(languages), groups


def gold_spans_by_paragraph(example) -> dict[tuple[int, str], list[tuple[int, int]]]:
    """Gold spans keyed by (paragraph index, technique), clipped to their paragraph."""
    found = defaultdict(list)
    for technique, start, end in example.spans or []:
        for index, box in enumerate(example.document.paragraphs):
            a, b = max(start, box.start), min(end, box.end)
            if a < b:
                found[(index, technique)].append((a, b))
    return found


def word_membership(corpus: r.Corpus):
    """For each technique, every word of its gold paragraphs with whether a gold span covers it."""
    for example in corpus.examples:
        text = example.document.text
        for (index, technique), gold in gold_spans_by_paragraph(example).items():
            box = example.document.paragraphs[index]
            for a, b in words(text[box.start : box.end]):
                a, b = a + box.start, b + box.start
                yield technique, text[a:b].lower(), any(s < b and a < e for s, e in gold)


def fit_lexicon(corpus: r.Corpus) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Smoothed share of each word's occurrences (in paragraphs with the technique) that fall
    inside one of its spans; and the techniques short enough to tag word by word."""
    inside, total = Counter(), Counter()
    for technique, word, covered in word_membership(corpus):
        total[technique, word] += 1
        inside[technique, word] += covered
    rows = [(t, w, (inside[t, w] + 0.1) / (n + 1.0)) for (t, w), n in total.items() if inside[t, w] >= LEXICON_MIN_INSIDE]
    lengths = defaultdict(list)
    for example in corpus.examples:
        for technique, start, end in example.spans or []:
            lengths[technique].append(len(words(example.document.text[start:end])))
    word_level = [t for t in LABELS if lengths[t] and np.median(lengths[t]) <= WORD_LEVEL_MAX_WORDS]
    return (
        np.array([w for _, w, _ in rows], dtype=str),
        np.array([LABELS.index(t) for t, _, _ in rows], dtype=np.int16),
        np.array([s for _, _, s in rows], dtype=np.float32),
        word_level,
    )


def word_thresholds(corpus: r.Corpus, lexicon: SpanLexicon) -> np.ndarray:
    """Per technique, the lexicon score cut that best separates covered from uncovered words."""
    scores, covered = defaultdict(list), defaultdict(list)
    for technique, word, inside in word_membership(corpus):
        scores[technique].append(lexicon.table[technique].get(word, 0.0))
        covered[technique].append(inside)
    return np.array([pick_threshold(np.array(scores[t]), np.array(covered[t])) if scores[t] else 1.0 for t in LABELS])


def span_f1(
    corpus: r.Corpus, predicted: np.ndarray, lexicon: SpanLexicon, featurizer: Featurizer, head: LinearHead
) -> dict[str, float]:
    """Span F1 with partial-overlap credit (`evaluate.metrics.span_scores`) per language, for
    the paragraph labels in `predicted` (rows = the corpus's paragraphs in order)."""
    gold, guessed = [], []
    row = 0
    for example in corpus.examples:
        document = example.document
        scores = sentence_scores(document, featurizer, head)
        gold.append(example.spans or [])
        guessed.append([
            (LABELS[j], start, end)
            for index in range(len(document.paragraphs))
            for j in np.flatnonzero(predicted[row + index])
            for start, end in locate(document, index, j, LABELS[j], lexicon, scores)
        ])
        row += len(document.paragraphs)

    def score(rows: np.ndarray) -> float:
        chosen = np.flatnonzero(rows)
        return round(span_scores({i: gold[i] for i in chosen}, {i: guessed[i] for i in chosen})["f1"], 4)

    return r.per_language(score, corpus.languages)


def unseen_language_cap(targets: np.ndarray) -> int:
    """Most techniques a paragraph keeps in a language never trained on: the median count of
    gold techniques in a labelled validation paragraph. Such languages' embeddings lie off the
    training distribution and score many techniques at once (Georgian: ~6 per paragraph), so
    only the typical number of the most likely ones is kept."""
    counts = targets.sum(axis=1)
    return max(1, int(np.median(counts[counts > 0])))


def train(data: Path, out: Path, seed: int = 13) -> dict:
    fit, validation = r.load_corpora(data, lambda e: e.paragraph_techniques is not None)  # only subtask-3 articles carry techniques
    dense, texts, targets, _, _ = paragraph_rows(fit)
    featurizer = Featurizer.fit(dense, texts, MAX_TERMS, NGRAM_WEIGHT)
    head = fit_one_vs_rest(featurizer(dense, texts), targets, C, seed, class_weight="balanced")

    v_dense, v_texts, v_targets, v_languages, v_groups = paragraph_rows(validation)
    v_scores = head.scores(featurizer(v_dense, v_texts))
    decision = r.fit_decision(v_scores, v_targets, v_languages)
    report, predicted = r.multilabel_report(v_scores, v_targets, v_languages, v_groups)
    terms, owners, lexicon_scores, word_level = fit_lexicon(fit)
    lexicon = SpanLexicon(LABELS, terms, owners, lexicon_scores, np.ones(len(LABELS)), word_level)
    cuts = word_thresholds(validation, lexicon)
    lexicon = SpanLexicon(LABELS, terms, owners, lexicon_scores, cuts, word_level)

    card = r.card_basics("techniques", data, seed, LABELS, VERSION, fit, validation)
    card["model"] = {"features": "paragraph e5 + document mean e5 + style + word 1-2-gram tf-idf", "max_terms": MAX_TERMS, "C": C}
    card["thresholds"] = {"pooled": dict(zip(LABELS, decision.thresholds.round(4).tolist()))}
    card["unseen_language_cap"] = unseen_language_cap(v_targets)
    card["spans"] = {"word_level": word_level, "lexicon_size": int(len(terms)),
                     "others": "the paragraph's sentence the head scores highest"}
    card["validation"] = {
        "metric": "micro-F1 over (paragraph, technique) pairs; span F1 with partial-overlap credit",
        **report,
        "span_f1": span_f1(validation, predicted, lexicon, featurizer, head),
    }
    arrays = {
        **featurizer.arrays("paragraph"),
        **head.arrays("head"),
        **decision.arrays("head"),
        "lexicon_terms": terms,
        "lexicon_owners": owners,
        "lexicon_scores": lexicon_scores,
        "lexicon_word_thresholds": cuts.astype(np.float32),
    }
    save(out, arrays, card)
    return card
