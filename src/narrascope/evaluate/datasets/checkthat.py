"""CheckThat! 2024 Task 1 (English): check-worthy sentences, one document per sentence."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

from ... import taxonomy
from ...errors import DatasetError
from ...extract.segment import split_paragraphs
from ...model import Document, Language, Sentence
from .common import CHECKTHAT, Example, _clean, _existing_folder, _filter_part, _open, _put_once

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
