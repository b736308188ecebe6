"""The article in an HTML page: body lines and metadata from the extractors."""

from __future__ import annotations

import trafilatura

from ..ingest import RawDocument
from .bylines import split_names
from .lines import Line
from .normalize import normalize



LOCATE_WINDOW_CHARS = 20_000  # how far past the previous line the next one is looked for


def _html_lines(body: str, raw_content: str, max_lines: int) -> list[Line]:
    """The first `max_lines` lines of the extracted text, located in the HTML when they appear
    there verbatim, in order: each search starts at the previous line and looks a bounded
    window ahead, so locating costs time linear in the page, however many lines it has."""
    lines = []
    position = 0
    for text in filter(None, (normalize(line) for line in body.split("\n"))):
        if len(lines) == max_lines:
            break
        found = raw_content.find(text, position, position + LOCATE_WINDOW_CHARS + len(text))
        if found < 0:
            lines.append(Line(text, None, None))
            continue
        lines.append(Line(text, found, found + len(text)))
        position = found + len(text)
    return lines


def metadata_authors(value: object) -> list[str]:
    if isinstance(value, str):
        return split_names(value.replace(";", ","), introduced=True) or [value.strip()]
    if isinstance(value, (list, tuple)):
        return [str(name).strip() for name in value if str(name).strip()]
    return []


def from_html(raw: RawDocument, max_lines: int) -> tuple[list[Line], dict[str, object]]:
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
        "authors": metadata_authors(result.author) if result.author else [],
        "published": result.date,
        "site": result.sitename,
    }
    return _html_lines(result.text, raw.content, max_lines), found


