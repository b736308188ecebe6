"""The per-document time budget: documents are read and analysed in a child process that is
stopped at the budget, replaced after a timeout or a crash, and never outlives its parent."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time

import pytest

from narrascope.ingest import Failure, RawDocument
from narrascope.model import Analysis
from narrascope.settings import Settings
from narrascope.worker import InProcessAnalyser, IsolatedAnalyser

ARTICLE = RawDocument(  # lines of an article's length: language ID needs no model beyond the warm-up's
    source="a.txt",
    content="The council met on Monday evening to discuss the budget.\nIt approved the budget after a long debate about roads.\n",
    kind="text",
    id="a1",
)
EMPTY = RawDocument(source="b.html", content="<html><body><nav>Home</nav></body></html>", kind="html")
HUGE = RawDocument(source="huge.txt", content="word " * 4_000_000, kind="text")  # 20 MB: seconds to segment
READ_ALL = 50_000_000  # max_text_chars: HUGE is read whole, not cut at the default 500,000 characters


@pytest.fixture
def isolated():
    analyser = IsolatedAnalyser(Settings(document_timeout=60, max_text_chars=READ_ALL))
    yield analyser
    analyser.close()


def test_the_child_gives_what_the_process_itself_gives(isolated):
    local = InProcessAnalyser(Settings(document_timeout=0))
    for raw in (ARTICLE, EMPTY):
        assert isolated.run(raw, ()) == local.run(raw, ())
    analysis = isolated.run(ARTICLE, ())
    assert isinstance(analysis, Analysis) and analysis.document.input_id == "a1"
    assert isolated.run(ARTICLE, (), skip=lambda document: document.id == analysis.document.id) is None


def test_a_document_past_the_budget_is_stopped_and_the_next_one_gets_a_fresh_child():
    analyser = IsolatedAnalyser(Settings(document_timeout=0.3, max_text_chars=READ_ALL))
    try:
        analyser.run(ARTICLE, ())  # the child has started: the budget counts analysis only
        first_child = analyser._child.process
        failure = analyser.run(HUGE, ())
        assert isinstance(failure, Failure) and failure.kind == "timeout"
        assert re.fullmatch(r"huge\.txt: stopped after \d+ s, over the 0\.3 s time limit for one document", failure.reason)
        assert failure.input_hash == HUGE.fingerprint()
        assert first_child.poll() is not None  # stopped, not left to finish
        assert isinstance(analyser.run(ARTICLE, ()), Analysis)
    finally:
        analyser.close()


def test_a_document_past_the_memory_limit_is_stopped(isolated):
    isolated._child.ready()
    warm = isolated._child.resident_mb()  # models and all, before any document
    assert warm > 0
    # the paragraph cap raised so that this many lines are read: ~140 MB of segments
    analyser = IsolatedAnalyser(Settings(document_timeout=600, document_memory_mb=warm + 60, max_paragraphs=200_000))
    try:
        many_lines = RawDocument(source="lines.txt", content="ok.\n" * 125_000, kind="text")
        failure = analyser.run(many_lines, ())
        assert isinstance(failure, Failure) and failure.kind == "memory", failure
        assert re.fullmatch(rf"lines\.txt: stopped at \d+ MB, over the {warm + 60} MB memory limit for one document", failure.reason)
        assert isinstance(analyser.run(ARTICLE, ()), Analysis)
    finally:
        analyser.close()


def test_a_child_that_dies_costs_only_its_document(isolated):
    isolated.run(ARTICLE, ())
    pid = isolated._child.process.pid
    threading.Timer(0.5, os.kill, (pid, signal.SIGKILL)).start()  # as the kernel's OOM killer would
    failure = isolated.run(HUGE, ())
    assert isinstance(failure, Failure) and failure.kind == "crash"
    assert failure.reason == "huge.txt: the analysis process died (killed by SIGKILL, perhaps out of memory) on this input"
    assert isinstance(isolated.run(ARTICLE, ()), Analysis)


def test_the_child_never_outlives_its_parent(tmp_path):
    script = (
        "import os, sys\n"
        "from narrascope.settings import Settings\n"
        "from narrascope.worker import IsolatedAnalyser\n"
        "analyser = IsolatedAnalyser(Settings(document_timeout=60))\n"
        "analyser._child.ready()\n"
        "print(analyser._child.process.pid, flush=True)\n"
        "os.kill(os.getpid(), 9)\n"  # the parent dies without closing anything
    )
    parent = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    child = int(parent.stdout.split()[0])
    deadline = time.monotonic() + 10
    while _alive(child):
        assert time.monotonic() < deadline, "the child outlived its parent"
        time.sleep(0.1)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"  # a zombie has exited
    except FileNotFoundError:
        return False
