"""Writing analyses out: JSON Lines (one `Analysis.to_json()` per line, as `analyze --jsonl`
writes), and CSV or Parquet with one row per label (`labels.export_records`).

The Parquet schema is explicit (from `labels.COLUMNS`, the data dictionary) and shared with the
Spark job, so a file exported from the store and one written by Spark read back identically.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import IO

import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import StoreError
from ..model import Analysis
from .labels import COLUMNS, EXPORT_COLUMNS, export_records

_ARROW_TYPES = {"string": pa.string(), "integer": pa.int64(), "float": pa.float64()}
RECORD_SCHEMA = pa.schema(
    [pa.field(column.name, _ARROW_TYPES[column.type], nullable=not column.required) for column in COLUMNS]
)
_PARQUET_BATCH = 500  # documents per row group


def write_jsonl(analyses: Iterable[Analysis], path: str | Path) -> int:
    """One analysis JSON per line; returns the number of documents written."""
    written = 0
    with _open_text(path) as out:
        for analysis in analyses:
            out.write(analysis.to_json() + "\n")
            written += 1
    return written


def write_csv(analyses: Iterable[Analysis], path: str | Path) -> int:
    """One row per label with the document's columns; returns the number of documents written."""
    written = 0
    with _open_text(path) as out:
        writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS)
        writer.writeheader()
        for analysis in analyses:
            writer.writerows(export_records(analysis))
            written += 1
    return written


def write_parquet(analyses: Iterable[Analysis], path: str | Path) -> int:
    """The CSV rows as Parquet with `RECORD_SCHEMA`; returns the number of documents written."""
    if str(path) == "-":
        raise StoreError("parquet cannot be written to stdout: give a file with -o")
    written = 0
    iterator = iter(analyses)
    try:
        with pq.ParquetWriter(str(path), RECORD_SCHEMA) as writer:
            while batch := list(islice(iterator, _PARQUET_BATCH)):
                records = [record for analysis in batch for record in export_records(analysis)]
                writer.write_table(pa.Table.from_pylist(records, schema=RECORD_SCHEMA))
                written += len(batch)
    except OSError as exc:
        raise StoreError(f"{path}: cannot write: {exc}") from None
    return written


EXPORT_FORMATS: dict[str, Callable[[Iterable[Analysis], str | Path], int]] = {
    "jsonl": write_jsonl,
    "csv": write_csv,
    "parquet": write_parquet,
}


@contextmanager
def _open_text(path: str | Path) -> Iterator[IO[str]]:
    if str(path) == "-":
        yield sys.stdout
        return
    try:
        with open(path, "w", encoding="utf-8", newline="") as out:
            yield out
    except OSError as exc:
        raise StoreError(f"{path}: cannot write: {exc.strerror}") from None
