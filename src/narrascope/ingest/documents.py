"""Building `RawDocument`s, with the checks every source shares: size, encoding, blankness, kind."""

from __future__ import annotations

from typing import Any, BinaryIO, Literal

from ..errors import InputError
from ..settings import Settings
from .items import RawDocument
from .decode import decode, format_size, looks_like_html
from .fetch import HTML_TYPES, TEXT_TYPES, FetchedPage
from .names import has_surrogates

Kind = Literal["html", "text"]
_KIND_OF_MEDIA_TYPE: dict[str, Kind] = {
    **dict.fromkeys(HTML_TYPES, "html"),
    **dict.fromkeys(TEXT_TYPES, "text"),
}


def document_from_bytes(
    data: bytes,
    source: str,
    settings: Settings,
    *,
    kind: Kind | None = None,
    declared_charset: str | None = None,
    url: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> RawDocument:
    """Decode `data` into a document; `kind=None` sniffs HTML versus plain text."""
    check_size(len(data), source, settings)
    content = decode(data, source, declared=declared_charset, html=kind != "text")
    return _document(content, source, kind, url=url, metadata=metadata)


def document_from_text(
    content: str,
    source: str,
    settings: Settings,
    *,
    kind: Kind | None = None,
    url: str | None = None,
    id: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> RawDocument:
    """A document from text already decoded (JSON Lines, feed content, pasted text)."""
    check_size(len(content.encode("utf-8", "surrogatepass")), source, settings)
    if not content.strip():
        raise InputError(f"{source}: empty (no text)")
    check_unicode(content, source)
    return _document(content, source, kind, url=url, id=id, metadata=metadata)


def document_from_page(page: FetchedPage, source: str, metadata: dict[str, Any] | None = None) -> RawDocument:
    """A fetched page as a document; its kind comes from the content type, else from sniffing."""
    kind = _KIND_OF_MEDIA_TYPE.get(page.content_type or "")
    return _document(page.content, source, kind, url=page.url, metadata=metadata)


def _document(
    content: str,
    source: str,
    kind: Kind | None,
    *,
    url: str | None = None,
    id: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> RawDocument:
    kind = kind or ("html" if looks_like_html(content) else "text")
    metadata = metadata or {}
    return RawDocument(source=source, content=content, kind=kind, url=url, id=id, metadata=metadata)


def read_capped(stream: BinaryIO, source: str, settings: Settings) -> bytes:
    """Read all of `stream`, refusing it (without reading on) once it passes the input limit."""
    data = stream.read(settings.max_input_bytes + 1)
    check_size(len(data), source, settings)
    return data


def check_unicode(text: str, source: str, what: str = "the text") -> None:
    """Refuse text with a lone surrogate (JSON allows `"\\ud800"`): no encoder, database or
    terminal downstream can take it."""
    if has_surrogates(text):
        at = next(i for i, character in enumerate(text) if "\ud800" <= character <= "\udfff")
        raise InputError(
            f"{source}: {what} is not valid Unicode (a lone surrogate, U+{ord(text[at]):04X}, at character {at + 1})"
        )


def check_size(size: int, source: str, settings: Settings) -> None:
    if size > settings.max_input_bytes:
        limit = format_size(settings.max_input_bytes)
        raise InputError(f"{source}: larger than the {limit} input limit")
