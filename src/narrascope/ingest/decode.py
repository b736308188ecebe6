"""Bytes to text, the one way every source decodes: refuse binary, honour what the bytes declare
(byte-order mark, HTTP charset, `<meta charset>`), else UTF-8, else charset detection.

UTF-16 and UTF-32 are told by their bytes, not by labels: text in them without a byte-order
mark shows its zero bytes in a fixed column (read, not refused as binary), and a label naming
them on bytes without that pattern is ignored, as browsers do for `<meta charset="utf-16">`
(decoding ASCII pairwise as UTF-16 would turn the page into CJK garbage).

Also content sniffing (HTML or text, feed or not) and the content-type header.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from ..errors import InputError

_BYTE_ORDER_MARKS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BINARY_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"RIFF", "a RIFF (WebP/WAV/AVI) file"),
    (b"PK\x03\x04", "a ZIP archive (or Office document)"),
    (b"\x1f\x8b", "gzip-compressed"),
)
# Browsers read these labels as windows-1252, whose curly quotes news pages rely on.
_WINDOWS_1252_LABELS = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii"}
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_HTML_TAG = re.compile(
    r"<(!doctype\s+html|html|head|body|article|main|div|p|br|h[1-6]|meta|title)\b[^>]*>", re.I
)
_FEED_ROOT = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?"  # an XML declaration, then comments, instructions, doctype
    rb"(?:<!--.*?-->\s*|<\?[^>]*>\s*|<!DOCTYPE[^>]*>\s*)*"
    rb"<(?:rss|feed|rdf:RDF)\b",
    re.S,
)
_WIDE_ENCODINGS = ("utf-16", "utf-32")  # codec-name prefixes; their ASCII characters hold zero bytes
_WIDE_SAMPLE_BYTES = 4096
_WIDE_ZERO_SHARE = 0.3  # of the high bytes: ASCII-heavy text (markup, Latin script) in a wide encoding
_WIDE_HIGH_BYTE_VALUES = 6  # or this few distinct high bytes: text in one script plus spaces and digits
_STRAY_CONTROL_BYTES = bytes(range(0x01, 0x09)) + bytes(range(0x0E, 0x20)) + b"\x7f"  # not \t\n\v\f\r
_CONTROL_DELETIONS = dict.fromkeys(b"\x00" + _STRAY_CONTROL_BYTES)  # str.translate table
_MAX_CONTROL_SHARE = 0.005  # more stray control characters than this and it is not text


def decode(data: bytes, name: str, *, declared: str | None = None, html: bool = False) -> str:
    """Decode `data` read from `name`; `InputError` when it is binary, undecodable or blank.

    Order: byte-order mark, then the `declared` charset (HTTP header, WARC record), then for HTML
    the `<meta charset>`, then UTF-8, then charset-normalizer's best guess. A declared charset
    that fails to decode is skipped rather than trusted.
    """
    text = _decode_bytes(data, name, declared=declared, html=html)
    if not text.strip():
        raise InputError(f"{name}: empty (no text)")
    return text


def _decode_bytes(data: bytes, name: str, *, declared: str | None, html: bool) -> str:
    for mark, encoding in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                what = encoding.upper()
                raise InputError(f"{name}: invalid {what} despite its byte-order mark") from None
    for signature, what in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise InputError(f"{name}: {what}, not text")
    wide = wide_encoding(data)
    if wide:
        text = _decode_wide(data, wide)
        if text is None:
            raise InputError(f"{name}: binary data (NUL bytes), not text")
        return text
    # ASCII-compatible encodings (all but UTF-16/32, told above) use these bytes only for control
    # characters, which text hardly has: a few stray ones (a real page had 22 NULs in 195 KB) are
    # dropped by normalisation, more mean binary. Measured on bytes, it is fast.
    nuls = data.count(0)
    stray = len(data) - len(data.translate(None, _STRAY_CONTROL_BYTES)) + nuls
    if stray > _MAX_CONTROL_SHARE * len(data):
        raise InputError(f"{name}: binary data{' (NUL bytes)' if nuls else ''}, not text")
    for encoding in _candidate_encodings(data, declared, html):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise InputError(f"{name}: undecodable bytes (no text encoding fits)")
    return str(best)


def wide_encoding(data: bytes) -> str | None:
    """`utf-32-le`/`-be` or `utf-16-le`/`-be` when `data` (no byte-order mark) has the shape of
    those encodings: zero bytes in the high columns only, and the high byte of UTF-16 taking few
    values (one script plus ASCII, as in any text); None otherwise."""
    sample = data[:_WIDE_SAMPLE_BYTES]
    if len(sample) < 8 or 0 not in sample:
        return None
    for order in ("le", "be"):
        quads = [sample[column::4] for column in range(4)]
        high = quads[2:] if order == "le" else quads[:2]
        low = quads[0] if order == "le" else quads[3]
        if all(c.count(0) >= _WIDE_ZERO_SHARE * len(c) for c in high) and low.count(0) == 0:
            return f"utf-32-{order}"
    for order in ("le", "be"):
        low, high = (sample[0::2], sample[1::2]) if order == "le" else (sample[1::2], sample[0::2])
        if low.count(0) == 0 and high.count(0) and (
            high.count(0) >= _WIDE_ZERO_SHARE * len(high) or len(set(high)) <= _WIDE_HIGH_BYTE_VALUES
        ):
            return f"utf-16-{order}"
    return None


def _decode_wide(data: bytes, encoding: str) -> str | None:
    """`data` decoded in a wide encoding, or None when the result is not text either."""
    width = 4 if encoding.startswith("utf-32") else 2
    try:
        text = data[: len(data) - len(data) % width].decode(encoding)
    except UnicodeDecodeError:
        return None
    controls = len(text) - len(text.translate(_CONTROL_DELETIONS))
    return None if controls > _MAX_CONTROL_SHARE * len(text) else text


def _candidate_encodings(data: bytes, declared: str | None, html: bool) -> list[str]:
    labels = [declared]
    if html:
        match = _META_CHARSET.search(data[:8192])
        labels.append(match.group(1).decode("ascii") if match else None)
    labels.append("utf-8")
    encodings: list[str] = []
    for label in labels:
        if not label:
            continue
        label = label.strip().lower()
        for candidate in (["cp1252", label] if label in _WINDOWS_1252_LABELS else [label]):
            try:
                encoding = codecs.lookup(candidate).name
            except LookupError:
                continue
            if encoding.startswith(_WIDE_ENCODINGS):  # the bytes are not wide (checked before)
                continue
            if encoding not in encodings:
                encodings.append(encoding)
    return encodings


def parse_content_type(header: str | None) -> tuple[str | None, str | None]:
    """`'text/html; charset=UTF-8'` -> `('text/html', 'UTF-8')`; missing parts are None."""
    if not header:
        return None, None
    media_type, _, parameters = header.partition(";")
    charset = None
    for parameter in parameters.split(";"):
        key, _, value = parameter.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'")
    return (media_type.strip().lower() or None), charset


def looks_like_html(text: str) -> bool:
    """True for markup: text that opens with a tag (doctype, comment...) and has HTML elements."""
    head = text[:4096]
    return head.lstrip().startswith("<") and bool(_HTML_TAG.search(head))


def looks_like_feed(data: bytes) -> bool:
    """True when the XML root element is RSS, Atom or RSS 1.0 (RDF)."""
    head = data[:4096].removeprefix(codecs.BOM_UTF8)
    return bool(_FEED_ROOT.match(head))


def format_size(size: float) -> str:
    """`10485760` -> `'10 MB'`, for messages."""
    if size < 1024:
        return f"{int(size)} bytes"
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            break
    return f"{round(size, 1):g} {unit}"
