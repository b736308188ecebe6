"""RSS and Atom feeds (feedparser): one document per entry.

An entry that carries the article (`content:encoded`, Atom content, or a long description) is
analysed from the feed itself; only an entry that is a teaser (a few words, or none) has its link
fetched, through the guarded fetcher. `Settings.fetch_feed_entries` (`--fetch-feed-entries`)
changes that: `always` fetches every entry's page, `never` uses only what the feed holds.

Feed content is an HTML fragment or plain text, never a whole page, so it is turned into text
here (paragraphs kept as lines) rather than handed to the page extractor, which finds no article
in a fragment. Entry title, date and authors, and the feed's title as `site`, go into the
document's metadata; the feed's date is the document's date even when the page names another.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

import feedparser
import lxml.html
from lxml.etree import ParserError

from ..errors import FetchError, InputError
from ..settings import FEED_ENTRY_MODES, Settings
from .items import Failure, RawDocument
from .documents import document_from_page, document_from_text
from .fetch import ALLOWED_SCHEMES, Fetcher

FULL_TEXT_MIN_WORDS = 80  # fewer words in the feed than this, and the entry is a teaser of its page
_EMAIL_AND_NAME = re.compile(r"^\s*\S+@\S+\s+\((.+)\)\s*$")  # RSS: "desk@site.example (Name)"
_MARKUP = re.compile(r"<[A-Za-z!/][^>]*>|&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);")
_CUT_SHORT = re.compile(r"(\.\.\.|…|\[…\]|\[\.\.\.\]|read more|continue reading|weiterlesen|lire la suite)\W*$", re.I)
_BLOCKS = ("p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr",
           "table", "section", "article", "header", "footer", "figure", "figcaption", "hr", "dd", "dt")
_LEGACY_SWITCH = {"1": "always", "true": "always", "yes": "always", "on": "always",
                  "0": "never", "false": "never", "no": "never", "off": "never"}


def iter_feed(
    data: bytes, name: str, settings: Settings, fetcher: Fetcher, base_url: str | None = None
) -> Iterator[RawDocument | Failure]:
    """Yield a document or failure per entry of the feed in `data`, read from `name`.

    `base_url` (a fetched feed's final URL) resolves relative entry links.
    """
    mode = entry_mode(settings)
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
        source = f"{name}#{number}"
        text = entry_text(entry)
        fetchable = bool(link) and urlsplit(link).scheme.lower() in ALLOWED_SCHEMES
        if fetchable and (mode == "always" or (mode == "auto" and is_teaser(text))):
            yield _fetched(fetcher, link, metadata, text)
            continue
        try:
            if not text.strip():
                raise InputError(f"{source}: the feed entry has no content{'' if link else ' and no link'}")
            yield document_from_text(text, source, settings, kind="text", url=link, metadata=metadata)
        except InputError as exc:
            yield Failure(source, str(exc))


def entry_mode(settings: Settings) -> str:
    """`auto`, `always` or `never`; the old boolean spellings of the switch still work."""
    value = str(settings.fetch_feed_entries).strip().lower()
    value = _LEGACY_SWITCH.get(value, value)
    if value not in FEED_ENTRY_MODES:
        raise InputError(f"fetch_feed_entries {value!r}: expected one of {', '.join(FEED_ENTRY_MODES)}")
    return value


def entry_text(entry: Any) -> str:
    """The entry's article as text: its full content if it has one, else its summary, with any
    HTML markup turned into lines (one per paragraph)."""
    for detail in [*(entry.get("content") or []), entry.get("summary_detail")]:
        value = (detail or {}).get("value") or ""
        if not value.strip():
            continue
        if detail.get("type") == "text/plain" or not _MARKUP.search(value):
            return value.strip()
        return fragment_text(value)
    return ""


def is_teaser(text: str) -> bool:
    """True when the feed holds only a teaser of the page: few words, or text that trails off."""
    return len(text.split()) < FULL_TEXT_MIN_WORDS or bool(_CUT_SHORT.search(text))


def fragment_text(fragment: str) -> str:
    """An HTML fragment's text, one line per block element (scripts and styles dropped)."""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ParserError, ValueError):
        return ""
    for element in root.iter("script", "style", "noscript", "template"):
        element.drop_tree()
    for element in root.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def _fetched(fetcher: Fetcher, link: str, metadata: dict[str, Any], text: str) -> RawDocument | Failure:
    try:
        return document_from_page(fetcher.fetch(link), link, metadata)
    except FetchError as exc:
        held = f"; the feed holds only {len(text.split())} words of it" if text.strip() and is_teaser(text) else ""
        return Failure(link, f"{exc}{held}")


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
