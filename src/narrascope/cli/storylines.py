"""`narrascope storylines --store URL [--since --until --language --site]`: the assertions that
recur across stored documents and outlets, in any language, with their course over time."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from typing import Any

from ..errors import InputError
from ..report.summary import excerpt
from ._help import add_command
from .store import Table, _json_default, add_store, iso_date, open_existing, positive_int


def register(commands: argparse._SubParsersAction) -> None:
    parser = add_command(
        commands,
        "storylines",
        help="discover storylines: assertions recurring across stored documents and outlets",
        description="Group the claims and evidence sentences of stored documents into storylines "
        "(the same assertion in any wording or language), named by their most central sentences and "
        "key terms, with outlets, languages, first/last seen and documents per period. Results are "
        "the same for the same store and --seed.",
        examples=[
            ("the storylines of the default store", "narrascope storylines"),
            ("since June, in one outlet, as JSON", "narrascope storylines --since 2024-06-01 --site example.org --json"),
        ],
    )
    add_store(parser)
    parser.add_argument("--site", help="only documents from this site (host name)")
    parser.add_argument("--language", help="only documents in this language (ISO 639-1 code)")
    parser.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD", help="published on or after")
    parser.add_argument("--until", type=iso_date, metavar="YYYY-MM-DD", help="published on or before")
    parser.add_argument("--seed", type=int, default=0, help="seed of the approximate grouping (default 0)")
    parser.add_argument("--min-documents", type=positive_int, default=3, metavar="N",
                        help="a storyline is found in at least N documents (default 3)")
    parser.add_argument("--threshold", type=_similarity, default=None, metavar="S",
                        help="how tight a storyline is, 0-1 (default 0.125; higher: tighter, fewer)")
    parser.add_argument("--interval", choices=("day", "week", "month"), default="week", help="periods for growth")
    parser.add_argument("--limit", type=positive_int, default=20, help="storylines shown in the table (default 20)")
    parser.add_argument("--json", action="store_true", help="print every storyline, with its sentences, as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..store import Filters
    from ..storylines import discover
    from ..storylines.discover import THRESHOLD

    if args.min_documents < 2:
        raise InputError(f"--min-documents {args.min_documents}: a storyline recurs in at least 2 documents")
    filters = Filters(site=args.site, language=args.language, since=args.since, until=args.until)
    with open_existing(args.store) as store:
        found = discover(store, filters, seed=args.seed, threshold=args.threshold or THRESHOLD,
                         min_documents=args.min_documents, interval=args.interval)
    if args.json:
        print(json.dumps(asdict(found), ensure_ascii=False, indent=2, default=_json_default))
        return 0
    count = len(found.storylines)
    summary = (f"{count} storyline{'s' if count != 1 else ''} in {found.documents} documents ({found.sentences} claim and "
               f"evidence sentences; {found.method} grouping, seed {found.seed})")
    if found.embedded:
        summary += f"; embedded {found.embedded} sentences of documents stored without them"
    print(summary, file=sys.stderr)
    if not found.storylines:
        return 0
    table = Table("storylines, most documents first", "id", "docs", "sites", "languages", "first", "last",
                   f"last {args.interval}", "storyline", "key terms")
    for storyline in found.storylines[: args.limit]:
        last = storyline.periods[-1]
        table.add_row(
            storyline.id,
            str(storyline.documents),
            _top(storyline.sites),
            _top(storyline.languages),
            storyline.first_seen.isoformat(),
            storyline.last_seen.isoformat(),
            f"{last.documents} ({last.growth:+d})",
            excerpt(storyline.name, 160),
            ", ".join(storyline.key_terms),
        )
    table.print()
    return 0


def _top(counts: dict[str, Any], shown: int = 3) -> str:
    items = [f"{name} {count}" for name, count in list(counts.items())[:shown]]
    more = len(counts) - shown
    return ", ".join(items) + (f" +{more}" if more > 0 else "")


def _similarity(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0.0 < number < 1.0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a similarity between 0 and 1")
    return number
