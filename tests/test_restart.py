"""Accepted web jobs survive the server: submit jobs to a real `narrascope serve`, stop it with
SIGTERM, submit more to a fresh one and kill it with SIGKILL, start it again: every accepted job
ends as its documents or a recorded failure, and no job id ever answers 404. On SQLite and
PostgreSQL."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from fixtures.store.databases import fresh_postgres_url, sqlite_url, store_url  # noqa: F401
from fixtures.web.forms import csrf

from narrascope.store import open_store

pytestmark = pytest.mark.slow


def article(number: int) -> str:
    return f"Report {number}: the council met on Monday.\nResidents of district {number} welcomed the new budget line.\n"


@contextmanager
def server(url: str) -> Iterator[tuple[subprocess.Popen, httpx.Client]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "narrascope", "serve", "--port", str(port), "--store", url,
               "--components", "none", "--workers", "1", "--document-timeout", "60"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
    deadline = time.monotonic() + 120
    while True:
        try:
            if client.get("/healthz").status_code == 200:
                break
        except httpx.TransportError:
            pass
        assert process.poll() is None, process.stderr.read()
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.2)
    try:
        yield process, client
    finally:
        client.close()
        if process.poll() is None:
            process.kill()
        process.wait()


def submit(client: httpx.Client, first: int, count: int) -> tuple[list[str], set[str]]:
    """`count` submissions, every other one a JSON Lines batch of three: the accepted job ids
    and the texts they hold."""
    token = csrf(client)
    accepted, texts = [], set()
    for number in range(first, first + count):
        if number % 2:
            lines = [article(number * 10 + k) for k in range(3)]
            body = "\n".join(json.dumps({"id": f"job{number}-{k}", "text": text}) for k, text in enumerate(lines))
            posted = client.post("/analyze", data={"csrf_token": token}, files={"file": ("batch.jsonl", body.encode())})
        else:
            lines = [article(number * 10)]
            posted = client.post("/analyze", data={"csrf_token": token, "text": lines[0]})
        assert posted.status_code == 303, posted.text
        accepted.append(posted.headers["location"].rsplit("/", 1)[1])
        texts.update(lines)
    return accepted, texts


def unfinished(url: str, job_ids: list[str]) -> list[str]:
    with open_store(url) as store:
        return [job for job in job_ids if store.jobs.get(job).active]


def test_every_accepted_job_survives_sigterm_and_sigkill(store_url):
    with open_store(store_url):
        pass  # `serve --store` opens an existing store only
    with server(store_url) as (process, client):
        stopped, texts = submit(client, 0, 20)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    assert unfinished(store_url, stopped)  # the stop did interrupt work, else this test proves nothing
    with server(store_url) as (process, client):
        assert all(client.get(f"/api/jobs/{job}").status_code == 200 for job in stopped)  # none forgotten
        killed, more = submit(client, 20, 20)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
    assert unfinished(store_url, killed)
    texts |= more
    with server(store_url) as (process, client):
        deadline = time.monotonic() + 300
        ended = {}
        for job in stopped + killed:
            while True:
                answer = client.get(f"/api/jobs/{job}")
                assert answer.status_code == 200, answer.text  # never 404
                if answer.json()["status"] not in ("queued", "running"):
                    break
                assert time.monotonic() < deadline, answer.json()
                time.sleep(0.2)
            ended[job] = answer.json()
    assert all(job["status"] == "done" and job["done"] == job["total"] for job in ended.values()), ended
    assert all(not job["failures"] and len(job["document_ids"]) == job["total"] for job in ended.values())
    with open_store(store_url) as store:
        assert store.count() == len(texts)  # every document of every accepted job, each once
