"""`narrascope schema`: print the JSON Schema of one analysis."""

from __future__ import annotations

import argparse


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("schema", help="print the JSON Schema of the analysis JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..model import json_schema

    print(json_schema())
    return 0
