"""Commands over the store: `query`, `export`, `trends`, `failures`.

Each reads the store `narrascope analyze` writes to (`--store URL`, default `NARRASCOPE_STORE_URL`
or the SQLite file in the user data folder) and refuses one that does not exist instead of
creating it empty. Labels are shown by name; `--label` takes a name as shown, an id or a prefix.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ._help import add_command

if TYPE_CHECKING:
    from ..store import Filters, Store

TREND_BY = ("narrative", "technique", "frame", "genre", "custom")
EXPORT_FORMATS = ("jsonl", "csv", "parquet")
STORE_HELP = "database URL: sqlite:///PATH or postgresql://... (default: NARRASCOPE_STORE_URL, else the " \
    "SQLite file in the user data folder that `narrascope analyze` fills)"


def register(commands: argparse._SubParsersAction) -> None:
    query = add_command(
        commands,
        "query",
        help="list stored documents matching filters",
        description="List stored analyses, newest first, with their genre and strongest labels. Filters "
        "combine; --label takes a label as shown ('Loaded Language', 'URW: Discrediting Ukraine'), its id "
        "or an unambiguous prefix (`narrascope labels` lists them). Open one with `narrascope show ID`.",
        examples=[
            ("documents using a technique since January", 'narrascope query --label "Loaded Language" --since 2024-01-01'),
            ("one site's documents pushing a narrative", 'narrascope query --site example.org --label "URW: Discrediting Ukraine"'),
            ("documents without a publication date, as JSON", "narrascope query --undated only --json"),
        ],
    )
    add_filters(query)
    query.add_argument("--limit", type=positive_int, default=50, help="at most this many rows (default 50)")
    query.add_argument("--offset", type=non_negative_int, default=0, help="skip this many rows first (default 0)")
    query.add_argument("--json", action="store_true", help="print JSON instead of a table")
    query.set_defaults(run=run_query)

    export = add_command(
        commands,
        "export",
        help="write stored analyses as JSONL, CSV or Parquet",
        description="Write the matching analyses to a file. JSONL holds each full analysis (as `analyze "
        "--jsonl` writes it); CSV and Parquet hold one row per label with its quoted text and the document's "
        "title, site, URL and date, columns listed in docs/exports.md (`narrascope schema --export-columns`).",
        examples=[
            ("every analysis as Parquet", "narrascope export --format parquet -o analyses.parquet"),
            ("one technique's spans as CSV", 'narrascope export --format csv -o loaded.csv --label "Loaded Language"'),
            ("full analyses of one month to stdout", "narrascope export --format jsonl -o - --since 2024-03-01 --until 2024-03-31"),
        ],
    )
    add_filters(export)
    export.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    export.add_argument("-o", "--output", required=True, help="file to write ('-' for stdout: jsonl, csv)")
    export.set_defaults(run=run_export)

    trends = add_command(
        commands,
        "trends",
        help="label counts and shares per period",
        description="Count, per period of publication, the documents carrying each label and their share of "
        "the period's documents. Documents without a publication date are in no period: they are counted "
        "on their own line. --plot draws the strongest labels over bars of each period's document count.",
        examples=[
            ("narratives per month, with a chart", "narrascope trends --by narrative --interval month --plot trends.svg"),
            ("techniques per week on one site", "narrascope trends --by technique --interval week --site example.org"),
            ("frames per language, as JSON", "narrascope trends --by frame --group language --json"),
            ("genres of a wire feed known to be mostly reporting",
             "narrascope trends --by genre --genre-mix reporting=0.8,opinion=0.18,satire=0.02"),
        ],
    )
    add_filters(trends)
    trends.add_argument("--by", required=True, choices=TREND_BY)
    trends.add_argument("--interval", default="month", choices=("day", "week", "month"))
    trends.add_argument("--group", choices=("site", "language"), help="split each period by site or language")
    trends.add_argument(
        "--genre-mix",
        metavar="MIX",
        type=genre_mix_argument,
        help="with --by genre: the genre mix of your collection when you know it (e.g. "
        "reporting=0.8,opinion=0.18,satire=0.02); each document's genre is decided again at that mix from "
        "the probabilities its analysis keeps, as analyze --genre-mix would decide it, instead of as stored",
    )
    trends.add_argument("--plot", metavar="FILE", help="also draw a chart (.png or .svg)")
    trends.add_argument("--top", type=positive_int, default=8, help="labels drawn in the chart (default 8)")
    trends.add_argument("--json", action="store_true", help="print JSON instead of a table")
    trends.set_defaults(run=run_trends)

    failures = add_command(
        commands,
        "failures",
        help="list sources that could not be analysed, and why",
        description="List the sources `narrascope analyze --store` could not read or analyse, with the reason "
        "and when. A later successful analysis of a source clears its failure.",
        examples=[("what failed", "narrascope failures"), ("as JSON", "narrascope failures --json")],
    )
    add_store(failures)
    failures.add_argument("--json", action="store_true", help="print JSON instead of a table")
    failures.set_defaults(run=run_failures)


def run_query(args: argparse.Namespace) -> int:
    from ..labelsets import display_name

    filters = filters_of(args)
    with open_existing(args.store) as store:
        rows = store.query(filters, limit=args.limit, offset=args.offset)
        total = store.count(filters)
    if args.json:
        print_json([asdict(row) for row in rows])
        return 0
    shown = f"{len(rows)} of {total:,}" if len(rows) < total else f"{total:,}"
    table = Table(f"{shown} document(s)", "id", "date", "site", "lang", "genre", "title", "top labels")
    for row in rows:
        table.add_row(
            row.id,
            (row.published or "undated")[:10],
            row.site or "",
            row.language or "",
            row.genre or "",
            row.title or "",
            ", ".join(display_name(label) for label in row.top_labels),
        )
    table.print()
    return 0


def run_export(args: argparse.Namespace) -> int:
    import sys

    from ..store.export import EXPORT_FORMATS as WRITERS

    if args.format == "parquet" and args.output == "-":
        from ..errors import InputError

        raise InputError("parquet cannot be written to stdout: give a file with -o")
    with open_existing(args.store) as store:
        written = WRITERS[args.format](store.iter_analyses(filters_of(args), per_source=True), args.output)
    print(f"exported {written} input(s) to {args.output}", file=sys.stderr)
    return 0


def run_trends(args: argparse.Namespace) -> int:
    from ..labelsets import display_name

    if args.plot:
        from ..store.chart import CHART_SUFFIXES
        from ..errors import InputError

        if not args.plot.lower().endswith(CHART_SUFFIXES):
            raise InputError(f"{args.plot}: chart must be a .png or .svg file")
    with open_existing(args.store) as store:
        trends = store.trends(args.by, args.interval, filters_of(args), group=args.group, genre_mix=args.genre_mix)
    if args.plot:
        from ..store.chart import plot_trends

        plot_trends(trends, args.plot, top=args.top)
    if args.json:
        rows = [{**asdict(row), "name": display_name(row.label)} for row in trends.rows]
        print_json({**asdict(trends), "rows": rows})
        return 0
    headers = ["period"] + ([args.group] if args.group else []) + [args.by, "with it", "documents", "share"]
    table = Table(f"{args.by} per {args.interval} (by publication date{trends.at_mix()})", *headers, wrap=(args.by,))
    for row in trends.rows:
        group = [row.group or ""] if args.group else []
        share = f"{100 * row.share:.1f}%"
        table.add_row(row.period, *group, display_name(row.label), str(row.count), str(row.documents), share)
    table.print()
    if trends.undated:
        print(
            f"undated: {trends.undated} matching document(s) have no publication date and are in no period "
            "(list them: narrascope query --undated only)"
        )
    return 0


def run_failures(args: argparse.Namespace) -> int:
    with open_existing(args.store) as store:
        failures = store.failures()
    if args.json:
        print_json([asdict(failure) for failure in failures])
        return 0
    table = Table(f"{len(failures)} failed source(s)", "source", "reason", "at", wrap=("source", "reason"))
    for failure in failures:
        table.add_row(failure.source, failure.reason, failure.at.isoformat(timespec="seconds"))
    table.print()
    return 0


# --- shared by the commands that read the store ----------------------------------------------


def open_existing(url: str | None) -> Store:
    """The store at `url` (default: the one `analyze` writes to), refused when it does not exist."""
    from ..store import open_store
    from ..store.database import MissingStore

    try:
        return open_store(url, create=False)
    except MissingStore as exc:
        if url is None:
            hint = "nothing has been analysed yet; `narrascope analyze SOURCE` stores there by default"
        else:
            hint = f"check the URL, or analyse into it first: narrascope analyze SOURCE --store {url}"
        raise MissingStore(f"{exc}; {hint}") from None


def add_store(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", metavar="URL", help=STORE_HELP)


def add_filters(parser: argparse.ArgumentParser) -> None:
    add_store(parser)
    group = parser.add_argument_group("filters (all given must match)")
    group.add_argument("--site", help="only this site (host name)")
    group.add_argument("--language", help="only this language (ISO 639-1 code)")
    group.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD", help="published on or after")
    group.add_argument("--until", type=iso_date, metavar="YYYY-MM-DD", help="published on or before")
    group.add_argument(
        "--undated",
        choices=("include", "only"),
        help="documents without a publication date: 'include' keeps them despite --since/--until "
        "(they are left out by default), 'only' lists nothing else",
    )
    group.add_argument(
        "--label",
        help="only documents with this label: as shown ('Loaded Language', 'Security and defense', "
        "'URW: Discrediting Ukraine'), its id (Loaded_Language) or an unambiguous prefix",
    )
    group.add_argument("--min-score", type=score, metavar="F", help="with --label: its score at least F (0-1)")
    group.add_argument("--text", help="title or text contains this (case-insensitive)")


def filters_of(args: argparse.Namespace) -> Filters:
    from ..errors import InputError
    from ..store import Filters

    if args.since and args.until and args.since > args.until:
        raise InputError(f"--since {args.since} is after --until {args.until}: no date is in between")
    if args.undated == "only" and (args.since or args.until):
        raise InputError("--undated only lists documents without a date; it cannot go with --since/--until")
    return Filters(
        site=args.site,
        language=args.language,
        since=args.since,
        until=args.until,
        undated=args.undated,
        label=args.label,
        min_score=args.min_score,
        text=args.text,
    )


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def score(value: str) -> float:
    number = _float(value)
    if number is None or not 0.0 <= number <= 1.0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a score between 0 and 1")
    return number


def positive_int(value: str) -> int:
    number = _int(value)
    if number is None or number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive whole number")
    return number


def non_negative_seconds(value: str) -> float:
    seconds = _float(value)
    if seconds is None or not 0 <= seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds (0 or more)")
    return seconds


def genre_mix_argument(value: str) -> dict[str, float]:
    from ..components.genre import parse_genre_mix
    from ..errors import InputError

    try:
        return parse_genre_mix(value)
    except InputError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def non_negative_int(value: str) -> int:
    number = _int(value)
    if number is None or number < 0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of at least 0")
    return number


def _int(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None


def _float(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


class Table:
    """A rich table whose cells stay on one line, cut with '…' when the terminal is too narrow:
    ids, dates and numbers are never cut, titles and labels give way first. Cells of the columns
    named in `wrap` fold over lines instead (what must be read whole: labels, failure reasons)."""

    FIXED = ("id", "date", "period", "lang", "language", "genre", "share", "documents", "with it", "at")
    RATIOS = {"title": 4, "top labels": 3, "site": 2, "reason": 3, "source": 2}

    def __init__(self, title: str, *columns: str, wrap: tuple[str, ...] = ()):
        from rich import box
        from rich.table import Table as RichTable

        self.table = RichTable(
            title=title, title_justify="left", box=box.SIMPLE_HEAD, show_edge=False, collapse_padding=True, expand=True
        )
        self.cut = [column not in wrap for column in columns]
        for column in columns:  # the width left after the fixed columns is shared by these ratios
            ratio = None if column in self.FIXED else self.RATIOS.get(column, 3)
            justify = "right" if column in ("share", "documents", "with it") else "left"
            self.table.add_column(column, no_wrap=column in self.FIXED, overflow="fold", ratio=ratio, justify=justify)

    def add_row(self, *cells: str) -> None:
        from rich.text import Text

        self.table.add_row(
            *(Text(cell, no_wrap=True, overflow="ellipsis") if cut else Text(cell) for cell, cut in zip(cells, self.cut))
        )  # Text: never read as markup

    def print(self) -> None:
        from rich.console import Console

        Console().print(self.table)


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default))


def _json_default(value: object) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")
