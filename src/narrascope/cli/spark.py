"""`narrascope spark --input PATH --output PATH.parquet`: the pipeline over many documents on
Apache Spark, writing the rows `narrascope export --format parquet` writes."""

from __future__ import annotations

import argparse
import sys


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("spark", help="analyse a JSONL dump, a folder or a WARC archive on Spark")
    parser.add_argument("--input", required=True, metavar="PATH", help="JSONL file, folder or WARC (path or URI)")
    parser.add_argument("--output", required=True, metavar="PATH", help="Parquet output (a Spark folder)")
    parser.add_argument(
        "--failures", metavar="PATH", help="Parquet of failed sources (default: OUTPUT.failures.parquet)"
    )
    parser.add_argument("--partitions", type=int, metavar="N", help="split the input into N tasks")
    parser.add_argument("--master", default="local[2]", help="Spark master URL (default local[2])")
    parser.add_argument(
        "--components", default="all", metavar="LIST", help="comma-separated components, 'all' (default) or 'none'"
    )
    parser.add_argument("--overwrite", action="store_true", help="replace existing outputs")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..scale import create_session, run_job

    spark = create_session(args.master)
    try:
        result = run_job(
            spark,
            args.input,
            args.output,
            failures_output=args.failures,
            partitions=args.partitions,
            components=_components(args.components),
            overwrite=args.overwrite,
        )
    finally:
        spark.stop()
    print(
        f"analysed {result.documents} document(s), {result.records} row(s) -> {result.output}; "
        f"{result.failures} failure(s) -> {result.failures_output}",
        file=sys.stderr,
    )
    return 1 if result.failures else 0


def _components(value: str) -> tuple[str, ...]:
    from ..components import DEFAULT_COMPONENTS

    if value == "all":
        return DEFAULT_COMPONENTS
    if value == "none":
        return ()
    return tuple(name.strip() for name in value.split(",") if name.strip())
