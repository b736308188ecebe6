"""JSON Lines: one article per line, `{"text": ...}` or `{"html": ...}`, with optional `url`, `id`,
`title`, `published`, `authors` and `site`. A bad line is reported (with its number) and skipped.

When a line has both, `text` wins: it is what the user already extracted.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from ..errors import InputError
from ..settings import Settings
from .items import Failure, RawDocument
from .decode import format_size
from .documents import check_unicode, document_from_text

_METADATA_STRINGS = ("title", "published", "site")


def iter_jsonl(stream: BinaryIO, name: str, settings: Settings) -> Iterator[RawDocument | Failure]:
    """Yield one document or failure per non-blank line of `stream` (read from `name`)."""
    for number, line in enumerate(_capped_lines(stream, settings.max_input_bytes), start=1):
        where = f"{name} line {number}"
        if line is None:
            limit = format_size(settings.max_input_bytes)
            yield Failure(f"{name}:{number}", f"{where}: larger than the {limit} input limit")
            continue
        if not line.strip():
            continue
        if number == 1 and line.lstrip(b"\xef\xbb\xbf \t").startswith(b"["):
            raise InputError(
                f"{name}: a JSON array; narrascope reads JSON Lines (one object per line)"
            )
        source = f"{name}:{number}"
        try:
            record = _parse(line, where)
        except Exception as exc:  # noqa: BLE001 - whatever one line does, the next lines are read
            yield Failure.from_exception(source, exc)
            continue
        input_id = _input_id(record)
        try:
            yield _document(record, source, where, settings)
        except Exception as exc:  # noqa: BLE001
            yield Failure.from_exception(source, exc, input_id)


def _capped_lines(stream: BinaryIO, limit: int) -> Iterator[bytes | None]:
    """The lines of `stream`; None in place of a line longer than `limit` (which is skipped)."""
    while line := stream.readline(limit + 1):
        if len(line.rstrip(b"\r\n")) <= limit:
            yield line
            continue
        while line and not line.endswith(b"\n"):
            line = stream.readline(limit + 1)
        yield None


def _parse(line: bytes, where: str) -> dict[str, Any]:
    try:
        record = json.loads(line.strip())
    except UnicodeDecodeError:
        raise InputError(f"{where}: not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:  # Python's parser gives up near 1,000 levels; an article has 1 or 2
        raise InputError(f"{where}: nested too deeply (expected one flat JSON object per line)") from None
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object, got {type(record).__name__}")
    return record


def _input_id(record: dict[str, Any]) -> str | None:
    """The line's own `id`, when it has a usable one, for a failure to carry."""
    try:
        return _string(record, "id", "", allow_number=True)
    except InputError:
        return None


def _document(record: dict[str, Any], source: str, where: str, settings: Settings) -> RawDocument:
    text, html = _string(record, "text", where), _string(record, "html", where)
    if text and text.strip():
        kind, content = "text", text
    elif html and html.strip():
        kind, content = "html", html
    else:
        raise InputError(f"{where}: no article: 'text' and 'html' are missing or empty")
    return document_from_text(
        content,
        source,
        settings,
        kind=kind,
        url=_string(record, "url", where),
        id=_string(record, "id", where, allow_number=True),
        metadata=_metadata(record, where),
    )


def _metadata(record: dict[str, Any], where: str) -> dict[str, Any]:
    metadata: dict[str, Any] = {}
    for key in _METADATA_STRINGS:
        value = _string(record, key, where, allow_number=True)
        if value:
            metadata[key] = value
    authors = record.get("authors")
    if isinstance(authors, str):
        authors = [authors]
    if authors is not None:
        if not isinstance(authors, list) or not all(isinstance(author, str) for author in authors):
            raise InputError(f"{where}: 'authors' must be a list of strings")
        for author in authors:
            check_unicode(author, where, what="'authors'")
        metadata["authors"] = [author for author in authors if author.strip()]
    return metadata


def _string(record: dict[str, Any], key: str, where: str, allow_number: bool = False) -> str | None:
    value = record.get(key)
    if isinstance(value, str):
        check_unicode(value, where, what=f"'{key}'")
        return value
    if value is None:
        return value
    if allow_number and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise InputError(f"{where}: '{key}' must be a string, not {type(value).__name__}")
