"""`narrascope show ID`: one stored analysis, as `analyze` prints it (or its JSON, or an HTML report)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ._help import add_command
from .store import add_store, open_existing

MIN_PREFIX = 4  # shorter id prefixes match too many documents to be useful


def register(commands: argparse._SubParsersAction) -> None:
    parser = add_command(
        commands,
        "show",
        help="print one stored analysis (the summary `analyze` prints, or its JSON)",
        description="Print a stored analysis: the terminal summary `narrascope analyze` shows, its JSON "
        "(--json), or a standalone HTML report (--html). ID is the document id `analyze` and `query` "
        f"print, or its first {MIN_PREFIX} or more characters when no other id starts the same way.",
        examples=[
            ("the summary of a stored document", "narrascope show 19abd785b7dd3c0a"),
            ("its JSON, by a short id", "narrascope show 19abd785 --json"),
            ("an HTML report of it", "narrascope show 19abd785 --html report.html"),
        ],
    )
    parser.add_argument("id", metavar="ID", help="document id, or an unambiguous prefix of it")
    add_store(parser)
    parser.add_argument("--json", action="store_true", help="print the analysis JSON (as `analyze --json -`)")
    parser.add_argument("--html", metavar="FILE", type=Path, help="write a standalone HTML report instead")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from ..errors import InputError
    from ..report import print_analysis, render_html

    if args.json and args.html:
        raise InputError("--json and --html each write the analysis; give one")
    if args.html and not args.html.parent.is_dir():
        raise InputError(f"{args.html}: no such folder {str(args.html.parent)!r}")
    wanted = args.id.strip().lower()
    with open_existing(args.store) as store:
        analysis = store.get(wanted)
        if analysis is None:
            analysis = store.get(_one_id(store, wanted))
    if args.json:
        print(analysis.to_json(indent=2))
    elif args.html:
        args.html.write_text(render_html([analysis]), encoding="utf-8")
        print(f"wrote the HTML report to {args.html}")
    else:
        print_analysis(analysis, Console())
    return 0


def _one_id(store, prefix: str) -> str:  # store: narrascope.store.Store
    from ..errors import InputError

    found = store.ids_starting(prefix) if len(prefix) >= MIN_PREFIX else []
    if len(found) == 1:
        return found[0]
    if not found:
        longer = f" (give at least {MIN_PREFIX} characters of it)" if len(prefix) < MIN_PREFIX else ""
        raise InputError(f"no stored document with id {prefix!r}{longer} in {store.url}; `narrascope query` lists them")
    raise InputError(f"id {prefix!r} starts {', '.join(found)}{' and more' if len(found) >= 10 else ''}; give more of it")
