"""Batches on several analysis processes: same analyses as one process, in input order, the
caller's callbacks on the caller's thread, the cores shared out, nothing left running."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from narrascope import analyze_many
from narrascope.pool import MAX_AUTO_WORKERS, threads_each, worker_count
from narrascope.settings import Settings

COMPONENTS = ("genre", "techniques")
TOPICS = ("the port", "the grain deal", "heat pumps", "the border", "the election", "the pension reform")


@pytest.fixture
def articles(tmp_path: Path) -> list[str]:
    paths = []
    for number, topic in enumerate(TOPICS):
        path = tmp_path / f"article-{number}.txt"
        path.write_text(
            f"Council debates {topic}\n"
            f"The council voted on {topic} on Monday after a long and heated debate in the chamber.\n"
            f"Critics called the plan on {topic} a disgrace and warned that families would pay for it.\n",
            encoding="utf-8",
        )
        paths.append(str(path))
    return paths


def test_two_children_give_what_one_process_gives_in_input_order(articles):
    pooled = list(analyze_many(articles, components=COMPONENTS, settings=Settings(document_timeout=120, batch_workers=2)))
    alone = list(analyze_many(articles, components=COMPONENTS, settings=Settings(document_timeout=0)))
    assert [a.document.source for a in pooled] == articles
    assert pooled == alone


def test_skip_is_asked_on_the_callers_thread_and_skipped_documents_are_not_analysed(articles):
    asked_on: set[str] = set()

    def skip(document) -> bool:
        asked_on.add(threading.current_thread().name)
        return document.source == articles[2]

    settings = Settings(document_timeout=120, batch_workers=2)
    analysed = [a.document.source for a in analyze_many(articles, components=("genre",), settings=settings, skip=skip)]
    assert analysed == articles[:2] + articles[3:]
    assert asked_on == {threading.current_thread().name}


def test_leaving_a_batch_early_stops_every_child(articles):
    batch = analyze_many(articles, components=("genre",), settings=Settings(document_timeout=120, batch_workers=2))
    assert next(batch).document.source == articles[0]
    assert len(_analysis_children()) == 2  # the second child was working ahead
    batch.close()
    deadline = time.monotonic() + 15
    while _analysis_children():
        assert time.monotonic() < deadline, "a child outlived the batch"
        time.sleep(0.1)


def test_the_children_share_the_cores_they_are_given():
    assert threads_each(Settings(encoder_threads=4), 1) == 4  # a lone document gets every core
    assert threads_each(Settings(encoder_threads=4), 2) == 2
    assert threads_each(Settings(encoder_threads=2, batch_workers=3), 3) == 1
    assert worker_count(Settings(encoder_threads=2)) == 2
    assert worker_count(Settings(encoder_threads=64)) == MAX_AUTO_WORKERS
    assert worker_count(Settings(encoder_threads=64, batch_workers=6)) == 6


def _analysis_children() -> list[int]:
    """Live child processes of this one that run `narrascope.worker`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[1]) == os.getpid() and stat[0] != "Z" and b"narrascope.worker" in command:
            found.append(int(entry.name))
    return found
