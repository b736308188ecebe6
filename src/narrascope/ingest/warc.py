"""WARC and ARC web archives (warcio): every successful HTML response becomes a document.

Requests, metadata, revisits, redirects, errors and non-HTML responses are not articles and are
skipped without a word; a record that cannot be read is a failure; a damaged or truncated archive
is a failure that ends that archive (what came before it is kept; a page cut short is not).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from ..errors import InputError
from ..settings import Settings
from .items import Failure, RawDocument
from .decode import parse_content_type
from .documents import document_from_bytes, read_capped
from .fetch import HTML_TYPES

_ARCHIVE_SIGNATURES = (b"WARC/", b"\x1f\x8b", b"filedesc://")  # WARC, gzip (.warc.gz, .arc.gz), ARC


def iter_warc(stream: BinaryIO, name: str, settings: Settings) -> Iterator[RawDocument | Failure]:
    """Yield a document per HTML response in the archive `stream` (read from `name`)."""
    pages = 0
    try:
        for record in _records(stream, name):
            if not _is_html_response(record):
                continue
            pages += 1
            document = _document(record, name, settings)
            if isinstance(document, RawDocument) and getattr(record.raw_stream, "limit", 0) > 0:
                raise _damaged(name)  # the archive ended inside this page: not a page to analyse
            yield document
    except InputError as exc:
        yield Failure(name, str(exc))
        return
    if pages == 0:
        yield Failure(name, f"{name}: no HTML pages (status 200, text/html) in the archive")


def _records(stream: BinaryIO, name: str) -> Iterator[ArcWarcRecord]:
    """The archive's records, each read to its end; `InputError` when the archive is damaged."""
    if not hasattr(stream, "peek"):
        stream = io.BufferedReader(stream)
    if not stream.peek(len(b"filedesc://")).startswith(_ARCHIVE_SIGNATURES):
        raise InputError(f"{name}: not a WARC or ARC archive")
    records = ArchiveIterator(stream, arc2warc=True)
    previous = None
    while True:
        try:
            record = next(records, None)
        except Exception as exc:  # warcio raises whatever the damage happens to trigger
            raise _damaged(name, exc) from None
        if previous is not None and getattr(previous.raw_stream, "limit", 0) > 0:
            raise _damaged(name)  # the archive ended inside the previous record's body
        if record is None:
            if records.offset < records.fh.tell():
                raise _damaged(name)  # bytes after the last whole record: a record cut short
            return
        yield record
        previous = record


def _document(record: ArcWarcRecord, name: str, settings: Settings) -> RawDocument | Failure:
    uri = record.rec_headers.get_header("WARC-Target-URI")
    source = f"{name}#{uri}"
    _, charset = parse_content_type(record.http_headers.get_header("Content-Type"))
    try:
        data = read_capped(record.content_stream(), source, settings)
        return document_from_bytes(
            data, source, settings, kind="html", declared_charset=charset, url=uri
        )
    except InputError as exc:
        return Failure(source, str(exc))


def _damaged(name: str, exc: Exception | None = None) -> InputError:
    """The one message for an archive that cannot be read on (truncated, corrupt, not WARC)."""
    detail = f" ({exc})" if isinstance(exc, ArchiveLoadFailed) else ""  # others say nothing useful
    return InputError(f"{name}: damaged or truncated archive, stopped reading{detail}")


def _is_html_response(record: ArcWarcRecord) -> bool:
    if record.rec_type != "response" or record.http_headers is None:
        return False
    media_type, _ = parse_content_type(record.http_headers.get_header("Content-Type"))
    return record.http_headers.get_statuscode() == "200" and media_type in HTML_TYPES
