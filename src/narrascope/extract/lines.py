"""A page as lines: the furniture among them, the title line and the byline, found and cut.

The same clean-up (`clean_lines`) serves HTML (the lines the extractors kept) and text pasted
from a page; everything cut is reported with its reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import RemovedText
from .bylines import Byline, parse_byline
from .furniture import classify_lines
from .normalize import normalize


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


def _find_byline(lines: list[Line], after: int) -> list[tuple[int, Byline]]:
    """The byline among the first lines: one line, or two in a row when the names and the date
    stand on lines of their own ("By Jane Doe" / "March 3, 2024")."""
    for index in range(after, min(after + BYLINE_SEARCH_LINES, len(lines))):
        byline = parse_byline(lines[index].text)
        if not byline:
            continue
        following = parse_byline(lines[index + 1].text) if index + 1 < len(lines) else None
        if following and bool(byline.authors) != bool(following.authors):
            return [(index, byline), (index + 1, following)]
        return [(index, byline)]
    return []


def clean_lines(lines: list[Line], known_title: str | None = None) -> Cleaned:
    """Drop furniture, the title line and the byline from a page's lines, reporting each."""
    reasons = classify_lines([line.text for line in lines])
    content = [i for i in range(len(lines)) if i not in reasons]
    title_at = _find_title([lines[i] for i in content], known_title)
    title = None
    if title_at is not None:
        for i in content[:title_at]:  # section labels, dates, menus above the headline; a teaser stays
            if len(lines[i].text.split()) <= MAX_HEADER_WORDS:
                reasons[i] = "page header"
        reasons[content[title_at]] = "title"
        title = lines[content[title_at]].text
        content = content[title_at + 1 :]
    found = _find_byline([lines[i] for i in content], 0)
    byline = Byline()
    if found and len(content) > len(found):
        for index, part in found:
            reasons[content[index]] = "byline"
            byline = Byline(authors=byline.authors or part.authors, published=byline.published or part.published)
    kept = [line.text for i, line in enumerate(lines) if i not in reasons]
    removed = [
        RemovedText(text=lines[i].text, reason=reason, start=lines[i].start, end=lines[i].end)
        for i, reason in sorted(reasons.items())
    ]
    return Cleaned(lines=kept, title=title, byline=byline, removed=removed)


def text_lines(content: str, max_lines: int) -> list[Line]:
    """The first `max_lines` non-empty lines of pasted text with their offsets in the raw input."""
    lines: list[Line] = []
    for match in re.finditer(r"[^\r\n]+", content):
        if len(lines) == max_lines:
            break
        text = normalize(match.group())
        if text:
            start = match.start() + (len(match.group()) - len(match.group().lstrip()))
            lines.append(Line(text, start, match.start() + len(match.group().rstrip())))
    return lines


