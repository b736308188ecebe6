"""RSS and Atom feeds (feedparser): one document per entry.

With `Settings.fetch_feed_entries` an entry's link is fetched (through the guarded fetcher) since
feeds often carry only a teaser; otherwise, or when the entry has no web link, the entry's own
content (or summary) is the document. Entry title, date and authors, and the feed's title as
`site`, go into the document's metadata.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

import feedparser

from ..errors import FetchError, InputError
from ..settings import Settings
from . import Failure, RawDocument
from .documents import document_from_page, document_from_text
from .fetch import ALLOWED_SCHEMES, Fetcher

_EMAIL_AND_NAME = re.compile(r"^\s*\S+@\S+\s+\((.+)\)\s*$")  # RSS: "desk@site.example (Name)"


def iter_feed(
    data: bytes, name: str, settings: Settings, fetcher: Fetcher, base_url: str | None = None
) -> Iterator[RawDocument | Failure]:
    """Yield a document or failure per entry of the feed in `data`, read from `name`.

    `base_url` (a fetched feed's final URL) resolves relative entry links.
    """
    headers = {"content-location": base_url} if base_url else {}
    # A stream, never a string: given a string, feedparser would fetch it if it looked like a URL.
    feed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    if not feed.entries:
        if feed.bozo:
            raise InputError(f"{name}: not a readable RSS/Atom feed ({feed.bozo_exception})")
        raise InputError(f"{name}: the feed has no entries")
    site = feed.feed.get("title") or None
    for number, entry in enumerate(feed.entries, start=1):
        link = entry.get("link") or None
        metadata = _metadata(entry, site)
        fetchable = bool(link) and urlsplit(link).scheme.lower() in ALLOWED_SCHEMES
        if settings.fetch_feed_entries and fetchable:
            try:
                yield document_from_page(fetcher.fetch(link), link, metadata)
            except FetchError as exc:
                yield Failure(link, str(exc))
            continue
        source = f"{name}#{number}"
        try:
            yield _entry_document(entry, source, link, metadata, settings)
        except InputError as exc:
            yield Failure(source, str(exc))


def _entry_document(
    entry: Any, source: str, link: str | None, metadata: dict[str, Any], settings: Settings
) -> RawDocument:
    content = entry.get("content")
    detail = content[0] if content else entry.get("summary_detail")
    if not detail or not (detail.get("value") or "").strip():
        raise InputError(f"{source}: the feed entry has no content{'' if link else ' and no link'}")
    kind = "text" if detail.get("type") == "text/plain" else "html"
    return document_from_text(
        detail["value"], source, settings, kind=kind, url=link, metadata=metadata
    )


def _metadata(entry: Any, site: str | None) -> dict[str, Any]:
    authors = [author["name"] for author in entry.get("authors", []) if author.get("name")]
    if len(authors) <= 1 and entry.get("author"):  # feedparser can garble RSS "email (Name)"
        authors = [_EMAIL_AND_NAME.sub(r"\1", entry["author"])]
    metadata = {
        "title": entry.get("title") or None,
        "published": _iso_date(entry),
        "authors": authors,
        "site": site,
    }
    return {key: value for key, value in metadata.items() if value}


def _iso_date(entry: Any) -> str | None:
    """The entry's date as ISO 8601 (feedparser normalises it to UTC), else as the feed wrote it."""
    for key in ("published", "updated"):
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            return datetime(*parsed[:6], tzinfo=timezone.utc).isoformat()
        if entry.get(key):
            return entry[key]
    return None
