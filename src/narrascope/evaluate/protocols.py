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
- `--recipe NAME` scores an earlier recipe of the trainers the same way (before/after tables).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..artifacts import load, overriding
from .datasets import Example
from .tasks import Task

SHIFT_PROTOCOLS = ("cross-language",)


def labelled(task: Task, examples: Sequence[Example]) -> list[Example]:
    return [e for e in examples if task.gold(e) is not None]


def needs_refit(task: Task, split: str, recipe: str | None) -> bool:
    """Whether scoring `split` needs heads trained here rather than the shipped ones."""
    from ..train.protocol import TRAINERS, saw

    if recipe or split in SHIFT_PROTOCOLS:
        return True
    if split == "train":  # the whole training split: in-sample for any head, refitting changes nothing
        return False
    return any(saw(load(name)[1], split) for name in TRAINERS[task.name])


def refitted_predictor(task: Task, training: Sequence[Example], recipe: str | None, seed: int = 13):
    """A `ModelPredictor` over heads trained on `training` (labelled examples only)."""
    from ..train.protocol import fit_heads
    from .predictors import ModelPredictor

    with overriding(fit_heads(task.name, labelled(task, training), seed, recipe)):
        return ModelPredictor(task)


def training_for(task: Task, split: str, language: str, train_split: Mapping[str, list[Example]], fit_part: Mapping[str, list[Example]]) -> list[Example]:
    """What the recipe is fitted on to score `language` of `split`: every other language (all
    parts) for cross-language; the fit part for validation; else the whole training split."""
    if split == "cross-language":
        return [e for lang, examples in train_split.items() if lang != language for e in examples]
    source = fit_part if split == "validation" else train_split
    return [e for examples in source.values() for e in examples]


def refit_note(split: str, recipe: str | None) -> str:
    what = f"recipe {recipe}" if recipe else "the shipped recipe"
    if split == "cross-language":
        return f"model: {what}, each language scored by heads trained on the other languages' documents (all parts)"
    if split == "validation":
        return f"model: {what} trained on the fit part only (the shipped heads also learnt from validation)"
    return f"model: {what} trained on the training split only (the shipped heads also learnt from {split})"
