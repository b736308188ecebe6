"""`narrascope` command line: thin commands over the library.

Each module in this package defines `register(subparsers)`, adding its commands; a command sets
`run=callable(args) -> int`. Modules are discovered, so adding a command is adding a module.
Errors narrascope raises on purpose become one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from .. import __version__
from ..errors import NarrascopeError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="narrascope",
        description="How a news article tries to persuade: genre, frames, techniques with spans, "
        "narratives, entity roles and check-worthy claims.",
    )
    parser.add_argument("--version", action="version", version=f"narrascope {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
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
