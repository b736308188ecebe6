"""Progress you can trust: totals counted cheaply before the work (folders, JSON Lines, WARC
records, feed entries, gold documents), bars with an ETA on a terminal, nothing but plain lines
when the output is not one."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from narrascope.evaluate.runner import evaluate
from narrascope.ingest.counting import count_documents
from narrascope.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"
DATASET = FIXTURES / "datasets" / "semeval2023-task3"
NARRASCOPE = [sys.executable, "-m", "narrascope"]


def write_warc(path: Path, pages: int) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for number in range(pages):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            body = io.BytesIO(f"<html><body><p>Page {number}</p></body></html>".encode())
            writer.write_record(writer.create_warc_record(f"https://x.test/{number}", "response", payload=body,
                                                          http_headers=headers))
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://x.test/i.png", "response", payload=io.BytesIO(b"x"),
                                                      http_headers=image))


def folder_of(tmp_path: Path, count: int) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for number in range(count):
        (folder / f"a{number:03}.txt").write_text(
            f"Officials discussed plan number {number} on Monday in the capital.\n\n"
            f"Critics said plan {number} was reckless and would ruin families across the region.\n"
        )
    return folder


def test_documents_are_counted_without_reading_them(tmp_path) -> None:
    folder = folder_of(tmp_path, 3)
    (folder / "dump.jsonl").write_text('{"text": "a"}\n\n  \n{"text": "b"}\n{"text": "c"}')  # no final newline
    (folder / "picture.png").write_bytes(b"\x89PNG")  # not read: not counted
    write_warc(folder / "crawl.warc.gz", 4)  # 4 pages, the image is not an article
    feed = FIXTURES / "ingest" / "feed.rss"  # 3 entries
    settings = Settings()
    assert count_documents([str(folder)], None, settings) == 3 + 3 + 4
    assert count_documents([str(folder), str(feed), str(tmp_path / "missing.txt")], None, settings) == 10 + 3 + 1
    assert count_documents([str(folder)], "jsonl", settings) == 3  # a named format keeps one kind
    assert count_documents(["-"], None, settings) is None  # standard input is read once, not counted
    assert count_documents(["https://example.org/feed"], None, settings) is None  # may be a feed


def run_on_a_terminal(argv: list[str], cwd: Path) -> tuple[int, str]:
    """Run with standard error on a pseudo-terminal, as a user at a terminal sees it."""
    main, secondary = pty.openpty()
    env = dict(os.environ, TERM="xterm", COLUMNS="120")
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=secondary, env=env, cwd=cwd)
    os.close(secondary)
    seen = b""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the other end closed
                break
            if not chunk:
                break
            seen += chunk
        elif process.poll() is not None:
            break
    os.close(main)
    return process.wait(timeout=60), seen.decode("utf-8", "replace")


@pytest.mark.slow
def test_a_folder_batch_shows_its_total_and_time_left_on_a_terminal(tmp_path) -> None:
    folder = folder_of(tmp_path, 40)
    command = [*NARRASCOPE, "analyze", str(folder), "--jsonl", str(tmp_path / "out.jsonl"), "--components", "none"]
    code, seen = run_on_a_terminal(command, tmp_path)
    assert code == 0, seen
    assert "/40" in seen and "/?" not in seen.split("/40")[-1]  # once counted, the total stays
    assert "eta" in seen and "40/40" in seen


def test_a_batch_writes_plain_lines_when_stderr_is_not_a_terminal(tmp_path) -> None:
    folder = folder_of(tmp_path, 5)
    command = [*NARRASCOPE, "analyze", str(folder), "--jsonl", str(tmp_path / "out.jsonl"), "--components", "none"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "\r" not in result.stderr and "\x1b" not in result.stderr and "eta" not in result.stderr
    assert result.stderr.splitlines() == [result.stderr.strip()]  # one line: the counts
    assert result.stderr.startswith("analysed 5, skipped 0")


def test_evaluate_reports_progress_per_language_with_unchanged_results() -> None:
    heard: list[tuple[dict, str, int]] = []
    reported = evaluate("genre", DATASET, "train", predictor="majority", progress=lambda *a: heard.append(a))
    silent = evaluate("genre", DATASET, "train", predictor="majority")
    assert {k: v for k, v in reported.items() if k != "date"} == {k: v for k, v in silent.items() if k != "date"}
    sizes = heard[0][0]
    assert heard[0][1:] == (next(iter(sizes)), 0)  # told before the first document
    assert heard[-1][1:] == (list(sizes)[-1], sizes[list(sizes)[-1]])  # and after the last
    assert all(done <= sizes[language] for _, language, done in heard)


@pytest.mark.slow
def test_evaluate_shows_languages_and_documents_on_a_terminal(tmp_path) -> None:
    command = [*NARRASCOPE, "evaluate", "--task", "genre", "--data", str(DATASET), "--split", "train",
               "--predictor", "majority"]
    code, seen = run_on_a_terminal(command, tmp_path)
    assert code == 0, seen
    assert "genre: en (1/1 languages)" in seen and "genre: en done, 4 documents in" in seen
    quiet = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert quiet.returncode == 0 and quiet.stderr == ""  # not a terminal: no progress at all
    assert "majority on train" in quiet.stdout
