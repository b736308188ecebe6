"""Trend lines as geometry for a server-rendered SVG: no chart library, no script, works offline.

`line_charts` turns the store's `Trends` into one `Chart` per group (site or language, or one
chart for everything): the strongest labels as lines of their share of documents per period,
bars of how many documents each period holds, and the axes' ticks already placed. A period
without documents breaks the lines; a period whose documents lack a label puts it at 0 %. The
template only draws what is computed here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Literal, get_args

from ..labelsets import display_name
from ..store import TrendRow, Trends
from ..store.dates import period_range

TrendKind = Literal["narrative", "technique", "frame", "genre", "custom"]
Interval = Literal["day", "week", "month"]
TrendGroup = Literal["site", "language"]
TREND_KINDS: tuple[str, ...] = get_args(TrendKind)
TOP_LABELS = 8  # lines per chart; more are unreadable
WIDTH, HEIGHT = 720, 370
LEFT, RIGHT, TOP, BOTTOM = 56, 36, 16, 94  # margins around the plot area: axes' labels and the bars
BAR_TOP, BAR_BOTTOM = HEIGHT - 44, HEIGHT - 8  # the strip of document counts under the x axis
MAX_X_TICKS = 8


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    period: str
    share: float
    count: int  # documents in the period carrying the label
    documents: int  # documents in the period


@dataclass(frozen=True)
class Bar:
    """How many documents one period holds, drawn in the strip under the axis."""

    x: float
    y: float
    width: float
    height: float
    period: str
    documents: int


@dataclass(frozen=True)
class Series:
    label: str  # the name shown
    index: int  # colour slot, `series-<index>` in the CSS
    lines: list[str]  # SVG polyline `points`, one per run of consecutive periods
    points: list[Point]


@dataclass(frozen=True)
class Chart:
    title: str
    series: list[Series]
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    omitted: int  # labels left out beyond TOP_LABELS
    bars: list[Bar]
    most_documents: int  # the tallest bar
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM
    bar_top: int = BAR_TOP
    bar_bottom: int = BAR_BOTTOM


def line_charts(trends: Trends) -> list[Chart]:
    """One chart per group; periods are the full range between the first and last, shared by all
    charts, so periods without documents show as breaks in the lines."""
    if not trends.periods:
        return []
    first, last = min(p.period for p in trends.periods), max(p.period for p in trends.periods)
    periods = period_range(first, last, trends.interval)
    documents: dict[str | None, dict[str, int]] = defaultdict(dict)
    for count in trends.periods:
        documents[count.group][count.period] = count.documents
    rows: dict[str | None, list[TrendRow]] = defaultdict(list)
    for row in trends.rows:
        rows[row.group].append(row)
    what = f"{trends.by}s" if trends.by != "genre" else "genres"
    title = f"Share of documents per {trends.interval} by {what}{trends.at_mix()}"
    return [
        _chart(title + (f" — {group}" if group else ""), rows[group], documents[group], periods, trends.interval)
        for group in sorted(documents, key=lambda group: (group is None, group or ""))
    ]


def _chart(title: str, rows: list[TrendRow], documents: dict[str, int], periods: list[str], interval: str) -> Chart:
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        totals[row.label] += row.count
    labels = sorted(totals, key=lambda label: (-totals[label], label))
    shown = labels[:TOP_LABELS]
    top_share = max((r.share for r in rows if r.label in shown), default=0.0)
    y_max = min(1.0, max(0.1, _round_up(top_share)))
    x_of = _x_positions(periods)
    by_label: dict[str, dict[str, TrendRow]] = defaultdict(dict)
    for row in rows:
        by_label[row.label][row.period] = row
    series = []
    for index, label in enumerate(shown):
        points = []
        for period in sorted(documents):  # periods holding documents; the label at 0 where absent
            found = by_label[label].get(period)
            share, count = (found.share, found.count) if found else (0.0, 0)
            points.append(Point(x_of[period], _y(share, y_max), period, share, count, documents[period]))
        series.append(Series(display_name(label), index, _runs(points, periods), points))
    y_ticks = [(_y(y_max * step / 4, y_max), f"{y_max * step / 4:.0%}") for step in range(5)]
    stride = max(1, -(-len(periods) // MAX_X_TICKS))
    x_ticks = [(x_of[p], p[:7] if interval == "month" else p) for p in periods[::stride]]
    bars, most = _bars(documents, periods, x_of)
    return Chart(title, series, x_ticks, y_ticks, omitted=len(labels) - len(shown), bars=bars, most_documents=most)


def _bars(documents: dict[str, int], periods: list[str], x_of: dict[str, float]) -> tuple[list[Bar], int]:
    most = max(documents.values(), default=0)
    width = round(max(2.0, min(24.0, 0.6 * (WIDTH - RIGHT - LEFT) / len(periods))), 1)
    bars = []
    for period in periods:
        count = documents.get(period, 0)
        height = round((BAR_BOTTOM - BAR_TOP) * count / most, 1) if most else 0.0
        bars.append(Bar(round(x_of[period] - width / 2, 1), BAR_BOTTOM - height, width, height, period, count))
    return bars, most


def _x_positions(periods: list[str]) -> dict[str, float]:
    if len(periods) == 1:
        return {periods[0]: (LEFT + WIDTH - RIGHT) / 2}
    step = (WIDTH - RIGHT - LEFT) / (len(periods) - 1)
    return {p: round(LEFT + i * step, 1) for i, p in enumerate(periods)}


def _y(share: float, y_max: float) -> float:
    return round(HEIGHT - BOTTOM - share / y_max * (HEIGHT - BOTTOM - TOP), 1)


def _runs(points: list[Point], periods: list[str]) -> list[str]:
    """Polylines over consecutive periods; a period without documents breaks the line."""
    position = {p: i for i, p in enumerate(periods)}
    runs: list[list[Point]] = []
    for point in points:
        if runs and position[point.period] == position[runs[-1][-1].period] + 1:
            runs[-1].append(point)
        else:
            runs.append([point])
    return [" ".join(f"{p.x},{p.y}" for p in run) for run in runs if len(run) > 1]


def _round_up(share: float) -> float:
    """The next multiple of 0.1 at or above `share` (axis maximum)."""
    return -(-round(share * 1000) // 100) / 10
