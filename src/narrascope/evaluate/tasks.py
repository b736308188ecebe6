"""The evaluation tasks: which dataset each reads, its gold records and its metrics.

A record is one scored unit as the official formats key it (see `evaluate.formats`): an
article, an (article, line) paragraph, a mention. Predictors produce records of the same shape,
so gold, predictions, metrics and prediction files all speak one language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from . import metrics
from .datasets import TASK_DATASETS, Example

Records = dict[Any, Any]


@dataclass(frozen=True)
class Task:
    name: str
    dataset: str
    headline: str  # the official metric, the key of `score`'s result that ranks systems
    gold: Callable[[Example], Records | None]  # None: the example is unlabelled for this task
    score: Callable[[Mapping, Mapping], dict[str, float]]
    multi_label: bool  # probabilities judged per (record, label) rather than top label


def _genre(e: Example) -> Records | None:
    return None if e.genre is None else {e.document_id: e.genre}


def _frames(e: Example) -> Records | None:
    return None if e.frames is None else {e.document_id: e.frames}


def _techniques(e: Example) -> Records | None:
    if e.paragraph_techniques is None:
        return None
    return {(e.document_id, e.line_of_paragraph[i]): labels for i, labels in e.paragraph_techniques.items()}


def _spans(e: Example) -> Records | None:
    return None if e.spans is None else {e.document_id: e.spans}


def _narratives(e: Example) -> Records | None:
    return None if e.narratives is None else {e.document_id: (e.narratives, e.subnarratives or [])}


def _roles(e: Example) -> Records | None:
    if not e.mentions or any(m.main_role is None for m in e.mentions):
        return None
    return {mention_key(e, m): (m.text, m.main_role, m.fine_roles) for m in e.mentions}


def mention_key(example: Example, mention) -> tuple[str, int, int]:
    """(file, start, inclusive end) as the release writes them."""
    start, end = mention.annotated or (mention.start, mention.end - 1)
    return (example.document_id, start, end)


def _explanations(e: Example) -> Records | None:
    if e.explanation is None:
        return None
    return {e.document_id: (e.dominant_narrative, e.dominant_subnarrative, e.explanation)}


def _claims(e: Example) -> Records | None:
    return None if e.claim is None else {e.document_id: e.claim}


def _explanation_score(gold: Mapping, predicted: Mapping) -> dict[str, float]:
    from ..encoder import get_encoder

    try:
        embed = get_encoder().encode
    except (ImportError, OSError):  # no encoder here: token F1 alone
        embed = None
    return metrics.explanation_scores(
        {k: v[2] for k, v in gold.items()}, {k: v[2] for k, v in predicted.items()}, embed
    )


TASKS: dict[str, Task] = {
    task.name: task
    for task in (
        Task("genre", TASK_DATASETS["genre"], "macro_f1", _genre, metrics.single_label_scores, False),
        Task("frames", TASK_DATASETS["frames"], "micro_f1", _frames, metrics.multi_label_scores, True),
        Task("techniques", TASK_DATASETS["techniques"], "micro_f1", _techniques, metrics.multi_label_scores, True),
        Task("spans", TASK_DATASETS["spans"], "f1", _spans, metrics.span_scores, True),
        Task("narratives", TASK_DATASETS["narratives"], "f1_samples_fine", _narratives, metrics.narrative_scores, True),
        Task("roles", TASK_DATASETS["roles"], "exact_match_ratio", _roles, metrics.role_scores, False),
        Task("explanations", TASK_DATASETS["explanations"], "token_f1", _explanations, _explanation_score, False),
        Task("claims", TASK_DATASETS["claims"], "f1_yes", _claims, metrics.binary_scores, True),
    )
}

# Notes printed beside a task's results.
NOTES = {
    "explanations": "token_f1 and embedding_cosine (multilingual-e5-small) stand in for the official "
    "BERTScore F1, whose model cannot be fetched here; they are NOT the official metric.",
}
