"""What a user hands the web app (pasted text or HTML, a URL, an uploaded file) as documents.

Cheap checks (empty, too large, wrong file type, not an http(s) URL) run while the request is
answered, so the user hears about them at once; fetching and reading run later in the worker,
through `narrascope.ingest` like every other interface (the URL through its address guard).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from ..errors import InputError
from ..ingest import Failure, RawDocument
from ..ingest.decode import format_size
from ..ingest.documents import Kind, document_from_bytes, document_from_page, document_from_text
from ..ingest.fetch import check_url, fetch
from ..ingest.jsonl import iter_jsonl
from ..settings import Settings

UPLOAD_KINDS: dict[str, Kind] = {
    ".html": "html", ".htm": "html", ".xhtml": "html", ".txt": "text", ".text": "text", ".md": "text"
}
BATCH_SUFFIXES = (".jsonl", ".ndjson")


class InputTooLarge(InputError):
    """The input is over a size limit (HTTP 413)."""


class UnsupportedInput(InputError):
    """The input is of a type the app does not read (HTTP 415)."""


def http_status(exc: InputError) -> int:
    """413 for inputs over a limit, 415 for unreadable types, 422 for the rest."""
    return 413 if isinstance(exc, InputTooLarge) else 415 if isinstance(exc, UnsupportedInput) else 422


@dataclass(frozen=True)
class Submission:
    """One thing to analyse: a title for the job page and how to read its documents (in the worker)."""

    title: str
    read: Callable[[], list[RawDocument | Failure]]


def from_text(content: str, settings: Settings, *, kind: Kind | None = "text") -> Submission:
    """Pasted article text or page source; `kind=None` tells them apart by sniffing."""
    name = kind or "text"
    if not content.strip():
        raise InputError(f"{name}: empty (nothing to analyse)")
    _check_bytes(len(content.encode("utf-8", "surrogatepass")), name, settings)
    document = document_from_text(content, f"<{name}>", settings, kind=kind)
    if document.kind == "text" and len(content) > settings.max_text_chars:
        raise InputTooLarge(f"text: {len(content):,} characters, over the {settings.max_text_chars:,} character limit")
    title = _headline(content) if document.kind == "text" else "pasted HTML"
    return Submission(title=title, read=lambda: [document])


def from_url(url: str, settings: Settings) -> Submission:
    """A page to fetch. The scheme is checked now; the address guard runs when it is fetched."""
    url = url.strip()
    if not url:
        raise InputError("url: empty")
    check_url(url)
    return Submission(title=url, read=lambda: [document_from_page(fetch(url, settings), url)])


def from_upload(filename: str, data: bytes, settings: Settings) -> Submission:
    """An uploaded HTML or text file, or a JSON Lines batch (one article per line)."""
    name = PurePath(filename or "upload").name
    suffix = PurePath(name).suffix.lower()
    if not data:
        raise InputError(f"{name}: empty file")
    _check_bytes(len(data), name, settings)
    if suffix in BATCH_SUFFIXES:
        return Submission(title=name, read=lambda: list(iter_jsonl(io.BytesIO(data), name, settings)))
    if suffix not in UPLOAD_KINDS:
        known = ", ".join(sorted({*UPLOAD_KINDS, *BATCH_SUFFIXES}))
        raise UnsupportedInput(f"{name}: unsupported file type {suffix or '(no extension)'}; use one of {known}")
    document = document_from_bytes(data, name, settings, kind=UPLOAD_KINDS[suffix])
    return Submission(title=name, read=lambda: [document])


def _check_bytes(size: int, name: str, settings: Settings) -> None:
    if size > settings.max_input_bytes:
        limit = format_size(settings.max_input_bytes)
        raise InputTooLarge(f"{name}: {format_size(size)}, over the {limit} input limit")


def _headline(content: str, limit: int = 70) -> str:
    line = " ".join(content.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
