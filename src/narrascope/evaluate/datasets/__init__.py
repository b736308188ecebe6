"""Readers for the shared-task releases in their official layouts, yielding one `Example` each.

Public API:

- `Example`: one document (`narrascope.model.Document`) with the dataset's gold labels. Fields:
  `document`, `document_id` (the dataset's own ID: SemEval-2023 article ID, SemEval-2025 file
  name, CheckThat Sentence_id), `language` (the dataset's own code: en, ge, po, EN, BG, ...),
  `dataset` ("semeval2023-task3" | "semeval2025-task10" | "checkthat2024-task1-en"), `part`
  ("fit" or "validation" per `evaluate.splits` for the official train files, else the split
  name), and gold fields that are None when the document is unlabelled for them:
  `genre`, `frames`, `paragraph_techniques` (paragraph index -> techniques),
  `line_of_paragraph` (1-based line number of each paragraph in the article file, for the
  official prediction format), `spans` ((technique, start, end) into `document.text`),
  `narratives`, `subnarratives`, `mentions` (`GoldMention`s, exclusive end into
  `document.text`), `dominant_narrative`, `dominant_subnarrative`, `explanation`,
  `claim` (CheckThat; the document is the one sentence), `sentence_id`.
  `Example.file_span(start, end)` maps a span of `document.text` back to the article file's
  offsets (for the official prediction formats).
- `read_semeval2023(root, split="train", languages=None)`, `read_semeval2025(...)`,
  `read_checkthat(root, split="train")` and `read_dataset(task, root, split, languages)`.
  `split` is train | dev | test, or fit | validation (the two parts of the official train
  files, `evaluate.splits.is_validation(dataset, language, document_id)`).

Documents keep the article file's text with the smallest change that keeps gold offsets
valid: a leading BOM and the CR of CRLF are dropped and every offset is shifted to match.
Paragraphs are the lines with non-space characters (the corpora's convention). Anything that
does not parse raises `DatasetError` naming file and line; known quirks of the real releases
are repaired where named in the code below, never skipped silently.
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ... import taxonomy
from ...errors import DatasetError
from ...model import Document, Language, Sentence
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


def read_dataset(
    task: str, root: str | Path, split: str = "train", languages: Iterable[str] | None = None
) -> Iterator[Example]:
    """The examples of the dataset an evaluation task reads (see `TASK_DATASETS`)."""
    if task not in TASK_DATASETS:
        raise DatasetError(f"unknown task {task!r}; choose from {', '.join(TASK_DATASETS)}")
    dataset = TASK_DATASETS[task]
    if dataset == SEMEVAL2023:
        return read_semeval2023(root, split, languages)
    if dataset == SEMEVAL2025:
        return read_semeval2025(root, split, languages)
    if languages and set(languages) - {"en"}:
        raise DatasetError(f"{root}: CheckThat! 2024 Task 1 here is English only (language 'en')")
    return read_checkthat(root, split)


def dataset_languages(task: str, root: str | Path, split: str = "train") -> list[str]:
    """The language codes present for a task's split under `root`."""
    dataset = TASK_DATASETS[task]
    root = _existing_folder(root)
    if dataset == SEMEVAL2023:
        prefix = _file_split(split)
        return [d.name for d in _language_folders(root) if any(d.glob(f"{prefix}-articles-subtask-*"))]
    if dataset == SEMEVAL2025:
        return [d.name for d in _language_folders(root) if (d / "raw-documents").is_dir()]
    return ["en"]


# --- SemEval-2023 Task 3 --------------------------------------------------------------------


def read_semeval2023(
    root: str | Path, split: str = "train", languages: Iterable[str] | None = None
) -> Iterator[Example]:
    """Articles of one split (file prefix train-/dev-/test-) with genre, frames, paragraph
    techniques and spans where the split has label files.

    The three article folders (subtask-1/2/3) hold nearly the same articles: one example per
    article ID in any of them, with the text of the subtask-3 folder when it has the article
    (line numbers and span offsets refer to that text), else subtask-2, else subtask-1.
    """
    root = _existing_folder(root)
    prefix = _file_split(split)
    present = dataset_languages("genre", root, split)
    chosen = _choose_languages(root, present, languages, split)
    return _filter_part(_semeval2023_examples(root, prefix, chosen), split)


def _semeval2023_examples(root: Path, prefix: str, languages: list[str]) -> Iterator[Example]:
    for language in languages:
        folder = root / language
        label_files = [folder / f"{prefix}-labels-subtask-{n}.txt" for n in (1, 2, 3)]
        genres = _read_genres(label_files[0])
        frames = _read_frames(label_files[1])
        paragraph_rows = _read_paragraph_labels(label_files[2])
        span_folder = folder / f"{prefix}-labels-subtask-3-spans"
        articles = _article_files(folder, prefix)
        for label_file, table in zip(label_files, (genres, frames, paragraph_rows)):
            unknown = sorted(set(table) - set(articles))
            if unknown:
                raise DatasetError(f"{label_file}: labels article {unknown[0]}, which has no article file")
        for article_id, path in sorted(articles.items()):
            raw = _read_raw(path)
            text, removed = _clean(raw)
            document = _document(text, path, language)
            lines = _paragraph_lines(text, document)
            example = Example(
                document=document,
                document_id=article_id,
                language=language,
                dataset=SEMEVAL2023,
                part=prefix,
                genre=genres.get(article_id),
                frames=frames.get(article_id),
                line_of_paragraph=lines,
                removed=removed,
            )
            if article_id in paragraph_rows:
                rows = paragraph_rows[article_id]
                example.paragraph_techniques = _paragraph_techniques(rows, lines, path, label_files[2])
            span_file = span_folder / f"article{article_id}-labels-subtask-3.txt"
            # an article outside subtask 3 (no paragraph labels, no span file) was never marked
            # for spans: none, not an empty list, or scoring would count every span found in it as wrong
            if span_folder.is_dir() and (article_id in paragraph_rows or span_file.exists()):
                line_labels = {line: labels for line, (labels, _) in paragraph_rows.get(article_id, {}).items()}
                example.spans = _read_spans(span_file, raw, removed, text, line_labels or None)
            yield example


def _article_files(folder: Path, prefix: str) -> dict[str, Path]:
    """Article ID -> file, preferring the subtask-3 folder (see `read_semeval2023`)."""
    found: dict[str, Path] = {}
    for subtask in (1, 2, 3):
        for path in (folder / f"{prefix}-articles-subtask-{subtask}").glob("article*.txt"):
            found[path.stem.removeprefix("article")] = path
    return found


def _paragraph_lines(text: str, document: Document) -> list[int]:
    """1-based line number of each paragraph in the article file."""
    return [text.count("\n", 0, p.start) + 1 for p in document.paragraphs]


def _read_genres(path: Path) -> dict[str, str]:
    genres: dict[str, str] = {}
    for line_number, fields in _tsv_rows(path, columns=(2, 2)):
        genre = fields[1]
        if genre not in taxonomy.GENRES:
            raise DatasetError(f"{path}:{line_number}: unknown genre {genre!r}")
        _put_once(genres, fields[0], genre, path, line_number)
    return genres


def _read_frames(path: Path) -> dict[str, list[str]]:
    frames: dict[str, list[str]] = {}
    for line_number, fields in _tsv_rows(path, columns=(1, 2)):
        labels = _label_list(fields[1] if len(fields) > 1 else "", ",", taxonomy.FRAMES, path, line_number)
        _put_once(frames, fields[0], labels, path, line_number)
    return frames


def _read_paragraph_labels(path: Path) -> dict[str, dict[int, tuple[list[str], int]]]:
    """Article ID -> line number -> (techniques, line of the label file)."""
    rows: dict[str, dict[int, tuple[list[str], int]]] = {}
    for line_number, fields in _tsv_rows(path, columns=(2, 3)):
        article_line = _integer(fields[1], path, line_number)
        labels = _label_list(fields[2] if len(fields) > 2 else "", ",", taxonomy.TECHNIQUES, path, line_number)
        _put_once(rows.setdefault(fields[0], {}), article_line, (labels, line_number), path, line_number)
    return rows


def _paragraph_techniques(
    rows: dict[int, tuple[list[str], int]], lines: list[int], article: Path, label_file: Path
) -> dict[int, list[str]]:
    """Paragraph index -> techniques; a paragraph without a label row has none."""
    index_of_line = {line: index for index, line in enumerate(lines)}
    techniques = {index: [] for index in range(len(lines))}
    for article_line, (labels, label_line) in rows.items():
        if article_line not in index_of_line:
            raise DatasetError(f"{label_file}:{label_line}: line {article_line} of {article.name} is empty or missing")
        techniques[index_of_line[article_line]] = labels
    return techniques


def _read_spans(
    path: Path, raw: str, removed: list[int], text: str, line_labels: dict[int, list[str]] | None
) -> list[tuple[str, int, int]]:
    """An article's technique spans as `[start, end)` into `text`; no span file means none.

    Quirk of the release: the offsets of about 280 non-English training articles (fr 58,
    ge 64, it 65, po 33, ru 62) count each line break as two characters (the annotators' copy
    had CRLF line ends), so read naively their spans drift and some end past the article.
    Each article's offsets are read both ways and the reading kept under which the spans fall
    on paragraphs labelled with their technique (without paragraph labels: the first reading
    that keeps every span inside the article). Measured: this places every span on a
    paragraph with its technique, except one of en's 7,201."""
    if not path.exists():
        return []
    rows = []
    for line_number, fields in _tsv_rows(path, columns=(4, 4)):
        technique = KNOWN_LABEL_TYPOS.get(fields[1], fields[1])
        if technique not in taxonomy.TECHNIQUES:
            raise DatasetError(f"{path}:{line_number}: unknown technique {fields[1]!r}")
        rows.append((line_number, technique, _integer(fields[2], path, line_number), _integer(fields[3], path, line_number)))
    readings = [[(t, _raw_offset(raw, s, counted), _raw_offset(raw, e, counted)) for _, t, s, e in rows] for counted in (None, 0)]
    if line_labels is not None:
        best = max(readings, key=lambda spans: _agreement(spans, raw, line_labels))
    else:
        best = next((spans for spans in readings if all(e <= len(raw) for _, _, e in spans)), readings[0])
    spans = []
    for (line_number, _, start, end), (technique, raw_start, raw_end) in zip(rows, best):
        if not start < end or raw_end > len(raw):
            raise DatasetError(f"{path}:{line_number}: span {start}-{end} is empty or outside the article")
        spans.append((technique, _shift(removed, raw_start), _shift(removed, raw_end)))
    return spans


def _agreement(spans: list[tuple[str, int, int]], raw: str, line_labels: dict[int, list[str]]) -> int:
    """How many spans start on a line labelled with their technique."""
    return sum(
        end <= len(raw) and technique in line_labels.get(raw.count("\n", 0, start) + 1, ())
        for technique, start, end in spans
    )


# --- SemEval-2025 Task 10 -------------------------------------------------------------------


def read_semeval2025(
    root: str | Path, split: str = "train", languages: Iterable[str] | None = None
) -> Iterator[Example]:
    """Documents in `<root>/<L>/raw-documents/` with narratives (subtask-2), entity mentions and
    roles (subtask-1) and explanations (subtask-3) where those annotation files exist.

    The organisers ship each split as its own root with the same layout, so `split` only
    names the examples' part (and selects fit/validation of a training root). A mentions-only
    file `subtask-1-entity-mentions.txt` (file, entity, start, end) gives mentions without roles.
    """
    root = _existing_folder(root)
    _file_split(split)
    present = dataset_languages("narratives", root, split)
    chosen = _choose_languages(root, present, languages, split)
    return _filter_part(_semeval2025_examples(root, "train" if split in ("fit", "validation") else split, chosen), split)


def _semeval2025_examples(root: Path, split: str, languages: list[str]) -> Iterator[Example]:
    for language in languages:
        folder = root / language
        narratives = _read_narratives(folder / "subtask-2-annotations.txt")
        explanations = _read_explanations(folder / "subtask-3-annotations.txt")
        mention_file = folder / "subtask-1-annotations.txt"
        if not mention_file.exists():
            mention_file = folder / "subtask-1-entity-mentions.txt"
        mention_rows = _read_mention_rows(mention_file)
        for path in sorted((folder / "raw-documents").glob("*.txt")):
            raw = _read_raw(path)
            text, removed = _clean(raw)
            example = Example(
                document=_document(text, path, language),
                document_id=path.name,
                language=language,
                dataset=SEMEVAL2025,
                part=split,
                removed=removed,
            )
            if path.name in narratives:
                example.narratives, example.subnarratives = narratives[path.name]
            if path.name in explanations:
                example.dominant_narrative, example.dominant_subnarrative, example.explanation = explanations[path.name]
            if mention_file.exists():
                rows = mention_rows.get(path.name, [])
                example.mentions = [_resolve_mention(raw, removed, text, row, mention_file) for row in rows]
            yield example
        _check_known_files(folder, mention_rows, narratives, explanations)


def _check_known_files(folder: Path, *tables: dict) -> None:
    documents = {p.name for p in (folder / "raw-documents").glob("*.txt")}
    for table in tables:
        for name in table:
            if name not in documents:
                raise DatasetError(f"{folder}: annotations name {name}, which is not in raw-documents/")


def _read_narratives(path: Path) -> dict[str, tuple[list[str], list[str]]]:
    table: dict[str, tuple[list[str], list[str]]] = {}
    for line_number, fields in _tsv_rows(path, columns=(3, 3)):
        narratives = _label_list(fields[1], ";", taxonomy.NARRATIVES, path, line_number)
        subnarratives = _subnarratives(fields[2], path, line_number)
        _put_once(table, fields[0], (narratives, subnarratives), path, line_number)
    return table


def _subnarratives(field_text: str, path: Path, line_number: int) -> list[str]:
    """Subnarratives are checked by their narrative only: the gold files use a few
    subnarratives missing from the release's subnarratives.txt (e.g. 'CC: Downplaying climate
    change: Sea levels are not rising'), which are real labels of the task."""
    labels = _label_list(field_text, ";", None, path, line_number)
    for label in labels:
        if label != "Other" and label.rsplit(": ", 1)[0] not in taxonomy.NARRATIVES:
            raise DatasetError(f"{path}:{line_number}: subnarrative {label!r} names no known narrative")
    return labels


def _read_explanations(path: Path) -> dict[str, tuple[str, str | None, str | None]]:
    """File -> (dominant narrative, dominant subnarrative or None, explanation or None). The
    release writes 'none' for a missing dominant subnarrative. A test input gives the dominant
    labels without the explanation column (subtask 3 explains the given narrative)."""
    table: dict[str, tuple[str, str | None, str | None]] = {}
    for line_number, fields in _tsv_rows(path, columns=(3, 4)):
        narrative, subnarrative = fields[1], fields[2]
        explanation = fields[3] if len(fields) == 4 else None
        if narrative not in taxonomy.NARRATIVES:
            raise DatasetError(f"{path}:{line_number}: unknown narrative {narrative!r}")
        if explanation == "":
            raise DatasetError(f"{path}:{line_number}: empty explanation")
        dominant_sub = None if subnarrative.lower() in ("none", "") else subnarrative
        _put_once(table, fields[0], (narrative, dominant_sub, explanation), path, line_number)
    return table


@dataclass
class _MentionRow:
    line_number: int
    entity: str
    start: int
    end: int  # inclusive, as in the release
    main_role: str | None
    fine_roles: list[str]


def _read_mention_rows(path: Path) -> dict[str, list[_MentionRow]]:
    rows: dict[str, list[_MentionRow]] = {}
    labelled = path.name == "subtask-1-annotations.txt"
    for line_number, fields in _tsv_rows(path, columns=(6, 99) if labelled else (4, 4), strip=False):
        main_role, fine_roles = None, []
        if labelled:
            main_role = fields[4].strip()
            fine_roles = list(dict.fromkeys(f.strip() for f in fields[5:] if f.strip()))
            if main_role not in taxonomy.MAIN_ROLES:
                raise DatasetError(f"{path}:{line_number}: unknown main role {main_role!r}")
            unknown = [f for f in fine_roles if f not in taxonomy.FINE_ROLES[main_role]]
            if unknown or not fine_roles:
                raise DatasetError(f"{path}:{line_number}: fine roles {unknown or '(none)'} do not fit {main_role}")
        row = _MentionRow(
            line_number,
            fields[1],
            _integer(fields[2], path, line_number),
            _integer(fields[3], path, line_number),
            main_role,
            fine_roles,
        )
        rows.setdefault(fields[0].strip(), []).append(row)
    return rows


def _resolve_mention(raw: str, removed: list[int], text: str, row: _MentionRow, path: Path) -> GoldMention:
    """Find the mention the row's offsets point at and return it as `[start, end)` into `text`.

    The release's offsets have an inclusive end and were computed on the annotators' copy of
    each article, which is not always the released file. Measured on the training release
    (4,159 rows): 2,603 rows match the file as read; in other documents the offsets count line
    breaks as two characters (the annotators' copy had CRLF line ends): every line break
    (1,417 rows, mostly HI, PT, RU) or every one after the title's blank line (124 rows, BG);
    15 rows are off by a few more characters than that. So: try those readings in turn,
    then the nearest occurrence of the mention at or before the given start, no farther back
    than the number of line breaks before it. Anything else is a broken row.
    """
    for counted_from in (None, 0, 2):
        start = _raw_offset(raw, row.start, counted_from)
        end = _raw_offset(raw, row.end, counted_from) + 1
        if raw[start:end] == row.entity:
            return _mention(start, end, removed, text, row)
    window = raw.count("\n", 0, row.start) + 1
    first = raw.rfind(row.entity, max(0, row.start - window), row.start + len(row.entity))
    if first >= 0 and row.entity:
        return _mention(first, first + len(row.entity), removed, text, row)
    raise DatasetError(f"{path}:{row.line_number}: {row.entity!r} is not at offsets {row.start}-{row.end}")


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


def _mention(start: int, end: int, removed: list[int], text: str, row: _MentionRow) -> GoldMention:
    start, end = _shift(removed, start), _shift(removed, end)
    return GoldMention(start, end, text[start:end], row.main_role, row.fine_roles, (row.start, row.end))


# --- CheckThat! 2024 Task 1 -----------------------------------------------------------------

CHECKTHAT_FILE = "CT24_checkworthy_english_{split}.tsv"
_CHECKTHAT_SPLITS = {"train": ("train",), "dev": ("dev",), "dev-test": ("dev-test",), "test": ("test_gold", "test")}
_GLUED_LABEL = re.compile(r"^(Yes|No)(\d+)$")


def read_checkthat(root: str | Path, split: str = "train") -> Iterator[Example]:
    """Sentences of `CT24_checkworthy_english_<split>.tsv` (split: train, dev, dev-test, test =
    test_gold or test, fit, validation); each document is the one sentence. A file without the
    class_label column is read as unlabelled."""
    root = _existing_folder(root)
    if split not in _CHECKTHAT_SPLITS and split not in ("fit", "validation", "test_gold"):
        raise DatasetError(f"unknown CheckThat split {split!r}; choose from train, dev, dev-test, test, fit, validation")
    names = _CHECKTHAT_SPLITS.get("train" if split in ("fit", "validation") else split, (split,))
    for name in names:
        path = root / CHECKTHAT_FILE.format(split=name)
        if path.exists():
            return _filter_part(_checkthat_examples(path, split), split)
    raise DatasetError(f"{root}: no {CHECKTHAT_FILE.format(split=names[0])}")


def _checkthat_examples(path: Path, split: str) -> Iterator[Example]:
    part = "train" if split in ("fit", "validation") else split
    seen: dict[str, int] = {}
    for line_number, sentence_id, sentence, label in _checkthat_rows(path):
        _put_once(seen, sentence_id, line_number, path, line_number)
        text, _ = _clean(sentence)
        paragraphs = split_paragraphs(text)
        if not paragraphs:
            raise DatasetError(f"{path}:{line_number}: empty sentence")
        document = Document(
            id=Document.content_id(text),
            source=f"{path}#{sentence_id}",
            title=None,
            language=Language(code="en", confidence=1.0),
            text=text,
            paragraphs=paragraphs,
            sentences=[Sentence(start=p.start, end=p.end, paragraph=i) for i, p in enumerate(paragraphs)],
        )
        yield Example(
            document=document,
            document_id=sentence_id,
            language="en",
            dataset=CHECKTHAT,
            part=part,
            claim=None if label is None else label == "Yes",
            sentence_id=sentence_id,
        )


def _checkthat_rows(path: Path) -> Iterator[tuple[int, str, str, str | None]]:
    """(line, id, sentence, label or None). Texts are CSV-quoted where they contain quotes.
    Repairs one quirk of the training file: line 16,877 holds two rows because a line break is
    missing after the label ("...\tNo29286\t..."); such a row is split in two."""
    with _open(path) as handle:
        reader = csv.reader(handle, delimiter="\t")
        header = [h.strip() for h in next(reader, [])]
        if header[:2] != ["Sentence_id", "Text"] or header[2:] not in ([], ["class_label"]):
            raise DatasetError(f"{path}:1: header must be Sentence_id, Text[, class_label], not {header}")
        labelled = len(header) == 3
        for fields in reader:
            line_number = reader.line_num
            fields = [f.strip() for f in fields]
            if not any(fields):
                continue  # a blank line, e.g. at the end of the file
            glued = _GLUED_LABEL.match(fields[2]) if labelled and len(fields) == 5 else None
            if glued:
                yield line_number, fields[0], fields[1], glued.group(1)
                fields = [glued.group(2), fields[3], fields[4]]
            if len(fields) != len(header):
                raise DatasetError(f"{path}:{line_number}: expected {len(header)} tab-separated fields, found {len(fields)}")
            label = fields[2] if labelled else None
            if labelled and label not in taxonomy.CLAIM_LABELS:
                raise DatasetError(f"{path}:{line_number}: class_label must be Yes or No, not {label!r}")
            yield line_number, fields[0], fields[1], label


# --- shared helpers -------------------------------------------------------------------------


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
