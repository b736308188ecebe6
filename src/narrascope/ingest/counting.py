"""How many documents the sources hold, counted cheaply before (or while) they are read, so a
batch can show a total and an ETA: one per article file, one per non-blank JSON Lines line, one per
HTML response in a WARC archive, one per feed entry. Counts are estimates for progress only:
reading still decides what each input really is. `None` where a count cannot be known without
reading the input itself (standard input) or fetching it (a URL may turn out to be a feed).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

import feedparser

from ..settings import Settings
from .items import Failure
from .decode import looks_like_feed
from .folders import walk
from .sources import _existing_path, format_of, is_url
from .warc import _is_html_response, _records

_CHUNK = 1 << 20


def count_documents(sources: Iterable[str], input_format: str | None, settings: Settings) -> int | None:
    """The number of documents `sources` hold, or None when one of them cannot be counted."""
    total = 0
    for source in sources:
        found = _count_source(source, input_format, settings)
        if found is None:
            return None
        total += found
    return total


def _count_source(source: str, fmt: str | None, settings: Settings) -> int | None:
    if source == "-":
        return None
    if is_url(source):
        return 1 if fmt in ("html", "text", "url") else None
    path = _existing_path(source)
    if path is None:
        return 1  # reading it fails: one failure to count
    if path.is_dir():  # files to read, and entries that fail (a broken link); not what is skipped
        wanted = None if fmt in (None, "dir") else fmt
        entries = walk(path, format_of, wanted)
        return sum(
            _count_file(entry, format_of(entry), settings) if isinstance(entry, Path) else int(isinstance(entry, Failure))
            for entry in entries
        )
    return _count_file(path, fmt or format_of(path), settings)


def _count_file(path: Path, fmt: str | None, settings: Settings) -> int:
    try:
        if fmt == "jsonl":
            return _count_lines(path)
        if fmt == "warc":
            with path.open("rb") as stream:
                return sum(1 for record in _records(stream, str(path)) if _is_html_response(record)) or 1
        if fmt in ("feed", None):
            with path.open("rb") as stream:
                head = stream.read(4096)
            if fmt == "feed" or looks_like_feed(head):
                return _count_feed(path, settings)
    except Exception:  # noqa: BLE001 - a count is a hint; reading reports what is wrong with the file
        return 1
    return 1


def _count_lines(path: Path) -> int:
    """Non-blank lines, read in chunks (one line may be longer than memory could hold twice)."""
    count, open_line = 0, False  # open_line: the current line has non-blank bytes so far
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            *ended, rest = chunk.split(b"\n")
            for piece in ended:
                count += open_line or bool(piece.strip())
                open_line = False
            open_line = open_line or bool(rest.strip())
    return count + open_line


def _count_feed(path: Path, settings: Settings) -> int:
    if path.stat().st_size > settings.max_input_bytes:
        return 1  # refused when read: one failure
    return max(1, len(feedparser.parse(io.BytesIO(path.read_bytes())).entries))
