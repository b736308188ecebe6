"""Reading sources: whatever the user has becomes a stream of `RawDocument`s (or `Failure`s).

Sources are text or HTML files, `-` for stdin, URLs, folders, JSON Lines, RSS/Atom feeds and
WARC/ARC archives, detected automatically or named with `input_format`.

Modules: `sources` (what a source is, and `iter_raw`), `fetch` (safe HTTP with the address
guard), `decode` (bytes to text), `documents` (building and checking a `RawDocument`), and one
reader per container: `jsonl`, `feeds`, `warc`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class RawDocument:
    """One document as read, before extraction: decoded content and what the source told us."""

    source: str  # path, URL, "<stdin>", "<text>", "file.jsonl:12", "archive.warc.gz#<record URI>"
    content: str  # decoded (never bytes)
    kind: Literal["html", "text"]
    url: str | None = None
    id: str | None = None  # an id the source supplied (JSONL `id`)
    metadata: dict[str, Any] = field(default_factory=dict)  # title/authors/published from feed or JSONL


@dataclass(frozen=True)
class Failure:
    """A document that could not be read or analysed, and why (one line, names the input)."""

    source: str
    reason: str


from .sources import INPUT_FORMATS, iter_raw  # noqa: E402  (sources uses the types above)

__all__ = ["RawDocument", "Failure", "INPUT_FORMATS", "iter_raw"]
