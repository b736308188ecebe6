"""The shared tasks' metrics, on plain dicts keyed by document ID (gold and predictions alike).

Each function takes `gold` and `predicted` mappings (a missing prediction counts as an empty
or wrong one; a prediction for a document without gold is ignored) and returns a dict of named
values. Definitions follow the organisers' scorers; where they leave a choice open the choice
is written in the docstring. Probabilities are judged by `expected_calibration_error`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence

import numpy as np

Key = Hashable


def _f1(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    """(precision, recall, F1); 0 where undefined (nothing predicted or nothing to find)."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


# --- single-label: genre ------------------------------------------------------------------


def single_label_scores(gold: Mapping[Key, str], predicted: Mapping[Key, str | None]) -> dict[str, float]:
    """SemEval-2023 subtask 1: macro-F1 (official), micro-F1 and accuracy. As scikit-learn's
    `f1_score` with default labels, the classes are those in gold or predictions, so an unknown
    predicted label is a class of its own with F1 0; a missing prediction is simply wrong."""
    pairs = [(label, predicted.get(key)) for key, label in gold.items()]
    classes = sorted({g for g, _ in pairs} | {p for _, p in pairs if p is not None})
    per_class = []
    for label in classes:
        tp = sum(g == label and p == label for g, p in pairs)
        fp = sum(g != label and p == label for g, p in pairs)
        fn = sum(g == label and p != label for g, p in pairs)
        per_class.append(_f1(tp, fp, fn)[2])
    correct = sum(g == p for g, p in pairs)
    accuracy = correct / len(pairs) if pairs else 0.0
    answered = sum(p is not None for _, p in pairs)
    micro = _f1(correct, answered - correct, len(pairs) - correct)[2]
    return {
        "macro_f1": float(np.mean(per_class)) if per_class else 0.0,
        "micro_f1": micro,
        "accuracy": accuracy,
        "documents": len(pairs),
    }


# --- multi-label: frames, paragraph techniques ---------------------------------------------


def multi_label_scores(gold: Mapping[Key, Iterable[str]], predicted: Mapping[Key, Iterable[str]]) -> dict[str, float]:
    """Micro-F1 over (item, label) pairs (official for frames and paragraph techniques), with
    micro precision/recall and macro-F1 over labels in gold or predictions. Items are documents
    (frames) or (document, line) pairs (techniques). An unknown predicted label is a false
    positive."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for key, labels in gold.items():
        truth, guess = set(labels), set(predicted.get(key, ()))
        tp.update(truth & guess)
        fp.update(guess - truth)
        fn.update(truth - guess)
    precision, recall, micro = _f1(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    labels = set(tp) | set(fp) | set(fn)
    macro = [_f1(tp[label], fp[label], fn[label])[2] for label in labels]
    return {
        "micro_f1": micro,
        "micro_precision": precision,
        "micro_recall": recall,
        "macro_f1": float(np.mean(macro)) if macro else 0.0,
        "items": len(gold),
    }


# --- technique spans -----------------------------------------------------------------------

Span = tuple[str, int, int]  # (technique, start, end), end exclusive


def span_scores(gold: Mapping[Key, Sequence[Span]], predicted: Mapping[Key, Sequence[Span]]) -> dict[str, float]:
    """Span F1 with partial-overlap credit, as the SemEval-2020 Task 11 (PTC) scorer:
    precision = (1/|P|) sum over predicted p, gold g of the same document and technique of
    |p ∩ g| / |p|; recall = (1/|G|) the same sum divided by |g|. Documents without gold are
    ignored, like every metric here."""
    precision_sum = recall_sum = 0.0
    predicted_count = gold_count = 0
    for key, truth in gold.items():
        guesses = [s for s in predicted.get(key, ()) if s[2] > s[1]]
        truth = [s for s in truth if s[2] > s[1]]
        predicted_count += len(guesses)
        gold_count += len(truth)
        for label, start, end in guesses:
            for gold_label, gold_start, gold_end in truth:
                if gold_label != label:
                    continue
                overlap = min(end, gold_end) - max(start, gold_start)
                if overlap > 0:
                    precision_sum += overlap / (end - start)
                    recall_sum += overlap / (gold_end - gold_start)
    precision = precision_sum / predicted_count if predicted_count else 0.0
    recall = recall_sum / gold_count if gold_count else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": f1, "precision": precision, "recall": recall, "gold_spans": gold_count, "predicted_spans": predicted_count}


# --- narratives: F1-samples ----------------------------------------------------------------


def samples_f1(gold: Mapping[Key, Iterable[str]], predicted: Mapping[Key, Iterable[str]]) -> tuple[float, float]:
    """Mean and standard deviation over documents of each document's F1 between its gold and
    predicted label sets (the organisers' F1-samples; both sets empty counts 1)."""
    scores = []
    for key, labels in gold.items():
        truth, guess = set(labels), set(predicted.get(key, ()))
        if not truth and not guess:
            scores.append(1.0)
        else:
            scores.append(2 * len(truth & guess) / (len(truth) + len(guess)))
    if not scores:
        return 0.0, 0.0
    return float(np.mean(scores)), float(np.std(scores))


def narrative_scores(
    gold: Mapping[Key, tuple[Iterable[str], Iterable[str]]],
    predicted: Mapping[Key, tuple[Iterable[str], Iterable[str]]],
) -> dict[str, float]:
    """SemEval-2025 subtask 2: F1-samples on subnarratives (fine, official ranking) and on
    narratives (coarse), each with its standard deviation. Values are (narratives, subnarratives)."""
    coarse = samples_f1({k: v[0] for k, v in gold.items()}, {k: v[0] for k, v in predicted.items()})
    fine = samples_f1({k: v[1] for k, v in gold.items()}, {k: v[1] for k, v in predicted.items()})
    return {
        "f1_samples_fine": fine[0],
        "f1_samples_fine_std": fine[1],
        "f1_samples_coarse": coarse[0],
        "f1_samples_coarse_std": coarse[1],
        "documents": len(gold),
    }


# --- entity roles --------------------------------------------------------------------------

Role = tuple  # (..., main role, fine roles): the last two items, e.g. (entity, main, fine)


def role_scores(gold: Mapping[Key, Role], predicted: Mapping[Key, Role]) -> dict[str, float]:
    """SemEval-2025 subtask 1, keyed by mention (document, start, end): exact-match ratio of the
    fine-role sets (official), micro precision/recall/F1 over fine roles, main-role accuracy, and
    the exact match among mentions whose main role is right (exact match = main-role accuracy x
    that share: it tells fine-role errors from main-role ones). A mention without prediction has
    no roles."""
    exact = main = exact_and_main = 0
    tp = fp = fn = 0
    for key, value in gold.items():
        gold_main, gold_fine = value[-2:]
        guess_main, guess_fine = predicted.get(key, (None, ()))[-2:]
        truth, guess = set(gold_fine), set(guess_fine)
        exact += truth == guess
        main += gold_main == guess_main
        exact_and_main += truth == guess and gold_main == guess_main
        tp += len(truth & guess)
        fp += len(guess - truth)
        fn += len(truth - guess)
    count = len(gold)
    precision, recall, f1 = _f1(tp, fp, fn)
    return {
        "exact_match_ratio": exact / count if count else 0.0,
        "fine_micro_f1": f1,
        "fine_micro_precision": precision,
        "fine_micro_recall": recall,
        "main_role_accuracy": main / count if count else 0.0,
        "exact_match_when_main_right": exact_and_main / main if main else 0.0,
        "mentions": count,
    }


# --- explanations --------------------------------------------------------------------------

_TOKEN = re.compile(r"\w+")


def token_f1(gold_text: str, predicted_text: str) -> float:
    """Bag-of-words overlap F1 between two texts (lower-cased word tokens, SQuAD-style)."""
    truth = Counter(_TOKEN.findall(gold_text.lower()))
    guess = Counter(_TOKEN.findall(predicted_text.lower()))
    common = sum((truth & guess).values())
    if not truth and not guess:
        return 1.0
    if not common:
        return 0.0
    precision, recall = common / sum(guess.values()), common / sum(truth.values())
    return 2 * precision * recall / (precision + recall)


def explanation_scores(
    gold: Mapping[Key, str], predicted: Mapping[Key, str], embed=None
) -> dict[str, float]:
    """SemEval-2025 subtask 3 stand-ins: mean token-overlap F1 and, when `embed` (texts ->
    L2-normalised rows, e.g. `narrascope.encoder.get_encoder().encode`) is given, mean cosine
    similarity of the embeddings. NOT the official BERTScore, whose model is not available here."""
    keys = list(gold)
    guesses = [predicted.get(k, "") for k in keys]
    scores = {
        "token_f1": float(np.mean([token_f1(gold[k], g) for k, g in zip(keys, guesses)])) if keys else 0.0,
        "documents": len(keys),
    }
    if embed is not None and keys:
        truth, guess = embed([gold[k] for k in keys]), embed(guesses)
        similarity = np.sum(np.asarray(truth) * np.asarray(guess), axis=1)
        similarity[[not g.strip() for g in guesses]] = 0.0
        scores["embedding_cosine"] = float(np.mean(similarity))
    return scores


# --- claims --------------------------------------------------------------------------------


def binary_scores(gold: Mapping[Key, bool], predicted: Mapping[Key, bool]) -> dict[str, float]:
    """CheckThat! 2024 Task 1: F1 of the positive class (Yes), with its precision, recall and
    accuracy. A missing prediction is No."""
    pairs = [(truth, bool(predicted.get(key, False))) for key, truth in gold.items()]
    tp = sum(t and p for t, p in pairs)
    fp = sum(p and not t for t, p in pairs)
    fn = sum(t and not p for t, p in pairs)
    precision, recall, f1 = _f1(tp, fp, fn)
    accuracy = sum(t == p for t, p in pairs) / len(pairs) if pairs else 0.0
    return {"f1_yes": f1, "precision_yes": precision, "recall_yes": recall, "accuracy": accuracy, "sentences": len(pairs)}


# --- calibration ---------------------------------------------------------------------------


def reliability_table(confidences: Sequence[float], outcomes: Sequence[bool], bins: int = 10) -> list[dict[str, float]]:
    """Equal-width bins over [0, 1]: per non-empty bin its range, count, mean confidence and
    observed frequency of the outcome. `outcomes[i]` says whether the event the probability
    `confidences[i]` was given for happened (a label present, a prediction correct)."""
    confidences = np.clip(np.asarray(confidences, dtype=np.float64), 0.0, 1.0)
    outcomes = np.asarray(outcomes, dtype=np.float64)
    if confidences.shape != outcomes.shape:
        raise ValueError("confidences and outcomes differ in length")
    index = np.minimum((confidences * bins).astype(int), bins - 1)
    rows = []
    for b in range(bins):
        members = index == b
        if members.any():
            rows.append(
                {
                    "low": b / bins,
                    "high": (b + 1) / bins,
                    "count": int(members.sum()),
                    "confidence": float(confidences[members].mean()),
                    "frequency": float(outcomes[members].mean()),
                }
            )
    return rows


def expected_calibration_error(confidences: Sequence[float], outcomes: Sequence[bool], bins: int = 10) -> float:
    """Mean |confidence - frequency| over equal-width bins, weighted by bin size (0 if empty)."""
    rows = reliability_table(confidences, outcomes, bins)
    total = sum(row["count"] for row in rows)
    if not total:
        return 0.0
    return sum(row["count"] * abs(row["confidence"] - row["frequency"]) for row in rows) / total
