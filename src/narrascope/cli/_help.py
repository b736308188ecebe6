"""How every command presents itself in `--help`: a one-line summary, a description, and examples
a user can copy (after spaCy's CLI), all through `add_command`."""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Sequence


class HelpFormatter(argparse.HelpFormatter):
    """Wraps prose paragraphs to the terminal; indented paragraphs (examples) are kept as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        paragraphs = []
        for paragraph in text.split("\n\n"):
            if paragraph.startswith(" "):
                paragraphs.append(textwrap.indent(paragraph, indent))
            else:
                paragraphs.append(textwrap.fill(" ".join(paragraph.split()), width, initial_indent=indent,
                                                subsequent_indent=indent))
        return "\n\n".join(paragraphs)


def examples_text(examples: Sequence[tuple[str, str]]) -> str:
    """'examples:' then each command under its comment, indented so the formatter keeps it."""
    lines = []
    for what, command in examples:
        lines += [f"  # {what}", f"  {command}"]
    return "examples:\n\n" + "\n".join(lines)


def add_command(
    commands: argparse._SubParsersAction,
    name: str,
    *,
    help: str,
    description: str,
    examples: Sequence[tuple[str, str]],
) -> argparse.ArgumentParser:
    """A subcommand whose `--help` shows `description` and `examples` ((what it does, command))."""
    return commands.add_parser(
        name, help=help, description=description, epilog=examples_text(examples), formatter_class=HelpFormatter
    )
