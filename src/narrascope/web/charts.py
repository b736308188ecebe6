"""Trend lines as geometry for a server-rendered SVG: no chart library, no script, works offline.

`line_charts` turns the store's `TrendRow`s into one `Chart` per group (site or language, or one
chart for everything): the strongest labels as lines of their share of documents per period,
with the axes' ticks already placed. The template only draws what is computed here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, get_args

from ..store import TrendRow

TrendKind = Literal["narrative", "technique", "frame", "genre"]
Interval = Literal["day", "week", "month"]
TrendGroup = Literal["site", "language"]
TREND_KINDS: tuple[str, ...] = get_args(TrendKind)
TOP_LABELS = 8  # lines per chart; more are unreadable
WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 36, 16, 44  # margins around the plot area, for the axes' labels
MAX_X_TICKS = 8


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    period: str
    share: float
    count: int


@dataclass(frozen=True)
class Series:
    label: str
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
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM


def line_charts(rows: list[TrendRow], *, by: str, interval: str) -> list[Chart]:
    """One chart per group; periods are the full range between the first and last, shared by all
    charts, so gaps (periods without documents) show as breaks in the lines."""
    if not rows:
        return []
    periods = period_range(min(r.period for r in rows), max(r.period for r in rows), interval)
    groups: dict[str | None, list[TrendRow]] = defaultdict(list)
    for row in rows:
        groups[row.group].append(row)
    what = f"{by}s" if by != "genre" else "genres"
    title = f"Share of documents per {interval} by {what}"
    return [
        _chart(title + (f" — {group}" if group else ""), grouped, periods, interval)
        for group, grouped in sorted(groups.items(), key=lambda item: (item[0] is None, item[0] or ""))
    ]


def period_range(first: str, last: str, interval: str) -> list[str]:
    """Every period start from `first` to `last` (ISO dates), one `interval` apart."""
    current, end = date.fromisoformat(first), date.fromisoformat(last)
    periods = []
    while current <= end:
        periods.append(current.isoformat())
        if interval == "month":
            current = (current.replace(day=28) + timedelta(days=4)).replace(day=1)
        else:
            current += timedelta(days=7 if interval == "week" else 1)
    return periods


def _chart(title: str, rows: list[TrendRow], periods: list[str], interval: str) -> Chart:
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        totals[row.label] += row.count
    labels = sorted(totals, key=lambda label: (-totals[label], label))
    shown = labels[:TOP_LABELS]
    top_share = max(r.share for r in rows if r.label in shown)
    y_max = min(1.0, max(0.1, _round_up(top_share)))
    x_of = _x_positions(periods)
    by_label: dict[str, dict[str, TrendRow]] = defaultdict(dict)
    for row in rows:
        by_label[row.label][row.period] = row
    series = []
    for index, label in enumerate(shown):
        points = [
            Point(x_of[p], _y(r.share, y_max), p, r.share, r.count)
            for p in periods
            if (r := by_label[label].get(p)) is not None
        ]
        series.append(Series(label, index, _runs(points, periods), points))
    y_ticks = [(_y(y_max * step / 4, y_max), f"{y_max * step / 4:.0%}") for step in range(5)]
    stride = max(1, -(-len(periods) // MAX_X_TICKS))
    x_ticks = [(x_of[p], p[:7] if interval == "month" else p) for p in periods[::stride]]
    return Chart(title, series, x_ticks, y_ticks, omitted=len(labels) - len(shown))


def _x_positions(periods: list[str]) -> dict[str, float]:
    if len(periods) == 1:
        return {periods[0]: (LEFT + WIDTH - RIGHT) / 2}
    step = (WIDTH - RIGHT - LEFT) / (len(periods) - 1)
    return {p: round(LEFT + i * step, 1) for i, p in enumerate(periods)}


def _y(share: float, y_max: float) -> float:
    return round(HEIGHT - BOTTOM - share / y_max * (HEIGHT - BOTTOM - TOP), 1)


def _runs(points: list[Point], periods: list[str]) -> list[str]:
    """Polylines over consecutive periods; a period without the label breaks the line."""
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

