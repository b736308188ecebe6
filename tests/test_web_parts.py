"""The web app's plain parts without a server: the job queue (progress, failures, time limit)
and the trend-chart geometry."""

from __future__ import annotations

import threading
import time

import pytest

from narrascope.errors import ExtractionError
from narrascope.ingest import Failure, RawDocument
from narrascope.model import Analysis, Document, Language
from narrascope.store import PeriodCount, TrendRow, Trends
from narrascope.store.dates import period_range
from narrascope.web.charts import HEIGHT, TOP_LABELS, line_charts
from narrascope.web.jobs import JobQueue, QueueFull


def raw(text: str) -> RawDocument:
    return RawDocument(source="<text>", content=text, kind="text")


def analysis_of(item: RawDocument, components: object = None) -> Analysis:
    if "unreadable" in item.content:
        raise ExtractionError(f"{item.source}: no article text found")
    language = Language(code="en", confidence=1.0)
    document = Document(id=Document.content_id(item.content), source=item.source, language=language, text=item.content)
    return Analysis(document=document)


def test_a_job_reports_progress_results_and_failures() -> None:
    saved: list[str] = []
    queue = JobQueue(analysis_of, lambda a: saved.append(a.document.id))
    items = [raw("first"), Failure("x.jsonl:2", "x.jsonl line 2: not JSON"), raw("unreadable")]
    job = queue.submit("batch", lambda: items)
    assert job.finished.wait(5)
    assert (job.status, job.total, job.done) == ("done", 3, 3)
    assert job.document_ids == saved == [Document.content_id("first")]
    assert job.failures == ["x.jsonl line 2: not JSON", "<text>: no article text found"]
    queue.shutdown()


def test_a_job_whose_every_document_fails_is_failed_with_the_reasons() -> None:
    queue = JobQueue(analysis_of, lambda a: None)
    job = queue.submit("one", lambda: [raw("unreadable")])
    assert job.finished.wait(5)
    assert job.status == "failed" and job.error == "<text>: no article text found" and not job.internal
    queue.shutdown()


def test_a_job_past_its_time_limit_fails_and_stores_nothing_late() -> None:
    saved: list[str] = []

    def slow(item: RawDocument, components: object) -> Analysis:
        time.sleep(0.4)
        return analysis_of(item)

    queue = JobQueue(slow, lambda a: saved.append(a.document.id), timeout=0.2)
    job = queue.submit("slow", lambda: [raw("one"), raw("two")])
    deadline = time.monotonic() + 5
    # the status page sees the limit pass while the analysis still runs
    while (seen := queue.get(job.id)) is not None and seen.status in ("queued", "running"):
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert seen is not None and seen.status == "failed" and "0.2 s time limit" in (seen.error or "")
    assert job.finished.wait(5)
    assert job.status == "failed" and saved == [] and job.done == 0
    queue.shutdown()


def test_a_bug_in_a_component_fails_the_job_as_internal() -> None:
    def broken(item: RawDocument, components: object) -> Analysis:
        raise ZeroDivisionError("division by zero")

    queue = JobQueue(broken, lambda a: None)
    job = queue.submit("bug", lambda: [raw("text")])
    assert job.finished.wait(5)
    assert job.status == "failed" and job.internal and "ZeroDivisionError" in (job.error or "")
    queue.shutdown()


def test_the_queue_refuses_work_past_its_pending_limit() -> None:
    release = threading.Event()
    queue = JobQueue(analysis_of, lambda a: None, max_pending=1)
    first = queue.submit("blocking", lambda: [raw("x")] if release.wait(5) else [])
    with pytest.raises(QueueFull, match="busy"):
        queue.submit("second", lambda: [])
    release.set()
    assert first.finished.wait(5)
    assert queue.submit("after", lambda: []).finished.wait(5)
    queue.shutdown()


def test_old_jobs_are_forgotten_past_the_limit() -> None:
    queue = JobQueue(analysis_of, lambda a: None, keep=2)
    jobs = [queue.submit(str(i), lambda: []) for i in range(3)]
    for job in jobs:
        job.finished.wait(5)
    assert queue.get(jobs[0].id) is None and queue.get(jobs[2].id) is jobs[2]
    queue.shutdown()


# --- charts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "interval", "expected"),
    [
        ("2023-11-01", "2024-02-01", "month", ["2023-11-01", "2023-12-01", "2024-01-01", "2024-02-01"]),
        ("2024-02-26", "2024-03-11", "week", ["2024-02-26", "2024-03-04", "2024-03-11"]),
        ("2024-02-28", "2024-03-01", "day", ["2024-02-28", "2024-02-29", "2024-03-01"]),
    ],
)
def test_period_range_covers_every_period(first: str, last: str, interval: str, expected: list[str]) -> None:
    assert period_range(first, last, interval) == expected


def row(period: str, label: str, share: float, group: str | None = None) -> TrendRow:
    return TrendRow(period=period, group=group, label=label, count=round(share * 4), share=share, documents=4)


def trends(rows: list[TrendRow], interval: str = "month", by: str = "technique", empty: tuple[str, ...] = ()) -> Trends:
    """Trends of `rows`, each of their periods holding 4 documents, plus `empty` periods holding 4
    documents none of which carries a label."""
    held = sorted({(r.period, r.group) for r in rows} | {(p, None) for p in empty})
    periods = [PeriodCount(period, group, 4) for period, group in held]
    return Trends(by, interval, None if all(g is None for _, g in held) else "site", rows=rows, periods=periods)


def test_a_period_without_documents_breaks_the_line_one_without_the_label_is_zero() -> None:
    rows = [row("2024-01-01", "Doubt", 0.5), row("2024-02-01", "Doubt", 0.25), row("2024-05-01", "Doubt", 1.0)]
    (chart,) = line_charts(trends(rows, empty=("2024-04-01",)))
    (series,) = chart.series
    assert series.label == "Doubt"
    assert [(p.period, p.share) for p in series.points] == [
        ("2024-01-01", 0.5), ("2024-02-01", 0.25), ("2024-04-01", 0.0), ("2024-05-01", 1.0)
    ]
    assert len(series.lines) == 2  # Jan-Feb joined; no documents in March; April (0 %) to May
    assert [label for _, label in chart.x_ticks] == ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]
    assert [(bar.period, bar.documents) for bar in chart.bars] == [
        ("2024-01-01", 4), ("2024-02-01", 4), ("2024-03-01", 0), ("2024-04-01", 4), ("2024-05-01", 4)
    ]
    assert next(b for b in chart.bars if b.period == "2024-03-01").height == 0
    top = next(p for p in series.points if p.period == "2024-05-01")
    assert top.y == chart.top and chart.y_ticks[-1][1] == "100%"


def test_charts_scale_to_the_largest_share_keep_the_strongest_labels_and_show_names() -> None:
    labels = [f"label{i}" for i in range(TOP_LABELS + 1)] + ["Loaded_Language"]
    rows = [row("2024-01-01", label, 0.05 + 0.01 * i) for i, label in enumerate(labels)]
    (chart,) = line_charts(trends(rows, by="frame"))
    assert chart.omitted == 2 and len(chart.series) == TOP_LABELS
    assert chart.series[0].label == "Loaded Language"  # the strongest, by the name screens show
    assert chart.y_ticks[-1][1] == "20%"  # 0.16 rounds up to a 20% axis
    assert all(chart.top <= p.y <= HEIGHT for s in chart.series for p in s.points)


def test_one_chart_per_group() -> None:
    rows = [row("2024-01-01", "Doubt", 0.5, "a.test"), row("2024-01-01", "Doubt", 1.0, "b.test")]
    charts = line_charts(trends(rows))
    assert [c.title.rsplit(" — ", 1)[1] for c in charts] == ["a.test", "b.test"]
    assert line_charts(Trends("technique", "month", None)) == []
