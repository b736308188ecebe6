"""`narrascope schema`: the JSON Schema of one analysis, or the data dictionary of the exports."""

from __future__ import annotations

import argparse
from pathlib import Path

from ._help import add_command


def register(commands: argparse._SubParsersAction) -> None:
    parser = add_command(
        commands,
        "schema",
        help="print the JSON Schema of the analysis JSON (or the export columns)",
        description="Print the JSON Schema (draft 2020-12) of the analysis JSON that `analyze --json`, the "
        "web API and JSONL exports write; every property is described. --export-columns prints the data "
        "dictionary of CSV and Parquet exports instead (docs/exports.md is this output).",
        examples=[
            ("the analysis JSON Schema", "narrascope schema > analysis.schema.json"),
            ("the export columns, as Markdown", "narrascope schema --export-columns -o docs/exports.md"),
        ],
    )
    parser.add_argument(
        "--export-columns", action="store_true", help="the CSV/Parquet export columns (Markdown) instead"
    )
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of stdout")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..errors import InputError

    if args.export_columns:
        from ..store.labels import export_columns_markdown

        text = export_columns_markdown()
    else:
        from ..model import json_schema

        text = json_schema() + "\n"
    if args.output is None:
        print(text, end="")
        return 0
    if not args.output.parent.is_dir():
        raise InputError(f"{args.output}: no such folder {str(args.output.parent)!r}")
    args.output.write_text(text, encoding="utf-8")
    return 0
