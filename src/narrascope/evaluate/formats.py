"""The official prediction formats: writers, and readers for scoring a file alone.

Values per task, keyed as the metrics in `evaluate.metrics` expect:

| task | key | value | line written |
|---|---|---|---|
| genre | article ID | label | `ID<TAB>label` |
| frames | article ID | [frame] | `ID<TAB>Frame,Frame` |
| techniques | (article ID, line) | [technique] | `ID<TAB>line<TAB>Tech,Tech` |
| spans | article ID | [(technique, start, end)] | `ID<TAB>Technique<TAB>start<TAB>end` per span |
| roles | (file, start, end) | (entity, main, [fine]) | `file<TAB>entity<TAB>start<TAB>end<TAB>main<TAB>fine...` |
| narratives | file | ([narrative], [subnarrative]) | `file<TAB>narr;narr<TAB>sub;sub` |
| explanations | file | (dominant, dominant sub or None, text) | `file<TAB>dominant<TAB>sub<TAB>explanation` |
| claims | Sentence_id | bool | `Sentence_id<TAB>class_label` after a header row |

Role offsets are the release's own (inclusive end), so predictions line up with its gold file.
The readers also read the organisers' gold files of the same tasks (for claims, the dataset
TSV with its Text column).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..errors import DatasetError
from .datasets.common import _integer, _label_list, _open, _tsv_rows


def _one_line(text: str) -> str:
    return " ".join(text.split())


_LINE_WRITERS: dict[str, Callable[[Any, Any], list[str]]] = {
    "genre": lambda key, label: [f"{key}\t{label}"],
    "frames": lambda key, frames: [f"{key}\t{','.join(frames)}"],
    "techniques": lambda key, techniques: [f"{key[0]}\t{key[1]}\t{','.join(techniques)}"],
    "spans": lambda key, spans: [f"{key}\t{label}\t{start}\t{end}" for label, start, end in sorted(spans, key=lambda s: s[1:])],
    "roles": lambda key, role: ["\t".join([key[0], _one_line(role[0]), str(key[1]), str(key[2]), role[1] or "", *role[2]])],
    "narratives": lambda key, value: [f"{key}\t{';'.join(value[0])}\t{';'.join(value[1])}"],
    "explanations": lambda key, value: [f"{key}\t{value[0]}\t{value[1] or 'none'}\t{_one_line(value[2])}"],
    "claims": lambda key, claim: [f"{key}\t{'Yes' if claim else 'No'}"],
}


def _lines(task: str, predictions: Mapping[Any, Any]) -> list[str]:
    if task not in _LINE_WRITERS:
        raise ValueError(f"no prediction format for task {task!r}")
    lines = ["Sentence_id\tclass_label"] if task == "claims" else []
    for key in sorted(predictions, key=lambda k: k if isinstance(k, tuple) else (k,)):
        lines.extend(_LINE_WRITERS[task](key, predictions[key]))
    return lines


def write_predictions(task: str, predictions: Mapping[Any, Any], path: str | Path) -> Path:
    """Write `predictions` in the task's official format; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = _lines(task, predictions)
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def read_predictions(task: str, path: str | Path) -> dict[Any, Any]:
    """Read a prediction (or gold) file of the task's official format into its values."""
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"{path}: no such file")
    return _READERS[task](path)


def _read_genre(path: Path) -> dict:
    return {fields[0]: fields[1] for _, fields in _tsv_rows(path, (2, 2))}


def _read_frames(path: Path) -> dict:
    return {f[0]: _label_list(f[1] if len(f) > 1 else "", ",", None, path, n) for n, f in _tsv_rows(path, (1, 2))}


def _read_techniques(path: Path) -> dict:
    return {
        (f[0], _integer(f[1], path, n)): _label_list(f[2] if len(f) > 2 else "", ",", None, path, n)
        for n, f in _tsv_rows(path, (2, 3))
    }


def _read_spans(path: Path) -> dict:
    spans: dict[str, list] = {}
    for n, f in _tsv_rows(path, (4, 4)):
        spans.setdefault(f[0], []).append((f[1], _integer(f[2], path, n), _integer(f[3], path, n)))
    return spans


def _read_roles(path: Path) -> dict:
    return {
        (f[0], _integer(f[2], path, n), _integer(f[3], path, n)): (f[1], f[4] or None, [r for r in f[5:] if r])
        for n, f in _tsv_rows(path, (5, 99))
    }


def _read_narratives(path: Path) -> dict:
    return {
        f[0]: (_label_list(f[1], ";", None, path, n), _label_list(f[2] if len(f) > 2 else "", ";", None, path, n))
        for n, f in _tsv_rows(path, (2, 3))
    }


def _read_explanations(path: Path) -> dict:
    return {f[0]: (f[1], None if f[2].lower() in ("", "none") else f[2], f[3]) for _, f in _tsv_rows(path, (4, 4))}


def _read_claims(path: Path) -> dict:
    """`Sentence_id, class_label` columns found by header name (gold files also carry Text)."""
    with _open(path) as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        if not reader.fieldnames or not {"Sentence_id", "class_label"} <= {h.strip() for h in reader.fieldnames}:
            raise DatasetError(f"{path}:1: header must name Sentence_id and class_label")
        claims = {}
        for row in reader:
            row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
            if row["class_label"] not in ("Yes", "No"):
                raise DatasetError(f"{path}:{reader.line_num}: class_label must be Yes or No")
            claims[row["Sentence_id"]] = row["class_label"] == "Yes"
        return claims


_READERS: dict[str, Callable[[Path], dict]] = {
    "genre": _read_genre,
    "frames": _read_frames,
    "techniques": _read_techniques,
    "spans": _read_spans,
    "roles": _read_roles,
    "narratives": _read_narratives,
    "explanations": _read_explanations,
    "claims": _read_claims,
}
