"""`narrascope train --task T --data DIR [--out DIR]`: train a head and write its artifact.

Each task has a module `narrascope.train.<task>` with `train(data: Path, out: Path, seed: int) -> dict`
that trains on the fixed training part, calibrates and picks thresholds on the fixed validation
part, writes the artifact (arrays + card) to `out`, and returns the card.
"""

from __future__ import annotations

import argparse
import importlib
import json
from pathlib import Path

from ._help import add_command

TASKS = ("genre", "frames", "techniques", "narratives", "roles", "claims")


def register(commands: argparse._SubParsersAction) -> None:
    parser = add_command(
        commands,
        "train",
        help="train a model head and write its artifact",
        description="Train one head on the fixed training part of a shared-task dataset, calibrate it and "
        "pick its thresholds on the fixed validation part, and write its artifact (arrays and a card with "
        "the data hash, seed and validation scores). Reproducible: same data and seed, same artifact.",
        examples=[
            ("retrain the frames head in place", "narrascope train --task frames --data ../shared/data/semeval2023-task3"),
            ("train into another folder", "narrascope train --task genre --data ../shared/data/semeval2023-task3 --out /tmp/genre"),
        ],
    )
    parser.add_argument("--task", required=True, choices=TASKS)
    parser.add_argument("--data", required=True, type=Path, help="dataset root in its official layout")
    parser.add_argument("--out", type=Path, help="artifact folder (default: the package's shipped artifact)")
    parser.add_argument("--seed", type=int, default=13)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..artifacts import SHIPPED
    from ..errors import InputError

    if not args.data.is_dir():
        raise InputError(f"{args.data}: no such dataset folder")
    trainer = importlib.import_module(f"narrascope.train.{args.task}")
    card = trainer.train(args.data, args.out or SHIPPED / args.task, seed=args.seed)
    print(json.dumps(card.get("validation", card), indent=2))
    return 0
