"""What a user hands the web app (pasted text or HTML, a URL, an uploaded file) as a `Submission`:
plain data the job queue persists before answering, and reads into documents in a worker, also
after a restart.

Cheap checks (empty, too large, wrong file type, undecodable, not an http(s) URL) run while the
request is answered, so the user hears about them at once; fetching and reading batches run later
in the worker, through `narrascope.ingest` like every other interface (the URL through its
address guard).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import PurePath

from ..errors import InputError
from ..ingest import Item
from ..ingest.compressed import archive_of
from ..ingest.decode import format_size
from ..ingest.documents import Kind, check_unicode, document_from_page, document_from_text
from ..ingest.fetch import check_url, fetch
from ..ingest.sources import format_of, read_named
from ..settings import Settings

UPLOAD_FORMATS = ("html", "text", "jsonl", "warc")
BATCH_FORMATS = ("jsonl", "warc")
UPLOAD_SUFFIXES = ".html .htm .xhtml .txt .md .jsonl .ndjson .warc .arc (also compressed: .gz, .bz2, .xz)"


class InputTooLarge(InputError):
    """The input is over a size limit (HTTP 413)."""


class UnsupportedInput(InputError):
    """The input is of a type the app does not read (HTTP 415)."""


def http_status(exc: InputError) -> int:
    """413 for inputs over a limit, 415 for unreadable types, 422 for the rest."""
    return 413 if isinstance(exc, InputTooLarge) else 415 if isinstance(exc, UnsupportedInput) else 422


@dataclass(frozen=True)
class Submission:
    """One thing to analyse, as the queue stores it: `kind` is text, html, paste (text or HTML,
    sniffed), url or upload; `payload` the text, URL or file bytes; `filename` an upload's name."""

    title: str
    kind: str
    payload: bytes
    filename: str | None = None


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
    return Submission(title=title, kind=kind or "paste", payload=content.encode("utf-8"))


def from_url(url: str, settings: Settings) -> Submission:
    """A page to fetch. The scheme is checked now; the address guard runs when it is fetched."""
    url = url.strip()
    if not url:
        raise InputError("url: empty")
    check_unicode(url, "url", what="the URL")
    check_url(url)
    return Submission(title=url, kind="url", payload=url.encode("utf-8"))


def from_upload(filename: str, data: bytes, settings: Settings) -> Submission:
    """An uploaded HTML or text file, or a batch (JSON Lines, one article per line, or a WARC
    archive); any of them may be compressed."""
    name = PurePath(filename or "upload").name or "upload"
    if not data:
        raise InputError(f"{name}: empty file")
    _check_bytes(len(data), name, settings)
    fmt = _upload_format(name)
    if fmt not in BATCH_FORMATS:
        list(read_named(io.BytesIO(data), name, fmt, settings))  # one document: refused now if it cannot be read
    return Submission(title=name, kind="upload", payload=data, filename=name)


def read(submission: Submission, settings: Settings) -> list[Item]:
    """The documents (and failures) of a submission; runs in a worker, maybe after a restart."""
    if submission.kind == "url":
        url = submission.payload.decode("utf-8")
        return [document_from_page(fetch(url, settings), url)]
    if submission.kind != "upload":
        kind: Kind | None = None if submission.kind == "paste" else submission.kind  # type: ignore[assignment]
        name = f"<{kind or 'text'}>"
        return [document_from_text(submission.payload.decode("utf-8"), name, settings, kind=kind)]
    name = submission.filename or "upload"
    return list(read_named(io.BytesIO(submission.payload), name, _upload_format(name), settings))


def _upload_format(name: str) -> str:
    archive = archive_of(name)
    if archive:
        raise UnsupportedInput(f"{name}: {archive}; archives are not unpacked (upload its files one by one)")
    fmt = format_of(PurePath(name))
    if fmt not in UPLOAD_FORMATS:
        what = f"{fmt} files" if fmt else f"file type {''.join(PurePath(name).suffixes[-2:]) or '(no extension)'}"
        raise UnsupportedInput(f"{name}: unsupported {what}; upload one of {UPLOAD_SUFFIXES}")
    return fmt


def _check_bytes(size: int, name: str, settings: Settings) -> None:
    if size > settings.max_input_bytes:
        limit = format_size(settings.max_input_bytes)
        raise InputTooLarge(f"{name}: {format_size(size)}, over the {limit} input limit")


def _headline(content: str, limit: int = 70) -> str:
    line = " ".join(content.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
