"""One canonical form for every text narrascope analyses, so offsets mean the same everywhere."""

from __future__ import annotations

import re
import unicodedata

_LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x85\x0b\x0c]")
_INVISIBLE = re.compile(r"[\u00ad\u200b\u2060\ufeff\x00-\x08\x0e-\x1f\x7f]")
_ODD_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_SPACE_RUNS = re.compile(r" {2,}")
_BLANK_RUNS = re.compile(r"\n{3,}")


def normalize(text: str) -> str:
    """One canonical form: LF line ends, NFC, plain spaces, no invisible characters, lines
    stripped, at most one blank line in a row, no blank lines at either end. Idempotent."""
    text = _LINE_BREAKS.sub("\n", text)
    text = _INVISIBLE.sub("", text)  # before NFC, so removal cannot expose uncomposed marks
    text = unicodedata.normalize("NFC", text)  # note: maps the Greek question mark to ";"
    text = _SPACE_RUNS.sub(" ", _ODD_SPACES.sub(" ", text))
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", text).strip()


def one_line(text: str) -> str:
    """`normalize` for a title or name: a single line."""
    return " ".join(normalize(text).split())


def compose_text(title: str | None, body: str) -> str:
    """The analysed text: title on the first line, a blank line, then the body, the layout of
    the training corpora (headlines carry much of an article's persuasion)."""
    title = one_line(title or "")
    body = normalize(body)
    if not title or body.split("\n", 1)[0] == title:
        return body
    return f"{title}\n\n{body}"
