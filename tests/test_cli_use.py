"""Using the CLI day to day: one store shared by every command, `show`, tables that fit the
terminal, `--help` with examples, and arguments refused before any work."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from fixtures.store.databases import fresh_postgres_url  # noqa: F401
from fixtures.store.samples import article, make_analysis

import narrascope.cli.analyze
from narrascope.cli import build_parser, main
from narrascope.store import open_store

FIXTURES = Path(__file__).parent / "fixtures" / "cli"
NO_MODELS = ["--components", "none"]


def run(capsys, *argv: object) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


# --- one store ------------------------------------------------------------------------------------


def test_analyse_then_query_and_show_find_it_in_the_default_store(capsys, private_default_store) -> None:
    code, _, err = run(capsys, "analyze", FIXTURES / "article.txt", *NO_MODELS)
    assert code == 0, err
    document_id = err.split(" as ")[1].split(":")[0]
    assert f"stored in {private_default_store} as {document_id}: `narrascope show {document_id}`" in err
    code, out, _ = run(capsys, "query", "--json")
    assert [row["id"] for row in json.loads(out)] == [document_id]
    code, out, _ = run(capsys, "show", document_id[:6], "--json")
    assert json.loads(out)["document"]["title"] == "Corrupt Officials Sold Out Our Town"
    code, _, err = run(capsys, "analyze", FIXTURES / "article.txt", *NO_MODELS)  # a second run: nothing to redo
    assert code == 0 and f"already in {private_default_store} (--force analyses it again)" in err


def test_no_store_keeps_nothing(capsys, private_default_store) -> None:
    code, out, err = run(capsys, "analyze", FIXTURES / "article.txt", "--no-store", *NO_MODELS)
    assert code == 0 and "Corrupt Officials" in out and "stored" not in err
    assert not Path(private_default_store.removeprefix("sqlite:///")).exists()
    code, _, err = run(capsys, "analyze", FIXTURES / "article.txt", "--no-store", "--force", *NO_MODELS)
    assert code == 2 and "--no-store keeps nothing; it cannot go with --force" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["query"],
        ["show", "abcdef12"],
        ["export", "--format", "csv", "-o", "-"],
        ["trends", "--by", "genre"],
        ["failures"],
        ["serve", "--port", "1"],
    ],
)
def test_reading_commands_refuse_a_store_that_does_not_exist(capsys, tmp_path, argv) -> None:
    missing = tmp_path / "nonexist" / "dir" / "x.db"
    code, out, err = run(capsys, *argv, "--store", f"sqlite:///{missing}")
    assert code == 2 and out == ""
    assert err.startswith(f"narrascope: error: sqlite:///{missing}: no store there (no such file); check the URL")
    assert not missing.parent.parent.exists()  # nothing created


def test_the_default_store_missing_says_to_analyse_first(capsys, private_default_store) -> None:
    code, _, err = run(capsys, "query")
    assert code == 2
    assert "nothing has been analysed yet; `narrascope analyze SOURCE` stores there by default" in err


@pytest.mark.postgres
def test_a_postgresql_database_without_a_store_is_refused(capsys, fresh_postgres_url) -> None:
    code, _, err = run(capsys, "query", "--store", fresh_postgres_url)
    assert code == 2 and "no store there (the database has no narrascope tables)" in err
    engine = sa.create_engine(fresh_postgres_url)
    with engine.connect() as connection:
        assert sa.inspect(connection).get_table_names() == []  # still empty: no schema was created
    engine.dispose()


def test_an_empty_file_is_not_taken_for_a_store(capsys, tmp_path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes")
    code, _, err = run(capsys, "query", "--store", f"sqlite:///{path}")
    assert code == 2 and "not a narrascope store" in err
    assert path.read_text() == "these are my notes"


# --- reading results in a terminal -----------------------------------------------------------------


@pytest.fixture
def stored(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    title = "A Very Long Headline About Ports That Goes On and On Until No Terminal Can Hold It Whole Anymore"
    with open_store(url) as store:
        store.save(make_analysis(article(1), site="a-rather-long-site-name.example", title=title))
        store.save(make_analysis(article(2), published=None))
    return url


def test_the_query_table_keeps_one_line_per_document_at_80_columns(capsys, monkeypatch, stored) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run(capsys, "query", "--store", stored)
    assert code == 0
    lines = out.splitlines()
    assert all(len(line) <= 80 for line in lines)
    rows = [line for line in lines if line.strip()[:16].isalnum() and len(line.strip()) > 16 and "id" not in line[:4]]
    assert len(rows) == 2  # no title folded over several lines
    assert any("A Very Long" in row and "…" in row for row in rows)
    assert any("undated" in row for row in rows)  # never the day it was analysed
    assert all(len(row.split()[0]) == 16 for row in rows)  # ids are never cut


def test_show_prints_what_analyze_printed(capsys, tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    code, printed, err = run(capsys, "analyze", FIXTURES / "article.txt", "--store", url, *NO_MODELS)
    assert code == 0, err
    document_id = err.split(" as ")[1].split(":")[0]
    code, shown, _ = run(capsys, "show", document_id, "--store", url)
    assert code == 0 and shown == printed
    code, out, _ = run(capsys, "show", document_id[:5], "--store", url, "--json")
    assert json.loads(out)["document"]["id"] == document_id
    report = tmp_path / "r.html"
    code, _, _ = run(capsys, "show", document_id, "--store", url, "--html", report)
    assert code == 0 and "Corrupt Officials Sold Out Our Town" in report.read_text()
    code, _, err = run(capsys, "show", "ffffffff", "--store", url)
    assert code == 2 and "no stored document with id 'ffffffff'" in err
    code, _, err = run(capsys, "show", "ab", "--store", url)
    assert code == 2 and "give at least 4 characters" in err


def commands() -> list[str]:
    action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(action.choices)


@pytest.mark.parametrize("command", commands())
def test_every_command_explains_itself_with_an_example(capsys, command: str) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    help_text = capsys.readouterr().out
    usage, _, rest = help_text.partition("\n\n")
    description = rest.split("\n\n")[0]
    assert len(description.split()) >= 12, f"{command}: no description"
    examples = help_text.split("examples:", 1)[1]
    assert f"narrascope {command}" in examples or (command == "spark" and "narrascope spark" in examples)


# --- arguments checked before any work ------------------------------------------------------------


@pytest.fixture
def no_analysis(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("analysis started before the arguments were checked")

    monkeypatch.setattr(narrascope.cli.analyze, "analyze_many", refuse)


def test_json_with_two_sources_is_refused_before_analysing(capsys, no_analysis) -> None:
    code, out, err = run(capsys, "analyze", FIXTURES / "article.txt", FIXTURES / "article.html", "--json", "-")
    assert code == 2 and out == ""
    assert err.strip() == "narrascope: error: --json writes one document, but 2 sources were given; use --jsonl"


def test_json_with_a_folder_of_several_documents_is_refused_before_analysing(capsys, no_analysis) -> None:
    code, _, err = run(capsys, "analyze", FIXTURES / "folder", "--json", "-")
    assert code == 2 and f"{FIXTURES / 'folder'} holds 2; use --jsonl" in err


@pytest.mark.parametrize(
    ("argv", "complaint"),
    [
        (["query", "--since", "2024-05-01", "--until", "2024-04-01"], "--since 2024-05-01 is after --until 2024-04-01"),
        (["query", "--undated", "only", "--since", "2024-01-01"], "--undated only lists documents without a date"),
        (["query", "--limit", "0"], "'0' is not a positive whole number"),
        (["query", "--min-score", "1.5"], "'1.5' is not a score between 0 and 1"),
        (["trends", "--by", "genre", "--plot", "chart.gif"], "chart.gif: chart must be a .png or .svg file"),
        (["analyze", "x.txt", "--jsonl", "/nonexistent-folder/out.jsonl"], "no such folder '/nonexistent-folder'"),
        (["spark", "--input", "x", "--output", "y", "--components", "genre,colour"], "unknown colour"),
    ],
)
def test_bad_arguments_are_refused_at_once(capsys, tmp_path, argv, complaint) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    open_store(url).close()
    store = ["--store", url] if argv[0] in ("query", "trends") else []
    try:
        code = main([*argv, *store])
    except SystemExit as exit_:
        code = exit_.code
    assert code == 2
    assert complaint in capsys.readouterr().err


def test_help_and_errors_through_the_installed_command(tmp_path) -> None:
    """As a user runs it: `narrascope` on the PATH of this environment."""
    command = Path(sys.executable).with_name("narrascope")
    shown = subprocess.run([command, "query", "--help"], capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0 and 'narrascope query --label "Loaded Language" --since 2024-01-01' in shown.stdout
    refused = subprocess.run(
        [command, "query", "--store", f"sqlite:///{tmp_path / 'none.db'}"], capture_output=True, text=True, timeout=60
    )
    assert refused.returncode == 2 and "Traceback" not in refused.stderr and not (tmp_path / "none.db").exists()
