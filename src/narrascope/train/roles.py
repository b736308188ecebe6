"""Train the entity-role heads and the mention gazetteer (SemEval-2025 Task 10, subtask 1).

`fit` learns the heads on the gold mentions of the examples it is given. The name prior a
mention reads is learnt on the other folds of the documents, so the heads learn how far to
trust a prior that has not seen the article (as at inference). From recipe 1.3 they also read the
document's stance (`entities.DocumentStance`): a narratives head learnt here on the documents'
own narrative annotations, read out of fold by the training rows for the same reason. The fine-role cut is picked for
the task's exact-match score on out-of-fold predictions (heads refitted on the other half of
the documents); the card's cross-fitted scores decide each half with the cut picked on the
other half. From recipe 1.4 the rows also read each mention's token states in context, and the
fine roles are a softmax within each main role (`components.entities`). The card also says how
many annotated mentions the mention finder recovers.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from ..artifacts import Artifact, data_hash, save
from ..components.entities import (
    FINE_ROLE_LABELS,
    FINE_ROLES,
    PRIOR_SMOOTHING,
    ROLE_LANGUAGES,
    DocumentStance,
    NamePrior,
    cast,
    document_vector,
    fine_probabilities,
    gazetteer_from_arrays,
    role_features,
)
from ..encoder import DIM
from ..encoder import NAME as ENCODER_NAME
from ..errors import DatasetError
from ..evaluate.datasets import SEMEVAL2025, Example, read_semeval2025
from ..linear import LinearHead
from ..mentions import find_mentions, tokenize
from ..model import Span
from ..taxonomy import MAIN_ROLES
from .linear_heads import ABSENT_LABEL_INTERCEPT, calibration_error, fit_multinomial, fit_one_vs_rest, halves
from .protocol import trained_on

VERSION = "1.5"
# 1.5: 1.4 with the language one-hot kept for fitting only: it absorbs each language's annotation
# habits there and is left out of the served heads (served, a one-hot learnt from a language's few
# sources carried their habits to its other sources: cross-source Portuguese PT 0.185 -> 0.322)
# 1.4: 1.2 plus the document's stance (its narrative probabilities, alone and crossed with the
# name's role prior), each mention's token states in context (`entities.in_context_vectors`), and
# fine roles from a softmax within each main role, learnt on that main role's mentions (1.3 had the
# stance alone)
# 1.2: 1.1's heads on encoder v2's vectors, trained on fit + validation, the fine-role cut picked on
# out-of-fold predictions of the training documents (1.1 picked it on the validation part)
RECIPES = ("1.5", "1.4", "1.2")
REGULARISATION = 2.0  # chosen on validation (0.5, 1, 2, 4, 16 and 64 tried)
STANCE_REGULARISATION = 1.0
PRIOR_FOLDS = 5
FINE_CUTS = np.round(np.arange(0.1, 0.96, 0.05), 2)
COMMON_WORD_COUNT = 3
ROLE_THRESHOLD = 0.0  # every salient entity gets its most likely role (no learnt gate yet)


def name_prior(examples) -> NamePrior:
    """The role prior of every name annotated in `examples`."""
    mentions = [m for e in examples for m in e.mentions or []]
    return NamePrior.learn([m.text for m in mentions], [m.main_role for m in mentions])


def _fold(example) -> int:
    return hashlib.sha256(f"{example.language}/{example.document_id}".encode()).digest()[1] % PRIOR_FOLDS


def stance_labels(examples) -> tuple[str, ...]:
    """The narratives annotated on `examples` (none: the recipe reads no stance)."""
    return tuple(sorted({label for e in examples for label in e.narratives or []}))


def document_stance(examples, labels: Sequence[str], seed: int = 13) -> DocumentStance:
    """The narratives head learnt on the annotated documents among `examples`; a head that never
    fires when none is annotated."""
    annotated = [e for e in examples if e.narratives]
    if not annotated:
        silent = LinearHead(np.zeros((len(labels), 2 * DIM), np.float32), np.full(len(labels), ABSENT_LABEL_INTERCEPT, np.float32))
        return DocumentStance(silent, tuple(labels))
    x = np.vstack([document_vector(e.document) for e in annotated])
    y = np.array([[label in e.narratives for label in labels] for e in annotated], dtype=np.int8)
    return DocumentStance(fit_one_vs_rest(x, y, STANCE_REGULARISATION, seed), tuple(labels))


def _rows(
    examples, stance: bool = True, seed: int = 13, in_context: bool = False, languages: Sequence[str] = (),
    absorbed: Sequence[str] = (),
) -> tuple[np.ndarray, list[str], np.ndarray, list[tuple[Example, object]]]:
    """Features and targets of every gold mention, each reading the prior (and, with `stance`,
    the narratives head) of the other folds, and the (example, gold mention) each row stands for.
    `languages` is the served one-hot (`role_features`); with `absorbed`, each row ends with a
    one-hot of its document's language among them, columns the heads fit with and are served
    without (`_served`)."""
    priors = [name_prior([e for e in examples if _fold(e) != fold]) for fold in range(PRIOR_FOLDS)]
    labels = stance_labels(examples) if stance else ()
    stances = [document_stance([e for e in examples if _fold(e) != fold], labels, seed) if labels else None for fold in range(PRIOR_FOLDS)]
    features, main, fine, owners = [], [], [], []
    for example in examples:
        if not example.mentions:
            continue
        spans = [Span(start=m.start, end=m.end) for m in example.mentions]
        context = stances[_fold(example)]
        probabilities = context.probabilities(example.document) if context else None
        rows = role_features(example.document, spans, priors[_fold(example)], probabilities, in_context, languages)
        if absorbed:
            language = np.array([example.language == known for known in absorbed], dtype=np.float32)
            rows = np.hstack([rows, np.tile(language, (len(spans), 1))])
        features.append(rows)
        for mention in example.mentions:
            main.append(mention.main_role)
            fine.append([label in mention.fine_roles for label in FINE_ROLE_LABELS])
            owners.append((example, mention))
    return np.vstack(features), main, np.array(fine, dtype=np.int8), owners


def _heads(
    x: np.ndarray, main: Sequence[str], fine: np.ndarray, seed: int, within_main_role: bool, start: LinearHead | None = None
):
    main_head = fit_multinomial(x, list(MAIN_ROLES), list(main), REGULARISATION, seed)
    if within_main_role:
        return main_head, _fit_within_main_roles(x, main, fine, seed)
    return main_head, fit_one_vs_rest(x, fine, REGULARISATION, seed, start=start)


def _served(heads: tuple[LinearHead, LinearHead], width: int) -> tuple[LinearHead, LinearHead]:
    """The heads without the fitting-only columns past `width`: there a language's column absorbed
    what its annotators and outlets do alike, so the rest of the head learnt what holds across
    them, which is what an article from a new outlet gets."""
    return tuple(LinearHead(head.coef[:, :width], head.intercept) for head in heads)


def _fit_within_main_roles(x: np.ndarray, main: Sequence[str], fine: np.ndarray, seed: int) -> LinearHead:
    """One softmax regression per main role over its own fine roles, learnt on the mentions of
    that main role (a mention with two fine roles is a row for each), stored as one head whose
    columns `entities.fine_probabilities` normalises within each main role. A fine role never
    annotated keeps ABSENT_LABEL_INTERCEPT; a main role with one fine role seen always gives it."""
    coef = np.zeros((len(FINE_ROLE_LABELS), x.shape[1]), dtype=np.float32)
    intercept = np.full(len(FINE_ROLE_LABELS), ABSENT_LABEL_INTERCEPT, dtype=np.float32)
    for role, labels in FINE_ROLES.items():
        columns = np.array([FINE_ROLE_LABELS.index(label) for label in labels])
        mentions = np.flatnonzero(np.asarray(main) == role)
        row, picked = np.nonzero(fine[np.ix_(mentions, columns)])  # one pair per (mention, fine role)
        rows, classes = mentions[row], columns[picked]
        seen = sorted(set(classes.tolist()))
        intercept[seen] = 0.0
        if len(seen) < 2:
            continue
        model = LogisticRegression(C=REGULARISATION, max_iter=3000, random_state=seed).fit(x[rows], classes)
        if len(seen) == 2:  # scikit-learn keeps one column for two classes: the second's log-odds
            coef[seen[1]], intercept[seen[1]] = model.coef_[0], model.intercept_[0]
        else:
            coef[model.classes_], intercept[model.classes_] = model.coef_, model.intercept_
    return LinearHead(coef, intercept)


def fit(examples: Sequence[Example], seed: int = 13, recipe: str = RECIPES[0]) -> dict[str, Artifact]:
    """The role heads, name prior and gazetteer learnt on the labelled `examples` (any languages,
    any parts), with the fine-role cut picked on their out-of-fold predictions."""
    if recipe not in RECIPES:
        raise ValueError(f"unknown roles recipe {recipe!r}; known: {', '.join(RECIPES)}")
    # documents without mentions still teach the common words; mentions without roles (a
    # mentions-only file) teach nothing
    examples = sorted(
        (e for e in examples if not e.mentions or e.mentions[0].main_role), key=lambda e: (e.language, e.document_id)
    )
    if sum(bool(e.mentions) for e in examples) < 4:
        raise DatasetError(
            "roles: too few documents with mentions with roles (subtask-1-annotations.txt) to fit the heads and their cut "
            "(at least 4)"
        )
    stance = recipe != "1.2"
    in_context = within_main_role = recipe != "1.2"
    absorbed = sorted({e.language for e in examples if e.mentions}) if recipe == "1.5" else []
    languages = () if absorbed else ROLE_LANGUAGES
    x, main, fine, owners = _rows(examples, stance, seed, in_context, languages, absorbed)
    width = x.shape[1] - len(absorbed)
    main_head, fine_head = _served(_heads(x, main, fine, seed, within_main_role), width)
    arrays = {**main_head.arrays("main"), **fine_head.arrays("fine"), **_gazetteer_arrays(examples), **name_prior(examples).arrays()}
    labels = stance_labels(examples) if stance else ()
    if labels:
        arrays.update(document_stance(examples, labels, seed).arrays())
    # out of fold: each half's mentions predicted by heads refitted on the other half's documents
    half = halves([f"{e.language}/{e.document_id}" for e, _ in owners])
    main_p = np.zeros((len(owners), len(MAIN_ROLES)))
    fine_p = np.zeros(fine.shape)
    for h in (0, 1):
        inside = half != h
        m, f = _served(_heads(x[inside], [r for r, keep in zip(main, inside) if keep], fine[inside], seed,
                              within_main_role, start=fine_head), width)
        served = x[~inside][:, :width]
        main_p[~inside], fine_p[~inside] = m.softmax(served), fine_probabilities(f, served, within_main_role)
    predictions = {cut: _cast(owners, main_p, fine_p, cut) for cut in FINE_CUTS}
    card = {
        "version": VERSION,
        "recipe": recipe,
        "task": "roles",
        "encoder": ENCODER_NAME,
        "features": "sentence and mention-text vectors, pooled lead vector, "
        + ("document stance (narrative probabilities, and each crossed with the name's role prior shares), " if labels else "")
        + "name role prior (smoothed shares, log count)"
        + (", language one-hot" if languages else "")
        + (", the mention's token states in context (mean, L2-normalised)" if in_context else ""),
        "in_context_mentions": in_context,
        "language_one_hot": list(languages),
        "language_absorbed": {
            "languages": list(absorbed),
            "how": "a one-hot of each document's language while fitting, absorbing what its annotators and "
            "outlets do alike; left out of the served heads",
        }
        if absorbed
        else None,
        "fine_head": "softmax within each main role" if within_main_role else "one-vs-rest",
        "languages": list(ROLE_LANGUAGES),
        "documents": len(examples),
        "mentions": len(main),
        "gazetteer_names": len(arrays["gazetteer_surfaces"]),
        "prior_names": len(arrays["prior_names"]),
        "seed": seed,
        "regularisation": REGULARISATION,
        "prior_smoothing": PRIOR_SMOOTHING,
        "prior_folds": PRIOR_FOLDS,
        "stance": {
            "narratives": len(labels),
            "regularisation": STANCE_REGULARISATION,
            "learnt_on": "the narrative annotations of the same documents; training rows read the head of the other prior folds",
        }
        if labels
        else None,
        "role_threshold": ROLE_THRESHOLD,
        "fine_threshold": float(_best_cut(predictions, lambda example: True)),
        "fine_threshold_picked_on": "out-of-fold predictions of the training documents (fine-role exact match)",
    }
    card["cross_fitted"] = _report(_cross_fitted(predictions, half), main_p, examples)
    card["cross_fitted"]["how"] = "out-of-fold predictions; each half's fine-role cut picked on the other half"
    return {"roles": (arrays, card)}


def _cast(owners, main_p: np.ndarray, fine_p: np.ndarray, cut: float) -> list[tuple]:
    """(example, gold mention, predicted mention) for every row."""
    return [
        (example, gold, cast(example.document, [Span(start=gold.start, end=gold.end)], main_p[i : i + 1], fine_p[i : i + 1], cut)[0])
        for i, (example, gold) in enumerate(owners)
    ]


def train(data: Path, out: Path, seed: int = 13) -> dict:
    """The shipped heads: `fit` on every labelled document of the training split."""
    examples = list(read_semeval2025(data, split="train"))
    if not any(e.mentions for e in examples):
        raise DatasetError(f"{data}: no mentions with roles (subtask-1-annotations.txt)")
    arrays, card = fit(examples, seed)["roles"]
    card["trained_on"] = trained_on(SEMEVAL2025, [e for e in examples if e.mentions])
    card["data"] = {"path": str(data), "hash": data_hash(sorted(Path(data).rglob("*.txt")))}
    save(out, arrays, card)
    return card


def _best_cut(predictions: dict, keep) -> float:
    """The fine-role cut with the best exact match over the examples `keep` selects."""
    return max(FINE_CUTS, key=lambda cut: _exact_match([p for p in predictions[cut] if keep(p[0])])["all"])


def _cross_fitted(predictions: dict, half: np.ndarray) -> list:
    """Every mention predicted with the cut picked on the other half's documents."""
    cuts = {h: _best_cut({cut: [p for p, k in zip(pairs, half) if k != h] for cut, pairs in predictions.items()}, lambda e: True) for h in (0, 1)}
    return [predictions[cuts[k]][i] for i, k in enumerate(half)]


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


def _exact_match(pairs) -> dict[str, float]:
    by_language: dict[str, list[bool]] = {}
    for example, gold, guess in pairs:
        language = example.language
        hit = {r.label for r in guess.fine_roles} == set(gold.fine_roles)
        by_language.setdefault(language, []).append(hit)
        by_language.setdefault("all", []).append(hit)
    return {language: round(float(np.mean(hits)), 4) for language, hits in by_language.items()}


def _report(pairs, main_p: np.ndarray, examples) -> dict:
    exact = _exact_match(pairs)
    report: dict = {}
    languages = sorted({example.language for example, _, _ in pairs})
    for language in languages + ["all"]:
        rows = [p for p in pairs if language in ("all", p[0].language)]
        report[language] = {
            "mentions": len(rows),
            "main_role_accuracy": round(float(np.mean([g.main_role == p.main_role for _, g, p in rows])), 4),
            "fine_role_exact_match": exact[language],
        }
    report["mean_over_languages"] = {
        metric: round(float(np.mean([report[language][metric] for language in languages])), 4)
        for metric in ("main_role_accuracy", "fine_role_exact_match")
    }
    gold = np.array([[g.main_role == r for r in MAIN_ROLES] for _, g, _ in pairs])
    report["all"]["ece_main_role"] = calibration_error(main_p, gold)
    report["all"]["mention_finder_recall"] = _finder_recall(examples)
    return report


def _finder_recall(examples) -> dict[str, float]:
    """Share of annotated mentions that a found mention covers exactly / overlaps, each half of
    the documents searched with the gazetteer learnt on the other half."""
    half = dict(zip((id(e) for e in examples), halves([f"{e.language}/{e.document_id}" for e in examples])))
    exact = overlap = total = 0
    for h in (0, 1):
        gazetteer = gazetteer_from_arrays(_gazetteer_arrays([e for e in examples if half[id(e)] != h]))
        for example in (e for e in examples if half[id(e)] == h and e.mentions):
            found = find_mentions(example.document, gazetteer)
            spans = {(f.start, f.end) for f in found}
            for m in example.mentions:
                total += 1
                exact += (m.start, m.end) in spans
                overlap += any(f.start < m.end and m.start < f.end for f in found)
    return {"exact": round(exact / max(total, 1), 4), "overlap": round(overlap / max(total, 1), 4)}
