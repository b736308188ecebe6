"""The article in a page: its body as lines, title, authors, date and site, furniture out.

HTML goes through the extractors (`html`); text pasted from a page is read line by line. Both
then pass the same clean-up (`lines.clean_lines`): the furniture the extractors let through or
the paste carried, a title line and a byline are taken out and reported in `removed`. Work is
bounded: input beyond `max_text_chars` and lines beyond `max_paragraphs` are cut, and the cut
is reported too.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ExtractionError
from ..ingest import RawDocument
from ..model import RemovedText
from ..settings import Settings
from .furniture import copyright_holder
from .html import from_html, metadata_authors
from .lines import clean_lines, text_lines


@dataclass
class Extracted:
    text: str
    title: str | None
    authors: list[str]
    published: str | None
    site: str | None
    removed: list[RemovedText]


PREVIEW_CHARS = 1_000  # of a cut over a limit: enough to recognise it, not a second copy of the input


def extract(raw: RawDocument, settings: Settings) -> Extracted:
    """The article in `raw`; `ExtractionError` naming the source when it holds no body text."""
    removed: list[RemovedText] = []
    content = raw.content
    if raw.kind == "html":
        lines, found = from_html(raw, settings.max_paragraphs + 1)
    else:
        if len(content) > settings.max_text_chars:  # cleaning only shrinks text: the rest cannot be kept
            limit = settings.max_text_chars
            removed.append(_cut(content[limit:], "max_text_chars", limit, len(content)))
            content = content[: settings.max_text_chars]
        lines, found = text_lines(content, settings.max_paragraphs + 1), {}
    if len(lines) > settings.max_paragraphs:  # read one line more than the limit to know
        first_cut = lines[settings.max_paragraphs]
        if first_cut.start is not None and raw.kind == "text":
            removed.append(_cut(content[first_cut.start :], "max_paragraphs", first_cut.start, len(content)))
        else:  # extracted HTML text: the first line cut stands for the rest
            removed.append(_cut(first_cut.text, "max_paragraphs", first_cut.start, first_cut.end))
        lines = lines[: settings.max_paragraphs]
    known_title = found.get("title") or raw.metadata.get("title")
    cleaned = clean_lines(lines, known_title if isinstance(known_title, str) else None)
    if not any(any(ch.isalnum() for ch in line) for line in cleaned.lines):
        what = f"all {len(lines)} lines look like page furniture" if lines else "no text"
        raise ExtractionError(f"{raw.source}: no article text found ({what})")
    text = "\n".join(cleaned.lines)
    removed[:0] = cleaned.removed
    if len(text) > settings.max_text_chars:  # cut, but say so: nothing is dropped silently
        removed.append(_cut(text[settings.max_text_chars :], "max_text_chars", None, None))
        text = text[: settings.max_text_chars]
    return Extracted(
        text=text,
        title=cleaned.title or _title_not_cut(_str(known_title), cleaned.removed),
        authors=found.get("authors") or cleaned.byline.authors or metadata_authors(raw.metadata.get("authors")),
        # what the source declares (a feed's or JSONL's date) beats a date found in the page
        published=_str(raw.metadata.get("published")) or found.get("published") or cleaned.byline.published,
        site=_str(found.get("site")) or _str(raw.metadata.get("site")) or _site_from(cleaned.removed),
        removed=removed,
    )


def _cut(rest: str, setting: str, start: int | None, end: int | None) -> RemovedText:
    """What a limit cut, as removed text: its head (all of it when short) and, when known, its
    extent `[start, end)` in the raw input."""
    shown = rest if len(rest) <= PREVIEW_CHARS else rest[:PREVIEW_CHARS] + "…"
    return RemovedText(text=shown, reason=f"over the {setting} limit", start=start, end=end)


def _title_not_cut(title: str | None, removed: list[RemovedText]) -> str | None:
    """`title`, unless it is a line extraction itself cut as furniture ("Skip to content")."""
    if title is None:
        return None
    key = " ".join(title.split()).casefold()
    cut = any(item.reason != "title" and " ".join(item.text.split()).casefold() == key for item in removed)
    return None if cut else title


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
