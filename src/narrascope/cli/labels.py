"""`narrascope labels [NAME]`: the labels narrascope knows, as shown and as stored, and what a
`--label` filter would match."""

from __future__ import annotations

import argparse
import json

from ._help import add_command


def register(commands: argparse._SubParsersAction) -> None:
    parser = add_command(
        commands,
        "labels",
        help="list the labels filters accept (names as shown and dataset ids)",
        description="List every label narrascope predicts: the name screens show, the id the store and "
        "exports keep, and its set. With NAME, show what `--label NAME` matches: a name as shown (any "
        "case, with or without its family such as 'URW:'), an id, or an unambiguous prefix.",
        examples=[
            ("every label", "narrascope labels"),
            ("what a filter matches", 'narrascope labels "loaded language"'),
            ("one set, as JSON", "narrascope labels --set frame --json"),
        ],
    )
    parser.add_argument("name", nargs="?", metavar="NAME", help="a label to look up, as you would give --label")
    parser.add_argument("--set", metavar="SET", help="only this label set (genre, frame, technique, narrative...)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..errors import InputError
    from ..labelsets import label_sets, resolve_label, search_labels

    sets = label_sets()
    if args.set is not None:
        sets = [s for s in sets if s.name == args.set]
        if not sets:
            known = ", ".join(s.name for s in label_sets())
            raise InputError(f"--set {args.set}: no such label set (known: {known})")
    wanted, title = None, ""
    if args.name:
        exact, found = search_labels(args.name)
        if not found:
            resolve_label(args.name)  # raises UnknownLabel, naming the closest labels
        wanted = set(found)
        title = f" that --label {args.name!r} matches" if exact or len(found) == 1 else (
            f" starting with {args.name!r} (--label needs one of them: give more of the name)"
        )
    rows = [
        {"set": s.name, "id": label, "name": name}
        for s in sets
        for label, name in s.names.items()
        if wanted is None or label in wanted
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    from rich.console import Console
    from rich.table import Table

    title = f"{len(rows)} label(s){title}"
    table = Table(title=title, title_justify="left")
    for column in ("set", "name", "id"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(row["set"], row["name"], row["id"])
    Console().print(table)
    return 0
