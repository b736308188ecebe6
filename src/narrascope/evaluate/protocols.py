"""Which model `narrascope evaluate` scores, so that no score comes from data the model saw.

- The shipped heads, on a split they never saw (e.g. CheckThat's dev-test when they trained on
  train).
- On a split they were trained on (the shipped heads learn from the fit and validation parts):
  the shipped recipe refitted without that split (`train.protocol.fit_heads`), e.g. on the fit
  part only for `--split validation`. The results say so in a note.
- `--split cross-language` (shift-aware): each language scored by the recipe fitted on every
  other language's documents, all parts. It estimates how the heads hold on articles unlike
  their training ones (another language, outlet and period), which the in-period validation
  part flatters.
- `--split cross-debate` (shift-aware, CheckThat): the training file's sentences grouped into
  blocks of consecutive `Sentence_id`s, which are consecutive sentences of one debate, so each
  block is a few whole debates (bar the one that straddles each block edge); each block is scored
  by the recipe fitted on the other blocks, all parts. The fixed validation part is a random cut
  of sentences, so it shares every debate (speakers, topics, moderators) with the fit part.
- `--split cross-source` (shift-aware, SemEval-2025): each source scored by the recipe fitted on
  every other source's documents (all languages, all parts). A source is the batch of articles
  a file-name prefix names ("A7_URW_BG_…" vs "BG_…", "EN_UA_…" vs "EN_CC_…"): another outlet,
  period or domain in the same language, as the organisers' later data is. A language with one
  source (e.g. Hindi) is held out whole, as under cross-language.
- `--recipe NAME` scores an earlier recipe of the trainers the same way (before/after tables).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ..artifacts import load, overriding
from ..errors import DatasetError
from .datasets import CHECKTHAT, SEMEVAL2025, Example
from .tasks import Task

SHIFT_PROTOCOLS = ("cross-language", "cross-debate", "cross-source")
# Sentence_ids per cross-debate block: five blocks of about 4,500 training sentences (the
# training file's IDs run from 16 to 34,458; one presidential debate is about 1,000-1,500 IDs).
DEBATE_BLOCK = 7000
# a file name less its running number and extension: "A7_URW_BG_10380.txt" -> "A7_URW_BG"
_SOURCE = re.compile(r"^(.*?)[_-]*\d+\D*$")


def labelled(task: Task, examples: Sequence[Example]) -> list[Example]:
    return [e for e in examples if task.gold(e) is not None]


def shift_groups(task: Task, split: str, examples: Sequence[Example]) -> dict[str, list[Example]]:
    """The groups a shift-aware protocol holds out one at a time (languages, SemEval-2025's
    sources, or CheckThat's blocks of debates), in a stable order; at least two, or there is
    nothing to hold out."""
    if split == "cross-debate" and task.dataset != CHECKTHAT:
        raise DatasetError(
            f"--split cross-debate groups CheckThat's debates; {task.name} reads {task.dataset} (use cross-language)"
        )
    if split == "cross-source" and task.dataset != SEMEVAL2025:
        raise DatasetError(
            f"--split cross-source groups SemEval-2025's sources; {task.name} reads {task.dataset} (use cross-language)"
        )
    group_of = {"cross-debate": debate_block, "cross-source": source_of}.get(split, lambda e: e.language)
    groups: dict[str, list[Example]] = {}
    for example in examples:
        groups.setdefault(group_of(example), []).append(example)
    if len(groups) < 2:
        hint = " (CheckThat is English only: use --split cross-debate)" if task.dataset == CHECKTHAT else ""
        raise DatasetError(f"--split {split} needs at least two groups to hold out, found {sorted(groups)}{hint}")
    return dict(sorted(groups.items()))


def debate_block(example: Example) -> str:
    """The cross-debate block of a CheckThat sentence, named by its Sentence_id range."""
    try:
        first = int(example.document_id) // DEBATE_BLOCK * DEBATE_BLOCK
    except ValueError:
        raise DatasetError(
            f"CheckThat Sentence_id {example.document_id!r} is not a number: cannot place it in a debate"
        ) from None
    return f"ids {first:05d}-{first + DEBATE_BLOCK - 1:05d}"


def source_of(example: Example) -> str:
    """The source of a document: its language and its file name's prefix ("EN/EN_UA"); a name
    without a prefix ("article123.txt", "HI_12.txt" in a one-source language) names the language's
    only source."""
    match = _SOURCE.match(example.document_id)
    return f"{example.language}/{match.group(1) if match else ''}"


def needs_refit(task: Task, split: str, recipe: str | None) -> bool:
    """Whether scoring `split` needs heads trained here rather than the shipped ones."""
    from ..train.protocol import TRAINERS, saw

    if recipe or split in SHIFT_PROTOCOLS:
        return True
    if split == "train":  # the whole training split: in-sample for any head, refitting changes nothing
        return False
    return any(saw(load(name)[1], split) for name in TRAINERS[task.name])


def refitted_predictor(task: Task, training: Sequence[Example], recipe: str | None, split: str, seed: int = 13):
    """A `ModelPredictor` over heads trained on `training` (labelled examples only). Under a
    shift-aware protocol or an earlier recipe every head is refitted; on a split, only the heads
    that saw it (a head from before the protocol, which never did, is scored as shipped)."""
    from ..train.protocol import TRAINERS, fit_heads, saw
    from .predictors import ModelPredictor

    names = None if split in SHIFT_PROTOCOLS or recipe else [n for n in TRAINERS[task.name] if saw(load(n)[1], split)]
    with overriding(fit_heads(task.name, labelled(task, training), seed, recipe, names=names)):
        return ModelPredictor(task)


def training_for(task: Task, split: str, language: str, train_split: Mapping[str, list[Example]], fit_part: Mapping[str, list[Example]]) -> list[Example]:
    """What the recipe is fitted on to score `language` of `split`: every other language (or
    source, or debate block; all parts) under a shift-aware protocol; the fit part for validation; else
    the whole training split."""
    if split in SHIFT_PROTOCOLS:
        return [e for lang, examples in train_split.items() if lang != language for e in examples]
    source = fit_part if split == "validation" else train_split
    return [e for examples in source.values() for e in examples]


def refit_note(task: Task, split: str, recipe: str | None) -> str:
    what = f"recipe {recipe}" if recipe else "the shipped recipe"
    if split == "cross-language":
        return f"model: {what}, each language scored by heads trained on the other languages' documents (all parts)"
    if split == "cross-debate":
        return (
            f"model: {what}, each block of {DEBATE_BLOCK:,} consecutive Sentence_ids (whole debates) scored by "
            "heads trained on the other blocks (all parts)"
        )
    if split == "cross-source":
        return (
            f"model: {what}, each source (file-name prefix, e.g. EN_UA, A7_URW_BG) scored by heads trained on "
            "every other source's documents (all languages, all parts)"
        )
    why = f" (the shipped heads also learnt from {split})" if needs_refit(task, split, None) else ""
    if split == "validation":
        return f"model: {what} trained on the fit part only{why}"
    return f"model: {what} trained on the training split only{why}"
