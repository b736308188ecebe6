"""The extraction development set (`../shared/data/trafilatura-eval`): pages, the fixed split, the metric.

949 annotated real pages: body chunks that must appear (`with`) and furniture that must not
(`without`), and for most a title, author and date. The split is fixed by a hash of the page id:
anything narrascope learns or tunes for extraction is fitted on the `fit` half and reported on
the `held-back` half (`part_of`). Never copy page text into the project.

Metric (trafilatura's on this corpus): whitespace-normalised chunks found as substrings of the
extracted text; tp/fn over `with`, fp/tn over `without`, summed over pages. Title: equality after
whitespace normalisation, ignoring case; author: the annotated first author among the extracted
authors; date: the same day. Each over the pages where the annotation is not empty.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..errors import InputError
from ..ingest.decode import decode

Part = Literal["fit", "held-back"]
FOLDER = "trafilatura-eval"


@dataclass(frozen=True)
class Page:
    id: str
    url: str
    html: str  # decoded as narrascope decodes any page
    body: tuple[str, ...]  # chunks that belong to the article
    furniture: tuple[str, ...]  # chunks that must not be extracted
    title: str | None = None
    author: str | None = None  # the annotated author(s), as written
    date: str | None = None

    @property
    def part(self) -> Part:
        return part_of(self.id)


@dataclass
class Output:
    """What an extractor found on one page."""

    text: str = ""
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None


def part_of(page_id: str) -> Part:
    """The fixed half a page belongs to: the first byte of the id's SHA-256, even = fit."""
    return "fit" if hashlib.sha256(page_id.encode("utf-8")).digest()[0] % 2 == 0 else "held-back"


def load(root: Path, part: Part | None = None) -> list[Page]:
    """The pages under `root` (the data folder or the corpus folder itself), one part or all."""
    folder = root if (root / "evaldata.json").is_file() else root / FOLDER
    if not (folder / "evaldata.json").is_file():
        raise InputError(f"{root}: no {FOLDER}/evaldata.json (point at ../shared/data)")
    entries = json.loads((folder / "evaldata.json").read_text(encoding="utf-8"))
    pages = []
    for page_id, entry in sorted(entries.items()):
        if part and part_of(page_id) != part:
            continue
        html = decode(gzip.decompress((folder / entry["html"]).read_bytes()), page_id, html=True)
        author = entry.get("author")
        pages.append(Page(
            id=page_id, url=entry["url"], html=html, body=tuple(entry["with"]), furniture=tuple(entry["without"]),
            title=entry.get("title") or None, date=entry.get("date") or None,
            author=("; ".join(author) if isinstance(author, list) else author) or None,
        ))
    return pages


def squeeze(text: str | None) -> str:
    return " ".join((text or "").split())


def _key(text: str | None) -> str:
    return squeeze(unicodedata.normalize("NFC", text or "")).casefold()


_AUTHOR_SEPARATORS = re.compile(r";|,|\band\b|\bund\b|\bet\b|&")


def first_author(annotation: str) -> str:
    return _key(_AUTHOR_SEPARATORS.split(annotation)[0])


def score(pages: Iterable[Page], outputs: Mapping[str, Output]) -> dict[str, float | int]:
    """Body precision/recall/F1 and title/author/date accuracy of `outputs` (by page id)."""
    return best_choice(pages, [outputs])


def best_choice(pages: Iterable[Page], runs: Sequence[Mapping[str, Output]]) -> dict[str, float | int]:
    """`score` of the best any combination of several extractors' `runs` could do: a body chunk
    counts as found when one run found it, furniture as leaked only when every run that kept
    text leaked it (a perfect vote per chunk), and a title, author or date as right when one
    run got it right. With one run, that run's score."""
    tp = fp = fn = tn = 0
    hits = {"title": 0, "author": 0, "date": 0}
    counts = {"title": 0, "author": 0, "date": 0}
    n_pages = 0
    for page in pages:
        n_pages += 1
        outputs = [run.get(page.id, Output()) for run in runs]
        texts = [squeeze(output.text) for output in outputs]
        found = [any(squeeze(chunk) in text for text in texts) for chunk in page.body]
        tp, fn = tp + sum(found), fn + len(found) - sum(found)
        kept = [text for text in texts if text] or [""]
        leaked = [all(squeeze(chunk) in text for text in kept) for chunk in page.furniture]
        fp, tn = fp + sum(leaked), tn + len(leaked) - sum(leaked)
        if page.title:
            counts["title"] += 1
            hits["title"] += any(_key(output.title) == _key(page.title) for output in outputs)
        if page.author:
            counts["author"] += 1
            hits["author"] += any(first_author(page.author) in {_key(name) for name in output.authors} for output in outputs)
        if page.date:
            counts["date"] += 1
            hits["date"] += any((output.date or "")[:10] == page.date[:10] for output in outputs)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    scores: dict[str, float | int] = {"pages": n_pages, "body_precision": precision, "body_recall": recall, "body_f1": f1}
    for name in hits:
        scores[name] = hits[name] / counts[name] if counts[name] else 0.0
        scores[f"{name}_pages"] = counts[name]
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in scores.items()}
