"""Commands over the store: `query`, `export`, `trends`, `failures`.

Each takes `--store URL` (default: the SQLite file in the user data folder, or
`NARRASCOPE_STORE_URL`) and the same document filters.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

TREND_BY = ("narrative", "technique", "frame", "genre")
EXPORT_FORMATS = ("jsonl", "csv", "parquet")
_UNBROKEN = ("id", "date", "period")  # table columns never wrapped


def register(commands: argparse._SubParsersAction) -> None:
    query = commands.add_parser("query", help="list stored documents matching filters")
    _add_store_and_filters(query)
    query.add_argument("--limit", type=int, default=50, help="at most this many rows (default 50)")
    query.add_argument("--json", action="store_true", help="print JSON instead of a table")
    query.set_defaults(run=run_query)

    export = commands.add_parser("export", help="write stored analyses as JSONL, CSV or Parquet")
    _add_store_and_filters(export)
    export.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    export.add_argument("-o", "--output", required=True, help="file to write ('-' for stdout: jsonl, csv)")
    export.set_defaults(run=run_export)

    trends = commands.add_parser("trends", help="label counts and shares per period")
    _add_store_and_filters(trends)
    trends.add_argument("--by", required=True, choices=TREND_BY)
    trends.add_argument("--interval", default="month", choices=("day", "week", "month"))
    trends.add_argument("--group", choices=("site", "language"), help="split each period by site or language")
    trends.add_argument("--plot", metavar="FILE", help="also draw a chart (.png or .svg)")
    trends.add_argument("--top", type=int, default=8, help="labels drawn in the chart (default 8)")
    trends.add_argument("--json", action="store_true", help="print JSON instead of a table")
    trends.set_defaults(run=run_trends)

    failures = commands.add_parser("failures", help="list sources that could not be analysed, and why")
    _add_store(failures)
    failures.add_argument("--json", action="store_true", help="print JSON instead of a table")
    failures.set_defaults(run=run_failures)


def run_query(args: argparse.Namespace) -> int:
    from ..store import open_store

    with open_store(args.store) as store:
        rows = store.query(_filters(args), limit=args.limit)
    if args.json:
        _print_json([asdict(row) for row in rows])
        return 0
    table = _table(f"{len(rows)} document(s)", "id", "date", "site", "lang", "genre", "title", "top labels")
    for row in rows:
        table.add_row(
            row.id,
            (row.published or row.analysed_at.date().isoformat())[:10],
            row.site or "",
            row.language or "",
            row.genre or "",
            row.title or "",
            ", ".join(row.top_labels),
        )
    _print(table)
    return 0


def run_export(args: argparse.Namespace) -> int:
    import sys

    from ..store import open_store
    from ..store.export import EXPORT_FORMATS as WRITERS

    with open_store(args.store) as store:
        written = WRITERS[args.format](store.iter_analyses(_filters(args)), args.output)
    print(f"exported {written} document(s) to {args.output}", file=sys.stderr)
    return 0


def run_trends(args: argparse.Namespace) -> int:
    from ..store import open_store

    with open_store(args.store) as store:
        rows = store.trends(args.by, args.interval, _filters(args), group=args.group)
    if args.plot:
        from ..store.chart import plot_trends

        plot_trends(rows, args.plot, by=args.by, interval=args.interval, top=args.top)
    if args.json:
        _print_json([asdict(row) for row in rows])
        return 0
    headers = ["period"] + ([args.group] if args.group else []) + [args.by, "documents", "share"]
    table = _table(f"{args.by} per {args.interval}", *headers)
    for row in rows:
        group = [row.group or ""] if args.group else []
        table.add_row(row.period, *group, row.label, str(row.count), f"{100 * row.share:.1f}%")
    _print(table)
    return 0


def run_failures(args: argparse.Namespace) -> int:
    from ..store import open_store

    with open_store(args.store) as store:
        failures = store.failures()
    if args.json:
        _print_json([asdict(failure) for failure in failures])
        return 0
    table = _table(f"{len(failures)} failed source(s)", "source", "reason", "at")
    for failure in failures:
        table.add_row(failure.source, failure.reason, failure.at.isoformat(timespec="seconds"))
    _print(table)
    return 0


def _add_store(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store", metavar="URL", help="database URL (default: NARRASCOPE_STORE_URL or the user data folder)"
    )


def _add_store_and_filters(parser: argparse.ArgumentParser) -> None:
    _add_store(parser)
    parser.add_argument("--site", help="only this site (host name)")
    parser.add_argument("--language", help="only this language (ISO 639-1 code)")
    parser.add_argument("--since", type=_date, metavar="YYYY-MM-DD", help="published (or analysed) on or after")
    parser.add_argument("--until", type=_date, metavar="YYYY-MM-DD", help="published (or analysed) on or before")
    parser.add_argument("--label", help="only documents with this label (genre, frame, technique, narrative...)")
    parser.add_argument("--min-score", type=float, metavar="F", help="with --label: its score at least F")
    parser.add_argument("--text", help="title or text contains this (case-insensitive)")


def _filters(args: argparse.Namespace):  # -> Filters, imported lazily to keep `--help` fast
    from ..store import Filters

    return Filters(
        site=args.site,
        language=args.language,
        since=args.since,
        until=args.until,
        label=args.label,
        min_score=args.min_score,
        text=args.text,
    )


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _table(title: str, *columns: str):  # -> rich.table.Table
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column, overflow="fold", no_wrap=column in _UNBROKEN)
    return table


def _print(table: Any) -> None:
    from rich.console import Console

    Console().print(table)


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default))


def _json_default(value: object) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")
