"""Where documents come from: work out what each source is and hand it to the reader for that kind.

A source is `-` (standard input), a URL, a file (also compressed: `.gz`, `.bz2`, `.xz`), a
folder, or (for the Python API) the article text itself. Its format is named by the caller or
detected: URL scheme, folder, file extension, then the content (feed root element, HTML markup).
Whatever goes wrong with one source or one document (any exception) becomes a `Failure` and
reading goes on; what is not read on purpose (see `folders`) is `Skipped`, with its reason.
"""

from __future__ import annotations

import dataclasses
import os
import re
import sys
import textwrap
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import BinaryIO

from ..errors import InputError
from ..settings import DEFAULT, Settings
from .items import Failure, Item, RawDocument
from .compressed import archive_of, compression_of, open_decompressed, read_decompressed
from .decode import looks_like_feed, looks_like_html
from .documents import (
    check_size,
    document_from_bytes,
    document_from_page,
    document_from_text,
    read_capped,
)
from .feeds import iter_feed
from .fetch import FEED_TYPES, FetchedPage, Fetcher
from .folders import walk
from .jsonl import iter_jsonl
from .names import printable
from .warc import iter_warc

INPUT_FORMATS = ("text", "html", "url", "dir", "jsonl", "feed", "warc")

EXTENSION_FORMATS = {  # also compressed (`.html.gz`); `.warc.gz` and `.arc.gz` are read by warcio itself
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".md": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".warc": "warc",
    ".warc.gz": "warc",
    ".arc": "warc",
    ".arc.gz": "warc",
}
_STREAMED_FORMATS = {"jsonl": iter_jsonl, "warc": iter_warc}  # read record by record, any size
_URL_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")  # two letters at least: C:\ is a drive
_SCHEMES_WITHOUT_SLASHES = {"javascript", "vbscript", "data", "mailto", "file", "about", "blob"}
_FILE_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,8}$")
_BARE_DOMAIN = re.compile(r"^(www\.[\w.-]+|[\w-]+(\.[\w-]+)+/)")  # www.example.org, example.org/a
STDIN_NAME = "<stdin>"
TEXT_NAME = "<text>"


def iter_raw(
    sources: Iterable[str],
    input_format: str | None = None,
    settings: Settings = DEFAULT,
    literal_text: bool = False,
) -> Iterator[Item]:
    """Read every source, yielding its documents, `Failure`s for what cannot be read and
    `Skipped` for what is not read on purpose (archives, other file types, links in folders).

    `input_format` (one of `INPUT_FORMATS`) overrides detection. With `literal_text`, a source
    that is neither a URL nor an existing path is the article text itself, unless it looks like
    a mistyped path. Raises `InputError` only for an unknown `input_format`.
    """
    if input_format is not None and input_format not in INPUT_FORMATS:
        choices = ", ".join(INPUT_FORMATS)
        raise InputError(f"unknown input format {input_format!r}; choose from {choices}")
    if isinstance(sources, str):  # one source, not its characters
        sources = [sources]
    with Fetcher(settings) as fetcher:
        reader = _Reader(settings, fetcher, literal_text)
        for source in sources:
            yield from _failures_reported(source, reader.read(source, input_format))


def is_url(source: str) -> bool:
    """True for anything written as a URL (fetchable or not: `ftp://`, `javascript:` count)."""
    source = source.strip()
    match = _URL_SCHEME.match(source)
    if not match or any(character.isspace() for character in source):
        return False
    scheme, rest = match.group(1).lower(), source[match.end() :]
    return rest.startswith("//") or scheme in _SCHEMES_WITHOUT_SLASHES


def format_of(path: PurePath) -> str | None:
    """The input format a file's extension implies (`a.html.gz` is html), or None."""
    name = path.name.lower()
    compression = compression_of(name)
    if compression and not name.endswith((".warc.gz", ".arc.gz")):
        name = name.removesuffix(compression)
    return next((fmt for ext, fmt in EXTENSION_FORMATS.items() if name.endswith(ext)), None)


def _failures_reported(source: str, documents: Iterator[Item]) -> Iterator[Item]:
    """The source's items; whatever ends its reading early becomes its last item, a `Failure`."""
    try:
        yield from documents
    except Exception as exc:  # noqa: BLE001 - one source never stops the others
        yield Failure.from_exception(printable(source), exc)


@dataclass
class _Reader:
    settings: Settings
    fetcher: Fetcher
    literal_text: bool

    def read(self, source: str, fmt: str | None) -> Iterator[Item]:
        if source == "-":
            yield from self._read_stdin(fmt)
        elif is_url(source):
            yield from self._read_url(source.strip(), fmt)
        elif fmt == "url":
            raise InputError(f"{_short(source)}: not an http(s) URL")
        elif (path := _existing_path(source)) is not None:
            if path.is_dir():
                yield from self._read_directory(path, fmt)
            elif fmt == "dir":
                raise InputError(f"{source}: not a directory")
            else:
                yield from self._read_file(path, fmt or format_of(path))
        elif self.literal_text and fmt in (None, "text", "html") and not _looks_like_path(source):
            yield document_from_text(source, TEXT_NAME, self.settings, kind=fmt)
        else:
            raise InputError(f"{_short(source)}: no such file or directory{_url_hint(source)}")

    def _read_url(self, url: str, fmt: str | None) -> Iterator[Item]:
        if fmt in ("dir", *_STREAMED_FORMATS):
            raise InputError(f"{url}: {fmt} input is read from local files, not from URLs")
        page = self.fetcher.fetch(url)
        if fmt == "feed" or (fmt is None and _is_feed(page)):
            yield from iter_feed(page.body, url, self.settings, self.fetcher, base_url=page.url)
            return
        document = document_from_page(page, url)
        yield dataclasses.replace(document, kind=fmt) if fmt in ("html", "text") else document

    def _read_stdin(self, fmt: str | None) -> Iterator[Item]:
        if fmt in ("dir", "url"):
            raise InputError(f"{STDIN_NAME}: standard input cannot be read as {fmt}")
        yield from read_named(sys.stdin.buffer, STDIN_NAME, fmt, self.settings, self.fetcher)

    def _read_file(self, path: Path, fmt: str | None) -> Iterator[Item]:
        yield from read_path(path, self.settings, self.fetcher, fmt)

    def _read_directory(self, root: Path, fmt: str | None) -> Iterator[Item]:
        """Every file with a known extension under `root`, in sorted order (`fmt` keeps one kind),
        and every other entry as `Skipped` or `Failure` (see `folders.walk`)."""
        wanted = None if fmt in (None, "dir") else fmt
        found = False
        for entry in walk(root, format_of, wanted):
            if not isinstance(entry, Path):
                yield entry
                continue
            found = True
            yield from self._read_file(entry, format_of(entry))
        if not found:
            kinds = " ".join(ext for ext, kind in EXTENSION_FORMATS.items() if wanted in (None, kind))
            name = printable(str(root))
            raise InputError(f"{name}: no files to read in the directory (looked for {kinds}, also compressed)")


def read_path(path: Path, settings: Settings, fetcher: Fetcher | None = None, fmt: str | None = None) -> Iterator[Item]:
    """The items of one file; whatever goes wrong is its failure. `fmt` defaults to what its
    name implies (`format_of`), then sniffing. Feeds are read only with a `fetcher`."""
    name = printable(str(path))
    return _failures_reported(name, _read_path(path, name, settings, fetcher, fmt or format_of(path)))


def _read_path(path: Path, name: str, settings: Settings, fetcher: Fetcher | None, fmt: str | None) -> Iterator[Item]:
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    with stream:
        yield from read_named(stream, name, fmt, settings, fetcher, size=os.fstat(stream.fileno()).st_size)


def read_named(
    stream: BinaryIO,
    name: str,
    fmt: str | None,
    settings: Settings,
    fetcher: Fetcher | None = None,
    size: int | None = None,
) -> Iterator[Item]:
    """The items of one named input's bytes (a file, an upload, a Spark record): compressed or
    not, a stream of records (JSON Lines, WARC), a feed (read only with a `fetcher`, which fetches
    its entries), or one HTML or text document (sniffed when `fmt` is None). `size`, when known,
    refuses an oversized document before reading it."""
    archive = archive_of(name)
    if archive and fmt is None:
        raise InputError(f"{name}: {archive}; archives are not unpacked (unpack it and analyse the folder)")
    warcio_reads_it = fmt == "warc" and name.lower().endswith(".gz")
    compression = None if warcio_reads_it else compression_of(name)
    try:
        if fmt in _STREAMED_FORMATS:
            if compression:
                stream = open_decompressed(stream, name, compression, settings.max_input_bytes)
            yield from _STREAMED_FORMATS[fmt](stream, name, settings)
            return
        if compression:
            data = read_decompressed(stream, name, compression, settings.max_input_bytes)
        else:
            check_size(size or 0, name, settings)
            data = read_capped(stream, name, settings)
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    if fmt == "feed" or (fmt is None and looks_like_feed(data)):
        if fetcher is None:
            raise InputError(f"{name}: feeds are read by `narrascope analyze` only (their entries need fetching)")
        yield from iter_feed(data, name, settings, fetcher)
    else:
        yield document_from_bytes(data, name, settings, kind=fmt)  # type: ignore[arg-type]


def _is_feed(page: FetchedPage) -> bool:
    """A feed by its root element, or XML served as a feed type that is not a web page."""
    if looks_like_feed(page.body):
        return True
    return page.content_type in FEED_TYPES and not looks_like_html(page.content)


def _existing_path(source: str) -> Path | None:
    try:
        path = Path(source)
        return path if path.exists() else None
    except (OSError, ValueError):  # too long for a file name, or has NUL: text, not a path
        return None


def _looks_like_path(source: str) -> bool:
    """A short single token with a slash or a file extension: a mistyped path, not an article."""
    token = source.strip()
    if not token or len(token) > 255 or any(character.isspace() for character in token):
        return False
    return "/" in token or "\\" in token or bool(_FILE_EXTENSION.search(token))


def _url_hint(source: str) -> str:
    if _BARE_DOMAIN.match(source.strip()):
        return " (for a web page, give the whole URL with https://)"
    return ""


def _short(source: str) -> str:
    return textwrap.shorten(source, 80, placeholder="…")
