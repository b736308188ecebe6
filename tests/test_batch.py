"""Batch runs into a store, through the real `narrascope analyze` command: a run killed with
SIGKILL resumes without losing or duplicating documents, two runs writing one store at once lose
nothing, and failures are kept and listed. On SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from fixtures.store.databases import fresh_postgres_url, sqlite_url, store_url  # noqa: F401

from narrascope.store import open_store
from narrascope.store.tables import DocumentTable

pytestmark = pytest.mark.slow
NARRASCOPE = [sys.executable, "-m", "narrascope"]


def write_articles(folder: Path, count: int) -> set[str]:
    folder.mkdir()
    for number in range(count):
        (folder / f"article-{number:04d}.txt").write_text(
            f"Report {number}: the council met on Monday to discuss budget line {number * 7}.\n\n"
            f"Residents of district {number} said the plan for street {number} was long overdue.\n",
            encoding="utf-8",
        )
    return {str(path) for path in folder.iterdir()}


def analyze(folder: Path, url: str) -> subprocess.Popen:
    return subprocess.Popen(
        [*NARRASCOPE, "analyze", str(folder), "--store", url, "--components", "none"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def stored(url: str) -> dict[str, tuple[str, object]]:
    """source -> (document id, updated_at) for every stored document."""
    with open_store(url) as store, store.engine.connect() as connection:
        rows = connection.execute(sa.select(DocumentTable.source, DocumentTable.id, DocumentTable.updated_at))
        return {source: (document_id, updated) for source, document_id, updated in rows}


def test_a_killed_run_resumes_and_stores_every_document_exactly_once(store_url, tmp_path):
    sources = write_articles(tmp_path / "articles", 400)
    with open_store(store_url):
        pass  # the schema exists before we start polling
    process = analyze(tmp_path / "articles", store_url)
    deadline = time.monotonic() + 240
    with open_store(store_url) as store:
        while store.count() < 5 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    before = stored(store_url)
    assert 5 <= len(before) < len(sources), "the run should be killed mid-way"

    process = analyze(tmp_path / "articles", store_url)
    _, errors = process.communicate(timeout=600)
    assert process.returncode == 0, errors
    after = stored(store_url)
    assert set(after) == sources
    assert len({document_id for document_id, _ in after.values()}) == len(sources)
    assert all(after[source] == before[source] for source in before), "stored documents were not redone"
    assert f"skipped {len(before)}" in errors


def test_two_concurrent_runs_on_one_store_lose_nothing(store_url, tmp_path):
    sources = write_articles(tmp_path / "articles", 120)
    processes = [analyze(tmp_path / "articles", store_url) for _ in range(2)]  # a fresh store, both at once
    for process in processes:
        _, errors = process.communicate(timeout=600)
        assert process.returncode == 0, errors
        assert "locked" not in errors
    assert set(stored(store_url)) == sources
    with open_store(store_url) as store:
        assert store.count() == len(sources)
        assert store.failures() == []


def test_failures_are_stored_and_listed(store_url, tmp_path):
    folder = tmp_path / "mixed"
    write_articles(folder, 3)
    (folder / "scan.txt").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4)
    (folder / "blank.html").write_text("   \n", encoding="utf-8")
    process = analyze(folder, store_url)
    _, errors = process.communicate(timeout=300)
    assert process.returncode == 1, errors

    listing = subprocess.run(
        [*NARRASCOPE, "failures", "--store", store_url, "--json"], capture_output=True, text=True, timeout=120
    )
    assert listing.returncode == 0, listing.stderr
    failures = {Path(f["source"]).name: f["reason"] for f in json.loads(listing.stdout)}
    assert set(failures) == {"scan.txt", "blank.html"}
    assert "PDF" in failures["scan.txt"]
    assert all(str(folder) in reason for reason in failures.values())
    with open_store(store_url) as store:
        assert store.count() == 3


def test_a_document_cut_for_the_encoder_is_found_again_on_a_rerun(sqlite_url, tmp_path, monkeypatch):
    """The encoder's token cap cuts a long document, which changes its id; a re-run must still
    find the stored analysis instead of paying for it again."""
    folder = tmp_path / "long"
    folder.mkdir()
    (folder / "long.txt").write_text(
        "\n".join(f"Paragraph {n}: the council discussed budget line {n} at length on Monday." for n in range(40)),
        encoding="utf-8",
    )
    monkeypatch.setenv("NARRASCOPE_MAX_DOCUMENT_TOKENS", "64")
    runs = []
    for _ in range(2):
        process = subprocess.run(
            [*NARRASCOPE, "analyze", str(folder), "--store", sqlite_url, "--components", "genre"],
            capture_output=True, text=True, timeout=600,
        )
        assert process.returncode == 0, process.stderr
        runs.append(process.stderr)
    assert runs[0].startswith(f"stored in {sqlite_url} as ")
    assert runs[1].startswith(f"already in {sqlite_url} (--force analyses it again) as ")
    with open_store(sqlite_url) as store:
        [analysis] = store.iter_analyses()
        assert any("64 tokens" in warning for warning in analysis.warnings)  # it was cut, and says so
