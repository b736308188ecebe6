"""Reading sources: whatever the user has becomes a stream of `RawDocument`s, `Failure`s and
`Skipped` inputs, so every input is accounted for.

Sources are text or HTML files (also gzip-compressed), `-` for stdin, URLs, folders, JSON Lines,
RSS/Atom feeds and WARC/ARC archives, detected automatically or named with `input_format`.

Modules: `items` (what reading yields), `sources` (what a source is, and `iter_raw`), `folders`
(walking a folder safely), `fetch` (safe HTTP with the address guard), `decode` (bytes to text),
`compressed` (gzip with caps), `documents` (building and checking a `RawDocument`), `names`
(names that are safe to store and print), and one reader per container: `jsonl`, `feeds`, `warc`.
"""

from __future__ import annotations

from .items import Failure, FailureKind, Item, RawDocument, Skipped
from .sources import INPUT_FORMATS, iter_raw

__all__ = ["RawDocument", "Failure", "Skipped", "Item", "FailureKind", "INPUT_FORMATS", "iter_raw"]
