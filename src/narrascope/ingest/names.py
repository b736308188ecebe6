"""Names that can be stored and printed: a file name that is not valid UTF-8 (Linux allows any
bytes), a record URI with a NUL byte, a JSON string with a lone surrogate.

Python hands such a file name over "surrogate-escaped" (byte 0xFF as U+DCFF), which no database,
JSON encoder or terminal accepts. `printable` writes each such byte as `\\xff`, the way `ls -b`
shows it, other lone surrogates as `\\ud800` and control characters as `\\x00`: every name
survives, readable and one line, and valid names are left exactly as they are. (A name that
literally contains the four characters `\\xff` reads the same as one with that byte; nothing else
is ambiguous.)
"""

from __future__ import annotations

import re

_UNPRINTABLE = re.compile(r"[\ud800-\udfff\x00-\x08\x0b-\x1f\x7f]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def printable(text: str) -> str:
    """`text` with undecodable bytes, lone surrogates and control characters (but tab and
    newline) backslash-escaped; unchanged when it has none."""
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, surrogate-escaped by the OS layer
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}" if code > 0xFF else f"\\x{code:02x}"


def without_controls(text: str) -> str:
    """`text` without control characters (but tab and line breaks): in a title, a site or an
    author's name they are junk, and PostgreSQL refuses NUL in text."""
    return _CONTROLS.sub("", text)


def has_surrogates(text: str) -> bool:
    """True when `text` cannot be encoded as UTF-8 (a lone surrogate, e.g. from `"\\ud800"` in JSON)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
