"""Every tunable in one place. Defaults are safe for a public-facing server; the CLI and web app
override them from flags or `NARRASCOPE_*` environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

import platformdirs


FEED_ENTRY_MODES = ("auto", "always", "never")


def _data_dir() -> Path:
    return Path(platformdirs.user_data_dir("narrascope", appauthor=False))


@dataclass(frozen=True)
class Settings:
    # input limits
    max_input_bytes: int = 10 * 1024 * 1024
    max_text_chars: int = 500_000
    max_paragraphs: int = 5_000  # lines of an article; beyond are cut (reported), bounding extraction's work
    # fetching URLs
    fetch_connect_timeout: float = 5.0
    fetch_read_timeout: float = 15.0
    fetch_total_timeout: float = 30.0
    fetch_max_redirects: int = 5
    allow_private_addresses: bool = False  # loopback, private, link-local: refused unless set
    user_agent: str = "narrascope (+https://github.com/narrascope/narrascope)"
    fetch_feed_entries: str = "auto"  # FEED_ENTRY_MODES: fetch the pages of teaser entries, of all, of none
    # work caps
    document_timeout: float = 120.0  # seconds to read and analyse one document; 0: no limit (in-process)
    document_memory_mb: int = 2048  # memory the process analysing one document may hold (models included); 0: no limit
    batch_workers: int = 0  # analysis processes a batch runs side by side, sharing the cores; 0: one per core, up to 4
    # storage
    store_url: str = f"sqlite:///{_data_dir() / 'narrascope.sqlite'}"
    # the encoder
    embedding_cache: str | None = None  # a file path: on-disk cache of text embeddings (training)
    token_states_cache: str | None = None  # a folder where training and evaluation keep each article's token states (written on first use)
    encoder_threads: int = 0  # threads (= cores) the encoder may use; 0: every core this process may use
    max_sentence_tokens: int = 1020  # pieces encoded per sentence (two model windows); the rest is cut
    max_document_tokens: int = 16384  # pieces encoded per document; later sentences are cut, with a warning

    @classmethod
    def from_env(cls, **overrides: object) -> "Settings":
        """Defaults, then `NARRASCOPE_<FIELD>` environment variables, then explicit overrides."""
        values: dict[str, object] = {}
        for field in fields(cls):
            raw = os.environ.get(f"NARRASCOPE_{field.name.upper()}")
            if raw is None:
                continue
            kind = type(getattr(cls(), field.name))
            if kind is bool:
                values[field.name] = raw.strip().lower() in {"1", "true", "yes", "on"}
            elif kind in (int, float):
                values[field.name] = kind(raw)
            else:
                values[field.name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)


DEFAULT = Settings()
