"""Exports round-trip: JSONL gives back the analyses, CSV and Parquet give back the stored labels."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from fixtures.store.databases import fresh_postgres_url, sqlite_url, store_url  # noqa: F401
from fixtures.store.samples import article, make_analysis, make_document

from narrascope.cli import main
from narrascope.model import Analysis
from narrascope.store import open_store
from narrascope.store.export import RECORD_SCHEMA, write_parquet
from narrascope.store.labels import EXPORT_COLUMNS, export_records


@pytest.fixture
def filled_store(store_url):
    analyses = [
        make_analysis(article(1), site="a.example", technique="Doubt"),
        make_analysis(article(2), site="b.example", narrative=None, language="ru", title="Заголовок, \"quoted\""),
        Analysis(document=make_document(article(3), site="a.example")),  # no components ran: no labels
    ]
    with open_store(store_url) as store:
        for analysis in analyses:
            store.save(analysis)
    return store_url, analyses


def stored_rows(analyses):
    return sorted((tuple(r[c] for c in EXPORT_COLUMNS) for a in analyses for r in export_records(a)), key=repr)


def test_export_records_cover_every_label_kind_with_offsets_that_slice_back():
    analysis = make_analysis(article(4))
    records = export_records(analysis)
    assert {r["kind"] for r in records} == {
        "genre", "frame", "technique", "technique_span", "narrative", "subnarrative", "entity_role", "claim"
    }
    text = analysis.document.text
    span = next(r for r in records if r["kind"] == "technique_span")
    assert text[span["start"] : span["end"]] == "Officials"
    claim = next(r for r in records if r["kind"] == "claim")
    assert text[claim["start"] : claim["end"]] == text.split("\n")[0]
    assert all(r["document_id"] == analysis.document.id and r["site"] == "example.com" for r in records)


def test_document_without_labels_still_gets_a_row():
    records = export_records(Analysis(document=make_document(article(5))))
    assert len(records) == 1 and records[0]["label"] is None and records[0]["document_id"]


def test_jsonl_export_is_the_analysis_json_per_line(filled_store, tmp_path):
    url, analyses = filled_store
    out = tmp_path / "out.jsonl"
    assert main(["export", "--store", url, "--format", "jsonl", "-o", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert sorted(lines) == sorted(a.to_json() for a in analyses)


def test_csv_export_round_trips_the_stored_labels(filled_store, tmp_path):
    url, analyses = filled_store
    out = tmp_path / "out.csv"
    assert main(["export", "--store", url, "--format", "csv", "-o", str(out)]) == 0
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(EXPORT_COLUMNS)
    as_text = sorted(
        (tuple("" if r[c] is None else str(r[c]) for c in EXPORT_COLUMNS) for a in analyses for r in export_records(a)),
        key=repr,
    )
    assert sorted((tuple(r[c] for c in EXPORT_COLUMNS) for r in rows), key=repr) == as_text


def test_parquet_export_round_trips_with_the_explicit_schema(filled_store, tmp_path):
    url, analyses = filled_store
    out = tmp_path / "out.parquet"
    assert main(["export", "--store", url, "--format", "parquet", "-o", str(out)]) == 0
    table = pq.read_table(out)
    assert table.schema.equals(RECORD_SCHEMA) and RECORD_SCHEMA.names == list(EXPORT_COLUMNS)
    rows = sorted((tuple(r[c] for c in EXPORT_COLUMNS) for r in table.to_pylist()), key=repr)
    assert rows == stored_rows(analyses)


def test_export_applies_filters(filled_store, tmp_path):
    url, analyses = filled_store
    out = tmp_path / "doubt.jsonl"
    assert main(["export", "--store", url, "--format", "jsonl", "--label", "Doubt", "-o", str(out)]) == 0
    assert [json.loads(line)["document"]["id"] for line in out.read_text().splitlines()] == [analyses[0].document.id]


def test_parquet_writes_many_row_groups(tmp_path, monkeypatch):
    from narrascope.store import export

    monkeypatch.setattr(export, "_PARQUET_BATCH", 2)
    analyses = [make_analysis(article(n)) for n in range(5)]
    assert write_parquet(iter(analyses), tmp_path / "many.parquet") == 5
    assert pq.ParquetFile(tmp_path / "many.parquet").num_row_groups == 3
    assert sorted(pq.read_table(tmp_path / "many.parquet").column("document_id").to_pylist()) == sorted(
        r["document_id"] for a in analyses for r in export_records(a)
    )


def test_unwritable_output_is_one_clear_error(filled_store, tmp_path, capsys):
    url, _ = filled_store
    target = tmp_path / "missing-folder" / "out.csv"
    assert main(["export", "--store", url, "--format", "csv", "-o", str(target)]) == 2
    assert f"{target}: cannot write" in capsys.readouterr().err


# --- rows that stand alone, and their data dictionary --------------------------------------------

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_every_row_quotes_its_evidence_and_names_its_label_entity_and_document(tmp_path, capsys):
    analysis = make_analysis(article(6), title="Ports plan", published="2024-03-05")
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with open_store(url) as store:
        store.save(analysis)
    out = tmp_path / "rows.csv"
    assert main(["export", "--store", url, "--format", "csv", "-o", str(out)]) == 0
    with out.open(encoding="utf-8", newline="") as handle:
        rows = {row["kind"]: row for row in csv.DictReader(handle)}
    document = analysis.document
    for row in rows.values():  # a row read alone says which article it is about
        assert (row["title"], row["site"], row["url"], row["published"]) == (
            "Ports plan", "example.com", document.url, "2024-03-05"
        )
    assert rows["technique_span"]["text"] == "Officials" and rows["technique_span"]["name"] == "Loaded Language"
    assert rows["claim"]["text"] == "Officials discussed ports number 6 on Monday."
    assert rows["narrative"]["text"] == "Officials"  # the sentence given as evidence
    assert rows["entity_role"]["entity"] == "Officials" and rows["entity_role"]["label"] == "Antagonist"
    assert rows["frame"]["name"] == "Security and defense" and rows["frame"]["text"] == ""
    for row in rows.values():
        if row["start"]:
            assert document.text[int(row["start"]) : int(row["end"])] == row["text"]


def test_the_data_dictionary_in_docs_is_generated_from_the_code(capsys):
    assert main(["schema", "--export-columns"]) == 0
    generated = capsys.readouterr().out
    assert (DOCS / "exports.md").read_text(encoding="utf-8") == generated, (
        "docs/exports.md is stale: run `narrascope schema --export-columns -o docs/exports.md`"
    )
    for column in EXPORT_COLUMNS:
        assert f"| `{column}` |" in generated
