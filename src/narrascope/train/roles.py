"""Train the entity-role heads and the mention gazetteer (SemEval-2025 Task 10, subtask 1).

Fit on the fixed fit part (gold mentions); pick the fine-role cut on the validation part for
the task's exact-match score; report main-role accuracy and fine-role exact match per language on
gold mentions, and how many annotated mentions the mention finder recovers on validation.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np

from ..artifacts import data_hash, save
from ..components.entities import FINE_ROLE_LABELS, Entities, mention_paragraphs, role_features
from ..components.narratives import LEAD_PARAGRAPHS, lead_features
from ..encoder import NAME as ENCODER_NAME
from ..evaluate.datasets import read_semeval2025
from ..mentions import Gazetteer, find_mentions, tokenize
from ..model import Analysis, Span
from ..taxonomy import MAIN_ROLES
from .linear_heads import calibration_error, fit_multinomial, fit_one_vs_rest, paragraph_vectors

VERSION = "1.0"
REGULARISATION = 16.0  # chosen on validation (1 and 16 tried)
FINE_CUTS = np.round(np.arange(0.1, 0.96, 0.05), 2)
COMMON_WORD_COUNT = 3
ROLE_THRESHOLD = 0.0  # every salient entity gets its most likely role (no learnt gate yet)


def _rows(examples) -> tuple[np.ndarray, list[str], np.ndarray, list]:
    features, main, fine, where = [], [], [], []
    for example in examples:
        if not example.mentions:
            continue
        document = example.document
        spans = [Span(start=m.start, end=m.end) for m in example.mentions]
        context = paragraph_vectors(document, mention_paragraphs(document, spans))
        lead = lead_features(paragraph_vectors(document, range(min(LEAD_PARAGRAPHS, len(document.paragraphs)))))
        features.append(role_features([m.text for m in example.mentions], context, lead))
        for mention in example.mentions:
            main.append(mention.main_role)
            fine.append([label in mention.fine_roles for label in FINE_ROLE_LABELS])
            where.append((example, mention))
    return np.vstack(features), main, np.array(fine, dtype=np.int8), where


def train(data: Path, out: Path, seed: int = 13) -> dict:
    examples = list(read_semeval2025(data, split="train"))
    fit = [e for e in examples if e.part == "fit"]
    validation = [e for e in examples if e.part == "validation"]
    fit_x, fit_main, fit_fine, _ = _rows(fit)
    main_head = fit_multinomial(fit_x, list(MAIN_ROLES), fit_main, REGULARISATION, seed)
    fine_head = fit_one_vs_rest(fit_x, fit_fine, REGULARISATION, seed)
    arrays = {**main_head.arrays("main"), **fine_head.arrays("fine"), **_gazetteer_arrays(fit)}
    card = {
        "version": VERSION,
        "task": "roles",
        "encoder": ENCODER_NAME,
        "features": "paragraph vector, mention-text vector, document mean vector",
        "data": {"path": str(data), "hash": data_hash(sorted(Path(data).rglob("*.txt"))),
                 "fit_mentions": len(fit_main), "gazetteer_names": len(arrays["gazetteer_surfaces"])},
        "seed": seed,
        "regularisation": REGULARISATION,
        "role_threshold": ROLE_THRESHOLD,
        "fine_threshold": 0.5,
    }
    model = Entities(arrays, card)
    predictions = {cut: _predict(model, validation, cut) for cut in FINE_CUTS}
    best_cut = max(FINE_CUTS, key=lambda cut: _exact_match(predictions[cut])["all"])
    card["fine_threshold"] = float(best_cut)
    card["fine_threshold_picked_on"] = "validation part (fine-role exact match)"
    card["validation"] = _report(predictions[best_cut], model, validation)
    save(out, arrays, card)
    return card


def _gazetteer_arrays(examples) -> dict[str, np.ndarray]:
    """The names annotated in `examples` with their counts, and the corpus's common words."""
    surfaces = Counter(m.text.strip() for e in examples for m in e.mentions or [])
    names = sorted(surfaces)
    return {
        "gazetteer_surfaces": np.array(names),
        "gazetteer_counts": np.array([surfaces[name] for name in names], dtype=np.int32),
        "common_words": np.array(_common_words(examples)),
    }


def _common_words(examples, min_count: int = COMMON_WORD_COUNT) -> list[str]:
    """Words the corpus writes in lowercase often: capitalised, they only open a sentence."""
    counts = Counter(t.text for e in examples for t in tokenize(e.document.text) if t.text[:1].islower())
    return sorted(word for word, n in counts.items() if n >= min_count)


def _predict(model: Entities, examples, cut: float) -> list[tuple[str, object, object]]:
    model.fine_threshold = cut
    pairs = []
    for example in examples:
        if not example.mentions:
            continue
        spans = [Span(start=m.start, end=m.end) for m in example.mentions]
        predicted = model.predict_roles(Analysis(document=example.document), spans)
        pairs.extend((example.language, gold, guess) for gold, guess in zip(example.mentions, predicted))
    return pairs


def _exact_match(pairs) -> dict[str, float]:
    by_language: dict[str, list[bool]] = {}
    for language, gold, guess in pairs:
        hit = {r.label for r in guess.fine_roles} == set(gold.fine_roles)
        by_language.setdefault(language, []).append(hit)
        by_language.setdefault("all", []).append(hit)
    return {language: round(float(np.mean(hits)), 4) for language, hits in by_language.items()}


def _report(pairs, model: Entities, validation) -> dict:
    exact = _exact_match(pairs)
    report: dict = {}
    for language in sorted({p[0] for p in pairs}) + ["all"]:
        rows = [p for p in pairs if language in ("all", p[0])]
        report[language] = {
            "mentions": len(rows),
            "main_role_accuracy": round(float(np.mean([g.main_role == p.main_role for _, g, p in rows])), 4),
            "fine_role_exact_match": exact[language],
        }
    probabilities = np.array([[p.main_role_scores[r] for r in MAIN_ROLES] for _, _, p in pairs])
    gold = np.array([[g.main_role == r for r in MAIN_ROLES] for _, g, _ in pairs])
    report["all"]["ece_main_role"] = calibration_error(probabilities, gold)
    report["all"]["mention_finder_recall"] = _finder_recall(model.gazetteer, validation)
    return report


def _finder_recall(gazetteer: Gazetteer, examples) -> dict[str, float]:
    """Share of annotated mentions that a found mention covers exactly / overlaps."""
    exact = overlap = total = 0
    for example in examples:
        found = find_mentions(example.document, gazetteer)
        spans = {(f.start, f.end) for f in found}
        for m in example.mentions:
            total += 1
            exact += (m.start, m.end) in spans
            overlap += any(f.start < m.end and m.start < f.end for f in found)
    return {"exact": round(exact / max(total, 1), 4), "overlap": round(overlap / max(total, 1), 4)}
