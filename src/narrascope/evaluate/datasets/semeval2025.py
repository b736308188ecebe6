"""SemEval-2025 Task 10: news documents in five languages with entity mentions and roles
(subtask 1), narratives and subnarratives (subtask 2) and explanations (subtask 3)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ... import taxonomy
from ...errors import DatasetError
from .common import (
    SEMEVAL2025, Example, GoldMention, _choose_languages, _clean, _document, _existing_folder, _file_split,
    _filter_part, _integer, _label_list, _language_folders, _put_once, _raw_offset, _read_raw, _shift, _tsv_rows,
)


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
    present = semeval2025_languages(root)
    chosen = _choose_languages(root, present, languages, split)
    return _filter_part(_semeval2025_examples(root, "train" if split in ("fit", "validation") else split, chosen), split)


def semeval2025_languages(root: Path) -> list[str]:
    """The language folders under `root` with a raw-documents/ folder."""
    return [d.name for d in _language_folders(root) if (d / "raw-documents").is_dir()]


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


def _mention(start: int, end: int, removed: list[int], text: str, row: _MentionRow) -> GoldMention:
    start, end = _shift(removed, start), _shift(removed, end)
    return GoldMention(start, end, text[start:end], row.main_role, row.fine_roles, (row.start, row.end))
