"""`narrascope` command line: thin commands over the library.

Each module in this package defines `register(subparsers)`, adding its commands; a command sets
`run=callable(args) -> int`. Modules are discovered, so adding a command is adding a module
(modules named `_x` are helpers, not commands).
Errors narrascope raises on purpose become one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from .. import __version__
from ..errors import NarrascopeError
from ._help import HelpFormatter, examples_text


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="narrascope",
        description="How a news article tries to persuade: genre, frames, techniques with spans, "
        "narratives, entity roles and check-worthy claims. Every analysis is kept in one store that all "
        "commands share; `narrascope COMMAND --help` describes each command with examples.",
        epilog=examples_text(
            [
                ("analyse a page and print a summary", "narrascope analyze https://example.org/column"),
                ("find stored articles using a technique", 'narrascope query --label "Loaded Language"'),
                ("print one of them again", "narrascope show 19abd785"),
                ("browse them in the web app", "narrascope serve"),
            ]
        ),
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"narrascope {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")):
        importlib.import_module(f"{__name__}.{module}").register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except NarrascopeError as exc:
        print(f"narrascope: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("narrascope: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
