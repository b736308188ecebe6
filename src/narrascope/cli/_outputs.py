"""Where `analyze` writes: files named on the command line, or standard output for "-"."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path
from typing import IO, ContextManager

from ..errors import NarrascopeError

STDOUT = "-"


def open_output(name: str) -> ContextManager[IO[str]]:
    if name == STDOUT:
        return nullcontext(sys.stdout)  # never close stdout
    try:
        return open(name, "w", encoding="utf-8")
    except OSError as exc:
        raise NarrascopeError(f"{name}: cannot write ({exc.strerror})") from None


def check_writable(path: Path) -> None:
    """Fail before hours of analysis, not after."""
    if path.is_dir():
        raise NarrascopeError(f"{path}: is a folder, not a file")
    if not path.parent.is_dir():
        raise NarrascopeError(f"{path}: no such folder {str(path.parent)!r}")


def write_output(name: str, content: str) -> None:
    with open_output(name) as stream:
        stream.write(content)
        stream.flush()
