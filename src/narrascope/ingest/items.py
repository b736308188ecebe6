"""What reading sources yields: a `RawDocument` to analyse, a `Failure` (an input that could not
be read or analysed, and why) or a `Skipped` input, so every input is accounted for."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from typing import Any, Literal

from ..errors import NarrascopeError
from .names import printable, without_controls

log = logging.getLogger(__name__)

FailureKind = Literal["input", "timeout", "memory", "crash", "internal"]


@dataclass(frozen=True)
class RawDocument:
    """One document as read, before extraction: decoded content and what the source told us."""

    source: str  # path, URL, "<stdin>", "<text>", "file.jsonl:12", "archive.warc.gz#<record URI>"
    content: str  # decoded (never bytes)
    kind: Literal["html", "text"]
    url: str | None = None
    id: str | None = None  # an id the source supplied (JSONL `id`)
    metadata: dict[str, Any] = field(default_factory=dict)  # title/authors/published from feed or JSONL

    def __post_init__(self) -> None:
        _printable_fields(self, "source", "url", "id")
        for key, value in self.metadata.items():  # title, site, authors...: control characters dropped
            if isinstance(value, str):
                self.metadata[key] = without_controls(value)
            elif isinstance(value, list):
                self.metadata[key] = [without_controls(v) if isinstance(v, str) else v for v in value]

    def fingerprint(self) -> str:
        """A hash of what was read, to tell a changed input from the one that failed before."""
        return hashlib.sha256(self.content.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True)
class Failure:
    """An input that could not be read or analysed, and why (one line, names the input).

    `kind` says whose fault it was: the input's, the time or memory budget's (`timeout`,
    `memory`), a process that died (`crash`) or a bug (`internal`). `input_hash` (the
    `RawDocument.fingerprint`) is set for the budgets and crashes, so a re-run can leave an
    unchanged input alone instead of paying again.
    """

    source: str
    reason: str
    input_id: str | None = None
    kind: FailureKind = "input"
    input_hash: str | None = None

    def __post_init__(self) -> None:
        _printable_fields(self, "source", "reason", "input_id")

    @classmethod
    def from_exception(cls, source: str, exc: BaseException, input_id: str | None = None) -> "Failure":
        """Whatever one input raised, as its failure: the batch records it and goes on."""
        if isinstance(exc, NarrascopeError):
            return cls(source, str(exc), input_id)
        if isinstance(exc, RecursionError):
            return cls(source, f"{source}: nested too deeply to read", input_id)
        if isinstance(exc, MemoryError):
            return cls(source, f"{source}: too large to process (out of memory)", input_id)
        log.warning("%s: internal error", printable(source), exc_info=exc)
        detail = f"{type(exc).__name__}: {(str(exc).strip().splitlines() or [''])[0]}"
        return cls(source, f"{source}: internal error ({detail[:300]})", input_id, kind="internal")


@dataclass(frozen=True)
class Skipped:
    """An input not read on purpose: an archive, a file of another type, a link leaving the folder.
    The reason names the input, as a failure's does."""

    source: str
    reason: str

    def __post_init__(self) -> None:
        _printable_fields(self, "source", "reason")


Item = RawDocument | Failure | Skipped


def _printable_fields(item: object, *names: str) -> None:
    for name in names:
        value = getattr(item, name)
        if value is not None:
            object.__setattr__(item, name, printable(value))
