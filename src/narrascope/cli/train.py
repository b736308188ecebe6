"""`narrascope train --task T --data DIR [--out DIR]`: train a head and write its artifact.

Each task has a module `narrascope.train.<task>` with `train(data: Path, out: Path, seed: int) -> dict`
that trains on the fixed training part, calibrates and picks thresholds on the fixed validation
part, writes the artifact (arrays + card) to `out`, and returns the card.

`--task custom --taxonomy FILE --data LABELLED.jsonl` trains a head for the user's own labels
on documents they labelled (`train.custom`), written beside the taxonomy file by default.
"""

from __future__ import annotations

import argparse
import importlib
import json
from pathlib import Path

from ._help import add_command

TASKS = ("genre", "language-centres", "frames", "techniques", "spans", "narratives", "roles", "claims", "custom", "custom-calibration")
ARTIFACT_NAMES = {"custom-calibration": "custom"}


def register(commands: argparse._SubParsersAction) -> None:
    parser = add_command(
        commands,
        "train",
        help="train a model head and write its artifact",
        description="Train one head with its shipped recipe on the labelled documents of a shared-task dataset "
        "(every labelled document for the heads whose card says trained_on fit + validation; cuts and "
        "calibration from cross-fitted scores), and write its artifact (arrays and a card with the recipe, "
        "data hash, seed and held-out scores). Reproducible: same data and seed, same artifact.",
        examples=[
            ("retrain the frames head in place", "narrascope train --task frames --data ../shared/data/semeval2023-task3"),
            ("train into another folder", "narrascope train --task genre --data ../shared/data/semeval2023-task3 --out /tmp/genre"),
            ("a head for your own labels, on documents you labelled",
             "narrascope train --task custom --taxonomy mine.yaml --data labelled.jsonl"),
        ],
    )
    parser.add_argument("--task", required=True, choices=TASKS)
    parser.add_argument(
        "--data", required=True, type=Path,
        help="dataset root in its official layout; for --task custom, a JSONL file of your labelled documents",
    )
    parser.add_argument("--taxonomy", type=Path, metavar="FILE", help="with --task custom: your taxonomy file")
    parser.add_argument(
        "--out", type=Path,
        help="artifact folder (default: the package's shipped artifact; for custom, FILE.model beside the taxonomy)",
    )
    parser.add_argument("--seed", type=int, default=13)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..artifacts import SHIPPED
    from ..errors import InputError

    if args.task == "custom":
        return _train_custom(args)
    if args.taxonomy is not None:
        raise InputError("--taxonomy goes with --task custom only")
    if not args.data.is_dir():
        raise InputError(f"{args.data}: no such dataset folder")
    module = args.task.replace("-", "_")
    trainer = importlib.import_module(f"narrascope.train.{module}")
    card = trainer.train(args.data, args.out or SHIPPED / ARTIFACT_NAMES.get(args.task, args.task), seed=args.seed)
    print(json.dumps(card.get("validation", card), indent=2))
    return 0


def _train_custom(args: argparse.Namespace) -> int:
    from ..components.custom_trained import trained_model_folder
    from ..errors import InputError
    from ..train.custom import train_custom
    from ..user_taxonomy import load

    if args.taxonomy is None:
        raise InputError("--task custom needs --taxonomy FILE (the labels your documents are labelled with)")
    if not args.data.is_file():
        raise InputError(f"{args.data}: no such file (a JSONL file of labelled documents)")
    taxonomy = load(args.taxonomy)
    card = train_custom(taxonomy, args.data, args.out or trained_model_folder(taxonomy), seed=args.seed)
    print(json.dumps(card["validation"], indent=2, ensure_ascii=False))
    return 0
