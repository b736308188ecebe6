"""The article in an HTML page: body lines and metadata from the extractors.

trafilatura finds the main text and the metadata. When it finds no text at all (odd markup), or
the page nests deeper than lxml parses (libxml2 stops at 256 levels and drops the rest),
resiliparse's lexbor parser reads the page's whole visible text in linear time, and the
furniture classifier cleans it like pasted text. (resiliparse's main-content mode is not used
there: its cost grows with the square of the nesting depth.)
"""

from __future__ import annotations

import re

import trafilatura
from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.html import HTMLTree

from ..ingest import RawDocument
from .authors import choose_authors
from .bylines import split_names
from .lead import missed_lead
from .lines import Line
from .metadata import choose_title
from .normalize import normalize
from .published import choose_date

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
        # names trafilatura joined with ";", when they are not a plain list of names
        return split_names(value.replace(";", ","), introduced=True) or [part.strip() for part in value.split(";") if part.strip()]
    if isinstance(value, (list, tuple)):
        return [str(name).strip() for name in value if str(name).strip()]
    return []


# Containers that are closed explicitly in practice: their nesting estimates the page's depth in
# one linear scan. The deepest of the 949 development pages scores 313 (unclosed tags included).
_CONTAINER_TAG = re.compile(r"<(/?)(?:div|section|article|main|aside|header|footer|nav|table|ul|ol|blockquote|form)\b", re.I)
TOO_DEEP = 1_000


_CONTAINER_OPENING = re.compile(r"<(?:div|section|article|main|aside|header|footer|nav|table|ul|ol|blockquote|form)\b", re.I)


def _may_nest_too_deep(html: str) -> bool:
    """Whether the page opens enough containers to nest past `TOO_DEEP` (counted in C; the depth
    itself is measured only then: most pages open a few hundred)."""
    return len(_CONTAINER_OPENING.findall(html)) > TOO_DEEP


def nesting_depth(html: str) -> int:
    """The deepest nesting of container elements in `html`, estimated from its tags."""
    depth = deepest = 0
    for match in _CONTAINER_TAG.finditer(html):
        depth = max(depth - 1, 0) if match.group(1) else depth + 1
        deepest = max(deepest, depth)
    return deepest


# trafilatura's fast mode, and its fallbacks (readability, jusText; 60 % more time) only where the
# fast text is short. On the fit half of the development set, body F1: fast 0.914, always with
# fallbacks 0.924, fallbacks below 1,000 characters 0.923 (13 % of pages run twice). Tables are
# kept: their cells are article text on the development pages (fit half: F1 +0.006).
FALLBACK_BELOW_CHARS = 1_000


def _trafilatura(raw: RawDocument, *, fast: bool, with_metadata: bool) -> trafilatura.settings.Document | None:
    return trafilatura.bare_extraction(
        raw.content,
        url=raw.url,
        fast=fast,
        with_metadata=with_metadata,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        date_extraction_params={"extensive_search": True, "original_date": True},
    )


def from_html(raw: RawDocument, max_lines: int) -> tuple[list[Line], dict[str, object]]:
    result = _trafilatura(raw, fast=True, with_metadata=True)
    tree = HTMLTree.parse(raw.content)
    if result is None:
        return _html_lines(visible_text(tree), raw.content, max_lines), {}
    text = result.text or ""
    if len(text) < FALLBACK_BELOW_CHARS:  # little text: worth trafilatura's fallback extractors
        second = _trafilatura(raw, fast=False, with_metadata=False)
        text = (second.text if second is not None else "") or text
    page_text = visible_text(tree)
    if not text.strip() or _may_nest_too_deep(raw.content) and nesting_depth(raw.content) > TOO_DEEP:
        text = page_text
    title = choose_title(result.title, result.sitename, tree)
    text = "\n".join([*missed_lead(page_text, text, title, result.description), text])
    found = {
        "title": title,
        "authors": choose_authors(
            metadata_authors(result.author) if result.author else [], tree, result.sitename, page_text, title
        ),
        "published": choose_date(result.date, tree, raw.url, page_text),
        "site": result.sitename,
    }
    return _html_lines(text, raw.content, max_lines), found


def visible_text(tree: HTMLTree) -> str:
    """Every visible text block of a parsed page, one per line (scripts, styles, forms left out)."""
    return extract_plain_text(tree, main_content=False, noscript=False, form_fields=False)
