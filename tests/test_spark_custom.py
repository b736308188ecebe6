"""Custom labels on Spark: a taxonomy file read on the driver (its example article too), scored
on the workers, giving the rows local `analyze --taxonomy` gives."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from narrascope.core import analyze_many
from narrascope.store.labels import EXPORT_COLUMNS, export_records
from narrascope.user_taxonomy import load

pytestmark = [pytest.mark.slow, pytest.mark.spark]
pytest.importorskip("pyspark")

SAMPLE_TAXONOMY = Path(__file__).resolve().parents[1] / "samples" / "war-narratives.yaml"
ARTICLES = [
    "The Ukrainian army is crumbling. Whole brigades exist only on paper and recruiters drag men off buses.",
    "The city council opened a new library on Monday. Children can borrow books for free.",
]


def test_spark_scores_the_taxonomy_as_local_analyze_does(spark, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from narrascope.scale import run_job

    dump = tmp_path / "dump.jsonl"
    dump.write_text("".join(json.dumps({"text": text}) + "\n" for text in ARTICLES), encoding="utf-8")
    taxonomy = load(SAMPLE_TAXONOMY)
    result = run_job(spark, str(dump), str(tmp_path / "out.parquet"), components=(), taxonomies=[taxonomy])
    assert result.documents == len(ARTICLES) and result.failures == 0
    written = sorted((tuple(r[c] for c in EXPORT_COLUMNS) for r in pq.read_table(tmp_path / "out.parquet").to_pylist()), key=repr)
    local = sorted((tuple(r[c] for c in EXPORT_COLUMNS)
                    for a in analyze_many([str(dump)], components=(), taxonomies=[taxonomy]) for r in export_records(a)),
                   key=repr)
    assert written == local
    custom = [row for row in written if row[EXPORT_COLUMNS.index("kind")] == "custom"]
    assert all(row[EXPORT_COLUMNS.index("component")] == "custom:war-narratives" for row in custom)
