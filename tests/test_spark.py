"""The Spark job in local mode: the same records as local `analyze` + export, failures kept."""

from __future__ import annotations

import io
import json

import pyarrow.parquet as pq
import pytest

from narrascope.core import analyze_many
from narrascope.pipeline import get_pipeline
from narrascope.settings import Settings
from narrascope.store.export import RECORD_SCHEMA
from narrascope.store.labels import EXPORT_COLUMNS, export_records

pytestmark = [pytest.mark.slow, pytest.mark.spark]
pytest.importorskip("pyspark")
COMPONENTS = ("genre", "frames")  # real trained heads when shipped; left out with a warning otherwise
IN_PROCESS = Settings(document_timeout=0)  # parity with local analyze; the budget's child is tested in test_hostile

ARTICLES = [
    "The minister announced new tariffs on steel imports on Tuesday, citing national security.",
    "Critics call the plan a reckless betrayal that will ruin ordinary families and small firms.",
    "Le gouvernement a présenté mardi un projet de loi sur l'énergie et le climat.",
    "Die Regierung hat am Dienstag ein neues Gesetz zur Energiepolitik vorgestellt.",
]


def rows(records) -> list[tuple]:
    return sorted((tuple(r[c] for c in EXPORT_COLUMNS) for r in records), key=repr)


def local_rows(source: str) -> list[tuple]:
    analyses = analyze_many([source], components=COMPONENTS, settings=IN_PROCESS)
    return rows(r for analysis in analyses for r in export_records(analysis))


def spark_rows(path) -> list[tuple]:
    table = pq.read_table(path)
    assert table.schema.remove_metadata().equals(RECORD_SCHEMA), table.schema
    return rows(table.to_pylist())


def write_warc(path, pages: dict[str, str]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, html in pages.items():
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode()), http_headers=headers)
            writer.write_record(record)


def page(title: str, body: str) -> str:
    head = f"<head><title>{title}</title></head>"
    return f"<html>{head}<body><article><h1>{title}</h1><p>{body}</p></article></body></html>"


def test_jsonl_on_spark_gives_the_records_of_local_analyze(spark, tmp_path):
    from narrascope.scale import run_job

    dump = tmp_path / "dump.jsonl"
    lines = [json.dumps({"text": text, "url": f"https://news{n}.example/a"}) for n, text in enumerate(ARTICLES)]
    dump.write_text("\n".join(lines[:2] + ["{broken json"] + lines[2:]) + "\n", encoding="utf-8")

    result = run_job(spark, str(dump), str(tmp_path / "out.parquet"), partitions=2, components=COMPONENTS, settings=IN_PROCESS)

    expected = local_rows(str(dump))
    assert spark_rows(tmp_path / "out.parquet") == expected
    if "genre" in get_pipeline(COMPONENTS).names:  # a real model ran, not only extraction
        assert sum(row[EXPORT_COLUMNS.index("kind")] == "genre" for row in expected) == len(ARTICLES)
    assert (result.documents, result.failures) == (len(ARTICLES), 1)
    failures = pq.read_table(tmp_path / "out.failures.parquet").to_pylist()
    assert failures == [
        {
            "source": f"{dump}:3",
            "reason": f"{dump} line 3: not valid JSON (Expecting property name enclosed in double quotes at column 2)",
            "input_id": None,
            "kind": "input",
        }
    ]


def test_folder_with_html_text_and_warc_gives_the_records_of_local_analyze(spark, tmp_path):
    from narrascope.scale import run_job

    folder = tmp_path / "pages"
    (folder / "sub").mkdir(parents=True)
    (folder / "one.html").write_text(page("Steel tariffs", ARTICLES[0] + " " + ARTICLES[1]), encoding="utf-8")
    (folder / "sub" / "two.txt").write_text(ARTICLES[2] + "\n\n" + ARTICLES[3], encoding="utf-8")
    (folder / "scan.txt").write_bytes(b"%PDF-1.7\n" + bytes(range(256)))
    (folder / "notes.csv").write_text("not,an,article\n", encoding="utf-8")  # skipped, as locally
    write_warc(
        folder / "crawl.warc.gz",
        {f"https://site{n}.example/story": page(f"Story {n}", text) for n, text in enumerate(ARTICLES)},
    )
    out = tmp_path / "folder.parquet"

    result = run_job(spark, str(folder), str(out), components=COMPONENTS, settings=IN_PROCESS)

    assert spark_rows(out) == local_rows(str(folder))
    assert result.documents == 2 + len(ARTICLES)
    rows = pq.read_table(result.failures_output).to_pylist()
    failures = [row for row in rows if row["kind"] != "skipped"]
    assert [f["source"] for f in failures] == [str(folder / "scan.txt")]
    assert "PDF" in failures[0]["reason"]
    assert [(row["source"], row["kind"]) for row in rows if row not in failures] == [(str(folder / "notes.csv"), "skipped")]
    assert (result.failures, result.skipped) == (1, 1)


def test_cli_runs_the_job_and_refuses_to_overwrite(spark, tmp_path, monkeypatch, capsys):
    import narrascope.scale
    from narrascope.cli import main

    monkeypatch.setattr(narrascope.scale, "create_session", lambda master, **options: spark)
    monkeypatch.setattr(spark, "stop", lambda: None)  # the session is shared by these tests
    dump = tmp_path / "dump.jsonl"
    dump.write_text("\n".join(json.dumps({"text": t}) for t in ARTICLES) + "\n", encoding="utf-8")
    out = tmp_path / "cli.parquet"
    command = ["spark", "--input", str(dump), "--output", str(out), "--components", "none"]

    assert main(command) == 0
    assert f"analysed {len(ARTICLES)} document(s)" in capsys.readouterr().err
    assert sorted(pq.read_table(out).column("document_id").to_pylist()) == sorted(
        a.document.id for a in analyze_many([str(dump)], components=())
    )
    assert main(command) == 2
    assert f"{out}: already exists (use --overwrite" in capsys.readouterr().err
    assert main(command + ["--overwrite"]) == 0
    assert main(["spark", "--input", str(tmp_path / "missing.jsonl"), "--output", str(out)]) == 2
    assert f"{tmp_path / 'missing.jsonl'}: no such file or directory" in capsys.readouterr().err


def test_a_genre_mix_given_to_the_job_moves_the_genre_rows_as_locally(spark, tmp_path):
    """`--genre-mix` on Spark: the workers decide each genre at the mix, as local analyze does."""
    from narrascope.scale import run_job

    dump = tmp_path / "dump.jsonl"
    dump.write_text("".join(json.dumps({"text": text}) + "\n" for text in ARTICLES), encoding="utf-8")
    mix = {"reporting": 0.01, "opinion": 0.98, "satire": 0.01}
    run_job(spark, str(dump), str(tmp_path / "out.parquet"), components=("genre",), settings=IN_PROCESS, genre_mix=mix)
    analyses = list(analyze_many([str(dump)], components=("genre",), settings=IN_PROCESS, genre_mix=mix))
    local = [r for a in analyses for r in export_records(a)]
    assert spark_rows(tmp_path / "out.parquet") == rows(local)
    plain = list(analyze_many([str(dump)], components=("genre",), settings=IN_PROCESS))
    if any(a.results.genre for a in analyses):  # the shipped genre head ran
        assert rows(local) != rows(r for a in plain for r in export_records(a))
        for at_mix, as_trained in zip(analyses, plain):
            assert at_mix.results.genre.probabilities["opinion"] > as_trained.results.genre.probabilities["opinion"]
