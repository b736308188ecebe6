"""The web app's plain parts without a server: the trend-chart geometry (the job queue has its
own tests, `test_web_jobs.py`)."""

from __future__ import annotations

import pytest

from narrascope.store import PeriodCount, TrendRow, Trends
from narrascope.store.dates import period_range
from narrascope.web.charts import HEIGHT, TOP_LABELS, line_charts


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
