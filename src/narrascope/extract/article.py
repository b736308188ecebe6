"""The article in a page: its body as lines, title, authors, date and site, furniture out.

HTML goes through trafilatura (main text, metadata); text pasted from a page is read line by
line. Both then pass the same clean-up (`clean_lines`): the furniture trafilatura let through
or the paste carried, a title line and a byline are taken out and reported in `removed`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import trafilatura

from ..errors import ExtractionError
from ..ingest import RawDocument
from ..model import RemovedText
from ..settings import Settings
from .bylines import Byline, parse_byline, split_names
from .furniture import classify_lines, copyright_holder
from .normalize import normalize


@dataclass
class Extracted:
    text: str
    title: str | None
    authors: list[str]
    published: str | None
    site: str | None
    removed: list[RemovedText]


@dataclass
class Line:
    """One non-empty line of a page."""

    text: str  # stripped and normalised
    start: int | None  # offsets of the stripped line in the raw input, when known
    end: int | None


@dataclass
class Cleaned:
    """A page's lines after `clean_lines`: what is left, what was found, what was cut."""

    lines: list[str]
    title: str | None = None
    byline: Byline = field(default_factory=Byline)
    removed: list[RemovedText] = field(default_factory=list)


TITLE_SEARCH_LINES = 8  # the title is among the first lines, after header furniture only
MAX_TITLE_WORDS = 30
MAX_HEADER_WORDS = 6  # section labels and menus above a title ("Opinion", "World › Europe")
BYLINE_SEARCH_LINES = 4  # lines after the title (or the start) where a byline may stand


def _looks_like_title(line: str) -> bool:
    words = line.split()
    cut_short = line.endswith(("...", "…"))  # headlines truncated by a listing page
    return 3 <= len(words) <= MAX_TITLE_WORDS and (cut_short or not line.endswith((".", ",", ";", ":")))


def _find_title(lines: list[Line], known: str | None) -> int | None:
    """Index of the title line: the metadata title if a line repeats it, else the first
    heading-like line that only short header lines precede (and that leaves a body)."""
    known_key = normalize(known).casefold() if known else None
    for index, line in enumerate(lines[:TITLE_SEARCH_LINES]):
        if known_key and line.text.casefold() == known_key:
            return index
    if known_key:
        return None
    for index, line in enumerate(lines[: min(TITLE_SEARCH_LINES, len(lines) - 1)]):
        if _looks_like_title(line.text) and parse_byline(line.text) is None:
            return index
        if len(line.text.split()) > MAX_HEADER_WORDS:  # a body paragraph came first: no title line
            return None
    return None


def _find_byline(lines: list[Line], after: int) -> tuple[int, Byline] | None:
    for index in range(after, min(after + BYLINE_SEARCH_LINES, len(lines))):
        byline = parse_byline(lines[index].text)
        if byline:
            return index, byline
    return None


def clean_lines(lines: list[Line], known_title: str | None = None) -> Cleaned:
    """Drop furniture, the title line and the byline from a page's lines, reporting each."""
    reasons = classify_lines([line.text for line in lines])
    content = [i for i in range(len(lines)) if i not in reasons]
    title_at = _find_title([lines[i] for i in content], known_title)
    title = None
    if title_at is not None:
        for i in content[:title_at]:
            reasons[i] = "page header"  # section labels, dates, menus above the headline
        reasons[content[title_at]] = "title"
        title = lines[content[title_at]].text
        content = content[title_at + 1 :]
    found = _find_byline([lines[i] for i in content], 0)
    byline = Byline()
    if found and len(content) > 1:
        reasons[content[found[0]]] = "byline"
        byline = found[1]
    kept = [line.text for i, line in enumerate(lines) if i not in reasons]
    removed = [
        RemovedText(text=lines[i].text, reason=reason, start=lines[i].start, end=lines[i].end)
        for i, reason in sorted(reasons.items())
    ]
    return Cleaned(lines=kept, title=title, byline=byline, removed=removed)


def _text_lines(content: str) -> list[Line]:
    """Non-empty lines of pasted text with their offsets in the raw input."""
    lines = []
    for match in re.finditer(r"[^\r\n]+", content):
        text = normalize(match.group())
        if text:
            start = match.start() + (len(match.group()) - len(match.group().lstrip()))
            lines.append(Line(text, start, match.start() + len(match.group().rstrip())))
    return lines


def _html_lines(body: str, raw_content: str) -> list[Line]:
    """Lines of trafilatura's text, located in the HTML when they appear there verbatim."""
    lines = []
    for text in filter(None, (normalize(line) for line in body.split("\n"))):
        found = raw_content.find(text)
        lines.append(Line(text, found if found >= 0 else None, found + len(text) if found >= 0 else None))
    return lines


def _metadata_authors(value: object) -> list[str]:
    if isinstance(value, str):
        return split_names(value.replace(";", ","), introduced=True) or [value.strip()]
    if isinstance(value, (list, tuple)):
        return [str(name).strip() for name in value if str(name).strip()]
    return []


def _from_html(raw: RawDocument) -> tuple[list[Line], dict[str, object]]:
    result = trafilatura.bare_extraction(
        raw.content,
        url=raw.url,
        fast=True,  # no fallback extractors: twice the speed, same text on news pages (see tests)
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        date_extraction_params={"extensive_search": True, "original_date": True},
    )
    if result is None or not (result.text or "").strip():
        return [], {}
    found = {
        "title": result.title,
        "authors": _metadata_authors(result.author) if result.author else [],
        "published": result.date,
        "site": result.sitename,
    }
    return _html_lines(result.text, raw.content), found


def extract(raw: RawDocument, settings: Settings) -> Extracted:
    """The article in `raw`; `ExtractionError` naming the source when it holds no body text."""
    if raw.kind == "html":
        lines, found = _from_html(raw)
    else:
        lines, found = _text_lines(raw.content), {}
    known_title = found.get("title") or raw.metadata.get("title")
    cleaned = clean_lines(lines, known_title if isinstance(known_title, str) else None)
    if not any(any(ch.isalnum() for ch in line) for line in cleaned.lines):
        what = f"all {len(lines)} lines look like page furniture" if lines else "no text"
        raise ExtractionError(f"{raw.source}: no article text found ({what})")
    text = "\n".join(cleaned.lines)
    removed = list(cleaned.removed)
    if len(text) > settings.max_text_chars:  # cut, but say so: nothing is dropped silently
        removed.append(RemovedText(text=text[settings.max_text_chars :], reason="over the max_text_chars limit"))
        text = text[: settings.max_text_chars]
    return Extracted(
        text=text,
        title=cleaned.title or _str(known_title),
        authors=found.get("authors") or cleaned.byline.authors or _metadata_authors(raw.metadata.get("authors")),
        # what the source declares (a feed's or JSONL's date) beats a date found in the page
        published=_str(raw.metadata.get("published")) or found.get("published") or cleaned.byline.published,
        site=_str(found.get("site")) or _str(raw.metadata.get("site")) or _site_from(cleaned.removed),
        removed=removed,
    )


def _site_from(removed: list[RemovedText]) -> str | None:
    """The outlet named in a removed copyright line, for pasted text that has no metadata."""
    holders = (copyright_holder(item.text) for item in removed if item.reason == "copyright")
    return next((holder for holder in holders if holder), None)


def _str(value: object) -> str | None:
    """A metadata value as a non-empty string, or None."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


__all__ = ["Extracted", "extract"]
