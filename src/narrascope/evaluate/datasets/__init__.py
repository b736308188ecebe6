"""Readers for the shared-task releases in their official layouts, yielding one `Example` each.

`read_semeval2023(root, split="train", languages=None)`, `read_semeval2025(...)`,
`read_checkthat(root, split="train")` and `read_dataset(task, root, split, languages)`.
`split` is train | dev | test, or fit | validation (the two parts of the official train
files, `evaluate.splits.is_validation(dataset, language, document_id)`).

Documents keep the article file's text with the smallest change that keeps gold offsets
valid: a leading BOM and the CR of CRLF are dropped and every offset is shifted to match.
Paragraphs are the lines with non-space characters (the corpora's convention). Anything that
does not parse raises `DatasetError` naming file and line; known quirks of the real releases
are repaired where named in the readers' code, never skipped silently.

- `common`: the `Example`/`GoldMention` data model, dataset names and constants, and the
  file, text and label-row helpers every reader shares.
- `semeval2023`: SemEval-2023 Task 3 (genre, frames, paragraph techniques, spans).
- `semeval2025`: SemEval-2025 Task 10 (narratives, entity roles, explanations).
- `checkthat`: CheckThat! 2024 Task 1, English (check-worthy sentences).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from ...errors import DatasetError
from .checkthat import read_checkthat
from .common import (
    CHECKTHAT,
    ISO_CODES,
    SEMEVAL2023,
    SEMEVAL2025,
    SPLITS,
    TASK_DATASETS,
    Example,
    GoldMention,
    _existing_folder,
)
from .semeval2023 import read_semeval2023, semeval2023_languages
from .semeval2025 import read_semeval2025, semeval2025_languages

__all__ = [
    "CHECKTHAT",
    "ISO_CODES",
    "SEMEVAL2023",
    "SEMEVAL2025",
    "SPLITS",
    "TASK_DATASETS",
    "Example",
    "GoldMention",
    "dataset_languages",
    "read_checkthat",
    "read_dataset",
    "read_semeval2023",
    "read_semeval2025",
]


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
        return semeval2023_languages(root, split)
    if dataset == SEMEVAL2025:
        return semeval2025_languages(root)
    return ["en"]
