"""The hostile corpus (`hostile.py`) through every batch path: `narrascope analyze DIR --store`
(the real pipeline, every component), the web upload, and `narrascope spark`. Each runs to the
end in bounded time (the per-document budget stops what would take minutes), accounts for every
input (analysed + skipped + failed = inputs), never reads outside the folder, and a re-run adds
nothing and loses nothing."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from hostile import SECRET, Corpus, build

from fixtures.web.forms import csrf
from narrascope.settings import Settings
from narrascope.store import open_store
from narrascope.store.tables import DocumentSourceTable, DocumentTable
from narrascope.web import WebConfig, create_app

pytestmark = pytest.mark.slow
NARRASCOPE = [sys.executable, "-m", "narrascope"]
COUNTS = re.compile(r"analysed (\d+), skipped (\d+) \((\d+) already in \S+, (\d+) not read\), failed (\d+)")
BUDGET = 20  # seconds per document: the 2 MB word, 3.7 MB of lines... stop here instead of minutes


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Corpus:
    return build(tmp_path_factory.mktemp("hostile") / "corpus")


def analyze(corpus: Corpus, url: str, out: Path) -> tuple[int, dict[str, int], str]:
    command = [*NARRASCOPE, "analyze", str(corpus.root), "--store", url, "--jsonl", str(out)]
    run = subprocess.run([*command, "--document-timeout", str(BUDGET)], capture_output=True, text=True, timeout=900)
    assert "Traceback" not in run.stderr, run.stderr
    found = COUNTS.search(run.stderr)
    assert found, run.stderr
    counts = dict(zip(("analysed", "skipped", "stored", "not_read", "failed"), map(int, found.groups())))
    return run.returncode, counts, run.stderr


def state(url: str) -> tuple[dict[str, str], dict[str, object], dict[str, str]]:
    """source -> document id (every linked input), document id -> updated_at, failed source -> reason."""
    with open_store(url) as store, store.engine.connect() as connection:
        links = dict(connection.execute(sa.select(DocumentSourceTable.source, DocumentSourceTable.document_id)).all())
        updated = dict(connection.execute(sa.select(DocumentTable.id, DocumentTable.updated_at)).all())
        texts = connection.scalars(sa.select(DocumentTable.text)).all()
        failures = {failure.source: failure.reason for failure in store.failures()}
    assert not any(SECRET in text for text in texts), "a file outside the folder was read"
    return links, updated, failures


def name(corpus: Corpus, source: str) -> str:
    return source.removeprefix(f"{corpus.root}/").split("#")[0].split(":")[0]


def test_analyze_runs_the_hostile_corpus_to_the_end_and_a_rerun_adds_and_loses_nothing(corpus, tmp_path):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    started = time.monotonic()
    code, counts, errors = analyze(corpus, url, tmp_path / "first.jsonl")
    first_took = time.monotonic() - started
    assert code == 1  # some inputs failed, and said so
    assert counts["analysed"] + counts["skipped"] + counts["failed"] == corpus.inputs, errors
    assert counts["not_read"] == len(corpus.skipped)
    skipped = {name(corpus, line.split(": ")[2]) for line in errors.splitlines() if line.startswith("narrascope: skipped:")}
    assert skipped == corpus.skipped

    links, updated, failures = state(url)
    assert len(links) + len(failures) + counts["not_read"] == corpus.inputs  # each input once, in the store
    assert not set(links) & set(failures)
    assert f"{corpus.root}/caf\\xe9-latin1-name.txt" in links  # a name that is not UTF-8, stored and shown escaped
    assert {name(corpus, source) for source in links} >= corpus.analysed
    assert {name(corpus, source) for source in failures} >= corpus.failed
    assert {f"{corpus.root}/dump.jsonl:1", f"{corpus.root}/dump.jsonl:2", f"{corpus.root}/truncated.warc.gz"} <= set(failures)
    duplicates = {links[f"{corpus.root}/{source}"] for source in ("dup-a.txt", "dup-b.txt", "dump.jsonl:4", "dump.jsonl:5")}
    assert len(duplicates) == 1  # one analysis per text, every source linked to it
    outputs = (tmp_path / "first.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(outputs) == len(links) == counts["analysed"] + counts["stored"]
    assert SECRET not in "".join(outputs)

    code, again, errors = analyze(corpus, url, tmp_path / "again.jsonl")
    assert code == 1
    assert again == {**counts, "analysed": 0, "skipped": counts["skipped"] + counts["analysed"],
                     "stored": counts["stored"] + counts["analysed"]}, errors
    assert state(url) == (links, updated, failures)  # nothing added, nothing lost, nothing redone
    print(f"\nhostile corpus: {corpus.inputs} inputs, first run {first_took:.0f} s")


def test_the_hostile_corpus_through_the_web_upload(corpus, tmp_path):
    settings = Settings(document_timeout=10)
    config = WebConfig(settings=settings, store_url=f"sqlite:///{tmp_path / 'web.db'}", components=(), workers=1,
                       job_timeout=600)
    answers: dict[str, int] = {}
    jobs: dict[str, str] = {}
    with TestClient(create_app(config), base_url="http://127.0.0.1", follow_redirects=False) as client:
        token = csrf(client)
        for entry in sorted(os.scandir(corpus.root), key=lambda e: e.name):
            if entry.is_symlink() or not entry.is_file():
                continue  # a browser uploads a file's bytes; links and FIFOs are the folder walk's concern
            data = Path(entry.path).read_bytes()
            shown = os.fsencode(entry.name).decode("utf-8", "replace")  # what a browser sends for a name not UTF-8
            posted = client.post("/analyze", data={"csrf_token": token}, files={"file": (shown, data)})
            answers[entry.name] = posted.status_code
            assert posted.status_code in (303, 413, 415, 422), (entry.name, posted.status_code, posted.text[:300])
            if posted.status_code == 303:
                jobs[entry.name] = posted.headers["location"].rsplit("/", 1)[1]
            else:
                assert 'role="alert"' in posted.text  # the reason is shown
        raw_name = _multipart(token, b"x\xff\x00.txt", b"An article uploaded under a name no codec reads.\n")
        posted = client.post("/analyze", content=raw_name[1], headers={"content-type": raw_name[0]})
        assert posted.status_code in (303, 422), posted.text[:300]
        deadline = time.monotonic() + 600
        ended = {}
        for file_name, job_id in jobs.items():
            while (status := client.get(f"/api/jobs/{job_id}").json())["status"] in ("queued", "running"):
                assert time.monotonic() < deadline, status
                time.sleep(0.2)
            ended[file_name] = status
        assert client.get("/healthz").text == "ok"
    for file_name, status in ended.items():
        assert status["status"] in ("done", "failed") and status["done"] == status["total"], status
        assert len(status["document_ids"]) + len(status["failures"]) == status["total"], status
    assert ended["dump.jsonl"]["total"] == 6 and len(ended["dump.jsonl"]["failures"]) >= 2
    assert ended["good.txt"]["status"] == "done"
    assert answers["pages.zip"] == answers["crawl.tar.gz"] == answers["picture.png"] == answers["xxe.xml"] == 415
    assert answers["empty.txt"] == answers["binary.txt"] == 422 and answers["bomb.txt.gz"] in (413, 422)


@pytest.mark.spark
def test_the_hostile_corpus_through_spark(corpus, spark, tmp_path):
    from narrascope.scale import run_job

    out = tmp_path / "out.parquet"
    result = run_job(spark, str(corpus.root), str(out), components=(), settings=Settings(document_timeout=10))
    analysed = {row["source"]: row["input_id"] for row in pq.read_table(out).to_pylist()}
    others = pq.read_table(result.failures_output).to_pylist()
    sources = [row["source"] for row in others]
    assert len(sources) == len(set(sources)) and not set(sources) & set(analysed)
    assert len(analysed) + len(others) == corpus.inputs  # every input accounted for, once
    assert (result.documents, result.failures, result.skipped) == (len(analysed), len(others) - result.skipped,
                                                                    len(corpus.skipped))
    assert {name(corpus, row["source"]) for row in others if row["kind"] == "skipped"} == corpus.skipped
    assert {name(corpus, source) for source in analysed} >= corpus.analysed
    assert {name(corpus, row["source"]) for row in others if row["kind"] != "skipped"} >= corpus.failed
    ids = {source.removeprefix(f"{corpus.root}/dump.jsonl"): input_id for source, input_id in analysed.items()}
    assert {key: ids[key] for key in corpus.ids} == corpus.ids  # each line's own id, duplicates included


def _multipart(token: str, filename: bytes, data: bytes) -> tuple[str, bytes]:
    """A form post whose file name is raw bytes (no client library writes one)."""
    boundary = b"narrascope-boundary"
    body = (
        b"--%s\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n%s\r\n"
        b"--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
        b"Content-Type: text/plain\r\n\r\n%s\r\n--%s--\r\n"
    ) % (boundary, token.encode(), boundary, filename, data, boundary)
    return f"multipart/form-data; boundary={boundary.decode()}", body
