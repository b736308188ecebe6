"""The web app's durable job queue on a real store (SQLite and PostgreSQL): accepted jobs are in
the store before the server answers, resume after their server stops or dies, expire when they
wait too long, and keep their progress, results and failures. The analysis itself is a stand-in
here (`Stub`): these tests are about the queue; the budgeted child process has its own tests."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from datetime import datetime, timedelta, timezone

import anyio
import pytest
import sqlalchemy as sa
from fixtures.store.databases import fresh_postgres_url, sqlite_url, store_url  # noqa: F401

from narrascope.ingest import Failure, RawDocument
from narrascope.model import Analysis, Document, Language
from narrascope.settings import Settings
from narrascope.store import open_store
from narrascope.store.tables import JobTable
from narrascope.web import inputs
from narrascope.web.jobs import JobQueue, QueueConfig, QueueFull

SETTINGS = Settings(document_timeout=0)


class Stub:
    """Analyses a raw document into a bare `Analysis`; "unreadable" fails, "bug" raises, and a
    document whose text is in `held` waits for `gate` (so a test can hold a job mid-way)."""

    def __init__(self, held: tuple[str, ...] = ()) -> None:
        self.gate = threading.Event()
        self.held = held
        self.seen: list[str] = []

    def run(self, raw: RawDocument, components, skip=None, deadline=None, custom=()) -> Analysis | Failure:
        self.seen.append(raw.source)
        if raw.content in self.held:
            assert self.gate.wait(30)
        if "unreadable" in raw.content:
            return Failure(raw.source, f"{raw.source}: no article text found")
        if "bug" in raw.content:
            raise ZeroDivisionError("division by zero")
        language = Language(code="en", confidence=1.0)
        text = raw.content.strip()
        document = Document(id=Document.content_id(text), source=raw.source, language=language, text=text)
        return Analysis(document=document)


@contextlib.contextmanager
def queue(store, stub: Stub, **config):
    jobs = JobQueue(store, SETTINGS, (), QueueConfig(**config), analyser=lambda *_: contextlib.nullcontext(stub))
    jobs.start()
    try:
        yield jobs
    finally:
        jobs.shutdown()


@pytest.fixture
def store(store_url):
    with open_store(store_url) as opened:
        yield opened


def batch(*lines: str) -> inputs.Submission:
    data = "\n".join(json.dumps({"text": line}) if not line.startswith("{") else line for line in lines).encode()
    return inputs.from_upload("batch.jsonl", data, SETTINGS)


def finished(jobs: JobQueue, job_id: str, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while (job := jobs.get(job_id)) is not None and job.active:
        assert time.monotonic() < deadline, job
        time.sleep(0.02)
    return job


def test_a_job_keeps_progress_results_and_failures(store):
    with queue(store, Stub()) as jobs:
        job = jobs.submit(batch("first article", "{not json", "unreadable page"))
        assert store.jobs.get(job.id).status in ("queued", "running")  # in the store before any answer
        done = finished(jobs, job.id)
    assert (done.status, done.total, done.done) == ("done", 3, 3)
    assert done.document_ids == [Document.content_id("first article")]
    assert done.failures[0].startswith("batch.jsonl line 2: not valid JSON")
    assert done.failures[1] == "batch.jsonl:3: no article text found"
    assert store.has(done.document_ids[0])
    assert store.jobs.payload(job.id) is None  # the input is dropped once the job has ended


def test_a_job_whose_every_document_fails_is_failed_with_the_reasons_and_a_bug_is_internal(store):
    with queue(store, Stub()) as jobs:
        failed = finished(jobs, jobs.submit(batch("unreadable")).id)
        bug = finished(jobs, jobs.submit(batch("bug")).id)
    assert failed.status == "failed" and failed.error == "batch.jsonl:1: no article text found" and not failed.internal
    assert bug.status == "failed" and bug.internal and "ZeroDivisionError" in bug.error


def test_the_queue_refuses_work_past_its_pending_limit(store):
    stub = Stub(held=("held",))
    with queue(store, stub, max_pending=1) as jobs:
        first = jobs.submit(batch("held"))
        with pytest.raises(QueueFull, match="busy"):
            jobs.submit(batch("second"))
        stub.gate.set()
        assert finished(jobs, first.id).status == "done"
        assert finished(jobs, jobs.submit(batch("after")).id).status == "done"


def test_a_job_past_its_time_limit_stops(store):
    stub = Stub()
    slow = stub.run
    stub.run = lambda raw, *args, **kwargs: (time.sleep(0.3), slow(raw, *args, **kwargs))[1]  # type: ignore[method-assign]
    with queue(store, stub, job_timeout=0.5) as jobs:
        job = finished(jobs, jobs.submit(batch("one", "two", "three", "four")).id)
    assert job.status == "failed" and job.error == "took longer than the 0.5 s time limit"
    assert 1 <= job.done < 4 and len(job.document_ids) == job.done


def test_a_stopped_server_hands_its_job_back_and_the_next_one_resumes_where_it_was(store):
    stub = Stub(held=("two",))
    with queue(store, stub) as jobs:
        job = jobs.submit(batch("one", "two", "three"))
        deadline = time.monotonic() + 30
        while store.jobs.get(job.id).done < 1:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        threading.Timer(0.3, stub.gate.set).start()  # "two" ends while the server is stopping
    handed_back = store.jobs.get(job.id)
    assert (handed_back.status, handed_back.done, handed_back.owner) == ("queued", 2, None)
    resumed = Stub()
    with queue(store, resumed) as jobs:
        done = finished(jobs, job.id)
    assert done.status == "done" and done.done == 3 and len(done.document_ids) == 3
    assert resumed.seen == ["batch.jsonl:3"]  # what was done before the stop is not done again


def _set(store, job_id: str, **values) -> None:
    with store.engine.begin() as connection:
        connection.execute(sa.update(JobTable).where(JobTable.id == job_id).values(**values))


def test_jobs_of_a_dead_or_silent_server_resume_and_fail_after_too_many_attempts(store):
    stub = Stub()
    with queue(store, stub, workers=0) as idle:
        dead, silent, tired = (idle.submit(batch(name)) for name in ("dead", "silent", "tired"))
    long_ago = datetime.now(timezone.utc) - timedelta(minutes=5)
    now = datetime.now(timezone.utc)
    _set(store, dead.id, status="running", owner=f"{socket.gethostname()}:999999999:gone", heartbeat_at=now, attempts=1)
    _set(store, silent.id, status="running", owner="elsewhere:1:x", heartbeat_at=long_ago, attempts=1)
    _set(store, tired.id, status="running", owner="elsewhere:1:x", heartbeat_at=long_ago, attempts=3)
    with queue(store, stub) as jobs:  # start-up recovers them at once
        results = {job.id: finished(jobs, job.id) for job in (dead, silent, tired)}
    assert results[dead.id].status == results[silent.id].status == "done"
    assert results[tired.id].status == "failed"
    assert results[tired.id].error == "interrupted 3 times (the server stopped while analysing it); 0 input(s) were done"


def test_a_job_that_waits_too_long_expires_with_a_clear_state(store):
    with queue(store, Stub(), workers=0) as idle:
        job = idle.submit(batch("never started"))
    _set(store, job.id, created_at=datetime.now(timezone.utc) - timedelta(hours=1))
    with queue(store, Stub(), workers=0, queue_timeout=60):
        expired = store.jobs.get(job.id)
    assert expired.status == "expired"
    assert expired.error == "waited more than 60 s for a free worker (the server is busy); submit it again"


def test_waiting_for_a_job_returns_when_it_ends(store):
    with queue(store, Stub()) as jobs:
        job = jobs.submit(batch("article"))
        ended = anyio.run(jobs.wait, job.id, 30)
    assert ended.status == "done"
