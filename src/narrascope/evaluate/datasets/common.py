"""What every dataset reader shares: the `Example`/`GoldMention` data model, the dataset names
and constants, and the helpers that read files, clean text and parse tab-separated label rows
(every error names file and line)."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ...errors import DatasetError
from ...model import Document, Language
from ...extract.segment import split_paragraphs, split_sentences
from ..splits import part_of

SEMEVAL2023 = "semeval2023-task3"
SEMEVAL2025 = "semeval2025-task10"
CHECKTHAT = "checkthat2024-task1-en"

SPLITS = ("train", "dev", "test", "fit", "validation")

# The evaluation task each reader serves.
TASK_DATASETS: dict[str, str] = {
    "genre": SEMEVAL2023,
    "frames": SEMEVAL2023,
    "techniques": SEMEVAL2023,
    "spans": SEMEVAL2023,
    "narratives": SEMEVAL2025,
    "roles": SEMEVAL2025,
    "explanations": SEMEVAL2025,
    "claims": CHECKTHAT,
}

# Dataset language codes -> ISO 639-1 (SemEval-2023 uses ge, po and gr).
ISO_CODES = {"ge": "de", "po": "pl", "gr": "el"}

# Labels misspelt in the real releases, with the label the same article's span file gives.
# en/train-labels-subtask-3.txt line 9 writes "Appeal_to_Fear-Prejudi-čce" for a paragraph
# whose span in the spans file is Appeal_to_Fear-Prejudice.
KNOWN_LABEL_TYPOS = {"Appeal_to_Fear-Prejudi-čce": "Appeal_to_Fear-Prejudice"}


@dataclass
class GoldMention:
    """An entity mention with its gold roles; `[start, end)` into `document.text`.
    `main_role` is None and `fine_roles` empty in a mentions-only (unlabelled) file.
    `annotated` keeps the row's own (start, inclusive end), which official predictions repeat."""

    start: int
    end: int
    text: str
    main_role: str | None
    fine_roles: list[str]
    annotated: tuple[int, int] | None = None


@dataclass
class Example:
    """One document (`narrascope.model.Document`) with the dataset's gold labels.

    Fields: `document`, `document_id` (the dataset's own ID: SemEval-2023 article ID, SemEval-2025
    file name, CheckThat Sentence_id), `language` (the dataset's own code: en, ge, po, EN, BG, ...),
    `dataset` ("semeval2023-task3" | "semeval2025-task10" | "checkthat2024-task1-en"), `part`
    ("fit" or "validation" per `evaluate.splits` for the official train files, else the split
    name), and gold fields that are None when the document is unlabelled for them:
    `genre`, `frames`, `paragraph_techniques` (paragraph index -> techniques),
    `line_of_paragraph` (1-based line number of each paragraph in the article file, for the
    official prediction format), `spans` ((technique, start, end) into `document.text`),
    `narratives`, `subnarratives`, `mentions` (`GoldMention`s, exclusive end into
    `document.text`), `dominant_narrative`, `dominant_subnarrative`, `explanation`,
    `claim` (CheckThat; the document is the one sentence), `sentence_id`.
    `file_span(start, end)` maps a span of `document.text` back to the article file's
    offsets (for the official prediction formats).
    """

    document: Document
    document_id: str
    language: str
    dataset: str
    part: str
    genre: str | None = None
    frames: list[str] | None = None
    paragraph_techniques: dict[int, list[str]] | None = None
    line_of_paragraph: list[int] = field(default_factory=list)
    spans: list[tuple[str, int, int]] | None = None
    narratives: list[str] | None = None
    subnarratives: list[str] | None = None
    mentions: list[GoldMention] | None = None
    dominant_narrative: str | None = None
    dominant_subnarrative: str | None = None
    explanation: str | None = None
    claim: bool | None = None
    sentence_id: str | None = None
    removed: list[int] = field(default_factory=list, repr=False)  # file positions dropped from the text

    def file_span(self, start: int, end: int) -> tuple[int, int]:
        """`[start, end)` of `document.text` as offsets into the article file (BOM and CRs back)."""
        return self._file_offset(start), self._file_offset(end - 1) + 1 if end > start else self._file_offset(start)

    def _file_offset(self, offset: int) -> int:
        for count, position in enumerate(self.removed):
            if position - count > offset:
                return offset + count
        return offset + len(self.removed)


def _existing_folder(root: str | Path) -> Path:
    root = Path(root)
    if not root.is_dir():
        raise DatasetError(f"{root}: no such dataset folder")
    return root


def _file_split(split: str) -> str:
    """The file-name split that holds `split` (fit and validation live in train)."""
    if split not in SPLITS:
        raise DatasetError(f"unknown split {split!r}; choose from {', '.join(SPLITS)}")
    return "train" if split in ("fit", "validation") else split


def _language_folders(root: Path) -> list[Path]:
    return sorted(d for d in root.iterdir() if d.is_dir() and not d.name.startswith("."))


def _choose_languages(root: Path, present: list[str], wanted: Iterable[str] | None, split: str) -> list[str]:
    if not present:
        raise DatasetError(f"{root}: no language folder with a {split} split")
    if wanted is None:
        return present
    wanted = list(wanted)
    unknown = [code for code in wanted if code not in present]
    if unknown:
        raise DatasetError(f"{root}: no {split} data for language {', '.join(unknown)} (present: {' '.join(present)})")
    return wanted


def _filter_part(examples: Iterator[Example], split: str) -> Iterator[Example]:
    """Label the parts of a training split and keep only `split`'s when it is fit/validation."""
    for example in examples:
        if example.part == "train":
            example.part = part_of(example.dataset, example.language, example.document_id)
        if split not in ("fit", "validation") or example.part == split:
            yield example


def _open(path: Path):
    try:
        return path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read ({exc.strerror})") from None


def _read_raw(path: Path) -> str:
    """The file's exact text (no newline translation: offsets count every character)."""
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise DatasetError(f"{path}:{line}: not UTF-8") from None
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read ({exc.strerror})") from None


def _clean(raw: str) -> tuple[str, list[int]]:
    """The text without a leading BOM and the CRs of CRLF, and the removed positions (for `_shift`)."""
    removed = [0] if raw.startswith("\ufeff") else []
    removed += [m.start() for m in re.finditer("\r(?=\n)", raw)]
    if not removed:
        return raw, removed
    keep = [raw[a + 1 : b] for a, b in zip([-1, *removed], [*removed, len(raw)])]
    return "".join(keep), removed


def _shift(removed: list[int], offset: int) -> int:
    """An offset into the raw file as an offset into the cleaned text."""
    return offset - bisect_left(removed, offset)


def _raw_offset(raw: str, offset: int, counted_from: int | None) -> int:
    """The file offset of an annotator offset that counted a CR before every line break from
    the `counted_from`-th on (None: no CRs)."""
    if counted_from is None or offset > len(raw) + len(_line_breaks(raw)):
        return offset
    breaks = _line_breaks(raw)[counted_from:]
    # annotator offset of file offset r = r + (breaks before r); find the r that maps to offset
    return bisect_left(range(len(raw) + 1), offset, key=lambda r: r + bisect_left(breaks, r))


@lru_cache(maxsize=4)
def _line_breaks(raw: str) -> list[int]:
    return [match.start() for match in re.finditer("\n", raw)]


def _document(text: str, path: Path, language: str) -> Document:
    code = ISO_CODES.get(language.lower(), language.lower())
    paragraphs = split_paragraphs(text)
    first_line = text.split("\n", 1)[0].strip()
    return Document(
        id=Document.content_id(text),
        source=str(path),
        title=first_line or None,
        language=Language(code=code, confidence=1.0),
        text=text,
        paragraphs=paragraphs,
        sentences=split_sentences(text, paragraphs, code),
    )


def _tsv_rows(path: Path, columns: tuple[int, int], strip: bool = True) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of each non-blank line of a tab-separated label file, fields
    stripped of surrounding whitespace (trailing spaces and CRs occur); an absent file has
    no rows. `columns` is the (fewest, most) fields a row may have."""
    if not path.exists():
        return
    with _open(path) as handle:
        for line_number, line in enumerate(handle, 1):
            line = line.lstrip("\ufeff") if line_number == 1 else line
            if not line.strip():
                continue
            fields = line.rstrip("\r\n").split("\t")
            if strip:
                fields = [f.strip() for f in fields]
            fields[0] = fields[0].strip()
            if not columns[0] <= len(fields) <= columns[1] or not fields[0]:
                raise DatasetError(f"{path}:{line_number}: expected {_count(columns)} tab-separated fields, found {len(fields)}")
            yield line_number, fields


def _count(columns: tuple[int, int]) -> str:
    low, high = columns
    return str(low) if low == high else f"{low} or more" if high > 9 else f"{low} to {high}"


def _label_list(field_text: str, separator: str, known, path: Path, line_number: int) -> list[str]:
    """Labels of a field, order kept, repeats dropped (the releases repeat some), empty = none."""
    labels = [KNOWN_LABEL_TYPOS.get(p.strip(), p.strip()) for p in field_text.split(separator) if p.strip()]
    if known is not None:
        unknown = [label for label in labels if label not in known]
        if unknown:
            raise DatasetError(f"{path}:{line_number}: unknown label {unknown[0]!r}")
    return list(dict.fromkeys(labels))


def _integer(value: str, path: Path, line_number: int) -> int:
    try:
        number = int(value)
    except ValueError:
        raise DatasetError(f"{path}:{line_number}: {value!r} is not a whole number") from None
    if number < 0:
        raise DatasetError(f"{path}:{line_number}: negative offset or line number {number}")
    return number


def _put_once(table: dict, key, value, path: Path, line_number: int) -> None:
    if key in table:
        raise DatasetError(f"{path}:{line_number}: {key} is labelled twice")
    table[key] = value
