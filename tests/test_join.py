"""Every output joins back to its input: a JSON Lines dump with ids and duplicate texts comes out
with one line per input, each with its own id and source, without a store, into a store, on a
re-run from the store, and in the store's exports (JSONL, CSV); a failed line keeps its id too."""

from __future__ import annotations

import csv
import json

import pytest
from fixtures.store.databases import fresh_postgres_url, sqlite_url, store_url  # noqa: F401

from narrascope.cli import main
from narrascope.store import open_store

TEXTS = {
    "a": "Council approves new bus routes\n\nThe council voted on Tuesday to add three routes.\n",
    "b": "Storm closes the harbour\n\nThe port authority closed the harbour on Friday.\n",
    "c": "Ferries run again\n\nThe first ferry left at dawn, the port said.\n",
}
LINES = [("v-10", "a"), ("v-11", "a"), ("v-12", "b"), ("v-13", "a"), ("v\x0014", "c")]  # ids as a vendor gives them


@pytest.fixture
def dump(tmp_path):
    path = tmp_path / "vendor.jsonl"
    rows = [json.dumps({"id": input_id, "text": TEXTS[text], "site": "wire\x00service"}) for input_id, text in LINES]
    rows.append(json.dumps({"id": "v-15", "text": "   "}))  # no article: fails, with its id
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def identities(path) -> list[tuple[str, str]]:
    documents = [json.loads(line)["document"] for line in path.read_text(encoding="utf-8").splitlines()]
    return [(document["input_id"], document["source"]) for document in documents]


def expected(dump) -> list[tuple[str, str]]:
    """Each line's own id (a NUL in it written as \\x00: every store takes it) and source."""
    return [(input_id.replace("\x00", "\\x00"), f"{dump}:{number}") for number, (input_id, _) in enumerate(LINES, start=1)]


def run(*arguments) -> int:
    """`analyze` in this process (no time budget: identity is the point here, not cost)."""
    return main(["analyze", *map(str, arguments), "--components", "none", "--document-timeout", "0"])


def test_each_input_comes_out_with_its_own_id_and_source(dump, tmp_path, capsys, store_url):
    assert run(dump, "--jsonl", tmp_path / "plain.jsonl") == 1  # the blank line failed
    assert identities(tmp_path / "plain.jsonl") == expected(dump)

    url = store_url
    assert run(dump, "--store", url, "--jsonl", tmp_path / "stored.jsonl") == 1
    assert identities(tmp_path / "stored.jsonl") == expected(dump)  # duplicates come from the store, as themselves
    assert "analysed 3, skipped 2 (already in" in capsys.readouterr().err
    assert run(dump, "--store", url, "--jsonl", tmp_path / "again.jsonl") == 1
    assert identities(tmp_path / "again.jsonl") == expected(dump)

    with open_store(url) as store:
        assert store.count() == 3  # one analysis per text
        first = next(a for a in store.iter_analyses() if a.document.text.startswith("Council"))
        assert store.sources(first.document.id) == [f"{dump}:1", f"{dump}:2", f"{dump}:4"]
        [failure] = store.failures()
        assert (failure.source, failure.input_id, failure.kind) == (f"{dump}:6", "v-15", "input")

    assert main(["export", "--store", url, "--format", "jsonl", "-o", str(tmp_path / "export.jsonl")]) == 0
    assert sorted(identities(tmp_path / "export.jsonl")) == sorted(expected(dump))
    assert main(["export", "--store", url, "--format", "csv", "-o", str(tmp_path / "export.csv")]) == 0
    with (tmp_path / "export.csv").open(encoding="utf-8", newline="") as handle:
        rows = {(row["input_id"], row["source"]) for row in csv.DictReader(handle)}
    assert rows == set(expected(dump))
