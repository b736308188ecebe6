"""`narrascope taxonomy check FILE`: validate a taxonomy file (your own narratives) and say how it
will be scored; every problem is printed as `FILE:LINE: FIELD: message`, exit code 2."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ._help import add_command


def register(commands: argparse._SubParsersAction) -> None:
    parser = add_command(
        commands,
        "taxonomy",
        help="work with taxonomy files (your own narratives)",
        description="Taxonomy files define your own labels (id, name, description, examples); "
        "`narrascope analyze --taxonomy FILE` scores them. Reference: docs/custom-narratives.md.",
        examples=[("check a file before using it", "narrascope taxonomy check samples/war-narratives.yaml")],
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = add_command(
        actions,
        "check",
        help="validate a taxonomy file: every problem with its line and field",
        description="Validate a taxonomy file (format: docs/custom-narratives.md). Prints each problem "
        "as FILE:LINE: FIELD: message and exits 2, or a summary of the labels and exits 0.",
        examples=[("check the sample file", "narrascope taxonomy check samples/war-narratives.yaml")],
    )
    check.add_argument("file", type=Path, metavar="FILE", help="the taxonomy file (YAML)")
    check.set_defaults(run=run_check)


def run_check(args: argparse.Namespace) -> int:
    from ..components.custom_trained import trained_model_status
    from ..user_taxonomy import TaxonomyError, load

    try:
        taxonomy = load(args.file)
    except TaxonomyError as exc:
        for problem in exc.problems:
            print(f"{exc.path}:{problem}", file=sys.stderr)
        print(f"narrascope: error: {len(exc.problems)} problem(s) in {exc.path}", file=sys.stderr)
        return 2
    examples = sum(len(label.examples) for label in taxonomy.labels)
    negatives = sum(len(label.negatives) for label in taxonomy.labels)
    children = sum(1 for label in taxonomy.labels if label.parent)
    print(f"{args.file}: valid — {taxonomy.name} version {taxonomy.version} (fingerprint {taxonomy.fingerprint})")
    print(f"  {len(taxonomy.labels)} labels ({children} with a parent), {examples} examples, {negatives} negatives, "
          f"{len(taxonomy.negatives)} file-wide negatives (pushing none of the labels)")
    without = [label.id for label in taxonomy.labels if not label.examples]
    if not examples:
        print("  scoring: descriptions only (zero-shot similarity)"
              + ("; file-wide negatives are read only by labels with examples" if taxonomy.negatives else ""))
    else:
        print("  scoring: a few-shot head fitted on the examples"
              + (", each against the file-wide negatives too" if taxonomy.negatives else "")
              + (f"; by description only for {', '.join(without)}" if without else ""))
    print(f"  trained model: {trained_model_status(taxonomy)}")
    return 0
