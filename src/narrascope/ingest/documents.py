"""Building `RawDocument`s, with the checks every source shares: size, encoding, blankness, kind."""

from __future__ import annotations

from typing import Any, BinaryIO, Literal

from ..errors import InputError
from ..settings import Settings
from . import RawDocument
from .decode import decode, format_size, looks_like_html
from .fetch import HTML_TYPES, TEXT_TYPES, FetchedPage

Kind = Literal["html", "text"]


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
    return RawDocument(source=source, content=content, kind=kind or sniff_kind(content), url=url, metadata=metadata or {})


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
    return RawDocument(
        source=source, content=content, kind=kind or sniff_kind(content), url=url, id=id, metadata=metadata or {}
    )


def document_from_page(page: FetchedPage, source: str, metadata: dict[str, Any] | None = None) -> RawDocument:
    """A fetched page as a document; its kind comes from the content type, else from sniffing."""
    kind: Kind | None = "html" if page.content_type in HTML_TYPES else "text" if page.content_type in TEXT_TYPES else None
    content = page.content
    return RawDocument(source=source, content=content, kind=kind or sniff_kind(content), url=page.url, metadata=metadata or {})


def sniff_kind(content: str) -> Kind:
    return "html" if looks_like_html(content) else "text"


def read_capped(stream: BinaryIO, source: str, settings: Settings) -> bytes:
    """Read all of `stream`, refusing it (without reading on) once it passes the input limit."""
    data = stream.read(settings.max_input_bytes + 1)
    check_size(len(data), source, settings)
    return data


def check_size(size: int, source: str, settings: Settings) -> None:
    if size > settings.max_input_bytes:
        raise InputError(f"{source}: larger than the {format_size(settings.max_input_bytes)} input limit")
