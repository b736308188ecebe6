"""Compressed inputs (`page.html.gz`, `dump.jsonl.xz`, `feed.xml.bz2`) read through the standard
library's decompressors, with the caps that make a decompression bomb a failure, not an outage.

A whole document is read up to the input limit *after* decompression, so a 10 KB file that
inflates to 10 GB costs the time of reading 10 MB. A streamed input (JSON Lines) may be as large
as the user likes, but not inflate more than `MAX_RATIO` times its compressed size beyond the
input limit: real text compresses 3-15 times, a bomb 1,000 times.

Archives (zip, tar, 7z, rar) hold many files with their own names and types; they are not
unpacked (a folder of files is the way to hand those over), and are reported as such.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zlib
from collections.abc import Callable
from typing import BinaryIO

from ..errors import InputError
from .decode import format_size

DECOMPRESSORS: dict[str, Callable[[BinaryIO], io.BufferedIOBase]] = {
    ".gz": lambda stream: gzip.GzipFile(fileobj=stream, mode="rb"),
    ".bz2": lambda stream: bz2.BZ2File(stream, mode="rb"),
    ".xz": lambda stream: lzma.LZMAFile(stream, mode="rb"),
}
MAX_RATIO = 100
ARCHIVES = {  # longest first where one ends another
    ".tar.gz": "a tar archive",
    ".tar.bz2": "a tar archive",
    ".tar.xz": "a tar archive",
    ".tgz": "a tar archive",
    ".tbz2": "a tar archive",
    ".txz": "a tar archive",
    ".tar": "a tar archive",
    ".zip": "a ZIP archive",
    ".7z": "a 7-Zip archive",
    ".rar": "a RAR archive",
}
_DAMAGE = (OSError, EOFError, zlib.error, lzma.LZMAError, ValueError)


def compression_of(name: str) -> str | None:
    """`.gz`, `.bz2` or `.xz` when `name` is a compressed file (not an archive), else None."""
    lower = name.lower()
    if archive_of(lower):
        return None
    return next((suffix for suffix in DECOMPRESSORS if lower.endswith(suffix)), None)


def archive_of(name: str) -> str | None:
    """What kind of archive `name` is ('a ZIP archive'...), by its extension, or None."""
    lower = name.lower()
    return next((what for suffix, what in ARCHIVES.items() if lower.endswith(suffix)), None)


class Decompressed(io.RawIOBase):
    """The decompressed bytes of `stream`; `InputError` (naming the input) when the data is
    damaged or inflates past `max(floor, MAX_RATIO x compressed size read so far)`."""

    def __init__(self, stream: BinaryIO, name: str, suffix: str, floor: int) -> None:
        self._stream = stream
        self._name = name
        self._floor = floor
        self._inflated = 0
        self._decompressor = DECOMPRESSORS[suffix](stream)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        try:
            count = self._decompressor.readinto(buffer)
        except InputError:
            raise
        except _DAMAGE as exc:
            raise InputError(f"{self._name}: damaged or truncated compressed data ({exc})") from None
        self._inflated += count
        if self._inflated > max(self._floor, MAX_RATIO * self._stream.tell()):
            raise InputError(
                f"{self._name}: inflates more than {MAX_RATIO} times its compressed size "
                f"(past {format_size(self._inflated)}): a decompression bomb, not read on"
            )
        return count


def open_decompressed(stream: BinaryIO, name: str, suffix: str, floor: int) -> BinaryIO:
    """A buffered reader over `Decompressed`, with `readline` and `peek` like an open file."""
    return io.BufferedReader(Decompressed(stream, name, suffix, floor))  # type: ignore[return-value]


def read_decompressed(stream: BinaryIO, name: str, suffix: str, limit: int) -> bytes:
    """All of a compressed document, refused once it passes `limit` bytes decompressed."""
    data = open_decompressed(stream, name, suffix, floor=limit + 1).read(limit + 1)
    if len(data) > limit:
        raise InputError(f"{name}: larger than the {format_size(limit)} input limit once decompressed")
    return data
