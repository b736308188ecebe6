"""The trainer contract, and fitting every head a task needs on a chosen set of examples.

Each module `narrascope.train.<name>` offers:

- `fit(examples, seed=13, recipe=RECIPES[0]) -> {artifact_name: (arrays, card)}`: heads trained
  on the labelled `examples` given (any language, any part); whatever it tunes (calibration,
  thresholds, weights) it tunes by cross-fitting within those examples, never on others.
  `RECIPES` names the recipes it knows, the shipped one first; an earlier recipe stays only
  while a protocol reports it beside the new one.
- `train(data, out, seed) -> card`: the shipped artifact, `fit` on every labelled example of the
  training split(s), saved to `out`; the card's `trained_on` says which splits and parts it saw.

`narrascope evaluate` uses `fit_heads` for every score that the shipped heads cannot give
honestly: on a part they were trained on (it refits the recipe without it) and under the
shift-aware protocols (`evaluate.protocols`).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

from ..artifacts import Artifact
from ..evaluate.datasets import Example

# Trainer modules (= shipped artifact names) behind each evaluation task, in fitting order.
TRAINERS: dict[str, tuple[str, ...]] = {
    "genre": ("genre",),
    "frames": ("frames",),
    "techniques": ("techniques",),
    "spans": ("techniques", "spans"),
    "narratives": ("narratives",),
    "explanations": ("narratives",),
    "roles": ("roles",),
    "claims": ("claims",),
}


def fit_heads(
    task: str, examples: Sequence[Example], seed: int = 13, recipe: str | None = None, names: Sequence[str] | None = None
) -> dict[str, Artifact]:
    """The heads `task` needs (or only `names` of them), trained on `examples` (with `recipe` where
    a trainer knows it, else each trainer's shipped one)."""
    fitted: dict[str, Artifact] = {}
    for name in TRAINERS[task]:
        if names is not None and name not in names:
            continue
        trainer = importlib.import_module(f"{__package__}.{name}")
        options = {"recipe": recipe} if recipe and recipe in getattr(trainer, "RECIPES", ()) else {}
        fitted.update(trainer.fit(list(examples), seed=seed, **options))
    return fitted


def trained_on(dataset: str, examples: Sequence[Example], splits: Sequence[str] = ("train",)) -> dict:
    """The card's `trained_on` for a head fitted on `examples` of the `splits` of `dataset`."""
    return {"dataset": dataset, "splits": list(splits), "parts": sorted({e.part for e in examples})}


def saw(card: dict, split: str) -> bool:
    """Whether a head with this card was trained on `split` (a dataset split, or the fit /
    validation part of the training split). Cards without `trained_on` predate the protocol
    (their heads learnt from the fit part and set their cuts on validation): scored as shipped."""
    trained_on = card.get("trained_on", {})
    if split in ("fit", "validation"):
        return split in trained_on.get("parts", [])
    return split in trained_on.get("splits", [])
